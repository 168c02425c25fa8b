/**
 * `npm run bench` (2-core machine; BENCH_RUNS sets the run count, default 5). Prints two markdown tables
 * and exits non-zero when a median misses its target.
 *
 * 1. The offline plan of every stack: wall time and peak memory, median of N runs, each run a fresh
 *    process as a user runs it. Targets: ≤ 3 s and ≤ 500 MB per stack.
 * 2. The policy gate:
 *    - per stack: the stack is planned once, then the gate runs N times, each with a freshly started pack;
 *      pack start-up (spawn → port printed, mostly ts-node compiling the pack) and the RPCs (Handshake →
 *      … → AnalyzeStack, including the gate's own work) are reported separately. Target: start-up + RPC ≤ 3 s.
 *    - the pack over synthetic previews (tools/synthetic.ts) of 1,000, 5,000 and 10,000 resources, each
 *      size on a freshly started pack, min(N, 3) runs (a 10,000-resource run takes seconds). Start-up is
 *      excluded from the RPC time and shown on its own. Targets: RPC ≤ 3 s at 10,000 resources, and linear
 *      scaling: the time per resource at 5,000 and 10,000 at most 1.5 × the time per resource at 1,000.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { listStacks, ROOT } from "./stack-files";

const TARGET_SECONDS = 3;
const TARGET_MB = 500;
/** Gate per stack: pack start-up + RPCs. */
const TARGET_GATE_SECONDS = 3;
/** The pack over 10,000 synthetic resources (RPCs, start-up excluded). */
const TARGET_SYNTHETIC_SECONDS = 3;
const SYNTHETIC_TARGET_N = 10_000;
const SYNTHETIC_SIZES = [1_000, 5_000, SYNTHETIC_TARGET_N];
/** Linear: time per resource at any size at most this factor × the time per resource at the smallest. */
const LINEAR_FACTOR = 1.5;
/** Synthetic runs are capped: three 10,000-resource runs already take most of the bench's time budget. */
const MAX_SYNTHETIC_RUNS = 3;

interface Sample {
    seconds: number;
    peakMb: number;
}

/** One gate run: pack start-up and RPC wall time, in seconds. */
interface GateSample {
    startup: number;
    rpc: number;
}

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function runChild(args: string[], what: string): string {
    const r = spawnSync(
        process.execPath,
        [require.resolve("ts-node/dist/bin"), "--transpile-only", path.join(ROOT, "tools/bench.ts"), ...args],
        {
            cwd: ROOT,
            encoding: "utf8",
            maxBuffer: 64 * 1024 * 1024,
        },
    );
    if (r.status !== 0) throw new Error(`${what} failed: ${(r.stderr || r.stdout).trim().split("\n")[0]}`);
    return r.stdout.trim().split("\n").pop()!;
}

/** `npm run plan -- <stack>` as a user runs it (without npm's own start-up): wall time in seconds. */
function endToEnd(stack: string): number {
    const start = process.hrtime.bigint();
    const r = spawnSync(
        process.execPath,
        [require.resolve("ts-node/dist/bin"), "--transpile-only", path.join(ROOT, "tools/plan.ts"), stack],
        {
            cwd: ROOT,
            encoding: "utf8",
            maxBuffer: 64 * 1024 * 1024,
        },
    );
    if (r.status !== 0) throw new Error(`npm run plan -- ${stack} failed: ${(r.stderr || r.stdout).trim().split("\n")[0]}`);
    return Number(process.hrtime.bigint() - start) / 1e9;
}

/** One plan in a fresh process: wall time from outside, peak RSS reported by the child itself. */
function sample(stack: string): Sample {
    const start = process.hrtime.bigint();
    const out = runChild(["--child", stack], `plan of ${stack}`);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const { maxRssKb } = JSON.parse(out);
    return { seconds, peakMb: maxRssKb / 1024 };
}

async function child(stack: string): Promise<void> {
    const { planStack, renderPlan, skipSourceMappedStackTraces } = await import("./plan");
    skipSourceMappedStackTraces(); // as `npm run plan` does
    renderPlan(await planStack(stack));
    console.log(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS }));
}

const seconds = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e9;

/** Child: plans `stack` once, then runs its gate `runs` times on a fresh pack each; prints the samples. */
async function gateChild(stack: string, runs: number): Promise<void> {
    const { planStack, skipSourceMappedStackTraces } = await import("./plan");
    const { runGate, startPack } = await import("./gate");
    skipSourceMappedStackTraces();
    const { run, digest } = await planStack(stack);
    const samples: GateSample[] = [];
    let resources = 0;
    for (let i = 0; i < runs; i++) {
        let t = process.hrtime.bigint();
        const pack = await startPack(undefined, { stack, project: run.project });
        const startup = seconds(t);
        try {
            t = process.hrtime.bigint();
            const result = await runGate(digest, { stack, recorded: run.resources, pack });
            samples.push({ startup, rpc: seconds(t) });
            resources = result.resourcesAnalyzed;
        } finally {
            await pack.close();
        }
    }
    console.log(JSON.stringify({ samples, resources }));
}

/** Child: the pack over synthetic previews of each size, `runs` times, a fresh pack per size and run. */
async function syntheticChild(runs: number): Promise<void> {
    const { runGate, startPack } = await import("./gate");
    const { syntheticDigest, writeSyntheticPolicyConfig } = await import("./synthetic");
    const bySize: Record<number, GateSample[]> = {};
    for (let i = 0; i < runs; i++) {
        for (const n of SYNTHETIC_SIZES) {
            const digest = syntheticDigest(n);
            const configFile = writeSyntheticPolicyConfig(n);
            let t = process.hrtime.bigint();
            const pack = await startPack(undefined, { stack: "bench", project: "archivematica-infra" });
            const startup = seconds(t);
            try {
                t = process.hrtime.bigint();
                const result = await runGate(digest, { configFile, pack });
                const rpc = seconds(t);
                if (result.resourcesAnalyzed !== n || !result.passed)
                    throw new Error(`synthetic preview of ${n}: ${result.resourcesAnalyzed} analysed, passed ${result.passed}`);
                (bySize[n] ??= []).push({ startup, rpc });
            } finally {
                await pack.close();
                fs.rmSync(path.dirname(configFile), { recursive: true, force: true });
            }
        }
    }
    console.log(JSON.stringify(bySize));
}

function main(): number {
    const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 5) || 5);
    let missed = false;

    const planRows: string[] = [];
    for (const stack of listStacks()) {
        const samples = Array.from({ length: runs }, () => sample(stack));
        const secs = median(samples.map((s) => s.seconds));
        const peakMb = median(samples.map((s) => s.peakMb));
        const ok = secs <= TARGET_SECONDS && peakMb <= TARGET_MB;
        missed ||= !ok;
        planRows.push(
            `| plan ${stack.padEnd(8)} | ${secs.toFixed(2).padStart(6)} s | ${peakMb.toFixed(0).padStart(5)} MB | ${runs} | ${ok ? "ok" : "MISSED"} |`,
        );
    }
    for (const stack of listStacks()) {
        // What a user waits for: the command itself, plan and gate (the pack starts while the plan runs).
        const secs = median(Array.from({ length: runs }, () => endToEnd(stack)));
        planRows.push(
            `| npm run plan ${stack.padEnd(8)} | ${secs.toFixed(2).padStart(6)} s | (plan + gate) | ${runs} | no target: shown for reference |`,
        );
    }
    console.log(`| what          | median wall | median peak RSS | runs | target (≤ ${TARGET_SECONDS} s, ≤ ${TARGET_MB} MB) |`);
    console.log("|---|---|---|---|---|");
    for (const row of planRows) console.log(row);

    const gateRows: string[] = [];
    const row = (what: string, startup: number, rpc: number, n: number, count: number, target: string, ok: boolean) =>
        `| ${what.padEnd(22)} | ${startup.toFixed(2).padStart(5)} s | ${rpc.toFixed(2).padStart(6)} s | ${((rpc * 1000) / n).toFixed(3).padStart(6)} ms | ${count} | ${target} | ${ok ? "ok" : "MISSED"} |`;
    for (const stack of listStacks()) {
        const { samples, resources } = JSON.parse(runChild(["--gate-child", stack, String(runs)], `gate of ${stack}`)) as {
            samples: GateSample[];
            resources: number;
        };
        const startup = median(samples.map((s) => s.startup));
        const rpc = median(samples.map((s) => s.rpc));
        const ok = startup + rpc <= TARGET_GATE_SECONDS;
        missed ||= !ok;
        gateRows.push(
            row(`gate ${stack} (${resources})`, startup, rpc, resources, samples.length, `start-up + RPC ≤ ${TARGET_GATE_SECONDS} s`, ok),
        );
    }
    const syntheticRuns = Math.min(runs, MAX_SYNTHETIC_RUNS);
    const bySize = JSON.parse(runChild(["--synthetic-child", String(syntheticRuns)], "synthetic gate")) as Record<string, GateSample[]>;
    const perResource = (n: number) => median(bySize[n].map((s) => s.rpc)) / n;
    const base = perResource(SYNTHETIC_SIZES[0]);
    for (const n of SYNTHETIC_SIZES) {
        const rpc = median(bySize[n].map((s) => s.rpc));
        const startup = median(bySize[n].map((s) => s.startup));
        const linear = n === SYNTHETIC_SIZES[0] || perResource(n) <= LINEAR_FACTOR * base;
        const fast = n !== SYNTHETIC_TARGET_N || rpc <= TARGET_SYNTHETIC_SECONDS;
        const target = [
            n === SYNTHETIC_TARGET_N ? `RPC ≤ ${TARGET_SYNTHETIC_SECONDS} s` : "",
            n === SYNTHETIC_SIZES[0] ? "linear: base rate" : `ms/resource ≤ ${LINEAR_FACTOR} × 1,000's`,
        ]
            .filter(Boolean)
            .join("; ");
        missed ||= !(linear && fast);
        gateRows.push(row(`pack ${n.toLocaleString("en")} synthetic`, startup, rpc, n, bySize[n].length, target, linear && fast));
    }
    console.log("");
    console.log("| policy gate            | median pack start-up | median RPC | per resource | runs | target | result |");
    console.log("|---|---|---|---|---|---|---|");
    for (const r of gateRows) console.log(r);
    return missed ? 1 : 0;
}

if (require.main === module) {
    const fail = (e: unknown) => {
        console.error(String((e as Error)?.message ?? e));
        process.exit(1);
    };
    const arg = (flag: string) => {
        const i = process.argv.indexOf(flag);
        return i >= 0 ? process.argv.slice(i + 1) : undefined;
    };
    const planArgs = arg("--child");
    const gateArgs = arg("--gate-child");
    const syntheticArgs = arg("--synthetic-child");
    if (planArgs) child(planArgs[0]).catch(fail);
    else if (gateArgs) gateChild(gateArgs[0], Number(gateArgs[1])).catch(fail);
    else if (syntheticArgs) syntheticChild(Number(syntheticArgs[0])).catch(fail);
    else {
        try {
            process.exit(main());
        } catch (e) {
            fail(e);
        }
    }
}
