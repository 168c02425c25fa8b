/**
 * The pack process: starts a policy pack the way the engine's `pulumi-analyzer-policy` plugin does and
 * connects an analyzer client to it.
 *
 * The plugin starts `node @pulumi/pulumi/cmd/run-policy-pack <engine-address> .` with the pack directory
 * as working directory, `PULUMI_STACK`/`PULUMI_PROJECT`/`PULUMI_DRY_RUN` set, and reads the gRPC port the
 * pack prints as the first line of stdout. `run-policy-pack` registers ts-node with type checking forced
 * on; the gate turns that into transpile-only (the equivalent of `PULUMI_NODEJS_TRANSPILE_ONLY=true`,
 * which `run-policy-pack` itself ignores) because the repository type-checks the pack once with `tsc`.
 * Set `PULUMI_NODEJS_TRANSPILE_ONLY=false` to type-check anyway. The engine address is only dropped by
 * `run-policy-pack`; nothing in the pack dials it.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as analyzerRpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import YAML from "yaml";
import { collapseWhitespace, GateError } from "./errors";

/** The repository root (tools/gate/../..). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");
/** The policy pack this repository ships. */
export const DEFAULT_PACK_DIR = path.join(REPO_ROOT, "policy");
/** What the gate passes where the engine passes its own gRPC address; `run-policy-pack` drops it. */
export const ENGINE_ADDRESS = "127.0.0.1:0";

/** A policy pack served on a local port, as the engine's analyzer plugin starts it. */
export interface PolicyPackProcess {
    /** Absolute pack directory. */
    readonly dir: string;
    readonly port: number;
    /** Process id of the pack. */
    readonly pid: number;
    readonly client: analyzerRpc.AnalyzerClient;
    /** Version from PulumiPolicy.yaml, which the CLI prefers over package.json's. */
    readonly yamlVersion?: string;
    /** Everything the pack wrote to stderr so far (for error messages). */
    stderr(): string;
    /** Stops the pack: closes the channel, SIGTERM, SIGKILL after `graceMs`. Safe to call twice. */
    close(graceMs?: number): Promise<void>;
}

/** Options for {@link startPack}. */
export interface StartPackOptions {
    /** How long to wait for the port (ms); default 30 s. */
    timeoutMs?: number;
    /** `PULUMI_STACK` / `PULUMI_PROJECT` for the pack's environment, as the engine sets them. */
    stack?: string;
    project?: string;
    /**
     * Transpile the pack with SWC (`@swc/core`, a dev dependency) instead of TypeScript's transpiler:
     * the same JavaScript for our purposes, started with a fraction of the CPU. The test suite's
     * choice (its own loader is SWC too); the gate and the plan keep TypeScript's, as the CLI does.
     * @default false
     */
    swc?: boolean;
}

/** The lines of a pack's stderr that say what went wrong, without colours or stack frames (at most three). */
export function stderrSummary(text: string): string {
    const lines = text
        // eslint-disable-next-line no-control-regex
        .replace(/\x1b\[[0-9;]*m/g, "")
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith("at ") && !/^\^+$/.test(l));
    return lines.slice(0, 3).join(" | ") || "no output";
}

/** The `version` of a PulumiPolicy.yaml text (a string, or a number as YAML reads `1.0`), if it has one. */
export function packYamlVersion(text: string, file: string): string | undefined {
    let doc: Record<string, unknown> | null;
    try {
        doc = YAML.parse(text) as Record<string, unknown> | null;
    } catch (e) {
        throw new GateError(`${file}: ${collapseWhitespace((e as Error).message)}`);
    }
    if (doc && typeof doc.version === "string" && doc.version) return doc.version;
    if (doc && typeof doc.version === "number") return String(doc.version);
    return undefined;
}

/** The port line a pack prints first: a TCP port number, or a GateError quoting what it printed. */
export function parsePortLine(line: string, packDir: string): number {
    const n = Number(line);
    if (!/^\d+$/.test(line) || n <= 0 || n > 65535)
        throw new GateError(`policy pack ${packDir} printed "${line.slice(0, 80)}" where its port was expected`);
    return n;
}

/**
 * The script the pack process runs: make run-policy-pack's ts-node registration transpile-only (unless
 * told not to; with SWC when asked), then run it exactly as the plugin script does: argv = <engine-address> <pack-dir>.
 */
function bootstrapScript(entry: string, transpileOnly: boolean, swc: boolean): string {
    const options = swc ? "typeCheck: false, transpileOnly: true, swc: true" : "typeCheck: false, transpileOnly: true";
    return [
        `const entry = ${JSON.stringify(entry)};`,
        transpileOnly
            ? `try { const tsn = require(require.resolve("ts-node", { paths: [require("path").dirname(entry)] }));` +
              ` const register = tsn.register; tsn.register = (o) => register({ ...o, ${options} }); } catch (e) {}`
            : "",
        `process.argv = [process.argv[0], entry, ${JSON.stringify(ENGINE_ADDRESS)}, "."];`,
        `require(entry);`,
    ].join("\n");
}

/** The pack's environment: ours, as a dry run, with the stack and project the engine would set. */
function packEnvironment(opts: StartPackOptions): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, PULUMI_DRY_RUN: "true", PULUMI_NODEJS_DRY_RUN: "true" };
    // The gate's own ts-node hooks must not leak into the pack's process.
    delete env.TS_NODE_TRANSPILE_ONLY;
    delete env.NODE_OPTIONS;
    if (opts.stack) env.PULUMI_STACK = env.PULUMI_NODEJS_STACK = opts.stack;
    if (opts.project) env.PULUMI_PROJECT = env.PULUMI_NODEJS_PROJECT = opts.project;
    return env;
}

/** The run-policy-pack module from the pack's own node_modules, as the plugin runs it. */
function runPolicyPackEntry(dir: string, packDir: string): string {
    try {
        return require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [dir] });
    } catch {
        throw new GateError(`policy pack ${packDir}: @pulumi/pulumi is not installed for it (run npm install)`);
    }
}

/** Waits for the port line on the child's stdout; rejects when it exits, fails to start or times out. */
function waitForPort(child: ChildProcess, packDir: string, timeoutMs: number, stderr: () => string): Promise<number> {
    return new Promise<number>((resolve, reject) => {
        let out = "";
        const timer = setTimeout(
            () => reject(new GateError(`policy pack ${packDir} did not print its port within ${timeoutMs} ms: ${stderrSummary(stderr())}`)),
            timeoutMs,
        );
        child.stdout!.setEncoding("utf8");
        const onData = (d: string) => {
            out += d;
            const nl = out.indexOf("\n");
            if (nl < 0) return;
            clearTimeout(timer);
            child.stdout!.off("data", onData);
            // Keep draining stdout so a chatty rule never blocks the pack on a full pipe.
            child.stdout!.resume();
            try {
                resolve(parsePortLine(out.slice(0, nl).trim(), packDir));
            } catch (e) {
                reject(e);
            }
        };
        child.stdout!.on("data", onData);
        child.once("error", (e) => {
            clearTimeout(timer);
            reject(new GateError(`policy pack ${packDir} failed to start: ${e.message}`));
        });
        child.once("exit", (code, signal) => {
            clearTimeout(timer);
            // Give stderr a moment to flush before summarising it.
            setImmediate(() =>
                reject(
                    new GateError(`policy pack ${packDir} exited (${signal ?? `code ${code}`}) before serving: ${stderrSummary(stderr())}`),
                ),
            );
        });
    });
}

/**
 * Starts the pack in `packDir` the way `pulumi preview --policy-pack <packDir>` does and connects an
 * `AnalyzerClient` to it. Throws GateError when the directory is not a pack or the pack does not start.
 */
export async function startPack(packDir: string = DEFAULT_PACK_DIR, opts: StartPackOptions = {}): Promise<PolicyPackProcess> {
    const dir = path.resolve(packDir);
    const yamlFile = path.join(dir, "PulumiPolicy.yaml");
    if (!fs.existsSync(yamlFile)) throw new GateError(`${packDir} is not a policy pack: no PulumiPolicy.yaml`);
    const yamlVersion = packYamlVersion(fs.readFileSync(yamlFile, "utf8"), yamlFile);
    const entry = runPolicyPackEntry(dir, packDir);
    const script = bootstrapScript(entry, process.env.PULUMI_NODEJS_TRANSPILE_ONLY !== "false", opts.swc === true);
    const child = spawn(process.execPath, ["-e", script], { cwd: dir, env: packEnvironment(opts), stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (d: string) => {
        if (stderr.length < 64_000) stderr += d;
    });
    const killOnExit = () => child.kill("SIGKILL");
    process.once("exit", killOnExit);

    let port: number;
    try {
        port = await waitForPort(child, packDir, opts.timeoutMs ?? 30_000, () => stderr);
    } catch (e) {
        process.off("exit", killOnExit);
        await stopChild(child, 2000);
        throw e;
    }
    const client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
        "grpc.max_receive_message_length": 400 * 1024 * 1024,
        "grpc.max_send_message_length": 400 * 1024 * 1024,
    });
    let closed: Promise<void> | undefined;
    return {
        dir,
        port,
        pid: child.pid as number,
        client,
        yamlVersion,
        stderr: () => stderr,
        close: (graceMs = 2000) => {
            if (!closed) {
                client.close();
                process.off("exit", killOnExit);
                closed = stopChild(child, graceMs);
            }
            return closed;
        },
    };
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the child has exited. */
function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
        const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
        child.once("exit", () => {
            clearTimeout(timer);
            resolve();
        });
        child.kill("SIGTERM");
    });
}
