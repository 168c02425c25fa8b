/**
 * ProcessingAlarms: the pipeline itself, from Archivematica's own metrics (namespace `Archivematica`,
 * published by the MCP server's and clients' sidecars), to the stack's topic:
 *
 * - stalled: work waits — gearman jobs submitted or being filled, or packages queued for a slot — and no
 *   task completes (`mcpserver_task_total` counts every task the server sees finish) for `stallMinutes`.
 *   A task completes when its batch returns, so a single job longer than the window (compressing and
 *   storing a large AIP) also trips it: set the window above your longest job. With processing hours
 *   the alarm also needs desired clients (none outside the hours is no stall).
 * - job errors: the share of MCP client jobs that failed (`mcpclient_job_error_total` ÷
 *   `mcpclient_job_total`) over 15 minutes, once at least {@link MIN_JOBS} jobs ran. Archivematica's
 *   workflow branches on some scripts' non-zero exits, so a few failures are normal: the threshold is a
 *   percentage, not a count.
 * - metrics missing: the MCP server's sidecar reported no successful scrape (`up`) for 15 minutes — the
 *   server or its sidecar is down, and the scaling alarms are blind.
 *
 * Metric math: CloudWatch user guide, "Using metric math" (FILL, IF and comparison operators).
 */
import type * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { METRIC } from "../app/catalogue/metrics";
import { METRICS_NAMESPACE } from "../app/metrics-collector";
import type { Tags } from "../../lib/tags";
import { topicAlarm, TopicScope } from "./topic-alarms";

/** Jobs below which the error share is not judged (a handful of jobs makes a noisy percentage). */
export const MIN_JOBS = 10;

export interface ProcessingAlarmsArgs {
    /** Required tags, set on every alarm. */
    tags: Tags;
    /** The topic every alarm sends to (alarm and OK). */
    topicArn: pulumi.Input<string>;
    /** The `stack` dimension of the Archivematica metrics. */
    stack: string;
    /** The ECS cluster's name, and the MCP client service's (Container Insights dimensions). */
    clusterName: pulumi.Input<string>;
    clientServiceName: pulumi.Input<string>;
    /**
     * Minutes of waiting work without a completed task before the stall alarm.
     * @default 15
     */
    stallMinutes?: number;
    /**
     * Share (%) of failed MCP client jobs over 15 minutes that alarms.
     * @default 25
     */
    jobErrorPercent?: number;
    /**
     * The clients keep processing hours: the stall alarm also needs desired clients.
     * @default false
     */
    processingHours?: boolean;
}

/** Throws the one-line error for a bad argument. */
function fail(name: string, field: string, problem: string, valid: string): never {
    throw new Error(`ProcessingAlarms "${name}": ${field} ${problem}; valid: ${valid}`);
}

type MetricQuery = aws.types.input.cloudwatch.MetricAlarmMetricQuery;

/** An Archivematica metric as an alarm query (hidden). */
function archivematica(id: string, metricName: string, component: string, stack: string, stat: string, period: number): MetricQuery {
    return { id, metric: { namespace: METRICS_NAMESPACE, metricName, dimensions: { component, stack }, period, stat }, returnData: false };
}

/** The stall alarm's queries (one-minute datapoints). */
export function stallQueries(
    stack: string,
    processingHours: boolean,
    clusterName: pulumi.Input<string>,
    clientServiceName: pulumi.Input<string>,
): MetricQuery[] {
    const server = (id: string, metricName: string, stat: string) => archivematica(id, metricName, "mcp-server", stack, stat, 60);
    const stalled = "IF(FILL(active, 0) + FILL(pending, 0) + FILL(queued, 0) > 0, IF(FILL(completed, 0) < 1, 1, 0), 0)";
    return [
        server("active", METRIC.gearmanActiveJobs, "Maximum"),
        server("pending", METRIC.gearmanPendingJobs, "Maximum"),
        server("queued", METRIC.packageQueue, "Maximum"),
        server("completed", METRIC.tasksCompleted, "Sum"),
        ...(processingHours
            ? [
                  {
                      id: "desired",
                      metric: {
                          namespace: "ECS/ContainerInsights",
                          metricName: "DesiredTaskCount",
                          dimensions: { ClusterName: clusterName, ServiceName: clientServiceName },
                          period: 60,
                          stat: "Maximum",
                      },
                      returnData: false,
                  },
              ]
            : []),
        {
            id: "stalled",
            expression: processingHours ? `IF(FILL(desired, 0) > 0, ${stalled}, 0)` : stalled,
            label: "Work waiting and no task completed",
            returnData: true,
        },
    ];
}

/** The job-error alarm's queries (one 15-minute datapoint). */
export function jobErrorQueries(stack: string): MetricQuery[] {
    const client = (id: string, metricName: string) => archivematica(id, metricName, "mcp-client", stack, "Sum", 900);
    return [
        client("jobs", METRIC.clientJobs),
        client("errors", METRIC.clientJobErrors),
        {
            id: "share",
            // The denominator is at least 1, so no datapoint divides by zero.
            expression: `IF(FILL(jobs, 0) >= ${MIN_JOBS}, 100 * FILL(errors, 0) / (FILL(jobs, 0) + IF(FILL(jobs, 0) < 1, 1, 0)), 0)`,
            label: "Failed MCP client jobs (%)",
            returnData: true,
        },
    ];
}

export class ProcessingAlarms extends pulumi.ComponentResource {
    /** ARNs of the alarms (for the dashboard's alarm row). */
    readonly alarmArns: pulumi.Output<string>[] = [];

    private readonly scope: TopicScope;

    constructor(name: string, args: ProcessingAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        const stallMinutes = args.stallMinutes ?? 15;
        const jobErrorPercent = args.jobErrorPercent ?? 25;
        // evaluationPeriods × 60 s may not exceed one day.
        if (!Number.isInteger(stallMinutes) || stallMinutes < 1 || stallMinutes > 1440)
            fail(name, "stallMinutes", `${stallMinutes} is out of range`, "an integer from 1 to 1440");
        if (!(jobErrorPercent > 0 && jobErrorPercent <= 100))
            fail(name, "jobErrorPercent", `${jobErrorPercent} is out of range`, "above 0, at most 100");
        super("archivematica:index:ProcessingAlarms", name, {}, opts);
        this.scope = { baseName: name, parent: this, tags: args.tags, topicArn: args.topicArn, alarmArns: this.alarmArns };

        topicAlarm(this.scope, "stalled", {
            alarmDescription: `Archivematica: work waiting and no task completed for ${stallMinutes} minutes (stuck jobs, gearmand, or no MCP client taking work)`,
            comparisonOperator: "GreaterThanThreshold",
            threshold: 0,
            evaluationPeriods: stallMinutes,
            datapointsToAlarm: stallMinutes,
            metricQueries: stallQueries(args.stack, args.processingHours ?? false, args.clusterName, args.clientServiceName),
            // Missing metrics are the metrics-missing alarm's business.
            treatMissingData: "notBreaching",
        });
        topicAlarm(this.scope, "job-errors", {
            alarmDescription: `Archivematica MCP clients: more than ${jobErrorPercent}% of jobs failed in 15 minutes (at least ${MIN_JOBS} jobs)`,
            comparisonOperator: "GreaterThanThreshold",
            threshold: jobErrorPercent,
            evaluationPeriods: 1,
            datapointsToAlarm: 1,
            metricQueries: jobErrorQueries(args.stack),
            // No client, no job: nothing to judge.
            treatMissingData: "notBreaching",
        });
        topicAlarm(this.scope, "metrics-missing", {
            alarmDescription:
                "Archivematica: no metrics from the MCP server for 15 minutes (server or its metrics sidecar down; queue scaling is blind)",
            namespace: METRICS_NAMESPACE,
            metricName: METRIC.up,
            dimensions: { component: "mcp-server", stack: args.stack },
            statistic: "Minimum",
            period: 300,
            comparisonOperator: "LessThanThreshold",
            threshold: 1,
            evaluationPeriods: 3,
            datapointsToAlarm: 3,
            treatMissingData: "breaching",
        });
        this.registerOutputs({ alarmArns: this.alarmArns });
    }
}
