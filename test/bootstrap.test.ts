/**
 * The automatic bootstrap as the task definitions carry it: exact init containers, their order, the
 * SUCCESS chain into the essential container, where each secret comes from, and the bounded waits.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as zlib from "zlib";
import {
    BOOTSTRAP_WAITS,
    CONFIGURE_STORAGE_SCRIPT,
    CREATE_DATABASES_SCRIPT,
    ROTATE_CREDENTIALS_SCRIPT,
    WAIT_FOR_MCP_DATABASE_SCRIPT,
} from "../components/app/catalogue";
import { createServices } from "../components/app/services";
import { plan, TestPlan } from "./harness";
import { FAKE, FakeCluster, fakeDeps, SETTINGS } from "./service-deps";
import { python } from "./support/python";

const NS = "staging.archivematica.internal";
const SITE_URL = `http://dashboard.${NS}:8000`;
/** The environment of every step that calls the Storage Service API. */
const SS_API = {
    BOOTSTRAP_ADMIN_USERNAME: "curator",
    BOOTSTRAP_SS_URL: `http://storage-service.${NS}:8000`,
    BOOTSTRAP_WAIT_ATTEMPTS: String(BOOTSTRAP_WAITS.storageService.attempts),
    BOOTSTRAP_WAIT_SECONDS: String(BOOTSTRAP_WAITS.storageService.intervalSeconds),
};
const PACKED =
    /^import base64,zlib;exec\(compile\(zlib\.decompress\(base64\.b64decode\("([A-Za-z0-9+/=]+)"\)\),"([a-z_]+\.py)","exec"\)\)$/;

/** A packed `python3 -c` command as [file name, script without its final newline, ...arguments]. */
function unpacked(command: string[]): string[] {
    const m = PACKED.exec(command[0]);
    assert.ok(m, `not a packed script: ${command[0].slice(0, 80)}`);
    const text = zlib.inflateSync(Buffer.from(m[1], "base64")).toString("utf8");
    assert.ok(text.endsWith("\n"), "the file's own final newline is kept");
    return [m[2], text.slice(0, -1), ...command.slice(1)];
}

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

/**
 * The init chain: each init container depends on the one before; the essential one on all, with SUCCESS.
 * `sidecars` run beside the essential container, outside the chain (the MCP components' metrics collector).
 */
function assertChain(p: TestPlan, component: string, order: string[], sidecars: string[] = []): void {
    const d = byName(p, component);
    assert.deepStrictEqual(Object.keys(d).sort(), [...order, component, ...sidecars].sort());
    for (const s of sidecars) assert.deepStrictEqual([d[s].essential, d[s].dependsOn], [false, undefined], s);
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
        p = await plan(() => {
            const bootstrap = { ...SETTINGS.bootstrap, adminUsername: "curator", organisationName: 'Example "Quoted" Archives' };
            createServices("am", new FakeCluster("am"), fakeDeps({ bootstrap }));
        });
    });

    it("order: databases, migrations, users; MCP server and clients wait; gearmand and clamd start at once", () => {
        assertChain(p, "storage-service", ["create-databases", "migrate", "create-user", "rotate-credentials"]);
        assertChain(p, "dashboard", [
            "create-databases",
            "migrate",
            "wait-for-storage-defaults",
            "install",
            "rotate-credentials",
            "configure-storage",
        ]);
        assertChain(p, "mcp-server", ["wait-for-mcp-database"], ["metrics"]);
        assertChain(p, "mcp-client", ["wait-for-mcp-database"], ["metrics"]);
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

    it("3. dashboard: migrate --noinput, wait for the Storage Service's default locations (bounded), then install with discovery URLs", () => {
        const d = byName(p, "dashboard");
        assert.deepStrictEqual(d.migrate.entryPoint, ["python3", "-m", "archivematica.dashboard.manage", "migrate", "--noinput"]);
        const wait = d["wait-for-storage-defaults"];
        assert.deepStrictEqual(wait.entryPoint, ["python3", "-c"]);
        assert.deepStrictEqual(unpacked(wait.command), ["configure_storage.py", CONFIGURE_STORAGE_SCRIPT, "wait-for-defaults"]);
        assert.deepStrictEqual(envOf(wait), SS_API);
        assert.deepStrictEqual(secretsOf(wait), {
            BOOTSTRAP_SS_API_KEY: secretsOf(byName(p, "storage-service")["create-user"]).BOOTSTRAP_SS_API_KEY,
        });

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

    it("3b. dashboard after install: rotate-credentials (dashboard) in the app's environment, then configure-storage on the buckets", () => {
        const d = byName(p, "dashboard");
        const rotate = d["rotate-credentials"];
        assert.deepStrictEqual(rotate.entryPoint, ["python3", "-c"]);
        assert.deepStrictEqual(unpacked(rotate.command), ["rotate_credentials.py", ROTATE_CREDENTIALS_SCRIPT, "dashboard"]);
        // The app's environment and secrets (Django settings, database) plus the admin's; no allowlist
        // variable: install leaves the allowlist empty, the only value Fargate tasks' addresses pass.
        assert.deepStrictEqual(envOf(rotate), { ...envOf(d.dashboard), BOOTSTRAP_ADMIN_USERNAME: "curator" });
        assert.ok(!("BOOTSTRAP_API_ALLOWLIST" in envOf(rotate)));
        assert.deepStrictEqual(secretsOf(rotate), {
            ...secretsOf(d.dashboard),
            BOOTSTRAP_ADMIN_PASSWORD: secretsOf(d.install).BOOTSTRAP_ADMIN_PASSWORD,
            BOOTSTRAP_DASHBOARD_API_KEY: secretsOf(d.install).BOOTSTRAP_DASHBOARD_API_KEY,
        });

        const configure = d["configure-storage"];
        assert.deepStrictEqual(configure.entryPoint, ["python3", "-c"]);
        assert.deepStrictEqual(unpacked(configure.command), ["configure_storage.py", CONFIGURE_STORAGE_SCRIPT, "configure"]);
        assert.deepStrictEqual(envOf(configure), {
            ...SS_API,
            BOOTSTRAP_AIP_BUCKET: FAKE.aipBucket,
            BOOTSTRAP_DIP_BUCKET: FAKE.dipBucket,
            BOOTSTRAP_S3_REGION: "eu-west-2",
            BOOTSTRAP_SITE_URL: SITE_URL,
            BOOTSTRAP_TRANSFER_BUCKET: FAKE.transferBucket,
        });
        // The site URL install registered, which configure finds the pipeline by.
        assert.strictEqual(envOf(configure).BOOTSTRAP_SITE_URL, envOf(d.install).BOOTSTRAP_SITE_URL);
        assert.deepStrictEqual(secretsOf(configure), { BOOTSTRAP_SS_API_KEY: secretsOf(d.install).BOOTSTRAP_SS_API_KEY });
    });

    it("2b. storage service after create_user: rotate-credentials (storage-service) gives the registered pipeline the current dashboard key", () => {
        const d = byName(p, "storage-service");
        const rotate = d["rotate-credentials"];
        assert.deepStrictEqual(rotate.entryPoint, ["python3", "-c"]);
        assert.deepStrictEqual(unpacked(rotate.command), ["rotate_credentials.py", ROTATE_CREDENTIALS_SCRIPT, "storage-service"]);
        assert.deepStrictEqual(envOf(rotate), {
            ...envOf(d["storage-service"]),
            BOOTSTRAP_ADMIN_USERNAME: "curator",
            BOOTSTRAP_SITE_URL: SITE_URL,
        });
        assert.deepStrictEqual(secretsOf(rotate), {
            ...secretsOf(d["storage-service"]),
            BOOTSTRAP_DASHBOARD_API_KEY: secretsOf(byName(p, "dashboard").install).BOOTSTRAP_DASHBOARD_API_KEY,
        });
        assert.match(secretsOf(rotate).BOOTSTRAP_DASHBOARD_API_KEY, generated("dashboard-api-key"));
    });

    it("the packed scripts run: python3 -c <program> <mode> hands the mode to the script as sys.argv[1]", () => {
        const d = byName(p, "dashboard");
        const run = spawnSync(...python("-c", d["configure-storage"].command[0], "no-such-mode"), {
            env: { PATH: process.env.PATH, PYTHONDONTWRITEBYTECODE: "1" },
            encoding: "utf8",
        });
        assert.strictEqual(run.status, 2);
        assert.strictEqual(run.stderr, "configure_storage: mode: 'no-such-mode' is not known; valid: wait-for-defaults, configure\n");
        const rotate = spawnSync(...python("-c", d["rotate-credentials"].command[0], "dashboard"), {
            env: { PATH: process.env.PATH, PYTHONDONTWRITEBYTECODE: "1" },
            encoding: "utf8",
        });
        assert.strictEqual(rotate.status, 2);
        assert.strictEqual(rotate.stderr, "rotate_credentials: BOOTSTRAP_ADMIN_USERNAME: missing; set it in the task definition\n");
    });

    it("task definitions stay under 48 KiB, with margin below ECS's 64 KiB cap", () => {
        const sizes = Object.fromEntries(
            ["dashboard", "storage-service"].map((c) => [
                c,
                Buffer.byteLength(p.named(`am-${c}-task-definition`).props.containerDefinitions),
            ]),
        );
        for (const [c, size] of Object.entries(sizes)) assert.ok(size < 48 * 1024, `${c}: ${size} bytes`);
    });

    it("the Storage Service task role: EFS through its access points, ECS Exec, then exactly the archival buckets' statements", () => {
        const policy = JSON.parse(p.named("am-storage-service-task-policy").props.policy);
        const t = `arn:aws:s3:::${FAKE.transferBucket}`;
        const a = `arn:aws:s3:::${FAKE.aipBucket}`;
        const dip = `arn:aws:s3:::${FAKE.dipBucket}`;
        assert.deepStrictEqual(
            policy.Statement.map((s: Def) => s.Sid),
            [
                "EfsThroughAccessPoints",
                "EcsExec",
                "EcsExecTranscriptLogGroups",
                "EcsExecTranscript",
                "ArchivalBucketsList",
                "TransferSourceRead",
                "PackageStoresReadWrite",
            ],
        );
        assert.deepStrictEqual(policy.Statement.slice(4), [
            { Sid: "ArchivalBucketsList", Effect: "Allow", Action: ["s3:GetBucketLocation", "s3:ListBucket"], Resource: [t, a, dip] },
            { Sid: "TransferSourceRead", Effect: "Allow", Action: ["s3:GetObject"], Resource: [`${t}/*`] },
            {
                Sid: "PackageStoresReadWrite",
                Effect: "Allow",
                Action: ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
                Resource: [`${a}/*`, `${dip}/*`],
            },
        ]);
        // No other component gets S3.
        for (const c of ["dashboard", "mcp-server", "mcp-client", "gearmand", "clamavd"]) {
            const text = p.named(`am-${c}-task-policy`).props.policy;
            assert.ok(!text.includes("s3:"), c);
        }
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
