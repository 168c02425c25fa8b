/**
 * `npm run cost -- <stack> [--json]`: a monthly estimate of what a stack costs, from its offline
 * plan (the real program and stack file on the mock runtime, as `npm run plan` runs them) and the
 * dated price table in tools/cost/prices.ts. Every line says how it was reached, every assumption
 * is printed, and anything not priced is listed by type rather than counted as zero.
 *
 * `--json` prints exactly `{ currency, region, total, lines: [{ urn, type, monthly, basis }] }`
 * (`monthly` is null for a resource that is not priced). Exit codes: 0 estimated, 2 bad input
 * (unknown stack, bad flag, invalid config, a region with no prices), 1 anything else.
 */
import { ConfigError } from "../config";
import { describeAssumptions, DEFAULT_ASSUMPTIONS } from "./cost/assumptions";
import { CostResource, Estimate, estimate, UnpricedRegionError } from "./cost/pricing";
import { PRICE_SOURCES, PRICES, PRICES_DATE } from "./cost/prices";
import { planStack, skipSourceMappedStackTraces, UsageError } from "./plan";
import { exitAfterFlush, failAfterFlush } from "./exit";
import { invokeFailure } from "./mock-runtime";
import { loadStackConfig, ROOT, StackFileError } from "./stack-files";

export const COST_USAGE = "usage: npm run cost -- <stack> [--json]";

export interface CostOptions {
    stack: string;
    json: boolean;
}

/** Parses the command line; `undefined` means --help. Throws UsageError with a one-line message. */
export function parseCostArgs(argv: string[]): CostOptions | undefined {
    let stack: string | undefined;
    let json = false;
    for (const arg of argv) {
        if (arg === "--help" || arg === "-h") return undefined;
        if (arg === "--json") json = true;
        else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}; valid: --json, --help; ${COST_USAGE}`);
        else if (stack === undefined) stack = arg;
        else throw new UsageError(`unexpected argument "${arg}"; ${COST_USAGE}`);
    }
    if (!stack) throw new UsageError(`no stack given; ${COST_USAGE}`);
    return { stack, json };
}

/** The region a stack deploys to: its `aws:region`, which every stack file sets. */
export function stackRegion(values: Record<string, string>, stack: string): string {
    const region = values["aws:region"];
    if (!region) throw new UsageError(`Pulumi.${stack}.yaml: aws:region is not set; the estimate prices one region`);
    return region;
}

/** Plans the stack offline and prices it. */
export async function estimateStack(stack: string, root = ROOT): Promise<{ estimate: Estimate; resources: CostResource[] }> {
    const config = loadStackConfig(stack, root);
    const region = stackRegion(config.values, stack);
    // Fail closed on the region before spending seconds on a plan.
    if (!PRICES[region]) estimate([], region);
    const { run } = await planStack(stack, root);
    return { estimate: estimate(run.resources, region), resources: run.resources };
}

const money = (x: number) => `$${x.toFixed(2)}`;

function nameOf(urn: string): string {
    return urn.split("::").pop() ?? urn;
}

/** The human-readable estimate. */
export function renderEstimate(stack: string, est: Estimate): string {
    const priced = est.lines.filter((l) => l.monthly !== null && l.monthly > 0).sort((a, b) => b.monthly! - a.monthly!);
    const free = est.lines.filter((l) => l.monthly === 0);
    const unpriced = est.lines.filter((l) => l.monthly === null);
    const nameWidth = Math.max(8, ...priced.map((l) => nameOf(l.urn).length));
    const typeWidth = Math.max(4, ...priced.map((l) => l.type.length));
    const byType = (lines: typeof est.lines) => {
        const counts = new Map<string, number>();
        for (const l of lines) counts.set(l.type, (counts.get(l.type) ?? 0) + 1);
        return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    };
    const prices = PRICES[est.region];
    return [
        `Monthly cost estimate: ${stack} (${est.region}), ${est.currency} — offline plan, on-demand list prices of ${PRICES_DATE} (tools/cost/prices.ts)`,
        "",
        `  ${"monthly".padStart(10)}  ${"type".padEnd(typeWidth)}  ${"resource".padEnd(nameWidth)}  basis`,
        ...priced.map(
            (l) => `  ${money(l.monthly!).padStart(10)}  ${l.type.padEnd(typeWidth)}  ${nameOf(l.urn).padEnd(nameWidth)}  ${l.basis}`,
        ),
        "",
        `  Total: ${money(est.total)} a month (${priced.length} priced resources)`,
        "",
        `No charge (${free.length} resources): ${byType(free)
            .map(([t, n]) => `${n} × ${t}`)
            .join(", ")}`,
        "",
        unpriced.length ? `Not priced (${unpriced.length} resources, by type; not in the total):` : "Not priced: none",
        ...byType(unpriced).flatMap(([t, n]) => [
            `    ${t} (${n})`,
            ...unpriced.filter((l) => l.type === t).map((l) => `        ${nameOf(l.urn)}: ${l.basis.replace(/^not priced: /, "")}`),
        ]),
        "",
        "Assumptions:",
        ...describeAssumptions(DEFAULT_ASSUMPTIONS, est.region).map((a) => `    - ${a}`),
        "",
        `Prices: AWS pages (${Object.values(PRICE_SOURCES)
            .filter((v, i, all) => all.indexOf(v) === i)
            .join(", ")}) as of ${PRICES_DATE}; confirmed offline for ${est.region}:`,
        ...prices.corroborated.map((c) => `    - ${c}`),
        "    - the figures listed as unconfirmed among the assumptions: to be checked against the AWS Price List offer file (see tools/cost/prices.ts)",
    ].join("\n");
}

function oneLine(e: unknown): string {
    const message = e instanceof Error ? e.message : String(e);
    return message.split("\n").find((l) => l.trim()) ?? "unknown error";
}

function isBadInput(e: unknown): boolean {
    return e instanceof UsageError || e instanceof StackFileError || e instanceof ConfigError || e instanceof UnpricedRegionError;
}

/** Where the command writes: stdout and stderr, one call per block of text. */
export interface CostOutput {
    out: (text: string) => void;
    err: (text: string) => void;
}

/** The whole command; returns the exit code. */
export async function runCostCommand(
    argv: string[],
    io: CostOutput = { out: (t) => console.log(t), err: (t) => console.error(t) },
    root = ROOT,
): Promise<number> {
    let options: CostOptions | undefined;
    try {
        options = parseCostArgs(argv);
    } catch (e) {
        io.err(`error: ${oneLine(e)}`);
        return 2;
    }
    if (!options) {
        io.out(
            `${COST_USAGE}\n\nA monthly estimate from the offline plan and the dated price table in tools/cost/prices.ts.\n--json prints { currency, region, total, lines: [{ urn, type, monthly, basis }] }.`,
        );
        return 0;
    }
    let result: Estimate;
    try {
        result = (await estimateStack(options.stack, root)).estimate;
    } catch (e) {
        if (!isBadInput(e)) throw e;
        io.err(`error: ${oneLine(e)}`);
        return 2;
    }
    const { currency, region, total, lines } = result;
    io.out(options.json ? JSON.stringify({ currency, region, total, lines }, null, 2) : renderEstimate(options.stack, result));
    return 0;
}

if (require.main === module) {
    const die = (e: unknown) => failAfterFlush(`error: ${invokeFailure() ?? oneLine(e)}`, isBadInput(e) ? 2 : 1);
    process.on("unhandledRejection", die);
    process.on("uncaughtException", die);
    skipSourceMappedStackTraces();
    runCostCommand(process.argv.slice(2)).then(exitAfterFlush, die);
}
