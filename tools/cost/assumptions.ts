/**
 * What the estimate assumes where the plan cannot know: usage (GB stored, processed, logged) and
 * discounts that are not list prices. Each is printed with the estimate, and each line's basis
 * names the ones it used, so a reader can redo the sum with their own numbers.
 */
import { PRICES } from "./prices";

export interface Assumptions {
    /** Hours in a month (AWS's own calculator uses 730). */
    hoursPerMonth: number;
    /** Fraction off the on-demand Fargate price for tasks on FARGATE_SPOT. */
    fargateSpotDiscount: number;
    /** GB processed by each NAT gateway a month. */
    natGbPerGateway: number;
    /** Average LCUs an ALB uses each hour. */
    albLcus: number;
    /** GB stored in each EFS file system (all in the Standard class). */
    efsGb: number;
    /** GB stored in each S3 bucket (S3 Standard). */
    s3Gb: number;
    /** GB ingested into each CloudWatch log group a month. */
    logGbPerGroup: number;
    /** GB of flow-log records each VPC flow log delivers a month. */
    flowLogGb: number;
    /** Database backup storage beyond the free amount (100 % of provisioned storage), GB. */
    dbBackupGbBeyondFree: number;
}

export const DEFAULT_ASSUMPTIONS: Assumptions = {
    hoursPerMonth: 730,
    // AWS: Fargate Spot runs "at up to a 70% discount off the regular Fargate price"
    // (https://aws.amazon.com/fargate/pricing/); the real Spot price moves with spare capacity.
    fargateSpotDiscount: 0.7,
    natGbPerGateway: 100,
    albLcus: 1,
    efsGb: 100,
    s3Gb: 100,
    logGbPerGroup: 1,
    flowLogGb: 5,
    dbBackupGbBeyondFree: 0,
};

/**
 * One sentence per assumption, in the order printed. Given a priced region, the last ones name the
 * figures of its price table that no published source confirmed (tools/cost/prices.ts).
 */
export function describeAssumptions(a: Assumptions, region?: string): string[] {
    const unconfirmed = region ? (PRICES[region]?.unconfirmed ?? []) : [];
    return [
        `${a.hoursPerMonth} hours a month; every resource runs all month; on-demand list prices (no Savings Plans, reservations or free tier)`,
        `FARGATE_SPOT tasks cost ${pct(a.fargateSpotDiscount)} less than on-demand (AWS: "up to 70%"; the Spot price varies)`,
        "services are priced at their desired count; an autoscaled service's line also shows its cost at the maximum",
        `each NAT gateway processes ${a.natGbPerGateway} GB a month`,
        `each ALB uses ${a.albLcus} LCU on average every hour`,
        `each EFS file system stores ${a.efsGb} GB, all in the Standard class (no Infrequent Access, no throughput charges)`,
        `each S3 bucket stores ${a.s3Gb} GB in S3 Standard (requests not priced)`,
        `each CloudWatch log group ingests ${a.logGbPerGroup} GB a month and keeps it for its retention period (stored uncompressed: an upper bound)`,
        `each VPC flow log delivers ${a.flowLogGb} GB a month (vended-log price), stored in its log group for its retention period`,
        `database backups use ${a.dbBackupGbBeyondFree} GB beyond the free amount (100 % of provisioned storage)`,
        "data transfer (internet egress, cross-AZ) and API requests are not priced",
        "usage-based charges are not priced: Cloud Map service registrations and DNS queries, Container Insights metrics and performance logs, KMS, Secrets Manager, SNS and EventBridge requests",
        ...unconfirmed.map((u) => `unconfirmed price, kept as written (no published source confirmed it; check before budgeting): ${u}`),
    ];
}

function pct(f: number): string {
    return `${Math.round(f * 100)} %`;
}
