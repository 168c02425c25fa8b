/**
 * The ingest monitor: a Lambda function run on a schedule (every few minutes; overlapping runs are
 * harmless, each transition is a conditional write).
 * It follows every started transfer, oldest first, through its transfer and then its ingest until an
 * AIP is stored, the unit fails, is rejected or goes to the backlog, or never starts; records the end
 * in the table, writes it beside the upload under `feedback/`, and publishes the ingest metrics
 * (`core/metrics.ts`). The meaning of each upstream answer is in `core/follow.ts`, the one copy.
 */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
    backlogDocument,
    failedDocument,
    feedbackKey,
    render,
    startedDocument,
    storedDocument,
    type Failed,
    type Upload,
} from "./core/feedback";
import { aipObjectKey, failureFromJobs, judgeAip, judgeStatus, neverStarted, startGraceMs, type UnitKind } from "./core/follow";
import { datum, INGEST_METRICS } from "./core/metrics";
import { expiryFor, type IngestRecord, type RecordState } from "./core/records";
import { monitorSettings, type MonitorSettings } from "./core/settings";
import { putJson } from "./io/bucket";
import { unitJobs, unitStatus } from "./io/dashboard";
import { ApiClient } from "./io/http";
import { publish } from "./io/metrics";
import { SecretCache } from "./io/secrets";
import { aipFile } from "./io/storage-service";
import { IngestTable } from "./io/table";

export interface MonitorDeps {
    settings: MonitorSettings;
    s3: S3Client;
    table: IngestTable;
    secrets: SecretCache;
    cloudwatch: CloudWatchClient;
    now: () => Date;
    /** How long an API request may take before it counts as failed (a start request: as sent, maybe acted on). */
    httpTimeoutMs: number;
    log: (entry: Record<string, unknown>) => void;
}

/** Where one transfer stands after a run. */
export type Followed = "open" | "stored" | "failed" | "backlog" | "error";

export interface MonitorSummary {
    followed: number;
    stored: number;
    failed: number;
    backlog: number;
    errors: number;
    unfinished: number;
    oldestAgeSeconds: number;
}

interface Clients {
    dashboard: ApiClient;
    ss: ApiClient;
}

export function createMonitor(d: MonitorDeps): () => Promise<MonitorSummary> {
    return async () => {
        const records = await d.table.openRecords();
        const clients = await apiClients(d);
        const ends = new Map<IngestRecord, Followed>();
        for (const record of records.slice(0, d.settings.followLimit)) ends.set(record, await followSafely(d, clients, record));
        const summary = summarise(records, ends, d.now());
        await publishSummary(d, summary);
        d.log({ monitor: summary });
        return summary;
    };
}

async function apiClients(d: MonitorDeps): Promise<Clients> {
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

/** One transfer's trouble (an API down, an odd answer) never stops the others. */
async function followSafely(d: MonitorDeps, clients: Clients, record: IngestRecord): Promise<Followed> {
    try {
        return await follow(d, clients, record);
    } catch (err) {
        d.log({ key: record.key, versionId: record.versionId, error: err instanceof Error ? err.message : String(err) });
        return "error";
    }
}

export function summarise(records: IngestRecord[], ends: Map<IngestRecord, Followed>, now: Date): MonitorSummary {
    const values = [...ends.values()];
    const tally = (f: Followed) => values.filter((v) => v === f).length;
    const stillOpen = records.filter((r) => !["stored", "failed", "backlog"].includes(ends.get(r) ?? "open"));
    const oldest = stillOpen.reduce((min, r) => Math.min(min, Date.parse(r.openSince ?? r.startedAt ?? now.toISOString())), now.getTime());
    return {
        followed: values.length,
        stored: tally("stored"),
        failed: tally("failed"),
        backlog: tally("backlog"),
        errors: tally("error"),
        unfinished: stillOpen.length,
        oldestAgeSeconds: Math.max(0, Math.floor((now.getTime() - oldest) / 1000)),
    };
}

async function publishSummary(d: MonitorDeps, s: MonitorSummary): Promise<void> {
    const at = d.now();
    const env = d.settings.environment;
    await publish(d.cloudwatch, [
        datum(INGEST_METRICS.stored, s.stored, env, at),
        datum(INGEST_METRICS.failed, s.failed, env, at),
        datum(INGEST_METRICS.backlog, s.backlog, env, at),
        datum(INGEST_METRICS.errors, s.errors, env, at),
        datum(INGEST_METRICS.unfinished, s.unfinished, env, at),
        datum(INGEST_METRICS.oldestAge, s.oldestAgeSeconds, env, at),
    ]);
}

function upload(r: IngestRecord): Upload {
    return { bucket: r.bucket, key: r.key, versionId: r.versionId };
}

function unitOf(r: IngestRecord): { kind: UnitKind; uuid: string } {
    return r.phase === "ingest" ? { kind: "ingest", uuid: r.sipUuid! } : { kind: "transfer", uuid: r.transferUuid! };
}

/** Follows one transfer as far as the dashboard's answers go this run (transfer, then its ingest). */
export async function follow(d: MonitorDeps, c: Clients, start: IngestRecord): Promise<Followed> {
    let r = start;
    for (let hop = 0; hop < 2; hop++) {
        const unit = unitOf(r);
        const now = d.now();
        const answer = await unitStatus(c.dashboard, unit.kind, unit.uuid);
        const age = now.getTime() - Date.parse(r.phaseSince ?? r.startedAt!);
        const grace = startGraceMs(r.size, { baseMinutes: d.settings.graceBaseMinutes, perGiBMinutes: d.settings.gracePerGiBMinutes });
        const step = judgeStatus(unit.kind, unit.uuid, answer, age, grace);
        switch (step.kind) {
            case "wait":
                if (r.waitingFor) await noteWaiting(d, r, undefined);
                return "open";
            case "decision":
                if (r.waitingFor !== step.microservice) await noteWaiting(d, r, step.microservice);
                return "open";
            case "to-ingest":
                r = await toIngest(d, r, step.sipUuid);
                continue;
            case "ingest-complete":
                return settleAip(d, c, r);
            case "backlog":
                return finish(d, r, "BACKLOG", backlogDocument(upload(r), r.transferUuid!, now.toISOString()), {}, "backlog");
            case "failed":
                return fail(d, r, failureFromJobs(unit.kind, unit.uuid, step, await unitJobs(c.dashboard, unit.uuid)));
            case "never-started": {
                // The jobs API too: a first job that appeared meanwhile means it started after all.
                const failure = neverStarted(unit.kind, unit.uuid, step, await unitJobs(c.dashboard, unit.uuid));
                if ("kind" in failure) return "open";
                return fail(d, r, failure);
            }
            case "error":
                throw new Error(step.message);
        }
    }
    return "open";
}

/** Records (and tells the uploader) that the unit waits for a decision in the dashboard, or no longer does. */
async function noteWaiting(d: MonitorDeps, r: IngestRecord, microservice: string | undefined): Promise<void> {
    const at = d.now().toISOString();
    const update = microservice ? { set: { waitingFor: microservice, updatedAt: at } } : { set: { updatedAt: at }, remove: ["waitingFor"] };
    await d.table.update(r, { ...update, expect: { state: "STARTED" } });
    const doc = startedDocument(upload(r), {
        processingConfig: r.processingConfig!,
        transferType: r.transferType!,
        transferName: r.transferName!,
        transferUuid: r.transferUuid!,
        startedAt: r.startedAt!,
        waitingFor: microservice
            ? `a decision at "${microservice}" in the dashboard (the processing configuration does not decide it)`
            : undefined,
    });
    await putJson(d.s3, r.bucket, feedbackKey(r.key, "started"), render(doc));
}

async function toIngest(d: MonitorDeps, r: IngestRecord, sipUuid: string): Promise<IngestRecord> {
    const at = d.now().toISOString();
    const set = { phase: "ingest", sipUuid, phaseSince: at, updatedAt: at };
    if (!(await d.table.update(r, { set, remove: ["waitingFor"], expect: { state: "STARTED" } })))
        throw new Error(`${r.key}: the row left STARTED meanwhile`);
    return { ...r, ...set, phase: "ingest", waitingFor: undefined };
}

async function settleAip(d: MonitorDeps, c: Clients, r: IngestRecord): Promise<Followed> {
    const where = await aipFile(c.ss, r.sipUuid!);
    const step = judgeAip(r.sipUuid!, where.file);
    if (step.kind === "wait") return "open";
    if (step.kind === "failed") return fail(d, r, { failedJob: null, microservice: null, message: step.message });
    const key = aipObjectKey(where.locationPath ?? "", where.currentPath ?? "");
    const aipObject = where.bucket ? `s3://${where.bucket}/${key}` : `${where.locationPath ?? ""}/${where.currentPath ?? ""} (not on S3)`;
    const at = d.now().toISOString();
    const doc = storedDocument(upload(r), { transferUuid: r.transferUuid!, aipUuid: step.aipUuid, aipObject, storedAt: at });
    return finish(d, r, "STORED", doc, { aipUuid: step.aipUuid, aipObject }, "stored");
}

async function fail(d: MonitorDeps, r: IngestRecord, failure: Omit<Failed, "failedAt">): Promise<Followed> {
    const at = d.now().toISOString();
    const doc = failedDocument(upload(r), { ...failure, transferUuid: r.transferUuid, sipUuid: r.sipUuid, failedAt: at });
    return finish(
        d,
        r,
        "FAILED",
        doc,
        { failedJob: failure.failedJob, microservice: failure.microservice, message: failure.message },
        "failed",
    );
}

/** Feedback first (the uploader's record), then the row leaves the open index. */
async function finish(
    d: MonitorDeps,
    r: IngestRecord,
    state: RecordState,
    doc: Record<string, unknown>,
    fields: Record<string, unknown>,
    followed: Followed,
): Promise<Followed> {
    const outcome = state === "STORED" ? "stored" : state === "BACKLOG" ? "backlog" : "failed";
    await putJson(d.s3, r.bucket, feedbackKey(r.key, outcome), render(doc));
    const now = d.now();
    const set = { ...fields, finishedAt: now.toISOString(), updatedAt: now.toISOString(), expiresAt: expiryFor(now) };
    if (!(await d.table.transition(r, "STARTED", state, set, true))) throw new Error(`${r.key}: the row left STARTED meanwhile`);
    return followed;
}

function realDeps(): MonitorDeps {
    const settings = monitorSettings(process.env);
    return {
        settings,
        s3: new S3Client({}),
        table: new IngestTable(DynamoDBDocumentClient.from(new DynamoDBClient({})), settings.table),
        secrets: new SecretCache(new SecretsManagerClient({}), Date.now),
        cloudwatch: new CloudWatchClient({}),
        now: () => new Date(),
        httpTimeoutMs: 60_000,
        log: (entry) => console.log(JSON.stringify(entry)),
    };
}

let live: (() => Promise<MonitorSummary>) | undefined;

export const handler = (): Promise<MonitorSummary> => (live ??= createMonitor(realDeps()))();
