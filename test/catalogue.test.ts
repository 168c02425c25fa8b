/**
 * The catalogue against the 1.18 compose facts (test/compose-1.18.ts): every compose variable is set
 * (secrets only as secrets), the images, users, commands and migrate entrypoints are the compose's.
 * The pitfalls, sizes and deployment checks live in test/catalogue/entries.test.ts and meta.test.ts.
 */
import * as assert from "assert";
import { COMPONENTS, ComponentName, resolveComponent } from "../components/app/catalogue";
import { ctx } from "./catalogue/context";
import { COMPOSE_1_18, MIGRATE_ENTRYPOINTS_1_18 } from "./compose-1.18";

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

/** Compose variables left out on purpose (issue 11), with the reason. */
const DROPPED: Record<ComponentName, Record<string, string>> = {
    // The gunicorn config files test os.environ.get(...): even "false" turns the multiprocess metrics on.
    dashboard: { ARCHIVEMATICA_DASHBOARD_DASHBOARD_PROMETHEUS_ENABLED: "unset means off" },
    "storage-service": { SS_PROMETHEUS_ENABLED: "unset means off" },
    "mcp-server": {},
    // Not in MCPClient's CONFIG_MAPPING: the client never reads it.
    "mcp-client": { ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_CLAMAV_CLIENT_MAX_STREAM_LENGTH: "not read by 1.18" },
    // /init-unprivileged (a non-root task) applies no CLAMD_CONF_*.
    clamavd: {
        CLAMD_CONF_MaxFileSize: "ignored by /init-unprivileged",
        CLAMD_CONF_MaxScanSize: "ignored by /init-unprivileged",
        CLAMD_CONF_StreamMaxLength: "ignored by /init-unprivileged",
    },
    gearmand: {},
};

describe("catalogue against the 1.18 compose", () => {
    for (const component of COMPONENTS) {
        const composeService = COMPOSE_1_18[component];
        it(`${component}: every compose variable is set, secrets only as secrets`, () => {
            const { environment = {}, secrets = {} } = resolveComponent(component, ctx()).container;
            const moved = MOVED_TO_SECRETS[component];
            for (const name of composeService.variables) {
                if (name in DROPPED[component]) {
                    assert.ok(!(name in environment) && !(name in secrets), `${component}: ${name} is left out on purpose`);
                } else if (name in moved) {
                    assert.ok(moved[name] in secrets, `${component}: ${name} should be the secret ${moved[name]}`);
                    assert.ok(
                        !(moved[name] in environment) && !(name in environment),
                        `${component}: ${name} must not be plain environment`,
                    );
                } else {
                    assert.ok(name in environment, `${component}: compose sets ${name}, the catalogue does not`);
                }
            }
        });
        it(`${component}: image is the compose's`, () => {
            assert.strictEqual(resolveComponent(component, ctx()).container.image, composeService.image);
        });
    }

    it("gearmand and clamavd run as the compose's users, with its command and entrypoint", () => {
        const gearmand = resolveComponent("gearmand", ctx()).container;
        const clamavd = resolveComponent("clamavd", ctx()).container;
        assert.strictEqual(gearmand.user, COMPOSE_1_18.gearmand.user);
        assert.deepStrictEqual(gearmand.command, [COMPOSE_1_18.gearmand.command]);
        assert.strictEqual(clamavd.user, COMPOSE_1_18.clamavd.user);
        assert.deepStrictEqual(clamavd.entryPoint, [COMPOSE_1_18.clamavd.entryPoint]);
    });

    it("the bootstrap's migrate steps are the compose's migrate entrypoints", () => {
        const migrate = (c: "dashboard" | "storage-service") =>
            resolveComponent(c, ctx()).initContainers!.find((s) => s.name === "migrate")!.entryPoint;
        assert.deepStrictEqual(migrate("storage-service"), MIGRATE_ENTRYPOINTS_1_18["storage-service"]);
        assert.deepStrictEqual(migrate("dashboard"), MIGRATE_ENTRYPOINTS_1_18.dashboard);
    });
});
