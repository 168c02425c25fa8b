/**
 * bootstrap/smoke_transfer.py with a recording stand-in for boto3 whose feedback files appear on a
 * schedule of polls (as the ingest starter and monitor would write them), and the fake Storage
 * Service: the exact upload, a stored AIP checked in the Storage Service, every outcome the feedback
 * can carry (the monitor's "never started" reason included: it stops at once), a timeout's last
 * sighting, and the refusals.
 */
import * as assert from "assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseCentralDirectory, parseZipTail } from "../../functions/ingest/core/archive-listing";
import { failedDocument } from "../../functions/ingest/core/feedback";
import { neverStarted } from "../../functions/ingest/core/follow";
import { noJobsFound, noJobYet } from "../support/fake-dashboard";
import { FakeServer, runPython, startFakeServer } from "../support/fake-http";
import { FakeStorageService } from "./fake-storage-service";
import { BOOTSTRAP_DIR, calls, pyCompile } from "./python";

const SCRIPT = path.join(BOOTSTRAP_DIR, "smoke_transfer.py");
const TRANSFER = "11111111-1111-4111-8111-111111111111";
const SIP = "22222222-2222-4222-8222-222222222222";
const AIP_SPACE = "eeee0002-0000-4000-8000-000000000002";
const AS_LOCATION = "ffff0002-0000-4000-8000-000000000002";
const AIP_PATH = "2222/2222/2222/2222/2222/2222/2222/2222/smoke-test-1-22222222-2222-4222-8222-222222222222.7z";
const KEY = "automated/smoke-test-1.zip";
const BUCKET = "am-staging-transfers";

/** boto3 stand-in: put_object answers version "v7"; get_object serves FAKE_S3_SCHEDULE by poll count. */
const FAKE_BOTO3 = `import base64, json, os
class NoSuchKey(Exception):
    pass
class _Exceptions:
    NoSuchKey = NoSuchKey
class _Body:
    def __init__(self, data):
        self._data = data
    def read(self):
        return self._data
def client(service, **kwargs):
    return _Client(service)
class _Client:
    exceptions = _Exceptions()
    def __init__(self, service):
        self._log({"client": service})
    def _log(self, entry):
        with open(os.environ["FAKE_BOTO3_LOG"], "a") as f:
            f.write(json.dumps(entry) + "\\n")
    def put_object(self, **kwargs):
        if os.environ.get("FAKE_BOTO3_FAIL"):
            raise RuntimeError(os.environ["FAKE_BOTO3_FAIL"])
        kwargs["Body"] = base64.b64encode(kwargs["Body"]).decode("ascii")
        self._log({"put_object": kwargs})
        return {"ETag": '"0"', "VersionId": "v7"}
    def get_object(self, Bucket, Key):
        counts_path = os.environ["FAKE_BOTO3_LOG"] + ".counts"
        counts = json.load(open(counts_path)) if os.path.exists(counts_path) else {}
        counts[Key] = counts.get(Key, 0) + 1
        json.dump(counts, open(counts_path, "w"))
        schedule = json.loads(os.environ.get("FAKE_S3_SCHEDULE", "{}")).get(Key, [])
        found = [doc for poll, doc in schedule if poll <= counts[Key]]
        if not found:
            raise NoSuchKey(Key)
        return {"Body": _Body(json.dumps(found[-1]).encode("utf-8"))}
`;

function configuredStorageService(): FakeStorageService {
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
        bucket: "am-staging-aips",
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
    ss.packages.push({
        uuid: SIP,
        package_type: "AIP",
        status: "UPLOADED",
        current_location: `/api/v2/location/${AS_LOCATION}/`,
        current_path: AIP_PATH,
    });
    return ss;
}

const header = (outcome: string, versionId = "v7") => ({ object: `s3://${BUCKET}/${KEY}`, versionId, outcome });
const STARTED = {
    ...header("started"),
    processingConfig: "automated",
    transferType: "zipfile",
    transferName: "smoke-test-1",
    transferUuid: TRANSFER,
    startedAt: "2026-03-01T10:00:00.000Z",
};
const STORED = {
    ...header("stored"),
    transferUuid: TRANSFER,
    aipUuid: SIP,
    aip: `s3://am-staging-aips/aips/${AIP_PATH}`,
    storedAt: "2026-03-01T10:20:00.000Z",
};
const feedback = (outcome: string) => `feedback/${KEY}.${outcome}.json`;

describe("bootstrap/smoke_transfer.py", () => {
    let ss: FakeStorageService;
    let ssServer: FakeServer;
    let tmp: string;

    beforeEach(async () => {
        ss = configuredStorageService();
        ssServer = await startFakeServer(ss.handle);
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "smoke-"));
        fs.mkdirSync(path.join(tmp, "lib", "boto3"), { recursive: true });
        fs.writeFileSync(path.join(tmp, "lib", "boto3", "__init__.py"), FAKE_BOTO3);
    });
    afterEach(async () => {
        await ssServer.close();
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    /** Runs the script; `schedule` says from which poll each feedback file exists, and with what. */
    function run(schedule: Record<string, [number, unknown][]>, overrides: Record<string, string> = {}) {
        return runPython(SCRIPT, [], {
            PYTHONPATH: path.join(tmp, "lib"),
            FAKE_BOTO3_LOG: path.join(tmp, "boto3.log"),
            FAKE_S3_SCHEDULE: JSON.stringify(schedule),
            SMOKE_SS_URL: ssServer.url,
            SMOKE_USERNAME: "curator",
            SMOKE_SS_API_KEY: "ss-key-1",
            SMOKE_TRANSFER_BUCKET: BUCKET,
            SMOKE_AIP_BUCKET: "am-staging-aips",
            SMOKE_POLL_ATTEMPTS: "10",
            SMOKE_POLL_SECONDS: "0",
            SMOKE_TRANSFER_NAME: "smoke-test-1",
            ...overrides,
        });
    }
    const s3Log = () =>
        fs.existsSync(path.join(tmp, "boto3.log"))
            ? fs
                  .readFileSync(path.join(tmp, "boto3.log"), "utf8")
                  .trim()
                  .split("\n")
                  .map((l) => JSON.parse(l))
            : [];
    const polls = () => {
        const file = path.join(tmp, "boto3.log.counts");
        return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8"))[feedback("started")] as number) : 0;
    };

    it("compiles", () => pyCompile(SCRIPT));

    it("drops a small zip under automated/, waits for the stored feedback, and checks the AIP in the Storage Service", async () => {
        const r = await run({ [feedback("started")]: [[2, STARTED]], [feedback("stored")]: [[4, STORED]] });
        assert.strictEqual(r.stderr, "");
        assert.strictEqual(r.code, 0);
        const [client, put] = s3Log();
        assert.deepStrictEqual(client, { client: "s3" });
        assert.deepStrictEqual({ ...put.put_object, Body: "…" }, { Bucket: BUCKET, Key: KEY, Body: "…", ContentType: "application/zip" });
        const zip = Buffer.from(put.put_object.Body, "base64");
        const where = parseZipTail(zip);
        assert.ok(where.kind === "directory");
        assert.deepStrictEqual(parseCentralDirectory(zip.subarray(where.offset, where.offset + where.size), where.entries), [
            "smoke-test-1/README.txt",
            "smoke-test-1/sample.txt",
        ]);
        assert.strictEqual(polls(), 4);
        assert.deepStrictEqual(calls(ssServer.requests), [
            `GET /api/v2/file/${SIP}/`,
            `GET /api/v2/location/${AS_LOCATION}/`,
            `GET /api/v2/space/${AIP_SPACE}/`,
        ]);
        for (const q of ssServer.requests) assert.strictEqual(q.headers.authorization, "ApiKey curator:ss-key-1");
        assert.deepStrictEqual(r.stdout.trim().split("\n"), [
            `dropped s3://${BUCKET}/${KEY} (version v7)`,
            `smoke transfer ${KEY}: transfer ${TRANSFER} started (zipfile)`,
            `smoke transfer ${KEY}: AIP ${SIP} stored in s3://am-staging-aips/aips/${AIP_PATH}`,
        ]);
    });

    it("the same zip bytes every run (fixed timestamps), so a repeated name is a byte-identical package", async () => {
        await run({ [feedback("stored")]: [[1, STORED]] });
        await run({ [feedback("stored")]: [[1, STORED]] });
        const puts = s3Log().filter((e) => e.put_object);
        assert.strictEqual(puts.length, 2);
        assert.strictEqual(puts[0].put_object.Body, puts[1].put_object.Body);
    });

    it("a transfer whose start failed: stops at the first poll that shows the monitor's reason (its own document), not after the whole budget", async () => {
        // Exactly what the monitor writes (core/follow.ts neverStarted, core/feedback.ts failedDocument) for 1.18's answers.
        const failure = neverStarted(
            "transfer",
            TRANSFER,
            { minutes: 31, status: { http: 400, body: noJobYet(TRANSFER).body } },
            { http: 400, body: noJobsFound(TRANSFER).body },
        );
        assert.ok(!("kind" in failure));
        const document = failedDocument(
            { bucket: BUCKET, key: KEY, versionId: "v7" },
            { ...failure, transferUuid: TRANSFER, failedAt: "2026-03-01T10:31:00.000Z" },
        );
        const r = await run(
            { [feedback("started")]: [[1, STARTED]], [feedback("failed")]: [[3, document]] },
            { SMOKE_POLL_ATTEMPTS: "344" },
        );
        assert.strictEqual(r.code, 1);
        assert.strictEqual(
            r.stderr,
            `smoke_transfer: smoke transfer ${KEY}: failed (never started): the transfer never started: 31 min after it was handed over, ` +
                `MCPServer has no job for it (the dashboard answers HTTP 400 "Unable to determine the status of the unit ${TRANSFER}" and ` +
                `HTTP 400 "No jobs found for unit: ${TRANSFER}"), so its start failed inside MCPServer before the first job (copying the ` +
                `package from the transfer source, or moving it to the processing directory); MCPServer logs the cause only, as ` +
                `"Exception occurred during transfer processing" with its traceback in the mcp-server log group\n`,
        );
        assert.strictEqual(polls(), 3);
        assert.deepStrictEqual(ssServer.requests, []);
    });

    const outcomes: [string, Record<string, [number, unknown][]>, string][] = [
        [
            "a failed job",
            {
                [feedback("failed")]: [
                    [
                        1,
                        {
                            ...header("failed"),
                            failedJob: "Verify bag, and restructure for compliance",
                            microservice: "Verify transfer compliance",
                            message: "job failed",
                            failedAt: "x",
                        },
                    ],
                ],
            },
            `smoke transfer ${KEY}: failed at job 'Verify bag, and restructure for compliance': job failed`,
        ],
        [
            "a refusal",
            {
                [feedback("failed")]: [
                    [
                        1,
                        {
                            ...header("failed"),
                            stage: "refused before starting",
                            reason: '"automated" is not a processing configuration of this stack; valid: default',
                            at: "x",
                        },
                    ],
                ],
            },
            `smoke transfer ${KEY}: failed (refused before starting): "automated" is not a processing configuration of this stack; valid: default`,
        ],
        [
            "the backlog",
            { [feedback("backlog")]: [[1, { ...header("backlog"), transferUuid: TRANSFER }]] },
            `smoke transfer ${KEY}: sent to backlog, no AIP; the processing configuration must store AIPs`,
        ],
        [
            "a decision left open",
            {
                [feedback("started")]: [
                    [
                        1,
                        {
                            ...STARTED,
                            waitingFor:
                                'a decision at "Approve normalization" in the dashboard (the processing configuration does not decide it)',
                        },
                    ],
                ],
            },
            `smoke transfer ${KEY}: transfer ${TRANSFER} waits for a decision at "Approve normalization" in the dashboard (the processing configuration does not decide it)`,
        ],
    ];
    for (const [what, schedule, message] of outcomes) {
        it(`exits 1 with the feedback's reason: ${what}`, async () => {
            const r = await run(schedule);
            assert.strictEqual(r.code, 1);
            assert.strictEqual(r.stderr, `smoke_transfer: ${message}\n`);
        });
    }

    it("ignores feedback about another version of the same key; times out (exit 3) naming the starter", async () => {
        const r = await run({ [feedback("stored")]: [[1, { ...STORED, versionId: "v3" }]] }, { SMOKE_POLL_ATTEMPTS: "3" });
        assert.strictEqual(r.code, 3);
        assert.strictEqual(
            r.stderr,
            `smoke_transfer: gave up after 3 polls of 0 s: s3://${BUCKET}/${KEY}: no feedback yet: the ingest starter has not taken the upload (see its log group and dead-letter queue)\n`,
        );
    });

    it("times out (exit 3) after a start with no outcome, naming the transfer", async () => {
        const r = await run({ [feedback("started")]: [[1, STARTED]] }, { SMOKE_POLL_ATTEMPTS: "3" });
        assert.strictEqual(r.code, 3);
        assert.strictEqual(
            r.stderr,
            `smoke_transfer: gave up after 3 polls of 0 s: s3://${BUCKET}/${KEY}: transfer ${TRANSFER} started, no outcome yet (the ingest monitor writes it: see its log group and errors)\n`,
        );
    });

    it("an AIP the Storage Service keeps outside the AIP bucket exits 1", async () => {
        ss.packages[0].current_location = "/api/v2/location/cccc0002-0000-4000-8000-000000000002/";
        const r = await run({ [feedback("stored")]: [[1, STORED]] });
        assert.strictEqual(r.code, 1);
        assert.strictEqual(
            r.stderr,
            `smoke_transfer: AIP ${SIP} is in location cccc0002-0000-4000-8000-000000000002 on FS space aaaa0001-0000-4000-8000-000000000001, not on s3://am-staging-aips; run configure_storage.py configure\n`,
        );
    });

    it("a wrong Storage Service key (401) exits 4", async () => {
        const r = await run({ [feedback("stored")]: [[1, STORED]] }, { SMOKE_SS_API_KEY: "stale" });
        assert.strictEqual(r.code, 4);
        assert.strictEqual(
            r.stderr,
            `smoke_transfer: GET storage-service/api/v2/file/${SIP}/: HTTP 401, the Storage Service refused the API key\n`,
        );
    });

    it("an upload refused by IAM exits 4 with the key", async () => {
        const r = await run(
            {},
            { FAKE_BOTO3_FAIL: "An error occurred (AccessDenied) when calling the PutObject operation: Access Denied" },
        );
        assert.strictEqual(r.code, 4);
        assert.strictEqual(
            r.stderr,
            `smoke_transfer: S3 PutObject s3://${BUCKET}/${KEY} failed: An error occurred (AccessDenied) when calling the PutObject operation: Access Denied\n`,
        );
    });

    it("without boto3 (not the Storage Service image) exits 2", async () => {
        fs.rmSync(path.join(tmp, "lib", "boto3"), { recursive: true });
        fs.writeFileSync(path.join(tmp, "lib", "boto3.py"), 'raise ImportError("No module named boto3")\n');
        const r = await run({});
        assert.strictEqual(r.code, 2);
        assert.strictEqual(
            r.stderr,
            "smoke_transfer: boto3: not importable here; run this task on the Storage Service image, which ships it\n",
        );
    });

    const badConfig: [string, Record<string, string>, string][] = [
        ["no Storage Service key", { SMOKE_SS_API_KEY: "" }, "SMOKE_SS_API_KEY: missing; set it in the task definition"],
        ["a bad bucket", { SMOKE_AIP_BUCKET: "s3://am-staging-aips" }, "SMOKE_AIP_BUCKET: 's3://am-staging-aips' is not an S3 bucket name"],
        ["no attempts", { SMOKE_POLL_ATTEMPTS: "0" }, "SMOKE_POLL_ATTEMPTS: '0' is not an integer >= 1"],
        ["a bad name", { SMOKE_TRANSFER_NAME: "../x" }, "SMOKE_TRANSFER_NAME: '../x' is not a transfer name"],
        [
            "a bad configuration name",
            { SMOKE_PROCESSING_CONFIG: "no-dash" },
            "SMOKE_PROCESSING_CONFIG: 'no-dash' is not a processing configuration name",
        ],
    ];
    for (const [name, overrides, message] of badConfig) {
        it(`bad configuration (${name}): exit 2 before anything is written or requested`, async () => {
            const r = await run({}, overrides);
            assert.strictEqual(r.code, 2);
            assert.strictEqual(r.stderr, `smoke_transfer: ${message}\n`);
            assert.deepStrictEqual(ssServer.requests, []);
            assert.deepStrictEqual(s3Log(), []);
        });
    }
});
