/**
 * The one price table `npm run cost` uses: AWS on-demand list prices in USD, per region, as of
 * {@link PRICES_DATE}. No price is fetched at run time (the estimate is offline, like the plan), so
 * this table is the whole truth the estimate stands on: a region not here fails closed, and a type,
 * instance class or node type not here is listed as not priced, never counted as zero.
 *
 * Where the figures come from. The authority is the AWS Price List API offer files
 * (https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<service>/current/<region>/index.json)
 * and the service pricing pages named in {@link PRICE_SOURCES}. This repository was written on a
 * machine with no network, so the offer files could not be read here; what a stored copy of a
 * public page confirmed is named per region in `corroborated`, with the page it was read from. Every
 * other figure is AWS's published list price for that region as we knew it on {@link PRICES_DATE}
 * and is to be checked against the offer file before the estimate is relied on for a budget. To
 * refresh: read the offer file of each service for the region and update the figures and the date.
 */

/** The day the figures were taken. */
export const PRICES_DATE = "2026-11-28";

export const CURRENCY = "USD";

/** The AWS pages each group of figures is published on (the same page serves every region). */
export const PRICE_SOURCES = {
    fargate: "https://aws.amazon.com/fargate/pricing/",
    rds: "https://aws.amazon.com/rds/mysql/pricing/",
    natGateway: "https://aws.amazon.com/vpc/pricing/",
    publicIpv4: "https://aws.amazon.com/vpc/pricing/",
    alb: "https://aws.amazon.com/elasticloadbalancing/pricing/",
    efs: "https://aws.amazon.com/efs/pricing/",
    s3: "https://aws.amazon.com/s3/pricing/",
    elasticache: "https://aws.amazon.com/elasticache/pricing/",
    opensearch: "https://aws.amazon.com/opensearch-service/pricing/",
    cloudwatch: "https://aws.amazon.com/cloudwatch/pricing/",
    kms: "https://aws.amazon.com/kms/pricing/",
    secretsManager: "https://aws.amazon.com/secrets-manager/pricing/",
} as const;

/** Prices of one region. Hourly figures are per hour, monthly ones per month. */
export interface RegionPrices {
    /** What a stored copy of a public page confirmed for this region, and where. */
    corroborated: string[];
    fargate: {
        /** Linux/x86 per vCPU-hour and per GB-hour. */
        x86: { vcpuHour: number; gbHour: number };
        /** Linux/ARM (Graviton) per vCPU-hour and per GB-hour. */
        arm: { vcpuHour: number; gbHour: number };
        /** Ephemeral storage above the 20 GiB every task gets, per GB-hour. */
        ephemeralGbHour: number;
    };
    rds: {
        /** RDS for MySQL, Single-AZ, per instance-hour, by instance class. */
        mysqlInstanceHour: Record<string, number>;
        /** General Purpose gp3 storage, Single-AZ, per GB-month. */
        gp3GbMonth: number;
        /** Backup storage beyond the free amount (100 % of provisioned storage), per GB-month. */
        backupGbMonth: number;
    };
    natGateway: { hour: number; gbProcessed: number };
    /** An in-use public IPv4 address (Elastic IP, a public ALB's address in each subnet), per hour. */
    publicIpv4Hour: number;
    alb: { hour: number; lcuHour: number };
    efs: { standardGbMonth: number };
    s3: { standardGbMonth: number };
    /** ElastiCache (Redis OSS) on-demand per node-hour, by node type. */
    elasticacheNodeHour: Record<string, number>;
    opensearch: {
        /** Per instance-hour, by instance type. */
        instanceHour: Record<string, number>;
        /** EBS per GB-month, by volume type. */
        ebsGbMonth: Record<string, number>;
    };
    cloudwatch: {
        /** Custom log ingestion per GB (first tier). */
        logIngestGb: number;
        /** Vended logs (VPC flow logs to CloudWatch Logs) ingestion per GB (first tier). */
        vendedLogIngestGb: number;
        /** Archived log storage per GB-month. */
        logStorageGbMonth: number;
        /** A standard-resolution alarm per metric, per month. */
        alarmMonth: number;
        /** A dashboard per month. */
        dashboardMonth: number;
    };
    kmsKeyMonth: number;
    secretMonth: number;
}

/** The regions the stacks may use, priced. */
export const PRICES: Record<string, RegionPrices> = {
    "eu-west-2": {
        corroborated: [
            "Fargate Linux/x86 $0.04656 per vCPU-hour and $0.00511 per GB-hour: github.com/theuves/fgcalc src/utils/data.js (transcribed from the AWS Fargate pricing page)",
        ],
        fargate: { x86: { vcpuHour: 0.04656, gbHour: 0.00511 }, arm: { vcpuHour: 0.03725, gbHour: 0.00409 }, ephemeralGbHour: 0.000127 },
        rds: {
            mysqlInstanceHour: {
                "db.t4g.micro": 0.018,
                "db.t4g.small": 0.036,
                "db.t4g.medium": 0.072,
                "db.t4g.large": 0.144,
                "db.m6g.large": 0.178,
                "db.m7g.large": 0.196,
            },
            gp3GbMonth: 0.133,
            backupGbMonth: 0.1,
        },
        natGateway: { hour: 0.05, gbProcessed: 0.05 },
        publicIpv4Hour: 0.005,
        alb: { hour: 0.02646, lcuHour: 0.0084 },
        efs: { standardGbMonth: 0.33 },
        s3: { standardGbMonth: 0.024 },
        elasticacheNodeHour: {},
        opensearch: { instanceHour: {}, ebsGbMonth: {} },
        cloudwatch: { logIngestGb: 0.5985, vendedLogIngestGb: 0.5985, logStorageGbMonth: 0.0315, alarmMonth: 0.1, dashboardMonth: 3 },
        kmsKeyMonth: 1,
        secretMonth: 0.4,
    },
    "eu-west-1": {
        corroborated: [
            "Fargate Linux/x86 $0.04048 per vCPU-hour and $0.004445 per GB-hour: github.com/theuves/fgcalc src/utils/data.js (transcribed from the AWS Fargate pricing page)",
        ],
        fargate: { x86: { vcpuHour: 0.04048, gbHour: 0.004445 }, arm: { vcpuHour: 0.03238, gbHour: 0.00356 }, ephemeralGbHour: 0.000111 },
        rds: {
            mysqlInstanceHour: {
                "db.t4g.micro": 0.017,
                "db.t4g.small": 0.034,
                "db.t4g.medium": 0.068,
                "db.t4g.large": 0.136,
                "db.m6g.large": 0.17,
                "db.m7g.large": 0.188,
            },
            gp3GbMonth: 0.127,
            backupGbMonth: 0.095,
        },
        natGateway: { hour: 0.048, gbProcessed: 0.048 },
        publicIpv4Hour: 0.005,
        alb: { hour: 0.0252, lcuHour: 0.008 },
        efs: { standardGbMonth: 0.33 },
        s3: { standardGbMonth: 0.023 },
        elasticacheNodeHour: {},
        opensearch: { instanceHour: {}, ebsGbMonth: {} },
        cloudwatch: { logIngestGb: 0.57, vendedLogIngestGb: 0.57, logStorageGbMonth: 0.03, alarmMonth: 0.1, dashboardMonth: 3 },
        kmsKeyMonth: 1,
        secretMonth: 0.4,
    },
    "us-east-1": {
        corroborated: [
            "Fargate Linux/x86 $0.04048 per vCPU-hour, $0.004445 per GB-hour, Linux/ARM $0.03238 and $0.00356, ephemeral storage $0.000111 per GB-hour: vantage.sh/blog/fargate-pricing",
            "NAT gateway $0.045 per hour and $0.045 per GB processed, public IPv4 $0.005 per hour: cloudburn.io/blog/aws-nat-gateway-pricing",
            "ALB $0.0225 per hour and $0.008 per LCU-hour: awsnegotiations.com/elastic-load-balancer-cost.html",
            "RDS gp3 storage $0.115 per GB-month, backup storage beyond the free amount $0.095 per GB-month: usage.ai/blogs/aws/reserved-instances/rds/pricing-calculator/",
        ],
        fargate: { x86: { vcpuHour: 0.04048, gbHour: 0.004445 }, arm: { vcpuHour: 0.03238, gbHour: 0.00356 }, ephemeralGbHour: 0.000111 },
        rds: {
            mysqlInstanceHour: {
                "db.t4g.micro": 0.016,
                "db.t4g.small": 0.032,
                "db.t4g.medium": 0.065,
                "db.t4g.large": 0.129,
                "db.m6g.large": 0.152,
                "db.m7g.large": 0.168,
            },
            gp3GbMonth: 0.115,
            backupGbMonth: 0.095,
        },
        natGateway: { hour: 0.045, gbProcessed: 0.045 },
        publicIpv4Hour: 0.005,
        alb: { hour: 0.0225, lcuHour: 0.008 },
        efs: { standardGbMonth: 0.3 },
        s3: { standardGbMonth: 0.023 },
        elasticacheNodeHour: { "cache.t4g.micro": 0.016, "cache.t4g.small": 0.032, "cache.t4g.medium": 0.065 },
        opensearch: {
            instanceHour: { "t3.small.search": 0.036, "t3.medium.search": 0.073 },
            ebsGbMonth: { gp2: 0.135 },
        },
        cloudwatch: { logIngestGb: 0.5, vendedLogIngestGb: 0.5, logStorageGbMonth: 0.03, alarmMonth: 0.1, dashboardMonth: 3 },
        kmsKeyMonth: 1,
        secretMonth: 0.4,
    },
};

/** The priced regions, sorted. */
export function pricedRegions(): string[] {
    return Object.keys(PRICES).sort();
}
