/**
 * Lists an uploaded archive's members without downloading more than needed: a zip by two or three
 * ranged reads (its end record, then its central directory), a .tgz / .tar.gz by streaming it
 * through gunzip and reading only the tar headers.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { createGunzip } from "node:zlib";
import {
    ArchiveError,
    parseCentralDirectory,
    parseZip64Record,
    parseZipTail,
    TarNameScanner,
    ZIP64_RECORD_BYTES,
    ZIP_TAIL_BYTES,
} from "../core/archive-listing";
import type { ArchiveExtension } from "../core/package-key";
import { openVersion, readRange } from "./bucket";

export interface Version {
    bucket: string;
    key: string;
    versionId: string;
    size: number;
}

async function zipMembers(s3: S3Client, v: Version): Promise<string[]> {
    const tailStart = Math.max(0, v.size - ZIP_TAIL_BYTES);
    const tail = await readRange(s3, v.bucket, v.key, v.versionId, tailStart, v.size - 1);
    let where = parseZipTail(tail);
    if (where.kind === "zip64-record") {
        const record = await readRange(s3, v.bucket, v.key, v.versionId, where.offset, where.offset + ZIP64_RECORD_BYTES - 1);
        where = { kind: "directory", ...parseZip64Record(record) };
    }
    if (where.entries === 0) return [];
    if (where.offset + where.size > v.size) throw new ArchiveError("its central directory lies beyond the end of the file");
    const directory = await readRange(s3, v.bucket, v.key, v.versionId, where.offset, where.offset + where.size - 1);
    return parseCentralDirectory(directory, where.entries);
}

async function tarGzMembers(s3: S3Client, v: Version): Promise<string[]> {
    const source = await openVersion(s3, v.bucket, v.key, v.versionId);
    const scanner = new TarNameScanner();
    const gunzip = createGunzip();
    try {
        await new Promise<void>((resolve, reject) => {
            gunzip.on("data", (chunk: Buffer) => {
                scanner.push(chunk);
                if (scanner.ended) resolve();
            });
            gunzip.on("end", resolve);
            gunzip.on("error", (err) => reject(new ArchiveError(`gzip: ${err.message}`)));
            source.on("error", reject);
            source.pipe(gunzip);
        });
    } finally {
        source.unpipe(gunzip);
        source.destroy();
        gunzip.destroy();
    }
    return scanner.names;
}

/** Member names; throws ArchiveError when the archive cannot be read (the upload is refused). */
export function archiveMembers(s3: S3Client, v: Version, extension: ArchiveExtension): Promise<string[]> {
    return extension === ".zip" ? zipMembers(s3, v) : tarGzMembers(s3, v);
}
