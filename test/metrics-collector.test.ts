/**
 * The metrics sidecar's configuration (components/app/metrics-collector.ts) run against `/metrics`
 * samples of the MCP server and an MCP client (test/fixtures/metrics/*.prom: upstream 1.18's metric
 * families — names, help, types and labels as `server/metrics.py` and `client/metrics.py` declare them,
 * in prometheus_client's text format, plus the process/python metrics the server's default registry
 * adds and the `environment_variables_info` it fills from its environment), through the collector's
 * steps as test/support/emf-simulator.ts reproduces them: the exact CloudWatch namespace, metric names,
 * dimensions and values, and what never leaves the task.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { MCP_CLIENT_METRICS, MCP_SERVER_METRICS } from "../components/app/catalogue/metrics";
import {
    collectorConfig,
    collectorConfigText,
    CollectorTarget,
    keepRegex,
    metricNameSelectors,
    METRICS_NAMESPACE,
} from "../components/app/metrics-collector";
import { EmfEvent, parsePrometheusText, PROMETHEUS_RECEIVER_SCOPE, runCollector } from "./support/emf-simulator";

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, "fixtures", "metrics", name), "utf8");
const SERVER_TEXT = fixture("mcp-server.prom");
const CLIENT_TEXT = fixture("mcp-client.prom");

const target = (component: string, metrics: CollectorTarget["metrics"]): CollectorTarget => ({
    stack: "staging",
    component,
    port: 7999,
    metrics,
    logGroupName: `/archivematica/staging/metrics`,
    region: "eu-west-2",
});
const SERVER = target("mcp-server", MCP_SERVER_METRICS);
const CLIENT = target("mcp-client", MCP_CLIENT_METRICS);

/** The events that carry CloudWatch metrics, as (namespace, dimensions, metric name) rows. */
function published(events: EmfEvent[]): string[] {
    return events.flatMap((e) =>
        (e._aws?.CloudWatchMetrics ?? []).flatMap((m) => m.Metrics.map((x) => `${m.Namespace} ${JSON.stringify(m.Dimensions)} ${x.Name}`)),
    );
}

describe("metrics sidecar: the collector configuration against upstream's /metrics", () => {
    it("the fixtures hold every family upstream declares for the published metrics, with its declared type", () => {
        const server = parsePrometheusText(SERVER_TEXT).types;
        const client = parsePrometheusText(CLIENT_TEXT).types;
        for (const m of MCP_SERVER_METRICS.filter((x) => x.name !== "up"))
            assert.equal(server.get(m.name), m.type, `${m.name} in mcp-server.prom`);
        for (const m of MCP_CLIENT_METRICS.filter((x) => x.name !== "up"))
            assert.equal(client.get(m.name), m.type, `${m.name} in mcp-client.prom`);
        assert.equal(server.get("environment_variables_info"), "gauge");
    });

    it("MCP server: one EMF event in namespace Archivematica, dimensions [component, stack], exactly the ten metrics, labels summed away", () => {
        const [events] = runCollector(collectorConfig(SERVER), [SERVER_TEXT]);
        const dims = '[["component","stack"]]';
        assert.deepEqual(published(events), [
            `Archivematica ${dims} mcpserver_active_jobs`,
            `Archivematica ${dims} mcpserver_active_package_job_queue_length`,
            `Archivematica ${dims} mcpserver_active_packages`,
            `Archivematica ${dims} mcpserver_gearman_active_jobs`,
            `Archivematica ${dims} mcpserver_gearman_pending_jobs`,
            `Archivematica ${dims} mcpserver_package_queue_length`,
            `Archivematica ${dims} mcpserver_task_duration_seconds`,
            `Archivematica ${dims} mcpserver_task_error_total`,
            `Archivematica ${dims} mcpserver_task_total`,
            `Archivematica ${dims} up`,
        ]);
        assert.equal(events.length, 1);
        const { _aws, ...fields } = events[0];
        assert.ok(_aws);
        assert.deepEqual(fields, {
            component: "mcp-server",
            stack: "staging",
            OTelLib: PROMETHEUS_RECEIVER_SCOPE,
            Version: "1",
            mcpserver_active_jobs: 2,
            mcpserver_active_package_job_queue_length: 0,
            mcpserver_active_packages: 2,
            mcpserver_gearman_active_jobs: 6,
            mcpserver_gearman_pending_jobs: 1,
            // Transfer 3 + SIP 1 + DIP 0
            mcpserver_package_queue_length: 4,
            mcpserver_task_duration_seconds: { Max: 0, Min: 0, Count: 513, Sum: 1630 },
            mcpserver_task_error_total: 2,
            mcpserver_task_total: 516,
            up: 1,
        });
    });

    it("MCP client: jobs, job errors, execution time and AIPs stored, summed over scripts", () => {
        const [events] = runCollector(collectorConfig(CLIENT), [CLIENT_TEXT]);
        const dims = '[["component","stack"]]';
        assert.deepEqual(published(events), [
            `Archivematica ${dims} mcpclient_aips_stored_total`,
            `Archivematica ${dims} mcpclient_job_error_total`,
            `Archivematica ${dims} mcpclient_job_total`,
            `Archivematica ${dims} mcpclient_task_execution_time_seconds`,
            `Archivematica ${dims} up`,
        ]);
        const { _aws: _ignored, ...fields } = events[0];
        assert.deepEqual(fields, {
            component: "mcp-client",
            stack: "staging",
            OTelLib: PROMETHEUS_RECEIVER_SCOPE,
            Version: "1",
            mcpclient_aips_stored_total: 1,
            mcpclient_job_error_total: 1,
            mcpclient_job_total: 5,
            mcpclient_task_execution_time_seconds: { Max: 0, Min: 0, Count: 5, Sum: 714 },
            up: 1,
        });
    });

    it("counters and histograms are per-scrape deltas after the first scrape; gauges are values", () => {
        const later = SERVER_TEXT.replace(
            'mcpserver_task_total{task_group_name="Identify file format",task_name="Identify file format"} 512.0',
            'mcpserver_task_total{task_group_name="Identify file format",task_name="Identify file format"} 530.0',
        )
            .replace("mcpserver_gearman_active_jobs 6.0", "mcpserver_gearman_active_jobs 0.0")
            .replace(
                'mcpserver_task_duration_seconds_count{script_name="identifyfileformat_v0.0"} 512.0',
                'mcpserver_task_duration_seconds_count{script_name="identifyfileformat_v0.0"} 530.0',
            )
            .replace(
                'mcpserver_task_duration_seconds_sum{script_name="identifyfileformat_v0.0"} 1536.0',
                'mcpserver_task_duration_seconds_sum{script_name="identifyfileformat_v0.0"} 1590.0',
            );
        assert.notEqual(later, SERVER_TEXT);
        const [, second] = runCollector(collectorConfig(SERVER), [SERVER_TEXT, later]);
        assert.equal(second[0].mcpserver_task_total, 18);
        assert.equal(second[0].mcpserver_task_error_total, 0);
        assert.equal(second[0].mcpserver_gearman_active_jobs, 0);
        assert.deepEqual(second[0].mcpserver_task_duration_seconds, { Max: 0, Min: 0, Count: 18, Sum: 54 });
    });

    it("nothing else leaves the task: not the environment (secrets), the version info, process or python metrics", () => {
        for (const [t, text] of [
            [SERVER, SERVER_TEXT],
            [CLIENT, CLIENT_TEXT],
        ] as const) {
            const written = JSON.stringify(runCollector(collectorConfig(t), [text]));
            for (const leak of [
                "fixture-db-password-must-not-leave-the-task",
                "fixture-django-key-must-not-leave-the-task",
                "environment_variables",
                "archivematica_version",
                "python_",
                "process_",
                "_created",
                "_timestamp",
                "transfer_started",
                "aip_size",
            ])
                assert.ok(!written.includes(leak), `${t.component}: ${leak} reached CloudWatch Logs`);
        }
    });

    it("the keep regex lists each published sample exactly (a histogram's three), and Prometheus anchors it", () => {
        assert.equal(
            keepRegex(MCP_CLIENT_METRICS),
            "mcpclient_aips_stored_total|mcpclient_job_error_total|mcpclient_job_total|mcpclient_task_execution_time_seconds_bucket|mcpclient_task_execution_time_seconds_count|mcpclient_task_execution_time_seconds_sum|up",
        );
        const keep = new RegExp(`^(?:${keepRegex(MCP_SERVER_METRICS)})$`);
        assert.ok(keep.test("mcpserver_task_total"));
        assert.ok(!keep.test("mcpserver_task_total_extra"));
        assert.ok(!keep.test("environment_variables_info"));
    });

    it("name selectors match whole names only, without a `$` (the collector would expand it)", () => {
        const selectors = metricNameSelectors(MCP_SERVER_METRICS).map((s) => new RegExp(s));
        const matches = (name: string) => selectors.some((r) => r.test(name));
        assert.ok(matches("mcpserver_task_total"));
        assert.ok(!matches("mcpserver_task_total_foo"));
        assert.ok(!matches("xmcpserver_task_total"));
        assert.ok(!matches("mcpserver_task_success_timestamp"));
        assert.ok(!collectorConfigText(SERVER).includes("$"));
    });

    it("the container gets JSON, which the collector reads as YAML to the same configuration", () => {
        const text = collectorConfigText(CLIENT);
        assert.deepEqual(YAML.parse(text), collectorConfig(CLIENT));
        const c = collectorConfig(CLIENT) as { exporters: { awsemf: Record<string, unknown> } };
        assert.deepEqual(c.exporters.awsemf, {
            region: "eu-west-2",
            namespace: METRICS_NAMESPACE,
            log_group_name: "/archivematica/staging/metrics",
            log_stream_name: "mcp-client",
            dimension_rollup_option: "NoDimensionRollup",
            version: "1",
            metric_declarations: [
                {
                    dimensions: [["component", "stack"]],
                    metric_name_selectors: [
                        "^mcpclient_aips_stored_total\\b",
                        "^mcpclient_job_error_total\\b",
                        "^mcpclient_job_total\\b",
                        "^mcpclient_task_execution_time_seconds\\b",
                        "^up\\b",
                    ],
                },
            ],
        });
    });

    it("refuses a configuration that would hold a `$`", () => {
        assert.throws(
            () => collectorConfigText({ ...CLIENT, logGroupName: "/archivematica/$HOME" }),
            /^Error: metrics collector "mcp-client": configuration contains "\$"; valid: no "\$" \(the collector expands it\)$/,
        );
    });
});
