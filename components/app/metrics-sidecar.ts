/**
 * The metrics sidecar of a component that serves Prometheus metrics (the MCP server and the MCP
 * clients, on 127.0.0.1): the ADOT collector (metrics-collector.ts) as a task-builder sidecar, and what
 * its task role may do. Isolated from the application as the policy pack requires
 * (aws-ecs-taskdefinition-restrict-sidecar): non-essential, its own log group, a read-only root
 * filesystem, no secrets, and the collector image's own non-root user.
 */
import * as pulumi from "@pulumi/pulumi";
import type { IamStatement } from "../../lib/iam";
import type { PublishedMetric } from "./catalogue/metrics";
import { collectorConfigText } from "./metrics-collector";
import type { Sidecar } from "./task";

/** The sidecar's container name (its log group is `/ecs/<family>/metrics`). */
export const METRICS_SIDECAR = "metrics";
/** The collector image's user (`aoc`, uid 4317: aws-otel-collector cmd/awscollector/Dockerfile). */
export const COLLECTOR_USER = "4317";

/** What a component's service says about its sidecar. */
export interface MetricsSidecarArgs {
    /** The component's Prometheus port on 127.0.0.1. */
    port: number;
    /** What it publishes (its catalogue entry's list). */
    metrics: readonly PublishedMetric[];
    /** The `stack` dimension (the stack's environment). */
    stack: string;
    /** The collector image as the task pulls it (through the image registry). */
    image: pulumi.Input<string>;
}

/** The sidecar's log group for a task family, as the task builder names an `own` group. */
export function metricsLogGroupName(family: string): string {
    return `/ecs/${family}/${METRICS_SIDECAR}`;
}

/** The collector beside `component`, writing its EMF events into its own log group. */
export function metricsSidecar(component: string, family: string, region: string, a: MetricsSidecarArgs): Sidecar {
    return {
        name: METRICS_SIDECAR,
        image: a.image,
        user: COLLECTOR_USER,
        logGroup: "own",
        environment: {
            AOT_CONFIG_CONTENT: collectorConfigText({
                stack: a.stack,
                component,
                port: a.port,
                metrics: a.metrics,
                logGroupName: metricsLogGroupName(family),
                region,
            }),
        },
        // The image's own probe of the health_check extension on 127.0.0.1:13133 (aws-otel-collector cmd/healthcheck).
        healthCheck: { command: ["CMD", "/healthcheck"], interval: 30, timeout: 5, retries: 3, startPeriod: 10 },
    };
}

/**
 * The task role's right to write the EMF events (the collector runs with the task role): new streams and
 * events in the sidecar's log group only (`<group ARN>:*` covers its streams, as for the execution role).
 */
export function metricsWriteStatement(logGroupArn: pulumi.Input<string>): IamStatement<pulumi.Input<string>> {
    return {
        Sid: "WriteMetrics",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: [pulumi.interpolate`${logGroupArn}:*`],
    };
}
