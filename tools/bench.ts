/**
 * `npm run bench`: wall time and peak memory of the offline plan of every stack, median of N runs
 * (default 5), each run a fresh process as a user runs it. Targets (2-core machine): ≤ 3 s and
 * ≤ 500 MB per stack. Exits non-zero when a median misses a target.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { listStacks, ROOT } from "./stack-files";

const TARGET_SECONDS = 3;
const TARGET_MB = 500;

interface Sample {
    seconds: number;
    peakMb: number;
}

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** One plan in a fresh process: wall time from outside, peak RSS reported by the child itself. */
function sample(stack: string): Sample {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [require.resolve("ts-node/dist/bin"), "--transpile-only", path.join(ROOT, "tools/bench.ts"), "--child", stack], { cwd: ROOT, encoding: "utf8" });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (r.status !== 0) throw new Error(`plan of ${stack} failed: ${r.stderr.split("\n")[0]}`);
    const { maxRssKb } = JSON.parse(r.stdout.trim().split("\n").pop()!);
    return { seconds, peakMb: maxRssKb / 1024 };
}

async function child(stack: string): Promise<void> {
    const { planStack, renderPlan } = await import("./plan");
    renderPlan(await planStack(stack));
    console.log(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS }));
}

function main(): number {
    const runs = Number(process.env.BENCH_RUNS ?? 5);
    const rows: string[] = [];
    let missed = false;
    for (const stack of listStacks()) {
        const samples = Array.from({ length: runs }, () => sample(stack));
        const seconds = median(samples.map((s) => s.seconds));
        const peakMb = median(samples.map((s) => s.peakMb));
        const ok = seconds <= TARGET_SECONDS && peakMb <= TARGET_MB;
        missed ||= !ok;
        rows.push(`| plan ${stack.padEnd(8)} | ${seconds.toFixed(2).padStart(6)} s | ${peakMb.toFixed(0).padStart(5)} MB | ${runs} | ${ok ? "ok" : "MISSED"} |`);
    }
    console.log(`| what          | median wall | median peak RSS | runs | target (≤ ${TARGET_SECONDS} s, ≤ ${TARGET_MB} MB) |`);
    console.log("|---|---|---|---|---|");
    for (const row of rows) console.log(row);
    return missed ? 1 : 0;
}

if (require.main === module) {
    const i = process.argv.indexOf("--child");
    if (i >= 0) {
        child(process.argv[i + 1]).catch((e) => {
            console.error(String(e?.message ?? e));
            process.exit(1);
        });
    } else {
        process.exit(main());
    }
}
