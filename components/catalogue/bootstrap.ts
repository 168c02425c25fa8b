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

/** `bootstrap/` at the repository root. */
export const BOOTSTRAP_DIR = path.join(__dirname, "..", "..", "bootstrap");

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
 * Waits until the Storage Service answers `GET /api/v2/pipeline/?limit=1` with 200 for the admin's API
 * key, i.e. it has migrated and create_user has run (before that it answers 401, which is retried).
 */
export const WAIT_FOR_STORAGE_SERVICE_SCRIPT = readScript("wait_for_storage_service.py");

/**
 * Waits until the MCP database has every migration this image knows (the dashboard applies them), by
 * asking Django's own migration planner with the component's settings.
 */
export const WAIT_FOR_MCP_DATABASE_SCRIPT = readScript("wait_for_mcp_database.py");
