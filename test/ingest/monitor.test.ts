/**
 * The ingest monitor, in-process, against a scripted dashboard (1.18's exact answers), the fake
 * Storage Service and AWS SDK mocks: each transition of a started transfer to its end, the feedback
 * and row it leaves, and the metrics of each run.
 */
import * as assert from "assert";
import type { MonitorSettings } from "../../functions/ingest/core/settings";
import { SecretCache } from "../../functions/ingest/io/secrets";
import { IngestTable } from "../../functions/ingest/io/table";
import { createMonitor, type MonitorDeps } from "../../functions/ingest/monitor";
import { FakeStorageService } from "../bootstrap-scripts/fake-storage-service";
import { jobsList, noJobsFound, noJobYet, scriptedDashboard, unitStatus } from "../support/fake-dashboard";
import { startFakeServer, type FakeResponse, type FakeServer } from "../support/fake-http";
import { fakeAws } from "./aws-fakes";

const BUCKET = "am-staging-transfers";
const AIP_BUCKET = "am-staging-aips";
const T = "11111111-1111-4111-8111-111111111111";
const S = "22222222-2222-4222-8222-222222222222";
const AIP_SPACE = "eeee0002-0000-4000-8000-000000000002";
const AS_LOCATION = "ffff0002-0000-4000-8000-000000000002";
const AIP_PATH = "2222/2222/2222/2222/2222/2222/2222/2222/box-17-22222222-2222-4222-8222-222222222222.7z";
const DASH_SECRET = "arn:aws:secretsmanager:eu-west-2:123456789012:secret:staging-dashboard-api-key-AbCdEf";
const SS_SECRET = "arn:aws:secretsmanager:eu-west-2:123456789012:secret:staging-ss-api-key-GhIjKl";
const STARTED = "2026-03-01T10:00:00.000Z";
const MIN = 60_000;

function storageService(): FakeStorageService {
    const ss = FakeStorageService.afterInstall("curator", "ss-key-1", "http://dashboard:8000");
    ss.spaces.push({
        uuid: AIP_SPACE,
        access_protocol: "S3",
        path: "/",
        staging_path: "/var/archivematica/storage_service",
        endpoint_url: "https://s3.eu-west-2.amazonaws.com",
        access_key_id: "",
        secret_access_key: "",
        region: "eu-west-2",
        bucket: AIP_BUCKET,
    });
    ss.locations.push({
        uuid: AS_LOCATION,
        purpose: "AS",
        relative_path: "aips",
        description: "AIP store (S3)",
        space: `/api/v2/space/${AIP_SPACE}/`,
        pipeline: ["/api/v2/pipeline/bbbb0001-0000-4000-8000-000000000001/"],
        enabled: true,
    });
    return ss;
}

function startedRow(key: string, transfer: string, openSince = STARTED, size = 5 * 2 ** 20): Record<string, unknown> {
    return {
        key,
        versionId: "v1",
        bucket: BUCKET,
        size,
        state: "STARTED",
        processingConfig: "automated",
        transferType: "zipped bag",
        transferName: key.replace(/^.*\//, "").replace(/\.zip$/, ""),
        claimId: "m-1",
        claimExpiresAt: Date.parse(openSince) + 960_000,
        dashboardCalledAt: openSince,
        transferUuid: transfer,
        startedAt: openSince,
        phase: "transfer",
        phaseSince: openSince,
        open: "open",
        openSince,
        updatedAt: openSince,
    };
}

describe("ingest monitor", () => {
    let aws: ReturnType<typeof fakeAws>;
    let ss: FakeStorageService;
    let ssServer: FakeServer;
    let dashboard: FakeServer;
    let script: Record<string, FakeResponse[]>;
    let now: Date;
    let logs: Record<string, unknown>[];
    let settings: MonitorSettings;

    beforeEach(async () => {
        aws = fakeAws(BUCKET, { [DASH_SECRET]: "dash-key-1", [SS_SECRET]: "ss-key-1" });
        ss = storageService();
        ssServer = await startFakeServer(ss.handle);
        script = {};
        dashboard = await startFakeServer((req) => scriptedDashboard("curator:dash-key-1", script)(req));
        now = new Date("2026-03-01T10:05:00.000Z");
        logs = [];
        settings = {
            table: "archivematica-staging-ingest",
            transferBucket: BUCKET,
            dashboardUrl: dashboard.url,
            storageServiceUrl: ssServer.url,
            apiUsername: "curator",
            dashboardApiKeySecretArn: DASH_SECRET,
            storageServiceApiKeySecretArn: SS_SECRET,
            environment: "staging",
            configs: ["automated", "default"],
            aipBucket: AIP_BUCKET,
            graceBaseMinutes: 30,
            gracePerGiBMinutes: 2,
            followLimit: 100,
        };
        aws.table.rows.set(JSON.stringify(["automated/box-17.zip", "v1"]), startedRow("automated/box-17.zip", T));
    });
    afterEach(async () => {
        aws.restore();
        await ssServer.close();
        await dashboard.close();
    });

    function monitor() {
        const deps: MonitorDeps = {
            settings,
            s3: aws.clients.s3,
            table: new IngestTable(aws.clients.db, settings.table),
            secrets: new SecretCache(aws.clients.secrets, () => now.getTime()),
            cloudwatch: aws.clients.cloudwatch,
            now: () => new Date(now),
            httpTimeoutMs: 5000,
            log: (entry) => void logs.push(entry),
        };
        return createMonitor(deps);
    }
    const row = () => aws.table.row("automated/box-17.zip", "v1")!;
    const metricsOfRun = () => Object.fromEntries(aws.metrics.splice(0).map((m) => [m.name, m.value]));
    const transferStatus = `GET /api/transfer/status/${T}/`;
    const ingestStatus = `GET /api/ingest/status/${S}/`;

    it("follows a transfer to a stored AIP over several runs: rows, feedback and metrics of each run", async () => {
        script[transferStatus] = [
            noJobYet(T),
            unitStatus("transfer", T, "PROCESSING", "Extract zipped bag transfer", "box-17"),
            unitStatus("transfer", T, "COMPLETE", "Create SIP from transfer objects", "box-17", { sip_uuid: S }),
        ];
        script[ingestStatus] = [
            unitStatus("SIP", S, "PROCESSING", "Normalize for preservation", "box-17"),
            unitStatus("SIP", S, "COMPLETE", "Remove the processing directory", "box-17"),
        ];
        const run = monitor();

        assert.deepStrictEqual(await run(), {
            followed: 1,
            stored: 0,
            failed: 0,
            backlog: 0,
            errors: 0,
            unfinished: 1,
            oldestAgeSeconds: 300,
        });
        assert.deepStrictEqual(metricsOfRun(), {
            TransfersStored: 0,
            TransfersFailed: 0,
            TransfersBacklogged: 0,
            MonitorErrors: 0,
            UnfinishedTransfers: 1,
            OldestUnfinishedTransferAge: 300,
        });
        await run(); // PROCESSING
        assert.deepStrictEqual([row().phase, row().state], ["transfer", "STARTED"]);

        now = new Date("2026-03-01T10:20:00.000Z");
        await run(); // transfer COMPLETE → ingest PROCESSING, in the same run
        assert.deepStrictEqual(
            [row().phase, row().sipUuid, row().phaseSince, row().state],
            ["ingest", S, "2026-03-01T10:20:00.000Z", "STARTED"],
        );
        metricsOfRun();

        ss.packages.push({
            uuid: S,
            package_type: "AIP",
            status: "UPLOADED",
            current_location: `/api/v2/location/${AS_LOCATION}/`,
            current_path: AIP_PATH,
        });
        now = new Date("2026-03-01T10:40:00.000Z");
        assert.deepStrictEqual(await run(), {
            followed: 1,
            stored: 1,
            failed: 0,
            backlog: 0,
            errors: 0,
            unfinished: 0,
            oldestAgeSeconds: 0,
        });
        assert.deepStrictEqual(metricsOfRun(), {
            TransfersStored: 1,
            TransfersFailed: 0,
            TransfersBacklogged: 0,
            MonitorErrors: 0,
            UnfinishedTransfers: 0,
            OldestUnfinishedTransferAge: 0,
        });
        assert.deepStrictEqual(
            aws.bucket.puts.map((p) => p.key),
            ["feedback/automated/box-17.zip.stored.json"],
        );
        assert.strictEqual(
            aws.bucket.puts[0].text,
            JSON.stringify(
                {
                    object: `s3://${BUCKET}/automated/box-17.zip`,
                    versionId: "v1",
                    outcome: "stored",
                    transferUuid: T,
                    aipUuid: S,
                    aip: `s3://${AIP_BUCKET}/aips/${AIP_PATH}`,
                    storedAt: "2026-03-01T10:40:00.000Z",
                },
                null,
                2,
            ) + "\n",
        );
        const r = row();
        assert.deepStrictEqual(
            [r.state, r.aipUuid, r.aipObject, r.open, r.openSince, r.finishedAt],
            ["STORED", S, `s3://${AIP_BUCKET}/aips/${AIP_PATH}`, undefined, undefined, "2026-03-01T10:40:00.000Z"],
        );
        assert.strictEqual(r.expiresAt, Math.floor(Date.parse("2026-03-01T10:40:00.000Z") / 1000) + 400 * 86400);
        assert.deepStrictEqual(
            ssServer.requests.map((q) => `${q.method} ${q.path}`),
            [`GET /api/v2/file/${S}/`, `GET /api/v2/location/${AS_LOCATION}/`, `GET /api/v2/space/${AIP_SPACE}/`],
        );
        for (const q of [...dashboard.requests, ...ssServer.requests])
            assert.match(String(q.headers.authorization), /^ApiKey curator:(dash|ss)-key-1$/);

        assert.deepStrictEqual(await run(), {
            followed: 0,
            stored: 0,
            failed: 0,
            backlog: 0,
            errors: 0,
            unfinished: 0,
            oldestAgeSeconds: 0,
        });
    });

    it("an ingest whose AIP the Storage Service does not know yet stays open", async () => {
        script[transferStatus] = [unitStatus("transfer", T, "COMPLETE", "Create SIP from transfer objects", "box-17", { sip_uuid: S })];
        script[ingestStatus] = [unitStatus("SIP", S, "COMPLETE", "Remove the processing directory", "box-17")];
        const summary = await monitor()();
        assert.deepStrictEqual([summary.stored, summary.unfinished, row().state], [0, 1, "STARTED"]);
        assert.deepStrictEqual(aws.bucket.puts, []);
    });

    it("a failed transfer: the failed job, its microservice and exit codes in the feedback; a metric", async () => {
        script[transferStatus] = [unitStatus("transfer", T, "FAILED", "Move to the failed directory", "box-17")];
        script[`GET /api/v2beta/jobs/${T}/`] = [
            jobsList([
                { name: "Extract zipped bag transfer", status: "COMPLETE", microservice: "Extract zipped bag transfer", exitCodes: [0] },
                {
                    name: "Verify bag, and restructure for compliance",
                    status: "FAILED",
                    microservice: "Verify transfer compliance",
                    exitCodes: [1],
                },
                { name: "Move to the failed directory", status: "COMPLETE", microservice: "Failed transfer", exitCodes: [0] },
            ]),
        ];
        assert.deepStrictEqual((await monitor()()).failed, 1);
        assert.deepStrictEqual(aws.bucket.json("feedback/automated/box-17.zip.failed.json"), {
            object: `s3://${BUCKET}/automated/box-17.zip`,
            versionId: "v1",
            outcome: "failed",
            transferUuid: T,
            failedJob: "Verify bag, and restructure for compliance",
            microservice: "Verify transfer compliance",
            message: `job "Verify bag, and restructure for compliance" (microservice "Verify transfer compliance") failed; 1 task(s) exited non-zero (1); see the transfer ${T} in the dashboard (task output under each job)`,
            failedAt: "2026-03-01T10:05:00.000Z",
        });
        assert.deepStrictEqual(
            [row().state, row().failedJob, row().open],
            ["FAILED", "Verify bag, and restructure for compliance", undefined],
        );
        assert.strictEqual(aws.metrics.find((m) => m.name === "TransfersFailed")!.value, 1);
    });

    it("a transfer whose start failed (400 past the start grace, no jobs) is reported as never started, with the dashboard's words", async () => {
        script[transferStatus] = [noJobYet(T)];
        script[`GET /api/v2beta/jobs/${T}/`] = [noJobsFound(T)];
        now = new Date(Date.parse(STARTED) + 31 * MIN); // grace: 30 min + 2 min per started GiB (5 MiB → 1 GiB) = 32 min
        await monitor()();
        assert.strictEqual(row().state, "STARTED");
        now = new Date(Date.parse(STARTED) + 33 * MIN);
        await monitor()();
        assert.deepStrictEqual(aws.bucket.json("feedback/automated/box-17.zip.failed.json"), {
            object: `s3://${BUCKET}/automated/box-17.zip`,
            versionId: "v1",
            outcome: "failed",
            transferUuid: T,
            stage: "never started",
            failedJob: null,
            microservice: null,
            message:
                `the transfer never started: 33 min after it was handed over, MCPServer has no job for it (the dashboard answers ` +
                `HTTP 400 "Unable to determine the status of the unit ${T}" and HTTP 400 "No jobs found for unit: ${T}"), so its start ` +
                `failed inside MCPServer before the first job (copying the package from the transfer source, or moving it to the ` +
                `processing directory); MCPServer logs the cause only, as "Exception occurred during transfer processing" with its ` +
                `traceback in the mcp-server log group`,
            dashboard: [
                { request: `GET /api/transfer/status/${T}/`, http: 400, message: `Unable to determine the status of the unit ${T}` },
                { request: `GET /api/v2beta/jobs/${T}/`, http: 400, message: `No jobs found for unit: ${T}` },
            ],
            failedAt: "2026-03-01T10:33:00.000Z",
        });
        assert.deepStrictEqual([row().state, row().failedJob], ["FAILED", null]);
    });

    it("past the grace, a first job that appears before the jobs request keeps the transfer open", async () => {
        script[transferStatus] = [noJobYet(T)];
        script[`GET /api/v2beta/jobs/${T}/`] = [
            jobsList([
                { name: "Extract zipped bag transfer", status: "PROCESSING", microservice: "Extract zipped bag transfer", exitCodes: [] },
            ]),
        ];
        now = new Date(Date.parse(STARTED) + 33 * MIN);
        await monitor()();
        assert.strictEqual(row().state, "STARTED");
        assert.strictEqual(aws.bucket.json("feedback/automated/box-17.zip.failed.json"), undefined);
    });

    it("a transfer waiting for a decision: told once in the started feedback, and untold when it moves on", async () => {
        script[transferStatus] = [
            unitStatus("transfer", T, "USER_INPUT", "Workflow decision - create transfer backup", "box-17"),
            unitStatus("transfer", T, "USER_INPUT", "Workflow decision - create transfer backup", "box-17"),
            unitStatus("transfer", T, "PROCESSING", "Assign file UUIDs to objects", "box-17"),
        ];
        const run = monitor();
        await run();
        await run();
        assert.deepStrictEqual(aws.bucket.puts.length, 1, "told once");
        assert.deepStrictEqual(JSON.parse(aws.bucket.puts[0].text), {
            object: `s3://${BUCKET}/automated/box-17.zip`,
            versionId: "v1",
            outcome: "started",
            processingConfig: "automated",
            transferType: "zipped bag",
            transferName: "box-17",
            transferUuid: T,
            startedAt: STARTED,
            waitingFor:
                'a decision at "Workflow decision - create transfer backup" in the dashboard (the processing configuration does not decide it)',
            next: "the outcome will be written to feedback/automated/box-17.zip.stored.json or feedback/automated/box-17.zip.failed.json",
        });
        assert.strictEqual(row().waitingFor, "Workflow decision - create transfer backup");
        await run();
        assert.strictEqual(aws.bucket.puts.length, 2);
        assert.strictEqual(JSON.parse(aws.bucket.puts[1].text).waitingFor, undefined);
        assert.strictEqual(row().waitingFor, undefined);
    });

    it("a transfer sent to the backlog ends with backlog feedback", async () => {
        script[transferStatus] = [unitStatus("transfer", T, "COMPLETE", "Move transfer to backlog", "box-17", { sip_uuid: "BACKLOG" })];
        assert.strictEqual((await monitor()()).backlog, 1);
        assert.deepStrictEqual(aws.bucket.json("feedback/automated/box-17.zip.backlog.json"), {
            object: `s3://${BUCKET}/automated/box-17.zip`,
            versionId: "v1",
            outcome: "backlog",
            transferUuid: T,
            message:
                "the processing configuration sent the transfer to the backlog; no AIP was made (arrange it into a SIP in the dashboard's Ingest tab)",
            at: "2026-03-01T10:05:00.000Z",
        });
        assert.strictEqual(row().state, "BACKLOG");
    });

    it("follows the oldest first up to its limit, counts every unfinished one, and one broken answer does not stop the others", async () => {
        const T2 = "33333333-3333-4333-8333-333333333333";
        const T3 = "44444444-4444-4444-8444-444444444444";
        aws.table.rows.set(
            JSON.stringify(["automated/older.zip", "v1"]),
            startedRow("automated/older.zip", T2, "2026-03-01T08:05:00.000Z"),
        );
        aws.table.rows.set(
            JSON.stringify(["automated/newest.zip", "v1"]),
            startedRow("automated/newest.zip", T3, "2026-03-01T10:04:00.000Z"),
        );
        script[`GET /api/transfer/status/${T2}/`] = [{ status: 500, body: "<h1>Server Error (500)</h1>" }];
        script[transferStatus] = [unitStatus("transfer", T, "PROCESSING", "Characterize and extract metadata", "box-17")];
        settings.followLimit = 2;
        assert.deepStrictEqual(await monitor()(), {
            followed: 2,
            stored: 0,
            failed: 0,
            backlog: 0,
            errors: 1,
            unfinished: 3,
            oldestAgeSeconds: 7200,
        });
        assert.deepStrictEqual(
            dashboard.requests.map((q) => q.path),
            [`/api/transfer/status/${T2}/`, `/api/transfer/status/${T}/`],
        );
        assert.deepStrictEqual(logs[0], {
            key: "automated/older.zip",
            versionId: "v1",
            error: `GET /api/transfer/status/${T2}/ answered HTTP 500 "<h1>Server Error (500)</h1>"`,
        });
    });
});
