/**
 * bootstrap/configure_storage.py run against a fake Storage Service: the exact requests of a first
 * run (creates), a second run (only GETs), a changed bucket (a new space and default location), the
 * default-location wait, and every way it stops with a reason.
 */
import * as assert from "assert";
import * as path from "node:path";
import { runPython, startFakeServer, FakeServer } from "../support/fake-http";
import { FakeStorageService } from "./fake-storage-service";
import { BOOTSTRAP_DIR, bodies, calls, pyCompile } from "./python";

const SCRIPT = path.join(BOOTSTRAP_DIR, "configure_storage.py");
const SITE_URL = "http://dashboard.staging.archivematica.internal:8000";
const PIPELINE = "/api/v2/pipeline/bbbb0001-0000-4000-8000-000000000001/";

function baseEnv(url: string): Record<string, string> {
    return {
        BOOTSTRAP_SS_URL: url,
        BOOTSTRAP_ADMIN_USERNAME: "curator",
        BOOTSTRAP_SS_API_KEY: "ss-key-1",
        BOOTSTRAP_WAIT_ATTEMPTS: "3",
        BOOTSTRAP_WAIT_SECONDS: "0",
    };
}
function configureEnv(url: string, overrides: Record<string, string> = {}): Record<string, string> {
    return {
        ...baseEnv(url),
        BOOTSTRAP_SITE_URL: SITE_URL,
        BOOTSTRAP_S3_REGION: "eu-west-2",
        BOOTSTRAP_TRANSFER_BUCKET: "am-staging-transfers",
        BOOTSTRAP_AIP_BUCKET: "am-staging-aips",
        BOOTSTRAP_DIP_BUCKET: "am-staging-dips",
        ...overrides,
    };
}
function s3Space(bucket: string): Record<string, unknown> {
    return {
        access_protocol: "S3",
        path: "/",
        staging_path: "/var/archivematica/storage_service",
        endpoint_url: "https://s3.eu-west-2.amazonaws.com",
        access_key_id: "",
        secret_access_key: "",
        region: "eu-west-2",
        bucket,
    };
}
const location = (space: string, purpose: string, relative_path: string, description: string) => ({
    space: `/api/v2/space/${space}/`,
    purpose,
    relative_path,
    description,
    pipeline: [PIPELINE],
    default: true,
});

const FIRST_RUN_CALLS = [
    "GET /api/v2/location/?limit=0",
    "GET /api/v2/pipeline/?limit=0",
    "GET /api/v2/space/?access_protocol=S3&limit=0",
    "POST /api/v2/space/",
    "POST /api/v2/location/",
    "POST /api/v2/space/",
    "POST /api/v2/location/",
    "POST /api/v2/space/",
    "POST /api/v2/location/",
];
const D = (n: number) => `dddd${String(n).padStart(4, "0")}-0000-4000-8000-${String(n).padStart(12, "0")}`;

describe("bootstrap/configure_storage.py", () => {
    let ss: FakeStorageService;
    let server: FakeServer;
    beforeEach(async () => {
        ss = FakeStorageService.afterInstall("curator", "ss-key-1", SITE_URL);
        server = await startFakeServer(ss.handle);
    });
    afterEach(() => server.close());

    it("compiles", () => pyCompile(SCRIPT));

    it("first run: one S3 space per bucket (task role: blank keys) and a default location on each, registered with the pipeline", async () => {
        const run = await runPython(SCRIPT, ["configure"], configureEnv(server.url));
        assert.strictEqual(run.stderr, "");
        assert.strictEqual(run.code, 0);
        assert.deepStrictEqual(calls(server.requests), FIRST_RUN_CALLS);
        for (const r of server.requests) assert.strictEqual(r.headers.authorization, "ApiKey curator:ss-key-1");
        for (const r of server.requests.filter((x) => x.method === "POST"))
            assert.strictEqual(r.headers["content-type"], "application/json");
        assert.deepStrictEqual(bodies(server.requests, "POST"), [
            s3Space("am-staging-transfers"),
            location(D(1), "TS", "transfers", "Transfer source (S3)"),
            s3Space("am-staging-aips"),
            location(D(3), "AS", "aips", "AIP store (S3)"),
            s3Space("am-staging-dips"),
            location(D(5), "DS", "dips", "DIP store (S3)"),
        ]);
        // The EFS stores are no longer the defaults.
        assert.deepStrictEqual(ss.defaults, { TS: D(2), AS: D(4), DS: D(6) });
        assert.strictEqual(
            run.stdout.trim().split("\n").pop(),
            "storage configured for pipeline bbbb0001-0000-4000-8000-000000000001: TS created, AS created, DS created",
        );
    });

    it("second run changes nothing: only GETs", async () => {
        assert.strictEqual((await runPython(SCRIPT, ["configure"], configureEnv(server.url))).code, 0);
        server.requests.length = 0;
        const run = await runPython(SCRIPT, ["configure"], configureEnv(server.url));
        assert.strictEqual(run.code, 0, run.stderr);
        assert.deepStrictEqual(calls(server.requests), [
            "GET /api/v2/location/?limit=0",
            "GET /api/v2/pipeline/?limit=0",
            "GET /api/v2/space/?access_protocol=S3&limit=0",
            `GET /api/v2/location/?space__uuid=${D(1)}&purpose=TS&limit=0`,
            "GET /api/v2/location/default/TS/",
            `GET /api/v2/location/?space__uuid=${D(3)}&purpose=AS&limit=0`,
            "GET /api/v2/location/default/AS/",
            `GET /api/v2/location/?space__uuid=${D(5)}&purpose=DS&limit=0`,
            "GET /api/v2/location/default/DS/",
        ]);
        assert.strictEqual(
            run.stdout.trim(),
            [
                "the Storage Service's default locations exist",
                "storage configured for pipeline bbbb0001-0000-4000-8000-000000000001: TS unchanged, AS unchanged, DS unchanged",
            ].join("\n"),
        );
    });

    it("ingest: one TS location per processing configuration on the transfer space (not a default); a re-run leaves them", async () => {
        const env = configureEnv(server.url, { BOOTSTRAP_INGEST_CONFIGS: "default,automated" });
        const first = await runPython(SCRIPT, ["configure"], env);
        assert.strictEqual(first.code, 0, first.stderr);
        assert.deepStrictEqual(calls(server.requests), [
            ...FIRST_RUN_CALLS,
            `GET /api/v2/location/?space__uuid=${D(1)}&purpose=TS&limit=0`,
            "POST /api/v2/location/",
            "POST /api/v2/location/",
        ]);
        assert.deepStrictEqual(bodies(server.requests, "POST").slice(-2), [
            { ...location(D(1), "TS", "automated", "Ingest: automated (S3)"), default: false },
            { ...location(D(1), "TS", "default", "Ingest: default (S3)"), default: false },
        ]);
        assert.deepStrictEqual(ss.defaults, { TS: D(2), AS: D(4), DS: D(6) }, "the ingest locations are not defaults");
        assert.strictEqual(
            first.stdout.trim().split("\n").pop(),
            "storage configured for pipeline bbbb0001-0000-4000-8000-000000000001: TS created, AS created, DS created, ingest automated created, ingest default created",
        );
        server.requests.length = 0;
        const second = await runPython(SCRIPT, ["configure"], env);
        assert.strictEqual(second.code, 0, second.stderr);
        assert.deepStrictEqual(
            calls(server.requests).filter((c) => c.startsWith("POST")),
            [],
        );
        assert.match(second.stdout, /TS unchanged, AS unchanged, DS unchanged, ingest automated unchanged, ingest default unchanged\n$/);
    });

    it("ingest: a bad processing configuration name is bad configuration (exit 2) before any request", async () => {
        const run = await runPython(SCRIPT, ["configure"], configureEnv(server.url, { BOOTSTRAP_INGEST_CONFIGS: "automated,no-dash" }));
        assert.strictEqual(run.code, 2);
        assert.strictEqual(
            run.stderr,
            "configure_storage: BOOTSTRAP_INGEST_CONFIGS: 'no-dash' is not a processing configuration name (1-16 letters, digits or _)\n",
        );
        assert.deepStrictEqual(server.requests, []);
    });

    it("lists follow `meta.next`: a Storage Service with more than 1,000 locations is read to the end", async () => {
        for (let i = 0; i < 1000; i++)
            ss.locations.unshift({
                uuid: `cccc9${String(i).padStart(3, "0")}-0000-4000-8000-000000000000`,
                purpose: "BL",
                relative_path: `old/${i}`,
                description: "",
                space: "/api/v2/space/aaaa0001-0000-4000-8000-000000000001/",
                pipeline: [],
                enabled: true,
            });
        const run = await runPython(SCRIPT, ["wait-for-defaults"], baseEnv(server.url));
        assert.strictEqual(run.code, 0, run.stderr);
        assert.deepStrictEqual(calls(server.requests), ["GET /api/v2/location/?limit=0", "GET /api/v2/location/?limit=1000&offset=1000"]);
    });

    it("a changed AIP bucket converges: a new space and default AS location; the old one stays to serve its AIPs", async () => {
        assert.strictEqual((await runPython(SCRIPT, ["configure"], configureEnv(server.url))).code, 0);
        server.requests.length = 0;
        const run = await runPython(SCRIPT, ["configure"], configureEnv(server.url, { BOOTSTRAP_AIP_BUCKET: "am-staging-aips-v2" }));
        assert.strictEqual(run.code, 0, run.stderr);
        assert.deepStrictEqual(calls(server.requests), [
            "GET /api/v2/location/?limit=0",
            "GET /api/v2/pipeline/?limit=0",
            "GET /api/v2/space/?access_protocol=S3&limit=0",
            `GET /api/v2/location/?space__uuid=${D(1)}&purpose=TS&limit=0`,
            "GET /api/v2/location/default/TS/",
            "POST /api/v2/space/",
            "POST /api/v2/location/",
            `GET /api/v2/location/?space__uuid=${D(5)}&purpose=DS&limit=0`,
            "GET /api/v2/location/default/DS/",
        ]);
        assert.deepStrictEqual(bodies(server.requests, "POST"), [
            s3Space("am-staging-aips-v2"),
            location(D(7), "AS", "aips", "AIP store (S3)"),
        ]);
        assert.strictEqual(ss.defaults.AS, D(8));
        assert.ok(
            ss.locations.some((l) => l.uuid === D(4) && l.enabled),
            "the old AIP location is kept",
        );
    });

    it("a space on the bucket with other settings (e.g. access keys typed in the UI) stops with what differs", async () => {
        ss.spaces.push({
            uuid: "eeee0001-0000-4000-8000-000000000001",
            ...(s3Space("am-staging-transfers") as any),
            access_key_id: "AKIAEXAMPLE",
        });
        const run = await runPython(SCRIPT, ["configure"], configureEnv(server.url));
        assert.strictEqual(run.code, 1);
        assert.strictEqual(
            run.stderr,
            "configure_storage: space eeee0001-0000-4000-8000-000000000001 on bucket am-staging-transfers differs: access_key_id 'AKIAEXAMPLE' (want ''); " +
                "the Storage Service API cannot change a space (space detail allows GET only), so edit or delete it under Administration > Spaces and run again\n",
        );
        assert.deepStrictEqual(calls(server.requests).slice(-1), ["GET /api/v2/space/?access_protocol=S3&limit=0"]);
    });

    it("our location registered but no longer the default stops with the fix, since the API cannot set it", async () => {
        assert.strictEqual((await runPython(SCRIPT, ["configure"], configureEnv(server.url))).code, 0);
        ss.defaults.AS = "cccc0002-0000-4000-8000-000000000002";
        const run = await runPython(SCRIPT, ["configure"], configureEnv(server.url));
        assert.strictEqual(run.code, 1);
        assert.strictEqual(
            run.stderr,
            `configure_storage: AS location ${D(4)} on bucket am-staging-aips is registered with the pipeline but the default AS location is ` +
                "cccc0002-0000-4000-8000-000000000002; the API sets a default only when it creates a location, so tick Default on it under " +
                "Administration > Locations (or delete it and run again)\n",
        );
    });

    it("an API error exits 4 with the method, path, status and answer", async () => {
        ss.overrides["POST /api/v2/location/"] = { status: 400, body: { location: { relative_path: ["This field is required."] } } };
        const run = await runPython(SCRIPT, ["configure"], configureEnv(server.url));
        assert.strictEqual(run.code, 4);
        assert.strictEqual(
            run.stderr,
            'configure_storage: POST /api/v2/location/ answered HTTP 400: {"location": {"relative_path": ["This field is required."]}}\n',
        );
        assert.deepStrictEqual(calls(server.requests), FIRST_RUN_CALLS.slice(0, 5));
    });

    it("a wrong key: the waits retry (a rolling deploy may answer with the old key) and then time out with the last reason", async () => {
        const run = await runPython(SCRIPT, ["configure"], configureEnv(server.url, { BOOTSTRAP_SS_API_KEY: "stale" }));
        assert.strictEqual(run.code, 3);
        assert.strictEqual(
            run.stderr,
            "configure_storage: the Storage Service's default locations: not ready after 3 attempts of 0 s; last: GET /api/v2/location/?limit=0 answered HTTP 401: (no body)\n",
        );
        assert.strictEqual(server.requests.length, 3);
        for (const r of server.requests) assert.strictEqual(r.headers.authorization, "ApiKey curator:stale");
    });

    describe("wait-for-defaults", () => {
        it("passes once every purpose startup creates (TS AS DS BL SS AR) has a location", async () => {
            const ar = ss.locations.pop()!;
            let polls = 0;
            await server.close();
            server = await startFakeServer((req) => {
                polls += 1;
                if (polls === 2) ss.locations.push(ar);
                return ss.handle(req);
            });
            const run = await runPython(SCRIPT, ["wait-for-defaults"], baseEnv(server.url));
            assert.strictEqual(run.code, 0, run.stderr);
            assert.deepStrictEqual(calls(server.requests), ["GET /api/v2/location/?limit=0", "GET /api/v2/location/?limit=0"]);
            assert.strictEqual(
                run.stdout,
                "waiting for the Storage Service's default locations (1/3): no AR location yet\nthe Storage Service's default locations exist\n",
            );
        });

        it("times out (exit 3) after attempts x interval when the defaults never appear", async () => {
            ss.locations = ss.locations.filter((l) => l.purpose === "TS");
            const run = await runPython(SCRIPT, ["wait-for-defaults"], baseEnv(server.url));
            assert.strictEqual(run.code, 3);
            assert.strictEqual(
                run.stderr,
                "configure_storage: the Storage Service's default locations: not ready after 3 attempts of 0 s; last: no AS, DS, BL, SS, AR location yet\n",
            );
            assert.strictEqual(server.requests.length, 3);
        });

        it("an unreachable Storage Service is retried, then exit 3", async () => {
            const url = server.url;
            await server.close();
            const run = await runPython(SCRIPT, ["wait-for-defaults"], { ...baseEnv(url), BOOTSTRAP_WAIT_ATTEMPTS: "2" });
            assert.strictEqual(run.code, 3);
            assert.match(
                run.stderr,
                /^configure_storage: the Storage Service's default locations: not ready after 2 attempts of 0 s; last: GET \/api\/v2\/location\/\?limit=0: Storage Service unreachable: .*Connection refused.*\n$/,
            );
            server = await startFakeServer(ss.handle);
        });
    });

    it("waits for install to register the pipeline, then stops (exit 1) if several enabled pipelines claim the site URL", async () => {
        ss.pipelines.push({
            uuid: "bbbb0002-0000-4000-8000-000000000002",
            description: "Archivematica on ip-10-0-2-9",
            remote_name: `${SITE_URL}/`,
        });
        const run = await runPython(SCRIPT, ["configure"], configureEnv(server.url));
        assert.strictEqual(run.code, 1);
        assert.strictEqual(
            run.stderr,
            `configure_storage: several enabled pipelines have remote_name ${SITE_URL} (bbbb0001-0000-4000-8000-000000000001, bbbb0002-0000-4000-8000-000000000002); disable the stale ones in the Storage Service\n`,
        );
    });

    it("no pipeline registered yet: bounded wait, exit 3", async () => {
        ss.pipelines = [];
        const run = await runPython(SCRIPT, ["configure"], configureEnv(server.url));
        assert.strictEqual(run.code, 3);
        assert.strictEqual(
            run.stderr,
            `configure_storage: the pipeline registered for ${SITE_URL}: not ready after 3 attempts of 0 s; last: install has not registered it yet\n`,
        );
    });

    const badConfig: [string, string[], Record<string, string>, string][] = [
        ["no mode", [], {}, "mode: '' is not known; valid: wait-for-defaults, configure"],
        ["a missing key", ["configure"], { BOOTSTRAP_SS_API_KEY: "" }, "BOOTSTRAP_SS_API_KEY: missing; set it in the task definition"],
        ["a bad wait", ["configure"], { BOOTSTRAP_WAIT_ATTEMPTS: "0" }, "BOOTSTRAP_WAIT_ATTEMPTS: '0' is not an integer >= 1"],
        [
            "a bad bucket",
            ["configure"],
            { BOOTSTRAP_AIP_BUCKET: "AIPs_Bucket" },
            "BOOTSTRAP_AIP_BUCKET: 'AIPs_Bucket' is not an S3 bucket name",
        ],
        ["a bad region", ["configure"], { BOOTSTRAP_S3_REGION: "London" }, "BOOTSTRAP_S3_REGION: 'London' is not an AWS region"],
        [
            "a bad URL",
            ["configure"],
            { BOOTSTRAP_SITE_URL: "dashboard:8000" },
            "BOOTSTRAP_SITE_URL: 'dashboard:8000' is not an http(s) URL",
        ],
    ];
    for (const [name, args, overrides, message] of badConfig) {
        it(`bad configuration (${name}): exit 2 before any request`, async () => {
            const run = await runPython(SCRIPT, args, configureEnv(server.url, overrides));
            assert.strictEqual(run.code, 2);
            assert.strictEqual(run.stderr, `configure_storage: ${message}\n`);
            assert.strictEqual(server.requests.length, 0);
        });
    }
});
