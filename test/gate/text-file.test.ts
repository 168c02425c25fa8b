/** tools/gate/text-file.ts: input files are UTF-8, or an error names their encoding. */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { GateError } from "../../tools/gate/errors";
import { decodeUtf8, readUtf8File } from "../../tools/gate/text-file";

const JSON_TEXT = '{"steps": []}';

describe("gate: reading input files as UTF-8", function () {
    it("decodes UTF-8, with or without a byte-order mark", function () {
        assert.equal(decodeUtf8(Buffer.from(JSON_TEXT), "f"), JSON_TEXT);
        assert.equal(decodeUtf8(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"x": "café"}')]), "f"), '{"x": "café"}');
        assert.equal(decodeUtf8(Buffer.from("\uFFFD ok"), "f"), "\uFFFD ok");
    });

    it("names the encoding of UTF-16 and UTF-32 files, with or without a byte-order mark", function () {
        const le16 = Buffer.from(JSON_TEXT, "utf16le");
        const be16 = Buffer.from(JSON_TEXT, "utf16le").swap16();
        const le32 = Buffer.from([...JSON_TEXT].flatMap((c) => [c.charCodeAt(0), 0, 0, 0]));
        const cases: [Buffer, string][] = [
            [Buffer.concat([Buffer.from([0xff, 0xfe]), le16]), "UTF-16LE"],
            [Buffer.concat([Buffer.from([0xfe, 0xff]), be16]), "UTF-16BE"],
            [le16, "UTF-16LE"],
            [be16, "UTF-16BE"],
            [Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), le32]), "UTF-32LE"],
            [le32, "UTF-32LE"],
            [Buffer.from([...JSON_TEXT].flatMap((c) => [0, 0, 0, c.charCodeAt(0)])), "UTF-32BE"],
        ];
        for (const [bytes, encoding] of cases) {
            assert.throws(
                () => decodeUtf8(bytes, "preview file p.json"),
                new GateError(`preview file p.json is ${encoding}, not UTF-8; write it as UTF-8 (e.g. iconv -f ${encoding} -t UTF-8)`),
                encoding,
            );
        }
    });

    it("gives the offset of the first byte that is not UTF-8", function () {
        const cases: [Buffer, string][] = [
            [Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d]), "byte 0xe9 at offset 2"],
            [Buffer.concat([Buffer.from("\uFFFD"), Buffer.from([0xff])]), "byte 0xff at offset 3"],
            [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf, 0x41]), Buffer.from([0xc3])]), "byte 0xc3 at offset 4"],
        ];
        for (const [bytes, where] of cases) {
            assert.throws(() => decodeUtf8(bytes, "f"), new GateError(`f is not UTF-8: ${where} is not valid UTF-8`), where);
        }
    });

    it("reads files, naming a missing file or a directory", function () {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gate-text-"));
        const file = path.join(dir, "p.json");
        fs.writeFileSync(file, JSON_TEXT);
        assert.equal(readUtf8File(file, "preview file"), JSON_TEXT);
        assert.throws(
            () => readUtf8File(path.join(dir, "none.json"), "preview file x"),
            new GateError("cannot read preview file x: no such file"),
        );
        assert.throws(() => readUtf8File(dir, "preview file d"), new GateError("cannot read preview file d: is a directory"));
        fs.rmSync(dir, { recursive: true });
    });
});
