/**
 * bootstrap/rotate_credentials.py: `verify` against a fake dashboard and Storage Service (exact
 * requests, keys accepted, a stale key, no pipeline); the Django modes against a recording stand-in
 * for the few ORM calls they make (fake-django/: exactly which rows change, and nothing on a re-run),
 * and their refusal to run without their configuration.
 */
import * as assert from "assert";
import * as fs from "node:fs";
import * as os from "node:os";
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

    it("verify: follows the pipeline list's pages (tastypie caps a page at 1,000) to find the pipeline", async () => {
        const others = Array.from({ length: 1000 }, (_, i) => ({
            uuid: `bbbb9${String(i).padStart(3, "0")}-0000-4000-8000-000000000000`,
            description: `old ${i}`,
            remote_name: `http://old-${i}:8000`,
        }));
        ss.pipelines = [...others, ...ss.pipelines];
        const r = await runPython(SCRIPT, ["verify"], verifyEnv());
        assert.strictEqual(r.code, 0, r.stderr);
        assert.deepStrictEqual(calls(ssServer.requests), ["GET /api/v2/pipeline/?limit=0", "GET /api/v2/pipeline/?limit=1000&offset=1000"]);
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

    describe("Django steps (against fake-django/, a recording stand-in for the ORM calls)", () => {
        let tmp: string;
        const state = () => JSON.parse(fs.readFileSync(path.join(tmp, "state.json"), "utf8"));
        const writes = () =>
            fs.existsSync(path.join(tmp, "log"))
                ? fs
                      .readFileSync(path.join(tmp, "log"), "utf8")
                      .trim()
                      .split("\n")
                      .map((l) => JSON.parse(l))
                : [];
        beforeEach(() => {
            tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rotate-"));
            fs.writeFileSync(
                path.join(tmp, "state.json"),
                JSON.stringify({
                    users: { curator: { password: "hashed:old-password" } },
                    api_keys: { curator: "dash-key-1" },
                    settings: { api_whitelist: "" },
                    pipelines: [
                        {
                            uuid: "bbbb0001-0000-4000-8000-000000000001",
                            remote_name: SITE_URL,
                            api_username: "curator",
                            api_key: "dash-key-1",
                        },
                        {
                            uuid: "bbbb0009-0000-4000-8000-000000000009",
                            remote_name: "http://other:8000",
                            api_username: "someone",
                            api_key: "other",
                        },
                    ],
                }),
            );
        });
        afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));
        const djangoEnv = (extra: Record<string, string>) => ({
            PYTHONPATH: path.join(__dirname, "fake-django"),
            FAKE_DJANGO_STATE: path.join(tmp, "state.json"),
            FAKE_DJANGO_LOG: path.join(tmp, "log"),
            DJANGO_SETTINGS_MODULE: "archivematica.dashboard.settings.production",
            BOOTSTRAP_ADMIN_USERNAME: "curator",
            BOOTSTRAP_DASHBOARD_API_KEY: "dash-key-2",
            ...extra,
        });

        it("dashboard: sets the password, the API key and the allowlist; a re-run writes nothing", async () => {
            const env = djangoEnv({ BOOTSTRAP_ADMIN_PASSWORD: "new-password", BOOTSTRAP_API_ALLOWLIST: "10.0.0.0 10.0.1.0" });
            const first = await runPython(SCRIPT, ["dashboard"], env);
            assert.strictEqual(first.stderr, "");
            assert.strictEqual(first.code, 0);
            assert.strictEqual(first.stdout, "dashboard admin curator: password, API key, API allowlist updated\n");
            assert.deepStrictEqual(writes(), [
                { save_user: "curator", update_fields: ["password"] },
                { api_key: "curator", key: "dash-key-2" },
                { setting: "api_whitelist", value: "10.0.0.0 10.0.1.0" },
            ]);
            const second = await runPython(SCRIPT, ["dashboard"], env);
            assert.strictEqual(second.code, 0);
            assert.strictEqual(second.stdout, "dashboard admin curator: unchanged\n");
            assert.strictEqual(writes().length, 3);
        });

        it("dashboard: without BOOTSTRAP_API_ALLOWLIST the allowlist is left as it is", async () => {
            fs.writeFileSync(path.join(tmp, "state.json"), JSON.stringify({ ...state(), settings: { api_whitelist: "10.9.9.9" } }));
            const r = await runPython(SCRIPT, ["dashboard"], djangoEnv({ BOOTSTRAP_ADMIN_PASSWORD: "old-password" }));
            assert.strictEqual(r.code, 0, r.stderr);
            assert.strictEqual(r.stdout, "dashboard admin curator: API key updated\n");
            assert.deepStrictEqual(state().settings, { api_whitelist: "10.9.9.9" });
        });

        it("dashboard: no admin yet exits 1 (install creates it)", async () => {
            const r = await runPython(
                SCRIPT,
                ["dashboard"],
                djangoEnv({ BOOTSTRAP_ADMIN_USERNAME: "nobody", BOOTSTRAP_ADMIN_PASSWORD: "p" }),
            );
            assert.strictEqual(r.code, 1);
            assert.strictEqual(r.stderr, "rotate_credentials: dashboard user nobody does not exist; run install first\n");
            assert.deepStrictEqual(writes(), []);
        });

        it("storage-service: the pipeline registered for the site URL gets the new key, only it; a re-run writes nothing", async () => {
            const env = djangoEnv({
                BOOTSTRAP_SITE_URL: SITE_URL,
                DJANGO_SETTINGS_MODULE: "archivematica.storage_service.storage_service.settings.production",
            });
            const first = await runPython(SCRIPT, ["storage-service"], env);
            assert.strictEqual(first.code, 0, first.stderr);
            assert.strictEqual(first.stdout, "pipeline bbbb0001-0000-4000-8000-000000000001: API credentials updated\n");
            assert.deepStrictEqual(writes(), [
                { save_pipeline: "bbbb0001-0000-4000-8000-000000000001", update_fields: ["api_username", "api_key"] },
            ]);
            assert.deepStrictEqual(
                state().pipelines.map((p: any) => [p.uuid, p.api_username, p.api_key]),
                [
                    ["bbbb0001-0000-4000-8000-000000000001", "curator", "dash-key-2"],
                    ["bbbb0009-0000-4000-8000-000000000009", "someone", "other"],
                ],
            );
            const second = await runPython(SCRIPT, ["storage-service"], env);
            assert.strictEqual(second.stdout, "pipeline bbbb0001-0000-4000-8000-000000000001: API credentials unchanged\n");
            assert.strictEqual(writes().length, 1);
        });

        it("storage-service: a disabled pipeline with the same site URL keeps its old credentials", async () => {
            const retired = {
                uuid: "bbbb0002-0000-4000-8000-000000000002",
                remote_name: `${SITE_URL}/`,
                api_username: "curator",
                api_key: "dash-key-0",
                enabled: false,
            };
            fs.writeFileSync(path.join(tmp, "state.json"), JSON.stringify({ ...state(), pipelines: [retired, ...state().pipelines] }));
            const r = await runPython(
                SCRIPT,
                ["storage-service"],
                djangoEnv({
                    BOOTSTRAP_SITE_URL: SITE_URL,
                    DJANGO_SETTINGS_MODULE: "archivematica.storage_service.storage_service.settings.production",
                }),
            );
            assert.strictEqual(r.code, 0, r.stderr);
            assert.strictEqual(
                r.stdout,
                "pipeline bbbb0002-0000-4000-8000-000000000002: disabled, skipped\npipeline bbbb0001-0000-4000-8000-000000000001: API credentials updated\n",
            );
            assert.deepStrictEqual(writes(), [
                { save_pipeline: "bbbb0001-0000-4000-8000-000000000001", update_fields: ["api_username", "api_key"] },
            ]);
            assert.deepStrictEqual(state().pipelines[0], retired);
        });

        it("storage-service: no pipeline yet is fine (install registers it with the current key)", async () => {
            const r = await runPython(SCRIPT, ["storage-service"], djangoEnv({ BOOTSTRAP_SITE_URL: "http://new-dashboard:8000" }));
            assert.strictEqual(r.code, 0, r.stderr);
            assert.strictEqual(
                r.stdout,
                "no pipeline registered for http://new-dashboard:8000 yet: install registers it with the current key\n",
            );
            assert.deepStrictEqual(writes(), []);
        });
    });
});
