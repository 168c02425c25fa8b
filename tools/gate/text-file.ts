/**
 * Reading the gate's input files (preview, policy config) as UTF-8 text. A file in another encoding is
 * refused with the encoding named, instead of going to the JSON parser as mojibake full of NUL bytes
 * (PowerShell's `>` writes UTF-16LE, for one).
 */
import * as fs from "fs";
import { collapseWhitespace, GateError } from "./errors";

/** Byte-order marks, longest first (UTF-32LE's begins with UTF-16LE's). */
const BOMS: readonly { bytes: readonly number[]; encoding: string }[] = [
    { bytes: [0xff, 0xfe, 0x00, 0x00], encoding: "UTF-32LE" },
    { bytes: [0x00, 0x00, 0xfe, 0xff], encoding: "UTF-32BE" },
    { bytes: [0xff, 0xfe], encoding: "UTF-16LE" },
    { bytes: [0xfe, 0xff], encoding: "UTF-16BE" },
];

/** The UTF-8 byte-order mark, which some Windows tools write and which JSON parsers reject; it is dropped. */
const UTF8_BOM = [0xef, 0xbb, 0xbf];

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
    return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

/** The encoding a file without a byte-order mark is in, judged by where its NUL bytes are (ASCII text in UTF-16/32). */
function guessWideEncoding(bytes: Uint8Array): string | undefined {
    if (bytes.length < 4) return undefined;
    const [a, b, c, d] = bytes;
    if (a !== 0 && b === 0 && c === 0 && d === 0) return "UTF-32LE";
    if (a === 0 && b === 0 && c === 0 && d !== 0) return "UTF-32BE";
    if (a !== 0 && b === 0) return "UTF-16LE";
    if (a === 0 && b !== 0) return "UTF-16BE";
    return undefined;
}

/**
 * `bytes` as UTF-8 text; GateError naming the encoding for UTF-16/UTF-32 (with or without a byte-order
 * mark) and the offset of the first invalid byte for anything else that is not UTF-8.
 */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
    const bom = BOMS.find((m) => startsWith(bytes, m.bytes));
    const wide = bom?.encoding ?? guessWideEncoding(bytes);
    if (wide) throw new GateError(`${what} is ${wide}, not UTF-8; write it as UTF-8 (e.g. iconv -f ${wide} -t UTF-8)`);
    const body = startsWith(bytes, UTF8_BOM) ? bytes.subarray(UTF8_BOM.length) : bytes;
    try {
        return new TextDecoder("utf-8", { fatal: true }).decode(body);
    } catch {
        const offset = firstInvalidUtf8(body);
        throw new GateError(
            `${what} is not UTF-8: byte 0x${body[offset].toString(16).padStart(2, "0")} at offset ${offset + (body === bytes ? 0 : 3)} is not valid UTF-8`,
        );
    }
}

/** Offset of the first byte that is not part of valid UTF-8 (the replacement character a lenient decode puts there). */
function firstInvalidUtf8(bytes: Uint8Array): number {
    const text = new TextDecoder("utf-8").decode(bytes);
    for (let at = text.indexOf("\uFFFD"); at >= 0; at = text.indexOf("\uFFFD", at + 1)) {
        const offset = Buffer.byteLength(text.slice(0, at), "utf8");
        // A U+FFFD the file really holds is EF BF BD; only a decoding failure is reported.
        if (!(bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd)) return offset;
    }
    return 0;
}

/** `52.3 MiB`. */
function mib(bytes: number): string {
    return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * Reads `file` as UTF-8, at most `maxBytes` (read in chunks, so a pipe or a growing file is bounded
 * too); every problem is a one-line GateError that begins with `what`. `tooLarge` says what to do
 * instead when the file is larger.
 */
export function readUtf8File(file: string, what: string, maxBytes = Infinity, tooLarge = ""): string {
    let bytes: Buffer;
    let fd: number | undefined;
    try {
        fd = fs.openSync(file, "r");
        if (fs.fstatSync(fd).isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
        const chunks: Buffer[] = [];
        let total = 0;
        for (;;) {
            const chunk = Buffer.allocUnsafe(Math.min(1024 * 1024, Number.isFinite(maxBytes) ? maxBytes + 1 - total : 1024 * 1024) || 1);
            const n = fs.readSync(fd, chunk, 0, chunk.length, null);
            if (n === 0) break;
            chunks.push(chunk.subarray(0, n));
            total += n;
            if (total > maxBytes) {
                const size = fs.fstatSync(fd).size;
                throw new GateError(
                    `${what} is ${size > maxBytes ? mib(size) : `more than ${mib(maxBytes)}`}, more than the ${mib(maxBytes)} the gate reads${tooLarge ? `; ${tooLarge}` : ""}`,
                );
            }
        }
        bytes = Buffer.concat(chunks, total);
    } catch (e) {
        if (e instanceof GateError) throw e;
        const code = (e as NodeJS.ErrnoException).code;
        const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : collapseWhitespace((e as Error).message);
        throw new GateError(`cannot read ${what}: ${reason}`);
    } finally {
        if (fd !== undefined) fs.closeSync(fd);
    }
    return decodeUtf8(bytes, what);
}
