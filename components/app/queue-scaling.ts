/**
 * QueueScaling: the MCP clients follow Archivematica's queue, not their CPU. The metrics come from the
 * MCP server's sidecar (namespace `Archivematica`, dimensions stack and component), so the alarms see
 * waiting work when no client runs at all, and `minCount` may be 0.
 *
 * - Scale-out: a step-scaling policy with ExactCapacity. Its alarm's metric is the queue — gearman jobs
 *   submitted and not finished plus those being filled (`mcpserver_gearman_active_jobs` +
 *   `mcpserver_gearman_pending_jobs`) — whenever it exceeds what the desired clients can run
 *   (`workersPerClient` × DesiredTaskCount, Container Insights), else 0. Step k covers queues of
 *   (k−1)·W+1 to k·W jobs and sets k clients (the first step starts at 0; queues beyond the last go to
 *   `maxCount`): clients wanted = ⌈queue ÷ W⌉, never fewer than there are, because the alarm only fires
 *   when they are too few. One-minute period, one datapoint: work waits at most the metric delay.
 * - Scale-in: a second step policy sets `minCount` after the model's idle wait (lib/queue-model.ts
 *   QUEUE_SCALING, 20 minutes) of one-minute datapoints with nothing to do — no gearman job, no package
 *   active or queued (a package waiting for a user's decision is not active). MCPClient kills its running
 *   jobs on SIGTERM (client/pool.py WorkerPool.stop) and has no hook for ECS task scale-in protection,
 *   so scale-in waits until no job can be running, instead of shrinking step by step while work remains.
 * - Processing hours (optional): two scheduled actions, clients 0 outside the hours, the range inside.
 *
 * Application Auto Scaling: StepAdjustment bounds are relative to the alarm threshold, the lower one
 * inclusive and the upper one exclusive above it, and a policy takes at most 20 step adjustments (API
 * reference StepAdjustment; user guide, "Quotas"): hence `maxCount` ≤ 20.
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { cronAt, ProcessingSchedule } from "../../lib/processing-schedule";
import { QUEUE_SCALING, QueueScalingParameters } from "../../lib/queue-model";
import { mergeTags, Tags } from "../../lib/tags";
import { METRIC } from "./catalogue/metrics";
import { METRICS_NAMESPACE } from "./metrics-collector";

/** Step adjustments per step scaling policy (Application Auto Scaling quotas). */
export const MAX_STEP_ADJUSTMENTS = 20;
/** Seconds per datapoint of the scaling alarms: the sidecar scrapes once a minute. */
const PERIOD = 60;

export interface QueueScalingArgs {
    /** Required tags, set on every taggable child. */
    tags: Tags;
    /** The ECS cluster's name (ClusterName dimension; part of the scalable target's resource ID). */
    clusterName: pulumi.Input<string>;
    /** The MCP client service's name. */
    serviceName: pulumi.Input<string>;
    /** The `stack` dimension of the Archivematica metrics. */
    stack: string;
    /**
     * The MCP server's `component` dimension (whose sidecar publishes the queue).
     * @default "mcp-server"
     */
    serverComponent?: string;
    /** Fewest clients (0: none while idle). */
    minCount: number;
    /** Most clients, at most {@link MAX_STEP_ADJUSTMENTS}. */
    maxCount: number;
    /** Gearman jobs one client runs at once (`ARCHIVEMATICA_MCPCLIENT_WORKERS`). */
    workersPerClient: number;
    /**
     * Processing hours: clients 0 outside them.
     * @default none (always)
     */
    schedule?: ProcessingSchedule;
    /**
     * IANA time zone of the schedule.
     * @default "UTC"
     */
    timeZone?: string;
    /**
     * The model's parameters.
     * @default QUEUE_SCALING (lib/queue-model.ts)
     */
    parameters?: QueueScalingParameters;
}

/** A step adjustment as the AWS provider takes it (bounds as strings; absent = unbounded). */
export interface StepAdjustment {
    metricIntervalLowerBound?: string;
    metricIntervalUpperBound?: string;
    scalingAdjustment: number;
}

/** Throws the one-line error for a bad argument. */
function fail(name: string, field: string, problem: string, valid: string): never {
    throw new Error(`QueueScaling "${name}": ${field} ${problem}; valid: ${valid}`);
}

function validate(name: string, a: QueueScalingArgs): void {
    const int = (v: number) => Number.isInteger(v);
    if (!int(a.maxCount) || a.maxCount < 1 || a.maxCount > MAX_STEP_ADJUSTMENTS)
        fail(
            name,
            "maxCount",
            `${a.maxCount} is out of range`,
            `an integer from 1 to ${MAX_STEP_ADJUSTMENTS} (step adjustments per policy)`,
        );
    if (!int(a.minCount) || a.minCount < 0 || a.minCount > a.maxCount)
        fail(name, "minCount", `${a.minCount} is out of range`, `an integer from 0 to maxCount (${a.maxCount})`);
    if (!int(a.workersPerClient) || a.workersPerClient < 1)
        fail(name, "workersPerClient", `${a.workersPerClient} is not a worker count`, "an integer ≥ 1");
    const idle = (a.parameters ?? QUEUE_SCALING).scaleInIdleMinutes;
    // evaluationPeriods × 60 s may not exceed one day.
    if (!int(idle) || idle < 1 || idle > 1440)
        fail(name, "parameters.scaleInIdleMinutes", `${idle} is out of range`, "an integer from 1 to 1440");
}

/** Scale-out steps: queue (k−1)·W+1 … k·W → k clients (relative to threshold 0). */
export function scaleOutSteps(maxCount: number, workersPerClient: number): StepAdjustment[] {
    const w = workersPerClient;
    return Array.from({ length: maxCount }, (_, i) => {
        const k = i + 1;
        const step: StepAdjustment = { metricIntervalLowerBound: String(k === 1 ? 0 : (k - 1) * w + 1), scalingAdjustment: k };
        if (k < maxCount) step.metricIntervalUpperBound = String(k * w + 1);
        return step;
    });
}

type MetricQuery = aws.types.input.cloudwatch.MetricAlarmMetricQuery;

/** An Archivematica metric of the MCP server, as an alarm query. */
function serverMetric(id: string, metricName: string, stack: string, component: string): MetricQuery {
    return {
        id,
        metric: { namespace: METRICS_NAMESPACE, metricName, dimensions: { component, stack }, period: PERIOD, stat: "Maximum" },
        returnData: false,
    };
}

/** The scale-out alarm's queries: the queue when it exceeds the desired clients' workers, else 0. */
export function scaleOutQueries(
    stack: string,
    component: string,
    workersPerClient: number,
    clusterName: pulumi.Input<string>,
    serviceName: pulumi.Input<string>,
): MetricQuery[] {
    return [
        serverMetric("active", METRIC.gearmanActiveJobs, stack, component),
        serverMetric("pending", METRIC.gearmanPendingJobs, stack, component),
        {
            id: "desired",
            metric: {
                namespace: "ECS/ContainerInsights",
                metricName: "DesiredTaskCount",
                dimensions: { ClusterName: clusterName, ServiceName: serviceName },
                period: PERIOD,
                stat: "Maximum",
            },
            returnData: false,
        },
        { id: "queue", expression: "FILL(active, 0) + FILL(pending, 0)", returnData: false },
        {
            id: "shortfall",
            expression: `IF(queue > ${workersPerClient} * FILL(desired, 0), queue, 0)`,
            label: "Gearman jobs beyond the desired clients' workers",
            returnData: true,
        },
    ];
}

/** The scale-in alarm's queries: everything that means work is in flight or waiting, summed. */
export function idleQueries(stack: string, component: string): MetricQuery[] {
    return [
        serverMetric("active", METRIC.gearmanActiveJobs, stack, component),
        serverMetric("pending", METRIC.gearmanPendingJobs, stack, component),
        serverMetric("packages", METRIC.activePackages, stack, component),
        serverMetric("queued", METRIC.packageQueue, stack, component),
        {
            id: "work",
            expression: "FILL(active, 0) + FILL(pending, 0) + FILL(packages, 0) + FILL(queued, 0)",
            label: "Gearman jobs, active and queued packages",
            returnData: true,
        },
    ];
}

export class QueueScaling extends pulumi.ComponentResource {
    /** The scalable target's resource ID (`service/<cluster>/<service>`). */
    readonly resourceId: pulumi.Output<string>;
    /** ARNs of the scale-out and scale-in alarms. */
    readonly alarmArns: pulumi.Output<string>[];

    constructor(name: string, args: QueueScalingArgs, opts?: pulumi.ComponentResourceOptions) {
        validate(name, args);
        super("archivematica:index:QueueScaling", name, {}, opts);
        const target = this.createTarget(name, args);
        const out = this.scaleOut(name, args, target);
        const idle = this.scaleIn(name, args, target);
        if (args.schedule) this.processingHours(name, args, args.schedule, target);
        this.resourceId = target.resourceId;
        this.alarmArns = [out.arn, idle.arn];
        this.registerOutputs({ resourceId: this.resourceId, alarmArns: this.alarmArns });
    }

    private createTarget(name: string, a: QueueScalingArgs): aws.appautoscaling.Target {
        return new aws.appautoscaling.Target(
            `${name}-target`,
            {
                serviceNamespace: "ecs",
                scalableDimension: "ecs:service:DesiredCount",
                resourceId: pulumi.interpolate`service/${a.clusterName}/${a.serviceName}`,
                minCapacity: a.minCount,
                maxCapacity: a.maxCount,
                tags: mergeTags(a.tags, `${name}-target`),
            },
            { parent: this },
        );
    }

    private policy(name: string, target: aws.appautoscaling.Target, steps: StepAdjustment[], cooldown: number): aws.appautoscaling.Policy {
        return new aws.appautoscaling.Policy(
            name,
            {
                policyType: "StepScaling",
                serviceNamespace: target.serviceNamespace,
                scalableDimension: target.scalableDimension,
                resourceId: target.resourceId,
                stepScalingPolicyConfiguration: {
                    adjustmentType: "ExactCapacity",
                    metricAggregationType: "Maximum",
                    cooldown,
                    stepAdjustments: steps,
                },
            },
            { parent: this },
        );
    }

    private scaleOut(name: string, a: QueueScalingArgs, target: aws.appautoscaling.Target): aws.cloudwatch.MetricAlarm {
        const p = a.parameters ?? QUEUE_SCALING;
        const policy = this.policy(`${name}-out`, target, scaleOutSteps(a.maxCount, a.workersPerClient), p.scaleOutCooldownSeconds);
        return new aws.cloudwatch.MetricAlarm(
            `${name}-out-alarm`,
            {
                alarmDescription: `Archivematica MCP clients: more gearman jobs than ${a.workersPerClient} per desired client; sets ⌈jobs ÷ ${a.workersPerClient}⌉ clients (at most ${a.maxCount})`,
                comparisonOperator: "GreaterThanThreshold",
                threshold: 0,
                evaluationPeriods: 1,
                datapointsToAlarm: 1,
                metricQueries: scaleOutQueries(
                    a.stack,
                    a.serverComponent ?? "mcp-server",
                    a.workersPerClient,
                    a.clusterName,
                    a.serviceName,
                ),
                treatMissingData: "notBreaching",
                alarmActions: [policy.arn],
                tags: mergeTags(a.tags, `${name}-out-alarm`),
            },
            { parent: this },
        );
    }

    private scaleIn(name: string, a: QueueScalingArgs, target: aws.appautoscaling.Target): aws.cloudwatch.MetricAlarm {
        const minutes = (a.parameters ?? QUEUE_SCALING).scaleInIdleMinutes;
        const policy = this.policy(`${name}-in`, target, [{ metricIntervalUpperBound: "0", scalingAdjustment: a.minCount }], PERIOD);
        return new aws.cloudwatch.MetricAlarm(
            `${name}-in-alarm`,
            {
                alarmDescription: `Archivematica MCP clients: nothing to do for ${minutes} minutes; back to ${a.minCount} clients`,
                comparisonOperator: "LessThanOrEqualToThreshold",
                threshold: 0,
                evaluationPeriods: minutes,
                datapointsToAlarm: minutes,
                metricQueries: idleQueries(a.stack, a.serverComponent ?? "mcp-server"),
                // No data means the MCP server's metrics are missing: never a reason to stop clients.
                treatMissingData: "notBreaching",
                alarmActions: [policy.arn],
                tags: mergeTags(a.tags, `${name}-in-alarm`),
            },
            { parent: this },
        );
    }

    private processingHours(name: string, a: QueueScalingArgs, s: ProcessingSchedule, target: aws.appautoscaling.Target): void {
        const action = (suffix: string, at: ProcessingSchedule["start"], min: number, max: number) =>
            new aws.appautoscaling.ScheduledAction(
                `${name}-${suffix}`,
                {
                    serviceNamespace: target.serviceNamespace,
                    scalableDimension: target.scalableDimension,
                    resourceId: target.resourceId,
                    schedule: cronAt(s, at),
                    timezone: a.timeZone ?? "UTC",
                    scalableTargetAction: { minCapacity: min, maxCapacity: max },
                },
                { parent: this },
            );
        action("start", s.start, a.minCount, a.maxCount);
        action("stop", s.stop, 0, 0);
    }
}
