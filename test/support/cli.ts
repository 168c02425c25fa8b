/**
 * The CLIs driven in process: `main(argv, io)` of tools/plan.ts, tools/cost.ts and tools/policy-cli.ts
 * with what they write captured, as a subprocess's `status`, `stdout` and `stderr` would be. A
 * command run on a real stack of the project reads the one plan (and the one set of policy verdicts)
 * per stack the test process shares (test/harness.ts), so it costs no plan of its own. Keep real
 * subprocess runs of a CLI to the few tests that are about the process: exit codes, `--help`,
 * what reaches stderr.
 */
import * as path from "path";
import { main as costMain } from "../../tools/cost";
import { CliOutput, main as planMain, PlanCommandDeps } from "../../tools/plan";
import { ROOT } from "../../tools/stack-files";
import { stackGate, stackPlan, stackPlanCopy } from "../harness";

/** The tests' TypeScript loader: ts-node transpiling with SWC (register.cjs). */
const REGISTER = path.join(__dirname, "register.cjs");

/**
 * `node` arguments for a real process of one of our commands (`tools/plan.ts`, `tools/cost.ts`): the
 * script `npm run plan` / `npm run cost` runs, loaded with the tests' TypeScript loader instead of the
 * ts-node binary's TypeScript transpiler — the same code, exit code and streams, started with well
 * under half the CPU (a test process starts a handful of them).
 */
export function commandArgs(script: string, args: string[]): string[] {
    return ["-r", REGISTER, script, ...args];
}

/** What a command run in process wrote and returned, shaped like spawnSync's answer. */
export interface CliRun {
    status: number;
    stdout: string;
    stderr: string;
}

/** Output captured as the process would have printed it (each block a console.log line). */
export function captureOutput(): { io: CliOutput; result: (status: number) => CliRun } {
    const out: string[] = [];
    const err: string[] = [];
    return {
        io: { out: (t) => out.push(`${t}\n`), err: (t) => err.push(`${t}\n`) },
        result: (status) => ({ status, stdout: out.join(""), stderr: err.join("") }),
    };
}

/**
 * The shared plan and verdicts of the project's own stacks, for a command run on ROOT. Another root
 * (a temporary project with its own stack files) is planned and gated for real.
 */
export const SHARED_STACKS: Partial<PlanCommandDeps> = {
    plan: (stack) => stackPlanCopy(stack),
    startGate: (stack) => ({ run: async () => (await stackGate(stack)).gate, close: async () => undefined }),
};

/** `npm run plan -- <argv>` in process; `root` is another project directory (then nothing is shared). */
export async function runPlan(argv: string[], root = ROOT): Promise<CliRun> {
    const { io, result } = captureOutput();
    return result(await planMain(argv, io, root === ROOT ? SHARED_STACKS : { root }));
}

/** `npm run cost -- <argv>` in process, on the shared plans; `root` is another project directory. */
export async function runCost(argv: string[], root = ROOT): Promise<CliRun> {
    const { io, result } = captureOutput();
    return result(await costMain(argv, io, root, root === ROOT ? stackPlan : undefined));
}
