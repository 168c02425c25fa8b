/**
 * The bootstrap scripts: real Python files under `bootstrap/` at the repository root, read once when
 * this module loads and handed to the init containers as `python3 -c <script>`. Python, because every
 * Archivematica image ships python3 and MySQLdb (mysqlclient, Django's MySQL driver) but not
 * necessarily curl or a mysql client. Every value comes from the environment (`BOOTSTRAP_*`), so no
 * secret is ever part of a command line in a task definition. test/bootstrap-scripts.test.ts compiles
 * each file with `python3 -m py_compile` and runs it against fakes.
 */
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import type { InitContainer as TaskInitContainer } from "../task";
import type * as pulumi from "@pulumi/pulumi";
import type { AppContainer, CatalogueContext, SecretName } from "./types";

/** `bootstrap/` at the repository root. */
export const BOOTSTRAP_DIR = path.join(__dirname, "..", "..", "..", "bootstrap");

/** A script's text without the file's final newline (the task definition carries it as one argument). */
function readScript(file: string): string {
    return fs.readFileSync(path.join(BOOTSTRAP_DIR, file), "utf8").replace(/\n$/, "");
}

/**
 * Creates the databases and the application user as the RDS master user; safe to run any number of
 * times: `CREATE … IF NOT EXISTS`, then `ALTER USER` converges an existing user's password to the
 * secret (CREATE USER IF NOT EXISTS alone would leave it alone). Waits for RDS with a bounded retry.
 */
export const CREATE_DATABASES_SCRIPT = readScript("create_databases.py");

/**
 * S3 spaces and locations as code (see bootstrap/README.md): `wait-for-defaults` waits until the
 * Storage Service answers the admin's key and has created its default locations; `configure`
 * converges the S3 transfer source, AIP store and DIP store for the pipeline.
 */
export const CONFIGURE_STORAGE_SCRIPT = readScript("configure_storage.py");

/** Sets the admin's password and API keys in the app it runs in (`dashboard`, `storage-service`). */
export const ROTATE_CREDENTIALS_SCRIPT = readScript("rotate_credentials.py");

/**
 * A long script as a short `python3 -c` program: the file deflated and base64-encoded, decoded and
 * run as `__main__` under its own file name (tracebacks name it); `sys.argv[1:]` are the arguments
 * after the program, so the script reads its mode as it would from a file. ECS caps a task definition
 * at 64 KiB (Amazon ECS service quotas, "Task definition size"); the dashboard task carries
 * configure_storage.py twice and rotate_credentials.py once: 37 KB as JSON text, 16.5 KB packed, which
 * takes its container definitions from about 52 KB to 32 KB (test/bootstrap.test.ts keeps them < 48 KiB).
 * Deterministic: the same file always packs to the same bytes, so it never causes a new revision.
 */
export function packedScript(file: string, text: string): string {
    const packed = zlib.deflateSync(Buffer.from(`${text}\n`, "utf8"), { level: 9 }).toString("base64");
    return `import base64,zlib;exec(compile(zlib.decompress(base64.b64decode("${packed}")),"${file}","exec"))`;
}

/**
 * Waits until the MCP database has every migration this image knows (the dashboard applies them), by
 * asking Django's own migration planner with the component's settings.
 */
export const WAIT_FOR_MCP_DATABASE_SCRIPT = readScript("wait_for_mcp_database.py");

/**
 * Bounds of the bootstrap waits: `attempts` × `intervalSeconds`, then the init container exits 1,
 * the task stops, and the deployment circuit breaker rolls back instead of looping forever.
 */
export const BOOTSTRAP_WAITS = {
    /** RDS accepting connections (the instance exists before services are created; rules may lag). */
    database: { attempts: 30, intervalSeconds: 10 },
    /**
     * The Storage Service answering its API with the admin's key and having created its default
     * locations (its own migrations and create_user run first).
     */
    storageService: { attempts: 90, intervalSeconds: 10 },
    /** The dashboard having migrated the MCP database to what this image expects. */
    mcpDatabase: { attempts: 90, intervalSeconds: 10 },
} as const;

/** Minutes a bounded wait may take at most: attempts × interval. */
export function minutesOf(wait: { attempts: number; intervalSeconds: number }): number {
    return (wait.attempts * wait.intervalSeconds) / 60;
}

/**
 * How long `pulumi up` waits for a bootstrapping service to be steady (create and update), in minutes:
 * the worst case of a fresh deploy, the sum of its `parts` (the bootstrap's bounded waits, see
 * {@link minutesOf}, plus what no wait bounds: the image pull, migrations, the start until the load
 * balancer sees it healthy), plus a quarter for the steps not known here (e.g. further bootstrap
 * waits), rounded up to 5 minutes. Each entry lists its parts beside its `steadyStateMinutes`.
 */
export function steadyStateMinutes(parts: number[]): number {
    const total = parts.reduce((sum, part) => sum + part, 0) * 1.25;
    return Math.ceil(total / 5) * 5;
}

/** The `BOOTSTRAP_WAIT_*` variables of a bounded wait. */
export function waitEnv(wait: { attempts: number; intervalSeconds: number }): Record<string, string> {
    return { BOOTSTRAP_WAIT_ATTEMPTS: String(wait.attempts), BOOTSTRAP_WAIT_SECONDS: String(wait.intervalSeconds) };
}

type InitContainer = TaskInitContainer<SecretName>;

/** What is particular to one init step; {@link initStep} adds the app's image and user. */
export interface InitStep {
    /** Container name, unique in the task. */
    name: string;
    entryPoint: string[];
    command?: pulumi.Input<string>[];
    /** Also give the step the app container's environment and secrets (e.g. to run manage.py). */
    inheritAppEnvironment: boolean;
    environment?: Record<string, pulumi.Input<string>>;
    secrets?: Record<string, SecretName>;
}

/** An init container that runs the component's own image as its user: it has python3, MySQLdb and manage.py. */
export function initStep(app: AppContainer, step: InitStep): InitContainer {
    return {
        name: step.name,
        image: app.image,
        user: app.user,
        entryPoint: step.entryPoint,
        command: step.command,
        environment: { ...(step.inheritAppEnvironment ? app.environment : {}), ...step.environment },
        secrets: { ...(step.inheritAppEnvironment ? app.secrets : {}), ...step.secrets },
    };
}

/**
 * Step 1 of the bootstrap. Both the dashboard and the Storage Service tasks run it first: each needs
 * its database before it can migrate, and making one wait for the other would couple their deploys
 * (and their circuit breakers) for no gain. Two concurrent runs are safe: every statement is
 * IF NOT EXISTS or converges to the same state.
 */
export function createDatabasesStep(ctx: CatalogueContext, app: AppContainer): InitContainer {
    return initStep(app, {
        name: "create-databases",
        entryPoint: ["python3", "-c"],
        command: [CREATE_DATABASES_SCRIPT],
        inheritAppEnvironment: false,
        environment: {
            BOOTSTRAP_DB_HOST: ctx.database.host,
            BOOTSTRAP_DB_PORT: ctx.database.port,
            BOOTSTRAP_DB_NAMES: `${ctx.database.mcpDatabaseName},${ctx.database.ssDatabaseName}`,
            BOOTSTRAP_DB_APP_USER: ctx.database.appUsername,
            ...waitEnv(BOOTSTRAP_WAITS.database),
        },
        secrets: {
            BOOTSTRAP_DB_MASTER_USER: "dbMasterUsername",
            BOOTSTRAP_DB_MASTER_PASSWORD: "dbMasterPassword",
            BOOTSTRAP_DB_APP_PASSWORD: "dbAppPassword",
        },
    });
}

/** `manage.py migrate --noinput` with the app's settings and database credentials. */
export function migrateStep(app: AppContainer, manage: string[]): InitContainer {
    return initStep(app, { name: "migrate", entryPoint: [...manage, "migrate", "--noinput"], inheritAppEnvironment: true });
}

/** Waits for the MCP database to be migrated (by the dashboard), with the component's own settings. */
export function waitForMcpDatabaseStep(app: AppContainer): InitContainer {
    return initStep(app, {
        name: "wait-for-mcp-database",
        entryPoint: ["python3", "-c"],
        command: [WAIT_FOR_MCP_DATABASE_SCRIPT],
        inheritAppEnvironment: true,
        environment: waitEnv(BOOTSTRAP_WAITS.mcpDatabase),
    });
}

/**
 * A `manage.py` command run through `sh -c`, so that `"$VAR"` arguments expand from the environment and
 * secrets at run time: config values with quotes cannot break it, and no secret is in the task definition.
 */
export function shellCommand(manage: string[], command: string, args: string[]): string {
    return ["exec", ...manage, command, ...args].join(" ");
}

/**
 * configure_storage.py in one of its modes, stdlib only, with nothing of the app's environment: it
 * talks to the Storage Service API with the admin's key (`storageServiceApiKey`).
 */
export function configureStorageStep(
    app: AppContainer,
    step: { name: string; mode: "wait-for-defaults" | "configure"; environment: Record<string, pulumi.Input<string>> },
): InitContainer {
    return initStep(app, {
        name: step.name,
        entryPoint: ["python3", "-c"],
        command: [packedScript("configure_storage.py", CONFIGURE_STORAGE_SCRIPT), step.mode],
        inheritAppEnvironment: false,
        environment: step.environment,
        secrets: { BOOTSTRAP_SS_API_KEY: "storageServiceApiKey" },
    });
}

/**
 * rotate_credentials.py in the app's own container environment (Django settings and database): the
 * mode is the app it runs in.
 */
export function rotateCredentialsStep(
    app: AppContainer,
    step: { mode: "dashboard" | "storage-service"; environment: Record<string, pulumi.Input<string>>; secrets: Record<string, SecretName> },
): InitContainer {
    return initStep(app, {
        name: "rotate-credentials",
        entryPoint: ["python3", "-c"],
        command: [packedScript("rotate_credentials.py", ROTATE_CREDENTIALS_SCRIPT), step.mode],
        inheritAppEnvironment: true,
        environment: step.environment,
        secrets: step.secrets,
    });
}
