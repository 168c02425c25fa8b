/**
 * The automatic bootstrap as the task definitions carry it: exact init containers, their order, the
 * SUCCESS chain into the essential container, where each secret comes from, and the bounded waits.
 */
import * as assert from "assert";
import { loadConfig } from "../config";
import {
    BOOTSTRAP_WAITS,
    CREATE_DATABASES_SCRIPT,
    WAIT_FOR_MCP_DATABASE_SCRIPT,
    WAIT_FOR_STORAGE_SERVICE_SCRIPT,
} from "../components/catalogue";
import { createServices } from "../components/services";
import { plan, TestPlan } from "./harness";
import { FAKE, FakeCluster, fakeDeps } from "./service-deps";

const NS = "staging.archivematica.internal";

type Def = Record<string, any>;

function defs(p: TestPlan, component: string): Def[] {
    return JSON.parse(p.named(`am-${component}-task-definition`).props.containerDefinitions);
}
function byName(p: TestPlan, component: string): Record<string, Def> {
    return Object.fromEntries(defs(p, component).map((d) => [d.name, d]));
}
const envOf = (d: Def) => Object.fromEntries(d.environment.map((e: Def) => [e.name, e.value]));
const secretsOf = (d: Def) => Object.fromEntries(d.secrets.map((e: Def) => [e.name, e.valueFrom]));
const generated = (suffix: string) => new RegExp(`^arn:aws:secretsmanager:eu-west-2:123456789012:secret:am-${suffix}-[0-9a-f]{6}$`);

/** The init chain: each init container depends on the one before; the essential one on all, with SUCCESS. */
function assertChain(p: TestPlan, component: string, order: string[]): void {
    const d = byName(p, component);
    assert.deepStrictEqual(Object.keys(d).sort(), [...order, component].sort());
    order.forEach((name, i) => {
        assert.strictEqual(d[name].essential, false, `${name} must be non-essential`);
        assert.deepStrictEqual(
            d[name].dependsOn,
            i === 0 ? undefined : [{ containerName: order[i - 1], condition: "SUCCESS" }],
            `${component}/${name}`,
        );
        assert.strictEqual(d[name].user, d[component].user, `${component}/${name} runs as the app's user`);
        assert.strictEqual(d[name].image, d[component].image, `${component}/${name} runs the app's image`);
        assert.strictEqual(d[name].logConfiguration.options["awslogs-stream-prefix"], `init-${name}`);
    });
    assert.strictEqual(d[component].essential, true);
    assert.deepStrictEqual(
        d[component].dependsOn,
        order.length ? order.map((containerName) => ({ containerName, condition: "SUCCESS" })) : undefined,
    );
}

describe("bootstrap", () => {
    let p: TestPlan;
    before(async () => {
        p = await plan(
            () => {
                createServices("am", new FakeCluster("am"), fakeDeps(loadConfig()));
            },
            { adminUsername: "curator", organisationName: 'Example "Quoted" Archives' },
        );
    });

    it("order: databases, migrations, users; MCP server and clients wait; gearmand and clamd start at once", () => {
        assertChain(p, "storage-service", ["create-databases", "migrate", "create-user"]);
        assertChain(p, "dashboard", ["create-databases", "migrate", "wait-for-storage-service", "install"]);
        assertChain(p, "mcp-server", ["wait-for-mcp-database"]);
        assertChain(p, "mcp-client", ["wait-for-mcp-database"]);
        assertChain(p, "gearmand", []);
        assertChain(p, "clamavd", []);
    });

    it("1. create-databases: as the RDS master user from its managed secret, idempotent SQL, bounded wait", () => {
        for (const component of ["dashboard", "storage-service"]) {
            const step = byName(p, component)["create-databases"];
            assert.deepStrictEqual(step.entryPoint, ["python3", "-c"]);
            assert.deepStrictEqual(step.command, [CREATE_DATABASES_SCRIPT]);
            assert.deepStrictEqual(envOf(step), {
                BOOTSTRAP_DB_APP_USER: "archivematica",
                BOOTSTRAP_DB_HOST: FAKE.dbAddress,
                BOOTSTRAP_DB_NAMES: "MCP,SS",
                BOOTSTRAP_DB_PORT: "3306",
                BOOTSTRAP_WAIT_ATTEMPTS: String(BOOTSTRAP_WAITS.database.attempts),
                BOOTSTRAP_WAIT_SECONDS: String(BOOTSTRAP_WAITS.database.intervalSeconds),
            });
            // JSON-key form for the RDS-managed master secret; the app password as a whole secret.
            assert.deepStrictEqual(secretsOf(step), {
                BOOTSTRAP_DB_APP_PASSWORD: FAKE.appPasswordSecret,
                BOOTSTRAP_DB_MASTER_PASSWORD: `${FAKE.masterSecret}:password::`,
                BOOTSTRAP_DB_MASTER_USER: `${FAKE.masterSecret}:username::`,
            });
        }
        const script = CREATE_DATABASES_SCRIPT;
        assert.ok(script.includes("CREATE DATABASE IF NOT EXISTS `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci"));
        assert.ok(script.includes("CREATE USER IF NOT EXISTS %s@'%%' IDENTIFIED BY %s"));
        assert.ok(script.includes("ALTER USER %s@'%%' IDENTIFIED BY %s"), "converges the password of an existing user");
        assert.ok(script.includes("GRANT ALL PRIVILEGES ON `{name}`.* TO %s@'%%'"));
        assert.ok(
            script.includes("for attempt in range(1, attempts + 1):") && script.includes("sys.exit(f'database did not accept connections"),
        );
        // Only the bootstrap steps see the master credentials, never the apps.
        for (const component of ["dashboard", "storage-service", "mcp-server", "mcp-client"]) {
            const app = byName(p, component)[component];
            assert.ok(!app.secrets.some((s: Def) => s.valueFrom.startsWith(FAKE.masterSecret)), component);
        }
    });

    it("2. storage service: migrate --noinput, then create_user --superuser with secrets expanded by the shell", () => {
        const d = byName(p, "storage-service");
        assert.deepStrictEqual(d.migrate.entryPoint, ["python3", "-m", "archivematica.storage_service.manage", "migrate", "--noinput"]);
        assert.strictEqual(d.migrate.command, undefined);
        assert.deepStrictEqual(d["create-user"].entryPoint, ["sh", "-c"]);
        assert.deepStrictEqual(d["create-user"].command, [
            'exec python3 -m archivematica.storage_service.manage create_user --username="$BOOTSTRAP_ADMIN_USERNAME" --password="$BOOTSTRAP_ADMIN_PASSWORD" --email="$BOOTSTRAP_ADMIN_EMAIL" --api-key="$BOOTSTRAP_SS_API_KEY" --superuser',
        ]);
        const env = envOf(d["create-user"]);
        assert.strictEqual(env.BOOTSTRAP_ADMIN_USERNAME, "curator");
        assert.strictEqual(env.BOOTSTRAP_ADMIN_EMAIL, "archivist@example.org");
        const secrets = secretsOf(d["create-user"]);
        assert.match(secrets.BOOTSTRAP_ADMIN_PASSWORD, generated("admin-password"));
        assert.match(secrets.BOOTSTRAP_SS_API_KEY, generated("storage-service-api-key"));
        // manage.py needs the app's settings: the migrate and create_user steps inherit its environment and secrets.
        for (const step of [d.migrate, d["create-user"]]) {
            assert.strictEqual(envOf(step).DJANGO_SETTINGS_MODULE, "archivematica.storage_service.storage_service.settings.production");
            assert.strictEqual(secretsOf(step).SS_DB_URL, FAKE.ssDbUrlSecret);
        }
    });

    it("3. dashboard: migrate --noinput, wait for the Storage Service (bounded), then install with discovery URLs", () => {
        const d = byName(p, "dashboard");
        assert.deepStrictEqual(d.migrate.entryPoint, ["python3", "-m", "archivematica.dashboard.manage", "migrate", "--noinput"]);
        const wait = d["wait-for-storage-service"];
        assert.deepStrictEqual(wait.entryPoint, ["python3", "-c"]);
        assert.deepStrictEqual(wait.command, [WAIT_FOR_STORAGE_SERVICE_SCRIPT]);
        assert.deepStrictEqual(envOf(wait), {
            BOOTSTRAP_ADMIN_USERNAME: "curator",
            BOOTSTRAP_SS_URL: `http://storage-service.${NS}:8000`,
            BOOTSTRAP_WAIT_ATTEMPTS: String(BOOTSTRAP_WAITS.storageService.attempts),
            BOOTSTRAP_WAIT_SECONDS: String(BOOTSTRAP_WAITS.storageService.intervalSeconds),
        });
        assert.deepStrictEqual(Object.keys(secretsOf(wait)), ["BOOTSTRAP_SS_API_KEY"]);
        assert.ok(
            WAIT_FOR_STORAGE_SERVICE_SCRIPT.includes("/api/v2/pipeline/?limit=1") &&
                WAIT_FOR_STORAGE_SERVICE_SCRIPT.includes("sys.exit(f'storage service did not answer after {attempts} attempts')"),
        );

        const install = d.install;
        assert.deepStrictEqual(install.entryPoint, ["sh", "-c"]);
        assert.deepStrictEqual(install.command, [
            'exec python3 -m archivematica.dashboard.manage install --username="$BOOTSTRAP_ADMIN_USERNAME" --password="$BOOTSTRAP_ADMIN_PASSWORD" --email="$BOOTSTRAP_ADMIN_EMAIL" --org-name="$BOOTSTRAP_ORG_NAME" --org-id="$BOOTSTRAP_ORG_ID" --api-key="$BOOTSTRAP_DASHBOARD_API_KEY" --ss-url="$BOOTSTRAP_SS_URL" --ss-user="$BOOTSTRAP_ADMIN_USERNAME" --ss-api-key="$BOOTSTRAP_SS_API_KEY" --site-url="$BOOTSTRAP_SITE_URL"',
        ]);
        const env = envOf(install);
        assert.deepStrictEqual(
            [
                env.BOOTSTRAP_ADMIN_USERNAME,
                env.BOOTSTRAP_ADMIN_EMAIL,
                env.BOOTSTRAP_ORG_NAME,
                env.BOOTSTRAP_ORG_ID,
                env.BOOTSTRAP_SS_URL,
                env.BOOTSTRAP_SITE_URL,
            ],
            // Config values travel as variables, so quotes in them cannot break the command.
            [
                "curator",
                "archivist@example.org",
                'Example "Quoted" Archives',
                "example",
                `http://storage-service.${NS}:8000`,
                `http://dashboard.${NS}:8000`,
            ],
        );
        const secrets = secretsOf(install);
        assert.match(secrets.BOOTSTRAP_ADMIN_PASSWORD, generated("admin-password"));
        assert.match(secrets.BOOTSTRAP_DASHBOARD_API_KEY, generated("dashboard-api-key"));
        assert.match(secrets.BOOTSTRAP_SS_API_KEY, generated("storage-service-api-key"));
        // The same API key the storage service's create_user sets.
        assert.strictEqual(secrets.BOOTSTRAP_SS_API_KEY, secretsOf(byName(p, "storage-service")["create-user"]).BOOTSTRAP_SS_API_KEY);
        assert.strictEqual(
            secrets.BOOTSTRAP_ADMIN_PASSWORD,
            secretsOf(byName(p, "storage-service")["create-user"]).BOOTSTRAP_ADMIN_PASSWORD,
        );
        assert.strictEqual(envOf(install).DJANGO_SETTINGS_MODULE, "archivematica.dashboard.settings.production");
    });

    it("4. MCP server and clients wait for the migrated MCP database with their own settings (bounded)", () => {
        for (const component of ["mcp-server", "mcp-client"]) {
            const d = byName(p, component);
            const wait = d["wait-for-mcp-database"];
            assert.deepStrictEqual(wait.entryPoint, ["python3", "-c"]);
            assert.deepStrictEqual(wait.command, [WAIT_FOR_MCP_DATABASE_SCRIPT]);
            const env = envOf(wait);
            assert.strictEqual(env.BOOTSTRAP_WAIT_ATTEMPTS, String(BOOTSTRAP_WAITS.mcpDatabase.attempts));
            assert.strictEqual(env.BOOTSTRAP_WAIT_SECONDS, String(BOOTSTRAP_WAITS.mcpDatabase.intervalSeconds));
            assert.strictEqual(env.DJANGO_SETTINGS_MODULE, envOf(d[component]).DJANGO_SETTINGS_MODULE);
            assert.deepStrictEqual(secretsOf(wait), secretsOf(d[component]));
        }
        assert.ok(WAIT_FOR_MCP_DATABASE_SCRIPT.includes("executor.migration_plan(executor.loader.graph.leaf_nodes())"));
    });

    it("the waits are bounded and fit inside the time pulumi up waits for the service to be steady", () => {
        const total = (w: { attempts: number; intervalSeconds: number }) => w.attempts * w.intervalSeconds;
        assert.deepStrictEqual(
            [total(BOOTSTRAP_WAITS.database), total(BOOTSTRAP_WAITS.storageService), total(BOOTSTRAP_WAITS.mcpDatabase)],
            [300, 900, 900],
        );
        // The grace period begins once the init containers are done, so it covers gunicorn only; the
        // bootstrap's waits are inside the steady-state timeout instead.
        const waitSeconds = (c: string) => Number(/^(\d+)m$/.exec(p.named(`am-${c}-service`).customTimeouts!.create!)![1]) * 60;
        assert.ok(waitSeconds("dashboard") > total(BOOTSTRAP_WAITS.database) + total(BOOTSTRAP_WAITS.storageService));
        assert.ok(waitSeconds("storage-service") > total(BOOTSTRAP_WAITS.database));
        assert.deepStrictEqual(
            [
                p.named("am-dashboard-service").props.healthCheckGracePeriodSeconds,
                p.named("am-storage-service-service").props.healthCheckGracePeriodSeconds,
            ],
            [120, 240],
        );
    });
});
