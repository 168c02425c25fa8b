/**
 * `npm run cost -- <stack> [--usage <file>] [--json]`: what a stack costs a month for the archive it
 * serves, from its offline plan (the real program and stack file on the mock runtime, as `npm run
 * plan` runs them), a usage file (`usage/<stack>.yaml` when present; tools/cost/usage.ts) and the
 * dated price table in tools/cost/prices.ts. Every line says how it was reached and whether it is
 * fixed or grows per TB held or ingested; the summary gives the cost per TB preserved per year at the
 * stated size and at 1, 10 and 100 TB; every assumption and derived quantity is printed; anything not
 * priced is listed by type rather than counted as zero.
 *
 * `--json` prints exactly {@link CostDocument}. Exit codes: 0 estimated, 2 bad input (unknown stack,
 * bad flag, invalid config or usage file, a region with no prices), before anything is planned; 1
 * anything else.
 */
import { ConfigError, parseConfig } from "../config";
import { describeConventions, describeUnconfirmed, describeUsage, DEFAULT_ASSUMPTIONS } from "./cost/assumptions";
import { CostDocument, CostSizePoint } from "./cost/comment";
import { archivalBackupCosts, CostResource, Estimate, estimate, UnpricedRegionError } from "./cost/pricing";
import { PRICE_SOURCES, PRICES, PRICES_DATE } from "./cost/prices";
import { byKind, perTbYear, sizePoints, SizePoint } from "./cost/summary";
import { LoadedUsage, loadUsage, UsageFileError } from "./cost/usage";
import { CliOutput, PlanResult, planStack, skipSourceMappedStackTraces, STDIO, UsageError } from "./plan";
import { exitAfterFlush, failAfterFlush } from "./exit";
import { invokeFailure } from "./mock-runtime";
import { loadStackConfig, ROOT, StackFileError } from "./stack-files";

export const COST_USAGE = "usage: npm run cost -- <stack> [--usage <file>] [--json]";

export interface CostOptions {
    stack: string;
    json: boolean;
    /** A usage file; default `usage/<stack>.yaml` when it exists. */
    usageFile?: string;
}

/** Parses the command line; `undefined` means --help. Throws UsageError with a one-line message. */
export function parseCostArgs(argv: string[]): CostOptions | undefined {
    let stack: string | undefined;
    let json = false;
    let usageFile: string | undefined;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--help" || arg === "-h") return undefined;
        if (arg === "--json") json = true;
        else if (arg === "--usage" || arg.startsWith("--usage=")) {
            const value = arg === "--usage" ? argv[++i] : arg.slice("--usage=".length);
            if (!value || value.startsWith("-")) throw new UsageError(`--usage needs a file, such as usage/prod.yaml; ${COST_USAGE}`);
            usageFile = value;
        } else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}; valid: --usage <file>, --json, --help; ${COST_USAGE}`);
        else if (stack === undefined) stack = arg;
        else throw new UsageError(`unexpected argument "${arg}"; ${COST_USAGE}`);
    }
    if (!stack) throw new UsageError(`no stack given; ${COST_USAGE}`);
    return usageFile === undefined ? { stack, json } : { stack, json, usageFile };
}

/** The region a stack deploys to: its `aws:region`, which every stack file sets. */
export function stackRegion(values: Record<string, string>, stack: string): string {
    const region = values["aws:region"];
    if (!region) throw new UsageError(`Pulumi.${stack}.yaml: aws:region is not set; the estimate prices one region`);
    return region;
}

/** Everything the command reports for one stack. */
export interface StackEstimate {
    stack: string;
    estimate: Estimate;
    resources: CostResource[];
    usage: LoadedUsage;
    sizes: SizePoint[];
    /** The stack's backupArchivalStores setting and what backing up each store costs a month. */
    archivalBackup: { setting: string; aipStore: number; dipStore: number };
}

/** How a stack is planned: `planStack`, or a cached plan in tests (test/harness.ts stackPlan). */
export type Planner = (stack: string, root: string) => Promise<Pick<PlanResult, "run">>;

/** Plans the stack offline and prices it for its usage. Bad input is refused before the plan. */
export async function estimateStack(stack: string, root = ROOT, usageFile?: string, plan: Planner = planStack): Promise<StackEstimate> {
    const config = loadStackConfig(stack, root);
    const region = stackRegion(config.values, stack);
    // Fail closed on the region and the usage file before spending seconds on a plan.
    if (!PRICES[region]) estimate([], region);
    const usage = loadUsage(stack, root, usageFile);
    const setting = parseConfig(config).operations.backupArchivalStores;
    const { run } = await plan(stack, root);
    const options = { usage: usage.usage, assumptions: DEFAULT_ASSUMPTIONS };
    const est = estimate(run.resources, region, options);
    const backup = archivalBackupCosts(run.resources, region, options);
    return {
        stack,
        estimate: est,
        resources: run.resources,
        usage,
        sizes: sizePoints(run.resources, region, usage.usage, est, options),
        archivalBackup: { setting, aipStore: backup.aip, dipStore: backup.dip },
    };
}

const money = (x: number) => `$${x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const moneyOrDash = (x: number | null) => (x === null ? "—" : money(x));

function nameOf(urn: string): string {
    return urn.split("::").pop() ?? urn;
}

/** The sentence on the backup setting: what it costs and what the other settings would. */
export function backupSettingLine(b: StackEstimate["archivalBackup"], tbHeld: number): string {
    const inTotal = b.setting === "none" ? 0 : b.setting === "dip" ? b.dipStore : b.aipStore + b.dipStore;
    const perTb = (x: number) => (tbHeld > 0 ? ` (${money((x * 12) / tbHeld)} per TB a year)` : "");
    const others = [
        b.setting !== "aip-and-dip"
            ? `aip-and-dip would add ${money(b.aipStore + b.dipStore - inTotal)} a month${perTb(b.aipStore + b.dipStore - inTotal)}`
            : undefined,
        b.setting !== "dip"
            ? `dip would ${b.dipStore - inTotal >= 0 ? "add" : "save"} ${money(Math.abs(b.dipStore - inTotal))}`
            : undefined,
        b.setting !== "none" ? `none would save ${money(inTotal)}` : undefined,
    ].filter(Boolean);
    return `backupArchivalStores = ${b.setting}: AWS Backup's copies of the archival stores cost ${money(inTotal)} a month of the total (AIP store ${money(b.aipStore)}, DIP store ${money(b.dipStore)} if backed up); ${others.join("; ")} (README, "Backups of the archival stores")`;
}

/** Every assumption, in the order printed and in --json. */
export function assumptionLines(s: StackEstimate): string[] {
    return [
        ...describeConventions(DEFAULT_ASSUMPTIONS),
        ...describeUsage(s.usage).map((u) => `usage: ${u}`),
        ...s.estimate.derived.map((d) => `derived: ${d}`),
        backupSettingLine(s.archivalBackup, s.usage.usage.aipTbHeld),
        ...describeUnconfirmed(s.estimate.region),
    ];
}

/** The summary table: monthly total by kind and per TB a year, at the stated size and the reference sizes. */
export function renderSummary(sizes: SizePoint[]): string[] {
    const rows = sizes.map((p) => [
        `at ${p.tbHeld} TB${p.stated ? " (stated)" : ""}`,
        money(p.monthly),
        money(p.byKind.fixed),
        money(p.byKind["per-tb-held"]),
        money(p.byKind["per-tb-ingested"]),
        moneyOrDash(p.perTbYear),
    ]);
    const head = ["AIPs held", "a month", "fixed", "per TB held", "per TB ingested", "per TB a year"];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const fmt = (r: string[]) => `  ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("   ")}`;
    return [fmt(head), ...rows.map(fmt)];
}

/** The human-readable estimate. */
export function renderEstimate(s: StackEstimate): string {
    const est = s.estimate;
    const priced = est.lines.filter((l) => l.monthly !== null && l.monthly > 0).sort((a, b) => b.monthly! - a.monthly!);
    const free = est.lines.filter((l) => l.monthly === 0);
    const unpriced = est.lines.filter((l) => l.monthly === null);
    const label = (l: (typeof est.lines)[number]) => `${nameOf(l.urn)}${l.item ? ` · ${l.item}` : ""}`;
    const nameWidth = Math.max(8, ...priced.map((l) => label(l).length));
    const kindWidth = "per-tb-ingested".length;
    const byType = (lines: typeof est.lines) => {
        const counts = new Map<string, number>();
        for (const l of lines) counts.set(l.type, (counts.get(l.type) ?? 0) + 1);
        return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    };
    const u = s.usage.usage;
    const kinds = byKind(est.lines);
    const prices = PRICES[est.region];
    return [
        `Monthly cost estimate: ${s.stack} (${est.region}), ${est.currency} — offline plan, ${s.usage.source.file ?? "default usage (no usage file)"}, on-demand list prices of ${PRICES_DATE} (tools/cost/prices.ts)`,
        "",
        `  ${"monthly".padStart(10)}  ${"kind".padEnd(kindWidth)}  ${"resource · part".padEnd(nameWidth)}  basis`,
        ...priced.map((l) => `  ${money(l.monthly!).padStart(10)}  ${l.kind.padEnd(kindWidth)}  ${label(l).padEnd(nameWidth)}  ${l.basis}`),
        "",
        `  Total: ${money(est.total)} a month (${priced.length} priced lines): fixed ${money(kinds.fixed)}, per TB held ${money(kinds["per-tb-held"])}, per TB ingested ${money(kinds["per-tb-ingested"])}`,
        `  Cost per TB preserved a year at ${u.aipTbHeld} TB held and ${u.ingestGbPerMonth} GB ingested a month: ${moneyOrDash(perTbYear(est.total, u.aipTbHeld))}`,
        "",
        `Per TB preserved (only aipTbHeld changed; the ingest and everything else as stated):`,
        ...renderSummary(s.sizes),
        "",
        `No charge (${free.length} lines): ${byType(free)
            .map(([t, n]) => `${n} × ${t}`)
            .join(", ")}`,
        "",
        unpriced.length ? `Not priced (${unpriced.length} lines, by type; not in the total):` : "Not priced: none",
        ...byType(unpriced).flatMap(([t, n]) => [
            `    ${t} (${n})`,
            ...unpriced.filter((l) => l.type === t).map((l) => `        ${label(l)}: ${l.basis.replace(/^not priced: /, "")}`),
        ]),
        "",
        "Assumptions:",
        ...assumptionLines(s).map((a) => `    - ${a}`),
        "",
        `Prices: AWS pages (${Object.values(PRICE_SOURCES)
            .filter((v, i, all) => all.indexOf(v) === i)
            .join(", ")}) as of ${PRICES_DATE}; confirmed offline for ${est.region}:`,
        ...prices.corroborated.map((c) => `    - ${c}`),
        "    - the figures listed as unconfirmed among the assumptions: to be checked against the AWS Price List offer files (npm run refresh-prices)",
    ].join("\n");
}

/** The --json document. */
export function costDocument(s: StackEstimate): CostDocument {
    const { currency, region, total, lines } = s.estimate;
    const u = s.usage.usage;
    const atSizes: CostSizePoint[] = s.sizes.map((p) => ({
        tbHeld: p.tbHeld,
        stated: p.stated,
        monthly: p.monthly,
        byKind: p.byKind,
        perTbYear: p.perTbYear,
    }));
    return {
        currency,
        region,
        stack: s.stack,
        usageFile: s.usage.source.file ?? null,
        usage: u,
        total,
        byKind: byKind(lines),
        tbHeld: u.aipTbHeld,
        ingestGbPerMonth: u.ingestGbPerMonth,
        perTbYear: perTbYear(total, u.aipTbHeld),
        atSizes,
        backupArchivalStores: s.archivalBackup,
        assumptions: assumptionLines(s),
        lines: lines.map(({ urn, type, item, kind, monthly, basis }) => ({ urn, type, item, kind, monthly, basis })),
    };
}

function oneLine(e: unknown): string {
    const message = e instanceof Error ? e.message : String(e);
    return message.split("\n").find((l) => l.trim()) ?? "unknown error";
}

function isBadInput(e: unknown): boolean {
    return (
        e instanceof UsageError ||
        e instanceof StackFileError ||
        e instanceof ConfigError ||
        e instanceof UnpricedRegionError ||
        e instanceof UsageFileError
    );
}

/** Where the command writes: stdout and stderr, one call per block of text. */
export type CostOutput = CliOutput;

/** The whole command; returns the exit code. `plan` is how it plans the stack (tests share one plan per stack). */
export async function runCostCommand(argv: string[], io: CostOutput = STDIO, root = ROOT, plan: Planner = planStack): Promise<number> {
    let options: CostOptions | undefined;
    try {
        options = parseCostArgs(argv);
    } catch (e) {
        io.err(`error: ${oneLine(e)}`);
        return 2;
    }
    if (!options) {
        io.out(
            `${COST_USAGE}\n\nA monthly estimate from the offline plan, the stack's usage file (usage/<stack>.yaml when present, or --usage) and the dated price table in tools/cost/prices.ts: each line fixed, per TB held or per TB ingested, and the cost per TB preserved per year.\n--json prints { currency, region, stack, usageFile, usage, total, byKind, tbHeld, ingestGbPerMonth, perTbYear, atSizes, backupArchivalStores, assumptions, lines: [{ urn, type, item, kind, monthly, basis }] }.`,
        );
        return 0;
    }
    let result: StackEstimate;
    try {
        result = await estimateStack(options.stack, root, options.usageFile, plan);
    } catch (e) {
        if (!isBadInput(e)) throw e;
        // Every problem of a usage file is one line; all of them are shown.
        for (const line of (e instanceof UsageFileError ? e.message : oneLine(e)).split("\n")) io.err(`error: ${line}`);
        return 2;
    }
    io.out(options.json ? JSON.stringify(costDocument(result), null, 2) : renderEstimate(result));
    return 0;
}

/** The command under the name every CLI of ours exports it by (plan.ts, policy-cli.ts). */
export const main = runCostCommand;

if (require.main === module) {
    const die = (e: unknown) => failAfterFlush(`error: ${invokeFailure() ?? oneLine(e)}`, isBadInput(e) ? 2 : 1);
    process.on("unhandledRejection", die);
    process.on("uncaughtException", die);
    skipSourceMappedStackTraces();
    main(process.argv.slice(2)).then(exitAfterFlush, die);
}
