/**
 * The figures an archive budgets with: the monthly total split into fixed and variable (per TB held,
 * per TB ingested), and the cost per TB preserved per year, at the size the usage file states and at
 * 1, 10 and 100 TB. The other sizes are estimated again with only `aipTbHeld` changed (the ingest,
 * the people and everything else as stated), so S3's tiers and every per-object charge come out as
 * they would, not as a straight line.
 */
import { cents, CostResource, Estimate, estimate, EstimateOptions, LINE_KINDS, LineKind, sumLines } from "./pricing";
import { Usage } from "./usage";

/** The sizes every summary also shows, in TB of AIPs held. */
export const REFERENCE_SIZES_TB = [1, 10, 100] as const;

/** The monthly total by kind. */
export type KindTotals = Record<LineKind, number>;

export interface SizePoint {
    tbHeld: number;
    /** Whether this is the size the usage file states. */
    stated: boolean;
    monthly: number;
    byKind: KindTotals;
    /** The yearly cost per TB held (12 × monthly / TB), or null at 0 TB. */
    perTbYear: number | null;
}

/** Totals by kind, to the cent. */
export function byKind(lines: Estimate["lines"]): KindTotals {
    return Object.fromEntries(LINE_KINDS.map((k) => [k, sumLines(lines.filter((l) => l.kind === k))])) as KindTotals;
}

/** 12 × monthly / TB held, to the cent; null when nothing is held. */
export function perTbYear(monthly: number, tbHeld: number): number | null {
    return tbHeld > 0 ? cents((monthly * 12) / tbHeld) : null;
}

function point(est: Estimate, tbHeld: number, stated: boolean): SizePoint {
    return { tbHeld, stated, monthly: est.total, byKind: byKind(est.lines), perTbYear: perTbYear(est.total, tbHeld) };
}

/** The stated size first, then the reference sizes that differ from it, ascending. */
export function sizePoints(
    resources: CostResource[],
    region: string,
    usage: Usage,
    stated: Estimate,
    options: EstimateOptions = {},
): SizePoint[] {
    const points = [point(stated, usage.aipTbHeld, true)];
    for (const tb of REFERENCE_SIZES_TB) {
        if (tb === usage.aipTbHeld) continue;
        points.push(point(estimate(resources, region, { ...options, usage: { ...usage, aipTbHeld: tb } }), tb, false));
    }
    return points;
}
