/**
 * The offline plan: `npm run plan -- <stack> [--json <file>]`.
 *
 * Runs the real program (index.ts) with the real stack file on Pulumi's mock runtime, records every
 * registration, prints a tree like `pulumi preview`, a count by type and the stack outputs (secrets
 * masked), and with --json writes the `pulumi preview --json` document.
 *
 * Exit codes: 0 planned and the policy gate passed; 1 the gate found a mandatory violation or a rule
 * error; 2 bad input (flags, stack file, config value, a stack without its policy config), one line per
 * problem on stderr, before any resource is registered; 3 the tool itself failed.
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigError, parseConfig } from "../config";
import { policyConfigFile } from "../config/policy-limits";
import { showName } from "../lib/printable";
import { exitAfterFlush, failAfterFlush } from "./exit";
import { formatVerdicts, GateError, GateResult, PolicyPackProcess, policySection, runGate, startPack } from "./gate";
import { invokeFailure, maskSecrets, ProgramRun, runProgram } from "./mock-runtime";
import { PreviewDigest, toPreviewDigest } from "./preview-json";
import { loadStackConfig, ROOT, StackConfig, StackFileError } from "./stack-files";

/** A usage or input error: printed as one line, exit code 2. */
export class UsageError extends Error {}

export interface PlanOptions {
    /** Print the usage and exit 0. */
    help?: boolean;
    stack: string;
    jsonFile?: string;
    /** Skip the policy gate (for looking at a plan that fails it). */
    skipPolicy?: boolean;
}

const USAGE = "usage: npm run plan -- <stack> [--json <file>] [--skip-policy]";

/** What `--help` prints. */
export const HELP = `${USAGE}

Plans a stack offline (the real index.ts and Pulumi.<stack>.yaml on Pulumi's mock runtime), prints the
resource tree, a count by type and the outputs, then runs the policy pack over the plan with
policy/config/<stack>.json.

  <stack>         a Pulumi.<stack>.yaml in the project root; it needs policy/config/<stack>.json too
  --json <file>   also write the pulumi preview --json document, with the policy verdicts
  --skip-policy   plan only, without the policy gate
  --help, -h      print this and exit

Exit codes: 0 planned and passed the policy gate; 1 mandatory policy violations or rule errors;
2 bad input (flags, stack file, config values, missing policy config), one line per problem on
stderr, before anything is planned; 3 the tool itself failed.`;

/** Parses the command line; throws UsageError with a one-line message. */
export function parseArgs(argv: string[]): PlanOptions {
    let stack: string | undefined;
    let jsonFile: string | undefined;
    let skipPolicy = false;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--help" || arg === "-h") {
            return { help: true, stack: "" };
        } else if (arg === "--json") {
            jsonFile = argv[++i];
            if (!jsonFile || jsonFile.startsWith("--")) throw new UsageError(`--json needs a file name; ${USAGE}`);
        } else if (arg.startsWith("--json=")) {
            jsonFile = arg.slice("--json=".length);
            if (!jsonFile) throw new UsageError(`--json needs a file name; ${USAGE}`);
        } else if (arg === "--skip-policy") {
            skipPolicy = true;
        } else if (arg.startsWith("-")) {
            throw new UsageError(`unknown option ${showName(arg)}; valid: --json <file>, --skip-policy; ${USAGE}`);
        } else if (stack === undefined) {
            stack = arg;
        } else {
            throw new UsageError(`unexpected argument "${showName(arg)}"; ${USAGE}`);
        }
    }
    if (!stack) throw new UsageError(`no stack given; ${USAGE}`);
    return { stack, jsonFile, skipPolicy };
}

export interface PlanResult {
    stackConfig: StackConfig;
    run: ProgramRun;
    digest: PreviewDigest;
}

/**
 * Runs the policy pack over a plan through the pack's gRPC server, with the stack's policy config,
 * and adds the verdicts to the digest (the real CLI's JSON has none: pulumi#18851).
 */
export async function gatePlan(result: PlanResult, pack?: PolicyPackProcess): Promise<GateResult> {
    const gate = await runGate(result.digest, { stack: result.run.stack, recorded: result.run.resources, pack });
    result.digest.policy = policySection(gate);
    return gate;
}

const PROGRAM = path.join(ROOT, "index.ts");

/**
 * Validates the stack's config, then runs index.ts on the mock runtime. Config errors are thrown
 * (ConfigError) before the program starts, so nothing is half planned.
 */
export async function planStack(stack: string, root = ROOT): Promise<PlanResult> {
    const stackConfig = loadStackConfig(stack, root);
    parseConfig(stackConfig);
    const run = await runProgram({
        project: stackConfig.project,
        stack,
        config: stackConfig.values,
        secretKeys: stackConfig.secretKeys,
        program: () => {
            // index.ts runs at load; a fresh load per plan lets one process plan several stacks.
            delete require.cache[require.resolve(PROGRAM)];
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded the way the Pulumi language host loads it
            return require(PROGRAM);
        },
    });
    return { stackConfig, run, digest: toPreviewDigest(run, stackConfig.values, stackConfig.secretKeys) };
}

function isProvider(type: string): boolean {
    return type.startsWith("pulumi:providers:");
}

/** The resource tree, indented by parent like `pulumi preview`. */
export function renderTree(run: ProgramRun): string {
    const visible = run.resources.filter((r) => !isProvider(r.type));
    const children = new Map<string, typeof visible>();
    for (const r of visible) {
        const key = r.parent ?? "";
        if (!children.has(key)) children.set(key, []);
        children.get(key)!.push(r);
    }
    const rows: [string, string][] = [];
    const walk = (parent: string, prefix: string) => {
        const list = children.get(parent) ?? [];
        list.forEach((r, i) => {
            const last = i === list.length - 1;
            const branch = parent === "" ? "" : `${prefix}${last ? "└─ " : "├─ "}`;
            rows.push([`${branch}${r.type}`, r.name]);
            walk(r.urn, parent === "" ? "" : `${prefix}${last ? "   " : "│  "}`);
        });
    };
    walk("", "");
    const width = Math.max(4, ...rows.map(([t]) => [...t].length));
    const pad = (s: string) => s + " ".repeat(width - [...s].length);
    return [`     ${pad("Type")}  Name`, ...rows.map(([t, n]) => ` +   ${pad(t)}  ${n}`)].join("\n");
}

/** Resources per type, most frequent first. */
export function countByType(run: ProgramRun): [string, number][] {
    const counts = new Map<string, number>();
    for (const r of run.resources) {
        if (isProvider(r.type)) continue;
        counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    }
    return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** Components from provider packages (e.g. awsx) that mocks cannot expand: no children recorded. */
export function unexpanded(run: ProgramRun): string[] {
    const parents = new Set(run.resources.map((r) => r.parent));
    return run.resources
        .filter((r) => !r.custom && r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("archivematica:") && !parents.has(r.urn))
        .map((r) => `${r.type} ${r.name}`);
}

function renderOutputs(outputs: Record<string, unknown>): string {
    const masked = maskSecrets(outputs) as Record<string, unknown>;
    return Object.keys(masked)
        .sort()
        .map((k) => `    ${k}: ${JSON.stringify(masked[k], null, 4).replace(/\n/g, "\n    ")}`)
        .join("\n");
}

/** The whole human-readable report. */
export function renderPlan(result: PlanResult): string {
    const { run } = result;
    const total = run.resources.filter((r) => !isProvider(r.type)).length;
    const counts = countByType(run);
    const notExpanded = unexpanded(run);
    const typeWidth = Math.max(...counts.map(([t]) => t.length));
    return [
        `Previewing update (${run.stack}) — offline plan: real program and stack file on Pulumi's mock runtime`,
        "",
        renderTree(run),
        "",
        "Resources by type:",
        ...counts.map(([t, n]) => `    ${t.padEnd(typeWidth)}  ${String(n).padStart(3)}`),
        "",
        "Outputs:",
        renderOutputs(run.outputs),
        "",
        `Not expanded offline: ${notExpanded.length ? notExpanded.join(", ") : "none (every component is our own and fully recorded)"}`,
        `Secure config values replaced by placeholders: ${result.stackConfig.secretKeys.length ? result.stackConfig.secretKeys.join(", ") : "none"}`,
        "",
        "Resources:",
        `    + ${total} to create`,
    ].join("\n");
}

/**
 * The SDK captures a stack trace for every resource it registers (for source positions), and the
 * source-map support ts-node installs maps every frame of each: about 40 % of an offline plan. The
 * plan never prints a stack trace (its errors are one line), so the command turns the mapping off.
 */
export function skipSourceMappedStackTraces(): void {
    delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
}

function oneLine(e: unknown): string {
    const message = e instanceof Error ? e.message : String(e);
    return message.split("\n").find((l) => l.trim()) ?? "unknown error";
}

/** Bad input: usage, stack file, config or policy config errors. Anything else is a failure of the tool. */
function isBadInput(e: unknown): e is Error {
    return e instanceof UsageError || e instanceof StackFileError || e instanceof ConfigError || e instanceof GateError;
}

/** Every line of a bad-input error, each as `error: <line>`. */
export function errorLines(e: Error): string {
    return e.message
        .split("\n")
        .filter((l) => l.trim())
        .map((l) => `error: ${l}`)
        .join("\n");
}

/**
 * A stack is planned only with its policy config: the gate would otherwise judge it by the pack's
 * defaults, which are not what the stack is held to.
 */
export function requirePolicyConfig(stack: string, root = ROOT): void {
    const file = path.relative(root, policyConfigFile(stack, root));
    if (!fs.existsSync(path.join(root, file)))
        throw new UsageError(
            `${file}: stack "${stack}" has no policy config; valid: a reviewed copy of another stack's, e.g. cp policy/config/staging.json ${file}`,
        );
}

/**
 * Checks everything a plan needs before it starts: the stack file, every config value and the stack's
 * policy config. Throws a bad-input error listing every problem found.
 */
export function checkInput(stack: string, root = ROOT): StackConfig {
    const stackConfig = loadStackConfig(stack, root);
    requirePolicyConfig(stack, root);
    parseConfig(stackConfig);
    return stackConfig;
}

/**
 * `--json <file>` must be writable before anything is planned, so that a plan of minutes is never lost
 * to a typo in the path. Checked without creating the file: its directory exists and is writable, and
 * the file, if it exists, is a writable file.
 */
export function checkJsonTarget(file: string): void {
    const shown = showName(file);
    const refuse = (why: string) => {
        throw new UsageError(`--json ${shown}: ${why}; valid: a file in an existing, writable directory`);
    };
    const dir = path.dirname(path.resolve(file));
    let dirStat: fs.Stats;
    try {
        dirStat = fs.statSync(dir);
    } catch {
        return refuse(`the directory ${showName(path.dirname(file))} does not exist`);
    }
    if (!dirStat.isDirectory()) refuse(`${showName(path.dirname(file))} is not a directory`);
    if (fs.existsSync(file)) {
        if (fs.statSync(file).isDirectory()) refuse("is a directory");
        try {
            fs.accessSync(file, fs.constants.W_OK);
        } catch {
            refuse("cannot be written (permission denied)");
        }
    } else {
        try {
            fs.accessSync(dir, fs.constants.W_OK);
        } catch {
            refuse(`cannot be created in ${showName(path.dirname(file))} (permission denied)`);
        }
    }
}

/** Where a command writes: stdout and stderr, one call per block of text (a newline is added). */
export interface CliOutput {
    out: (text: string) => void;
    err: (text: string) => void;
}

/** The process's own stdout and stderr. */
export const STDIO: CliOutput = { out: (t) => console.log(t), err: (t) => console.error(t) };

/**
 * What the command plans and gates with. The defaults are the real ones; tests hand in the plan and
 * the verdicts they computed once per process (test/support/cli.ts), so a command's run costs no plan.
 */
export interface PlanCommandDeps {
    /** Project root: stack files, Pulumi.yaml, policy/config/. */
    root: string;
    /** Plans the stack; the command owns the result (it adds the verdicts to its digest). */
    plan: (stack: string, root: string) => Promise<PlanResult>;
    /**
     * Starts the policy gate for a stack before the plan (the pack is a second process, ~1 s of
     * start-up, that starts while this one plans); `run` gates the finished plan, `close` stops it.
     */
    startGate: (stack: string) => { run: (result: PlanResult) => Promise<GateResult>; close: () => Promise<void> };
}

/** The real gate: the pack started now, the plan gated through it once it is there. */
function startPackGate(): ReturnType<PlanCommandDeps["startGate"]> {
    const pack = startPack();
    pack.catch(() => undefined); // a pack that fails to start is reported when the gate awaits it
    return {
        run: async (result) => gatePlan(result, await pack),
        close: async () => {
            const started = await pack.catch(() => undefined);
            await started?.close();
        },
    };
}

const DEFAULT_DEPS: PlanCommandDeps = { root: ROOT, plan: (stack, root) => planStack(stack, root), startGate: startPackGate };

/**
 * The command: `argv` without the node and script arguments. Returns the exit code; writes the plan
 * to `io.out` and every problem to `io.err`, one line each.
 */
export async function main(argv: string[], io: CliOutput = STDIO, deps: Partial<PlanCommandDeps> = {}): Promise<number> {
    const { root, plan, startGate } = { ...DEFAULT_DEPS, ...deps };
    let gate: ReturnType<PlanCommandDeps["startGate"]> | undefined;
    try {
        const options = parseArgs(argv);
        if (options.help) {
            io.out(HELP);
            return 0;
        }
        // Bad input stops here, before anything starts: a --json path that cannot be written, then the
        // stack and its config.
        if (options.jsonFile) checkJsonTarget(options.jsonFile);
        const { warnings } = checkInput(options.stack, root);
        if (warnings.length) io.err(warnings.map((w) => `warning: ${w}`).join("\n"));
        gate = options.skipPolicy ? undefined : startGate(options.stack);
        const result = await plan(options.stack, root);
        io.out(renderPlan(result));
        let passed = true;
        if (gate) {
            const verdicts = await gate.run(result);
            result.digest.policy = policySection(verdicts);
            io.out(`\n${formatVerdicts(verdicts)}`);
            passed = verdicts.passed;
        }
        if (options.jsonFile) {
            fs.writeFileSync(options.jsonFile, `${JSON.stringify(result.digest, null, 2)}\n`);
            io.out(`\nWrote ${options.jsonFile} (pulumi preview --json shape${options.skipPolicy ? "" : ", with policy verdicts"})`);
        }
        return passed ? 0 : 1;
    } catch (e) {
        if (isBadInput(e)) {
            io.err(errorLines(e));
            return 2;
        }
        io.err(`error: ${invokeFailure() ?? oneLine(e)}`);
        return 3;
    } finally {
        await gate?.close();
    }
}

if (require.main === module) {
    // Errors from inside Pulumi outputs surface as rejections, not as a throw from main(). Each is
    // reported once: a second one (a rejection racing the first error) is dropped.
    let dying = false;
    const die = (e: unknown) => {
        if (dying) return;
        dying = true;
        if (isBadInput(e)) failAfterFlush(errorLines(e), 2);
        else failAfterFlush(`error: ${invokeFailure() ?? oneLine(e)}`, 3);
    };
    process.on("unhandledRejection", die);
    process.on("uncaughtException", die);
    skipSourceMappedStackTraces();
    main(process.argv.slice(2)).then(exitAfterFlush, die);
}
