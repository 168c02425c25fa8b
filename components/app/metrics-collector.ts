/**
 * The metrics sidecar's configuration, as pure functions. A non-essential container in the MCP server's
 * and each MCP client's task runs the AWS Distro for OpenTelemetry (ADOT) collector: it scrapes the
 * component's Prometheus endpoint on 127.0.0.1, keeps an allowlist of metrics, sums their labels away,
 * turns counters and histograms into per-minute deltas and writes them to CloudWatch Logs in the
 * embedded metric format (EMF), from which CloudWatch extracts metrics under one namespace with the
 * dimensions `stack` and `component`.
 *
 * Why ADOT and not the CloudWatch agent (both can scrape Prometheus and write EMF):
 * - ADOT's image is a static binary on `scratch` running as `USER aoc` (uid 4317) and reads its whole
 *   configuration from the `AOT_CONFIG_CONTENT` environment variable (aws-observability/aws-otel-collector
 *   `cmd/awscollector/Dockerfile`, `pkg/config/config_factory.go`): it writes nothing, so it runs with a
 *   read-only root filesystem, as non-root, with no volume and no secret.
 * - The CloudWatch agent's image runs as root and its entrypoint translates the JSON configuration into
 *   TOML/YAML files under /opt/aws/amazon-cloudwatch-agent/etc at every start (aws/amazon-cloudwatch-agent
 *   `cmd/start-amazon-cloudwatch-agent`, `translateConfig`), and its Prometheus scrape configuration is a
 *   separate file: a writable volume and a root user for the same result.
 *
 * Facts the configuration depends on (the vendored contrib v0.156 code in ADOT v0.49.0):
 * - awsemf writes an event for every metric group, also one whose metrics matched no declaration, with
 *   every label as a field (`metric_translator.go`, `translateCWMetricToEMF`). The MCP server's
 *   `environment_variables_info` carries its environment, database password included, as labels: the
 *   allowlist is applied where metrics enter the collector (`metric_relabel_configs`, `keep`), so nothing
 *   else ever leaves the task.
 * - Prometheus relabel regexes are anchored; scraped samples of a histogram are `<name>_bucket`, `_sum`
 *   and `_count`. `up` is added by the scraper itself and is not relabelled.
 * - awsemf's default dimension rollup (`ZeroAndSingleDimensionRollup`) would publish each metric three
 *   times; `NoDimensionRollup` publishes exactly the declared dimension set.
 * - awsemf sends a histogram's count and sum as received (cumulative since the process started), so the
 *   `cumulativetodelta` processor turns counters and histograms into deltas first; its `initial_value:
 *   keep` counts the first scrape too, right for a collector that starts and stops with its target.
 * - The collector's configuration language expands `${…}` and `$$`: the generated text never contains
 *   `$` (metric name selectors end with `\b`, which in a metric name — `[a-zA-Z0-9_:]` — can only match
 *   at its end, instead of `$`).
 */
import type { PublishedMetric } from "./catalogue/metrics";

/** The CloudWatch namespace of every Archivematica metric. */
export const METRICS_NAMESPACE = "Archivematica";
/** The dimensions of every published metric, in the order awsemf sorts a dimension set. */
export const METRIC_DIMENSIONS = ["component", "stack"] as const;
/** The collector image in Amazon ECR Public (pulled through the stack's image registry). */
export const COLLECTOR_IMAGE = {
    registry: "public.ecr.aws",
    repository: "aws-observability/aws-otel-collector",
    tag: "v0.49.0",
} as const;
/** Where the collector's health_check extension answers, inside the task only. */
export const COLLECTOR_HEALTH_PORT = 13133;
/** Seconds between scrapes; CloudWatch's standard resolution is one minute. */
export const SCRAPE_INTERVAL_SECONDS = 60;

/** One component's sidecar. */
export interface CollectorTarget {
    /** The stack (environment) name: the `stack` dimension. */
    stack: string;
    /** The catalogue component: the `component` dimension. */
    component: string;
    /** The component's Prometheus port on 127.0.0.1. */
    port: number;
    /** The metrics to publish (the component's catalogue list). */
    metrics: readonly PublishedMetric[];
    /** The log group the EMF events go to (the sidecar's own). */
    logGroupName: string;
    /** The AWS region of the log group. */
    region: string;
}

/** The sample names a metric family has in the Prometheus text format. */
export function sampleNames(metric: PublishedMetric): string[] {
    return metric.type === "histogram" ? ["_bucket", "_sum", "_count"].map((suffix) => metric.name + suffix) : [metric.name];
}

/** The `keep` regex of the scrape: every sample of the published families (Prometheus anchors it). */
export function keepRegex(metrics: readonly PublishedMetric[]): string {
    const names = [...new Set(metrics.flatMap(sampleNames))].sort();
    return names.join("|");
}

/** One awsemf selector per metric name: exact, anchored at the start and ended by `\b` (no `$`, see above). */
export function metricNameSelectors(metrics: readonly PublishedMetric[]): string[] {
    return [...new Set(metrics.map((m) => m.name))].sort().map((name) => `^${name}\\b`);
}

/** The collector configuration (an object; {@link collectorConfigText} is what the container gets). */
export function collectorConfig(t: CollectorTarget): Record<string, unknown> {
    const names = [...new Set(t.metrics.map((m) => m.name))].sort();
    return {
        extensions: { health_check: { endpoint: `127.0.0.1:${COLLECTOR_HEALTH_PORT}` } },
        receivers: {
            prometheus: {
                config: {
                    scrape_configs: [
                        {
                            job_name: t.component,
                            scrape_interval: `${SCRAPE_INTERVAL_SECONDS}s`,
                            scrape_timeout: "10s",
                            metrics_path: "/metrics",
                            static_configs: [{ targets: [`127.0.0.1:${t.port}`], labels: { component: t.component, stack: t.stack } }],
                            metric_relabel_configs: [{ source_labels: ["__name__"], regex: keepRegex(t.metrics), action: "keep" }],
                        },
                    ],
                },
            },
        },
        processors: {
            // Upstream's labels (script, task, package type) would make a metric per value; the stack
            // publishes the sums, so CloudWatch metrics stay few and every value is the component's total.
            metricstransform: {
                transforms: [
                    {
                        include: `^(?:${names.join("|")})\\b`,
                        match_type: "regexp",
                        action: "update",
                        operations: [{ action: "aggregate_labels", label_set: [...METRIC_DIMENSIONS], aggregation_type: "sum" }],
                    },
                ],
            },
            cumulativetodelta: { include: { metric_types: ["sum", "histogram"] }, initial_value: "keep" },
            batch: { timeout: "10s" },
        },
        exporters: {
            awsemf: {
                region: t.region,
                namespace: METRICS_NAMESPACE,
                log_group_name: t.logGroupName,
                log_stream_name: t.component,
                dimension_rollup_option: "NoDimensionRollup",
                version: "1",
                metric_declarations: [{ dimensions: [[...METRIC_DIMENSIONS]], metric_name_selectors: metricNameSelectors(t.metrics) }],
            },
        },
        service: {
            extensions: ["health_check"],
            pipelines: {
                metrics: {
                    receivers: ["prometheus"],
                    processors: ["metricstransform", "cumulativetodelta", "batch"],
                    exporters: ["awsemf"],
                },
            },
            telemetry: { logs: { level: "warn" }, metrics: { level: "none" } },
        },
    };
}

/**
 * The configuration as the container's `AOT_CONFIG_CONTENT`: JSON, which is YAML, with keys in a fixed
 * order so that an unchanged configuration never redeploys the task.
 */
export function collectorConfigText(t: CollectorTarget): string {
    const text = JSON.stringify(collectorConfig(t));
    if (text.includes("$"))
        throw new Error(`metrics collector "${t.component}": configuration contains "$"; valid: no "$" (the collector expands it)`);
    return text;
}
