/**
 * The S3 "Object Created" event as EventBridge delivers it (the SQS message body is the event):
 * `detail.bucket.name`, `detail.object.{key,size,etag,version-id,sequencer}`, `time`. EventBridge
 * gives the key as it is, not URL-encoded (unlike S3 event notifications to SQS).
 */

export interface ObjectCreated {
    bucket: string;
    key: string;
    size: number;
    versionId: string;
    time: string;
}

export type ParsedEvent = { kind: "object-created"; event: ObjectCreated } | { kind: "other"; why: string };

export function parseObjectCreated(body: string): ParsedEvent {
    let event: unknown;
    try {
        event = JSON.parse(body);
    } catch {
        return { kind: "other", why: "the message is not JSON" };
    }
    const e = event as {
        source?: unknown;
        "detail-type"?: unknown;
        time?: unknown;
        detail?: { bucket?: { name?: unknown }; object?: Record<string, unknown> };
    };
    if (e?.source !== "aws.s3" || e["detail-type"] !== "Object Created") return { kind: "other", why: "not an S3 Object Created event" };
    const object = e.detail?.object ?? {};
    const bucket = e.detail?.bucket?.name;
    const { key, size } = object;
    const versionId = object["version-id"];
    if (typeof bucket !== "string" || typeof key !== "string" || typeof size !== "number" || typeof e.time !== "string")
        return { kind: "other", why: "the event lacks bucket, key, size or time" };
    // An unversioned bucket has no version id; S3 calls that version "null".
    return {
        kind: "object-created",
        event: { bucket, key, size, versionId: typeof versionId === "string" && versionId ? versionId : "null", time: e.time },
    };
}

/** Deliveries of one message before SQS moves it to the dead-letter queue (the queue's redrive policy). */
export const MAX_RECEIVE_COUNT = 8;

/** SQS redelivery backoff: 1, 2, 4, 8 minutes, then 15 minutes for every later attempt. */
export function retryDelaySeconds(receiveCount: number): number {
    return Math.min(60 * 2 ** Math.max(0, receiveCount - 1), 900);
}
