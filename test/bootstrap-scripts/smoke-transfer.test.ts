/**
 * bootstrap/smoke_transfer.py against a fake dashboard and a fake Storage Service, with a recording
 * stand-in for boto3 on PYTHONPATH: the exact requests and S3 writes of a stored AIP, and a failed
 * transfer, a decision left open, an AIP outside the AIP bucket, a timeout and wrong keys.
 */
import * as assert from "assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FakeResponse, FakeServer, RecordedRequest, runPython, startFakeServer } from "../support/fake-http";
import { FakeStorageService } from "./fake-storage-service";
import { BOOTSTRAP_DIR, calls, pyCompile } from "./python";

const SCRIPT = path.join(BOOTSTRAP_DIR, "smoke_transfer.py");
const TRANSFER = "11111111-1111-4111-8111-111111111111";
const SIP = "22222222-2222-4222-8222-222222222222";
const TS_SPACE = "eeee0001-0000-4000-8000-000000000001";
const AIP_SPACE = "eeee0002-0000-4000-8000-000000000002";
const TS_LOCATION = "ffff0001-0000-4000-8000-000000000001";
const AS_LOCATION = "ffff0002-0000-4000-8000-000000000002";
const AIP_PATH = "2222/2222/2222/2222/2222/2222/2222/2222/smoke-test-1-22222222-2222-4222-8222-222222222222.7z";

const FAKE_BOTO3 = `import json, os
def client(service, **kwargs):
    return _Client(service, kwargs)
class _Client:
    def __init__(self, service, kwargs):
        self._log({"client": service, "kwargs": kwargs})
    def _log(self, entry):
        with open(os.environ["FAKE_BOTO3_LOG"], "a") as f:
            f.write(json.dumps(entry) + "\\n")
    def put_object(self, **kwargs):
        if os.environ.get("FAKE_BOTO3_FAIL"):
            raise RuntimeError(os.environ["FAKE_BOTO3_FAIL"])
        kwargs["Body"] = kwargs["Body"].decode("utf-8")
        self._log({"put_object": kwargs})
        return {"ETag": '"0"'}
`;

/** A storage service configured as configure_storage.py leaves it, plus the local defaults. */
function configuredStorageService(): FakeStorageService {
    const ss = FakeStorageService.afterInstall("curator", "ss-key-1", "http://dashboard:8000");
    const s3 = {
        access_protocol: "S3",
        path: "/",
        staging_path: "/var/archivematica/storage_service",
        endpoint_url: "https://s3.eu-west-2.amazonaws.com",
        access_key_id: "",
        secret_access_key: "",
        region: "eu-west-2",
    };
    ss.spaces.push({ uuid: TS_SPACE, ...s3, bucket: "am-staging-transfers" }, { uuid: AIP_SPACE, ...s3, bucket: "am-staging-aips" });
    const pipeline = ["/api/v2/pipeline/bbbb0001-0000-4000-8000-000000000001/"];
    ss.locations.push(
        {
            uuid: TS_LOCATION,
            purpose: "TS",
            relative_path: "transfers",
            description: "Transfer source (S3)",
            space: `/api/v2/space/${TS_SPACE}/`,
            pipeline,
            enabled: true,
        },
        {
            uuid: AS_LOCATION,
            purpose: "AS",
            relative_path: "aips",
            description: "AIP store (S3)",
            space: `/api/v2/space/${AIP_SPACE}/`,
            pipeline,
            enabled: true,
        },
    );
    ss.defaults.TS = TS_LOCATION;
    ss.defaults.AS = AS_LOCATION;
    ss.packages.push({
        uuid: SIP,
        package_type: "AIP",
        status: "UPLOADED",
        current_location: `/api/v2/location/${AS_LOCATION}/`,
        current_path: AIP_PATH,
    });
    return ss;
}

const status = (kind: string, uuid: string, state: string, microservice: string, extra: Record<string, unknown> = {}): FakeResponse => ({
    status: 200,
    body: {
        type: kind,
        uuid,
        status: state,
        microservice,
        directory: `smoke-test-1-${uuid}`,
        name: "smoke-test-1",
        message: `Fetched status for ${uuid} successfully.`,
        ...extra,
    },
});
const NOT_YET: FakeResponse = {
    status: 400,
    body: { type: "transfer", message: `Cannot fetch unitTransfer with UUID ${TRANSFER}`, error: true },
};

/** A dashboard that answers each `METHOD path` from its queue (the last answer repeats), after checking the key. */
function fakeDashboard(script: Record<string, FakeResponse[]>): (req: RecordedRequest) => FakeResponse {
    return (req) => {
        if (req.headers.authorization !== "ApiKey curator:dash-key-1")
            return { status: 403, body: { message: "API key not valid.", error: true } };
        const queue = script[`${req.method} ${req.path}`];
        if (!queue) return { status: 500, body: `fake dashboard: no route for ${req.method} ${req.path}` };
        return queue.length > 1 ? queue.shift()! : queue[0];
    };
}
const SUCCESS_SCRIPT = (): Record<string, FakeResponse[]> => ({
    "POST /api/v2beta/package/": [{ status: 202, body: { id: TRANSFER } }],
    [`GET /api/transfer/status/${TRANSFER}/`]: [
        NOT_YET,
        status("transfer", TRANSFER, "PROCESSING", "Extract packages"),
        status("transfer", TRANSFER, "COMPLETE", "Create SIP from transfer objects", { sip_uuid: SIP }),
    ],
    [`GET /api/ingest/status/${SIP}/`]: [
        status("SIP", SIP, "PROCESSING", "Normalize for preservation"),
        status("SIP", SIP, "COMPLETE", "Remove the processing directory"),
    ],
});

describe("bootstrap/smoke_transfer.py", () => {
    let ss: FakeStorageService;
    let ssServer: FakeServer;
    let dashServer: FakeServer | undefined;
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
        if (dashServer) await dashServer.close();
        dashServer = undefined;
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    async function run(script: Record<string, FakeResponse[]>, overrides: Record<string, string> = {}) {
        dashServer = await startFakeServer(fakeDashboard(script));
        return runPython(SCRIPT, [], {
            PYTHONPATH: path.join(tmp, "lib"),
            FAKE_BOTO3_LOG: path.join(tmp, "boto3.log"),
            SMOKE_DASHBOARD_URL: dashServer.url,
            SMOKE_SS_URL: ssServer.url,
            SMOKE_USERNAME: "curator",
            SMOKE_DASHBOARD_API_KEY: "dash-key-1",
            SMOKE_SS_API_KEY: "ss-key-1",
            SMOKE_TRANSFER_BUCKET: "am-staging-transfers",
            SMOKE_AIP_BUCKET: "am-staging-aips",
            SMOKE_POLL_ATTEMPTS: "10",
            SMOKE_POLL_SECONDS: "0",
            SMOKE_TRANSFER_NAME: "smoke-test-1",
            ...overrides,
        });
    }
    const s3Writes = () =>
        fs.existsSync(path.join(tmp, "boto3.log"))
            ? fs
                  .readFileSync(path.join(tmp, "boto3.log"), "utf8")
                  .trim()
                  .split("\n")
                  .map((l) => JSON.parse(l))
            : [];

    it("compiles", () => pyCompile(SCRIPT));

    it("stores an AIP: exact S3 writes, dashboard and Storage Service requests, one-line result", async () => {
        const r = await run(SUCCESS_SCRIPT());
        assert.strictEqual(r.stderr, "");
        assert.strictEqual(r.code, 0);
        assert.deepStrictEqual(s3Writes(), [
            { client: "s3", kwargs: {} },
            {
                put_object: {
                    Bucket: "am-staging-transfers",
                    Key: "transfers/smoke-tests/smoke-test-1/README.txt",
                    Body: "Archivematica smoke transfer: a tiny sample written by the stack's smoke test.\n",
                    ContentType: "text/plain",
                },
            },
            {
                put_object: {
                    Bucket: "am-staging-transfers",
                    Key: "transfers/smoke-tests/smoke-test-1/sample.txt",
                    Body: "Hello from the smoke test.\n",
                    ContentType: "text/plain",
                },
            },
        ]);
        assert.deepStrictEqual(calls(dashServer!.requests), [
            "POST /api/v2beta/package/",
            `GET /api/transfer/status/${TRANSFER}/`,
            `GET /api/transfer/status/${TRANSFER}/`,
            `GET /api/transfer/status/${TRANSFER}/`,
            `GET /api/ingest/status/${SIP}/`,
            `GET /api/ingest/status/${SIP}/`,
        ]);
        const start = dashServer!.requests[0];
        assert.strictEqual(start.headers["content-type"], "application/json");
        const body = JSON.parse(start.body);
        assert.deepStrictEqual(body, {
            name: "smoke-test-1",
            type: "standard",
            path: Buffer.from(`${TS_LOCATION}:/transfers/smoke-tests/smoke-test-1`).toString("base64"),
            processing_config: "automated",
            auto_approve: true,
        });
        for (const req of dashServer!.requests) assert.strictEqual(req.headers.authorization, "ApiKey curator:dash-key-1");
        assert.deepStrictEqual(calls(ssServer.requests), [
            "GET /api/v2/location/default/TS/",
            `GET /api/v2/location/${TS_LOCATION}/`,
            `GET /api/v2/space/${TS_SPACE}/`,
            `GET /api/v2/file/${SIP}/`,
            `GET /api/v2/location/${AS_LOCATION}/`,
            `GET /api/v2/space/${AIP_SPACE}/`,
        ]);
        for (const req of ssServer.requests) assert.strictEqual(req.headers.authorization, "ApiKey curator:ss-key-1");
        assert.strictEqual(
            r.stdout.trim().split("\n").pop(),
            `smoke transfer smoke-test-1: AIP ${SIP} stored in s3://am-staging-aips/aips/${AIP_PATH} (location ${AS_LOCATION})`,
        );
    });

    it("a transfer still waiting for approval is approved through the API, once", async () => {
        const script = SUCCESS_SCRIPT();
        script[`GET /api/transfer/status/${TRANSFER}/`].splice(
            1,
            0,
            status("transfer", TRANSFER, "USER_INPUT", "Approve standard transfer"),
        );
        script["POST /api/transfer/approve/"] = [{ status: 200, body: { message: "Approval successful.", uuid: TRANSFER } }];
        const r = await run(script);
        assert.strictEqual(r.code, 0, r.stderr);
        const approve = dashServer!.requests.filter((q) => q.method === "POST" && q.path === "/api/transfer/approve/");
        assert.strictEqual(approve.length, 1);
        assert.strictEqual(approve[0].body, `type=standard&directory=smoke-test-1-${TRANSFER}`);
        assert.strictEqual(approve[0].headers["content-type"], "application/x-www-form-urlencoded");
    });

    it("a failed transfer exits 1 with the unit and the microservice", async () => {
        const script = SUCCESS_SCRIPT();
        script[`GET /api/transfer/status/${TRANSFER}/`] = [status("transfer", TRANSFER, "FAILED", "Move to the failed directory")];
        const r = await run(script);
        assert.strictEqual(r.code, 1);
        assert.strictEqual(
            r.stderr,
            `smoke_transfer: smoke transfer smoke-test-1: transfer ${TRANSFER} FAILED at 'Move to the failed directory'\n`,
        );
        assert.deepStrictEqual(calls(ssServer.requests).length, 3, "no AIP lookup after a failure");
    });

    it("an ingest left waiting for a decision exits 1: the processing config must decide everything", async () => {
        const script = SUCCESS_SCRIPT();
        script[`GET /api/ingest/status/${SIP}/`] = [status("SIP", SIP, "USER_INPUT", "Approve normalization")];
        const r = await run(script);
        assert.strictEqual(r.code, 1);
        assert.strictEqual(
            r.stderr,
            `smoke_transfer: smoke transfer smoke-test-1: ingest ${SIP} waits for a decision at 'Approve normalization'; the processing config must decide it\n`,
        );
    });

    it("an AIP stored outside the AIP bucket (the local EFS store) exits 1", async () => {
        ss.packages[0].current_location = "/api/v2/location/cccc0002-0000-4000-8000-000000000002/";
        const r = await run(SUCCESS_SCRIPT());
        assert.strictEqual(r.code, 1);
        assert.strictEqual(
            r.stderr,
            `smoke_transfer: the location of AIP ${SIP}, cccc0002-0000-4000-8000-000000000002 is on FS space aaaa0001-0000-4000-8000-000000000001, not on s3://am-staging-aips; run configure_storage.py configure\n`,
        );
    });

    it("times out (exit 3) when the whole run exceeds attempts x interval", async () => {
        const script = SUCCESS_SCRIPT();
        script[`GET /api/transfer/status/${TRANSFER}/`] = [status("transfer", TRANSFER, "PROCESSING", "Normalize for preservation")];
        const r = await run(script, { SMOKE_POLL_ATTEMPTS: "3" });
        assert.strictEqual(r.code, 3);
        assert.strictEqual(
            r.stderr,
            `smoke_transfer: gave up after 3 polls of 0 s: transfer ${TRANSFER} PROCESSING at 'Normalize for preservation'\n`,
        );
        assert.strictEqual(dashServer!.requests.filter((q) => q.method === "GET").length, 3);
    });

    it("a wrong dashboard key (403) exits 4 with the dashboard's message", async () => {
        const r = await run(SUCCESS_SCRIPT(), { SMOKE_DASHBOARD_API_KEY: "stale" });
        assert.strictEqual(r.code, 4);
        assert.strictEqual(
            r.stderr,
            "smoke_transfer: POST dashboard/api/v2beta/package/: HTTP 403, the dashboard refused the API key: API key not valid.\n",
        );
        assert.deepStrictEqual(calls(dashServer!.requests), ["POST /api/v2beta/package/"]);
        assert.strictEqual(dashServer!.requests[0].headers.authorization, "ApiKey curator:stale");
    });

    it("a wrong Storage Service key (401) exits 4 before writing anything", async () => {
        const r = await run(SUCCESS_SCRIPT(), { SMOKE_SS_API_KEY: "stale" });
        assert.strictEqual(r.code, 4);
        assert.strictEqual(
            r.stderr,
            "smoke_transfer: GET storage-service/api/v2/location/default/TS/: HTTP 401, the storage-service refused the API key\n",
        );
        assert.deepStrictEqual(s3Writes(), []);
        assert.deepStrictEqual(dashServer!.requests, []);
    });

    it("a default transfer source that is not the transfer bucket exits 1 before writing anything", async () => {
        ss.defaults.TS = "cccc0001-0000-4000-8000-000000000001";
        const r = await run(SUCCESS_SCRIPT());
        assert.strictEqual(r.code, 1);
        assert.strictEqual(
            r.stderr,
            "smoke_transfer: the default transfer source cccc0001-0000-4000-8000-000000000001 is on FS space aaaa0001-0000-4000-8000-000000000001, not on s3://am-staging-transfers; run configure_storage.py configure\n",
        );
        assert.deepStrictEqual(s3Writes(), []);
    });

    it("an S3 write refused by IAM exits 4 with the key", async () => {
        const r = await run(SUCCESS_SCRIPT(), {
            FAKE_BOTO3_FAIL: "An error occurred (AccessDenied) when calling the PutObject operation: Access Denied",
        });
        assert.strictEqual(r.code, 4);
        assert.strictEqual(
            r.stderr,
            "smoke_transfer: S3 PutObject s3://am-staging-transfers/transfers/smoke-tests/smoke-test-1/README.txt failed: An error occurred (AccessDenied) when calling the PutObject operation: Access Denied\n",
        );
        assert.deepStrictEqual(dashServer!.requests, []);
    });

    it("without boto3 (not the Storage Service image) exits 2", async () => {
        fs.rmSync(path.join(tmp, "lib", "boto3"), { recursive: true });
        fs.writeFileSync(path.join(tmp, "lib", "boto3.py"), 'raise ImportError("No module named boto3")\n');
        const r = await run(SUCCESS_SCRIPT());
        assert.strictEqual(r.code, 2);
        assert.strictEqual(
            r.stderr,
            "smoke_transfer: boto3: not importable here; run this task on the Storage Service image, which ships it\n",
        );
    });

    const badConfig: [string, Record<string, string>, string][] = [
        ["no dashboard key", { SMOKE_DASHBOARD_API_KEY: "" }, "SMOKE_DASHBOARD_API_KEY: missing; set it in the task definition"],
        ["a bad bucket", { SMOKE_AIP_BUCKET: "s3://am-staging-aips" }, "SMOKE_AIP_BUCKET: 's3://am-staging-aips' is not an S3 bucket name"],
        ["no attempts", { SMOKE_POLL_ATTEMPTS: "0" }, "SMOKE_POLL_ATTEMPTS: '0' is not an integer >= 1"],
        ["a bad name", { SMOKE_TRANSFER_NAME: "../x" }, "SMOKE_TRANSFER_NAME: '../x' is not a transfer name"],
    ];
    for (const [name, overrides, message] of badConfig) {
        it(`bad configuration (${name}): exit 2 before any request`, async () => {
            const r = await run(SUCCESS_SCRIPT(), overrides);
            assert.strictEqual(r.code, 2);
            assert.strictEqual(r.stderr, `smoke_transfer: ${message}\n`);
            assert.deepStrictEqual(ssServer.requests, []);
            assert.deepStrictEqual(dashServer!.requests, []);
        });
    }
});
