/**
 * The README's cost figures (section "Cost"): both stacks priced for the archive their usage file
 * states, and for a stated small and a large archive (the usage file with only the archive's size and
 * ingest changed). Written by `npm run sync-docs -- --cost` (it plans both stacks); a test
 * (test/cost-usage.test.ts) fails when the README's table is not today's.
 */
import { CostResource, estimate } from "./pricing";
import { byKind, perTbYear } from "./summary";
import { Usage } from "./usage";

/** The two reference archives, over each stack's own usage file. */
export const REFERENCE_ARCHIVES: { name: string; usage: Partial<Usage> }[] = [
    { name: "small: 2 TB held, 50 GB ingested a month", usage: { aipTbHeld: 2, ingestGbPerMonth: 50, transfersPerMonth: 20 } },
    { name: "large: 100 TB held, 1 TB ingested a month", usage: { aipTbHeld: 100, ingestGbPerMonth: 1000, transfersPerMonth: 200 } },
];

/** What the table needs of one stack. */
export interface StackFigures {
    stack: string;
    region: string;
    usageFile: string;
    usage: Usage;
    resources: CostResource[];
}

const money = (x: number | null) =>
    x === null ? "—" : `$${x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** The markdown table. */
export function costFiguresTable(stacks: StackFigures[]): string {
    const rows: string[] = [];
    for (const s of stacks) {
        const archives = [
            {
                name: `as \`${s.usageFile}\` states: ${s.usage.aipTbHeld} TB held, ${s.usage.ingestGbPerMonth} GB ingested a month`,
                usage: {},
            },
            ...REFERENCE_ARCHIVES,
        ];
        for (const a of archives) {
            const usage = { ...s.usage, ...a.usage };
            const est = estimate(s.resources, s.region, { usage });
            const k = byKind(est.lines);
            rows.push(
                `| ${s.stack} | ${a.name} | ${money(est.total)} | ${money(k.fixed)} | ${money(k["per-tb-held"])} | ${money(k["per-tb-ingested"])} | ${money(perTbYear(est.total, usage.aipTbHeld))} |`,
            );
        }
    }
    return [
        "| stack | archive | a month | fixed | per TB held | per TB ingested | per TB preserved a year |",
        "|---|---|---:|---:|---:|---:|---:|",
        ...rows,
    ].join("\n");
}

export const COST_START = "<!-- cost-figures:start -->";
export const COST_END = "<!-- cost-figures:end -->";

/** The README with its cost table replaced. */
export function readmeWithCostFigures(readme: string, table: string): string {
    const a = readme.indexOf(COST_START);
    const b = readme.indexOf(COST_END);
    if (a < 0 || b < a) throw new Error(`README.md has no ${COST_START} … ${COST_END} section`);
    return `${readme.slice(0, a + COST_START.length)}\n${table}\n${readme.slice(b)}`;
}
