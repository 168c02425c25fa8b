/**
 * The catalogue entries as data, each resolved for a stack: what is particular to each component
 * (scaling, load balancer, init steps, callers) and the pitfalls of its settings (names the apps
 * silently ignore when misspelt, secrets kept out of the environment, discovery names).
 */
import * as assert from "assert";
import { CATALOGUE, CLAMAV_LIMITS_MIB, COMPONENTS, resolveComponent, scratchStorageGiB, VERSIONS } from "../../components/app/catalogue";
import { fargateMemoryOptions, isValidFargateSize } from "../../lib/fargate";
import { ctx, DASHBOARD_TG, NS, SS_TG } from "./context";

const SECRET_LIKE = /PASSWORD|SECRET|TOKEN|KEY/;
const env = (c: Parameters<typeof resolveComponent>[0], context = ctx()) => resolveComponent(c, context).container.environment!;
const initNames = (c: Parameters<typeof resolveComponent>[0]) => (resolveComponent(c, ctx()).initContainers ?? []).map((i) => i.name);

describe("catalogue entries", () => {
    describe("what is particular to each component", () => {
        it("load balancer: the dashboard and the Storage Service, on their own target groups, with their grace periods", () => {
            const lb = Object.fromEntries(COMPONENTS.map((c) => [c, resolveComponent(c, ctx()).loadBalancer]));
            assert.deepStrictEqual(lb, {
                dashboard: { targetGroupArn: DASHBOARD_TG, healthCheckGracePeriodSeconds: 120 },
                "storage-service": { targetGroupArn: SS_TG, healthCheckGracePeriodSeconds: 240 },
                "mcp-server": undefined,
                "mcp-client": undefined,
                gearmand: undefined,
                clamavd: undefined,
            });
        });

        it("scaling: only the MCP clients, from the context's counts; the singletons are the MCP server and gearmand", () => {
            for (const c of COMPONENTS) {
                const s = resolveComponent(c, ctx());
                if (c === "mcp-client") {
                    assert.strictEqual(s.desiredCount, 2);
                    assert.deepStrictEqual(s.autoscaling, { minCount: 1, maxCount: 4, cpuTarget: 60 });
                } else {
                    assert.deepStrictEqual([s.desiredCount, s.autoscaling], [undefined, undefined], c);
                }
            }
            assert.deepStrictEqual(
                COMPONENTS.filter((c) => resolveComponent(c, ctx()).deployment === "singleton"),
                ["mcp-server", "gearmand"],
            );
        });

        it("capacity: the singletons insist on on-demand Fargate; the others take the stack's choice", () => {
            assert.deepStrictEqual(
                COMPONENTS.map((c) => resolveComponent(c, ctx()).capacityProvider),
                [undefined, undefined, "FARGATE", undefined, "FARGATE", undefined],
            );
        });

        it("init steps, in order", () => {
            assert.deepStrictEqual(Object.fromEntries(COMPONENTS.map((c) => [c, initNames(c)])), {
                dashboard: [
                    "create-databases",
                    "migrate",
                    "wait-for-storage-defaults",
                    "install",
                    "rotate-credentials",
                    "configure-storage",
                ],
                "storage-service": ["create-databases", "migrate", "create-user", "rotate-credentials"],
                "mcp-server": ["wait-for-mcp-database"],
                "mcp-client": ["wait-for-mcp-database"],
                gearmand: [],
                clamavd: [],
            });
        });

        it("callers and ports", () => {
            assert.deepStrictEqual(
                Object.fromEntries(
                    COMPONENTS.map((c) => [c, [resolveComponent(c, ctx()).container.port, resolveComponent(c, ctx()).calls]]),
                ),
                {
                    dashboard: [8000, ["database", "gearmand", "storage-service", "search"]],
                    "storage-service": [8000, ["database", "dashboard"]],
                    "mcp-server": [7999, ["database", "gearmand", "storage-service"]],
                    "mcp-client": [7999, ["database", "gearmand", "clamavd", "storage-service", "search"]],
                    gearmand: [4730, []],
                    clamavd: [3310, []],
                },
            );
        });

        it("scratch storage for the components that handle whole transfers, from maxTransferSizeGiB", () => {
            const big = ctx({ maxTransferSizeGiB: 50 });
            assert.deepStrictEqual(
                COMPONENTS.map((c) => resolveComponent(c, big).ephemeralStorageGiB),
                [undefined, 110, undefined, 110, undefined, undefined],
            );
        });

        it("image overrides apply to the app and its init steps", () => {
            const s = resolveComponent("dashboard", ctx({ images: { dashboard: "registry.example.org/am/dashboard:1.18.0-1" } }));
            assert.deepStrictEqual(
                [...new Set([s.container.image, ...(s.initContainers ?? []).map((i) => i.image)])],
                ["registry.example.org/am/dashboard:1.18.0-1"],
            );
            assert.strictEqual(
                resolveComponent("mcp-server", ctx({ images: { dashboard: "x/y:1" } })).container.image,
                CATALOGUE["mcp-server"].images["1.18"],
            );
        });

        it("task-role statements: the Storage Service's are exactly the archival buckets'; no other component has any", () => {
            const c = ctx();
            assert.strictEqual(resolveComponent("storage-service", c).taskRoleStatements, c.archivalStorage.storageServiceStatements);
            for (const other of ["dashboard", "mcp-server", "mcp-client", "gearmand", "clamavd"] as const)
                assert.strictEqual(resolveComponent(other, c).taskRoleStatements, undefined, other);
        });

        it("configure-storage: the buckets and region of the context, the site URL install registers", () => {
            const steps = Object.fromEntries((resolveComponent("dashboard", ctx()).initContainers ?? []).map((i) => [i.name, i]));
            assert.deepStrictEqual(steps["configure-storage"].environment, {
                BOOTSTRAP_SS_URL: `http://storage-service.${NS}:8000`,
                BOOTSTRAP_ADMIN_USERNAME: "admin",
                BOOTSTRAP_WAIT_ATTEMPTS: "90",
                BOOTSTRAP_WAIT_SECONDS: "10",
                BOOTSTRAP_SITE_URL: `http://dashboard.${NS}:8000`,
                BOOTSTRAP_S3_REGION: "eu-west-2",
                BOOTSTRAP_TRANSFER_BUCKET: "am-transfers",
                BOOTSTRAP_AIP_BUCKET: "am-aips",
                BOOTSTRAP_DIP_BUCKET: "am-dips",
            });
            assert.strictEqual(steps["configure-storage"].command?.[1], "configure");
            assert.strictEqual(steps["wait-for-storage-defaults"].command?.[1], "wait-for-defaults");
            assert.strictEqual(steps.install.environment?.BOOTSTRAP_SITE_URL, `http://dashboard.${NS}:8000`);
        });

        it("steps that run manage.py inherit the app's environment and secrets; the others do not", () => {
            for (const c of ["dashboard", "storage-service", "mcp-server", "mcp-client"] as const) {
                const s = resolveComponent(c, ctx());
                for (const step of s.initContainers ?? []) {
                    const inherits = !["create-databases", "wait-for-storage-defaults", "configure-storage"].includes(step.name);
                    assert.strictEqual(
                        step.environment?.DJANGO_SETTINGS_MODULE,
                        inherits ? s.container.environment!.DJANGO_SETTINGS_MODULE : undefined,
                        `${c}/${step.name}`,
                    );
                    for (const [k, v] of Object.entries(s.container.secrets ?? {}))
                        assert.strictEqual(step.secrets?.[k], inherits ? v : undefined, `${c}/${step.name} ${k}`);
                }
            }
        });
    });

    describe("pitfalls", () => {
        it("no plain variable looks like a secret, and no value carries credentials", () => {
            for (const version of ["1.18", "1.17"] as const) {
                for (const c of COMPONENTS) {
                    const s = resolveComponent(c, ctx({ version }));
                    for (const e of [s.container.environment ?? {}, ...(s.initContainers ?? []).map((i) => i.environment ?? {})]) {
                        for (const [name, value] of Object.entries(e)) {
                            assert.ok(!SECRET_LIKE.test(name), `${c}: ${name} is plain environment`);
                            if (typeof value === "string")
                                assert.ok(!/:\/\/[^/@\s]+:[^/@\s]+@/.test(value), `${c}: ${name} has credentials`);
                        }
                    }
                }
            }
        });

        it("production settings modules, poll watching, explicit concurrency and timeouts (1.18)", () => {
            assert.strictEqual(env("dashboard").DJANGO_SETTINGS_MODULE, "archivematica.dashboard.settings.production");
            assert.strictEqual(
                env("storage-service").DJANGO_SETTINGS_MODULE,
                "archivematica.storage_service.storage_service.settings.production",
            );
            assert.strictEqual(env("mcp-server").DJANGO_SETTINGS_MODULE, "archivematica.MCPServer.settings.common");
            assert.strictEqual(env("mcp-client").DJANGO_SETTINGS_MODULE, "archivematica.MCPClient.settings.common");
            assert.strictEqual(env("mcp-server").ARCHIVEMATICA_MCPSERVER_MCPSERVER_WATCH_DIRECTORY_METHOD, "poll");
            assert.strictEqual(env("mcp-server").ARCHIVEMATICA_MCPSERVER_MCPSERVER_CONCURRENT_PACKAGES, "2");
            assert.strictEqual(env("mcp-server").ARCHIVEMATICA_MCPSERVER_MCPSERVER_WORKER_THREADS, "4");
            assert.strictEqual(env("mcp-client").ARCHIVEMATICA_MCPCLIENT_WORKERS, "3");
            assert.strictEqual(env("mcp-client").ARCHIVEMATICA_MCPCLIENT_MAX_TASKS_PER_CHILD, "25");
            assert.strictEqual(env("dashboard").AM_GUNICORN_WORKERS, "2");
            assert.strictEqual(env("storage-service").SS_GUNICORN_WORKERS, "2");
            assert.strictEqual(env("storage-service", ctx({ sizeProfile: "large" })).SS_GUNICORN_WORKERS, "4");
            assert.ok(!("AM_GUNICORN_WORKERS" in env("storage-service")), "the Storage Service reads SS_GUNICORN_*");
            assert.deepStrictEqual(
                [
                    env("dashboard").ARCHIVEMATICA_DASHBOARD_DASHBOARD_STORAGE_SERVICE_CLIENT_QUICK_TIMEOUT,
                    env("mcp-server").ARCHIVEMATICA_MCPSERVER_MCPSERVER_STORAGE_SERVICE_CLIENT_QUICK_TIMEOUT,
                    env("mcp-client").ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_STORAGE_SERVICE_CLIENT_QUICK_TIMEOUT,
                ],
                ["600", "600", "600"],
            );
            assert.deepStrictEqual(
                COMPONENTS.map((c) => resolveComponent(c, ctx()).container.secrets),
                [
                    {
                        ARCHIVEMATICA_DASHBOARD_CLIENT_PASSWORD: "dbAppPassword",
                        ARCHIVEMATICA_DASHBOARD_DASHBOARD_DJANGO_SECRET_KEY: "pipelineDjangoSecretKey",
                        ARCHIVEMATICA_DASHBOARD_DASHBOARD_ELASTICSEARCH_SERVER: "searchUrl",
                    },
                    { SS_DB_URL: "ssDbUrl", DJANGO_SECRET_KEY: "storageServiceDjangoSecretKey" },
                    {
                        ARCHIVEMATICA_MCPSERVER_CLIENT_PASSWORD: "dbAppPassword",
                        ARCHIVEMATICA_MCPSERVER_MCPSERVER_DJANGO_SECRET_KEY: "pipelineDjangoSecretKey",
                    },
                    {
                        ARCHIVEMATICA_MCPCLIENT_CLIENT_PASSWORD: "dbAppPassword",
                        ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_DJANGO_SECRET_KEY: "pipelineDjangoSecretKey",
                        ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_ELASTICSEARCHSERVER: "searchUrl",
                    },
                    {},
                    {},
                ],
            );
        });

        it("CSRF_TRUSTED_ORIGINS come from the hostnames; the Host check is the ALB's host rules", () => {
            assert.strictEqual(env("dashboard").ARCHIVEMATICA_DASHBOARD_DASHBOARD_DJANGO_ALLOWED_HOSTS, "*");
            assert.strictEqual(env("dashboard").ARCHIVEMATICA_DASHBOARD_DASHBOARD_CSRF_TRUSTED_ORIGINS, "https://am.example.org");
            assert.strictEqual(env("storage-service").DJANGO_ALLOWED_HOSTS, "*");
            assert.strictEqual(env("storage-service").CSRF_TRUSTED_ORIGINS, "https://ss.example.org");
            assert.strictEqual(env("storage-service").TIME_ZONE, "Europe/London");
        });

        it("connection strings use discovery names", () => {
            assert.strictEqual(env("dashboard").ARCHIVEMATICA_DASHBOARD_DASHBOARD_GEARMAN_SERVER, `gearmand.${NS}:4730`);
            assert.strictEqual(env("mcp-server").ARCHIVEMATICA_MCPSERVER_MCPSERVER_MCPARCHIVEMATICASERVER, `gearmand.${NS}:4730`);
            assert.strictEqual(env("mcp-client").ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_MCPARCHIVEMATICASERVER, `gearmand.${NS}:4730`);
            assert.strictEqual(env("mcp-client").ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_CLAMAV_SERVER, `clamavd.${NS}:3310`);
            const install = resolveComponent("dashboard", ctx()).initContainers!.find((s) => s.name === "install")!;
            assert.strictEqual(install.environment!.BOOTSTRAP_SS_URL, `http://storage-service.${NS}:8000`);
            assert.strictEqual(install.environment!.BOOTSTRAP_SITE_URL, `http://dashboard.${NS}:8000`);
            for (const c of COMPONENTS)
                for (const [name, value] of Object.entries(env(c)))
                    if (typeof value === "string")
                        assert.ok(
                            !/\b(localhost|127\.0\.0\.1|mysql|elasticsearch)\b:/.test(value),
                            `${c}: ${name}=${value} is a hard-coded host`,
                        );
        });

        it("Prometheus: the MCP server and clients serve it on 127.0.0.1 only; no *_PROMETHEUS_ENABLED anywhere", () => {
            const prometheus = (c: Parameters<typeof resolveComponent>[0]) =>
                Object.fromEntries(Object.entries(env(c)).filter(([k]) => k.includes("PROMETHEUS")));
            assert.deepStrictEqual(prometheus("mcp-server"), {
                ARCHIVEMATICA_MCPSERVER_MCPSERVER_PROMETHEUS_BIND_PORT: "7999",
                ARCHIVEMATICA_MCPSERVER_MCPSERVER_PROMETHEUS_BIND_ADDRESS: "127.0.0.1",
            });
            assert.deepStrictEqual(prometheus("mcp-client"), {
                ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_PROMETHEUS_BIND_PORT: "7999",
                ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_PROMETHEUS_BIND_ADDRESS: "127.0.0.1",
            });
            for (const c of ["dashboard", "storage-service", "gearmand", "clamavd"] as const) assert.deepStrictEqual(prometheus(c), {}, c);
            // The health check still finds the listener: it probes from inside the container.
            assert.deepStrictEqual(resolveComponent("mcp-server", ctx()).container.healthCheck!.command, [
                "CMD-SHELL",
                "bash -c 'exec 3<>/dev/tcp/127.0.0.1/7999' || exit 1",
            ]);
        });

        it("ClamAV: the client's own limits and streaming; clamd gets no CLAMD_CONF_* its entrypoint would ignore", () => {
            const client = Object.fromEntries(Object.entries(env("mcp-client")).filter(([k]) => k.includes("CLAMAV")));
            assert.deepStrictEqual(client, {
                ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_CLAMAV_SERVER: `clamavd.${NS}:3310`,
                ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_CLAMAV_PASS_BY_STREAM: "true",
                ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_CLAMAV_CLIENT_BACKEND: "clamdscanner",
                ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_CLAMAV_CLIENT_MAX_FILE_SIZE: "42",
                ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_CLAMAV_CLIENT_MAX_SCAN_SIZE: "42",
            });
            assert.deepStrictEqual(CLAMAV_LIMITS_MIB, { maxFileSize: 42, maxScanSize: 42 });
            const clamd = resolveComponent("clamavd", ctx()).container;
            assert.deepStrictEqual(
                [clamd.entryPoint, clamd.user, clamd.environment, clamd.mounts],
                [["/init-unprivileged"], "clamav", {}, []],
            );
        });

        it("search: the enabled value everywhere; the URL only as a secret, only when there is one", () => {
            const off = ctx({ search: { enabled: "false", hasUrl: false } });
            assert.strictEqual(env("dashboard", off).ARCHIVEMATICA_DASHBOARD_SEARCH_ENABLED, "false");
            assert.strictEqual(env("mcp-server", off).ARCHIVEMATICA_MCPSERVER_SEARCH_ENABLED, "false");
            assert.strictEqual(env("mcp-client", off).ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_SEARCH_ENABLED, "false");
            assert.deepStrictEqual(
                Object.keys(resolveComponent("dashboard", off).container.secrets!).filter((k) => k.includes("ELASTIC")),
                [],
            );
            assert.deepStrictEqual(
                Object.keys(resolveComponent("mcp-client", off).container.secrets!).filter((k) => k.includes("ELASTIC")),
                [],
            );
        });

        it("gearmand: builtin queue, or Redis from the queue's endpoint", () => {
            assert.deepStrictEqual(resolveComponent("gearmand", ctx()).container.command, ["--queue-type=builtin"]);
            assert.deepStrictEqual(resolveComponent("gearmand", ctx()).calls, []);
            const redis = resolveComponent("gearmand", ctx({ queue: { endpoint: "master.q.example.cache.amazonaws.com", port: 6379 } }));
            assert.strictEqual(redis.container.command![0], "--queue-type=redis");
            assert.strictEqual(redis.container.command![2], "--redis-port=6379");
            assert.deepStrictEqual(redis.calls, ["queue"]);
        });
    });

    describe("versions and sizes", () => {
        it("uid 1000 for 1.18 and 1.17 (upstream builds USER_ID=1000 since v1.15), the app user of the four Archivematica images", () => {
            assert.strictEqual(VERSIONS["1.18"].uid, 1000);
            assert.strictEqual(VERSIONS["1.17"].uid, 1000);
            for (const c of ["dashboard", "storage-service", "mcp-server", "mcp-client"] as const)
                assert.strictEqual(resolveComponent(c, ctx()).container.user, "1000:1000", c);
            assert.deepStrictEqual(
                [resolveComponent("gearmand", ctx()).container.user, resolveComponent("clamavd", ctx()).container.user],
                ["gearman", "clamav"],
            );
        });

        it("1.17 runs manage.py files and top-level settings modules", () => {
            const c = ctx({ version: "1.17" });
            assert.strictEqual(resolveComponent("dashboard", c).container.image, "artefactual/archivematica-dashboard:v1.17.0");
            assert.strictEqual(env("dashboard", c).DJANGO_SETTINGS_MODULE, "settings.production");
            assert.strictEqual(env("storage-service", c).DJANGO_SETTINGS_MODULE, "storage_service.settings.production");
            assert.deepStrictEqual(resolveComponent("dashboard", c).initContainers![1].entryPoint, [
                "python3",
                "/src/src/dashboard/src/manage.py",
                "migrate",
                "--noinput",
            ]);
            assert.deepStrictEqual(resolveComponent("storage-service", c).initContainers![1].entryPoint, [
                "python3",
                "/src/storage_service/manage.py",
                "migrate",
                "--noinput",
            ]);
        });

        it("stop timeouts: the MCP server and clients get the Fargate maximum; clamd has ≥ 4 GiB", () => {
            assert.deepStrictEqual(
                COMPONENTS.map((c) => resolveComponent(c, ctx()).container.stopTimeout),
                [60, 60, 120, 120, 30, 30],
            );
            for (const sizeProfile of ["small", "large"] as const)
                assert.ok(resolveComponent("clamavd", ctx({ sizeProfile })).memory >= 4096);
        });

        it("Fargate's cpu/memory table (lib/fargate.ts)", () => {
            const cases: [number, number, boolean][] = [
                [256, 512, true],
                [256, 2048, true],
                [256, 3072, false],
                [512, 512, false],
                [512, 4096, true],
                [1024, 8192, true],
                [1024, 9216, false],
                [2048, 16384, true],
                [4096, 30720, true],
                [4096, 31744, false],
                [8192, 20480, true],
                [8192, 18432, false],
                [16384, 122880, true],
                [16384, 36864, false],
                [3072, 8192, false],
            ];
            for (const [cpu, memory, valid] of cases) assert.strictEqual(isValidFargateSize(cpu, memory), valid, `${cpu}/${memory}`);
            assert.deepStrictEqual(fargateMemoryOptions(256), [512, 1024, 2048]);
            assert.deepStrictEqual(fargateMemoryOptions(3000), []);
        });

        it("scratch storage from the largest transfer, within 21–200 GiB", () => {
            const cases: [number, number][] = [
                [1, 21],
                [5, 21],
                [20, 50],
                [50, 110],
                [95, 200],
                [180, 200],
            ];
            for (const [transfer, gib] of cases) assert.strictEqual(scratchStorageGiB(transfer), gib, `${transfer} GiB`);
        });
    });
});
