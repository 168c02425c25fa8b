/**
 * The member names of an archive, read without unpacking it, and what they make it for
 * Archivematica: a zipped bag or a zipped directory. Pure: byte buffers in, names out.
 *
 * Zip: the end-of-central-directory record (and its Zip64 form) at the end of the file points at the
 * central directory, which lists every member (PKWARE APPNOTE 6.3.x, sections 4.3.12–4.3.16); two
 * ranged reads of the object are enough. Tar (inside .tgz / .tar.gz): 512-byte headers, the name in
 * bytes 0–99, the ustar prefix in 345–499, GNU long names (type `L`) and pax `path=` records (type
 * `x`); the data blocks between headers are skipped.
 */

/** Bytes to read from the end of a zip: the 22-byte record, a comment of up to 65,535 bytes, the Zip64 locator. */
export const ZIP_TAIL_BYTES = 22 + 0xffff + 20;

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL_HEADER = 0x02014b50;

export class ArchiveError extends Error {
    override name = "ArchiveError";
}

export type ZipTail = { kind: "directory"; offset: number; size: number; entries: number } | { kind: "zip64-record"; offset: number };

/** Finds the central directory (or the Zip64 record that points at it) from the last bytes of a zip. */
export function parseZipTail(tail: Buffer): ZipTail {
    for (let i = tail.length - 22; i >= 0; i--) {
        if (tail.readUInt32LE(i) !== EOCD) continue;
        const commentLength = tail.readUInt16LE(i + 20);
        if (i + 22 + commentLength !== tail.length) continue; // a signature inside the comment
        const entries = tail.readUInt16LE(i + 10);
        const size = tail.readUInt32LE(i + 12);
        const offset = tail.readUInt32LE(i + 16);
        if (entries !== 0xffff && size !== 0xffffffff && offset !== 0xffffffff) return { kind: "directory", offset, size, entries };
        const locator = i - 20;
        if (locator < 0 || tail.readUInt32LE(locator) !== ZIP64_LOCATOR) throw new ArchiveError("its Zip64 end record has no locator");
        return { kind: "zip64-record", offset: Number(tail.readBigUInt64LE(locator + 8)) };
    }
    throw new ArchiveError("no end-of-central-directory record (not a zip file, or truncated)");
}

/** Bytes of a Zip64 end-of-central-directory record that we read. */
export const ZIP64_RECORD_BYTES = 56;

export function parseZip64Record(record: Buffer): { offset: number; size: number; entries: number } {
    if (record.length < ZIP64_RECORD_BYTES || record.readUInt32LE(0) !== ZIP64_EOCD)
        throw new ArchiveError("its Zip64 end-of-central-directory record is missing");
    return {
        entries: Number(record.readBigUInt64LE(32)),
        size: Number(record.readBigUInt64LE(40)),
        offset: Number(record.readBigUInt64LE(48)),
    };
}

/** The member names listed in a central directory. */
export function parseCentralDirectory(directory: Buffer, entries: number): string[] {
    const names: string[] = [];
    let at = 0;
    for (let n = 0; n < entries; n++) {
        if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL_HEADER)
            throw new ArchiveError(`its central directory ends after ${n} of ${entries} entries`);
        const utf8 = (directory.readUInt16LE(at + 8) & 0x0800) !== 0;
        const nameLength = directory.readUInt16LE(at + 28);
        const extraLength = directory.readUInt16LE(at + 30);
        const commentLength = directory.readUInt16LE(at + 32);
        const name = directory.subarray(at + 46, at + 46 + nameLength);
        names.push(name.toString(utf8 ? "utf8" : "latin1"));
        at += 46 + nameLength + extraLength + commentLength;
    }
    return names;
}

/**
 * Reads tar headers from consecutive chunks of an uncompressed tar stream: a small state machine
 * (header → skip the member's data, or header → read a GNU long-name / pax payload → next header).
 */
export class TarNameScanner {
    readonly names: string[] = [];
    /** True once the end-of-archive marker (a zero block) was seen. */
    ended = false;
    private buffered = Buffer.alloc(0);
    private state: { kind: "header" } | { kind: "skip"; bytes: number } | { kind: "payload"; type: string; size: number; padded: number } =
        {
            kind: "header",
        };
    private longName: string | undefined;

    push(chunk: Buffer): void {
        let data = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
        while (!this.ended) {
            const state = this.state;
            if (state.kind === "skip") {
                const skipped = Math.min(state.bytes, data.length);
                data = data.subarray(skipped);
                this.state = state.bytes === skipped ? { kind: "header" } : { kind: "skip", bytes: state.bytes - skipped };
                if (data.length === 0) break;
            } else if (state.kind === "payload") {
                if (data.length < state.padded) break;
                this.payload(state.type, data.subarray(0, state.size).toString("utf8"));
                data = data.subarray(state.padded);
                this.state = { kind: "header" };
            } else {
                if (data.length < 512) break;
                this.header(data.subarray(0, 512));
                data = data.subarray(512);
            }
        }
        this.buffered = this.ended ? Buffer.alloc(0) : Buffer.from(data);
    }

    private header(block: Buffer): void {
        if (block.every((b) => b === 0)) {
            this.ended = true;
            return;
        }
        const size = parseOctal(block.subarray(124, 136));
        const type = String.fromCharCode(block[156]);
        const padded = Math.ceil(size / 512) * 512;
        if (type === "L" || type === "x") {
            this.state = { kind: "payload", type, size, padded };
            return;
        }
        const prefix = cString(block.subarray(345, 500));
        const own = cString(block.subarray(0, 100));
        const name = this.longName ?? (prefix ? `${prefix}/${own}` : own);
        this.longName = undefined;
        if (type !== "g") this.names.push(name);
        this.state = padded > 0 ? { kind: "skip", bytes: padded } : { kind: "header" };
    }

    private payload(type: string, body: string): void {
        this.longName = type === "L" ? body.replace(/\0+$/, "") : (paxPath(body) ?? this.longName);
    }
}

function parseOctal(field: Buffer): number {
    const text = cString(field).trim();
    return text ? parseInt(text, 8) : 0;
}

function cString(field: Buffer): string {
    const end = field.indexOf(0);
    return field.subarray(0, end === -1 ? field.length : end).toString("utf8");
}

/** The `path` of a pax extended header (records `"<len> key=value\n"`). */
function paxPath(records: string): string | undefined {
    for (const line of records.split("\n")) {
        const match = /^\d+ path=(.*)$/.exec(line);
        if (match) return match[1];
    }
    return undefined;
}

/** A member name as a relative path without `./` or a trailing slash. */
function normalise(name: string): string {
    return name.replace(/^(\.\/)+/, "").replace(/\/+$/, "");
}

/**
 * A zipped bag for Archivematica: `bagit.txt` at the root, or inside the archive's only top-level
 * directory (MCPClient extract_zipped_transfer.py with --bag moves that directory up, ignoring a
 * `processingMCP.xml` beside it). Anything else is a zipped directory.
 */
export function isBag(memberNames: readonly string[]): boolean {
    const names = memberNames.map(normalise).filter((n) => n !== "");
    if (names.includes("bagit.txt")) return true;
    const topLevel = new Set(names.map((n) => n.split("/")[0]));
    topLevel.delete("processingMCP.xml");
    if (topLevel.size !== 1) return false;
    const [only] = topLevel;
    return names.includes(`${only}/bagit.txt`);
}

/** The `type` for `/api/v2beta/package` (MCPServer PACKAGE_TYPE_STARTING_POINTS keys). */
export type TransferType = "zipped bag" | "zipfile";

export function transferTypeFor(memberNames: readonly string[]): TransferType {
    return isBag(memberNames) ? "zipped bag" : "zipfile";
}
