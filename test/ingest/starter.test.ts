/**
 * The ingest starter, in-process, against a fake dashboard and a fake Storage Service on loopback and
 * AWS SDK mocks (a versioned bucket and a table that evaluates the conditions it is given): the exact
 * start request, one transfer per object version under replayed and concurrent events, each refusal's
 * feedback, retries with backoff and then the dead-letter queue, and the "started but not recorded"
 * window.
 */
import * as assert from "assert";
import { CopyObjectCommand, DeleteObjectCommand, DeleteObjectsCommand } from "@aws-sdk/client-s3";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { MAX_RECEIVE_COUNT } from "../../functions/ingest/core/events";
import type { StarterSettings } from "../../functions/ingest/core/settings";
import { SecretCache } from "../../functions/ingest/io/secrets";
import { IngestTable } from "../../functions/ingest/io/table";
import { createStarter, type StarterDeps } from "../../functions/ingest/starter";
import { FakeStorageService } from "../bootstrap-scripts/fake-storage-service";
import { packageAccepted, packageCannotBeCreated, scriptedDashboard } from "../support/fake-dashboard";
import { startFakeServer, type FakeResponse, type FakeServer } from "../support/fake-http";
import { bagMembers, tarGzOf, zipOf } from "./archives";
import { fakeAws } from "./aws-fakes";

const BUCKET = "am-staging-transfers";
const T1 = "11111111-1111-4111-8111-111111111111";
const T2 = "33333333-3333-4333-8333-333333333333";
const TS_SPACE = "eeee0001-0000-4000-8000-000000000001";
const LOC_AUTOMATED = "ffff0011-0000-4000-8000-000000000011";
const LOC_DEFAULT = "ffff0012-0000-4000-8000-000000000012";
const DASH_SECRET = "arn:aws:secretsmanager:eu-west-2:123456789012:secret:staging-dashboard-api-key-AbCdEf";
const SS_SECRET = "arn:aws:secretsmanager:eu-west-2:123456789012:secret:staging-ss-api-key-GhIjKl";
const QUEUE_ARN = "arn:aws:sqs:eu-west-2:123456789012:archivematica-staging-ingest";
const QUEUE_URL = "https://sqs.eu-west-2.amazonaws.com/123456789012/archivematica-staging-ingest";
const UPLOADED = "2026-03-01T09:59:58Z";

/** A Storage Service as configure_storage.py leaves it: an S3 space on the transfer bucket, one TS location per configuration. */
function storageService(): FakeStorageService {
    const ss = FakeStorageService.afterInstall("curator", "ss-key-1", "http://dashboard:8000");
    ss.spaces.push({
        uuid: TS_SPACE,
        access_protocol: "S3",
        path: "/",
        staging_path: "/var/archivematica/storage_service",
        endpoint_url: "https://s3.eu-west-2.amazonaws.com",
        access_key_id: "",
        secret_access_key: "",
        region: "eu-west-2",
        bucket: BUCKET,
    });
    const pipeline = ["/api/v2/pipeline/bbbb0001-0000-4000-8000-000000000001/"];
    for (const [uuid, config] of [
        [LOC_AUTOMATED, "automated"],
        [LOC_DEFAULT, "default"],
    ])
        ss.locations.push({
            uuid,
            purpose: "TS",
            relative_path: config,
            description: `Ingest: ${config} (S3)`,
            space: `/api/v2/space/${TS_SPACE}/`,
            pipeline,
            enabled: true,
        });
    return ss;
}

function eventBody(key: string, versionId: string, size: number): string {
    return JSON.stringify({
        version: "0",
        id: "17793124-05d4-b198-2fde-7ededc63b103",
        "detail-type": "Object Created",
        source: "aws.s3",
        account: "123456789012",
        time: UPLOADED,
        region: "eu-west-2",
        resources: [`arn:aws:s3:::${BUCKET}`],
        detail: {
            version: "0",
            bucket: { name: BUCKET },
            object: { key, size, etag: "b1946ac92492d2347c6235b4d2611184", "version-id": versionId, sequencer: "00617F08299329D189" },
            "request-id": "N4N7GDK58NMKJ12R",
            requester: "123456789012",
            "source-ip-address": "203.0.113.15",
            reason: "PutObject",
        },
    });
}

function message(id: string, body: string, receiveCount = 1): SQSRecord {
    return {
        messageId: id,
        receiptHandle: `receipt-${id}-${receiveCount}`,
        body,
        attributes: {
            ApproximateReceiveCount: String(receiveCount),
            SentTimestamp: "1772359198000",
            SenderId: "AIDAEXAMPLE",
            ApproximateFirstReceiveTimestamp: "1772359199000",
        },
        messageAttributes: {},
        md5OfBody: "",
        eventSource: "aws:sqs",
        eventSourceARN: QUEUE_ARN,
        awsRegion: "eu-west-2",
    };
}

const batch = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

describe("ingest starter", () => {
    let aws: ReturnType<typeof fakeAws>;
    let ss: FakeStorageService;
    let ssServer: FakeServer;
    let dashboard: FakeServer;
    let script: Record<string, FakeResponse[]>;
    let now: Date;
    let sleeps: number[];
    let logs: Record<string, unknown>[];
    let settings: StarterSettings;

    beforeEach(async () => {
        aws = fakeAws(BUCKET, { [DASH_SECRET]: "dash-key-1", [SS_SECRET]: "ss-key-1" });
        ss = storageService();
        ssServer = await startFakeServer(ss.handle);
        script = { "POST /api/v2beta/package/": [packageAccepted(T1)] };
        dashboard = await startFakeServer((req) => scriptedDashboard("curator:dash-key-1", script)(req));
        now = new Date("2026-03-01T10:00:00.000Z");
        sleeps = [];
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
            maxBytes: 2 ** 30,
            claimSeconds: 960,
        };
    });
    afterEach(async () => {
        aws.restore();
        await ssServer.close();
        await dashboard.close();
    });

    function starter(overrides: Partial<StarterDeps> = {}) {
        const deps: StarterDeps = {
            settings,
            s3: aws.clients.s3,
            table: new IngestTable(aws.clients.db, settings.table),
            secrets: new SecretCache(aws.clients.secrets, () => now.getTime()),
            cloudwatch: aws.clients.cloudwatch,
            sqs: aws.clients.sqs,
            now: () => new Date(now),
            httpTimeoutMs: 5000,
            sleep: async (ms) => void sleeps.push(ms),
            log: (entry) => void logs.push(entry),
            ...overrides,
        };
        return createStarter(deps);
    }

    /** Uploads `bytes` as `key` and returns the SQS message of its event. */
    function drop(key: string, bytes: Buffer, id = "m-1"): SQSRecord {
        const versionId = aws.bucket.upload(key, bytes);
        return message(id, eventBody(key, versionId, bytes.length));
    }
    const posts = () => dashboard.requests.filter((r) => r.method === "POST");
    const results = () => logs.filter((l) => "result" in l).map((l) => l.result);
    const uploadsUntouched = () => {
        assert.strictEqual(aws.mocks.s3.commandCalls(DeleteObjectCommand).length, 0);
        assert.strictEqual(aws.mocks.s3.commandCalls(DeleteObjectsCommand).length, 0);
        assert.strictEqual(aws.mocks.s3.commandCalls(CopyObjectCommand).length, 0);
    };

    it("starts a zipped bag: the exact request, the started feedback, the row and the metric", async () => {
        const bag = zipOf(bagMembers("box-17"));
        const answer = await starter()(batch(drop("automated/2026-12-box-17.zip", bag)));
        assert.deepStrictEqual(answer, { batchItemFailures: [] });
        assert.deepStrictEqual(results(), [{ kind: "started", transferUuid: T1, replay: false }]);

        assert.strictEqual(posts().length, 1);
        const post = posts()[0];
        assert.strictEqual(post.path, "/api/v2beta/package/");
        assert.strictEqual(post.headers.authorization, "ApiKey curator:dash-key-1");
        assert.strictEqual(post.headers["content-type"], "application/json");
        assert.deepStrictEqual(JSON.parse(post.body), {
            name: "2026-12-box-17",
            type: "zipped bag",
            path: Buffer.from(`${LOC_AUTOMATED}:/automated/2026-12-box-17.zip`).toString("base64"),
            processing_config: "automated",
            auto_approve: true,
        });
        assert.deepStrictEqual(
            ssServer.requests.map((r) => `${r.method} ${r.path} ${r.headers.authorization}`),
            [
                "GET /api/v2/location/?purpose=TS&relative_path=automated&limit=1000 ApiKey curator:ss-key-1",
                `GET /api/v2/space/${TS_SPACE}/ ApiKey curator:ss-key-1`,
            ],
        );
        // Only the archive's end and its central directory were read, of that very version.
        assert.deepStrictEqual(
            aws.bucket.reads.map((r) => r.versionId),
            ["v1", "v1"],
        );
        assert.deepStrictEqual(aws.bucket.puts, [
            {
                key: "feedback/automated/2026-12-box-17.zip.started.json",
                contentType: "application/json",
                text:
                    JSON.stringify(
                        {
                            object: `s3://${BUCKET}/automated/2026-12-box-17.zip`,
                            versionId: "v1",
                            outcome: "started",
                            processingConfig: "automated",
                            transferType: "zipped bag",
                            transferName: "2026-12-box-17",
                            transferUuid: T1,
                            startedAt: "2026-03-01T10:00:00.000Z",
                            next: "the outcome will be written to feedback/automated/2026-12-box-17.zip.stored.json or feedback/automated/2026-12-box-17.zip.failed.json",
                        },
                        null,
                        2,
                    ) + "\n",
            },
        ]);
        assert.deepStrictEqual(aws.table.row("automated/2026-12-box-17.zip", "v1"), {
            key: "automated/2026-12-box-17.zip",
            versionId: "v1",
            bucket: BUCKET,
            size: bag.length,
            state: "STARTED",
            processingConfig: "automated",
            transferType: "zipped bag",
            transferName: "2026-12-box-17",
            claimId: "m-1",
            claimExpiresAt: now.getTime() + 960_000,
            dashboardCalledAt: "2026-03-01T10:00:00.000Z",
            transferUuid: T1,
            startedAt: "2026-03-01T10:00:00.000Z",
            phase: "transfer",
            phaseSince: "2026-03-01T10:00:00.000Z",
            open: "open",
            openSince: "2026-03-01T10:00:00.000Z",
            updatedAt: "2026-03-01T10:00:00.000Z",
        });
        assert.deepStrictEqual(aws.metrics, [
            {
                name: "TransfersStarted",
                value: 1,
                unit: "Count",
                dimensions: [{ Name: "Environment", Value: "staging" }],
                namespace: "Archivematica/Ingest",
            },
        ]);
        assert.strictEqual(aws.bucket.objects.get("automated/2026-12-box-17.zip")!.length, 1);
        uploadsUntouched();
    });

    it("sends a zip without a bag as `zipfile`, and a bag in a .tar.gz as `zipped bag`", async () => {
        script["POST /api/v2beta/package/"] = [packageAccepted(T1), packageAccepted(T2)];
        await starter()(
            batch(
                drop("default/letters.zip", zipOf({ "letters/a.txt": "a" }), "m-1"),
                drop("automated/box.tar.gz", tarGzOf(bagMembers("box")), "m-2"),
            ),
        );
        assert.deepStrictEqual(
            posts().map((p) => [
                JSON.parse(p.body).type,
                JSON.parse(p.body).name,
                Buffer.from(JSON.parse(p.body).path, "base64").toString(),
            ]),
            [
                ["zipfile", "letters", `${LOC_DEFAULT}:/default/letters.zip`],
                ["zipped bag", "box", `${LOC_AUTOMATED}:/automated/box.tar.gz`],
            ],
        );
    });

    it("a replayed event (the same message, or a new message for the same version) returns the same transfer and starts nothing", async () => {
        const first = drop("automated/box-17.zip", zipOf(bagMembers("box-17")));
        const run = starter();
        await run(batch(first));
        const putsAfterFirst = aws.bucket.puts.length;
        await run(batch(first));
        await run(batch(message("m-2", first.body)));
        assert.strictEqual(posts().length, 1);
        assert.deepStrictEqual(results(), [
            { kind: "started", transferUuid: T1, replay: false },
            { kind: "started", transferUuid: T1, replay: true },
            { kind: "started", transferUuid: T1, replay: true },
        ]);
        assert.strictEqual(aws.bucket.puts.length, putsAfterFirst, "no feedback rewritten");
        assert.strictEqual(aws.metrics.length, 1, "counted once");
    });

    it("concurrent duplicate events for one version start one transfer", async () => {
        const first = drop("automated/box-17.zip", zipOf(bagMembers("box-17")));
        const run = starter();
        const answers = await Promise.all([1, 2, 3, 4].map((n) => run(batch(message(`m-${n}`, first.body)))));
        assert.deepStrictEqual(
            answers,
            [1, 2, 3, 4].map(() => ({ batchItemFailures: [] })),
        );
        assert.strictEqual(posts().length, 1);
        const kinds = results().map((r) => (r as { kind: string }).kind);
        assert.strictEqual(kinds.filter((k) => k === "started").length >= 1, true);
        assert.deepStrictEqual(
            kinds.filter((k) => k !== "started" && k !== "busy"),
            [],
        );
        assert.strictEqual(aws.table.row("automated/box-17.zip", "v1")!.transferUuid, T1);
    });

    it("a new version of the same key is a new package: one transfer per version", async () => {
        script["POST /api/v2beta/package/"] = [packageAccepted(T1), packageAccepted(T2)];
        const run = starter();
        await run(batch(drop("automated/box-17.zip", zipOf(bagMembers("box-17")), "m-1")));
        const second = drop("automated/box-17.zip", zipOf(bagMembers("box-17")), "m-2");
        await run(batch(second));
        assert.deepStrictEqual(results(), [
            { kind: "started", transferUuid: T1, replay: false },
            { kind: "started", transferUuid: T2, replay: false },
        ]);
        assert.deepStrictEqual(
            JSON.parse(aws.bucket.text("feedback/automated/box-17.zip.started.json")!).versionId,
            JSON.parse(second.body).detail.object["version-id"],
        );
    });

    it("an event for a version that is no longer the current one starts nothing (the newer version's event will)", async () => {
        const old = drop("automated/box-17.zip", zipOf(bagMembers("box-17")));
        aws.bucket.upload("automated/box-17.zip", zipOf(bagMembers("box-17")));
        await starter()(batch(old));
        assert.deepStrictEqual(results(), [{ kind: "superseded" }]);
        assert.strictEqual(posts().length, 0);
        assert.strictEqual(aws.table.row("automated/box-17.zip", "v1")!.state, "SUPERSEDED");
        assert.deepStrictEqual(aws.bucket.puts, []);
    });

    /** Key, bytes, expected feedback key, expected reason, refusal code. */
    const refusals: [string, () => Buffer, string, string, string][] = [
        [
            "automated/box\u0007.zip",
            () => zipOf({ "a.txt": "a" }),
            "feedback/automated/box_.zip.failed.json",
            "the object key contains a control character (U+0007); rename it without one",
            "control-character",
        ],
        [
            "fast/box-17.zip",
            () => zipOf({ "a.txt": "a" }),
            "feedback/fast/box-17.zip.failed.json",
            '"fast" is not a processing configuration of this stack; valid: automated, default',
            "unknown-config",
        ],
        [
            "automated/box-17.7z",
            () => Buffer.from("7z"),
            "feedback/automated/box-17.7z.failed.json",
            '"box-17.7z" is not an archive Archivematica can start; valid extensions: .zip, .tgz, .tar.gz',
            "unsupported-extension",
        ],
        [
            "automated/box-17.zip",
            () => Buffer.alloc(0),
            "feedback/automated/box-17.zip.failed.json",
            "the object is empty (0 bytes)",
            "empty",
        ],
        [
            "automated/box-17.zip",
            () => Buffer.alloc(2 ** 30 + 1),
            "feedback/automated/box-17.zip.failed.json",
            "the object is 1 GiB (1073741825 bytes), more than this stack takes (maxTransferSizeGiB: 1 GiB)",
            "too-large",
        ],
        [
            "automated/box-17.zip",
            () => Buffer.from("this is not a zip, only its name says so"),
            "feedback/automated/box-17.zip.failed.json",
            '"box-17.zip" is not a readable .zip archive: no end-of-central-directory record (not a zip file, or truncated)',
            "unreadable",
        ],
        [
            "automated/box-17.tgz",
            () => Buffer.from("neither gzip nor tar"),
            "feedback/automated/box-17.tgz.failed.json",
            '"box-17.tgz" is not a readable .tgz archive: gzip: incorrect header check',
            "unreadable",
        ],
    ];
    for (const [key, bytes, feedback, reason, code] of refusals) {
        it(`refuses ${JSON.stringify(key)} (${code}) with feedback naming the reason, once, and leaves the object`, async () => {
            const m = drop(key, bytes());
            const run = starter();
            await run(batch(m));
            await run(batch(message("m-2", m.body)));
            assert.deepStrictEqual(results(), [
                { kind: "refused", code, replay: false },
                { kind: "refused", code, replay: true },
            ]);
            assert.deepStrictEqual(
                aws.bucket.puts.map((p) => p.key),
                [feedback],
            );
            assert.strictEqual(
                aws.bucket.puts[0].text,
                JSON.stringify(
                    {
                        object: `s3://${BUCKET}/${key}`,
                        versionId: "v1",
                        outcome: "failed",
                        stage: "refused before starting",
                        reason,
                        at: UPLOADED,
                        note: "the object was left as it is",
                    },
                    null,
                    2,
                ) + "\n",
            );
            assert.deepStrictEqual(
                aws.metrics.map((x) => [x.name, x.value]),
                [["TransfersRefused", 1]],
            );
            assert.strictEqual(posts().length, 0);
            assert.strictEqual(aws.bucket.objects.get(key)!.length, 1);
            uploadsUntouched();
        });
    }

    it("refuses a folder-shaped upload once for the whole folder", async () => {
        const run = starter();
        const files = ["objects/a.tif", "objects/b.tif", "metadata/metadata.csv"];
        await run(batch(...files.map((f, i) => drop(`automated/box-17/${f}`, Buffer.from(f), `m-${i}`))));
        assert.deepStrictEqual(
            aws.bucket.puts.map((p) => p.key),
            ["feedback/automated/box-17.failed.json"],
        );
        assert.deepStrictEqual(JSON.parse(aws.bucket.puts[0].text), {
            folder: `s3://${BUCKET}/automated/box-17/`,
            outcome: "failed",
            stage: "refused before starting",
            reason: '"automated/box-17/" is a folder: upload each transfer as one archive (.zip, .tgz, .tar.gz) directly under automated/, e.g. automated/box-17.zip',
            at: UPLOADED,
            note: "the objects were left as they are",
        });
        assert.deepStrictEqual(
            aws.metrics.map((x) => x.name),
            ["TransfersRefused"],
        );
        assert.strictEqual(aws.table.row("automated/box-17/", "(folder)")!.state, "REFUSED");
    });

    it("refuses a version deleted before it could start", async () => {
        const m = drop("automated/box-17.zip", zipOf(bagMembers("box-17")));
        aws.bucket.remove("automated/box-17.zip");
        await starter()(batch(m));
        assert.deepStrictEqual(results(), [{ kind: "refused", code: "gone", replay: false }]);
        assert.strictEqual(JSON.parse(aws.bucket.puts[0].text).reason, "the object was deleted before its transfer could start");
    });

    it("ignores its own feedback, the manual transfers/ area, other buckets and other events", async () => {
        const other = JSON.parse(eventBody("automated/x.zip", "v9", 10));
        other.detail.bucket.name = "someone-elses-bucket";
        await starter()(
            batch(
                message("m-1", eventBody("feedback/automated/x.zip.started.json", "v1", 10)),
                message("m-2", eventBody("transfers/my-transfer/a.txt", "v1", 10)),
                message("m-3", JSON.stringify(other)),
                message("m-4", JSON.stringify({ source: "aws.s3", "detail-type": "Object Deleted", detail: {} })),
                message("m-5", "not json"),
            ),
        );
        assert.deepStrictEqual(results(), [
            { kind: "ignored", why: "under feedback/" },
            { kind: "ignored", why: "under transfers/" },
            { kind: "ignored", why: "bucket someone-elses-bucket is not the transfer bucket" },
            { kind: "ignored", why: "not an S3 Object Created event" },
            { kind: "ignored", why: "the message is not JSON" },
        ]);
        assert.deepStrictEqual(aws.table.calls, []);
    });

    it("a dashboard that refuses the start (500) is retried later with backoff, and the retry starts it once", async () => {
        script["POST /api/v2beta/package/"] = [packageCannotBeCreated(), packageAccepted(T1)];
        const m = drop("automated/box-17.zip", zipOf(bagMembers("box-17")));
        const run = starter();
        assert.deepStrictEqual(await run(batch(m)), { batchItemFailures: [{ itemIdentifier: "m-1" }] });
        assert.deepStrictEqual(aws.visibility, [{ queueUrl: QUEUE_URL, receiptHandle: "receipt-m-1-1", seconds: 60 }]);
        assert.deepStrictEqual(logs.at(-1), {
            message: "m-1",
            retry: 'POST /api/v2beta/package/ answered HTTP 500: {"error":true,"message":"Package cannot be created"}',
        });
        const row = aws.table.row("automated/box-17.zip", "v1")!;
        assert.strictEqual(row.state, "CLAIMED");
        assert.strictEqual(row.dashboardCalledAt, undefined, "the call marker is cleared: nothing was started");
        assert.deepStrictEqual(aws.bucket.puts, []);

        now = new Date(now.getTime() + 60_000);
        assert.deepStrictEqual(await run(batch(message("m-1", m.body, 2))), { batchItemFailures: [] });
        assert.strictEqual(posts().length, 2);
        assert.strictEqual(aws.table.row("automated/box-17.zip", "v1")!.transferUuid, T1);
    });

    it("a dashboard that stays down: quick retries, then SQS backoff 1, 2, 4, 8, 15… min, then the dead-letter queue; nothing started", async () => {
        settings.dashboardUrl = await closedPort();
        const m = drop("automated/box-17.zip", zipOf(bagMembers("box-17")));
        const run = starter();
        // SQS as the redrive policy runs it: each failed delivery comes back until maxReceiveCount, then goes to the DLQ.
        const deadLetters: string[] = [];
        for (let receive = 1; receive <= MAX_RECEIVE_COUNT + 1; receive++) {
            if (receive > MAX_RECEIVE_COUNT) {
                deadLetters.push(m.messageId);
                break;
            }
            const answer = await run(batch(message("m-1", m.body, receive)));
            assert.deepStrictEqual(answer, { batchItemFailures: [{ itemIdentifier: "m-1" }] });
        }
        assert.deepStrictEqual(
            aws.visibility.map((v) => v.seconds),
            [60, 120, 240, 480, 900, 900, 900, 900],
        );
        assert.deepStrictEqual(sleeps, Array.from({ length: MAX_RECEIVE_COUNT }, () => [2000, 4000]).flat());
        assert.deepStrictEqual(deadLetters, ["m-1"]);
        assert.match(
            String(logs.at(-1)!.retry),
            /^the dashboard could not be reached: POST http:\/\/127\.0\.0\.1:\d+\/api\/v2beta\/package\/: ECONNREFUSED /,
        );
        const row = aws.table.row("automated/box-17.zip", "v1")!;
        assert.strictEqual(row.state, "CLAIMED");
        assert.strictEqual(row.dashboardCalledAt, undefined);
        assert.deepStrictEqual(aws.metrics, []);
    });

    it("an answer lost after the request was sent is never retried: UNKNOWN, feedback and a metric", async () => {
        const silent = await silentServer();
        try {
            settings.dashboardUrl = silent.url;
            const m = drop("automated/box-17.zip", zipOf(bagMembers("box-17")));
            const run = starter({ httpTimeoutMs: 300 });
            assert.deepStrictEqual(await run(batch(m)), { batchItemFailures: [] });
            assert.deepStrictEqual(await run(batch(message("m-2", m.body))), { batchItemFailures: [] });
            assert.strictEqual(silent.received(), 1, "one start request, never repeated");
            assert.deepStrictEqual(results(), [{ kind: "unknown" }, { kind: "unknown" }]);
            assert.strictEqual(aws.table.row("automated/box-17.zip", "v1")!.state, "UNKNOWN");
            const doc = aws.bucket.json("feedback/automated/box-17.zip.failed.json") as Record<string, unknown>;
            assert.match(
                String(doc.message),
                /^the start request reached the dashboard but its answer was lost \(POST http:\/\/127\.0\.0\.1:\d+\/api\/v2beta\/package\/: no answer within 0\.3 s\); a transfer named "box-17" may or may not have started\. Look for it in the dashboard's Transfer tab; if it is not there, upload the package again \(a new version is started once\)$/,
            );
            assert.deepStrictEqual(
                aws.metrics.map((x) => x.name),
                ["TransfersUnknown"],
            );
        } finally {
            await silent.close();
        }
    });

    it("started on the dashboard but not recorded in the table: the retry reads the UUID back from feedback and starts nothing", async () => {
        aws.table.failUpdatesTo = { state: "STARTED", times: 1 };
        const m = drop("automated/box-17.zip", zipOf(bagMembers("box-17")));
        const run = starter();
        assert.deepStrictEqual(await run(batch(m)), { batchItemFailures: [{ itemIdentifier: "m-1" }] });
        assert.strictEqual(aws.table.row("automated/box-17.zip", "v1")!.state, "CLAIMED");
        assert.strictEqual(JSON.parse(aws.bucket.text("feedback/automated/box-17.zip.started.json")!).transferUuid, T1);

        assert.deepStrictEqual(await run(batch(message("m-1", m.body, 2))), { batchItemFailures: [] });
        assert.strictEqual(posts().length, 1);
        assert.deepStrictEqual(results(), [{ kind: "started", transferUuid: T1, replay: true }]);
        const row = aws.table.row("automated/box-17.zip", "v1")!;
        assert.deepStrictEqual([row.state, row.transferUuid, row.open], ["STARTED", T1, "open"]);
    });

    it("started but neither the table nor the feedback could be written: the retry marks it UNKNOWN rather than start again", async () => {
        aws.table.failUpdatesTo = { state: "STARTED", times: 1 };
        aws.bucket.failPutsUnder = "feedback/automated/box-17.zip.started";
        const m = drop("automated/box-17.zip", zipOf(bagMembers("box-17")));
        const run = starter();
        await run(batch(m));
        await run(batch(message("m-1", m.body, 2)));
        assert.strictEqual(posts().length, 1);
        assert.deepStrictEqual(results(), [{ kind: "unknown" }]);
        const doc = aws.bucket.json("feedback/automated/box-17.zip.failed.json") as Record<string, unknown>;
        assert.strictEqual(
            doc.message,
            'an earlier attempt sent the start request at 2026-03-01T10:00:00.000Z and stopped before recording its answer; a transfer named "box-17" may or may not have started. Look for it in the dashboard\'s Transfer tab; if it is not there, upload the package again (a new version is started once)',
        );
    });

    it("a duplicate finds another message's live claim and drops out; an expired claim that never called the dashboard is taken over", async () => {
        const m = drop("automated/box-17.zip", zipOf(bagMembers("box-17")));
        await aws.clients.db.send(
            new (await import("@aws-sdk/lib-dynamodb")).PutCommand({
                TableName: settings.table,
                Item: {
                    key: "automated/box-17.zip",
                    versionId: "v1",
                    bucket: BUCKET,
                    size: 10,
                    state: "CLAIMED",
                    processingConfig: "automated",
                    transferType: "zipped bag",
                    transferName: "box-17",
                    claimId: "m-0",
                    claimExpiresAt: now.getTime() + 1000,
                    updatedAt: now.toISOString(),
                },
            }),
        );
        const run = starter();
        await run(batch(m));
        assert.deepStrictEqual(results(), [{ kind: "busy" }]);
        assert.strictEqual(posts().length, 0);
        now = new Date(now.getTime() + 2000);
        await run(batch(message("m-1", m.body, 2)));
        assert.deepStrictEqual(results().at(-1), { kind: "started", transferUuid: T1, replay: false });
        assert.strictEqual(aws.table.row("automated/box-17.zip", "v1")!.claimId, "m-1");
    });

    it("waits (with backoff) for configure_storage.py to create the configuration's location, without calling the dashboard", async () => {
        ss.locations = ss.locations.filter((l) => l.uuid !== LOC_AUTOMATED);
        const m = drop("automated/box-17.zip", zipOf(bagMembers("box-17")));
        assert.deepStrictEqual(await starter()(batch(m)), { batchItemFailures: [{ itemIdentifier: "m-1" }] });
        assert.deepStrictEqual(logs.at(-1), {
            message: "m-1",
            retry: `the Storage Service has no transfer source location "automated" on s3://${BUCKET} yet (bootstrap/configure_storage.py creates it)`,
        });
        assert.strictEqual(posts().length, 0);
    });
});

/** A URL on which nothing listens. */
async function closedPort(): Promise<string> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return `http://127.0.0.1:${port}`;
}

/** A server that reads each request whole and never answers. */
async function silentServer() {
    let count = 0;
    const sockets = new Set<import("node:net").Socket>();
    const server = http.createServer((req) => {
        req.resume();
        req.on("end", () => count++);
    });
    server.on("connection", (s) => sockets.add(s));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        received: () => count,
        close: () =>
            new Promise<void>((resolve) => {
                for (const s of sockets) s.destroy();
                server.close(() => resolve());
            }),
    };
}
