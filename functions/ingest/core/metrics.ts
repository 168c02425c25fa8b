/**
 * The CloudWatch metrics of hands-off ingest: one namespace, one dimension (`Environment`, the
 * stack's environment name), counts per invocation and two gauges per monitor run. The alarms and
 * the operations dashboard read the same names from here.
 */

export const INGEST_NAMESPACE = "Archivematica/Ingest";
export const ENVIRONMENT_DIMENSION = "Environment";

export const INGEST_METRICS = {
    /** Starter: a transfer was started (the dashboard answered 202). */
    started: "TransfersStarted",
    /** Starter: an upload was refused (its feedback names the reason). */
    refused: "TransfersRefused",
    /** Starter: the start request may have reached the dashboard but its answer was lost. */
    unknown: "TransfersUnknown",
    /** Monitor: an AIP was stored. */
    stored: "TransfersStored",
    /** Monitor: a transfer or its ingest failed, was rejected, or never started. */
    failed: "TransfersFailed",
    /** Monitor: the processing configuration sent the transfer to the backlog. */
    backlog: "TransfersBacklogged",
    /** Monitor: transfers started and not finished, at the end of the run. */
    unfinished: "UnfinishedTransfers",
    /** Monitor: age in seconds of the oldest unfinished transfer (0 when none). */
    oldestAge: "OldestUnfinishedTransferAge",
    /** Monitor: transfers it could not follow this run (an API answered unexpectedly). */
    errors: "MonitorErrors",
} as const;

export type IngestMetric = (typeof INGEST_METRICS)[keyof typeof INGEST_METRICS];

export interface Datum {
    MetricName: IngestMetric;
    Value: number;
    Unit: "Count" | "Seconds";
    Timestamp: Date;
    Dimensions: { Name: string; Value: string }[];
}

export function datum(name: IngestMetric, value: number, environment: string, at: Date): Datum {
    return {
        MetricName: name,
        Value: value,
        Unit: name === INGEST_METRICS.oldestAge ? "Seconds" : "Count",
        Timestamp: at,
        Dimensions: [{ Name: ENVIRONMENT_DIMENSION, Value: environment }],
    };
}
