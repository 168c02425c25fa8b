/**
 * bootstrap/fixity_check.py against the fake Storage Service (tastypie paging and `status__in`,
 * `check_fixity` reports shaped like 0.24's) with a recording stand-in for boto3 (S3 state and reports,
 * CloudWatch metrics): paging past 1,000 AIPs, every status an AIP held in storage can have, the per-run
 * share, overdue catch-up, a failed check's evidence, checks that could not run, and the refusals.
 */
import * as assert from "assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runPython, startFakeServer, type FakeServer } from "../support/fake-http";
import { FakeStorageService, fixityReport } from "./fake-storage-service";
import { BOOTSTRAP_DIR, calls, pyCompile } from "./python";

const SCRIPT = path.join(BOOTSTRAP_DIR, "fixity_check.py");
const BUCKET = "am-staging-aips";
const DAY = 86_400_000;

const FAKE_BOTO3 = `import json, os
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
        self.service = service
    def _log(self, entry):
        with open(os.environ["FAKE_BOTO3_LOG"], "a") as f:
            f.write(json.dumps(entry, default=str) + "\\n")
    def _path(self, bucket, key):
        return os.path.join(os.environ["FAKE_S3_DIR"], bucket, key)
    def get_object(self, Bucket, Key):
        self._log({"get_object": {"Bucket": Bucket, "Key": Key}})
        try:
            with open(self._path(Bucket, Key), "rb") as f:
                return {"Body": _Body(f.read())}
        except FileNotFoundError:
            raise NoSuchKey(Key)
    def put_object(self, Bucket, Key, Body, ContentType):
        self._log({"put_object": {"Bucket": Bucket, "Key": Key, "ContentType": ContentType}})
        path = self._path(Bucket, Key)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(Body)
    def put_metric_data(self, Namespace, MetricData):
        self._log({"put_metric_data": {"Namespace": Namespace, "MetricData": [{k: v for k, v in d.items() if k != "Timestamp"} for d in MetricData]}})
`;

/** The list request: every held status (UPLOADED, VERIFIED, DEL_REQ, RECOVER_REQ, MOVING), as tastypie's `__in`. */
const LIST = "/api/v2/file/?package_type=AIP&status__in=UPLOADED,VERIFIED,DEL_REQ,RECOVER_REQ,MOVING&limit=1000";
const aipUuid = (n: number) => `a1b2${String(n).padStart(4, "0")}-0000-4000-8000-${String(n).padStart(12, "0")}`;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

describe("bootstrap/fixity_check.py", () => {
    let ss: FakeStorageService;
    let server: FakeServer;
    let tmp: string;
    const now = Date.now();

    beforeEach(async () => {
        ss = new FakeStorageService("curator", "ss-key-1");
        server = await startFakeServer(ss.handle);
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "fixity-"));
        fs.mkdirSync(path.join(tmp, "lib", "boto3"), { recursive: true });
        fs.writeFileSync(path.join(tmp, "lib", "boto3", "__init__.py"), FAKE_BOTO3);
        fs.mkdirSync(path.join(tmp, "s3", BUCKET, "reports", "fixity"), { recursive: true });
    });
    afterEach(async () => {
        await server.close();
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    /** Adds `count` stored AIPs, the n-th stored `storedDaysAgo(n)` days ago, with `status(n)` (UPLOADED by default). */
    function addAips(count: number, storedDaysAgo: (n: number) => number, status: (n: number) => string = () => "UPLOADED") {
        for (let n = 1; n <= count; n++)
            ss.packages.push({
                uuid: aipUuid(n),
                package_type: "AIP",
                status: status(n),
                current_location: "/api/v2/location/ffff0002-0000-4000-8000-000000000002/",
                current_path: `${aipUuid(n)}.7z`,
                stored_date: new Date(now - storedDaysAgo(n) * DAY).toISOString().replace("Z", ""),
            });
    }
    const writeState = (aips: Record<string, { checked: string; result: string }>) =>
        fs.writeFileSync(path.join(tmp, "s3", BUCKET, "reports", "fixity", "state.json"), JSON.stringify({ version: 1, aips }), {
            flag: "w",
        });
    const readS3 = (key: string) => JSON.parse(fs.readFileSync(path.join(tmp, "s3", BUCKET, key), "utf8"));
    const boto = () =>
        fs.existsSync(path.join(tmp, "boto3.log"))
            ? fs
                  .readFileSync(path.join(tmp, "boto3.log"), "utf8")
                  .trim()
                  .split("\n")
                  .map((l) => JSON.parse(l))
            : [];
    const checked = () => calls(server.requests).filter((c) => c.endsWith("/check_fixity/"));
    const reportKey = () => boto().find((e) => e.put_object && e.put_object.Key !== "reports/fixity/state.json")?.put_object.Key as string;

    function run(overrides: Record<string, string> = {}) {
        return runPython(SCRIPT, [], {
            PYTHONPATH: path.join(tmp, "lib"),
            FAKE_BOTO3_LOG: path.join(tmp, "boto3.log"),
            FAKE_S3_DIR: path.join(tmp, "s3"),
            FIXITY_SS_URL: server.url,
            FIXITY_USERNAME: "curator",
            FIXITY_SS_API_KEY: "ss-key-1",
            FIXITY_AIP_BUCKET: BUCKET,
            FIXITY_ENVIRONMENT: "staging",
            FIXITY_WINDOW_DAYS: "90",
            FIXITY_RUN_INTERVAL_HOURS: "24",
            ...overrides,
        });
    }

    it("compiles", () => pyCompile(SCRIPT));

    it("lists every AIP past tastypie's 1,000 (following next) and checks this run's share, oldest stored first", async () => {
        addAips(1001, (n) => 1 + (1001 - n) / 100); // AIP 1 is the oldest; none is overdue
        const r = await run();
        assert.strictEqual(r.code, 0, r.stderr);
        assert.deepStrictEqual(calls(server.requests).slice(0, 2), [
            `GET ${LIST}`,
            // tastypie's next keeps the other parameters, URL-encoded (QueryDict.urlencode: "," is %2C).
            "GET /api/v2/file/?package_type=AIP&status__in=UPLOADED%2CVERIFIED%2CDEL_REQ%2CRECOVER_REQ%2CMOVING&limit=1000&offset=1000",
        ]);
        // ceil(1001 AIPs × 24 h / (90 days × 24 h)) = 12 a run: every AIP once in 90 days.
        assert.deepStrictEqual(
            checked(),
            Array.from({ length: 12 }, (_, i) => `GET /api/v2/file/${aipUuid(i + 1)}/check_fixity/`),
        );
        for (const q of server.requests) assert.strictEqual(q.headers.authorization, "ApiKey curator:ss-key-1");
        assert.match(reportKey(), /^reports\/fixity\/\d{4}-\d{2}-\d{2}T\d{6}Z\.json$/);
        const report = readS3(reportKey());
        assert.deepStrictEqual(
            { ...report, started: "-", finished: "-", results: report.results.length },
            {
                started: "-",
                finished: "-",
                windowDays: 90,
                storedAips: 1001,
                share: 12,
                checked: 12,
                passed: 12,
                failed: 0,
                notRun: 0,
                errors: 0,
                overdueAfterRun: 0,
                failingAfterRun: 0,
                results: 12,
                deferred: [],
            },
        );
        assert.deepStrictEqual(Object.keys(report.results[0]).sort(), ["aip", "message", "result", "time"]);
        assert.deepStrictEqual(Object.keys(readS3("reports/fixity/state.json").aips).length, 12);
        assert.deepStrictEqual(boto().find((e) => e.put_metric_data)!.put_metric_data, {
            Namespace: "Archivematica/Fixity",
            MetricData: ["AipsChecked", "FixityFailures", "FixityErrors", "AipsOverdue", "AipsFailing"].map((name, i) => ({
                MetricName: name,
                Value: [12, 0, 0, 0, 0][i],
                Unit: "Count",
                Dimensions: [{ Name: "Environment", Value: "staging" }],
            })),
        });
        assert.match(
            r.stdout.trim().split("\n").pop()!,
            /^fixity: 12 checked: 12 passed, 0 failed, 0 not run, 0 unanswered; 0 overdue; report s3:\/\/am-staging-aips\/reports\/fixity\/.*\.json$/,
        );
    });

    it("walks every AIP the Storage Service holds (UPLOADED, VERIFIED, DEL_REQ, RECOVER_REQ, MOVING), none it does not; a moving one waits", async () => {
        const statuses = ["UPLOADED", "VERIFIED", "DEL_REQ", "RECOVER_REQ", "MOVING", "PENDING", "STAGING", "FAIL", "DELETED"];
        addAips(
            statuses.length,
            () => 200,
            (n) => statuses[n - 1],
        );
        ss.packages.push({
            uuid: "d1d10001-0000-4000-8000-000000000001",
            package_type: "DIP",
            status: "UPLOADED",
            current_location: "/api/v2/location/ffff0003-0000-4000-8000-000000000003/",
            current_path: "dip.7z",
        });
        writeState({
            [aipUuid(5)]: { checked: iso(now - 100 * DAY), result: "passed" }, // MOVING, overdue: kept, not checked
            [aipUuid(8)]: { checked: iso(now - 100 * DAY), result: "passed" }, // FAIL: no longer held
            [aipUuid(9)]: { checked: iso(now - 1 * DAY), result: "passed" }, // DELETED
        });
        const r = await run();
        assert.strictEqual(r.code, 0, r.stderr);
        assert.deepStrictEqual(calls(server.requests)[0], `GET ${LIST}`);
        // share = ceil(5 × 24 / 2160) = 1, but all five are overdue (stored 200 days ago, never or 100 days ago checked).
        assert.deepStrictEqual(
            checked(),
            [1, 2, 3, 4].map((n) => `GET /api/v2/file/${aipUuid(n)}/check_fixity/`),
        );
        const report = readS3(reportKey());
        assert.deepStrictEqual(
            [report.storedAips, report.share, report.checked, report.overdueAfterRun, report.deferred],
            [5, 1, 4, 1, [{ aip: aipUuid(5), status: "MOVING" }]],
        );
        assert.deepStrictEqual(Object.keys(readS3("reports/fixity/state.json").aips).sort(), [1, 2, 3, 4, 5].map(aipUuid));
        assert.deepStrictEqual(readS3("reports/fixity/state.json").aips[aipUuid(5)], {
            checked: iso(now - 100 * DAY),
            result: "passed",
        });
        assert.deepStrictEqual(
            boto()
                .find((e) => e.put_metric_data)!
                .put_metric_data.MetricData.map((d: any) => [d.MetricName, d.Value]),
            [
                ["AipsChecked", 4],
                ["FixityFailures", 0],
                ["FixityErrors", 0],
                ["AipsOverdue", 1],
                ["AipsFailing", 0],
            ],
        );
        const lines = r.stdout.trim().split("\n");
        assert.ok(lines.includes(`fixity: AIP ${aipUuid(5)}: moving between locations; checked by a later run`), r.stdout);
        assert.match(
            lines.pop()!,
            /^fixity: 4 checked: 4 passed, 0 failed, 0 not run, 0 unanswered; 1 overdue; 1 moving, left for a later run; report s3:\/\/am-staging-aips\/reports\/fixity\/.*\.json$/,
        );
    });

    it("the next run continues with the least recently checked; overdue ones are checked beyond the share", async () => {
        addAips(6, () => 200);
        writeState({
            [aipUuid(1)]: { checked: iso(now - 100 * DAY), result: "passed" }, // overdue
            [aipUuid(2)]: { checked: iso(now - 95 * DAY), result: "passed" }, // overdue
            [aipUuid(3)]: { checked: iso(now - 10 * DAY), result: "passed" },
            [aipUuid(4)]: { checked: iso(now - 5 * DAY), result: "passed" },
            [aipUuid(5)]: { checked: iso(now - 1 * DAY), result: "passed" },
            [aipUuid(6)]: { checked: iso(now - 2 * DAY), result: "passed" },
            "deadbeef-0000-4000-8000-000000000000": { checked: iso(now - 1 * DAY), result: "passed" },
        });
        const r = await run({ FIXITY_WINDOW_DAYS: "90", FIXITY_RUN_INTERVAL_HOURS: "24" });
        assert.strictEqual(r.code, 0, r.stderr);
        // share = ceil(6 × 24 / 2160) = 1, but AIPs 1 and 2 are overdue: both are checked, then AIP 3 is not.
        assert.deepStrictEqual(checked(), [`GET /api/v2/file/${aipUuid(1)}/check_fixity/`, `GET /api/v2/file/${aipUuid(2)}/check_fixity/`]);
        const state = readS3("reports/fixity/state.json").aips;
        assert.deepStrictEqual(Object.keys(state).sort(), [1, 2, 3, 4, 5, 6].map(aipUuid), "a deleted AIP drops out of the state");
        assert.ok(Date.parse(state[aipUuid(1)].checked) >= now - 60_000);
    });

    it("a failed check: exit 1, the Storage Service's failures in the report, FixityFailures 1", async () => {
        addAips(2, () => 200);
        ss.fixity[aipUuid(2)] = fixityReport(
            false,
            "Payload-Oxum validation failed. Expected 2 files and 1024 bytes but found 1 files and 512 bytes",
            {
                missing: [
                    {
                        path: "data/objects/letter.txt",
                        message: "data/objects/letter.txt exists in manifest but was not found on filesystem",
                    },
                ],
            },
        );
        const r = await run();
        assert.strictEqual(r.code, 1);
        assert.match(
            r.stderr,
            /^fixity_check: 2 checked: 1 passed, 1 failed, 0 not run, 0 unanswered; 0 overdue; report s3:\/\/am-staging-aips\/reports\/fixity\/.*\.json\n$/,
        );
        const report = readS3(reportKey());
        const failed = report.results.find((e: any) => e.aip === aipUuid(2));
        assert.deepStrictEqual(
            { ...failed, time: "-" },
            {
                aip: aipUuid(2),
                time: "-",
                result: "failed",
                message: "Payload-Oxum validation failed. Expected 2 files and 1024 bytes but found 1 files and 512 bytes",
                failures: {
                    files: {
                        missing: [
                            {
                                path: "data/objects/letter.txt",
                                message: "data/objects/letter.txt exists in manifest but was not found on filesystem",
                            },
                        ],
                        changed: [],
                        untracked: [],
                    },
                },
            },
        );
        const metrics = boto()
            .find((e) => e.put_metric_data)!
            .put_metric_data.MetricData.map((d: any) => [d.MetricName, d.Value]);
        assert.deepStrictEqual(metrics, [
            ["AipsChecked", 2],
            ["FixityFailures", 1],
            ["FixityErrors", 0],
            ["AipsOverdue", 0],
            ["AipsFailing", 1],
        ]);
        assert.strictEqual(readS3("reports/fixity/state.json").aips[aipUuid(2)].result, "failed");
    });

    it("a check that could not run (success null) or was not answered: exit 1, FixityErrors; an unanswered one is retried next run", async () => {
        addAips(2, () => 200);
        ss.fixity[aipUuid(1)] = fixityReport(null, "Unable to scan; package is not a bag (AIP or AIC)");
        ss.overrides[`GET /api/v2/file/${aipUuid(2)}/check_fixity/`] = { status: 500, body: "<h1>Server Error (500)</h1>" };
        const r = await run();
        assert.strictEqual(r.code, 1);
        const report = readS3(reportKey());
        assert.deepStrictEqual(
            report.results.map((e: any) => [e.aip, e.result, e.message]),
            [
                [aipUuid(1), "not-run", "Unable to scan; package is not a bag (AIP or AIC)"],
                [aipUuid(2), "error", `GET /api/v2/file/${aipUuid(2)}/check_fixity/ answered HTTP 500: <h1>Server Error (500)</h1>`],
            ],
        );
        const state = readS3("reports/fixity/state.json").aips;
        assert.deepStrictEqual(Object.keys(state), [aipUuid(1)], "the unanswered AIP keeps no check time, so it comes first next run");
        assert.deepStrictEqual(boto().find((e) => e.put_metric_data)!.put_metric_data.MetricData[2], {
            MetricName: "FixityErrors",
            Value: 2,
            Unit: "Count",
            Dimensions: [{ Name: "Environment", Value: "staging" }],
        });
    });

    it("a refused key: exit 4 before any check or write", async () => {
        addAips(1, () => 200);
        const r = await run({ FIXITY_SS_API_KEY: "stale" });
        assert.strictEqual(r.code, 4);
        assert.strictEqual(r.stderr, `fixity_check: GET ${LIST}: HTTP 401, the Storage Service refused the API key\n`);
        assert.deepStrictEqual(
            boto().filter((e) => !e.get_object),
            [],
        );
    });

    const badConfig: [string, Record<string, string>, string][] = [
        ["no key", { FIXITY_SS_API_KEY: "" }, "FIXITY_SS_API_KEY: missing; set it in the task definition"],
        ["a zero window", { FIXITY_WINDOW_DAYS: "0" }, "FIXITY_WINDOW_DAYS: 0 is not between 1 and 3650"],
        [
            "a bad bucket",
            { FIXITY_AIP_BUCKET: "s3://am-staging-aips" },
            "FIXITY_AIP_BUCKET: 's3://am-staging-aips' is not an S3 bucket name",
        ],
    ];
    for (const [name, overrides, message] of badConfig) {
        it(`bad configuration (${name}): exit 2 before any request`, async () => {
            const r = await run(overrides);
            assert.strictEqual(r.code, 2);
            assert.strictEqual(r.stderr, `fixity_check: ${message}\n`);
            assert.deepStrictEqual(server.requests, []);
        });
    }
});
