/**
 * The catalogue as data: pure checks against the 1.18 compose facts (test/compose-1.18.ts), Fargate's
 * size table, and the pitfalls DESIGN.md §2 lists (names the apps silently ignore when misspelt).
 */
import * as assert from "assert";
import { fargateMemoryOptions, isValidFargateSize } from "../policy/lib/fargate";
import {
    CatalogueContext,
    CLAMAV_LIMITS_MIB,
    COMPONENTS,
    ComponentName,
    resolveComponent,
    scratchStorageGiB,
    SIZES,
    VERSIONS,
} from "../components/catalogue";
import { COMPOSE_1_18, MIGRATE_ENTRYPOINTS_1_18 } from "./compose-1.18";

const NS = "staging.archivematica.internal";

function ctx(overrides: Partial<CatalogueContext> = {}): CatalogueContext {
    return {
        version: "1.18",
        sizeProfile: "small",
        namespace: NS,
        database: { host: "db.example.internal", port: "3306", appUsername: "archivematica", mcpDatabaseName: "MCP", ssDatabaseName: "SS" },
        search: { enabled: "true", hasUrl: true },
        hostnames: { dashboard: "am.example.org", storageService: "ss.example.org" },
        timeZone: "Europe/London",
        mcpClient: { workers: 3, maxTasksPerChild: 25 },
        bootstrap: {
            adminUsername: "admin",
            adminEmail: "archivist@example.org",
            organisationName: "Example Archives",
            organisationId: "example",
        },
        ...overrides,
    };
}

/** Compose variables whose value moved to a secret, by the name the app reads it under (only the MCP components rename). */
const MOVED_TO_SECRETS: Record<ComponentName, Record<string, string>> = {
    dashboard: {
        ARCHIVEMATICA_DASHBOARD_CLIENT_PASSWORD: "ARCHIVEMATICA_DASHBOARD_CLIENT_PASSWORD",
        ARCHIVEMATICA_DASHBOARD_DASHBOARD_ELASTICSEARCH_SERVER: "ARCHIVEMATICA_DASHBOARD_DASHBOARD_ELASTICSEARCH_SERVER",
    },
    "storage-service": { SS_DB_URL: "SS_DB_URL" },
    // The compose's plain DJANGO_SECRET_KEY is ignored by the MCP server and client (they read the prefixed name).
    "mcp-server": {
        DJANGO_SECRET_KEY: "ARCHIVEMATICA_MCPSERVER_MCPSERVER_DJANGO_SECRET_KEY",
        ARCHIVEMATICA_MCPSERVER_CLIENT_PASSWORD: "ARCHIVEMATICA_MCPSERVER_CLIENT_PASSWORD",
    },
    "mcp-client": {
        DJANGO_SECRET_KEY: "ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_DJANGO_SECRET_KEY",
        ARCHIVEMATICA_MCPCLIENT_CLIENT_PASSWORD: "ARCHIVEMATICA_MCPCLIENT_CLIENT_PASSWORD",
        ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_ELASTICSEARCHSERVER: "ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_ELASTICSEARCHSERVER",
    },
    gearmand: {},
    clamavd: {},
};

const SECRET_LIKE = /PASSWORD|SECRET|TOKEN|KEY/;

describe("catalogue", () => {
    describe("against the 1.18 compose", () => {
        for (const component of COMPONENTS) {
            const composeService = COMPOSE_1_18[component];
            it(`${component}: every compose variable is set, secrets only as secrets`, () => {
                const spec = resolveComponent(component, ctx());
                const moved = MOVED_TO_SECRETS[component];
                for (const name of composeService.variables) {
                    if (name in moved) {
                        assert.ok(moved[name] in spec.secrets, `${component}: ${name} should be the secret ${moved[name]}`);
                        assert.ok(
                            !(moved[name] in spec.environment) && !(name in spec.environment),
                            `${component}: ${name} must not be plain environment`,
                        );
                    } else {
                        assert.ok(name in spec.environment, `${component}: compose sets ${name}, the catalogue does not`);
                    }
                }
            });
            it(`${component}: image is the compose's`, () => {
                assert.strictEqual(resolveComponent(component, ctx()).image, composeService.image);
            });
        }

        it("gearmand and clamavd run as the compose's users, with its command and entrypoint", () => {
            const gearmand = resolveComponent("gearmand", ctx());
            const clamavd = resolveComponent("clamavd", ctx());
            assert.strictEqual(gearmand.user, COMPOSE_1_18.gearmand.user);
            assert.deepStrictEqual(gearmand.command, [COMPOSE_1_18.gearmand.command]);
            assert.strictEqual(clamavd.user, COMPOSE_1_18.clamavd.user);
            assert.deepStrictEqual(clamavd.entryPoint, [COMPOSE_1_18.clamavd.entryPoint]);
        });

        it("the bootstrap commands are the compose's migrate and create_user/install entrypoints", () => {
            const ss = resolveComponent("storage-service", ctx());
            assert.deepStrictEqual(ss.initSteps.find((s) => s.name === "migrate")!.entryPoint, MIGRATE_ENTRYPOINTS_1_18["storage-service"]);
            const dashboard = resolveComponent("dashboard", ctx());
            assert.deepStrictEqual(dashboard.initSteps.find((s) => s.name === "migrate")!.entryPoint, MIGRATE_ENTRYPOINTS_1_18.dashboard);
        });
    });

    describe("pitfalls", () => {
        it("no plain variable looks like a secret, and no value carries credentials", () => {
            for (const version of ["1.18", "1.17"] as const) {
                for (const component of COMPONENTS) {
                    const spec = resolveComponent(component, ctx({ version }));
                    const envs = [spec.environment, ...spec.initSteps.map((s) => s.environment)];
                    for (const env of envs) {
                        for (const [name, value] of Object.entries(env)) {
                            assert.ok(!SECRET_LIKE.test(name), `${component}: ${name} is plain environment`);
                            if (typeof value === "string")
                                assert.ok(!/:\/\/[^/@\s]+:[^/@\s]+@/.test(value), `${component}: ${name} has credentials`);
                        }
                    }
                }
            }
        });

        it("production settings modules, poll watching, explicit concurrency and timeouts (1.18)", () => {
            const c = ctx();
            const d = resolveComponent("dashboard", c).environment;
            const ss = resolveComponent("storage-service", c).environment;
            const server = resolveComponent("mcp-server", c).environment;
            const client = resolveComponent("mcp-client", c).environment;
            assert.strictEqual(d.DJANGO_SETTINGS_MODULE, "archivematica.dashboard.settings.production");
            assert.strictEqual(ss.DJANGO_SETTINGS_MODULE, "archivematica.storage_service.storage_service.settings.production");
            assert.strictEqual(server.DJANGO_SETTINGS_MODULE, "archivematica.MCPServer.settings.common");
            assert.strictEqual(client.DJANGO_SETTINGS_MODULE, "archivematica.MCPClient.settings.common");
            assert.strictEqual(server.ARCHIVEMATICA_MCPSERVER_MCPSERVER_WATCH_DIRECTORY_METHOD, "poll");
            assert.strictEqual(server.ARCHIVEMATICA_MCPSERVER_MCPSERVER_CONCURRENT_PACKAGES, "2");
            assert.strictEqual(server.ARCHIVEMATICA_MCPSERVER_MCPSERVER_WORKER_THREADS, "4");
            assert.strictEqual(client.ARCHIVEMATICA_MCPCLIENT_WORKERS, "3");
            assert.strictEqual(client.ARCHIVEMATICA_MCPCLIENT_MAX_TASKS_PER_CHILD, "25");
            assert.strictEqual(d.AM_GUNICORN_WORKERS, "2");
            assert.strictEqual(ss.SS_GUNICORN_WORKERS, "2");
            assert.ok(!("AM_GUNICORN_WORKERS" in ss), "the Storage Service reads SS_GUNICORN_*");
            for (const [env, name] of [
                [d, "ARCHIVEMATICA_DASHBOARD_DASHBOARD_STORAGE_SERVICE_CLIENT_QUICK_TIMEOUT"],
                [server, "ARCHIVEMATICA_MCPSERVER_MCPSERVER_STORAGE_SERVICE_CLIENT_QUICK_TIMEOUT"],
                [client, "ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_STORAGE_SERVICE_CLIENT_QUICK_TIMEOUT"],
            ] as const) {
                assert.ok(Number(env[name]) >= 600, `${name} = ${env[name]}`);
            }
            assert.strictEqual(
                resolveComponent("mcp-server", c).secrets.ARCHIVEMATICA_MCPSERVER_MCPSERVER_DJANGO_SECRET_KEY,
                "pipelineDjangoSecretKey",
            );
            assert.strictEqual(
                resolveComponent("mcp-client", c).secrets.ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_DJANGO_SECRET_KEY,
                "pipelineDjangoSecretKey",
            );
            assert.strictEqual(
                resolveComponent("dashboard", c).secrets.ARCHIVEMATICA_DASHBOARD_DASHBOARD_DJANGO_SECRET_KEY,
                "pipelineDjangoSecretKey",
            );
            assert.strictEqual(resolveComponent("storage-service", c).secrets.DJANGO_SECRET_KEY, "storageServiceDjangoSecretKey");
        });

        it("CSRF_TRUSTED_ORIGINS come from the hostnames; the Host check is the ALB's host rules", () => {
            const d = resolveComponent("dashboard", ctx()).environment;
            const ss = resolveComponent("storage-service", ctx()).environment;
            assert.strictEqual(d.ARCHIVEMATICA_DASHBOARD_DASHBOARD_DJANGO_ALLOWED_HOSTS, "*");
            assert.strictEqual(d.ARCHIVEMATICA_DASHBOARD_DASHBOARD_CSRF_TRUSTED_ORIGINS, "https://am.example.org");
            assert.strictEqual(ss.DJANGO_ALLOWED_HOSTS, "*");
            assert.strictEqual(ss.CSRF_TRUSTED_ORIGINS, "https://ss.example.org");
            assert.strictEqual(ss.TIME_ZONE, "Europe/London");
        });

        it("connection strings use discovery names", () => {
            const c = ctx();
            assert.strictEqual(
                resolveComponent("dashboard", c).environment.ARCHIVEMATICA_DASHBOARD_DASHBOARD_GEARMAN_SERVER,
                `gearmand.${NS}:4730`,
            );
            assert.strictEqual(
                resolveComponent("mcp-server", c).environment.ARCHIVEMATICA_MCPSERVER_MCPSERVER_MCPARCHIVEMATICASERVER,
                `gearmand.${NS}:4730`,
            );
            assert.strictEqual(
                resolveComponent("mcp-client", c).environment.ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_MCPARCHIVEMATICASERVER,
                `gearmand.${NS}:4730`,
            );
            assert.strictEqual(
                resolveComponent("mcp-client", c).environment.ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_CLAMAV_SERVER,
                `clamavd.${NS}:3310`,
            );
            const install = resolveComponent("dashboard", c).initSteps.find((s) => s.name === "install")!;
            assert.strictEqual(install.environment.BOOTSTRAP_SS_URL, `http://storage-service.${NS}:8000`);
            assert.strictEqual(install.environment.BOOTSTRAP_SITE_URL, `http://dashboard.${NS}:8000`);
            for (const component of COMPONENTS) {
                const env = resolveComponent(component, c).environment;
                for (const [name, value] of Object.entries(env)) {
                    if (typeof value === "string")
                        assert.ok(
                            !/\b(localhost|127\.0\.0\.1|mysql|elasticsearch)\b:/.test(value),
                            `${component}: ${name}=${value} is a hard-coded host`,
                        );
                }
            }
        });

        it("clamd's limits and the MCP client's agree, and the client streams files", () => {
            const clamd = resolveComponent("clamavd", ctx()).environment;
            const client = resolveComponent("mcp-client", ctx()).environment;
            assert.deepStrictEqual(
                [clamd.CLAMD_CONF_MaxFileSize, clamd.CLAMD_CONF_MaxScanSize, clamd.CLAMD_CONF_StreamMaxLength],
                [
                    `${client.ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_CLAMAV_CLIENT_MAX_FILE_SIZE}M`,
                    `${client.ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_CLAMAV_CLIENT_MAX_SCAN_SIZE}M`,
                    `${client.ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_CLAMAV_CLIENT_MAX_STREAM_LENGTH}M`,
                ],
            );
            assert.deepStrictEqual(CLAMAV_LIMITS_MIB, { maxFileSize: 42, maxScanSize: 42, streamMaxLength: 100 });
            assert.strictEqual(client.ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_CLAMAV_PASS_BY_STREAM, "true");
            assert.deepStrictEqual(resolveComponent("clamavd", ctx()).mounts, []);
        });

        it("search: enabled value everywhere; the URL only as a secret, only when there is one", () => {
            const off = ctx({ search: { enabled: "false", hasUrl: false } });
            assert.strictEqual(resolveComponent("dashboard", off).environment.ARCHIVEMATICA_DASHBOARD_SEARCH_ENABLED, "false");
            assert.strictEqual(resolveComponent("mcp-server", off).environment.ARCHIVEMATICA_MCPSERVER_SEARCH_ENABLED, "false");
            assert.strictEqual(resolveComponent("mcp-client", off).environment.ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_SEARCH_ENABLED, "false");
            assert.ok(!("ARCHIVEMATICA_DASHBOARD_DASHBOARD_ELASTICSEARCH_SERVER" in resolveComponent("dashboard", off).secrets));
            assert.strictEqual(
                resolveComponent("dashboard", ctx()).secrets.ARCHIVEMATICA_DASHBOARD_DASHBOARD_ELASTICSEARCH_SERVER,
                "searchUrl",
            );
            assert.strictEqual(
                resolveComponent("mcp-client", ctx()).secrets.ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_ELASTICSEARCHSERVER,
                "searchUrl",
            );
        });

        it("gearmand: builtin queue, or Redis from the queue's endpoint", () => {
            assert.deepStrictEqual(resolveComponent("gearmand", ctx()).command, ["--queue-type=builtin"]);
            assert.deepStrictEqual(resolveComponent("gearmand", ctx()).calls, []);
            const redis = resolveComponent("gearmand", ctx({ queue: { endpoint: "master.q.example.cache.amazonaws.com", port: 6379 } }));
            assert.strictEqual(redis.command![0], "--queue-type=redis");
            assert.strictEqual(redis.command![2], "--redis-port=6379");
            assert.deepStrictEqual(redis.calls, ["queue"]);
        });
    });

    describe("sizes and deployment", () => {
        for (const version of ["1.18", "1.17"] as const) {
            for (const sizeProfile of ["small", "large"] as const) {
                it(`${version} ${sizeProfile}: valid Fargate sizes, stop timeouts, users, deployment styles`, () => {
                    for (const component of COMPONENTS) {
                        const spec = resolveComponent(component, ctx({ version, sizeProfile }));
                        assert.ok(isValidFargateSize(spec.cpu, spec.memory), `${component}: ${spec.cpu}/${spec.memory}`);
                        assert.deepStrictEqual({ cpu: spec.cpu, memory: spec.memory }, SIZES[component][sizeProfile]);
                        assert.ok(spec.stopTimeout >= 2 && spec.stopTimeout <= 120, `${component}: stopTimeout ${spec.stopTimeout}`);
                        assert.ok(spec.user && !/^(root|0)(:|$)/.test(spec.user), `${component}: user ${spec.user}`);
                    }
                    for (const c of ["dashboard", "storage-service", "mcp-server", "mcp-client"] as const) {
                        assert.strictEqual(
                            resolveComponent(c, ctx({ version, sizeProfile })).user,
                            `${VERSIONS[version].uid}:${VERSIONS[version].uid}`,
                        );
                    }
                    assert.strictEqual(resolveComponent("mcp-server", ctx({ version, sizeProfile })).stopTimeout, 120);
                    assert.strictEqual(resolveComponent("mcp-client", ctx({ version, sizeProfile })).stopTimeout, 120);
                    assert.ok(resolveComponent("clamavd", ctx({ version, sizeProfile })).memory >= 4096);
                    assert.deepStrictEqual(
                        COMPONENTS.filter((c) => resolveComponent(c, ctx({ version, sizeProfile })).deployment === "singleton"),
                        ["mcp-server", "gearmand"],
                    );
                    assert.deepStrictEqual(
                        COMPONENTS.filter((c) => resolveComponent(c, ctx({ version, sizeProfile })).transferScratch),
                        ["storage-service", "mcp-client"],
                    );
                });
            }
        }

        it("uid 1000 for 1.18 and 1.17 (upstream builds USER_ID=1000 since v1.15)", () => {
            assert.strictEqual(VERSIONS["1.18"].uid, 1000);
            assert.strictEqual(VERSIONS["1.17"].uid, 1000);
        });

        it("1.17 runs manage.py files and top-level settings modules", () => {
            const c = ctx({ version: "1.17" });
            assert.strictEqual(resolveComponent("dashboard", c).image, "artefactual/archivematica-dashboard:v1.17.0");
            assert.strictEqual(resolveComponent("dashboard", c).environment.DJANGO_SETTINGS_MODULE, "settings.production");
            assert.strictEqual(
                resolveComponent("storage-service", c).environment.DJANGO_SETTINGS_MODULE,
                "storage_service.settings.production",
            );
            assert.deepStrictEqual(resolveComponent("dashboard", c).initSteps[1].entryPoint, [
                "python3",
                "/src/src/dashboard/src/manage.py",
                "migrate",
                "--noinput",
            ]);
            assert.deepStrictEqual(resolveComponent("storage-service", c).initSteps[1].entryPoint, [
                "python3",
                "/src/storage_service/manage.py",
                "migrate",
                "--noinput",
            ]);
        });

        it("Fargate's cpu/memory table", () => {
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
