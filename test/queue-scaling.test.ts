/**
 * QueueScaling (components/app/queue-scaling.ts) and the processing hours (lib/processing-schedule.ts):
 * the exact steps, alarm queries, thresholds and schedules, and the one-line errors.
 */
import { strict as assert } from "assert";
import { QueueScaling, QueueScalingArgs, scaleOutSteps } from "../components/app/queue-scaling";
import { cronAt, parseSchedule, scheduleProblem } from "../lib/processing-schedule";
import { COMPONENT_TAGS, plan, TestPlan } from "./harness";

const ARGS: QueueScalingArgs = {
    tags: COMPONENT_TAGS,
    clusterName: "archivematica-staging",
    serviceName: "archivematica-mcp-client-service-1a2b3c4",
    stack: "staging",
    minCount: 0,
    maxCount: 6,
    workersPerClient: 2,
};

async function planScaling(args: QueueScalingArgs): Promise<TestPlan> {
    return plan(() => new QueueScaling("archivematica-mcp-client-queue", args));
}

const metric = (id: string, metricName: string) => ({
    id,
    metric: {
        namespace: "Archivematica",
        metricName,
        dimensions: { component: "mcp-server", stack: "staging" },
        period: 60,
        stat: "Maximum",
    },
    returnData: false,
});

describe("QueueScaling", () => {
    let p: TestPlan;
    before(async () => {
        p = await planScaling({ ...ARGS, schedule: parseSchedule("MON-FRI 07:00-19:00"), timeZone: "Europe/London" });
    });

    it("creates the target, two step policies with their alarms, and the two scheduled actions, all parented and named after it", () => {
        assert.deepEqual(
            p.resources
                .filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"))
                .map((r) => `${r.type} ${r.name}`)
                .sort(),
            [
                "aws:appautoscaling/policy:Policy archivematica-mcp-client-queue-in",
                "aws:appautoscaling/policy:Policy archivematica-mcp-client-queue-out",
                "aws:appautoscaling/scheduledAction:ScheduledAction archivematica-mcp-client-queue-start",
                "aws:appautoscaling/scheduledAction:ScheduledAction archivematica-mcp-client-queue-stop",
                "aws:appautoscaling/target:Target archivematica-mcp-client-queue-target",
                "aws:cloudwatch/metricAlarm:MetricAlarm archivematica-mcp-client-queue-in-alarm",
                "aws:cloudwatch/metricAlarm:MetricAlarm archivematica-mcp-client-queue-out-alarm",
            ],
        );
        for (const r of p.resources.filter((x) => x.custom && !x.type.startsWith("pulumi:providers:")))
            assert.match(String(r.parent), /QueueScaling::archivematica-mcp-client-queue$/);
    });

    it("the scalable target: the MCP client service's desired count between min and max", () => {
        const t = p.named("archivematica-mcp-client-queue-target").props;
        assert.deepEqual(
            [t.serviceNamespace, t.scalableDimension, t.resourceId, t.minCapacity, t.maxCapacity],
            ["ecs", "ecs:service:DesiredCount", "service/archivematica-staging/archivematica-mcp-client-service-1a2b3c4", 0, 6],
        );
    });

    it("scale-out: ExactCapacity steps of two jobs per client, one alarm datapoint of a minute, cooldown 60 s", () => {
        const policy = p.named("archivematica-mcp-client-queue-out").props;
        assert.deepEqual(policy.stepScalingPolicyConfiguration, {
            adjustmentType: "ExactCapacity",
            metricAggregationType: "Maximum",
            cooldown: 60,
            stepAdjustments: [
                { metricIntervalLowerBound: "0", metricIntervalUpperBound: "3", scalingAdjustment: 1 },
                { metricIntervalLowerBound: "3", metricIntervalUpperBound: "5", scalingAdjustment: 2 },
                { metricIntervalLowerBound: "5", metricIntervalUpperBound: "7", scalingAdjustment: 3 },
                { metricIntervalLowerBound: "7", metricIntervalUpperBound: "9", scalingAdjustment: 4 },
                { metricIntervalLowerBound: "9", metricIntervalUpperBound: "11", scalingAdjustment: 5 },
                { metricIntervalLowerBound: "11", scalingAdjustment: 6 },
            ],
        });
        const alarm = p.named("archivematica-mcp-client-queue-out-alarm").props;
        assert.deepEqual(
            [alarm.comparisonOperator, alarm.threshold, alarm.evaluationPeriods, alarm.datapointsToAlarm, alarm.treatMissingData],
            ["GreaterThanThreshold", 0, 1, 1, "notBreaching"],
        );
        assert.deepEqual(alarm.metricQueries, [
            metric("active", "mcpserver_gearman_active_jobs"),
            metric("pending", "mcpserver_gearman_pending_jobs"),
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
            { id: "queue", expression: "FILL(active, 0) + FILL(pending, 0)", returnData: false },
            {
                id: "shortfall",
                expression: "IF(queue > 2 * FILL(desired, 0), queue, 0)",
                label: "Gearman jobs beyond the desired clients' workers",
                returnData: true,
            },
        ]);
        assert.deepEqual(p.named("archivematica-mcp-client-queue-out-alarm").propertyDependencies.alarmActions, [
            p.named("archivematica-mcp-client-queue-out").urn,
        ]);
    });

    it("the steps give ⌈jobs ÷ workers⌉ clients for every queue, capped at maxCount", () => {
        for (const [max, w] of [
            [1, 1],
            [6, 2],
            [5, 3],
            [20, 4],
        ]) {
            const steps = scaleOutSteps(max, w);
            assert.equal(steps.length, max);
            const clientsFor = (jobs: number) =>
                steps.find(
                    (s) =>
                        jobs >= Number(s.metricIntervalLowerBound) &&
                        (s.metricIntervalUpperBound === undefined || jobs < Number(s.metricIntervalUpperBound)),
                )!.scalingAdjustment;
            for (let jobs = 1; jobs <= max * w + 10; jobs++)
                assert.equal(clientsFor(jobs), Math.min(max, Math.ceil(jobs / w)), `${max}/${w}/${jobs}`);
        }
    });

    it("scale-in: back to minCount after 20 one-minute datapoints with no job and no active or queued package", () => {
        const policy = p.named("archivematica-mcp-client-queue-in").props;
        assert.deepEqual(policy.stepScalingPolicyConfiguration, {
            adjustmentType: "ExactCapacity",
            metricAggregationType: "Maximum",
            cooldown: 60,
            stepAdjustments: [{ metricIntervalUpperBound: "0", scalingAdjustment: 0 }],
        });
        const alarm = p.named("archivematica-mcp-client-queue-in-alarm").props;
        assert.deepEqual(
            [alarm.comparisonOperator, alarm.threshold, alarm.evaluationPeriods, alarm.datapointsToAlarm, alarm.treatMissingData],
            ["LessThanOrEqualToThreshold", 0, 20, 20, "notBreaching"],
        );
        assert.deepEqual(alarm.metricQueries, [
            metric("active", "mcpserver_gearman_active_jobs"),
            metric("pending", "mcpserver_gearman_pending_jobs"),
            metric("packages", "mcpserver_active_packages"),
            metric("queued", "mcpserver_package_queue_length"),
            {
                id: "work",
                expression: "FILL(active, 0) + FILL(pending, 0) + FILL(packages, 0) + FILL(queued, 0)",
                label: "Gearman jobs, active and queued packages",
                returnData: true,
            },
        ]);
    });

    it("processing hours: clients held at 0 from 19:00 and back to 0–6 at 07:00, Monday to Friday, London time", () => {
        const action = (name: string) => {
            const a = p.named(`archivematica-mcp-client-queue-${name}`).props;
            return [a.schedule, a.timezone, a.scalableTargetAction];
        };
        assert.deepEqual(action("start"), ["cron(0 7 ? * MON-FRI *)", "Europe/London", { minCapacity: 0, maxCapacity: 6 }]);
        assert.deepEqual(action("stop"), ["cron(0 19 ? * MON-FRI *)", "Europe/London", { minCapacity: 0, maxCapacity: 0 }]);
    });

    it("without processing hours: no scheduled action", async () => {
        const always = await planScaling(ARGS);
        assert.deepEqual(always.ofType("aws:appautoscaling/scheduledAction:ScheduledAction"), []);
    });

    it("refuses bad counts before registering anything", () => {
        const cases: [Partial<QueueScalingArgs>, string][] = [
            [
                { maxCount: 21 },
                'QueueScaling "q": maxCount 21 is out of range; valid: an integer from 1 to 20 (step adjustments per policy)',
            ],
            [{ maxCount: 0 }, 'QueueScaling "q": maxCount 0 is out of range; valid: an integer from 1 to 20 (step adjustments per policy)'],
            [{ minCount: 7 }, 'QueueScaling "q": minCount 7 is out of range; valid: an integer from 0 to maxCount (6)'],
            [{ minCount: -1 }, 'QueueScaling "q": minCount -1 is out of range; valid: an integer from 0 to maxCount (6)'],
            [{ workersPerClient: 0 }, 'QueueScaling "q": workersPerClient 0 is not a worker count; valid: an integer ≥ 1'],
        ];
        for (const [change, message] of cases) assert.throws(() => new QueueScaling("q", { ...ARGS, ...change }), { message });
    });
});

describe("processing hours", () => {
    it("reads days and hours into the two cron expressions", () => {
        const s = parseSchedule("MON-FRI 07:30-18:45");
        assert.deepEqual(s, { days: "MON-FRI", start: { hour: 7, minute: 30 }, stop: { hour: 18, minute: 45 } });
        assert.equal(cronAt(s, s.start), "cron(30 7 ? * MON-FRI *)");
        assert.equal(cronAt(parseSchedule("DAILY 08:00-20:00"), { hour: 20, minute: 0 }), "cron(0 20 ? * * *)");
        assert.equal(parseSchedule("MON,WED-FRI 09:00-17:00").days, "MON,WED-FRI");
    });

    it("names what is wrong", () => {
        const cases: [string, string][] = [
            ["07:00-19:00", '"07:00-19:00" is not "DAYS HH:MM-HH:MM"'],
            ["WEEKDAYS 07:00-19:00", '"WEEKDAYS" are not days'],
            ["FRI-MON 07:00-19:00", "day range FRI-MON does not run forwards within a week"],
            ["MON-FRI 7:00-19:00", '"7:00-19:00" is not HH:MM-HH:MM'],
            ["MON-FRI 19:00-07:00", "19:00-07:00 does not start before it stops (hours within one day)"],
            ["MON-FRI 24:00-25:00", '"24:00-25:00" is not HH:MM-HH:MM'],
        ];
        for (const [text, problem] of cases) assert.equal(scheduleProblem(text), problem, text);
        assert.throws(() => parseSchedule("MON-FRI 19:00-07:00"), {
            message:
                "processing schedule 19:00-07:00 does not start before it stops (hours within one day); valid: DAYS HH:MM-HH:MM, e.g. MON-FRI 07:00-19:00; DAYS is DAILY, a day (MON…SUN), a range MON-FRI or a list MON,WED,FRI",
        });
    });
});
