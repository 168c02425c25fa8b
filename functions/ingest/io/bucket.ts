/** The S3 reads and writes of hands-off ingest: the upload (read only, by version) and the feedback files. */
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { Readable } from "node:stream";

function isNotFound(err: unknown): boolean {
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    return e?.name === "NotFound" || e?.name === "NoSuchKey" || e?.name === "NoSuchVersion" || e?.$metadata?.httpStatusCode === 404;
}

/** The current version of a key (HeadObject without a version), or undefined when the key is gone. */
export async function currentVersion(s3: S3Client, bucket: string, key: string): Promise<string | undefined> {
    try {
        const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return head.VersionId ?? "null";
    } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
    }
}

/** Bytes `start`..`end` (inclusive) of one object version. */
export async function readRange(s3: S3Client, bucket: string, key: string, versionId: string, start: number, end: number): Promise<Buffer> {
    const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId, Range: `bytes=${start}-${end}` }));
    return Buffer.from(await answer.Body!.transformToByteArray());
}

/** One object version as a stream (the caller may stop reading early: it destroys the stream). */
export async function openVersion(s3: S3Client, bucket: string, key: string, versionId: string): Promise<Readable> {
    const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
    return answer.Body as Readable;
}

export async function putJson(s3: S3Client, bucket: string, key: string, text: string): Promise<void> {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: text, ContentType: "application/json" }));
}

/** An object's text, or undefined when it does not exist. */
export async function getText(s3: S3Client, bucket: string, key: string): Promise<string | undefined> {
    try {
        const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return await answer.Body!.transformToString("utf-8");
    } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
    }
}
