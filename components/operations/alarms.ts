/**
 * Alarms: CloudWatch alarms and EventBridge rules that tell operators about trouble before users do,
 * every one sending to the stack's topic (alarm and OK actions; rule targets with a readable message).
 *
 * - each ECS service: fewer running tasks than desired for N minutes (Container Insights);
 * - ECS deployment failures (the circuit breaker tripped) and stopped tasks of services with init
 *   containers where a container exited non-zero;
 * - RDS: CPU, free storage, freeable memory, connections against the instance class's max_connections;
 * - EFS: stored bytes and throughput utilisation; ALB: 5xx, unhealthy targets, response time;
 * - the smoke transfer: its task stopping with a non-zero exit (or failing to start).
 *
 * Thresholds come per size profile from {@link THRESHOLDS}; any of them can be overridden.
 */
import * as pulumi from "@pulumi/pulumi";
import { isMysqlInstanceClass } from "../../lib/instance-classes";
import type { Tags } from "../../lib/tags";
import { topicAlarm, topicRule, TopicScope } from "./topic-alarms";

export type SizeProfile = "small" | "large";

/** Thresholds of the alarms; see {@link THRESHOLDS} for the defaults per size profile. */
export interface AlarmThresholds {
    /** Minutes a service may run fewer tasks than desired (and a target group may have an unhealthy target). */
    runningBelowDesiredMinutes: number;
    /** RDS CPUUtilization (%), averaged over three 5-minute periods. */
    dbCpuPercent: number;
    /** RDS FreeStorageSpace (GiB) below which it alarms. */
    dbFreeStorageGiB: number;
    /** RDS FreeableMemory (MiB) below which it alarms, averaged over three 5-minute periods. */
    dbFreeMemoryMiB: number;
    /** DatabaseConnections as a share (%) of the instance class's default max_connections. */
    dbConnectionsPercent: number;
    /**
     * EFS stored bytes (all storage classes, GiB). The sharedDirectory holds transfers in flight only, so
     * a file system that keeps growing means transfers pile up (failed, or never picked up).
     */
    efsStorageGiB: number;
    /** EFS throughput utilisation (%) of the permitted throughput, over three 5-minute periods. */
    efsThroughputPercent: number;
    /** 5xx responses per 5 minutes, from the load balancer itself and from the targets (each its own alarm). */
    alb5xxPerFiveMinutes: number;
    /** p95 TargetResponseTime (seconds) over three 5-minute periods. */
    albResponseTimeSeconds: number;
}

/**
 * Defaults per size profile: staging (small) tolerates more before it wakes anybody; production
 * (large) alarms earlier and has more room (storage, memory) to lose before it does.
 */
export const THRESHOLDS: Record<SizeProfile, AlarmThresholds> = {
    small: {
        runningBelowDesiredMinutes: 15,
        dbCpuPercent: 90,
        dbFreeStorageGiB: 2,
        dbFreeMemoryMiB: 128,
        dbConnectionsPercent: 80,
        efsStorageGiB: 200,
        efsThroughputPercent: 90,
        alb5xxPerFiveMinutes: 20,
        albResponseTimeSeconds: 10,
    },
    large: {
        runningBelowDesiredMinutes: 5,
        dbCpuPercent: 80,
        dbFreeStorageGiB: 10,
        dbFreeMemoryMiB: 512,
        dbConnectionsPercent: 80,
        efsStorageGiB: 2000,
        efsThroughputPercent: 80,
        alb5xxPerFiveMinutes: 5,
        albResponseTimeSeconds: 5,
    },
};

/**
 * RDS for MySQL's default `max_connections` is `{DBInstanceClassMemory/12582880}` (RDS user guide,
 * "Maximum number of database connections"; our parameter group does not override it), capped at
 * MySQL's own maximum of 100000 (MySQL 8 reference manual, `max_connections`). DBInstanceClassMemory
 * is the class's memory less what RDS reserves for the OS and its agents, so computing it from the
 * nominal memory gives an upper bound: the percentage threshold alarms a little closer to the real limit.
 */
export const MYSQL_CONNECTION_DIVISOR = 12582880;
export const MYSQL_MAX_CONNECTIONS_CAP = 100000;

/** Nominal memory (GiB) of the burstable sizes (db.t3, db.t4g). */
const BURSTABLE_GIB: Record<string, number> = { micro: 1, small: 2, medium: 4, large: 8, xlarge: 16, "2xlarge": 32 };
/** vCPUs of the fixed-performance sizes; memory is 4 GiB per vCPU for db.m*, 8 GiB for db.r*. */
const SIZE_VCPUS: Record<string, number> = {
    large: 2,
    xlarge: 4,
    "2xlarge": 8,
    "4xlarge": 16,
    "8xlarge": 32,
    "12xlarge": 48,
    "16xlarge": 64,
    "24xlarge": 96,
    "32xlarge": 128,
    "48xlarge": 192,
};

/** Nominal memory (GiB) of an RDS for MySQL class the project allows (config/instance-classes.ts). */
export function instanceClassMemoryGiB(instanceClass: string): number {
    if (!isMysqlInstanceClass(instanceClass)) {
        throw new Error(
            `instanceClass ${JSON.stringify(instanceClass)} is not an RDS for MySQL class; valid: db.<family>.<size> such as db.t4g.small`,
        );
    }
    const [, family, size] = instanceClass.split(".");
    if (family.startsWith("t")) return BURSTABLE_GIB[size];
    return SIZE_VCPUS[size] * (family.startsWith("r") ? 8 : 4);
}

/** The default max_connections of RDS for MySQL on `instanceClass` (see {@link MYSQL_CONNECTION_DIVISOR}). */
export function mysqlMaxConnections(instanceClass: string): number {
    const bytes = instanceClassMemoryGiB(instanceClass) * 1024 ** 3;
    return Math.min(MYSQL_MAX_CONNECTIONS_CAP, Math.floor(bytes / MYSQL_CONNECTION_DIVISOR));
}

/** An ECS service to watch. */
export interface WatchedService {
    /** The ECS service's name (Container Insights' ServiceName dimension). */
    serviceName: pulumi.Input<string>;
    /** The ECS service's ARN (deployment events name the service by ARN). */
    serviceArn: pulumi.Input<string>;
    /**
     * Names of the task's non-essential init containers; with any, stopped tasks of the service where a
     * container exited non-zero are reported.
     * @default []
     */
    initContainers?: string[];
}

export interface AlarmsArgs {
    /** Required tags, set on every taggable resource. */
    tags: Tags;
    /** The topic every alarm and rule sends to (see Notifications). */
    topicArn: pulumi.Input<string>;
    /**
     * Which column of {@link THRESHOLDS} to start from.
     * @default "small"
     */
    sizeProfile?: SizeProfile;
    /**
     * Thresholds that differ from the profile's.
     * @default {} (the profile's thresholds)
     */
    thresholds?: Partial<AlarmThresholds>;
    /** The ECS cluster the services run in. */
    cluster: { name: pulumi.Input<string>; arn: pulumi.Input<string> };
    /** The services, by component name (e.g. `dashboard`); at least one. */
    services: Record<string, WatchedService>;
    /**
     * The RDS instance.
     * @default none (no database alarms)
     */
    database?: { identifier: pulumi.Input<string>; instanceClass: string };
    /**
     * The EFS file system.
     * @default none (no EFS alarms)
     */
    fileSystemId?: pulumi.Input<string>;
    /**
     * The load balancer (its ARN suffix, the CloudWatch dimension) and its target groups' ARN suffixes by name.
     * @default none (no load-balancer alarms)
     */
    loadBalancer?: { arnSuffix: pulumi.Input<string>; targetGroups: Record<string, pulumi.Input<string>> };
    /**
     * The smoke transfer's one-off task. Its failure is caught from ECS's own "task stopped" event
     * rather than from a metric the task publishes: that also catches a task that never starts (image
     * pull, secrets) or is killed before it can publish anything, and the task needs no CloudWatch
     * permission. The rule's matches are counted by EventBridge (AWS/Events TriggeredRules), and an
     * alarm on that count gives the failure a CloudWatch alarm state.
     * @default none (no smoke-transfer alarm)
     */
    smokeTest?: { taskDefinitionFamily: string; clusterArn: pulumi.Input<string> };
}

const COMPONENT_KEY = /^[a-z][a-z0-9-]{0,39}$/;
const CONTAINER_NAME = /^[A-Za-z0-9_-]{1,255}$/;
const FAMILY = /^[A-Za-z0-9_-]{1,255}$/;

/** Range each threshold must lie in. */
const THRESHOLD_RANGES: Record<keyof AlarmThresholds, { min: number; max: number; integer: boolean }> = {
    // evaluationPeriods × 60 s may not exceed one day.
    runningBelowDesiredMinutes: { min: 1, max: 1440, integer: true },
    dbCpuPercent: { min: 1, max: 100, integer: false },
    dbFreeStorageGiB: { min: 1, max: 65536, integer: false },
    dbFreeMemoryMiB: { min: 1, max: 1048576, integer: false },
    dbConnectionsPercent: { min: 1, max: 100, integer: false },
    efsStorageGiB: { min: 1, max: 8388608, integer: false },
    efsThroughputPercent: { min: 1, max: 100, integer: false },
    alb5xxPerFiveMinutes: { min: 1, max: 1000000, integer: true },
    albResponseTimeSeconds: { min: 0.001, max: 4000, integer: false },
};

/** Throws the one-line error for a bad argument. */
function fail(name: string, field: string, problem: string, valid: string): never {
    throw new Error(`Alarms "${name}": ${field} ${problem}; valid: ${valid}`);
}

/** The profile's thresholds with the overrides, validated. */
export function resolveThresholds(name: string, profile: string, overrides: Partial<AlarmThresholds> = {}): AlarmThresholds {
    if (!(profile in THRESHOLDS))
        fail(name, "sizeProfile", `${JSON.stringify(profile)} is not a size profile`, Object.keys(THRESHOLDS).join(", "));
    const merged = { ...THRESHOLDS[profile as SizeProfile] };
    for (const [key, value] of Object.entries(overrides)) {
        if (value === undefined) continue;
        const range = THRESHOLD_RANGES[key as keyof AlarmThresholds];
        if (!range) fail(name, `thresholds.${key}`, "is not a threshold", Object.keys(THRESHOLD_RANGES).join(", "));
        if (
            typeof value !== "number" ||
            !Number.isFinite(value) ||
            value < range.min ||
            value > range.max ||
            (range.integer && !Number.isInteger(value))
        ) {
            fail(
                name,
                `thresholds.${key}`,
                `${JSON.stringify(value)} is out of range`,
                `${range.integer ? "an integer" : "a number"} from ${range.min} to ${range.max}`,
            );
        }
        merged[key as keyof AlarmThresholds] = value;
    }
    return merged;
}

/** Validates everything that is known before any child is registered. */
function validate(name: string, args: AlarmsArgs): AlarmThresholds {
    const thresholds = resolveThresholds(name, args.sizeProfile ?? "small", args.thresholds);
    const keys = Object.keys(args.services);
    if (keys.length === 0) fail(name, "services", "is empty", "at least one ECS service by component name");
    for (const key of keys) {
        if (!COMPONENT_KEY.test(key))
            fail(
                name,
                "services",
                `key ${JSON.stringify(key)} is not a component name`,
                "1-40 lower-case letters, digits or -, starting with a letter",
            );
        for (const c of args.services[key].initContainers ?? []) {
            if (!CONTAINER_NAME.test(c))
                fail(
                    name,
                    `services.${key}.initContainers`,
                    `${JSON.stringify(c)} is not a container name`,
                    "1-255 letters, digits, - or _",
                );
        }
    }
    if (args.database) {
        try {
            instanceClassMemoryGiB(args.database.instanceClass);
        } catch (e) {
            fail(
                name,
                "database.instanceClass",
                (e as Error).message.replace(/^instanceClass /, "").replace(/; valid: .*$/, ""),
                "db.<family>.<size> such as db.t4g.small",
            );
        }
    }
    for (const tg of Object.keys(args.loadBalancer?.targetGroups ?? {})) {
        if (!COMPONENT_KEY.test(tg))
            fail(
                name,
                "loadBalancer.targetGroups",
                `key ${JSON.stringify(tg)} is not a name`,
                "1-40 lower-case letters, digits or -, starting with a letter",
            );
    }
    if (args.smokeTest && !FAMILY.test(args.smokeTest.taskDefinitionFamily)) {
        fail(
            name,
            "smokeTest.taskDefinitionFamily",
            `${JSON.stringify(args.smokeTest.taskDefinitionFamily)} is not a task-definition family`,
            "1-255 letters, digits, - or _",
        );
    }
    return thresholds;
}

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

/** The event pattern of an ECS service's stopped tasks with a container that exited non-zero. */
export function initFailurePattern(
    clusterArn: pulumi.Input<string>,
    serviceName: pulumi.Input<string>,
    initContainers: string[],
): pulumi.Output<string> {
    // EventBridge matches each field of an array of objects independently (any element), not element by
    // element (EventBridge user guide, "Arrays in event patterns"): this matches a stopped task that has
    // one of these init containers and some container with a non-zero exit code. The stop codes leave
    // out tasks the scheduler or a user stopped (deployments, scale-in), whose essential container exits
    // 143 on SIGTERM. ECS task state change events: AmazonECS developer guide, "Task state change events".
    return pulumi.jsonStringify({
        source: ["aws.ecs"],
        "detail-type": ["ECS Task State Change"],
        detail: {
            clusterArn: [clusterArn],
            group: [pulumi.interpolate`service:${serviceName}`],
            lastStatus: ["STOPPED"],
            stopCode: ["TaskFailedToStart", "EssentialContainerExited"],
            containers: { name: initContainers, exitCode: [{ "anything-but": 0 }] },
        },
    });
}

/** The event pattern of failed deployments of the given services. */
export function deploymentFailurePattern(serviceArns: pulumi.Input<string>[]): pulumi.Output<string> {
    // AmazonECS developer guide, "Service deployment state change events": sent with circuit breakers on.
    return pulumi.jsonStringify({
        source: ["aws.ecs"],
        "detail-type": ["ECS Deployment State Change"],
        resources: serviceArns,
        detail: { eventName: ["SERVICE_DEPLOYMENT_FAILED"] },
    });
}

/** The event pattern of a smoke-transfer task that failed: a non-zero exit, or no start at all. */
export function smokeFailurePattern(clusterArn: pulumi.Input<string>, family: string): pulumi.Output<string> {
    // A task started by RunTask (or EventBridge Scheduler) without a group is in group "family:<family>".
    return pulumi.jsonStringify({
        source: ["aws.ecs"],
        "detail-type": ["ECS Task State Change"],
        detail: {
            clusterArn: [clusterArn],
            group: [`family:${family}`],
            lastStatus: ["STOPPED"],
            $or: [{ containers: { exitCode: [{ "anything-but": 0 }] } }, { stopCode: ["TaskFailedToStart"] }],
        },
    });
}

/** An input template for an SNS target: the text as a JSON string, with <placeholders> left for EventBridge. */
function textTemplate(text: string): string {
    return JSON.stringify(text);
}

/** The stopped-task message: names the component, the service, the stop reason and where to find exit codes. */
export function initFailureTemplate(component: string, initContainers: string[]): string {
    return textTemplate(
        `Archivematica ${component}: a task of ECS service <group> stopped (<stopCode>: <reason>) with a container that exited non-zero. ` +
            `Its init containers are ${initContainers.join(", ")}. Exit code per container: ` +
            `aws ecs describe-tasks --cluster <cluster> --tasks <task> --query 'tasks[0].containers[].[name,exitCode,reason]'`,
    );
}

export const DEPLOYMENT_FAILURE_TEMPLATE = textTemplate(
    "Archivematica: ECS deployment <deployment> of service <service> failed: <reason>. The circuit breaker rolls back to the last " +
        "working task definition, if there is one. The init containers' log streams say why the tasks did not become healthy.",
);

export function smokeFailureTemplate(family: string): string {
    return textTemplate(
        `Archivematica smoke transfer (${family}) failed: task <task> stopped (<stopCode>: <reason>). Its log holds the one-line result; ` +
            `exit codes: aws ecs describe-tasks --cluster <cluster> --tasks <task> --query 'tasks[0].containers[].[name,exitCode,reason]'`,
    );
}

/** Input paths of the task state change messages. */
const TASK_PATHS = {
    cluster: "$.detail.clusterArn",
    group: "$.detail.group",
    reason: "$.detail.stoppedReason",
    stopCode: "$.detail.stopCode",
    task: "$.detail.taskArn",
};

export class Alarms extends pulumi.ComponentResource {
    /** Every alarm's ARN, for an alarm-status widget. */
    readonly alarmArns: pulumi.Output<string>[] = [];
    /** The thresholds in force (profile plus overrides). */
    readonly thresholds: AlarmThresholds;
    /** The default max_connections the connections alarm compares against, when a database is watched. */
    readonly maxConnections?: number;

    private readonly settings: AlarmsArgs;
    private readonly scope: TopicScope;

    constructor(name: string, args: AlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        const thresholds = validate(name, args);
        super("archivematica:index:Alarms", name, {}, opts);
        this.settings = args;
        this.scope = { baseName: name, parent: this, tags: args.tags, topicArn: args.topicArn, alarmArns: this.alarmArns };
        this.thresholds = thresholds;

        this.serviceAlarms();
        this.ecsEventRules();
        if (args.database) this.maxConnections = this.databaseAlarms(args.database);
        if (args.fileSystemId !== undefined) this.fileSystemAlarms(args.fileSystemId);
        if (args.loadBalancer) this.loadBalancerAlarms(args.loadBalancer);
        if (args.smokeTest) this.smokeTestAlarm(args.smokeTest);

        this.registerOutputs({ alarmArns: this.alarmArns });
    }

    /** Each service: running below desired for N minutes (Container Insights), as metric math. */
    private serviceAlarms(): void {
        const minutes = this.thresholds.runningBelowDesiredMinutes;
        for (const [component, svc] of Object.entries(this.settings.services)) {
            const dimensions = { ClusterName: this.settings.cluster.name, ServiceName: svc.serviceName };
            const count = (id: string, metricName: string) => ({
                id,
                metric: { namespace: "ECS/ContainerInsights", metricName, dimensions, period: 60, stat: "Average" },
                returnData: false,
            });
            topicAlarm(this.scope, `${component}-running`, {
                alarmDescription: `Archivematica ${component}: fewer tasks running than desired for ${minutes} minutes`,
                comparisonOperator: "GreaterThanThreshold",
                threshold: 0,
                evaluationPeriods: minutes,
                datapointsToAlarm: minutes,
                metricQueries: [
                    count("desired", "DesiredTaskCount"),
                    count("running", "RunningTaskCount"),
                    { id: "missing", expression: "desired - running", label: "Tasks below desired", returnData: true },
                ],
                // Container Insights reports every minute; silence means the service or its metrics are gone.
                treatMissingData: "breaching",
            });
        }
    }

    /** Deployment failures of all services, and stopped tasks of services with init containers. */
    private ecsEventRules(): void {
        const services = Object.entries(this.settings.services);
        topicRule(this.scope, "deployment-failed", {
            description: "Archivematica: an ECS service deployment failed (circuit breaker)",
            eventPattern: deploymentFailurePattern(services.map(([, s]) => s.serviceArn)),
            inputPaths: { deployment: "$.detail.deploymentId", reason: "$.detail.reason", service: "$.resources[0]" },
            inputTemplate: DEPLOYMENT_FAILURE_TEMPLATE,
        });
        for (const [component, svc] of services) {
            const init = svc.initContainers ?? [];
            if (init.length === 0) continue;
            topicRule(this.scope, `${component}-task-failed`, {
                description: `Archivematica ${component}: a task stopped with a container that exited non-zero`,
                eventPattern: initFailurePattern(this.settings.cluster.arn, svc.serviceName, init),
                inputPaths: TASK_PATHS,
                inputTemplate: initFailureTemplate(component, init),
            });
        }
    }

    /** CPU, free storage, freeable memory and connections of the RDS instance. Returns max_connections. */
    private databaseAlarms(db: NonNullable<AlarmsArgs["database"]>): number {
        const t = this.thresholds;
        const dimensions = { DBInstanceIdentifier: db.identifier };
        const rds = { namespace: "AWS/RDS", dimensions, period: 300 };
        topicAlarm(this.scope, "db-cpu", {
            ...rds,
            alarmDescription: `Archivematica database: CPU above ${t.dbCpuPercent}% for 15 minutes`,
            metricName: "CPUUtilization",
            statistic: "Average",
            comparisonOperator: "GreaterThanThreshold",
            threshold: t.dbCpuPercent,
            evaluationPeriods: 3,
            treatMissingData: "missing",
        });
        topicAlarm(this.scope, "db-free-storage", {
            ...rds,
            alarmDescription: `Archivematica database: less than ${t.dbFreeStorageGiB} GiB of storage free`,
            metricName: "FreeStorageSpace",
            statistic: "Minimum",
            comparisonOperator: "LessThanThreshold",
            threshold: t.dbFreeStorageGiB * GIB,
            evaluationPeriods: 1,
            treatMissingData: "missing",
        });
        topicAlarm(this.scope, "db-free-memory", {
            ...rds,
            alarmDescription: `Archivematica database: less than ${t.dbFreeMemoryMiB} MiB of memory free for 15 minutes`,
            metricName: "FreeableMemory",
            statistic: "Average",
            comparisonOperator: "LessThanThreshold",
            threshold: t.dbFreeMemoryMiB * MIB,
            evaluationPeriods: 3,
            treatMissingData: "missing",
        });
        const max = mysqlMaxConnections(db.instanceClass);
        const limit = Math.floor((max * t.dbConnectionsPercent) / 100);
        topicAlarm(this.scope, "db-connections", {
            ...rds,
            alarmDescription: `Archivematica database: more than ${limit} connections (${t.dbConnectionsPercent}% of ${max}, the default max_connections of ${db.instanceClass})`,
            metricName: "DatabaseConnections",
            statistic: "Maximum",
            comparisonOperator: "GreaterThanThreshold",
            threshold: limit,
            evaluationPeriods: 2,
            treatMissingData: "missing",
        });
        return max;
    }

    /** Stored bytes and throughput utilisation of the file system. */
    private fileSystemAlarms(fileSystemId: pulumi.Input<string>): void {
        const t = this.thresholds;
        topicAlarm(this.scope, "efs-storage", {
            alarmDescription: `Archivematica shared storage: more than ${t.efsStorageGiB} GiB stored (transfers piling up?)`,
            namespace: "AWS/EFS",
            metricName: "StorageBytes",
            dimensions: { FileSystemId: fileSystemId, StorageClass: "Total" },
            // EFS reports StorageBytes every 15 minutes.
            period: 900,
            statistic: "Maximum",
            comparisonOperator: "GreaterThanThreshold",
            threshold: t.efsStorageGiB * GIB,
            evaluationPeriods: 1,
            treatMissingData: "missing",
        });
        // Elastic throughput has no burst credits, and PercentIOLimit measures the General Purpose mode's
        // I/O-operation limit, not throughput. Utilisation is metered bytes per second over the permitted
        // throughput, which for Elastic throughput is the file system's maximum (EFS user guide, "CloudWatch
        // metrics for Amazon EFS": PermittedThroughput; "Using metric math with Amazon EFS").
        const efs = (id: string, metricName: string, stat: string) => ({
            id,
            metric: { namespace: "AWS/EFS", metricName, dimensions: { FileSystemId: fileSystemId }, period: 300, stat },
            returnData: false,
        });
        topicAlarm(this.scope, "efs-throughput", {
            alarmDescription: `Archivematica shared storage: throughput above ${t.efsThroughputPercent}% of the permitted throughput for 15 minutes`,
            comparisonOperator: "GreaterThanThreshold",
            threshold: t.efsThroughputPercent,
            evaluationPeriods: 3,
            metricQueries: [
                efs("metered", "MeteredIOBytes", "Sum"),
                efs("permitted", "PermittedThroughput", "Average"),
                {
                    id: "utilisation",
                    expression: "(metered / PERIOD(metered)) / permitted * 100",
                    label: "Throughput utilisation (%)",
                    returnData: true,
                },
            ],
            treatMissingData: "missing",
        });
    }

    /** 5xx from the load balancer and the targets, response time, and unhealthy targets per target group. */
    private loadBalancerAlarms(lb: NonNullable<AlarmsArgs["loadBalancer"]>): void {
        const t = this.thresholds;
        const alb = { namespace: "AWS/ApplicationELB", dimensions: { LoadBalancer: lb.arnSuffix }, period: 300 };
        for (const [suffix, metricName, who] of [
            ["alb-elb-5xx", "HTTPCode_ELB_5XX_Count", "the load balancer"],
            ["alb-target-5xx", "HTTPCode_Target_5XX_Count", "the dashboard and Storage Service"],
        ] as const) {
            topicAlarm(this.scope, suffix, {
                ...alb,
                alarmDescription: `Archivematica: more than ${t.alb5xxPerFiveMinutes} 5xx responses from ${who} in 5 minutes`,
                metricName,
                statistic: "Sum",
                comparisonOperator: "GreaterThanThreshold",
                threshold: t.alb5xxPerFiveMinutes,
                evaluationPeriods: 1,
                // The counts are only reported when there is at least one.
                treatMissingData: "notBreaching",
            });
        }
        topicAlarm(this.scope, "alb-response-time", {
            ...alb,
            alarmDescription: `Archivematica: p95 response time above ${t.albResponseTimeSeconds} s for 15 minutes`,
            metricName: "TargetResponseTime",
            extendedStatistic: "p95",
            comparisonOperator: "GreaterThanThreshold",
            threshold: t.albResponseTimeSeconds,
            evaluationPeriods: 3,
            treatMissingData: "notBreaching",
        });
        const minutes = t.runningBelowDesiredMinutes;
        for (const [tg, arnSuffix] of Object.entries(lb.targetGroups)) {
            topicAlarm(this.scope, `${tg}-unhealthy`, {
                alarmDescription: `Archivematica ${tg}: an unhealthy target for ${minutes} minutes`,
                namespace: "AWS/ApplicationELB",
                metricName: "UnHealthyHostCount",
                dimensions: { TargetGroup: arnSuffix, LoadBalancer: lb.arnSuffix },
                period: 60,
                statistic: "Maximum",
                comparisonOperator: "GreaterThanThreshold",
                threshold: 0,
                evaluationPeriods: minutes,
                datapointsToAlarm: minutes,
                treatMissingData: "missing",
            });
        }
    }

    /** The smoke transfer's failure: a rule with a message, and an alarm on the rule's matches. */
    private smokeTestAlarm(smoke: NonNullable<AlarmsArgs["smokeTest"]>): void {
        const rule = topicRule(this.scope, "smoke-failed", {
            description: `Archivematica: the smoke transfer (${smoke.taskDefinitionFamily}) failed`,
            eventPattern: smokeFailurePattern(smoke.clusterArn, smoke.taskDefinitionFamily),
            inputPaths: TASK_PATHS,
            inputTemplate: smokeFailureTemplate(smoke.taskDefinitionFamily),
        });
        topicAlarm(this.scope, "smoke-failed-alarm", {
            alarmDescription: `Archivematica: the smoke transfer (${smoke.taskDefinitionFamily}) failed within the last hour`,
            namespace: "AWS/Events",
            metricName: "TriggeredRules",
            dimensions: { RuleName: rule.name },
            // An hour in ALARM after a failure: long enough to be seen on the dashboard, then OK again.
            period: 3600,
            statistic: "Sum",
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            threshold: 1,
            evaluationPeriods: 1,
            treatMissingData: "notBreaching",
        });
    }
}
