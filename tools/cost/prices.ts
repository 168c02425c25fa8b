/**
 * The one price table `npm run cost` uses: AWS on-demand list prices in USD, per region, as of
 * {@link PRICES_DATE}. No price is fetched at run time (the estimate is offline, like the plan), so
 * this table is the whole truth the estimate stands on: a region not here fails closed, and a type,
 * instance class or node type not here is listed as not priced, never counted as zero.
 *
 * Where the figures come from. The authority is the AWS Price List API offer files
 * (https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<service>/current/<region>/index.json)
 * and the service pricing pages named in {@link PRICE_SOURCES}. This repository was written on a
 * machine with no network, so neither could be read here. Every figure was checked against stored
 * copies of public material on 2026-11-28, and each region says which way each figure came out:
 * - `corroborated`: the figure, and where it was read. Most eu-west-2 figures come from two public
 *   cost write-ups that quote the eu-west-2 offer files line by line (usage type and publication
 *   date of each file, September–October 2026); they were read through a search index that does not
 *   name the repository, so the entry names the offer file and usage type instead, which is where
 *   anyone refreshing this table should read the figure.
 * - `unconfirmed`: figures no published source confirmed (or one confirmed only for a neighbouring
 *   engine or region, which is said). They are kept as written, and `npm run cost` prints them among
 *   its assumptions, so nobody mistakes them for checked prices.
 * Figures a source contradicted were corrected (eu-west-2 Fargate ephemeral storage, was 0.000127).
 * To refresh: read the offer file of each service for the region, update the figures, the two
 * lists and the date.
 */

import OFFER_PRICES from "./offer-prices.json";

/** The day the figures were taken (the newest hand check; offer-file figures carry their own dates). */
export const PRICES_DATE = "2026-12-02";

/**
 * How old the table may get before `npm test` fails (test/cost-prices.test.ts): AWS changes list prices
 * a few times a year (EFS in 2023, KMS rotation in 2024, DynamoDB on-demand in 2024), so a year-old
 * table is no longer a fair estimate. Refresh it with `npm run refresh-prices -- <offer files>`.
 */
export const PRICES_MAX_AGE_DAYS = 365;

/** What is wrong with the table's age on `today`, or undefined when it is fresh enough. */
export function priceTableAgeProblem(today: Date, date = PRICES_DATE, maxDays = PRICES_MAX_AGE_DAYS): string | undefined {
    const days = Math.floor(
        (Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) - Date.parse(`${date}T00:00:00Z`)) / 86_400_000,
    );
    return days > maxDays
        ? `the price table (tools/cost/prices.ts) is dated ${date}, ${days} days before ${today.toISOString().slice(0, 10)}: older than ${maxDays} days; refresh it (npm run refresh-prices -- <offer files>) and update PRICES_DATE`
        : undefined;
}

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
    route53: "https://aws.amazon.com/route53/pricing/",
    backup: "https://aws.amazon.com/backup/pricing/",
    dataTransfer: "https://aws.amazon.com/ec2/pricing/on-demand/#Data_Transfer",
    cloudMap: "https://aws.amazon.com/cloud-map/pricing/",
    ecr: "https://aws.amazon.com/ecr/pricing/",
    lambda: "https://aws.amazon.com/lambda/pricing/",
    sqs: "https://aws.amazon.com/sqs/pricing/",
    dynamodb: "https://aws.amazon.com/dynamodb/pricing/on-demand/",
    scheduler: "https://aws.amazon.com/eventbridge/pricing/",
    waf: "https://aws.amazon.com/waf/pricing/",
    cognito: "https://aws.amazon.com/cognito/pricing/",
} as const;

/** Prices of one region. Hourly figures are per hour, monthly ones per month. */
export interface RegionPrices {
    /** The figures a published source confirmed for this region, each with where it was read. */
    corroborated: string[];
    /** The figures no published source confirmed, kept as written; printed with the estimate's assumptions. */
    unconfirmed: string[];
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
    efs: {
        /** Standard storage (Regional), per GB-month. */
        standardGbMonth: number;
        /** Infrequent Access storage, per GB-month (files the lifecycle policy moved). */
        iaGbMonth: number;
        /** Elastic throughput: per GB read and per GB written (every storage class). */
        elasticReadGb: number;
        elasticWriteGb: number;
    };
    s3: {
        /** S3 Standard, first 50 TB, per GB-month. */
        standardGbMonth: number;
        /** S3 Standard-IA and Glacier Instant Retrieval, per GB-month. */
        standardIaGbMonth: number;
        glacierIrGbMonth: number;
        /** Per GB read back from Standard-IA and from Glacier Instant Retrieval. */
        standardIaRetrievalGb: number;
        glacierIrRetrievalGb: number;
        /** S3 Intelligent-Tiering's automatic tiers, per GB-month, and its monitoring per 1,000 objects a month. */
        intelligentTiering: {
            frequentGbMonth: number;
            infrequentGbMonth: number;
            archiveInstantGbMonth: number;
            monitoringPer1000: number;
        };
        /** PUT/COPY/POST/LIST per 1,000 requests, and GET per 1,000 (S3 Standard). */
        putPer1000: number;
        getPer1000: number;
    };
    /** Data transfer out of this region to another AWS region, per GB (S3 replication bills this). */
    interRegionTransferGb: number;
    /** AWS Backup storage per GB-month: EFS warm backups and S3 backups (RDS snapshots bill at rds.backupGbMonth). */
    backup: { efsWarmGbMonth: number; s3GbMonth: number };
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
        /** A custom metric per month (first 10,000 metrics). */
        customMetricMonth: number;
    };
    kms: {
        /** A customer-managed key per month. */
        keyMonth: number;
        /** Each rotation of a key adds this a month, for the first `rotationsCharged` rotations only. */
        rotationMonth: number;
        rotationsCharged: number;
    };
    secretMonth: number;
    /** An instance registered in AWS Cloud Map (one per running task of a discovered service), per month. */
    cloudMapInstanceMonth: number;
    /** ECR private repository storage (the pull-through cache's images), per GB-month. */
    ecrStorageGbMonth: number;
    lambda: { requestPerMillion: number; x86GbSecond: number; armGbSecond: number };
    sqs: { standardPerMillion: number; fifoPerMillion: number };
    /** DynamoDB on demand, Standard table class. */
    dynamodb: { writePerMillion: number; readPerMillion: number; storageGbMonth: number; pitrGbMonth: number };
    /** EventBridge Scheduler invocations, per million (after the account's free 14 million a month). */
    schedulerPerMillion: number;
    waf: { aclMonth: number; ruleMonth: number; requestsPerMillion: number };
    /** Cognito user pools, per monthly active user, by feature plan. */
    cognito: { LITE: number; ESSENTIALS: number; PLUS: number };
    /** A Route 53 hosted zone (the private zone of a Cloud Map DNS namespace), per month, first 25 zones. */
    route53HostedZoneMonth: number;
}

/** The offer file of a service for a region (the figure's authority). */
const offer = (service: string, region: string) =>
    `https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/${service}/current/${region}/index.json`;

/** How the eu-west-2 offer-file figures were read (see the header). */
const VIA_EUW2 =
    "as quoted line by line in a public cost write-up that read the eu-west-2 offer files (published 2026-09-11 to 2026-10-06)";

/**
 * Route 53 is a global service: one hosted-zone price for every region. Read in the global
 * AmazonRoute53 offer file (usage type HostedZone, published 2026-09-11) as quoted in the same
 * write-up, and seen as a $0.50 `HostedZone` line for one zone on a public eu-west-1 bill. AWS Cloud
 * Map creates that private hosted zone for a namespace whose instances are found by DNS queries in a
 * VPC: https://docs.aws.amazon.com/cloud-map/latest/dg/namespaces-values.html
 */
const ROUTE53_HOSTED_ZONE = {
    price: 0.5,
    source: "Route 53 $0.5 per hosted zone-month (first 25 zones; global): https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonRoute53/current/index.json usage type HostedZone, as quoted in the eu-west-2 cost write-up; a $0.50 HostedZone line for one zone on a public eu-west-1 bill",
};

/**
 * CloudWatch dashboards are priced account-wide, not per region: the AmazonCloudWatch catalogue
 * lists DashboardsUsageHour at location "Any" at $3 per dashboard-month (observed by a public price
 * collector's notes), and the eu-west-2 offer file has no dashboard line.
 */
const DASHBOARD_SOURCE =
    "CloudWatch dashboard $3 a month: account-global AmazonCloudWatch product (location Any, usage type DashboardsUsageHour), as recorded by a public price collector reading the Price List API; absent from the eu-west-2 offer file, as the eu-west-2 write-up notes";

/**
 * Figures read on 2026-12-02 for the usage-driven lines (issue 21). Where a source gave only the
 * us-east-1 figure, the other regions use it too and say so among their unconfirmed figures, so a
 * reader knows which London and Ireland figures are proxies.
 */
const SOURCES_2026_12 = {
    efsUsEast1:
        "EFS (us-east-1, Regional with Elastic throughput) Standard $0.30, Infrequent Access $0.016 per GB-month, Elastic reads $0.03 and writes $0.06 per GB, backup warm $0.05 per GB-month: the EFS pricing page as transcribed in blog.gslin.org (EFS Archive launch, 2023-11) and, for Standard and Elastic throughput, factualminds.com's EFS pricing guide (2026-06)",
    efsEuWest1Throughput:
        "EFS Elastic throughput in eu-west-1 $0.03 per GB read and $0.07 per GB written: AWS re:Post article 'How do I estimate Elastic Throughput mode costs for Amazon EFS' (repost.aws/articles/ARLxw4PqmeQK6VVrpGL4-jzA)",
    backupS3:
        "AWS Backup for S3: objects smaller than 128 KB are billed as 128 KB, every version and delete marker is backed up, and GET/LIST requests and EventBridge events are billed on top: https://aws.amazon.com/backup/pricing/ (footnote ***) and AWS re:Post 'How do I reduce costs for Amazon S3 backups in AWS Backup?'",
    interRegion:
        "inter-region data transfer $0.02 per GB: AWS re:Post 'Cost effective methods for accessing S3 buckets cross-region' (prices verified 2026-01, between US regions) and oneuptime.com (2026-02: '$0.02 per GB in most cases')",
    kmsRotation:
        "KMS rotation: each rotation adds $1 a month for the first and second rotation only (\"a new limit on the price of all symmetric keys that have had two or more rotations\"): AWS Security Blog 'The curious case of faster AWS KMS symmetric key rotation' (2024-04), canglad.com's update of 2024-04-12",
    waf: "AWS WAF $5 per web ACL-month, $1 per rule-month (a managed rule group counts as one rule), $0.60 per million requests, \"consistent across all AWS Regions\": AWS Networking & Content Delivery blog 'Cost-effective ways for securing your web applications using AWS WAF', c3x.dev 'AWS WAF cost explained'",
    lambdaUsEast1:
        "Lambda (us-east-1) $0.20 per million requests, $0.0000166667 per GB-second x86 and $0.0000133334 Arm (first tier): cloudchipr.com 'AWS Lambda pricing breakdown', the AWS Compute blog on tiered pricing",
    dynamodbUsEast1:
        "DynamoDB on demand (us-east-1) $0.625 per million write and $0.125 per million read request units (after the 2024-11 cut): airbyte.com 'Amazon DynamoDB pricing' (2025-07)",
    scheduler:
        "EventBridge Scheduler $1.00 per million invocations after 14 million free a month (account-wide): cloudburn.io 'Amazon EventBridge pricing' (2026-03, 'consistent across most commercial regions'); the free allowance is not subtracted here, as for every other free tier",
    ecrUsEast1: "ECR storage $0.10 per GB-month (us-east-1): cloudburn.io 'Amazon ECR pricing' (2026-03), factualminds.com",
    intUsEast2:
        "S3 Intelligent-Tiering Frequent Access $0.023 per GB-month (the S3 Standard figure) and monitoring $0.0025 per 1,000 objects (objects over 128 KB): my.globalxperts.net's S3 storage-class summary, priced for us-east-2 (same S3 Standard figure as us-east-1)",
};

/** Usage-driven figures no published source confirmed for any region here (kept as written). */
const UNCONFIRMED_EVERYWHERE = [
    "S3 Standard-IA $0.0125 and Glacier Instant Retrieval $0.004 per GB-month, retrievals $0.01 and $0.03 per GB (retrievals seen for eu-central-1 at blog.pesky.moe), Intelligent-Tiering Infrequent $0.0125 and Archive Instant $0.004 per GB-month, PUT $0.005 and GET $0.0004 per 1,000 requests: the us-east-1 figures, no source found",
    "AWS Backup for S3 $0.05 per GB-month: the EFS warm-backup figure; no S3-specific figure found",
    "CloudWatch custom metrics $0.30 per metric-month (first 10,000): no figure found",
    "AWS Cloud Map $0.10 per registered instance-month: no figure found",
    "SQS $0.40 (standard) and $0.50 (FIFO) per million requests, DynamoDB storage $0.25 and point-in-time recovery $0.20 per GB-month: no figure found",
    "Cognito user pools per monthly active user: Lite $0.0055, Essentials $0.015, Plus $0.02 (free allowance of the account not subtracted); no figure found",
];

/** The usage-driven figures that are the same in every priced region. */
const GLOBAL_USAGE_FIGURES = {
    kms: { keyMonth: 1, rotationMonth: 1, rotationsCharged: 2 },
    waf: { aclMonth: 5, ruleMonth: 1, requestsPerMillion: 0.6 },
    schedulerPerMillion: 1,
    cloudMapInstanceMonth: 0.1,
    sqs: { standardPerMillion: 0.4, fifoPerMillion: 0.5 },
    cognito: { LITE: 0.0055, ESSENTIALS: 0.015, PLUS: 0.02 },
};

/** S3 classes and requests at the us-east-1 figures (see UNCONFIRMED_EVERYWHERE), with the region's own Standard price. */
function s3Prices(standardGbMonth: number): RegionPrices["s3"] {
    return {
        standardGbMonth,
        standardIaGbMonth: 0.0125,
        glacierIrGbMonth: 0.004,
        standardIaRetrievalGb: 0.01,
        glacierIrRetrievalGb: 0.03,
        intelligentTiering: {
            frequentGbMonth: standardGbMonth,
            infrequentGbMonth: 0.0125,
            archiveInstantGbMonth: 0.004,
            monitoringPer1000: 0.0025,
        },
        putPer1000: 0.005,
        getPer1000: 0.0004,
    };
}

/** The regions the stacks may use, priced by hand (offer-file figures are applied over them below). */
const HAND_PRICES: Record<string, RegionPrices> = {
    "eu-west-2": {
        corroborated: [
            `Fargate Linux/x86 $0.04656 per vCPU-hour and $0.00511 per GB-hour: github.com/theuves/fgcalc src/utils/data.js (transcribed from the AWS Fargate pricing page), and ${offer("AmazonECS", "eu-west-2")} EUW2-Fargate-vCPU-Hours:perCPU, EUW2-Fargate-GB-Hours, ${VIA_EUW2}`,
            `Fargate Linux/ARM $0.03725 per vCPU-hour and $0.00409 per GB-hour, ephemeral storage $0.000129 per GB-hour (the table had $0.000127: corrected): ${offer("AmazonECS", "eu-west-2")} EUW2-Fargate-ARM-*, EUW2-Fargate-EphemeralStorage-GB-Hours, ${VIA_EUW2}`,
            `RDS gp3 storage $0.133 per GB-month, backup storage beyond the free amount $0.1 per GB-month: ${offer("AmazonRDS", "eu-west-2")} EUW2-RDS:GP3-Storage, EUW2-RDS:ChargedBackupUsage, ${VIA_EUW2}; the same two figures in a second public write-up citing the offer file's SKUs (read 2026-09-18)`,
            `NAT gateway $0.05 per hour and $0.05 per GB processed: ${offer("AmazonEC2", "eu-west-2")} EUW2-NatGateway-Hours, EUW2-NatGateway-Bytes (published 2026-09-25), quoted in two public write-ups`,
            `public IPv4 address $0.005 per hour: ${offer("AmazonVPC", "eu-west-2")} EUW2-PublicIPv4:InUseAddress (published 2026-09-17), quoted in two public write-ups`,
            `ALB $0.02646 per hour and $0.0084 per LCU-hour: ${offer("AWSELB", "eu-west-2")} EUW2-LoadBalancerUsage (Application), EUW2-LCUUsage (published 2026-09-11), quoted in two public write-ups`,
            `S3 Standard $0.024 per GB-month (first 50 TB): ${offer("AmazonS3", "eu-west-2")} EUW2-TimedStorage-ByteHrs, ${VIA_EUW2}`,
            `CloudWatch Logs $0.5985 per GB ingested, $0.0315 per GB-month stored, standard alarm $0.1 per alarm-month: ${offer("AmazonCloudWatch", "eu-west-2")} EUW2-DataProcessing-Bytes, EUW2-TimedStorage-ByteHrs, EUW2-CW:AlarmMonitorUsage, ${VIA_EUW2}`,
            `CloudWatch vended logs (VPC flow logs) $0.5985 per GB ingested, first 10 TB: ${offer("AmazonCloudWatch", "eu-west-2")} EUW2-VendedLog-Bytes (published 2026-09-22), quoted in a public cost write-up`,
            DASHBOARD_SOURCE,
            `KMS customer-managed key $1 per key-month: ${offer("awskms", "eu-west-2")} eu-west-2-KMS-Keys, ${VIA_EUW2}`,
            `Secrets Manager $0.4 per secret-month: ${offer("AWSSecretsManager", "eu-west-2")} EUW2-AWSSecretsManager-Secrets, ${VIA_EUW2}`,
            ROUTE53_HOSTED_ZONE.source,
            SOURCES_2026_12.kmsRotation,
            SOURCES_2026_12.waf,
            SOURCES_2026_12.scheduler,
            SOURCES_2026_12.backupS3,
        ],
        unconfirmed: [
            ...UNCONFIRMED_EVERYWHERE,
            "EFS Infrequent Access $0.016 per GB-month and backup $0.05 per GB-month: the us-east-1 figures; Elastic throughput $0.03 read, $0.07 written per GB: the eu-west-1 figures; no eu-west-2 figure found",
            "inter-region transfer $0.02 per GB to eu-west-1: the figure quoted between US regions; no eu-west-2 figure found",
            "Lambda, DynamoDB request units, ECR storage: the us-east-1 figures; no eu-west-2 figure found",
            "RDS for MySQL instance-hours (db.t4g.micro $0.018, db.t4g.small $0.036, db.t4g.medium $0.072, db.t4g.large $0.144, db.m6g.large $0.178, db.m7g.large $0.196): no MySQL line of the eu-west-2 offer file was found; the write-up quotes RDS for PostgreSQL at $0.018 (db.t4g.micro) and $0.036 (db.t4g.small), the same as the MySQL figures here",
            "EFS Standard $0.33 per GB-month: no eu-west-2 figure found",
        ],
        fargate: { x86: { vcpuHour: 0.04656, gbHour: 0.00511 }, arm: { vcpuHour: 0.03725, gbHour: 0.00409 }, ephemeralGbHour: 0.000129 },
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
        efs: { standardGbMonth: 0.33, iaGbMonth: 0.016, elasticReadGb: 0.03, elasticWriteGb: 0.07 },
        s3: s3Prices(0.024),
        interRegionTransferGb: 0.02,
        backup: { efsWarmGbMonth: 0.05, s3GbMonth: 0.05 },
        elasticacheNodeHour: {},
        opensearch: { instanceHour: {}, ebsGbMonth: {} },
        cloudwatch: {
            logIngestGb: 0.5985,
            vendedLogIngestGb: 0.5985,
            logStorageGbMonth: 0.0315,
            alarmMonth: 0.1,
            dashboardMonth: 3,
            customMetricMonth: 0.3,
        },
        secretMonth: 0.4,
        route53HostedZoneMonth: ROUTE53_HOSTED_ZONE.price,
        ecrStorageGbMonth: 0.1,
        lambda: { requestPerMillion: 0.2, x86GbSecond: 0.0000166667, armGbSecond: 0.0000133334 },
        dynamodb: { writePerMillion: 0.625, readPerMillion: 0.125, storageGbMonth: 0.25, pitrGbMonth: 0.2 },
        ...GLOBAL_USAGE_FIGURES,
    },
    "eu-west-1": {
        corroborated: [
            "Fargate Linux/x86 $0.04048 per vCPU-hour and $0.004445 per GB-hour: github.com/theuves/fgcalc src/utils/data.js (transcribed from the AWS Fargate pricing page)",
            `NAT gateway $0.048 per GB processed: ${offer("AmazonEC2", "eu-west-1")} EU-NatGateway-Bytes, as copied into a public repository's test as "real AWS Bulk Price List rows" (retrieved 2026-10-02)`,
            `ALB $0.008 per LCU-hour: ${offer("AWSELB", "eu-west-1")} EU-LCUUsage (offer 20260911124544), as copied into the same test as a real row`,
            DASHBOARD_SOURCE,
            ROUTE53_HOSTED_ZONE.source,
            SOURCES_2026_12.efsEuWest1Throughput,
            SOURCES_2026_12.kmsRotation,
            SOURCES_2026_12.waf,
            SOURCES_2026_12.scheduler,
            SOURCES_2026_12.backupS3,
        ],
        unconfirmed: [
            ...UNCONFIRMED_EVERYWHERE,
            "EFS Infrequent Access $0.016 per GB-month and backup $0.05 per GB-month: the us-east-1 figures; no eu-west-1 figure found",
            "inter-region transfer $0.02 per GB: the figure quoted between US regions; no eu-west-1 figure found",
            "Lambda, DynamoDB request units, ECR storage: the us-east-1 figures; no eu-west-1 figure found",
            "Fargate Linux/ARM $0.03238 per vCPU-hour and $0.00356 per GB-hour, ephemeral storage $0.000111 per GB-hour: no eu-west-1 figure found (they equal the us-east-1 figures)",
            "RDS for MySQL instance-hours (db.t4g.micro $0.017, db.t4g.small $0.034, db.t4g.medium $0.068, db.t4g.large $0.136, db.m6g.large $0.17, db.m7g.large $0.188), gp3 $0.127 per GB-month, backup $0.095 per GB-month: no eu-west-1 figure found",
            "NAT gateway $0.048 per hour: no eu-west-1 figure found (only the per-GB figure)",
            "ALB $0.0252 per hour: only a third-party calculator page lists it (cal53.calculator.city/aws-alb-cost-calculator/); a public test fixture has $0.025",
            "public IPv4 $0.005 per hour, EFS Standard $0.33 and S3 Standard $0.023 per GB-month: no eu-west-1 figure found",
            "CloudWatch Logs $0.57 per GB ingested (custom and vended), $0.03 per GB-month stored, alarm $0.1 a month: no eu-west-1 figure found",
            "KMS $1 per key-month, Secrets Manager $0.4 per secret-month: no eu-west-1 figure found",
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
        efs: { standardGbMonth: 0.33, iaGbMonth: 0.016, elasticReadGb: 0.03, elasticWriteGb: 0.07 },
        s3: s3Prices(0.023),
        interRegionTransferGb: 0.02,
        backup: { efsWarmGbMonth: 0.05, s3GbMonth: 0.05 },
        elasticacheNodeHour: {},
        opensearch: { instanceHour: {}, ebsGbMonth: {} },
        cloudwatch: {
            logIngestGb: 0.57,
            vendedLogIngestGb: 0.57,
            logStorageGbMonth: 0.03,
            alarmMonth: 0.1,
            dashboardMonth: 3,
            customMetricMonth: 0.3,
        },
        secretMonth: 0.4,
        route53HostedZoneMonth: ROUTE53_HOSTED_ZONE.price,
        ecrStorageGbMonth: 0.1,
        lambda: { requestPerMillion: 0.2, x86GbSecond: 0.0000166667, armGbSecond: 0.0000133334 },
        dynamodb: { writePerMillion: 0.625, readPerMillion: 0.125, storageGbMonth: 0.25, pitrGbMonth: 0.2 },
        ...GLOBAL_USAGE_FIGURES,
    },
    "us-east-1": {
        corroborated: [
            "Fargate Linux/x86 $0.04048 per vCPU-hour, $0.004445 per GB-hour, Linux/ARM $0.03238 and $0.00356, ephemeral storage $0.000111 per GB-hour: vantage.sh/blog/fargate-pricing",
            "NAT gateway $0.045 per hour and $0.045 per GB processed, public IPv4 $0.005 per hour: cloudburn.io/blog/aws-nat-gateway-pricing",
            "ALB $0.0225 per hour and $0.008 per LCU-hour: awsnegotiations.com/elastic-load-balancer-cost.html, and the worked example on https://aws.amazon.com/elasticloadbalancing/pricing/ (as transcribed in github.com/api-evangelist/amazon-elastic-load-balancing plans/amazon-elastic-load-balancing-plans-pricing.yml, read 2026-09-20)",
            "RDS gp3 storage $0.115 per GB-month, backup storage beyond the free amount $0.095 per GB-month: usage.ai/blogs/aws/reserved-instances/rds/pricing-calculator/",
            "EFS Standard $0.3 per GB-month: cloudburn.io/blog/amazon-efs-pricing (us-east-1), and the worked example on http://aws.amazon.com/efs/pricing/",
            "S3 Standard $0.023 per GB-month: github.com/srdjanrist/get-infra-done references/cost-rules.md (us-east-1 on-demand reference)",
            "CloudWatch Logs $0.5 per GB ingested and $0.03 per GB-month stored: hykell.com/knowledge-base/aws-cloudwatch-logs-pricing (us-east-1)",
            DASHBOARD_SOURCE,
            ROUTE53_HOSTED_ZONE.source,
            SOURCES_2026_12.efsUsEast1,
            SOURCES_2026_12.intUsEast2,
            SOURCES_2026_12.interRegion,
            SOURCES_2026_12.kmsRotation,
            SOURCES_2026_12.waf,
            SOURCES_2026_12.lambdaUsEast1,
            SOURCES_2026_12.dynamodbUsEast1,
            SOURCES_2026_12.scheduler,
            SOURCES_2026_12.ecrUsEast1,
            SOURCES_2026_12.backupS3,
        ],
        unconfirmed: [
            ...UNCONFIRMED_EVERYWHERE,
            "RDS for MySQL instance-hours (db.t4g.micro $0.016, db.t4g.small $0.032, db.t4g.medium $0.065, db.t4g.large $0.129, db.m6g.large $0.152, db.m7g.large $0.168): not confirmed for us-east-1; the same six MySQL figures are given for us-west-2 as of 2024-02-02 in github.com/hashicorp/terraform-provider-aws (internal/service/rds instance-class test list), and infratally.com/articles/aws-rds-pricing-explained-2026.html gives RDS for PostgreSQL db.t4g.micro/small/medium in us-east-1 at $0.016/$0.032/$0.065; usage.ai's MySQL guide says db.t4g.large $0.073, which contradicts both and was not taken",
            "ElastiCache node-hours (cache.t4g.micro $0.016, cache.t4g.small $0.032, cache.t4g.medium $0.065): only a public test fixture has cache.t4g.micro at $0.016",
            "OpenSearch t3.small.search $0.036 and t3.medium.search $0.073 per hour, gp2 EBS $0.135 per GB-month: no figure found",
            "CloudWatch vended-log ingestion $0.5 per GB and standard alarm $0.1 a month: no us-east-1 figure found",
            "KMS $1 per key-month, Secrets Manager $0.4 per secret-month: no us-east-1 figure found",
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
        efs: { standardGbMonth: 0.3, iaGbMonth: 0.016, elasticReadGb: 0.03, elasticWriteGb: 0.06 },
        s3: s3Prices(0.023),
        interRegionTransferGb: 0.02,
        backup: { efsWarmGbMonth: 0.05, s3GbMonth: 0.05 },
        elasticacheNodeHour: { "cache.t4g.micro": 0.016, "cache.t4g.small": 0.032, "cache.t4g.medium": 0.065 },
        opensearch: {
            instanceHour: { "t3.small.search": 0.036, "t3.medium.search": 0.073 },
            ebsGbMonth: { gp2: 0.135 },
        },
        cloudwatch: {
            logIngestGb: 0.5,
            vendedLogIngestGb: 0.5,
            logStorageGbMonth: 0.03,
            alarmMonth: 0.1,
            dashboardMonth: 3,
            customMetricMonth: 0.3,
        },
        secretMonth: 0.4,
        route53HostedZoneMonth: ROUTE53_HOSTED_ZONE.price,
        ecrStorageGbMonth: 0.1,
        lambda: { requestPerMillion: 0.2, x86GbSecond: 0.0000166667, armGbSecond: 0.0000133334 },
        dynamodb: { writePerMillion: 0.625, readPerMillion: 0.125, storageGbMonth: 0.25, pitrGbMonth: 0.2 },
        ...GLOBAL_USAGE_FIGURES,
    },
};

/** A figure read from an offer file by `npm run refresh-prices` (tools/cost/offers.ts). */
export interface OfferPriceEntry {
    value: number;
    offerCode: string;
    usagetype: string;
    sku: string;
    publicationDate: string;
}

/** tools/cost/offer-prices.json: what the last refresh read, by region and field path. */
export interface OfferPricesFile {
    /** When the refresh ran (null: never). */
    date: string | null;
    files: { offerCode: string; publicationDate: string; version?: string }[];
    regions: Record<string, Record<string, OfferPriceEntry>>;
}

/** Sets a figure by its path; a key that itself holds dots (an instance class) is matched whole. */
function setPath(target: Record<string, unknown>, path: string, value: number): boolean {
    let node: Record<string, unknown> = target;
    const parts = path.split(".");
    while (parts.length > 1 && !(parts.join(".") in node)) {
        const next = node[parts.shift()!];
        if (!next || typeof next !== "object") return false;
        node = next as Record<string, unknown>;
    }
    const key = parts.join(".");
    if (!(key in node) || typeof node[key] !== "number") return false;
    node[key] = value;
    return true;
}

/**
 * The hand table with every offer-file figure applied over it: each applied figure is listed among
 * the region's confirmed figures with its offer file, usage type, SKU and publication date. A path
 * the table does not have is ignored (the refresh never adds figures the pricers do not read).
 */
export function applyOfferPrices(table: Record<string, RegionPrices>, file: OfferPricesFile): Record<string, RegionPrices> {
    const out: Record<string, RegionPrices> = structuredClone(table);
    for (const [region, figures] of Object.entries(file.regions)) {
        const prices = out[region];
        if (!prices) continue;
        for (const [path, f] of Object.entries(figures)) {
            if (setPath(prices as unknown as Record<string, unknown>, path, f.value))
                prices.corroborated.push(
                    `${path} $${f.value}: ${offer(f.offerCode, region)} ${f.usagetype} (SKU ${f.sku}, published ${f.publicationDate}), read by npm run refresh-prices`,
                );
        }
    }
    return out;
}

/** The regions the stacks may use, priced: the hand table and the last refresh's offer-file figures. */
export const PRICES: Record<string, RegionPrices> = applyOfferPrices(HAND_PRICES, OFFER_PRICES as OfferPricesFile);

/** The priced regions, sorted. */
export function pricedRegions(): string[] {
    return Object.keys(PRICES).sort();
}
