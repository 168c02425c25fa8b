/**
 * The operations dashboard's processing row, from Archivematica's own metrics: the queue (gearman jobs,
 * packages waiting), work in flight, the MCP clients against their range, completions and failures,
 * and task durations. Widget JSON: CloudWatch API reference, "Dashboard body structure and syntax".
 */
import type * as pulumi from "@pulumi/pulumi";
import { METRIC } from "../app/catalogue/metrics";
import { METRICS_NAMESPACE } from "../app/metrics-collector";

export interface ProcessingWidgetsArgs {
    /** The `stack` dimension of the Archivematica metrics. */
    stack: string;
    /** The ECS cluster's name and the MCP client service's (Container Insights). */
    clusterName: pulumi.Input<string>;
    clientServiceName: pulumi.Input<string>;
    /** The client range drawn on the clients graph. */
    minCount: number;
    maxCount: number;
}

/** A widget before layout (the dashboard places it). */
export interface ProcessingWidget {
    type: "metric" | "text";
    width: number;
    height: number;
    properties: Record<string, unknown>;
}

type Metric = pulumi.Input<string | Record<string, unknown>>[];

/** The processing row's widgets for `region`. */
export function processingWidgets(region: string, a: ProcessingWidgetsArgs): ProcessingWidget[] {
    const am = (component: string, metricName: string, options: Record<string, unknown>): Metric => [
        METRICS_NAMESPACE,
        metricName,
        "component",
        component,
        "stack",
        a.stack,
        options,
    ];
    const server = (metricName: string, options: Record<string, unknown>) => am("mcp-server", metricName, options);
    const client = (metricName: string, options: Record<string, unknown>) => am("mcp-client", metricName, options);
    const clients = (metricName: string, label: string): Metric => [
        "ECS/ContainerInsights",
        metricName,
        "ClusterName",
        a.clusterName,
        "ServiceName",
        a.clientServiceName,
        { label },
    ];
    const graph = (title: string, metrics: Metric[], extra: Record<string, unknown>): ProcessingWidget => ({
        type: "metric",
        width: 8,
        height: 6,
        properties: { title, view: "timeSeries", region, metrics, period: 60, ...extra },
    });
    return [
        { type: "text", width: 24, height: 1, properties: { markdown: "## Processing: Archivematica's queue, work and MCP clients" } },
        graph(
            "Queue: gearman jobs and waiting packages",
            [
                server(METRIC.gearmanActiveJobs, { label: "gearman jobs (queued or running)" }),
                server(METRIC.gearmanPendingJobs, { label: "gearman jobs being filled" }),
                server(METRIC.packageQueue, { label: "packages waiting for a slot" }),
                server(METRIC.packageJobQueue, { label: "jobs waiting for a server thread" }),
            ],
            { stat: "Maximum" },
        ),
        graph(
            "Work in flight",
            [server(METRIC.activeJobs, { label: "active jobs" }), server(METRIC.activePackages, { label: "active packages" })],
            { stat: "Maximum" },
        ),
        graph(
            `MCP clients (queue scaling ${a.minCount}-${a.maxCount})`,
            [clients("DesiredTaskCount", "desired"), clients("RunningTaskCount", "running")],
            {
                stat: "Maximum",
                annotations: {
                    horizontal: [
                        { label: "min", value: a.minCount },
                        { label: "max", value: a.maxCount },
                    ],
                },
            },
        ),
        graph(
            "Tasks and jobs a minute",
            [
                server(METRIC.tasksCompleted, { label: "tasks completed" }),
                server(METRIC.tasksFailed, { label: "tasks failed" }),
                client(METRIC.clientJobs, { label: "client jobs" }),
                client(METRIC.clientJobErrors, { label: "client jobs failed" }),
            ],
            { stat: "Sum" },
        ),
        graph(
            "Task duration (average, s)",
            [server(METRIC.taskDuration, { label: "task (MCP server)" }), client(METRIC.clientTaskTime, { label: "job (MCP client)" })],
            { stat: "Average", period: 300 },
        ),
        graph("AIPs stored", [client(METRIC.aipsStored, { label: "AIPs stored" })], { stat: "Sum", period: 300 }),
    ];
}
