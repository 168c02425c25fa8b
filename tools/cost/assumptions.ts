/**
 * What the estimate assumes beyond the usage file: conventions (hours in a month), discounts that are
 * not list prices, and the fixed modelling choices. Each is printed with the estimate, with every
 * usage value and every derived quantity's formula, so a reader can redo any line by hand.
 */
import { PRICES } from "./prices";
import { LoadedUsage, USAGE_KEY_NAMES, usageDoc } from "./usage";

export interface Assumptions {
    /** Hours in a month (AWS's own calculator uses 730). */
    hoursPerMonth: number;
    /** Fraction off the on-demand Fargate price for tasks on FARGATE_SPOT. */
    fargateSpotDiscount: number;
    /** Database backup storage beyond the free amount (100 % of provisioned storage), GB. */
    dbBackupGbBeyondFree: number;
}

export const DEFAULT_ASSUMPTIONS: Assumptions = {
    hoursPerMonth: 730,
    // AWS: Fargate Spot runs "at up to a 70% discount off the regular Fargate price"
    // (https://aws.amazon.com/fargate/pricing/); the real Spot price moves with spare capacity.
    fargateSpotDiscount: 0.7,
    dbBackupGbBeyondFree: 0,
};

/** The modelling conventions, one sentence each, in the order printed. */
export function describeConventions(a: Assumptions): string[] {
    return [
        `${a.hoursPerMonth} hours a month; every resource runs all month; on-demand list prices (no Savings Plans, reservations, or free tiers: free allowances are per account and shared)`,
        `FARGATE_SPOT tasks cost ${Math.round(a.fargateSpotDiscount * 100)} % less than on-demand (AWS: "up to 70%"; the Spot price varies)`,
        `database backups use ${a.dbBackupGbBeyondFree} GB beyond the free amount (100 % of provisioned storage); AWS Backup's database snapshots are priced on the backup selection's line`,
        "internet egress, cross-AZ traffic and most API requests are not priced; each line says what it leaves out",
    ];
}

/** The usage values, one line each: `key = value unit (from <file>|default): description`. */
export function describeUsage(loaded: LoadedUsage): string[] {
    const { usage, source } = loaded;
    return USAGE_KEY_NAMES.filter((k) => usage[k] !== undefined).map((k) => {
        const doc = usageDoc(k);
        const from = source.set.includes(k) ? `from ${source.file}` : "default";
        return `${k} = ${usage[k]} ${doc.unit} (${from})`;
    });
}

/** The region's unconfirmed price figures, as printed. */
export function describeUnconfirmed(region: string): string[] {
    return (PRICES[region]?.unconfirmed ?? []).map(
        (u) => `unconfirmed price, kept as written (no published source confirmed it; check before budgeting): ${u}`,
    );
}
