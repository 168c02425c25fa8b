/**
 * The feedback files written beside the uploads, under `feedback/` in the transfer bucket: what an
 * archivist reads to learn what became of a package. One JSON document per outcome, named after the
 * upload: `feedback/<key>.started.json`, then `feedback/<key>.stored.json` or `feedback/<key>.failed.json`
 * (refusals are `.failed.json` too). A folder-shaped upload gets one `feedback/<first>/<second>.failed.json`.
 * Every document names the object version it is about, so a re-upload under the same name (a new
 * version) is never confused with the old one; the bucket is versioned and keeps older feedback.
 */

import { isControlCharacter } from "./package-key";

export const FEEDBACK_PREFIX = "feedback/";

export type Outcome = "started" | "stored" | "failed" | "backlog";

/** The key an upload's (or folder's) feedback of this outcome is written to. */
export function feedbackKey(subjectKey: string, outcome: Outcome): string {
    // Control characters are refused in uploads but must not leak into our own keys either.
    const safe = [...subjectKey.replace(/\/+$/, "")].map((c) => (isControlCharacter(c) ? "_" : c)).join("");
    return `${FEEDBACK_PREFIX}${safe}.${outcome}.json`;
}

/** The upload a document is about. */
export interface Upload {
    bucket: string;
    key: string;
    versionId: string;
}

function header(upload: Upload, outcome: Outcome) {
    return { object: `s3://${upload.bucket}/${upload.key}`, versionId: upload.versionId, outcome };
}

/** Stable, readable JSON (two-space indent, trailing newline): the same facts always give the same bytes. */
export function render(document: Record<string, unknown>): string {
    return `${JSON.stringify(document, null, 2)}\n`;
}

export function refusedDocument(upload: Upload, reason: string, at: string): Record<string, unknown> {
    return { ...header(upload, "failed"), stage: "refused before starting", reason, at, note: "the object was left as it is" };
}

export function folderRefusedDocument(bucket: string, prefix: string, reason: string, at: string): Record<string, unknown> {
    return {
        folder: `s3://${bucket}/${prefix}`,
        outcome: "failed",
        stage: "refused before starting",
        reason,
        at,
        note: "the objects were left as they are",
    };
}

export interface Started {
    processingConfig: string;
    transferType: string;
    transferName: string;
    transferUuid: string;
    startedAt: string;
    /** Set by the monitor when the transfer waits for a decision in the dashboard. */
    waitingFor?: string;
}

export function startedDocument(upload: Upload, s: Started): Record<string, unknown> {
    return {
        ...header(upload, "started"),
        processingConfig: s.processingConfig,
        transferType: s.transferType,
        transferName: s.transferName,
        transferUuid: s.transferUuid,
        startedAt: s.startedAt,
        ...(s.waitingFor ? { waitingFor: s.waitingFor } : {}),
        next: `the outcome will be written to ${feedbackKey(upload.key, "stored")} or ${feedbackKey(upload.key, "failed")}`,
    };
}

export interface Stored {
    transferUuid: string;
    aipUuid: string;
    aipObject: string;
    storedAt: string;
}

export function storedDocument(upload: Upload, s: Stored): Record<string, unknown> {
    return { ...header(upload, "stored"), transferUuid: s.transferUuid, aipUuid: s.aipUuid, aip: s.aipObject, storedAt: s.storedAt };
}

export interface Failed {
    transferUuid?: string;
    sipUuid?: string;
    /** "never started" for a unit MCPServer never gave a job (core/follow.ts `neverStarted`). */
    stage?: string;
    /** The job that failed (its name in the dashboard), when one did. */
    failedJob: string | null;
    microservice: string | null;
    message: string;
    /** The dashboard's answers, as it gave them, when they are the evidence (a unit that never started). */
    dashboard?: { request: string; http: number; message: string }[];
    failedAt: string;
}

export function failedDocument(upload: Upload, f: Failed): Record<string, unknown> {
    return {
        ...header(upload, "failed"),
        ...(f.transferUuid ? { transferUuid: f.transferUuid } : {}),
        ...(f.sipUuid ? { sipUuid: f.sipUuid } : {}),
        ...(f.stage ? { stage: f.stage } : {}),
        failedJob: f.failedJob,
        microservice: f.microservice,
        message: f.message,
        ...(f.dashboard ? { dashboard: f.dashboard } : {}),
        failedAt: f.failedAt,
    };
}

export function backlogDocument(upload: Upload, transferUuid: string, at: string): Record<string, unknown> {
    return {
        ...header(upload, "backlog"),
        transferUuid,
        message:
            "the processing configuration sent the transfer to the backlog; no AIP was made (arrange it into a SIP in the dashboard's Ingest tab)",
        at,
    };
}
