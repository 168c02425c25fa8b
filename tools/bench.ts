/**
 * `npm run bench`: our offline plan and our policy gate, each measured beside a baseline in the same
 * run, on the same machine, in the same kind of fresh process, and judged by ratios, which a busy
 * 2-core machine slows alike, not by absolute seconds, which it does not (BENCH_RUNS sets the runs per
 * stack row, default 1; the median counts). Exits non-zero when a row misses its target; each row says why.
 *
 * 1. Plan: the same program (each stack's index.ts, and a synthetic program of 1,000 and 10,000
 *    resources) under our recording mock runtime (tools/mock-runtime.ts, as `npm run plan` runs it)
 *    and under Pulumi's stock mock runtime (`pulumi.runtime.setMocks` with trivial mocks: inputs
 *    echoed as outputs, and our stand-in answers for the program's few invokes so it runs at all).
 *    Target: our time per resource ≤ 0.5 × the stock runtime's.
 * 2. Gate: our gate (tools/gate.ts runGate: configuration, Analyze per resource, AnalyzeStack,
 *    verdicts) beside the pack's own gRPC server driven the plainest way: the pack spawned the same
 *    way, then one AnalyzerClient `analyze` per resource with its type, name, inputs and an empty
 *    options message (the server refuses a request without one), nothing else, with the same number
 *    of calls in flight. Pack start-up is left out of both. Target: ours
 *    ≤ 1.1 × the plain drive, over each stack's plan and the synthetic previews.
 * 3. Linear growth: for plan and gate, our time per resource at 10,000 resources ≤ 1.5 × at 1,000
 *    (the stock runtime plans the synthetic program at 1,000 only: 10,000 would not fit the budget).
 *
 * 4. The queue model (tools/queue-report.ts, lib/queue-model.ts), not timed: each stack's backlog
 *    table, and the goal that queue scaling drains it at least as fast as a fixed four MCP clients with
 *    nothing spent while idle when `mcpClientMinCount` is 0.
 *
 * Every row also shows the peak memory (max RSS) of our child process. BENCH_SIZES="200,2000" swaps the
 * synthetic sizes for a quick look (the targets are judged at 1,000 and 10,000).
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { printQueueModel } from "./queue-report";
import { listStacks, ROOT } from "./stack-files";

/** Plan: our time per resource at most this × the stock mock runtime's. */
export const PLAN_RATIO_TARGET = 0.5;
/** Gate: our time at most this × the pack server driven plainly. */
export const GATE_RATIO_TARGET = 1.1;
/** Linear: time per resource at the largest size at most this × at the smallest. */
export const LINEAR_FACTOR = 1.5;
export const SYNTHETIC_SIZES = [1_000, 10_000];
/** Calls in flight, for our gate (its default) and the plain drive alike. */
const CONCURRENCY = 32;

/** The two synthetic sizes: BENCH_SIZES="small,large" (a quick look), else {@link SYNTHETIC_SIZES}. */
export function syntheticSizes(env: string | undefined): [number, number] {
    if (!env) return [SYNTHETIC_SIZES[0], SYNTHETIC_SIZES[1]];
    const sizes = env.split(",").map(Number);
    if (sizes.length !== 2 || !sizes.every((n) => Number.isInteger(n) && n >= 2) || sizes[0] >= sizes[1])
        throw new Error(`BENCH_SIZES: ${env} is not two increasing sizes; valid: e.g. 1000,10000`);
    return [sizes[0], sizes[1]];
}

/** One timed run in a child process. */
export interface Sample {
    seconds: number;
    resources: number;
    maxRssKb: number;
}

export function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Seconds per resource of a sample. */
export function perResource(s: Sample): number {
    return s.resources ? s.seconds / s.resources : Infinity;
}

export interface Verdict {
    ok: boolean;
    /** Why it failed, or what it met. */
    why: string;
}

/** Ours against a baseline: ratio of time per resource, at most `target`. */
export function ratioVerdict(ours: Sample, baseline: Sample, target: number, baselineName: string): Verdict & { ratio: number } {
    const ratio = perResource(ours) / perResource(baseline);
    const text = `${ratio.toFixed(2)} × ${baselineName}`;
    return ratio <= target
        ? { ok: true, ratio, why: `${text} ≤ ${target}` }
        : {
              ok: false,
              ratio,
              why: `MISSED: ${text}, target ≤ ${target} (${ms(perResource(ours))} vs ${ms(perResource(baseline))} per resource)`,
          };
}

/** Linear growth: the time per resource at the large size at most `factor` × at the small size. */
export function linearVerdict(small: Sample, large: Sample, factor = LINEAR_FACTOR): Verdict & { growth: number } {
    const growth = perResource(large) / perResource(small);
    const text = `per resource at ${large.resources.toLocaleString("en")} = ${growth.toFixed(2)} × at ${small.resources.toLocaleString("en")}`;
    return growth <= factor
        ? { ok: true, growth, why: `${text} ≤ ${factor}` }
        : { ok: false, growth, why: `MISSED: ${text}, target ≤ ${factor} (grows faster than linear)` };
}

/** The median sample of several runs (median time, median resources and peak memory). */
export function medianSample(samples: Sample[]): Sample {
    return {
        seconds: median(samples.map((s) => s.seconds)),
        resources: median(samples.map((s) => s.resources)),
        maxRssKb: median(samples.map((s) => s.maxRssKb)),
    };
}

function ms(secondsPerResource: number): string {
    return `${(secondsPerResource * 1000).toFixed(3)} ms`;
}

/** One table row. */
export function formatRow(what: string, ours: Sample, baseline: Sample | undefined, verdicts: Verdict[]): string {
    const cells = [
        what,
        String(ours.resources),
        `${ours.seconds.toFixed(2)} s`,
        ms(perResource(ours)),
        baseline ? ms(perResource(baseline)) : "—",
        `${(ours.maxRssKb / 1024).toFixed(0)} MB`,
        verdicts.map((v) => v.why).join("; "),
    ];
    return `| ${cells.join(" | ")} |`;
}

// ------------------------------------------------------------------------------------------------
// Children: each measurement in a fresh process, printing one JSON Sample as its last line.
// ------------------------------------------------------------------------------------------------

const secondsSince = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e9;
const peakKb = () => process.resourceUsage().maxRSS;
const PROGRAM = path.join(ROOT, "index.ts");

type Target = { stack: string } | { synthetic: number };

function parseTarget(arg: string): Target {
    const m = /^synthetic:(\d+)$/.exec(arg);
    return m ? { synthetic: Number(m[1]) } : { stack: arg };
}

/** The program, its config and its project for a target. */
async function programOf(target: Target) {
    if ("stack" in target) {
        const { loadStackConfig } = await import("./stack-files");
        const config = loadStackConfig(target.stack);
        return {
            project: config.project,
            stack: target.stack,
            config: config.values,
            secretKeys: config.secretKeys,
            program: () => {
                delete require.cache[require.resolve(PROGRAM)];
                // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded the way the Pulumi language host loads it
                return require(PROGRAM);
            },
        };
    }
    const { syntheticProgram } = await import("./synthetic");
    const n = target.synthetic;
    return {
        project: "archivematica-infra",
        stack: "bench",
        config: { "aws:region": "eu-west-2" },
        secretKeys: [],
        program: () => syntheticProgram(n),
    };
}

/** Our plan: the recording mock runtime, as `npm run plan` runs it. */
async function planOurs(target: Target): Promise<Sample> {
    const { runProgram } = await import("./mock-runtime");
    const { skipSourceMappedStackTraces } = await import("./plan");
    skipSourceMappedStackTraces(); // as `npm run plan` does
    const opts = await programOf(target);
    const t = process.hrtime.bigint();
    const run = await runProgram(opts);
    const seconds = secondsSince(t);
    return { seconds, resources: run.resources.length, maxRssKb: peakKb() };
}

/** The baseline: Pulumi's stock mock runtime with trivial mocks, the same program. */
async function planStock(target: Target): Promise<Sample> {
    const pulumi = await import("@pulumi/pulumi");
    const { answerInvoke } = await import("./mock-aws");
    const opts = await programOf(target);
    const region = opts.config["aws:region"] ?? "eu-west-2";
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => ({ id: args.custom === false ? undefined : `${args.name}-id`, state: args.inputs }),
            call: (args) => answerInvoke(args, region),
        },
        opts.project,
        opts.stack,
        true,
    );
    pulumi.runtime.setAllConfig(opts.config, opts.secretKeys);
    const monitor = pulumi.runtime.getMonitor() as unknown as { resources: Map<string, unknown> };
    const t = process.hrtime.bigint();
    await pulumi.runtime.runInPulumiStack(async () => opts.program());
    // Done when no registration is left: the same criterion our runtime uses.
    let seen = -1;
    while (seen !== monitor.resources.size) {
        seen = monitor.resources.size;
        await new Promise((resolve) => setImmediate(resolve));
        await new Promise((resolve) => setTimeout(resolve, 0));
    }
    const seconds = secondsSince(t);
    return { seconds, resources: monitor.resources.size, maxRssKb: peakKb() };
}

/** The preview the gate reads: a stack's plan, or a synthetic preview. */
async function digestOf(target: Target) {
    if ("stack" in target) {
        const { planStack, skipSourceMappedStackTraces } = await import("./plan");
        skipSourceMappedStackTraces();
        const { run, digest } = await planStack(target.stack);
        return { digest, stack: target.stack, project: run.project, recorded: run.resources, configFile: undefined as string | undefined };
    }
    const { syntheticDigest, writeSyntheticPolicyConfig } = await import("./synthetic");
    const n = target.synthetic;
    return {
        digest: syntheticDigest(n),
        stack: "bench",
        project: "archivematica-infra",
        recorded: undefined,
        configFile: writeSyntheticPolicyConfig(n),
    };
}

/** Our gate over the preview (pack start-up excluded). */
async function gateOurs(target: Target): Promise<Sample> {
    const { runGate, startPack } = await import("./gate");
    const d = await digestOf(target);
    const pack = await startPack(undefined, { stack: d.stack, project: d.project });
    try {
        const t = process.hrtime.bigint();
        const result = await runGate(d.digest, {
            stack: d.configFile ? undefined : d.stack,
            configFile: d.configFile,
            recorded: d.recorded,
            pack,
            concurrency: CONCURRENCY,
        });
        return { seconds: secondsSince(t), resources: result.resourcesAnalyzed, maxRssKb: peakKb() };
    } finally {
        await pack.close();
    }
}

/** The baseline: the pack's server, one `analyze` per resource (type, name, inputs), nothing else. */
async function gatePlain(target: Target): Promise<Sample> {
    const { startPack } = await import("./gate");
    const analyzerProto = await import("@pulumi/pulumi/proto/analyzer_pb");
    const { Struct } = await import("google-protobuf/google/protobuf/struct_pb");
    const d = await digestOf(target);
    const resources = d.digest.steps.map((s) => s.newState).filter((s) => s !== undefined);
    const pack = await startPack(undefined, { stack: d.stack, project: d.project });
    try {
        const requests = resources.map((r) => {
            const req = new analyzerProto.AnalyzeRequest();
            req.setUrn(r.urn);
            req.setType(r.type);
            req.setName(r.urn.split("::").pop() ?? "");
            req.setProperties(Struct.fromJavaScript(JSON.parse(JSON.stringify(r.inputs ?? {}))));
            // An empty options message: @pulumi/policy's server refuses a request without one
            // ("A more recent version of the Pulumi CLI is required"; server.js, getOptions).
            req.setOptions(new analyzerProto.AnalyzerResourceOptions());
            return req;
        });
        const t = process.hrtime.bigint();
        let next = 0;
        const worker = async () => {
            while (next < requests.length) {
                const req = requests[next++];
                await new Promise<void>((resolve, reject) => pack.client.analyze(req, (e) => (e ? reject(e) : resolve())));
            }
        };
        await Promise.all(Array.from({ length: CONCURRENCY }, worker));
        return { seconds: secondsSince(t), resources: requests.length, maxRssKb: peakKb() };
    } finally {
        await pack.close();
    }
}

const CHILDREN: Record<string, (target: Target) => Promise<Sample>> = {
    "plan-ours": planOurs,
    "plan-stock": planStock,
    "gate-ours": gateOurs,
    "gate-plain": gatePlain,
};

function runChild(kind: string, target: string): Sample {
    const r = spawnSync(
        process.execPath,
        [require.resolve("ts-node/dist/bin"), "--transpile-only", path.join(ROOT, "tools/bench.ts"), "--child", kind, target],
        {
            cwd: ROOT,
            encoding: "utf8",
            maxBuffer: 64 * 1024 * 1024,
        },
    );
    if (r.status !== 0) throw new Error(`${kind} ${target} failed: ${(r.stderr || r.stdout).trim().split("\n")[0]}`);
    return JSON.parse(r.stdout.trim().split("\n").pop()!) as Sample;
}

/** Runs ours and the baseline alternately, `runs` times each, and returns both medians. */
function pair(ours: string, baseline: string, target: string, runs: number): { ours: Sample; baseline: Sample } {
    const a: Sample[] = [];
    const b: Sample[] = [];
    for (let i = 0; i < runs; i++) {
        a.push(runChild(ours, target));
        b.push(runChild(baseline, target));
    }
    return { ours: medianSample(a), baseline: medianSample(b) };
}

function main(): number {
    const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 1) || 1);
    const rows: string[] = [];
    // The queue model is deterministic and fast: first, and judged like the timed rows.
    let missed = printQueueModel();
    const judge = (what: string, ours: Sample, baseline: Sample | undefined, verdicts: Verdict[]) => {
        missed ||= verdicts.some((v) => !v.ok);
        rows.push(formatRow(what, ours, baseline, verdicts));
    };

    for (const [kind, baselineKind, target, baselineName] of [
        ["plan-ours", "plan-stock", PLAN_RATIO_TARGET, "stock mocks"],
        ["gate-ours", "gate-plain", GATE_RATIO_TARGET, "plain pack"],
    ] as const) {
        const what = kind.split("-")[0];
        for (const stack of listStacks()) {
            const { ours, baseline } = pair(kind, baselineKind, stack, runs);
            judge(`${what} ${stack}`, ours, baseline, [ratioVerdict(ours, baseline, target, baselineName)]);
        }
        // Synthetic sizes, once each. The stock mock runtime runs the plan at 1,000 only: at 10,000 it
        // alone would take most of the bench's few minutes, and the ratio is judged at 1,000.
        const [small, large] = syntheticSizes(process.env.BENCH_SIZES);
        const atSmall = pair(kind, baselineKind, `synthetic:${small}`, 1);
        judge(`${what} ${small.toLocaleString("en")} synthetic`, atSmall.ours, atSmall.baseline, [
            ratioVerdict(atSmall.ours, atSmall.baseline, target, baselineName),
        ]);
        const atLarge =
            kind === "plan-ours"
                ? { ours: runChild(kind, `synthetic:${large}`), baseline: undefined }
                : pair(kind, baselineKind, `synthetic:${large}`, 1);
        judge(`${what} ${large.toLocaleString("en")} synthetic`, atLarge.ours, atLarge.baseline, [
            ...(atLarge.baseline ? [ratioVerdict(atLarge.ours, atLarge.baseline, target, baselineName)] : []),
            linearVerdict(atSmall.ours, atLarge.ours),
        ]);
    }
    console.log(`Bench: ours beside its baseline in the same run; ${runs} run(s) per stack row (median; BENCH_RUNS), 1 per synthetic row.`);
    console.log("");
    console.log("| what | resources | ours | ours per resource | baseline per resource | our peak RSS | verdict |");
    console.log("|---|---:|---:|---:|---:|---:|---|");
    for (const r of rows) console.log(r);
    return missed ? 1 : 0;
}

if (require.main === module) {
    const fail = (e: unknown) => {
        console.error(String((e as Error)?.message ?? e));
        process.exit(1);
    };
    const i = process.argv.indexOf("--child");
    if (i >= 0) {
        const child = CHILDREN[process.argv[i + 1]];
        if (!child) fail(new Error(`unknown child ${process.argv[i + 1]}; valid: ${Object.keys(CHILDREN).join(", ")}`));
        child(parseTarget(process.argv[i + 2]))
            .then((s) => {
                console.log(JSON.stringify(s));
                process.exit(0);
            })
            .catch(fail);
    } else {
        try {
            process.exit(main());
        } catch (e) {
            fail(e);
        }
    }
}
