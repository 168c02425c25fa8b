/**
 * The bootstrap scripts as Python: every file under bootstrap/ compiles, the program carries each one
 * verbatim, and each runs here: the Storage Service wait against a local HTTP server that plays the
 * Storage Service, the database and MCP-database steps against stand-ins for MySQLdb and Django
 * (test/fixtures/python) that record every call.
 */
import * as assert from "assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { BOOTSTRAP_DIR, CREATE_DATABASES_SCRIPT, WAIT_FOR_MCP_DATABASE_SCRIPT } from "../components/app/catalogue/bootstrap";
import { runPython } from "./support/fake-http";
import { python } from "./support/python";

const script = (file: string) => path.join(BOOTSTRAP_DIR, file);
const FAKES = path.join(__dirname, "fixtures", "python");

/** A fresh, empty record file for the Python stand-ins; returns its path and a reader of its JSON lines. */
function recorder(): { file: string; calls: () => unknown[][] } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "am-bootstrap-"));
    const file = path.join(dir, "calls.jsonl");
    fs.writeFileSync(file, "");
    return {
        file,
        calls: () =>
            fs
                .readFileSync(file, "utf8")
                .split("\n")
                .filter(Boolean)
                .map((line) => JSON.parse(line) as unknown[]),
    };
}

describe("bootstrap scripts", () => {
    it("every file under bootstrap/ compiles with python3 -m py_compile", () => {
        const files = fs
            .readdirSync(BOOTSTRAP_DIR)
            .filter((f) => f.endsWith(".py"))
            .sort();
        for (const f of ["configure_storage.py", "create_databases.py", "rotate_credentials.py", "wait_for_mcp_database.py"])
            assert.ok(files.includes(f), f);
        const cache = fs.mkdtempSync(path.join(os.tmpdir(), "am-pycache-"));
        const run = spawnSync(...python("-m", "py_compile", ...files.map(script)), {
            env: { PATH: process.env.PATH, PYTHONPYCACHEPREFIX: cache },
            encoding: "utf8",
        });
        assert.strictEqual(run.status, 0, run.stderr);
        assert.strictEqual(run.stderr, "");
    });

    it("the program carries each file verbatim (without its final newline)", () => {
        for (const [file, text] of [
            ["create_databases.py", CREATE_DATABASES_SCRIPT],
            ["wait_for_mcp_database.py", WAIT_FOR_MCP_DATABASE_SCRIPT],
        ]) {
            assert.strictEqual(`${text}\n`, fs.readFileSync(script(file), "utf8"), file);
            assert.ok(!text.endsWith("\n"), file);
        }
    });

    describe("create_databases.py against a recording MySQLdb", () => {
        const env = (record: string, extra: Record<string, string> = {}) => ({
            PYTHONPATH: FAKES,
            FAKE_RECORD: record,
            BOOTSTRAP_DB_HOST: "am-db.example.internal",
            BOOTSTRAP_DB_PORT: "3306",
            BOOTSTRAP_DB_NAMES: "MCP,SS",
            BOOTSTRAP_DB_APP_USER: "archivematica",
            BOOTSTRAP_DB_APP_PASSWORD: "app-pw",
            BOOTSTRAP_DB_MASTER_USER: "master",
            BOOTSTRAP_DB_MASTER_PASSWORD: "master-pw",
            BOOTSTRAP_WAIT_ATTEMPTS: "3",
            BOOTSTRAP_WAIT_SECONDS: "0",
            ...extra,
        });
        const connect = [
            "connect",
            { host: "am-db.example.internal", port: 3306, user: "master", passwd: "master-pw", connect_timeout: 10 },
        ];

        it("connects as the master user, creates both databases and the user, converges its password, grants, commits", async () => {
            const rec = recorder();
            const run = await runPython(script("create_databases.py"), [], env(rec.file, { FAKE_MYSQL_REFUSE: "1" }));
            assert.strictEqual(run.code, 0, run.stderr);
            assert.strictEqual(
                run.stdout,
                "database not reachable yet (1/3): (2003, \"Can't connect to MySQL server on 'db' (111)\")\n" +
                    "databases ['MCP', 'SS'] and user archivematica ready\n",
            );
            assert.deepStrictEqual(rec.calls(), [
                connect,
                connect,
                ["execute", "CREATE DATABASE IF NOT EXISTS `MCP` CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci", null],
                ["execute", "CREATE DATABASE IF NOT EXISTS `SS` CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci", null],
                ["execute", "CREATE USER IF NOT EXISTS %s@'%%' IDENTIFIED BY %s", ["archivematica", "app-pw"]],
                ["execute", "ALTER USER %s@'%%' IDENTIFIED BY %s", ["archivematica", "app-pw"]],
                ["execute", "GRANT ALL PRIVILEGES ON `MCP`.* TO %s@'%%'", ["archivematica"]],
                ["execute", "GRANT ALL PRIVILEGES ON `SS`.* TO %s@'%%'", ["archivematica"]],
                ["commit"],
            ]);
        });

        it("a database that never answers: BOOTSTRAP_WAIT_ATTEMPTS connects, then exit 1, no statement", async () => {
            const rec = recorder();
            const run = await runPython(script("create_databases.py"), [], env(rec.file, { FAKE_MYSQL_REFUSE: "99" }));
            assert.deepStrictEqual([run.code, run.stderr], [1, "database did not accept connections after 3 attempts\n"]);
            assert.deepStrictEqual(rec.calls(), [connect, connect, connect]);
        });

        it("a database name that is not a plain identifier: exit 1 before connecting", async () => {
            const rec = recorder();
            const run = await runPython(script("create_databases.py"), [], env(rec.file, { BOOTSTRAP_DB_NAMES: "MCP,SS`; DROP" }));
            assert.deepStrictEqual([run.code, run.stdout, run.stderr], [1, "", "bad database name in BOOTSTRAP_DB_NAMES\n"]);
            assert.deepStrictEqual(rec.calls(), []);
        });
    });

    describe("wait_for_mcp_database.py against a recording Django", () => {
        const env = (record: string, pending: string, attempts = 4) => ({
            PYTHONPATH: FAKES,
            FAKE_RECORD: record,
            FAKE_PENDING: pending,
            DJANGO_SETTINGS_MODULE: "archivematica.MCPServer.settings.common",
            BOOTSTRAP_WAIT_ATTEMPTS: String(attempts),
            BOOTSTRAP_WAIT_SECONDS: "0",
        });
        const planCall = ["migration_plan", [["main", "0099_latest"]]];

        it("sets Django up with the component's settings, asks the planner for the leaf nodes until nothing is pending", async () => {
            const rec = recorder();
            const run = await runPython(script("wait_for_mcp_database.py"), [], env(rec.file, "error,3,0"));
            assert.strictEqual(run.code, 0, run.stderr);
            assert.strictEqual(
                run.stdout,
                [
                    'MCP database not ready (1/4): (2003, "Can\'t connect to MySQL server")',
                    "3 migrations pending (2/4)",
                    "MCP database is migrated",
                    "",
                ].join("\n"),
            );
            // The connection is closed after an error, so the next attempt opens a fresh one.
            assert.deepStrictEqual(rec.calls(), [
                ["setup", "archivematica.MCPServer.settings.common"],
                planCall,
                ["close"],
                planCall,
                planCall,
            ]);
        });

        it("never migrated: BOOTSTRAP_WAIT_ATTEMPTS plans, then exit 1 with one line on stderr", async () => {
            const rec = recorder();
            const run = await runPython(script("wait_for_mcp_database.py"), [], env(rec.file, "2", 3));
            assert.deepStrictEqual(
                [run.code, run.stdout, run.stderr],
                [
                    1,
                    "2 migrations pending (1/3)\n2 migrations pending (2/3)\n2 migrations pending (3/3)\n",
                    "MCP database not migrated after 3 attempts\n",
                ],
            );
            assert.strictEqual(rec.calls().length, 4);
        });
    });
});
