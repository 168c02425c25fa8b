/**
 * Reads AWS Price List offer files (the Bulk API's per-service, per-region JSON) and picks out the
 * figures of the price table. The documented format (AWS Billing user guide, "Reading the service
 * price list file for an AWS service"): `{ formatVersion, offerCode, version, publicationDate,
 * products: { <sku>: { sku, productFamily, attributes: { usagetype, location, regionCode, … } } },
 * terms: { OnDemand: { <sku>: { <sku>.<offerTermCode>: { priceDimensions: { <rateCode>: { unit,
 * beginRange, endRange, pricePerUnit: { USD } } } } } } } }`.
 *
 * Each figure of the table is found by its service (offer code) and usage type (a region prefix such
 * as `EUW2-`, none in us-east-1) plus, where one usage type has several products, attribute filters;
 * the first tier of a tiered price (beginRange 0) is the one the table holds. A figure whose
 * products disagree is reported, never guessed.
 */
import { z } from "zod";

/** An offer file, as far as the refresh reads it; anything else in it is ignored. */
const OFFER_FILE = z.object({
    offerCode: z.string(),
    version: z.string().optional(),
    publicationDate: z.string(),
    products: z.record(
        z.string(),
        z.object({ sku: z.string(), productFamily: z.string().optional(), attributes: z.record(z.string(), z.string()) }),
    ),
    terms: z.object({
        OnDemand: z.record(
            z.string(),
            z.record(
                z.string(),
                z.object({
                    priceDimensions: z.record(
                        z.string(),
                        z.object({
                            unit: z.string().optional(),
                            description: z.string().optional(),
                            beginRange: z.string().optional(),
                            startingRange: z.string().optional(),
                            pricePerUnit: z.record(z.string(), z.string()),
                        }),
                    ),
                }),
            ),
        ),
    }),
});

export type OfferFile = z.output<typeof OFFER_FILE>;

/** An offer file that is not one: the file and the first problem. */
export class OfferFileError extends Error {}

/** Validates a parsed offer file (`label` names it in the error). */
export function parseOfferFile(doc: unknown, label: string): OfferFile {
    const parsed = OFFER_FILE.safeParse(doc);
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new OfferFileError(
            `${label}: not an AWS Price List offer file (${issue.path.join(".") || "top level"}: ${issue.message}); valid: the JSON of https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<service>/current/<region>/index.json`,
        );
    }
    return parsed.data;
}

/** The usage-type prefix of a region in the offer files (us-east-1 has none). */
export const USAGE_TYPE_PREFIX: Record<string, string> = { "us-east-1": "", "eu-west-1": "EU-", "eu-west-2": "EUW2-" };

/** One figure of the table and how to find it. */
export interface OfferMapping {
    /** The figure's path in RegionPrices, e.g. "s3.standardGbMonth" or "rds.mysqlInstanceHour.db.t4g.small". */
    field: string;
    offerCode: string;
    /** The usage type without its region prefix. */
    usagetype: string;
    /** Attributes the product must also have. */
    attributes?: Record<string, string>;
    /** The usage type is prefixed by the region code (KMS: `eu-west-2-KMS-Keys`) instead of the short prefix. */
    regionCodePrefix?: boolean;
}

/** RDS for MySQL classes the table prices (the same list in every region). */
const MYSQL_CLASSES = ["db.t4g.micro", "db.t4g.small", "db.t4g.medium", "db.t4g.large", "db.m6g.large", "db.m7g.large"];

/** Every figure the refresh can read, with the usage types the table's sources name. */
export const OFFER_MAP: OfferMapping[] = [
    { field: "fargate.x86.vcpuHour", offerCode: "AmazonECS", usagetype: "Fargate-vCPU-Hours:perCPU" },
    { field: "fargate.x86.gbHour", offerCode: "AmazonECS", usagetype: "Fargate-GB-Hours" },
    { field: "fargate.arm.vcpuHour", offerCode: "AmazonECS", usagetype: "Fargate-ARM-vCPU-Hours:perCPU" },
    { field: "fargate.arm.gbHour", offerCode: "AmazonECS", usagetype: "Fargate-ARM-GB-Hours" },
    { field: "fargate.ephemeralGbHour", offerCode: "AmazonECS", usagetype: "Fargate-EphemeralStorage-GB-Hours" },
    ...MYSQL_CLASSES.map((cls) => ({
        field: `rds.mysqlInstanceHour.${cls}`,
        offerCode: "AmazonRDS",
        usagetype: `InstanceUsage:${cls}`,
        attributes: { databaseEngine: "MySQL", deploymentOption: "Single-AZ" },
    })),
    { field: "rds.gp3GbMonth", offerCode: "AmazonRDS", usagetype: "RDS:GP3-Storage" },
    { field: "rds.backupGbMonth", offerCode: "AmazonRDS", usagetype: "RDS:ChargedBackupUsage" },
    { field: "natGateway.hour", offerCode: "AmazonEC2", usagetype: "NatGateway-Hours" },
    { field: "natGateway.gbProcessed", offerCode: "AmazonEC2", usagetype: "NatGateway-Bytes" },
    { field: "publicIpv4Hour", offerCode: "AmazonVPC", usagetype: "PublicIPv4:InUseAddress" },
    { field: "alb.hour", offerCode: "AWSELB", usagetype: "LoadBalancerUsage", attributes: { productFamily: "Load Balancer-Application" } },
    { field: "alb.lcuHour", offerCode: "AWSELB", usagetype: "LCUUsage", attributes: { productFamily: "Load Balancer-Application" } },
    { field: "s3.standardGbMonth", offerCode: "AmazonS3", usagetype: "TimedStorage-ByteHrs" },
    { field: "s3.putPer1000", offerCode: "AmazonS3", usagetype: "Requests-Tier1" },
    { field: "s3.getPer1000", offerCode: "AmazonS3", usagetype: "Requests-Tier2" },
    { field: "cloudwatch.logIngestGb", offerCode: "AmazonCloudWatch", usagetype: "DataProcessing-Bytes" },
    { field: "cloudwatch.vendedLogIngestGb", offerCode: "AmazonCloudWatch", usagetype: "VendedLog-Bytes" },
    { field: "cloudwatch.logStorageGbMonth", offerCode: "AmazonCloudWatch", usagetype: "TimedStorage-ByteHrs" },
    { field: "cloudwatch.alarmMonth", offerCode: "AmazonCloudWatch", usagetype: "CW:AlarmMonitorUsage" },
    { field: "kms.keyMonth", offerCode: "awskms", usagetype: "KMS-Keys", regionCodePrefix: true },
    { field: "secretMonth", offerCode: "AWSSecretsManager", usagetype: "AWSSecretsManager-Secrets" },
    { field: "lambda.requestPerMillion", offerCode: "AWSLambda", usagetype: "Request" },
    { field: "lambda.x86GbSecond", offerCode: "AWSLambda", usagetype: "Lambda-GB-Second" },
    { field: "lambda.armGbSecond", offerCode: "AWSLambda", usagetype: "Lambda-GB-Second-ARM" },
    { field: "dynamodb.writePerMillion", offerCode: "AmazonDynamoDB", usagetype: "WriteRequestUnits" },
    { field: "dynamodb.readPerMillion", offerCode: "AmazonDynamoDB", usagetype: "ReadRequestUnits" },
];

/** How a per-unit offer price becomes the table's unit (the table keeps S3 requests per 1,000, Lambda and DynamoDB requests per million). */
const SCALE: Record<string, number> = {
    "s3.putPer1000": 1000,
    "s3.getPer1000": 1000,
    "lambda.requestPerMillion": 1e6,
    "dynamodb.writePerMillion": 1e6,
    "dynamodb.readPerMillion": 1e6,
};

/** A figure read from an offer file. */
export interface OfferPrice {
    value: number;
    offerCode: string;
    usagetype: string;
    sku: string;
    publicationDate: string;
}

/** What one refresh found, per region and field, and what it could not settle. */
export interface RefreshResult {
    prices: Record<string, Record<string, OfferPrice>>;
    /** One line per figure whose products gave different prices. */
    conflicts: string[];
    /** Regions an offer file covered, with the figures it did not hold. */
    missing: Record<string, string[]>;
}

function regionOf(attributes: Record<string, string>, usagetype: string): string | undefined {
    if (attributes.regionCode) return attributes.regionCode;
    for (const [region, prefix] of Object.entries(USAGE_TYPE_PREFIX)) if (prefix && usagetype.startsWith(prefix)) return region;
    if (usagetype.startsWith("eu-west-2-")) return "eu-west-2";
    return undefined;
}

/** The first-tier on-demand USD price of each product, by sku. */
function onDemandPrices(offer: OfferFile): Map<string, number> {
    const prices = new Map<string, number>();
    for (const [sku, terms] of Object.entries(offer.terms.OnDemand)) {
        for (const term of Object.values(terms)) {
            for (const dim of Object.values(term.priceDimensions)) {
                const begin = dim.beginRange ?? dim.startingRange ?? "0";
                const usd = dim.pricePerUnit.USD;
                if (begin === "0" && usd !== undefined && Number.isFinite(Number(usd))) prices.set(sku, Number(usd));
            }
        }
    }
    return prices;
}

/** Picks the table's figures out of offer files. */
export function readOfferPrices(offers: OfferFile[]): RefreshResult {
    const result: RefreshResult = { prices: {}, conflicts: [], missing: {} };
    for (const offer of offers) {
        const prices = onDemandPrices(offer);
        const regions = new Set<string>();
        for (const product of Object.values(offer.products)) {
            const region = regionOf(product.attributes, product.attributes.usagetype ?? "");
            if (region && region in USAGE_TYPE_PREFIX) regions.add(region);
        }
        for (const region of regions) {
            const found = (result.prices[region] ??= {});
            const missing: string[] = [];
            for (const m of OFFER_MAP.filter((x) => x.offerCode === offer.offerCode)) {
                const usagetype = (m.regionCodePrefix ? `${region}-` : USAGE_TYPE_PREFIX[region]) + m.usagetype;
                const hits = Object.values(offer.products).filter(
                    (p) =>
                        p.attributes.usagetype === usagetype &&
                        prices.has(p.sku) &&
                        Object.entries(m.attributes ?? {}).every(([k, v]) =>
                            k === "productFamily" ? p.productFamily === v : p.attributes[k] === v,
                        ),
                );
                const values = [...new Set(hits.map((h) => prices.get(h.sku)!))];
                if (!hits.length) missing.push(m.field);
                else if (values.length > 1)
                    result.conflicts.push(
                        `${region} ${m.field}: ${usagetype} has ${values.length} prices (${values.join(", ")}); not taken`,
                    );
                else
                    found[m.field] = {
                        value: Number((values[0] * (SCALE[m.field] ?? 1)).toPrecision(10)),
                        offerCode: offer.offerCode,
                        usagetype,
                        sku: hits[0].sku,
                        publicationDate: offer.publicationDate,
                    };
            }
            if (missing.length) result.missing[`${region} ${offer.offerCode}`] = missing;
        }
    }
    return result;
}
