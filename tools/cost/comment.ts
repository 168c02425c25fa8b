/**
 * The pull-request comment of the cost estimate: the PR's total against the base branch's, and the
 * change by resource type. CI runs `npm run cost -- <stack> --json` on the base checkout and on the
 * PR, then `ts-node tools/cost/comment.ts <stack> <base.json> <head.json>`, and posts what it prints.
 * A base without an estimate (an older main, a stack new in this PR) is said so, not shown as $0.
 */
import * as fs from "fs";

/** What a line's cost follows (tools/cost/pricing.ts LINE_KINDS). */
type Kind = "fixed" | "per-tb-held" | "per-tb-ingested";

/** The monthly total at one size of the archive. */
export interface CostSizePoint {
    tbHeld: number;
    stated: boolean;
    monthly: number;
    byKind: Record<Kind, number>;
    perTbYear: number | null;
}

/** The `--json` document of `npm run cost`, exactly. */
export interface CostDocument {
    currency: string;
    region: string;
    stack: string;
    /** The usage file read, or null for the defaults. */
    usageFile: string | null;
    usage: Record<string, number | undefined>;
    total: number;
    byKind: Record<Kind, number>;
    tbHeld: number;
    ingestGbPerMonth: number;
    /** 12 × total / tbHeld; null when nothing is held. */
    perTbYear: number | null;
    atSizes: CostSizePoint[];
    backupArchivalStores: { setting: string; aipStore: number; dipStore: number };
    assumptions: string[];
    lines: { urn: string; type: string; item: string; kind: Kind; monthly: number | null; basis: string }[];
}

/**
 * A cost document as read back: a base branch may have an older `npm run cost` whose document has only
 * `{ currency, region, total, lines }`, so everything else is optional here.
 */
export type ReadCostDocument = Pick<CostDocument, "currency" | "region" | "total"> &
    Partial<Omit<CostDocument, "currency" | "region" | "total" | "lines">> & {
        lines: { urn: string; type: string; monthly: number | null; basis: string; kind?: Kind; item?: string }[];
    };

/** The HTML comment that marks a stack's cost comment, so CI updates it instead of adding another. */
export function commentMarker(stack: string): string {
    return `<!-- archivematica-infra cost: ${stack} -->`;
}

/** Reads a cost document; `undefined` when the file is missing, empty or not one. */
export function readCostDocument(file: string): ReadCostDocument | undefined {
    let doc: unknown;
    try {
        doc = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch {
        return undefined;
    }
    const d = doc as Partial<ReadCostDocument>;
    return d && typeof d.total === "number" && Array.isArray(d.lines) && typeof d.region === "string" ? (d as ReadCostDocument) : undefined;
}

const cents = (x: number) => Math.round(x * 100);
const money = (c: number) => `${c < 0 ? "−" : ""}$${(Math.abs(c) / 100).toFixed(2)}`;
const signed = (c: number) => (c > 0 ? `+${money(c)}` : c < 0 ? money(c) : "$0.00");

/** Monthly sum per type, in cents (unpriced lines count nothing). */
function byType(doc: ReadCostDocument): Map<string, number> {
    const sums = new Map<string, number>();
    for (const l of doc.lines) sums.set(l.type, (sums.get(l.type) ?? 0) + cents(l.monthly ?? 0));
    return sums;
}

function unpricedTypes(doc: ReadCostDocument): string {
    const counts = new Map<string, number>();
    for (const l of doc.lines) if (l.monthly === null) counts.set(l.type, (counts.get(l.type) ?? 0) + 1);
    return [...counts.entries()]
        .sort((a, b) => a[0].localeCompare(b[0]))
        .map(([t, n]) => `\`${t}\` (${n})`)
        .join(", ");
}

/** The comment's markdown. */
/** The per-TB table of a document that has one (an older document has none). */
function perTbTable(doc: ReadCostDocument): string[] {
    if (!doc.atSizes?.length) return [];
    const dollars = (x: number | null) => (x === null ? "—" : money(cents(x)));
    return [
        "",
        `Usage: ${doc.usageFile ? `\`${doc.usageFile}\`` : "defaults (no usage file)"}, ${doc.tbHeld} TB of AIPs held, ${doc.ingestGbPerMonth} GB ingested a month.`,
        "",
        "| AIPs held | a month | fixed | per TB held | per TB ingested | per TB preserved a year |",
        "|---|---:|---:|---:|---:|---:|",
        ...doc.atSizes.map(
            (p) =>
                `| ${p.tbHeld} TB${p.stated ? " (stated)" : ""} | ${dollars(p.monthly)} | ${dollars(p.byKind.fixed)} | ${dollars(p.byKind["per-tb-held"])} | ${dollars(p.byKind["per-tb-ingested"])} | ${dollars(p.perTbYear)} |`,
        ),
    ];
}

export function costComment(stack: string, base: ReadCostDocument | undefined, head: ReadCostDocument): string {
    const headTotal = cents(head.total);
    const rows = [`| this pull request | ${money(headTotal)} |`];
    if (base) {
        const baseTotal = cents(base.total);
        const change = headTotal - baseTotal;
        const pct = baseTotal ? ` (${change > 0 ? "+" : change < 0 ? "−" : ""}${((Math.abs(change) / baseTotal) * 100).toFixed(1)} %)` : "";
        rows.unshift(`| base branch | ${money(baseTotal)} |`);
        rows.push(`| change | ${signed(change)}${pct} |`);
    } else {
        rows.unshift("| base branch | no estimate (the base has no `npm run cost` for this stack) |");
    }
    const out = [
        commentMarker(stack),
        `### Monthly cost estimate: ${stack} (${head.region}), ${head.currency}`,
        "",
        "| | per month |",
        "|---|---:|",
        ...rows,
    ];
    out.push(...perTbTable(head));
    if (base) {
        const before = byType(base);
        const after = byType(head);
        const types = [...new Set([...before.keys(), ...after.keys()])]
            .filter((t) => (before.get(t) ?? 0) !== (after.get(t) ?? 0))
            .sort((a, b) => a.localeCompare(b));
        if (types.length) {
            out.push("", "| type | base | this PR | change |", "|---|---:|---:|---:|");
            for (const t of types) {
                const b = before.get(t) ?? 0;
                const a = after.get(t) ?? 0;
                out.push(`| \`${t}\` | ${money(b)} | ${money(a)} | ${signed(a - b)} |`);
            }
        }
    }
    const unpriced = unpricedTypes(head);
    out.push("", unpriced ? `Not priced (not in the total): ${unpriced}.` : "Every resource is priced.");
    out.push(
        "",
        `<sub>Offline plan × the dated list prices in tools/cost/prices.ts; every assumption and each line's arithmetic: \`npm run cost -- ${stack}\`.</sub>`,
    );
    return out.join("\n");
}

if (require.main === module) {
    const [stack, baseFile, headFile] = process.argv.slice(2);
    const head = headFile ? readCostDocument(headFile) : undefined;
    if (!stack || !head) {
        console.error(
            "usage: ts-node tools/cost/comment.ts <stack> <base.json> <head.json> (head.json must be an npm run cost --json document)",
        );
        process.exit(2);
    }
    console.log(costComment(stack, baseFile ? readCostDocument(baseFile) : undefined, head));
}
