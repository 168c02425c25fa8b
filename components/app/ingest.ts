/**
 * Ingest: hands-off transfers. A package uploaded to the transfer bucket as `<configuration>/<name>.<ext>`
 * starts exactly one Archivematica transfer per object version, its outcome is written back beside it
 * under `feedback/`, and the stack's processing configurations are installed where MCPServer reads them.
 *
 * Parts (each in components/app/ingest/):
 * - uploads.ts: the bucket's events to EventBridge, one rule to the queue (not our own feedback);
 * - queues.ts: the queue and its dead-letter queue;
 * - table.ts: the idempotency and follow-up table;
 * - lambda-function.ts: the starter (from the queue) and the monitor (on a schedule, schedule.ts),
 *   code in functions/ingest/, in the private subnets with their own security group;
 * - policies.ts: exactly what each function may do;
 * - processing-configs.ts: the installer of processing-configs/.
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ProcessingConfigs } from "../../config/processing-configs";
import { RESERVED_PROCESSING_CONFIG_NAMES } from "../../config/processing-configs";
import { LOG_RETENTION_DAYS } from "../../lib/cloudwatch-logs";
import type { Tags } from "../../lib/tags";
import type { Reachable } from "../interfaces";
import {
    DEFAULT_INGEST_TIMING,
    GRACE_PER_GIB_MINUTES,
    MONITOR_TIMEOUT_SECONDS,
    monitorMinutes,
    STARTER_TIMEOUT_SECONDS,
    type IngestTiming,
} from "../../lib/ingest-timing";
import { createLambdaFunction } from "./ingest/lambda-function";
import { monitorStatements, starterStatements, type PolicyInputs } from "./ingest/policies";
import { installProcessingConfigs } from "./ingest/processing-configs";
import { createQueues } from "./ingest/queues";
import { scheduleMonitor } from "./ingest/schedule";
import { createCallerGroup } from "./ingest/security-group";
import { createTable } from "./ingest/table";
import { routeUploads } from "./ingest/uploads";
import { failer } from "./task";

/** An app the functions call: its internal base URL and its group, which admits theirs. */
export interface IngestTarget {
    /** e.g. `http://dashboard.staging.archivematica.internal:8000` */
    url: string;
    service: Reachable;
}

export interface IngestArgs {
    /** Prefix of the account-wide names (`<prefix>-ingest…`): two stacks in one account need different prefixes. */
    prefix: string;
    region: string;
    /** The stack's environment: the metrics' `Environment` dimension. */
    environment: string;
    vpcId: pulumi.Input<string>;
    /** Private subnets of the functions. */
    subnetIds: pulumi.Input<string>[];
    /** Where packages are uploaded (and feedback written). */
    transferBucket: pulumi.Input<string>;
    /** Where AIPs are stored (the monitor reports their S3 key). */
    aipBucket: pulumi.Input<string>;
    dashboard: IngestTarget;
    storageService: IngestTarget;
    /** The administrator whose API keys the functions use (the same name in both apps). */
    adminUsername: string;
    dashboardApiKeySecretArn: pulumi.Input<string>;
    storageServiceApiKeySecretArn: pulumi.Input<string>;
    /** The processing configurations: the accepted prefixes, and the files to install. */
    processingConfigs: ProcessingConfigs;
    /** Largest package accepted (GiB): the stack's maxTransferSizeGiB. */
    maxPackageGiB: number;
    /**
     * How often the monitor runs: `rate(<n> minute[s])`.
     * @default "rate(5 minutes)"
     */
    monitorSchedule?: string;
    /**
     * Minutes a started transfer may stay jobless before it counts as never started (plus a minute per GiB).
     * @default 30
     */
    startGraceMinutes?: number;
    /**
     * The shared directory's file system and access point, where the shipped configurations go.
     * Required when `processingConfigs.files` is not empty.
     * @default none
     */
    sharedDirectory?: {
        fileSystem: Reachable & { arn: pulumi.Input<string> };
        accessPoint: { arn: pulumi.Input<string> };
        mountTargets: pulumi.Resource[];
    };
    /**
     * Protect the table from deletion (the record of what was started).
     * @default false
     */
    protect?: boolean;
    /** @default 30 */
    logRetentionDays?: number;
    /** Required tags, set on every taggable child. */
    tags: Tags;
}

// The functions' time limits and the per-GiB grace are in lib/ingest-timing.ts, beside the
// worst case they give (what the smoke test's budget is derived from).
const STARTER_MEMORY_MB = 1024;
/** The monitor's memory; one run follows up to FOLLOW_LIMIT transfers. */
const MONITOR_MEMORY_MB = 256;
const FOLLOW_LIMIT = 200;
/** At most this many starters at once, so a burst of uploads does not queue hundreds of packages on MCPServer at once. */
const STARTER_CONCURRENCY = 2;

const COMPONENT_TAGS = { ArchivematicaComponent: "ingest" };
const PREFIX = /^[A-Za-z0-9_-]{1,40}$/;
const BASE_URL = /^https?:\/\/[^/\s:]+(?::(\d{1,5}))?$/;
const MONITOR_RATE = /^rate\((1 minute|([2-9]|[1-5][0-9]|60) minutes)\)$/;

interface Normalized extends Required<Omit<IngestArgs, "sharedDirectory">> {
    sharedDirectory?: IngestArgs["sharedDirectory"];
    dashboardPort: number;
    storageServicePort: number;
}

function portOf(url: string): number {
    const match = BASE_URL.exec(url)!;
    return match[1] ? Number(match[1]) : url.startsWith("https") ? 443 : 80;
}

/** Defaults, then every check, before any child is created. */
function normalize(name: string, args: IngestArgs): Normalized {
    const fail = failer("Ingest", name);
    if (!PREFIX.test(args.prefix)) fail("prefix", `"${args.prefix}" cannot start the resource names`, "1-40 letters, digits, - or _");
    if (args.subnetIds.length === 0) fail("subnetIds", "is empty", "one or more private subnet ids");
    for (const [field, target] of [
        ["dashboard.url", args.dashboard],
        ["storageService.url", args.storageService],
    ] as const) {
        if (!BASE_URL.test(target.url)) fail(field, `"${target.url}" is not a base URL`, "http(s)://<host>[:<port>] without a path");
    }
    if (!/^[\w.@+-]{1,150}$/.test(args.adminUsername))
        fail("adminUsername", `"${args.adminUsername}" is not a user name`, "1-150 letters, digits and @.+-_");
    const names = args.processingConfigs.names;
    const reserved = names.filter((n) => (RESERVED_PROCESSING_CONFIG_NAMES as readonly string[]).includes(n));
    if (names.length === 0 || reserved.length)
        fail(
            "processingConfigs.names",
            reserved.length ? `holds ${reserved.join(", ")}` : "is empty",
            "processing configuration names other than feedback and transfers",
        );
    if (args.processingConfigs.files.length && !args.sharedDirectory)
        fail(
            "sharedDirectory",
            "is missing but there are processing configurations to install",
            "the shared directory's file system, access point and mount targets",
        );
    if (!Number.isInteger(args.maxPackageGiB) || args.maxPackageGiB < 1 || args.maxPackageGiB > 5120)
        fail("maxPackageGiB", `${args.maxPackageGiB} is out of range`, "a whole number from 1 to 5120");
    const monitorSchedule = args.monitorSchedule ?? `rate(${DEFAULT_INGEST_TIMING.monitorMinutes} minutes)`;
    if (!MONITOR_RATE.test(monitorSchedule))
        fail("monitorSchedule", `"${monitorSchedule}" is not a rate in minutes`, "rate(1 minute) or rate(<2-60> minutes)");
    const startGraceMinutes = args.startGraceMinutes ?? DEFAULT_INGEST_TIMING.startGraceMinutes;
    if (!Number.isInteger(startGraceMinutes) || startGraceMinutes < 5 || startGraceMinutes > 1440)
        fail("startGraceMinutes", `${startGraceMinutes} is out of range`, "a whole number from 5 to 1440");
    const logRetentionDays = args.logRetentionDays ?? 30;
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays))
        fail("logRetentionDays", `${logRetentionDays} is not a CloudWatch retention`, LOG_RETENTION_DAYS.join(", "));
    return {
        ...args,
        monitorSchedule,
        startGraceMinutes,
        logRetentionDays,
        protect: args.protect ?? false,
        dashboardPort: portOf(args.dashboard.url),
        storageServicePort: portOf(args.storageService.url),
    };
}

export class Ingest extends pulumi.ComponentResource {
    readonly queueName: pulumi.Output<string>;
    readonly queueUrl: pulumi.Output<string>;
    readonly deadLetterQueueName: pulumi.Output<string>;
    readonly deadLetterQueueUrl: pulumi.Output<string>;
    readonly tableName: pulumi.Output<string>;
    readonly starterFunctionName: pulumi.Output<string>;
    readonly monitorFunctionName: pulumi.Output<string>;
    readonly starterLogGroupName: pulumi.Output<string>;
    readonly monitorLogGroupName: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;
    /** The prefixes uploads may use (the accepted processing configurations). */
    readonly acceptedConfigs: string[];
    /** The grace and the monitor's pace the functions run with: what bounds the time to an outcome (lib/ingest-timing.ts). */
    readonly timing: IngestTiming;

    constructor(name: string, args: IngestArgs, opts?: pulumi.ComponentResourceOptions) {
        const a = normalize(name, args);
        super("archivematica:index:Ingest", name, {}, opts);
        const scope = { tags: a.tags, componentTags: COMPONENT_TAGS };
        const account = {
            accountId: aws.getCallerIdentityOutput({}, { parent: this }).accountId,
            partition: aws.getPartitionOutput({}, { parent: this }).partition,
        };
        const base = `${a.prefix}-ingest`;

        const { queue, deadLetters } = createQueues(name, this, {
            queueName: base,
            visibilityTimeoutSeconds: 2 * STARTER_TIMEOUT_SECONDS,
            ...scope,
        });
        routeUploads(name, this, { bucket: a.transferBucket, ruleName: `${base}-uploads`, queue, ...scope });
        const table = createTable(name, this, { tableName: base, protect: a.protect, ...scope });
        const group = this.createFunctionGroup(name, a);
        const policy: PolicyInputs = {
            partition: account.partition,
            bucket: a.transferBucket,
            configs: a.processingConfigs.names,
            tableArn: table.arn,
            secretArns: [a.dashboardApiKeySecretArn, a.storageServiceApiKeySecretArn],
        };
        const common = this.commonEnvironment(a, table);
        const functionArgs = {
            subnetIds: a.subnetIds,
            securityGroupId: group.id,
            logRetentionDays: a.logRetentionDays,
            region: a.region,
            ...scope,
        };
        const starter = createLambdaFunction(
            `${name}-starter`,
            this,
            {
                functionName: `${base}-starter`,
                description: "Archivematica hands-off ingest: starts one transfer per uploaded package",
                entry: "functions/ingest/starter.ts",
                memoryMb: STARTER_MEMORY_MB,
                timeoutSeconds: STARTER_TIMEOUT_SECONDS,
                environment: {
                    ...common,
                    MAX_PACKAGE_BYTES: String(a.maxPackageGiB * 2 ** 30),
                    CLAIM_SECONDS: String(STARTER_TIMEOUT_SECONDS + 60),
                },
                statements: starterStatements(policy, queue.arn),
                ...functionArgs,
            },
            account.accountId,
        );
        new aws.lambda.EventSourceMapping(
            `${name}-starter-from-queue`,
            {
                eventSourceArn: queue.arn,
                functionName: starter.fn.arn,
                // One message per invocation: one package's inspection never delays another's start.
                batchSize: 1,
                functionResponseTypes: ["ReportBatchItemFailures"],
                scalingConfig: { maximumConcurrency: STARTER_CONCURRENCY },
                tags: { ...a.tags, Name: `${name}-starter-from-queue` },
            },
            { parent: this },
        );
        const monitor = createLambdaFunction(
            `${name}-monitor`,
            this,
            {
                functionName: `${base}-monitor`,
                description: "Archivematica hands-off ingest: follows started transfers to their end",
                entry: "functions/ingest/monitor.ts",
                memoryMb: MONITOR_MEMORY_MB,
                timeoutSeconds: MONITOR_TIMEOUT_SECONDS,
                environment: {
                    ...common,
                    AIP_BUCKET: a.aipBucket,
                    START_GRACE_MINUTES: String(a.startGraceMinutes),
                    START_GRACE_PER_GIB_MINUTES: String(GRACE_PER_GIB_MINUTES),
                    FOLLOW_LIMIT: String(FOLLOW_LIMIT),
                },
                statements: monitorStatements(policy),
                ...functionArgs,
            },
            account.accountId,
        );
        scheduleMonitor(
            `${name}-monitor`,
            this,
            { scheduleName: `${base}-monitor`, expression: a.monitorSchedule, region: a.region, monitor: monitor.fn, ...scope },
            account,
        );
        if (a.processingConfigs.files.length) {
            const shared = a.sharedDirectory!;
            installProcessingConfigs(
                `${name}-configs`,
                this,
                {
                    functionName: `${base}-configs`,
                    files: a.processingConfigs.files,
                    vpcId: a.vpcId,
                    subnetIds: a.subnetIds,
                    fileSystem: shared.fileSystem,
                    accessPoint: shared.accessPoint,
                    mountTargets: shared.mountTargets,
                    logRetentionDays: a.logRetentionDays,
                    region: a.region,
                    ...scope,
                },
                account.accountId,
            );
        }

        this.queueName = queue.name;
        this.queueUrl = queue.url;
        this.deadLetterQueueName = deadLetters.name;
        this.deadLetterQueueUrl = deadLetters.url;
        this.tableName = table.name;
        this.starterFunctionName = starter.fn.name;
        this.monitorFunctionName = monitor.fn.name;
        this.starterLogGroupName = starter.logGroup.name;
        this.monitorLogGroupName = monitor.logGroup.name;
        this.securityGroupId = group.id;
        this.acceptedConfigs = [...a.processingConfigs.names];
        this.timing = { startGraceMinutes: a.startGraceMinutes, monitorMinutes: monitorMinutes(a.monitorSchedule) };
        this.registerOutputs({
            queueName: this.queueName,
            deadLetterQueueName: this.deadLetterQueueName,
            tableName: this.tableName,
            starterFunctionName: this.starterFunctionName,
            monitorFunctionName: this.monitorFunctionName,
        });
    }

    /** The functions' group: the two apps on their ports and HTTPS (AWS APIs); the apps admit it. */
    private createFunctionGroup(name: string, a: Normalized): aws.ec2.SecurityGroup {
        const group = createCallerGroup(`${name}-functions`, this, {
            vpcId: a.vpcId,
            description: "Archivematica ingest functions: the dashboard, the Storage Service and AWS APIs",
            egress: [
                { target: "dashboard", port: a.dashboardPort, referencedSecurityGroupId: a.dashboard.service.securityGroupId },
                {
                    target: "storage-service",
                    port: a.storageServicePort,
                    referencedSecurityGroupId: a.storageService.service.securityGroupId,
                },
                { target: "https", port: 443, cidrIpv4: "0.0.0.0/0" },
            ],
            tags: a.tags,
            componentTags: COMPONENT_TAGS,
        });
        a.dashboard.service.allowFrom(`${name}-functions`, group.id);
        a.storageService.service.allowFrom(`${name}-functions`, group.id);
        return group;
    }

    /** What both functions read (functions/ingest/core/settings.ts): names, URLs, secret ARNs, never a secret. */
    private commonEnvironment(a: Normalized, table: aws.dynamodb.Table): Record<string, pulumi.Input<string>> {
        return {
            INGEST_TABLE: table.name,
            TRANSFER_BUCKET: a.transferBucket,
            DASHBOARD_URL: a.dashboard.url,
            STORAGE_SERVICE_URL: a.storageService.url,
            API_USERNAME: a.adminUsername,
            DASHBOARD_API_KEY_SECRET_ARN: a.dashboardApiKeySecretArn,
            STORAGE_SERVICE_API_KEY_SECRET_ARN: a.storageServiceApiKeySecretArn,
            ENVIRONMENT: a.environment,
            PROCESSING_CONFIGS: a.processingConfigs.names.join(","),
        };
    }
}
