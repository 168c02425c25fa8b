/**
 * Reading member names out of real zips (Python's zipfile, Zip64 included) and tar.gz files (GNU, pax
 * and ustar headers, fed in awkward chunk sizes), and telling a zipped bag from a zipped directory.
 */
import * as assert from "assert";
import { gunzipSync } from "node:zlib";
import {
    ArchiveError,
    isBag,
    parseCentralDirectory,
    parseZip64Record,
    parseZipTail,
    TarNameScanner,
    transferTypeFor,
    ZIP64_RECORD_BYTES,
    ZIP_TAIL_BYTES,
} from "../../functions/ingest/core/archive-listing";
import { bagMembers, tarGzOf, zipOf } from "./archives";

/** The zip's member names, read the way the starter reads them (tail, maybe Zip64 record, directory). */
function zipNames(zip: Buffer): string[] {
    const tailStart = Math.max(0, zip.length - ZIP_TAIL_BYTES);
    let where = parseZipTail(zip.subarray(tailStart));
    if (where.kind === "zip64-record")
        where = { kind: "directory", ...parseZip64Record(zip.subarray(where.offset, where.offset + ZIP64_RECORD_BYTES)) };
    return parseCentralDirectory(zip.subarray(where.offset, where.offset + where.size), where.entries);
}

function tarNames(tgz: Buffer, chunk: number): string[] {
    const tar = gunzipSync(tgz);
    const scanner = new TarNameScanner();
    for (let i = 0; i < tar.length && !scanner.ended; i += chunk) scanner.push(tar.subarray(i, i + chunk));
    assert.ok(scanner.ended, "the end-of-archive marker was seen");
    return scanner.names;
}

describe("ingest: archive listing", () => {
    it("lists a zip's members, UTF-8 names included", () => {
        assert.deepStrictEqual(zipNames(zipOf({ "box-17/a.txt": "a", "box-17/Brief an Ämter.txt": "b" })), [
            "box-17/a.txt",
            "box-17/Brief an Ämter.txt",
        ]);
    });

    it("finds the end record behind a comment that itself contains the record's signature", () => {
        assert.deepStrictEqual(zipNames(zipOf({ "a.txt": "a" }, { comment: "PK\u0005\u0006 not the end" })), ["a.txt"]);
    });

    it("follows the Zip64 locator to the Zip64 end record", () => {
        const zip = zipOf({ "a/bagit.txt": "x", "a/data/b.txt": "y" }, { zip64: true });
        // Python writes the Zip64 records but keeps small values in the classic record; a writer that
        // needs Zip64 puts 0xFFFF / 0xFFFFFFFF there (APPNOTE 4.4.1.4), which is what we must follow.
        const eocd = zip.length - 22;
        assert.strictEqual(zip.readUInt32LE(eocd), 0x06054b50);
        zip.writeUInt16LE(0xffff, eocd + 8);
        zip.writeUInt16LE(0xffff, eocd + 10);
        zip.writeUInt32LE(0xffffffff, eocd + 12);
        zip.writeUInt32LE(0xffffffff, eocd + 16);
        const tail = parseZipTail(zip.subarray(Math.max(0, zip.length - ZIP_TAIL_BYTES)));
        assert.strictEqual(tail.kind, "zip64-record");
        assert.deepStrictEqual(zipNames(zip), ["a/bagit.txt", "a/data/b.txt"]);
    });

    it("refuses what is not a zip, and a truncated central directory", () => {
        assert.throws(() => parseZipTail(Buffer.from("not a zip at all, just text".repeat(10))), {
            name: "ArchiveError",
            message: "no end-of-central-directory record (not a zip file, or truncated)",
        });
        assert.throws(
            () => parseCentralDirectory(Buffer.alloc(10), 2),
            (err: Error) => err instanceof ArchiveError && err.message === "its central directory ends after 0 of 2 entries",
        );
    });

    for (const format of ["gnu", "pax", "ustar"] as const) {
        it(`lists a tar.gz's members (${format} headers, long names), read 7 bytes at a time`, () => {
            const long = `box-17/${"deep/".repeat(25)}letter.txt`;
            const members: Record<string, string> =
                format === "ustar"
                    ? { "box-17/bagit.txt": "x", "box-17/data/a.txt": "y" }
                    : { "box-17/bagit.txt": "x", [long]: "y", "box-17/Ämter.txt": "z" };
            assert.deepStrictEqual(tarNames(tarGzOf(members, format), 7), Object.keys(members));
        });
    }

    it("reads the ustar prefix field of a path longer than 100 characters", () => {
        const long = `${"p".repeat(120)}/letter.txt`;
        assert.deepStrictEqual(tarNames(tarGzOf({ [long]: "y" }, "ustar"), 4096), [long]);
    });

    const cases: [string, Record<string, string>, boolean][] = [
        ["bagit.txt at the root", bagMembers(""), true],
        ["a bag in the only top-level directory", bagMembers("box-17"), true],
        [
            "a bag in the only top-level directory, with a processingMCP.xml beside it",
            { ...bagMembers("box-17"), "processingMCP.xml": "<processingMCP/>" },
            true,
        ],
        ["a bag beside another top-level entry", { ...bagMembers("box-17"), "notes.txt": "n" }, false],
        ["bagit.txt one level too deep", bagMembers("box-17/inner"), false],
        ["plain files", { "box-17/a.txt": "a", "box-17/b.txt": "b" }, false],
    ];
    for (const [what, members, bag] of cases) {
        it(`${bag ? "a zipped bag" : "a zipped directory"}: ${what}`, () => {
            assert.strictEqual(isBag(zipNames(zipOf(members))), bag);
            assert.strictEqual(transferTypeFor(tarNames(tarGzOf(members), 512)), bag ? "zipped bag" : "zipfile");
        });
    }

    it("normalises ./ prefixes and directory entries", () => {
        assert.strictEqual(isBag(["./", "./box/", "./box/bagit.txt", "./box/data/"]), true);
    });
});
