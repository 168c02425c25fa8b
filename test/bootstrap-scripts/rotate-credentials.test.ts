/**
 * bootstrap/rotate_credentials.py: `verify` against a fake dashboard and Storage Service (exact
 * requests, keys accepted, a stale key, no pipeline); the Django modes refuse to run without their
 * configuration, before touching Django.
 */
import * as assert from "assert";
import * as path from "node:path";
import { FakeServer, runPython, startFakeServer } from "../support/fake-http";
import { FakeStorageService } from "./fake-storage-service";
import { BOOTSTRAP_DIR, calls, pyCompile } from "./python";

const SCRIPT = path.join(BOOTSTRAP_DIR, "rotate_credentials.py");
const SITE_URL = "http://dashboard.staging.archivematica.internal:8000";

describe("bootstrap/rotate_credentials.py", () => {
    let ss: FakeStorageService;
    let ssServer: FakeServer;
    let dashServer: FakeServer;
    beforeEach(async () => {
        ss = FakeStorageService.afterInstall("curator", "ss-key-2", SITE_URL);
        ssServer = await startFakeServer(ss.handle);
        dashServer = await startFakeServer((req) =>
            req.headers.authorization === "ApiKey curator:dash-key-2"
                ? { status: 200, body: { processing_configurations: ["automated", "default"] } }
                : { status: 403, body: { message: "API key not valid.", error: true } },
        );
    });
    afterEach(async () => {
        await ssServer.close();
        await dashServer.close();
    });
    const verifyEnv = (overrides: Record<string, string> = {}) => ({
        BOOTSTRAP_DASHBOARD_URL: dashServer.url,
        BOOTSTRAP_SS_URL: ssServer.url,
        BOOTSTRAP_SITE_URL: SITE_URL,
        BOOTSTRAP_ADMIN_USERNAME: "curator",
        BOOTSTRAP_DASHBOARD_API_KEY: "dash-key-2",
        BOOTSTRAP_SS_API_KEY: "ss-key-2",
        BOOTSTRAP_WAIT_ATTEMPTS: "2",
        BOOTSTRAP_WAIT_SECONDS: "0",
        ...overrides,
    });

    it("compiles", () => pyCompile(SCRIPT));

    it("verify: both apps accept the rotated keys and the pipeline is registered", async () => {
        const r = await runPython(SCRIPT, ["verify"], verifyEnv());
        assert.strictEqual(r.stderr, "");
        assert.strictEqual(r.code, 0);
        assert.strictEqual(
            r.stdout,
            "credentials verified: dashboard and Storage Service accept curator's keys; pipeline bbbb0001-0000-4000-8000-000000000001\n",
        );
        assert.deepStrictEqual(calls(dashServer.requests), ["GET /api/processing-configuration/"]);
        assert.strictEqual(dashServer.requests[0].headers.authorization, "ApiKey curator:dash-key-2");
        assert.deepStrictEqual(calls(ssServer.requests), ["GET /api/v2/pipeline/?limit=0"]);
        assert.strictEqual(ssServer.requests[0].headers.authorization, "ApiKey curator:ss-key-2");
    });

    it("verify: a dashboard that still has the old key is retried, then exit 3 naming the refused key", async () => {
        const r = await runPython(SCRIPT, ["verify"], verifyEnv({ BOOTSTRAP_DASHBOARD_API_KEY: "dash-key-1" }));
        assert.strictEqual(r.code, 3);
        assert.strictEqual(
            r.stderr,
            "rotate_credentials: not verified after 2 attempts of 0 s; last: the dashboard answered HTTP 403 to curator's dashboard API key\n",
        );
        assert.deepStrictEqual(calls(dashServer.requests), ["GET /api/processing-configuration/", "GET /api/processing-configuration/"]);
        assert.deepStrictEqual(ssServer.requests, []);
    });

    it("verify: a Storage Service key it refuses (401), then exit 3", async () => {
        const r = await runPython(SCRIPT, ["verify"], verifyEnv({ BOOTSTRAP_SS_API_KEY: "ss-key-1" }));
        assert.strictEqual(r.code, 3);
        assert.strictEqual(
            r.stderr,
            "rotate_credentials: not verified after 2 attempts of 0 s; last: the Storage Service answered HTTP 401 to curator's Storage Service API key\n",
        );
    });

    it("verify: no pipeline registered for the site URL, then exit 3", async () => {
        ss.pipelines = [];
        const r = await runPython(SCRIPT, ["verify"], verifyEnv());
        assert.strictEqual(r.code, 3);
        assert.strictEqual(
            r.stderr,
            `rotate_credentials: not verified after 2 attempts of 0 s; last: no pipeline registered for ${SITE_URL} in the Storage Service\n`,
        );
    });

    const badConfig: [string, string[], Record<string, string>, string][] = [
        ["no mode", [], {}, "mode: '' is not known; valid: dashboard, storage-service, verify"],
        [
            "dashboard without the password",
            ["dashboard"],
            { BOOTSTRAP_ADMIN_USERNAME: "curator", BOOTSTRAP_DASHBOARD_API_KEY: "k" },
            "BOOTSTRAP_ADMIN_PASSWORD: missing; set it in the task definition",
        ],
        [
            "dashboard without the app's settings",
            ["dashboard"],
            { BOOTSTRAP_ADMIN_USERNAME: "curator", BOOTSTRAP_ADMIN_PASSWORD: "p", BOOTSTRAP_DASHBOARD_API_KEY: "k" },
            "DJANGO_SETTINGS_MODULE: missing; run this step with the app container's environment",
        ],
        [
            "storage-service with a bad site URL",
            ["storage-service"],
            { BOOTSTRAP_SITE_URL: "dashboard", BOOTSTRAP_ADMIN_USERNAME: "curator", BOOTSTRAP_DASHBOARD_API_KEY: "k" },
            "BOOTSTRAP_SITE_URL: 'dashboard' is not an http(s) URL",
        ],
        ["verify without attempts", ["verify"], { BOOTSTRAP_WAIT_ATTEMPTS: "x" }, "BOOTSTRAP_WAIT_ATTEMPTS: 'x' is not an integer >= 1"],
    ];
    for (const [name, args, env, message] of badConfig) {
        it(`bad configuration (${name}): exit 2 before any request`, async () => {
            const r = await runPython(SCRIPT, args, args[0] === "verify" ? verifyEnv(env) : env);
            assert.strictEqual(r.code, 2);
            assert.strictEqual(r.stderr, `rotate_credentials: ${message}\n`);
            assert.deepStrictEqual(ssServer.requests, []);
            assert.deepStrictEqual(dashServer.requests, []);
        });
    }
});
