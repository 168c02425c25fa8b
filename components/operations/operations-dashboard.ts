/**
 * The operations dashboard: one CloudWatch dashboard per stack, the picture an operator opens first.
 * Alarms on top, then each service (running vs desired tasks, CPU and memory), processing (the queue,
 * work in flight, MCP clients, completions and durations: processing-widgets.ts), the database, the
 * shared file system and the load balancer.
 *
 * The body is data: built from the inputs with `pulumi.jsonStringify`, so ids and names resolve at
 * deploy time without creating anything inside an `apply`. Widget JSON: CloudWatch API reference,
 * "Dashboard body structure and syntax".
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { processingWidgets, ProcessingWidgetsArgs } from "./processing-widgets";

/** Dashboard names: letters, digits, - and _, up to 255 (CloudWatch PutDashboard). */
const DASHBOARD_NAME = /^[A-Za-z0-9_-]{1,255}$/;
/** Regions as AWS names them. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
/** The alarm-status widget shows at most 100 alarms. */
const MAX_ALARMS = 100;

export interface OperationsDashboardArgs {
    /**
     * Name of the dashboard (unique in the account and region).
     * @example "archivematica-staging"
     */
    dashboardName: string;
    /** Region of the metrics, and of the console URL. */
    region: string;
    /** The ECS cluster's name (the ClusterName dimension). */
    clusterName: pulumi.Input<string>;
    /** ECS service names by component, in the order the dashboard shows them; at least one. */
    services: Record<string, pulumi.Input<string>>;
    /**
     * Archivematica's own metrics and the MCP clients' range: the processing row.
     * @default none (no processing row)
     */
    processing?: ProcessingWidgetsArgs;
    /**
     * The RDS instance, and the max_connections line on the connections graph.
     * @default none (no database row)
     */
    database?: { identifier: pulumi.Input<string>; maxConnections?: number };
    /**
     * The EFS file system.
     * @default none (no file-system row)
     */
    fileSystemId?: pulumi.Input<string>;
    /**
     * The load balancer's ARN suffix and its target groups' ARN suffixes by name.
     * @default none (no load-balancer row)
     */
    loadBalancer?: { arnSuffix: pulumi.Input<string>; targetGroups: Record<string, pulumi.Input<string>> };
    /**
     * Alarms whose state the top row shows (at most 100).
     * @default [] (no alarm row)
     */
    alarmArns?: pulumi.Input<string>[];
    /**
     * More rows, shown after the others (e.g. ingest and fixity, components/operations/ingest-alarms.ts).
     * @default [] (none)
     */
    sections?: DashboardWidget[];
}

/** Throws the one-line error for a bad argument. */
function fail(name: string, field: string, problem: string, valid: string): never {
    throw new Error(`OperationsDashboard "${name}": ${field} ${problem}; valid: ${valid}`);
}

/** Validates the arguments before any child is registered. */
function validate(name: string, args: OperationsDashboardArgs): void {
    if (!DASHBOARD_NAME.test(args.dashboardName))
        fail(name, "dashboardName", `${JSON.stringify(args.dashboardName)} is not a dashboard name`, "1-255 letters, digits, - or _");
    if (!REGION.test(args.region))
        fail(name, "region", `${JSON.stringify(args.region)} is not a region`, "an AWS region such as eu-west-2");
    const components = Object.keys(args.services);
    if (components.length === 0) fail(name, "services", "is empty", "at least one ECS service by component name");
    const p = args.processing;
    if (p && !(Number.isInteger(p.minCount) && Number.isInteger(p.maxCount) && p.minCount >= 0 && p.minCount <= p.maxCount)) {
        fail(
            name,
            "processing",
            `minCount ${p.minCount} and maxCount ${p.maxCount} are not a range`,
            "integers with 0 <= minCount <= maxCount",
        );
    }
    if ((args.alarmArns?.length ?? 0) > MAX_ALARMS)
        fail(name, "alarmArns", `has ${args.alarmArns!.length} alarms`, `at most ${MAX_ALARMS}`);
}

/** The console URL of a dashboard. */
export function dashboardUrl(region: string, dashboardName: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.interpolate`https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${dashboardName}`;
}

type Metric = pulumi.Input<string | Record<string, unknown>>[];
type Widget = DashboardWidget;

/** A widget before layout (other components hand rows of these in as `sections`). */
export interface DashboardWidget {
    type: "metric" | "text" | "alarm";
    width: number;
    height: number;
    properties: Record<string, unknown>;
}

const GRID = 24;

/** A time-series graph. */
function graph(region: string, title: string, metrics: Metric[], extra: Record<string, unknown> = {}, width = 8): Widget {
    return { type: "metric", width, height: 6, properties: { title, view: "timeSeries", region, metrics, period: 60, ...extra } };
}

/** A full-width section heading. */
function heading(markdown: string): Widget {
    return { type: "text", width: GRID, height: 1, properties: { markdown } };
}

const line = (label: string, value: number) => ({ label, value });

function serviceWidgets(region: string, clusterName: pulumi.Input<string>, services: Record<string, pulumi.Input<string>>): Widget[] {
    const widgets = [heading("## Services: running vs desired tasks, CPU and memory")];
    for (const [component, serviceName] of Object.entries(services)) {
        const metric =
            (namespace: string) =>
            (metricName: string, label: string): Metric => [
                namespace,
                metricName,
                "ClusterName",
                clusterName,
                "ServiceName",
                serviceName,
                { label },
            ];
        const insights = metric("ECS/ContainerInsights");
        const ecs = metric("AWS/ECS");
        widgets.push(
            graph(
                region,
                `${component}: tasks`,
                [insights("DesiredTaskCount", "desired"), insights("RunningTaskCount", "running")],
                { stat: "Average" },
                12,
            ),
            graph(
                region,
                `${component}: CPU and memory (%)`,
                [ecs("CPUUtilization", "CPU"), ecs("MemoryUtilization", "memory")],
                { stat: "Average", yAxis: { left: { min: 0, max: 100 } } },
                12,
            ),
        );
    }
    return widgets;
}

function databaseWidgets(region: string, db: NonNullable<OperationsDashboardArgs["database"]>): Widget[] {
    const rds = (metricName: string, label: string): Metric => ["AWS/RDS", metricName, "DBInstanceIdentifier", db.identifier, { label }];
    const connections: Record<string, unknown> = { stat: "Maximum", period: 300 };
    if (db.maxConnections !== undefined) connections.annotations = { horizontal: [line("max_connections", db.maxConnections)] };
    return [
        heading("## Database (RDS MySQL)"),
        graph(region, "Database: CPU (%)", [rds("CPUUtilization", "CPU")], { stat: "Average", period: 300 }, 6),
        graph(region, "Database: connections", [rds("DatabaseConnections", "connections")], connections, 6),
        graph(region, "Database: free storage (bytes)", [rds("FreeStorageSpace", "free storage")], { stat: "Minimum", period: 300 }, 6),
        graph(region, "Database: freeable memory (bytes)", [rds("FreeableMemory", "freeable memory")], { stat: "Average", period: 300 }, 6),
    ];
}

function fileSystemWidgets(region: string, fileSystemId: pulumi.Input<string>): Widget[] {
    return [
        heading("## Shared storage (EFS)"),
        graph(
            region,
            "EFS: stored bytes",
            [["AWS/EFS", "StorageBytes", "FileSystemId", fileSystemId, "StorageClass", "Total", { label: "total" }]],
            { stat: "Maximum", period: 900 },
        ),
        graph(
            region,
            "EFS: throughput utilisation (%)",
            [
                [{ expression: "(metered / PERIOD(metered)) / permitted * 100", label: "utilisation", id: "utilisation" }],
                ["AWS/EFS", "MeteredIOBytes", "FileSystemId", fileSystemId, { id: "metered", stat: "Sum", visible: false }],
                ["AWS/EFS", "PermittedThroughput", "FileSystemId", fileSystemId, { id: "permitted", stat: "Average", visible: false }],
            ],
            { period: 300, yAxis: { left: { min: 0, max: 100 } } },
        ),
        graph(
            region,
            "EFS: client connections",
            [["AWS/EFS", "ClientConnections", "FileSystemId", fileSystemId, { label: "connections" }]],
            { stat: "Sum" },
        ),
    ];
}

function loadBalancerWidgets(region: string, lb: NonNullable<OperationsDashboardArgs["loadBalancer"]>): Widget[] {
    const alb = (metricName: string, options: Record<string, unknown>): Metric => [
        "AWS/ApplicationELB",
        metricName,
        "LoadBalancer",
        lb.arnSuffix,
        options,
    ];
    const targets: Metric[] = Object.entries(lb.targetGroups).flatMap(([tg, suffix]) =>
        (["HealthyHostCount", "UnHealthyHostCount"] as const).map((metricName): Metric => [
            "AWS/ApplicationELB",
            metricName,
            "TargetGroup",
            suffix,
            "LoadBalancer",
            lb.arnSuffix,
            { label: `${tg} ${metricName === "HealthyHostCount" ? "healthy" : "unhealthy"}` },
        ]),
    );
    return [
        heading("## Load balancer"),
        graph(region, "ALB: requests", [alb("RequestCount", { label: "requests" })], { stat: "Sum", period: 300 }, 6),
        graph(
            region,
            "ALB: 5xx responses",
            [
                alb("HTTPCode_ELB_5XX_Count", { label: "from the load balancer" }),
                alb("HTTPCode_Target_5XX_Count", { label: "from the targets" }),
            ],
            { stat: "Sum", period: 300 },
            6,
        ),
        graph(region, "ALB: response time p95 (s)", [alb("TargetResponseTime", { label: "p95", stat: "p95" })], { period: 300 }, 6),
        graph(region, "ALB: targets", targets, { stat: "Maximum" }, 6),
    ];
}

/** Places widgets left to right, wrapping at the grid's width; each row as high as its tallest widget. */
export function layout(widgets: Widget[]): (Widget & { x: number; y: number })[] {
    let x = 0;
    let y = 0;
    let rowHeight = 0;
    return widgets.map((w) => {
        if (x + w.width > GRID) {
            x = 0;
            y += rowHeight;
            rowHeight = 0;
        }
        const placed = { type: w.type, x, y, width: w.width, height: w.height, properties: w.properties };
        x += w.width;
        rowHeight = Math.max(rowHeight, w.height);
        return placed;
    });
}

/** The dashboard body as data (with inputs still inside); `pulumi.jsonStringify` turns it into JSON. */
export function dashboardBody(args: OperationsDashboardArgs): { widgets: (Widget & { x: number; y: number })[] } {
    const { region } = args;
    const widgets: Widget[] = [];
    if (args.alarmArns?.length) {
        widgets.push({
            type: "alarm",
            width: GRID,
            height: 4,
            properties: { title: "Alarms", alarms: args.alarmArns, sortBy: "stateUpdatedTimestamp" },
        });
    }
    widgets.push(...serviceWidgets(region, args.clusterName, args.services));
    if (args.processing) widgets.push(...processingWidgets(region, args.processing));
    if (args.database) widgets.push(...databaseWidgets(region, args.database));
    if (args.fileSystemId !== undefined) widgets.push(...fileSystemWidgets(region, args.fileSystemId));
    if (args.loadBalancer) widgets.push(...loadBalancerWidgets(region, args.loadBalancer));
    widgets.push(...(args.sections ?? []));
    return { widgets: layout(widgets) };
}

export class OperationsDashboard extends pulumi.ComponentResource {
    readonly dashboardName: pulumi.Output<string>;
    /** The dashboard in the CloudWatch console. */
    readonly url: pulumi.Output<string>;

    constructor(name: string, args: OperationsDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
        validate(name, args);
        super("archivematica:index:OperationsDashboard", name, {}, opts);
        // CloudWatch dashboards take no tags (PutDashboard has no Tags parameter).
        const dashboard = new aws.cloudwatch.Dashboard(
            `${name}-dashboard`,
            { dashboardName: args.dashboardName, dashboardBody: pulumi.jsonStringify(dashboardBody(args)) },
            { parent: this },
        );
        this.dashboardName = dashboard.dashboardName;
        this.url = dashboardUrl(args.region, dashboard.dashboardName);
        this.registerOutputs({ dashboardName: this.dashboardName, url: this.url });
    }
}
