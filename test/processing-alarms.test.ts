/**
 * ProcessingAlarms and the processing widgets: exact metrics, dimensions, expressions and thresholds.
 */
import { strict as assert } from "assert";
import { ProcessingAlarms, ProcessingAlarmsArgs } from "../components/operations/processing-alarms";
import { processingWidgets } from "../components/operations/processing-widgets";
import { COMPONENT_TAGS, plan, TestPlan } from "./harness";

const TOPIC = "arn:aws:sns:eu-west-2:123456789012:archivematica-staging-alarms";
const ARGS: ProcessingAlarmsArgs = {
    tags: COMPONENT_TAGS,
    topicArn: TOPIC,
    stack: "staging",
    clusterName: "archivematica-staging",
    clientServiceName: "archivematica-mcp-client-service-1a2b3c4",
};

const am = (id: string, metricName: string, component: string, stat: string, period: number) => ({
    id,
    metric: { namespace: "Archivematica", metricName, dimensions: { component, stack: "staging" }, period, stat },
    returnData: false,
});
const STALLED = "IF(FILL(active, 0) + FILL(pending, 0) + FILL(queued, 0) > 0, IF(FILL(completed, 0) < 1, 1, 0), 0)";

describe("ProcessingAlarms", () => {
    let p: TestPlan;
    before(async () => {
        p = await plan(() => new ProcessingAlarms("archivematica-processing", ARGS));
    });

    it("three alarms, each to the topic (alarm and OK), tagged and named after the component", () => {
        const alarms = p.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
        assert.deepEqual(alarms.map((a) => a.name).sort(), [
            "archivematica-processing-job-errors",
            "archivematica-processing-metrics-missing",
            "archivematica-processing-stalled",
        ]);
        for (const a of alarms) {
            assert.deepEqual([a.props.alarmActions, a.props.okActions, a.props.actionsEnabled], [[TOPIC], [TOPIC], true], a.name);
            assert.equal(a.props.tags.Name, a.name);
        }
    });

    it("stalled: work waiting and no task completed, 15 one-minute datapoints", () => {
        const a = p.named("archivematica-processing-stalled").props;
        assert.deepEqual(
            [a.comparisonOperator, a.threshold, a.evaluationPeriods, a.datapointsToAlarm, a.treatMissingData],
            ["GreaterThanThreshold", 0, 15, 15, "notBreaching"],
        );
        assert.deepEqual(a.metricQueries, [
            am("active", "mcpserver_gearman_active_jobs", "mcp-server", "Maximum", 60),
            am("pending", "mcpserver_gearman_pending_jobs", "mcp-server", "Maximum", 60),
            am("queued", "mcpserver_package_queue_length", "mcp-server", "Maximum", 60),
            am("completed", "mcpserver_task_total", "mcp-server", "Sum", 60),
            { id: "stalled", expression: STALLED, label: "Work waiting and no task completed", returnData: true },
        ]);
    });

    it("with processing hours the stall also needs desired MCP clients", async () => {
        const hours = await plan(
            () => new ProcessingAlarms("archivematica-processing", { ...ARGS, processingHours: true, stallMinutes: 45 }),
        );
        const a = hours.named("archivematica-processing-stalled").props;
        assert.equal(a.evaluationPeriods, 45);
        assert.deepEqual(a.metricQueries.slice(4), [
            {
                id: "desired",
                metric: {
                    namespace: "ECS/ContainerInsights",
                    metricName: "DesiredTaskCount",
                    dimensions: { ClusterName: "archivematica-staging", ServiceName: "archivematica-mcp-client-service-1a2b3c4" },
                    period: 60,
                    stat: "Maximum",
                },
                returnData: false,
            },
            {
                id: "stalled",
                expression: `IF(FILL(desired, 0) > 0, ${STALLED}, 0)`,
                label: "Work waiting and no task completed",
                returnData: true,
            },
        ]);
    });

    it("job errors: more than 25% of at least 10 MCP client jobs in 15 minutes", () => {
        const a = p.named("archivematica-processing-job-errors").props;
        assert.deepEqual(
            [a.comparisonOperator, a.threshold, a.evaluationPeriods, a.treatMissingData],
            ["GreaterThanThreshold", 25, 1, "notBreaching"],
        );
        assert.deepEqual(a.metricQueries, [
            am("jobs", "mcpclient_job_total", "mcp-client", "Sum", 900),
            am("errors", "mcpclient_job_error_total", "mcp-client", "Sum", 900),
            {
                id: "share",
                expression: "IF(FILL(jobs, 0) >= 10, 100 * FILL(errors, 0) / (FILL(jobs, 0) + IF(FILL(jobs, 0) < 1, 1, 0)), 0)",
                label: "Failed MCP client jobs (%)",
                returnData: true,
            },
        ]);
    });

    it("metrics missing: the MCP server sidecar's `up` below 1 or absent for 15 minutes", () => {
        const a = p.named("archivematica-processing-metrics-missing").props;
        assert.deepEqual(
            [
                a.namespace,
                a.metricName,
                a.dimensions,
                a.statistic,
                a.period,
                a.comparisonOperator,
                a.threshold,
                a.evaluationPeriods,
                a.treatMissingData,
            ],
            ["Archivematica", "up", { component: "mcp-server", stack: "staging" }, "Minimum", 300, "LessThanThreshold", 1, 3, "breaching"],
        );
    });

    it("refuses a bad window or percentage", () => {
        assert.throws(() => new ProcessingAlarms("x", { ...ARGS, stallMinutes: 0 }), {
            message: 'ProcessingAlarms "x": stallMinutes 0 is out of range; valid: an integer from 1 to 1440',
        });
        assert.throws(() => new ProcessingAlarms("x", { ...ARGS, jobErrorPercent: 150 }), {
            message: 'ProcessingAlarms "x": jobErrorPercent 150 is out of range; valid: above 0, at most 100',
        });
    });
});

describe("processing widgets", () => {
    it("queue, work, clients, throughput, durations and AIPs, from the Archivematica namespace", () => {
        const widgets = processingWidgets("eu-west-2", {
            stack: "staging",
            clusterName: "archivematica-staging",
            clientServiceName: "svc",
            minCount: 0,
            maxCount: 5,
        });
        assert.deepEqual(
            widgets.map((w) => (w.type === "text" ? w.properties.markdown : w.properties.title)),
            [
                "## Processing: Archivematica's queue, work and MCP clients",
                "Queue: gearman jobs and waiting packages",
                "Work in flight",
                "MCP clients (queue scaling 0-5)",
                "Tasks and jobs a minute",
                "Task duration (average, s)",
                "AIPs stored",
            ],
        );
        const metrics = (i: number) => widgets[i].properties.metrics as unknown[][];
        assert.deepEqual(metrics(1)[0], [
            "Archivematica",
            "mcpserver_gearman_active_jobs",
            "component",
            "mcp-server",
            "stack",
            "staging",
            { label: "gearman jobs (queued or running)" },
        ]);
        assert.deepEqual(metrics(5), [
            [
                "Archivematica",
                "mcpserver_task_duration_seconds",
                "component",
                "mcp-server",
                "stack",
                "staging",
                { label: "task (MCP server)" },
            ],
            [
                "Archivematica",
                "mcpclient_task_execution_time_seconds",
                "component",
                "mcp-client",
                "stack",
                "staging",
                { label: "job (MCP client)" },
            ],
        ]);
        assert.deepEqual([widgets[5].properties.stat, widgets[5].properties.period], ["Average", 300]);
    });
});
