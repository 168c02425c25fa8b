/**
 * One row of the ingest table per uploaded object version (and one per refused folder): the
 * idempotency record that makes a replayed or duplicated S3 event start nothing, and the state the
 * monitor follows to the end. Primary key: `key` (partition) + `versionId` (sort). The sparse index
 * `open` (partition `open` = "open", sort `openSince`) holds only unfinished transfers, oldest first.
 */

export type RecordState =
    /** Claimed by one SQS message (`claimId`); `dashboardCalledAt` is set just before the start request. */
    | "CLAIMED"
    /** The dashboard answered 202: `transferUuid` is known and the monitor follows it. */
    | "STARTED"
    | "STORED"
    | "FAILED"
    | "BACKLOG"
    | "REFUSED"
    /** The start request may have reached the dashboard but its answer was lost: never retried. */
    | "UNKNOWN"
    /** A newer version of the same key was uploaded before this one could start; that one is started. */
    | "SUPERSEDED";

export const FINAL_STATES: readonly RecordState[] = ["STORED", "FAILED", "BACKLOG", "REFUSED", "UNKNOWN", "SUPERSEDED"];

/** The `versionId` sort key of a folder refusal's row (S3 version ids never take this form). */
export const FOLDER_VERSION = "(folder)";

/** The sparse index of unfinished transfers (partition `open`, sort `openSince`). */
export const OPEN_INDEX = "open";

/** Value of the `open` attribute while a transfer is unfinished (the sparse index's partition). */
export const OPEN = "open";

export interface IngestRecord {
    key: string;
    versionId: string;
    bucket: string;
    size: number;
    state: RecordState;
    processingConfig?: string;
    transferType?: string;
    transferName?: string;
    claimId?: string;
    /** Epoch milliseconds after which another message may take the claim over. */
    claimExpiresAt?: number;
    dashboardCalledAt?: string;
    transferUuid?: string;
    sipUuid?: string;
    /** Which unit the monitor follows now, and since when (the start-grace clock). */
    phase?: "transfer" | "ingest";
    phaseSince?: string;
    waitingFor?: string;
    startedAt?: string;
    finishedAt?: string;
    updatedAt: string;
    aipUuid?: string;
    aipObject?: string;
    failedJob?: string | null;
    microservice?: string | null;
    message?: string;
    refusalCode?: string;
    open?: typeof OPEN;
    openSince?: string;
    /** TTL (epoch seconds): a finished row is kept this long, then DynamoDB deletes it. */
    expiresAt?: number;
}

/** How long finished rows stay (S3 does not redeliver events this old; the feedback files stay). */
export const FINISHED_ROW_DAYS = 400;

export function expiryFor(finishedAt: Date): number {
    return Math.floor(finishedAt.getTime() / 1000) + FINISHED_ROW_DAYS * 86400;
}
