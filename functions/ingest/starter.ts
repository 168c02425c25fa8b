/**
 * The ingest starter: a Lambda function fed by an SQS queue that EventBridge fills with the transfer
 * bucket's "Object Created" events. For each uploaded `<processing-config>/<name>.<ext>` it starts
 * exactly one Archivematica transfer per object version, or refuses the upload with a reason; either
 * way it writes feedback under `feedback/` and never deletes or moves the upload.
 *
 * Why EventBridge → SQS rather than S3 notifications → SQS: a bucket has one notification
 * configuration, which every other consumer would have to share (and fight over in Pulumi); an
 * EventBridge rule is one more independent subscriber, and its pattern can leave our own `feedback/`
 * writes out before they reach the queue. SQS in between gives the retries, the backoff and the
 * dead-letter queue.
 *
 * Exactly once, per object version (the ingest table, `core/records.ts`):
 * 1. a conditional put claims the version for this SQS message (`claimId` = message id); a duplicate
 *    event (another message) finds the claim and does nothing while it holds, or takes over an
 *    expired claim that never reached the dashboard;
 * 2. `dashboardCalledAt` is set (conditionally) right before the start request;
 * 3. the request either gets an answer — 202 starts, anything else did not start one and is retried
 *    later (the marker is cleared) — or fails before the whole request was written (retried), or after
 *    (the dashboard may have acted: never retried);
 * 4. after a 202 the transfer UUID goes into the `.started.json` feedback file first and then into the
 *    table. If the table write fails the message is retried: the retry finds its own claim with the
 *    marker set, reads the UUID back from the feedback file (it names this object version) and records
 *    it. Only when both writes failed, or the request's answer was lost, is the version marked UNKNOWN
 *    (feedback and a metric say so; an operator checks the dashboard) — never started twice.
 */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { ChangeMessageVisibilityCommand, SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { ArchiveError, transferTypeFor, type TransferType } from "./core/archive-listing";
import { parseObjectCreated, retryDelaySeconds, type ObjectCreated } from "./core/events";
import { failedDocument, feedbackKey, folderRefusedDocument, refusedDocument, render, startedDocument, type Upload } from "./core/feedback";
import { datum, INGEST_METRICS, type Datum } from "./core/metrics";
import { classifyKey, type RefusalCode } from "./core/package-key";
import { expiryFor, FOLDER_VERSION, OPEN, type IngestRecord } from "./core/records";
import { starterSettings, type StarterSettings } from "./core/settings";
import { currentVersion, getText, putJson } from "./io/bucket";
import { packageRequest, startPackage } from "./io/dashboard";
import { ApiClient, HttpFailure } from "./io/http";
import { archiveMembers } from "./io/inspect";
import { publish } from "./io/metrics";
import { SecretCache } from "./io/secrets";
import { ingestLocation } from "./io/storage-service";
import { IngestTable, type RowKey } from "./io/table";

export interface StarterDeps {
    settings: StarterSettings;
    s3: S3Client;
    table: IngestTable;
    secrets: SecretCache;
    cloudwatch: CloudWatchClient;
    sqs: SQSClient;
    now: () => Date;
    /** How long an API request may take before it counts as failed (a start request: as sent, maybe acted on). */
    httpTimeoutMs: number;
    sleep: (ms: number) => Promise<void>;
    log: (entry: Record<string, unknown>) => void;
}

export type StartResult =
    | { kind: "ignored"; why: string }
    | { kind: "refused"; code: RefusalCode; replay: boolean }
    | { kind: "started"; transferUuid: string; replay: boolean }
    | { kind: "superseded" }
    | { kind: "busy" }
    | { kind: "unknown" }
    | { kind: "finished"; state: string };

/** Thrown for a failure worth retrying later (the message goes back to the queue with a backoff). */
export class RetryLater extends Error {}

/** Attempts of a start request that failed before it was written, within one invocation. */
const QUICK_ATTEMPTS = 3;

export function createStarter(d: StarterDeps): (event: SQSEvent) => Promise<SQSBatchResponse> {
    return async (event) => {
        const failures: { itemIdentifier: string }[] = [];
        for (const record of event.Records) {
            try {
                const result = await processMessage(d, record);
                d.log({ message: record.messageId, result });
            } catch (err) {
                d.log({ message: record.messageId, retry: String(err instanceof Error ? err.message : err) });
                await delayRedelivery(d, record);
                failures.push({ itemIdentifier: record.messageId });
            }
        }
        return { batchItemFailures: failures };
    };
}

/** Backs the message off (1, 2, 4, 8, then 15 min); after the queue's maxReceiveCount it goes to the DLQ. */
async function delayRedelivery(d: StarterDeps, record: SQSRecord): Promise<void> {
    const [, , , region, account, name] = record.eventSourceARN.split(":");
    const queueUrl = `https://sqs.${region}.amazonaws.com/${account}/${name}`;
    const seconds = retryDelaySeconds(Number(record.attributes.ApproximateReceiveCount) || 1);
    try {
        await d.sqs.send(
            new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: record.receiptHandle, VisibilityTimeout: seconds }),
        );
    } catch (err) {
        d.log({ message: record.messageId, backoff: `not set: ${String(err)}` });
    }
}

export async function processMessage(d: StarterDeps, record: SQSRecord): Promise<StartResult> {
    const parsed = parseObjectCreated(record.body);
    if (parsed.kind === "other") return { kind: "ignored", why: parsed.why };
    const e = parsed.event;
    if (e.bucket !== d.settings.transferBucket) return { kind: "ignored", why: `bucket ${e.bucket} is not the transfer bucket` };
    const verdict = classifyKey(e.key, e.size, { configs: d.settings.configs, maxBytes: d.settings.maxBytes });
    if (verdict.kind === "ignore") return { kind: "ignored", why: verdict.why };
    if (verdict.kind === "refuse") {
        const folder = verdict.subject.kind === "folder" ? verdict.subject.prefix : undefined;
        return refuse(d, e, verdict.code, verdict.reason, folder);
    }
    return start(d, e, { config: verdict.config, name: verdict.name, extension: verdict.extension }, record.messageId);
}

function upload(e: ObjectCreated): Upload {
    return { bucket: e.bucket, key: e.key, versionId: e.versionId };
}

/** Writes the refusal's feedback (byte-identical for duplicates), then its row; counts it once. */
async function refuse(d: StarterDeps, e: ObjectCreated, code: RefusalCode, reason: string, folder?: string): Promise<StartResult> {
    const row: RowKey = folder ? { key: folder, versionId: FOLDER_VERSION } : { key: e.key, versionId: e.versionId };
    const existing = await d.table.get(row);
    if (existing) return { kind: "refused", code, replay: true };
    const doc = folder ? folderRefusedDocument(e.bucket, folder, reason, e.time) : refusedDocument(upload(e), reason, e.time);
    await putJson(d.s3, e.bucket, feedbackKey(row.key, "failed"), render(doc));
    const now = d.now();
    const created = await d.table.putNew({
        ...row,
        bucket: e.bucket,
        size: e.size,
        state: "REFUSED",
        refusalCode: code,
        message: reason,
        updatedAt: now.toISOString(),
        finishedAt: now.toISOString(),
        expiresAt: expiryFor(now),
    });
    if (created) await count(d, INGEST_METRICS.refused);
    return { kind: "refused", code, replay: !created };
}

async function count(d: StarterDeps, metric: Datum["MetricName"]): Promise<void> {
    await publish(d.cloudwatch, [datum(metric, 1, d.settings.environment, d.now())]);
}

interface Accepted {
    config: string;
    name: string;
    extension: ".zip" | ".tgz" | ".tar.gz";
}

async function start(d: StarterDeps, e: ObjectCreated, a: Accepted, messageId: string): Promise<StartResult> {
    const existing = await d.table.get({ key: e.key, versionId: e.versionId });
    if (existing && existing.state !== "CLAIMED") return replay(existing);
    // A claimed row was checked and inspected when it was claimed; only a fresh version is.
    const type = existing ? (existing.transferType as TransferType) : await inspect(d, e, a);
    if (typeof type !== "string") return type;
    const claim = await claimVersion(d, e, a, type, messageId);
    if (claim.kind !== "mine") return claim.result;
    if (claim.record.dashboardCalledAt) return resolveInterrupted(d, e, claim.record);
    return callDashboard(d, e, claim.record);
}

/** The version is still the key's current one and a readable archive: its transfer type, or why not. */
async function inspect(d: StarterDeps, e: ObjectCreated, a: Accepted): Promise<TransferType | StartResult> {
    const current = await currentVersion(d.s3, e.bucket, e.key);
    if (current === undefined) return refuse(d, e, "gone", "the object was deleted before its transfer could start");
    if (current !== e.versionId) return supersede(d, e);
    try {
        return transferTypeFor(
            await archiveMembers(d.s3, { key: e.key, versionId: e.versionId, bucket: e.bucket, size: e.size }, a.extension),
        );
    } catch (err) {
        if (err instanceof ArchiveError)
            return refuse(d, e, "unreadable", `"${a.name}${a.extension}" is not a readable ${a.extension} archive: ${err.message}`);
        throw err;
    }
}

function replay(r: IngestRecord): StartResult {
    if (r.transferUuid) return { kind: "started", transferUuid: r.transferUuid, replay: true };
    if (r.state === "REFUSED") return { kind: "refused", code: r.refusalCode as RefusalCode, replay: true };
    if (r.state === "SUPERSEDED") return { kind: "superseded" };
    if (r.state === "UNKNOWN") return { kind: "unknown" };
    return { kind: "finished", state: r.state };
}

/** A newer version of the key exists: the Storage Service would copy that one, whose own event starts it. */
async function supersede(d: StarterDeps, e: ObjectCreated): Promise<StartResult> {
    const now = d.now();
    await d.table.putNew({
        key: e.key,
        versionId: e.versionId,
        bucket: e.bucket,
        size: e.size,
        state: "SUPERSEDED",
        updatedAt: now.toISOString(),
        finishedAt: now.toISOString(),
        expiresAt: expiryFor(now),
    });
    return { kind: "superseded" };
}

type Claim = { kind: "mine"; record: IngestRecord } | { kind: "other"; result: StartResult };

/** Claims the version for this message, or recognises its own earlier claim, or takes over an expired one. */
async function claimVersion(d: StarterDeps, e: ObjectCreated, a: Accepted, type: TransferType, messageId: string): Promise<Claim> {
    const now = d.now();
    const claimExpiresAt = now.getTime() + d.settings.claimSeconds * 1000;
    const fresh: IngestRecord = {
        key: e.key,
        versionId: e.versionId,
        bucket: e.bucket,
        size: e.size,
        state: "CLAIMED",
        processingConfig: a.config,
        transferType: type,
        transferName: a.name,
        claimId: messageId,
        claimExpiresAt,
        updatedAt: now.toISOString(),
    };
    if (await d.table.putNew(fresh)) return { kind: "mine", record: fresh };
    const existing = await d.table.get(fresh);
    if (!existing) throw new RetryLater("the claim vanished between two reads");
    if (existing.state !== "CLAIMED") return { kind: "other", result: replay(existing) };
    if (existing.claimId === messageId) return { kind: "mine", record: existing };
    if ((existing.claimExpiresAt ?? 0) > now.getTime()) return { kind: "other", result: { kind: "busy" } };
    const took = await d.table.update(fresh, {
        set: { claimId: messageId, claimExpiresAt, updatedAt: now.toISOString() },
        expect: { state: "CLAIMED", claimId: existing.claimId },
    });
    return took
        ? { kind: "mine", record: { ...existing, claimId: messageId, claimExpiresAt } }
        : { kind: "other", result: { kind: "busy" } };
}

async function apiClients(d: StarterDeps): Promise<{ dashboard: ApiClient; ss: ApiClient }> {
    const s = d.settings;
    const [dashboardKey, ssKey] = await Promise.all([
        d.secrets.get(s.dashboardApiKeySecretArn),
        d.secrets.get(s.storageServiceApiKeySecretArn),
    ]);
    return {
        dashboard: new ApiClient("dashboard", s.dashboardUrl, s.apiUsername, dashboardKey, d.httpTimeoutMs),
        ss: new ApiClient("storage-service", s.storageServiceUrl, s.apiUsername, ssKey, d.httpTimeoutMs),
    };
}

async function callDashboard(d: StarterDeps, e: ObjectCreated, claim: IngestRecord): Promise<StartResult> {
    const { dashboard, ss } = await apiClients(d);
    const location = await ingestLocation(ss, claim.processingConfig!, e.bucket).catch((err: Error) => {
        throw new RetryLater(err.message);
    });
    const config = claim.processingConfig!;
    const fileName = e.key.slice(config.length + 1);
    const body = packageRequest(claim.transferName!, claim.transferType as TransferType, location.uuid, location.path, config, fileName);
    const calledAt = d.now().toISOString();
    if (
        !(await d.table.update(claim, {
            set: { dashboardCalledAt: calledAt },
            expect: { state: "CLAIMED", claimId: claim.claimId },
            absent: ["dashboardCalledAt"],
        }))
    )
        return { kind: "busy" };
    for (let attempt = 1; ; attempt++) {
        try {
            const answer = await startPackage(dashboard, body);
            if (answer.kind === "started") return recordStarted(d, e, claim, answer.transferUuid);
            await clearCallMarker(d, claim);
            throw new RetryLater(answer.detail);
        } catch (err) {
            if (!(err instanceof HttpFailure)) throw err;
            if (err.sent)
                return recordUnknown(d, e, claim, `the start request reached the dashboard but its answer was lost (${err.message})`);
            if (attempt === QUICK_ATTEMPTS) {
                await clearCallMarker(d, claim);
                throw new RetryLater(`the dashboard could not be reached: ${err.message}`);
            }
            await d.sleep(2000 * attempt);
        }
    }
}

/** The request provably did not start anything: a later attempt may call again. */
async function clearCallMarker(d: StarterDeps, claim: IngestRecord): Promise<void> {
    await d.table.update(claim, { remove: ["dashboardCalledAt"], expect: { state: "CLAIMED", claimId: claim.claimId } });
}

function started(claim: IngestRecord, transferUuid: string, startedAt: string) {
    return {
        processingConfig: claim.processingConfig!,
        transferType: claim.transferType!,
        transferName: claim.transferName!,
        transferUuid,
        startedAt,
    };
}

/** Feedback first (it doubles as the record of the UUID), then the row; a failed row write is retried. */
async function recordStarted(d: StarterDeps, e: ObjectCreated, claim: IngestRecord, transferUuid: string): Promise<StartResult> {
    const startedAt = d.now().toISOString();
    let feedbackWritten = true;
    try {
        await putJson(
            d.s3,
            e.bucket,
            feedbackKey(e.key, "started"),
            render(startedDocument(upload(e), started(claim, transferUuid, startedAt))),
        );
    } catch (err) {
        feedbackWritten = false;
        d.log({ key: e.key, transferUuid, feedback: `not written: ${String(err)}` });
    }
    await markStarted(d, claim, transferUuid, startedAt, feedbackWritten);
    await count(d, INGEST_METRICS.started);
    return { kind: "started", transferUuid, replay: false };
}

async function markStarted(
    d: StarterDeps,
    claim: IngestRecord,
    transferUuid: string,
    startedAt: string,
    feedbackWritten: boolean,
): Promise<void> {
    const set = {
        transferUuid,
        startedAt,
        phase: "transfer",
        phaseSince: startedAt,
        open: OPEN,
        openSince: startedAt,
        updatedAt: startedAt,
    };
    try {
        if (await d.table.transition(claim, "CLAIMED", "STARTED", set, false, claim.claimId)) return;
        throw new Error("the claim was no longer this message's");
    } catch (err) {
        // Transfer started; the retry recovers the UUID from the feedback file, if it was written.
        if (feedbackWritten) throw new RetryLater(`transfer ${transferUuid} started but not recorded: ${String(err)}`);
        throw new RetryLater(`transfer ${transferUuid} started but neither recorded nor written to feedback: ${String(err)}`);
    }
}

/** An earlier attempt called the dashboard and stopped before recording: read its answer back from feedback. */
async function resolveInterrupted(d: StarterDeps, e: ObjectCreated, claim: IngestRecord): Promise<StartResult> {
    const text = await getText(d.s3, e.bucket, feedbackKey(e.key, "started"));
    const doc = text ? (JSON.parse(text) as { versionId?: unknown; transferUuid?: unknown; startedAt?: unknown }) : undefined;
    if (doc && doc.versionId === e.versionId && typeof doc.transferUuid === "string") {
        const startedAt = typeof doc.startedAt === "string" ? doc.startedAt : d.now().toISOString();
        await markStarted(d, claim, doc.transferUuid, startedAt, true);
        return { kind: "started", transferUuid: doc.transferUuid, replay: true };
    }
    return recordUnknown(
        d,
        e,
        claim,
        `an earlier attempt sent the start request at ${claim.dashboardCalledAt} and stopped before recording its answer`,
    );
}

/** The dashboard may or may not have started a transfer: never retry; tell the uploader and the operator. */
async function recordUnknown(d: StarterDeps, e: ObjectCreated, claim: IngestRecord, why: string): Promise<StartResult> {
    const now = d.now();
    const message =
        `${why}; a transfer named "${claim.transferName}" may or may not have started. ` +
        `Look for it in the dashboard's Transfer tab; if it is not there, upload the package again (a new version is started once)`;
    await putJson(
        d.s3,
        e.bucket,
        feedbackKey(e.key, "failed"),
        render(failedDocument(upload(e), { failedJob: null, microservice: null, message, failedAt: now.toISOString() })),
    );
    await d.table.transition(
        claim,
        "CLAIMED",
        "UNKNOWN",
        { message, finishedAt: now.toISOString(), updatedAt: now.toISOString(), expiresAt: expiryFor(now) },
        true,
        claim.claimId,
    );
    await count(d, INGEST_METRICS.unknown);
    return { kind: "unknown" };
}

/** Real clients, built once per container from the function's environment. */
function realDeps(): StarterDeps {
    const settings = starterSettings(process.env);
    const s3 = new S3Client({});
    return {
        settings,
        s3,
        table: new IngestTable(DynamoDBDocumentClient.from(new DynamoDBClient({})), settings.table),
        secrets: new SecretCache(new SecretsManagerClient({}), Date.now),
        cloudwatch: new CloudWatchClient({}),
        sqs: new SQSClient({}),
        now: () => new Date(),
        httpTimeoutMs: 60_000,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        log: (entry) => console.log(JSON.stringify(entry)),
    };
}

let live: ((event: SQSEvent) => Promise<SQSBatchResponse>) | undefined;

export const handler = (event: SQSEvent): Promise<SQSBatchResponse> => (live ??= createStarter(realDeps()))(event);
