/**
 * Observability, keys and secrets: log groups, custom metrics and alarms, the dashboard, scaling
 * policies, Container Insights, KMS keys, secrets, service discovery, the pull-through cache, and
 * EventBridge schedules (a scheduled task at Fargate's task-hour).
 */
import { arr, Context, CostResource, DAYS_PER_MONTH, num, obj, Part, plural, Pricer, q, rate, refs, usd } from "./kit";
import { taskDefinitionOf, taskHour } from "./compute";

/** Log groups of the Archivematica services and the smoke test: they share serviceLogGbPerMonth. */
function isServiceLogGroup(r: CostResource): boolean {
    return /archivematica:index:(ArchivematicaService|SmokeTest)\$aws:cloudwatch\/logGroup:LogGroup::/.test(r.urn);
}

export const logGroup: Pricer = (r, ctx) => {
    const retention = num(r.inputs.retentionInDays) ?? 0;
    const months = retention > 0 ? retention / 30 : 12;
    const p = ctx.prices.cloudwatch;
    const kept = retention > 0 ? `kept ${retention} d` : "never expires: 12 months kept (assumed)";
    if (ctx.flowLogGroups.has(r.urn)) {
        const gb = ctx.usage.flowLogGbPerMonth;
        return {
            monthly: gb * months * p.logStorageGbMonth,
            basis: `flow-log destination: flowLogGbPerMonth ${gb} GB ${kept} = ${q(gb * months)} GB stored × ${rate(p.logStorageGbMonth)} (ingestion on the flow log's line)`,
        };
    }
    const name = String(r.inputs.name ?? r.name);
    if (name.startsWith("aws-waf-logs-")) {
        const gb = ctx.usage.requestsPerMonth / 1e6;
        return {
            monthly: gb * p.vendedLogIngestGb + gb * months * p.logStorageGbMonth,
            basis: `web ACL logs: requestsPerMonth ${ctx.usage.requestsPerMonth} × 1 KB a record = ${q(gb)} GB × ${rate(p.vendedLogIngestGb)} vended-log ingestion + ${kept} = ${q(gb * months)} GB stored × ${rate(p.logStorageGbMonth)}`,
        };
    }
    if (isServiceLogGroup(r)) {
        const groups = ctx.resources.filter(isServiceLogGroup).length;
        const gb = ctx.usage.serviceLogGbPerMonth / groups;
        return {
            kind: "per-tb-ingested",
            monthly: gb * p.logIngestGb + gb * months * p.logStorageGbMonth,
            basis: `serviceLogGbPerMonth ${ctx.usage.serviceLogGbPerMonth} / ${groups} service log groups = ${q(gb)} GB ingested × ${rate(p.logIngestGb)} + ${kept} = ${q(gb * months)} GB stored × ${rate(p.logStorageGbMonth)}`,
        };
    }
    const gb = ctx.usage.otherLogGbPerGroupPerMonth;
    return {
        monthly: gb * p.logIngestGb + gb * months * p.logStorageGbMonth,
        basis: `otherLogGbPerGroupPerMonth ${gb} GB ingested × ${rate(p.logIngestGb)} + ${kept} = ${q(gb * months)} GB stored × ${rate(p.logStorageGbMonth)}`,
    };
};

/**
 * Namespaces AWS services publish to outside `AWS/`: their metrics are billed with the service
 * (Container Insights on the ECS cluster's line), not as metrics of ours.
 */
const SERVICE_NAMESPACES = ["ECS/ContainerInsights", "ContainerInsights"];

/** The custom metrics (a namespace of ours, not AWS/) an alarm watches, as keys. */
function customMetricsOf(r: CostResource): string[] {
    const metrics: Record<string, unknown>[] = [];
    if (typeof r.inputs.metricName === "string")
        metrics.push({ namespace: r.inputs.namespace, metricName: r.inputs.metricName, dimensions: r.inputs.dimensions });
    for (const query of arr(r.inputs.metricQueries).map(obj)) {
        const m = obj(query?.metric);
        if (m) metrics.push(m);
    }
    return metrics
        .filter((m) => typeof m.namespace === "string" && !m.namespace.startsWith("AWS/") && !SERVICE_NAMESPACES.includes(m.namespace))
        .map((m) => `${String(m.namespace)}|${String(m.metricName)}|${JSON.stringify(m.dimensions ?? {})}`);
}

export const metricAlarm: Pricer = (r, ctx) => {
    const queries = arr(r.inputs.metricQueries).map(obj);
    const metrics = Math.max(1, queries.filter((x) => x?.metric).length);
    const p = ctx.prices.cloudwatch;
    const fresh = customMetricsOf(r).filter((k) => !ctx.claimedMetrics.has(k));
    for (const k of fresh) ctx.claimedMetrics.add(k);
    const basis = `${plural(metrics, "metric")} × ${rate(p.alarmMonth)} (standard-resolution alarm)`;
    return fresh.length
        ? {
              monthly: metrics * p.alarmMonth + fresh.length * p.customMetricMonth,
              basis: `${basis} + ${plural(fresh.length, "custom metric")} it is the first to watch × ${rate(p.customMetricMonth)}`,
          }
        : { monthly: metrics * p.alarmMonth, basis };
};

export const dashboard: Pricer = (_r, ctx) => ({
    monthly: ctx.prices.cloudwatch.dashboardMonth,
    basis: `${rate(ctx.prices.cloudwatch.dashboardMonth)} a dashboard (the account's 3 free dashboards assumed used)`,
});

export const scalingPolicy: Pricer = (r, ctx) => {
    if (r.inputs.policyType !== "TargetTrackingScaling") return { monthly: 0, basis: "no charge: Application Auto Scaling" };
    const p = ctx.prices.cloudwatch.alarmMonth;
    return { monthly: 2 * p, basis: `target tracking: the 2 CloudWatch alarms AWS creates for it × ${rate(p)}` };
};

export const kmsKey: Pricer = (r, ctx) => {
    const k = ctx.prices.kms;
    if (r.inputs.enableKeyRotation !== true) return { monthly: k.keyMonth, basis: `${rate(k.keyMonth)} a key-month (requests not priced)` };
    return {
        monthly: k.keyMonth + k.rotationsCharged * k.rotationMonth,
        basis: `${rate(k.keyMonth)} a key-month + yearly rotation: ${rate(k.rotationMonth)} for each of the first ${k.rotationsCharged} rotations (priced from the third year on: $${k.keyMonth} in the first year, $${k.keyMonth + k.rotationMonth} in the second; requests not priced)`,
    };
};

export const secret: Pricer = (_r, ctx) => ({
    monthly: ctx.prices.secretMonth,
    basis: `${rate(ctx.prices.secretMonth)} a secret-month (API calls not priced)`,
});

/**
 * Cloud Map creates a Route 53 private hosted zone for a namespace found by DNS in a VPC
 * (https://docs.aws.amazon.com/cloud-map/latest/dg/namespaces-values.html); the zone is the
 * namespace's fixed monthly charge. Its DNS queries are usage and not priced.
 */
export const privateDnsNamespace: Pricer = (_r, ctx) => ({
    monthly: ctx.prices.route53HostedZoneMonth,
    basis: `the Route 53 private hosted zone Cloud Map creates for it: ${rate(ctx.prices.route53HostedZoneMonth)} a hosted zone-month (DNS queries not priced)`,
});

/** A discovery service: one registered instance per running task of the ECS service that registers in it. */
export const discoveryService: Pricer = (r, ctx) => {
    const service = ctx.resources.find(
        (s) => s.type === "aws:ecs/service:Service" && (s.propertyDependencies?.serviceRegistries ?? []).includes(r.urn),
    );
    const tasks = service ? (num(service.inputs.desiredCount) ?? 1) : 1;
    const p = ctx.prices.cloudMapInstanceMonth;
    if (tasks === 0) return { monthly: 0, basis: `no charge while idle: no registered instance at ${service!.name}'s desired count of 0` };
    return {
        monthly: tasks * p,
        basis: `${plural(tasks, "registered instance")} (${service ? `the desired count of ${service.name}` : "no ECS service found: 1 assumed"}) × ${rate(p)} (DNS queries not priced)`,
    };
};

/** ECS Container Insights (standard), counted from the metrics table in the CloudWatch user guide. */
export const CONTAINER_INSIGHTS_METRICS = {
    /** ClusterName: Cpu/Memory Utilized and Reserved, Network Rx/Tx, Storage Read/Write, TaskCount, ServiceCount. */
    cluster: 10,
    /** ClusterName+ServiceName: the eight above less the counts, plus Desired/Running/Pending task, deployment and task-set counts. */
    service: 13,
    /** ClusterName+TaskDefinitionFamily: Cpu/Memory Utilized and Reserved, Network Rx/Tx, Storage Read/Write. */
    taskFamily: 8,
    /** One performance log event per task and per container each minute, about 1 KB each. */
    eventKb: 1,
};

function containerInsightsStandard(ctx: Context): { monthly: number; basis: string } {
    const services = ctx.resources.filter((x) => x.type === "aws:ecs/service:Service");
    const families = ctx.resources.filter((x) => x.type === "aws:ecs/taskDefinition:TaskDefinition");
    const m = CONTAINER_INSIGHTS_METRICS;
    const metrics = m.cluster + m.service * services.length + m.taskFamily * families.length;
    let tasks = 0;
    let containers = 0;
    for (const s of services) {
        const count = num(s.inputs.desiredCount) ?? 1;
        const td = taskDefinitionOf(s, ctx);
        const defs =
            typeof td?.inputs.containerDefinitions === "string"
                ? (JSON.parse(td.inputs.containerDefinitions) as unknown[])
                : arr(td?.inputs.containerDefinitions);
        tasks += count;
        containers += count * Math.max(1, defs.length);
    }
    const p = ctx.prices.cloudwatch;
    const gb = ((tasks + containers) * ctx.a.hoursPerMonth * 60 * m.eventKb) / 1e6;
    return {
        monthly: metrics * p.customMetricMonth + gb * p.logIngestGb + gb * p.logStorageGbMonth,
        basis: `${metrics} metrics (${m.cluster} cluster + ${m.service} × ${services.length} services + ${m.taskFamily} × ${families.length} task families; count from the CloudWatch user guide, unconfirmed) × ${rate(p.customMetricMonth)} + performance logs (${tasks} tasks + ${containers} containers) × ${ctx.a.hoursPerMonth * 60} minutes × ${m.eventKb} KB = ${q(gb)} GB × (${rate(p.logIngestGb)} + a month kept × ${rate(p.logStorageGbMonth)})`,
    };
}

export const ecsCluster: Pricer = (r, ctx) => {
    const settings = arr(r.inputs.settings).map(obj);
    const insights = settings.find((s) => s?.name === "containerInsights")?.value;
    if (!insights || insights === "disabled") return { monthly: 0, basis: "no charge: ECS cluster" };
    const standard = containerInsightsStandard(ctx);
    if (insights === "enhanced")
        return {
            item: "Container Insights",
            unpriced: `Container Insights with enhanced observability is billed per observation, and no per-observation price was found; standard Container Insights would be ${usd(standard.monthly)}: ${standard.basis}`,
        };
    return { item: "Container Insights", ...standard };
};

export const efsBackupPolicy: Pricer = (r) =>
    obj(r.inputs.backupPolicy)?.status === "ENABLED"
        ? {
              unpriced:
                  "EFS automatic backups go to the default vault; their storage is not priced (this stack's own plan is priced on its selection)",
          }
        : { monthly: 0, basis: "no charge: backups off" };

export const pullThroughCache: Pricer = (_r, ctx) => ({
    monthly: ctx.usage.cachedImageGb * ctx.prices.ecrStorageGbMonth,
    basis: `cachedImageGb ${ctx.usage.cachedImageGb} GB of cached images × ${rate(ctx.prices.ecrStorageGbMonth)} ECR storage`,
});

/** Runs a month of a schedule expression: rate(n unit) or a cron (days in its day-of-month and day-of-week fields). */
export function runsPerMonth(expression: string): number | undefined {
    const rateMatch = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expression);
    if (rateMatch) {
        const minutes = { minute: 1, hour: 60, day: 1440 }[rateMatch[2] as "minute" | "hour" | "day"] * Number(rateMatch[1]);
        return (730 * 60) / minutes;
    }
    const cron = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$/.exec(expression);
    if (!cron) return undefined;
    const [, minute, hour, dom, , dow] = cron;
    const count = (field: string, all: number) =>
        field === "*" ? all : field.includes("/") ? all / Number(field.split("/")[1]) : field.split(",").length;
    const perDay = count(minute, 60) * count(hour, 24);
    const days =
        dom !== "?" && dom !== "*"
            ? count(dom, DAYS_PER_MONTH)
            : dow !== "?" && dow !== "*"
              ? (count(dow, 7) * DAYS_PER_MONTH) / 7
              : DAYS_PER_MONTH;
    return perDay * days;
}

export const schedule: Pricer = (r, ctx) => {
    const expression = String(r.inputs.scheduleExpression ?? "");
    const runs = runsPerMonth(expression);
    if (runs === undefined) return { unpriced: `schedule ${expression || "(none)"} cannot be counted` };
    const invocations: Part = {
        item: "invocations",
        monthly: (runs / 1e6) * ctx.prices.schedulerPerMillion,
        basis: `${q(runs)} invocations (${expression}) × ${rate(ctx.prices.schedulerPerMillion)} per million (the account's first 14 million a month are free: not subtracted)`,
    };
    const ecs = obj(obj(r.inputs.target)?.ecsParameters);
    if (!ecs) return invocations;
    const td = refs(r, "target", ctx).find((x) => x.type === "aws:ecs/taskDefinition:TaskDefinition");
    if (!td) return [invocations, { item: "the task it starts", unpriced: "its task definition is not in the plan" }];
    const task = taskHour(td, ctx, 0);
    if (typeof task === "string") return [invocations, { item: "the task it starts", unpriced: task }];
    const minutes = ctx.usage.scheduledTaskMinutes;
    return [
        invocations,
        {
            item: "the task it starts",
            monthly: (runs * minutes * task.hourly) / 60,
            basis: `${q(runs)} runs × scheduledTaskMinutes ${minutes} min × ${task.formula} (Fargate on demand; plus one run after each deploy, not priced)`,
        },
    ];
};
