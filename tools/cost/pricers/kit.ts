/**
 * What every pricer is written with: the planned resource as the estimate reads it, the line kinds,
 * the context a pricer reads (prices, assumptions, usage and what follows from it, the other planned
 * resources), a pricer's parts, and the small formatting and reading helpers their bases share.
 */
import type { Assumptions } from "../assumptions";
import { PRICES, RegionPrices } from "../prices";
import type { Usage } from "../usage";

/** What the estimate reads of a planned resource (a recorded registration or a preview step's state). */
export interface CostResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    inputs: Record<string, unknown>;
    propertyDependencies?: Record<string, string[]>;
    parent?: string;
}

/** What a line's cost follows. */
export const LINE_KINDS = ["fixed", "per-tb-held", "per-tb-ingested"] as const;
export type LineKind = (typeof LINE_KINDS)[number];

/** Quantities that follow from the usage file (per month unless said). */
export interface Derived {
    aipGbHeld: number;
    aipGbPerMonth: number;
    dipGbHeld: number;
    /** Average size of one AIP, GB. */
    aipGb: number;
    /** AIPs held, and their S3 objects. */
    aipsHeld: number;
    aipObjects: number;
    /** DIP objects held (one access copy per file) and their average size, GB. */
    dipObjects: number;
    dipObjectGb: number;
    efsReadsGb: number;
    efsWritesGb: number;
    /** GB resident in the shared directory because of the ingest (the rest is sharedDirectoryBaseGb). */
    efsWorkingGb: number;
    transferSourceGb: number;
    /** Files ingested a month. */
    filesPerMonth: number;
}

export interface Context {
    region: string;
    prices: RegionPrices;
    a: Assumptions;
    usage: Usage;
    d: Derived;
    byUrn: Map<string, CostResource>;
    resources: CostResource[];
    /** URNs of log groups a VPC flow log writes to. */
    flowLogGroups: Set<string>;
    /** Derived-quantity formulas used, by name, in first-use order. */
    notes: Map<string, string>;
    /** Custom metrics already priced on an earlier alarm. */
    claimedMetrics: Set<string>;
}

export type Part = ({ monthly: number; basis: string } | { unpriced: string }) & { item?: string; kind?: LineKind };
export type Pricer = (r: CostResource, ctx: Context) => Part | Part[];

/** Rounds to the cent (half up), robust to binary fractions such as 0.045 × 730. */
export function cents(x: number): number {
    return Math.round(Number((x * 100).toFixed(6))) / 100;
}

export const usd = (x: number) => `$${cents(x).toFixed(2)}`;
/** A unit price as written in the table, with no rounding. */
export const rate = (x: number) => `$${x}`;
/** A quantity as shown in a basis: at most three decimals. */
export const q = (x: number) => String(Math.round(x * 1000) / 1000);

export function num(v: unknown): number | undefined {
    if (typeof v === "number" && Number.isFinite(v)) return v;
    if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
    return undefined;
}

export function obj(v: unknown): Record<string, unknown> | undefined {
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export function arr(v: unknown): unknown[] {
    return Array.isArray(v) ? v : [];
}

export function plural(n: number, one: string, many = `${one}s`): string {
    return `${q(n)} ${n === 1 ? one : many}`;
}

/** Records a derived quantity's formula for the printed assumptions (once). */
export function note(ctx: Context, name: string, formula: string): void {
    if (!ctx.notes.has(name)) ctx.notes.set(name, `${name} = ${formula}`);
}

/** Days in the 730-hour month. */
export const DAYS_PER_MONTH = 730 / 24;

/** The region's prices, or undefined when the table has none. */
export function pricesFor(region: string): RegionPrices | undefined {
    return PRICES[region];
}

/** A resource's region: its own `region` input (provider v7), else the stack's. */
export function regionOf(r: CostResource, ctx: Context): string {
    return typeof r.inputs.region === "string" && r.inputs.region ? r.inputs.region : ctx.region;
}

/** The planned resources a property refers to (by recorded dependency). */
export function refs(r: CostResource, property: string, ctx: Context): CostResource[] {
    return (r.propertyDependencies?.[property] ?? []).map((u) => ctx.byUrn.get(u)).filter((x): x is CostResource => !!x);
}

export function tagsOf(r: CostResource): Record<string, unknown> {
    return obj(r.inputs.tags) ?? {};
}
