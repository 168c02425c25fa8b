/** Which uploads the starter takes, ignores or refuses, with the exact reason each refusal's feedback gives. */
import * as assert from "assert";
import { classifyKey, humanBytes, RESERVED_CONFIG_NAMES, type KeyVerdict } from "../../functions/ingest/core/package-key";

const RULES = { configs: ["automated", "default", "ocr_only"], maxBytes: 20 * 2 ** 30 };

describe("ingest: classifyKey", () => {
    const accepted: [string, KeyVerdict][] = [
        [
            "automated/2026-12-box-17.zip",
            { kind: "accept", config: "automated", fileName: "2026-12-box-17.zip", name: "2026-12-box-17", extension: ".zip" },
        ],
        ["default/Box 17.TAR.GZ", { kind: "accept", config: "default", fileName: "Box 17.TAR.GZ", name: "Box 17", extension: ".tar.gz" }],
        ["ocr_only/letters.tgz", { kind: "accept", config: "ocr_only", fileName: "letters.tgz", name: "letters", extension: ".tgz" }],
    ];
    for (const [key, verdict] of accepted) it(`accepts ${key}`, () => assert.deepStrictEqual(classifyKey(key, 1024, RULES), verdict));

    const ignored: [string, string][] = [
        ["feedback/automated/x.zip.started.json", "under feedback/"],
        ["transfers/my-transfer/a.txt", "under transfers/"],
        ["automated/", "a folder marker for a processing configuration"],
    ];
    for (const [key, why] of ignored)
        it(`ignores ${key}`, () => assert.deepStrictEqual(classifyKey(key, 0, RULES), { kind: "ignore", why }));

    const refused: [string, number, string, string, string?][] = [
        ["automated/box\n17.zip", 10, "control-character", "the object key contains a control character (U+000A); rename it without one"],
        ["automated/box\u009b.zip", 10, "control-character", "the object key contains a control character (U+009B); rename it without one"],
        ["automated/../x.zip", 10, "dot-segment", 'the object key contains a "." or ".." path segment; rename it'],
        [
            "box-17.zip",
            10,
            "no-config-prefix",
            "the object is not under a processing configuration; upload it as <configuration>/box-17.zip, configuration one of: automated, default, ocr_only",
        ],
        [
            "fast/box-17.zip",
            10,
            "unknown-config",
            '"fast" is not a processing configuration of this stack; valid: automated, default, ocr_only',
        ],
        [
            "fast/box-17/a.tif",
            10,
            "unknown-config",
            '"fast" is not a processing configuration of this stack; valid: automated, default, ocr_only',
            "fast/box-17/",
        ],
        [
            "automated/box-17/objects/a.tif",
            10,
            "folder",
            '"automated/box-17/" is a folder: upload each transfer as one archive (.zip, .tgz, .tar.gz) directly under automated/, e.g. automated/box-17.zip',
            "automated/box-17/",
        ],
        [
            "automated/box-17/",
            0,
            "folder",
            '"automated/box-17/" is a folder: upload each transfer as one archive (.zip, .tgz, .tar.gz) directly under automated/, e.g. automated/box-17.zip',
            "automated/box-17/",
        ],
        [
            "automated/box-17.rar",
            10,
            "unsupported-extension",
            '"box-17.rar" is not an archive Archivematica can start; valid extensions: .zip, .tgz, .tar.gz',
        ],
        [
            "automated/box-17.tar",
            10,
            "unsupported-extension",
            '"box-17.tar" is not an archive Archivematica can start; valid extensions: .zip, .tgz, .tar.gz',
        ],
        ["automated/.zip", 10, "no-name", '".zip" has no name before its extension'],
        ["automated/box-17.zip", 0, "empty", "the object is empty (0 bytes)"],
        [
            "automated/box-17.zip",
            20 * 2 ** 30 + 1,
            "too-large",
            "the object is 20 GiB (21474836481 bytes), more than this stack takes (maxTransferSizeGiB: 20 GiB)",
        ],
        [
            "automated/box-17.zip",
            25.5 * 2 ** 30,
            "too-large",
            "the object is 25.5 GiB (27380416512 bytes), more than this stack takes (maxTransferSizeGiB: 20 GiB)",
        ],
    ];
    for (const [key, size, code, reason, folder] of refused)
        it(`refuses ${JSON.stringify(key)} (${size} bytes): ${code}`, () =>
            assert.deepStrictEqual(classifyKey(key, size, RULES), {
                kind: "refuse",
                code,
                reason,
                subject: folder ? { kind: "folder", prefix: folder } : { kind: "object" },
            }));

    it("keeps the archive's own extension case in the name and accepts exactly the maximum", () => {
        assert.strictEqual(classifyKey("automated/a.ZIP", RULES.maxBytes, RULES).kind, "accept");
    });

    it("reserves the prefixes it ignores: they can never be processing configurations", () => {
        assert.deepStrictEqual(RESERVED_CONFIG_NAMES, ["feedback", "transfers"]);
    });

    it("prints sizes the way an archivist reads them", () => {
        assert.deepStrictEqual([0, 300, 2048, 5 * 2 ** 20, 1.25 * 2 ** 30, 3 * 2 ** 40].map(humanBytes), [
            "0 bytes",
            "300 bytes",
            "2 KiB",
            "5 MiB",
            "1.3 GiB",
            "3 TiB",
        ]);
    });
});
