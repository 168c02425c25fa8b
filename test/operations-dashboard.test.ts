import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { layout, OperationsDashboard, OperationsDashboardArgs } from "../components/operations/operations-dashboard";
import { plan } from "./harness";

const R = "eu-west-2";
const ALARM = "arn:aws:cloudwatch:eu-west-2:123456789012:alarm:am-dashboard-running";

function args(overrides: Partial<OperationsDashboardArgs> = {}): OperationsDashboardArgs {
    return {
        dashboardName: "archivematica-staging",
        region: R,
        clusterName: "am",
        services: { dashboard: "am-dashboard", "mcp-client": pulumi.output("am-mcp-client") },
        mcpClient: { component: "mcp-client", minCount: 1, maxCount: 4, cpuTarget: 70 },
        database: { identifier: "am-db-staging", maxConnections: 170 },
        fileSystemId: "fs-0123456789abcdef0",
        loadBalancer: { arnSuffix: "app/am-alb/0123", targetGroups: { dashboard: "targetgroup/am-dash/0123" } },
        alarmArns: [ALARM],
        ...overrides,
    };
}

async function body(a: OperationsDashboardArgs): Promise<{ widgets: Record<string, any>[] }> {
    const p = await plan(() => new OperationsDashboard("ops", a));
    return JSON.parse(p.named("ops-dashboard").props.dashboardBody);
}

const graph = (title: string, metrics: unknown[], extra: Record<string, unknown>) => ({
    title,
    view: "timeSeries",
    region: R,
    metrics,
    period: 60,
    ...extra,
});

describe("OperationsDashboard", () => {
    it("one dashboard with the given name; its console URL", async () => {
        let url: pulumi.Output<string> | undefined;
        const p = await plan(() => {
            url = new OperationsDashboard("ops", args()).url;
            return { url };
        });
        const d = p.named("ops-dashboard");
        assert.strictEqual(d.props.dashboardName, "archivematica-staging");
        assert.strictEqual(d.parent, p.named("ops").urn);
        assert.strictEqual(
            p.outputs.url,
            "https://eu-west-2.console.aws.amazon.com/cloudwatch/home?region=eu-west-2#dashboards/dashboard/archivematica-staging",
        );
    });

    it("alarms on top, then per service running vs desired and CPU/memory", async () => {
        const { widgets } = await body(args());
        assert.deepStrictEqual(widgets[0], {
            type: "alarm",
            x: 0,
            y: 0,
            width: 24,
            height: 4,
            properties: { title: "Alarms", alarms: [ALARM], sortBy: "stateUpdatedTimestamp" },
        });
        assert.deepStrictEqual(widgets[1], {
            type: "text",
            x: 0,
            y: 4,
            width: 24,
            height: 1,
            properties: { markdown: "## Services: running vs desired tasks, CPU and memory" },
        });
        const dims = ["ClusterName", "am", "ServiceName", "am-dashboard"];
        assert.deepStrictEqual(widgets[2], {
            type: "metric",
            x: 0,
            y: 5,
            width: 12,
            height: 6,
            properties: graph(
                "dashboard: tasks",
                [
                    ["ECS/ContainerInsights", "DesiredTaskCount", ...dims, { label: "desired" }],
                    ["ECS/ContainerInsights", "RunningTaskCount", ...dims, { label: "running" }],
                ],
                { stat: "Average" },
            ),
        });
        assert.deepStrictEqual(widgets[3], {
            type: "metric",
            x: 12,
            y: 5,
            width: 12,
            height: 6,
            properties: graph(
                "dashboard: CPU and memory (%)",
                [
                    ["AWS/ECS", "CPUUtilization", ...dims, { label: "CPU" }],
                    ["AWS/ECS", "MemoryUtilization", ...dims, { label: "memory" }],
                ],
                { stat: "Average", yAxis: { left: { min: 0, max: 100 } } },
            ),
        });
        assert.strictEqual(widgets[4].properties.title, "mcp-client: tasks");
        assert.deepStrictEqual(widgets[4].properties.metrics[1], [
            "ECS/ContainerInsights",
            "RunningTaskCount",
            "ClusterName",
            "am",
            "ServiceName",
            "am-mcp-client",
            { label: "running" },
        ]);
        assert.deepStrictEqual([widgets[4].y, widgets[5].y], [11, 11]);
    });

    it("MCP client scaling with the min/max and the CPU target drawn", async () => {
        const { widgets } = await body(args());
        const dims = ["ClusterName", "am", "ServiceName", "am-mcp-client"];
        assert.deepStrictEqual(
            widgets.slice(6, 9).map((w) => w.properties),
            [
                { markdown: "## MCP client scaling" },
                graph(
                    "MCP clients: tasks (autoscaling 1-4)",
                    [
                        ["ECS/ContainerInsights", "DesiredTaskCount", ...dims, { label: "desired" }],
                        ["ECS/ContainerInsights", "RunningTaskCount", ...dims, { label: "running" }],
                    ],
                    {
                        stat: "Average",
                        annotations: {
                            horizontal: [
                                { label: "min", value: 1 },
                                { label: "max", value: 4 },
                            ],
                        },
                    },
                ),
                graph("MCP clients: CPU (%) against the 70% target", [["AWS/ECS", "CPUUtilization", ...dims, { label: "average CPU" }]], {
                    stat: "Average",
                    annotations: { horizontal: [{ label: "target", value: 70 }] },
                    yAxis: { left: { min: 0, max: 100 } },
                }),
            ],
        );
    });

    it("database, EFS and load balancer rows (rows after the alarm row 4, headings 1 and graphs 6 high)", async () => {
        const { widgets } = await body(args());
        const rest = widgets.slice(9).map((w) => [w.type, w.x, w.y, w.width, w.height, w.properties]);
        const rds = (m: string, label: string) => ["AWS/RDS", m, "DBInstanceIdentifier", "am-db-staging", { label }];
        const fs = "fs-0123456789abcdef0";
        const alb = (m: string, o: Record<string, unknown>) => ["AWS/ApplicationELB", m, "LoadBalancer", "app/am-alb/0123", o];
        assert.deepStrictEqual(rest, [
            ["text", 0, 24, 24, 1, { markdown: "## Database (RDS MySQL)" }],
            ["metric", 0, 25, 6, 6, graph("Database: CPU (%)", [rds("CPUUtilization", "CPU")], { stat: "Average", period: 300 })],
            [
                "metric",
                6,
                25,
                6,
                6,
                graph("Database: connections", [rds("DatabaseConnections", "connections")], {
                    stat: "Maximum",
                    period: 300,
                    annotations: { horizontal: [{ label: "max_connections", value: 170 }] },
                }),
            ],
            [
                "metric",
                12,
                25,
                6,
                6,
                graph("Database: free storage (bytes)", [rds("FreeStorageSpace", "free storage")], { stat: "Minimum", period: 300 }),
            ],
            [
                "metric",
                18,
                25,
                6,
                6,
                graph("Database: freeable memory (bytes)", [rds("FreeableMemory", "freeable memory")], { stat: "Average", period: 300 }),
            ],
            ["text", 0, 31, 24, 1, { markdown: "## Shared storage (EFS)" }],
            [
                "metric",
                0,
                32,
                8,
                6,
                graph("EFS: stored bytes", [["AWS/EFS", "StorageBytes", "FileSystemId", fs, "StorageClass", "Total", { label: "total" }]], {
                    stat: "Maximum",
                    period: 900,
                }),
            ],
            [
                "metric",
                8,
                32,
                8,
                6,
                graph(
                    "EFS: throughput utilisation (%)",
                    [
                        [{ expression: "(metered / PERIOD(metered)) / permitted * 100", label: "utilisation", id: "utilisation" }],
                        ["AWS/EFS", "MeteredIOBytes", "FileSystemId", fs, { id: "metered", stat: "Sum", visible: false }],
                        ["AWS/EFS", "PermittedThroughput", "FileSystemId", fs, { id: "permitted", stat: "Average", visible: false }],
                    ],
                    { period: 300, yAxis: { left: { min: 0, max: 100 } } },
                ),
            ],
            [
                "metric",
                16,
                32,
                8,
                6,
                graph("EFS: client connections", [["AWS/EFS", "ClientConnections", "FileSystemId", fs, { label: "connections" }]], {
                    stat: "Sum",
                }),
            ],
            ["text", 0, 38, 24, 1, { markdown: "## Load balancer" }],
            ["metric", 0, 39, 6, 6, graph("ALB: requests", [alb("RequestCount", { label: "requests" })], { stat: "Sum", period: 300 })],
            [
                "metric",
                6,
                39,
                6,
                6,
                graph(
                    "ALB: 5xx responses",
                    [
                        alb("HTTPCode_ELB_5XX_Count", { label: "from the load balancer" }),
                        alb("HTTPCode_Target_5XX_Count", { label: "from the targets" }),
                    ],
                    {
                        stat: "Sum",
                        period: 300,
                    },
                ),
            ],
            [
                "metric",
                12,
                39,
                6,
                6,
                graph("ALB: response time p95 (s)", [alb("TargetResponseTime", { label: "p95", stat: "p95" })], { period: 300 }),
            ],
            [
                "metric",
                18,
                39,
                6,
                6,
                graph(
                    "ALB: targets",
                    [
                        [
                            "AWS/ApplicationELB",
                            "HealthyHostCount",
                            "TargetGroup",
                            "targetgroup/am-dash/0123",
                            "LoadBalancer",
                            "app/am-alb/0123",
                            { label: "dashboard healthy" },
                        ],
                        [
                            "AWS/ApplicationELB",
                            "UnHealthyHostCount",
                            "TargetGroup",
                            "targetgroup/am-dash/0123",
                            "LoadBalancer",
                            "app/am-alb/0123",
                            { label: "dashboard unhealthy" },
                        ],
                    ],
                    { stat: "Maximum" },
                ),
            ],
        ]);
    });

    it("only the service rows when nothing else is given", async () => {
        const { widgets } = await body({ dashboardName: "d", region: R, clusterName: "am", services: { gearmand: "am-gearmand" } });
        assert.deepStrictEqual(
            widgets.map((w) => w.properties.title ?? w.properties.markdown),
            ["## Services: running vs desired tasks, CPU and memory", "gearmand: tasks", "gearmand: CPU and memory (%)"],
        );
    });

    it("layout wraps rows at 24 columns, each row as high as its tallest widget", () => {
        const w = (width: number, height: number) => ({ type: "text" as const, width, height, properties: {} });
        assert.deepStrictEqual(
            layout([w(24, 1), w(12, 6), w(8, 3), w(8, 6), w(24, 2)]).map((p) => [p.x, p.y]),
            [
                [0, 0],
                [0, 1],
                [12, 1],
                [0, 7],
                [0, 13],
            ],
        );
    });

    describe("refuses bad arguments in one line", () => {
        const cases: [string, Partial<OperationsDashboardArgs>, string][] = [
            [
                "a dashboard name with spaces",
                { dashboardName: "am staging" },
                'OperationsDashboard "ops": dashboardName "am staging" is not a dashboard name; valid: 1-255 letters, digits, - or _',
            ],
            [
                "a region typo",
                { region: "eu-west" },
                'OperationsDashboard "ops": region "eu-west" is not a region; valid: an AWS region such as eu-west-2',
            ],
            [
                "no services",
                { services: {}, mcpClient: undefined },
                'OperationsDashboard "ops": services is empty; valid: at least one ECS service by component name',
            ],
            [
                "an MCP client that is not a service",
                { mcpClient: { component: "mcp", minCount: 1, maxCount: 2, cpuTarget: 70 } },
                'OperationsDashboard "ops": mcpClient.component "mcp" is not in services; valid: dashboard, mcp-client',
            ],
            [
                "an inverted scaling range",
                { mcpClient: { component: "mcp-client", minCount: 3, maxCount: 2, cpuTarget: 70 } },
                'OperationsDashboard "ops": mcpClient minCount 3 and maxCount 2 are not a range; valid: integers with 0 <= minCount <= maxCount',
            ],
            [
                "a CPU target above 100",
                { mcpClient: { component: "mcp-client", minCount: 1, maxCount: 2, cpuTarget: 120 } },
                'OperationsDashboard "ops": mcpClient.cpuTarget 120 is out of range; valid: 10 to 95',
            ],
            [
                "too many alarms",
                { alarmArns: Array.from({ length: 101 }, (_, i) => `${ALARM}-${i}`) },
                'OperationsDashboard "ops": alarmArns has 101 alarms; valid: at most 100',
            ],
        ];
        for (const [what, overrides, message] of cases) {
            it(what, async () => {
                await assert.rejects(
                    plan(() => new OperationsDashboard("ops", args(overrides))),
                    (e: Error) => {
                        assert.ok(e.message.includes(message), e.message);
                        return true;
                    },
                );
                assert.throws(() => new OperationsDashboard("ops", args(overrides)), { message });
            });
        }
    });
});
