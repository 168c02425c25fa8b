/**
 * IngestAlarms on the mock runtime: the exact alarms of hands-off ingest and fixity (metric, period,
 * threshold, how missing data counts), their actions to the topic, the fixity run's event rule, the
 * dashboard rows, and the argument checks.
 */
import * as assert from "assert";
import { IngestAlarms, IngestAlarmsArgs } from "../components/operations/ingest-alarms";
import { COMPONENT_TAGS, plan, TestPlan } from "./harness";

const TOPIC = "arn:aws:sns:eu-west-2:123456789012:am-alarms";
const CLUSTER = "arn:aws:ecs:eu-west-2:123456789012:cluster/am";

function args(overrides: Partial<IngestAlarmsArgs> = {}): IngestAlarmsArgs {
    return {
        tags: COMPONENT_TAGS,
        topicArn: TOPIC,
        region: "eu-west-2",
        environment: "staging",
        monitorMinutes: 5,
        unfinishedAlarmHours: 24,
        deadLetterQueueName: "am-staging-ingest-dead-letters",
        starterFunctionName: "am-staging-ingest-starter",
        monitorFunctionName: "am-staging-ingest-monitor",
        fixity: { taskDefinitionFamily: "am-staging-fixity", clusterArn: CLUSTER },
        ...overrides,
    };
}

describe("IngestAlarms", () => {
    let p: TestPlan;
    let widgets: unknown;
    before(async function () {
        this.timeout(60000);
        p = await plan(() => {
            widgets = new IngestAlarms("ia", args()).widgets;
        });
    });
    const alarm = (suffix: string) => {
        const { alarmActions, okActions, actionsEnabled, tags, ...rest } = p.named(`ia-${suffix}`).props;
        assert.deepStrictEqual([alarmActions, okActions, actionsEnabled], [[TOPIC], [TOPIC], true], suffix);
        assert.deepStrictEqual(tags, { ...COMPONENT_TAGS, Name: `ia-${suffix}` });
        return rest;
    };
    const ingest = (metricName: string, statistic: string, period: number) => ({
        namespace: "Archivematica/Ingest",
        metricName,
        dimensions: { Environment: "staging" },
        statistic,
        period,
    });

    it("a failed transfer and a lost start: any in five minutes", () => {
        assert.deepStrictEqual(alarm("transfer-failed"), {
            alarmDescription: "Archivematica ingest: a transfer failed, was rejected or never started (its feedback/…failed.json says why)",
            ...ingest("TransfersFailed", "Sum", 300),
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            threshold: 1,
            evaluationPeriods: 1,
            treatMissingData: "notBreaching",
        });
        assert.strictEqual(alarm("start-unknown").metricName, "TransfersUnknown");
    });

    it("a transfer unfinished longer than the bound (24 h), and a monitor silent for three runs (missing data breaches)", () => {
        assert.deepStrictEqual(alarm("transfer-unfinished"), {
            alarmDescription: "Archivematica ingest: a transfer has been unfinished for more than 24 h",
            ...ingest("OldestUnfinishedTransferAge", "Maximum", 300),
            comparisonOperator: "GreaterThanThreshold",
            threshold: 86400,
            evaluationPeriods: 1,
            treatMissingData: "notBreaching",
        });
        assert.deepStrictEqual(alarm("monitor-silent"), {
            alarmDescription: "Archivematica ingest: the monitor published nothing for three of its runs (it is not running)",
            ...ingest("UnfinishedTransfers", "SampleCount", 300),
            comparisonOperator: "LessThanThreshold",
            threshold: 1,
            evaluationPeriods: 3,
            treatMissingData: "breaching",
        });
        assert.deepStrictEqual([alarm("monitor-errors").evaluationPeriods, alarm("monitor-errors").metricName], [3, "MonitorErrors"]);
    });

    it("dead letters and each function's errors", () => {
        assert.deepStrictEqual(alarm("dead-letters"), {
            alarmDescription: "Archivematica ingest: uploads in the dead-letter queue (their starts kept failing)",
            namespace: "AWS/SQS",
            metricName: "ApproximateNumberOfMessagesVisible",
            dimensions: { QueueName: "am-staging-ingest-dead-letters" },
            statistic: "Maximum",
            period: 300,
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            threshold: 1,
            evaluationPeriods: 1,
            treatMissingData: "notBreaching",
        });
        for (const [which, fn] of [
            ["starter", "am-staging-ingest-starter"],
            ["monitor", "am-staging-ingest-monitor"],
        ])
            assert.deepStrictEqual(
                [alarm(`${which}-function-errors`).namespace, alarm(`${which}-function-errors`).dimensions],
                ["AWS/Lambda", { FunctionName: fn }],
            );
    });

    it("fixity: a failed run from ECS's task events (to the topic), AIPs failing and AIPs overdue (their state holds between runs)", () => {
        const rule = p.named("ia-fixity-failed").props;
        assert.deepStrictEqual(JSON.parse(rule.eventPattern).detail.group, ["family:am-staging-fixity"]);
        assert.strictEqual(p.named("ia-fixity-failed-to-topic").props.arn, TOPIC);
        assert.deepStrictEqual(alarm("fixity-failing"), {
            alarmDescription: "Archivematica fixity: AIPs whose latest fixity check failed (the latest report names them)",
            namespace: "Archivematica/Fixity",
            metricName: "AipsFailing",
            dimensions: { Environment: "staging" },
            statistic: "Maximum",
            period: 3600,
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            threshold: 1,
            evaluationPeriods: 1,
            treatMissingData: "ignore",
        });
        assert.strictEqual(alarm("fixity-overdue").metricName, "AipsOverdue");
        assert.strictEqual(alarm("fixity-failed-alarm").dimensions.RuleName, "ia-fixity-failed");
    });

    it("eleven alarms, and the dashboard rows: ingest, then fixity", () => {
        assert.strictEqual(p.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").length, 11);
        const titles = (widgets as { properties: { title?: string; markdown?: string } }[]).map(
            (w) => w.properties.title ?? w.properties.markdown,
        );
        assert.deepStrictEqual(titles, [
            "## Hands-off ingest",
            "Ingest: transfers",
            "Ingest: unfinished transfers, oldest age (h)",
            "Ingest: dead-letter queue",
            "## Fixity",
            "Fixity: AIPs checked and failing",
            "Fixity: AIPs overdue",
        ]);
    });

    it("refuses a monitor interval or an unfinished bound out of range, before anything is registered", () => {
        assert.throws(() => new IngestAlarms("bad", args({ monitorMinutes: 0 })), {
            message: 'IngestAlarms "bad": monitorMinutes 0 is out of range; valid: a whole number from 1 to 60',
        });
        assert.throws(() => new IngestAlarms("bad", args({ unfinishedAlarmHours: 1000 })), {
            message: 'IngestAlarms "bad": unfinishedAlarmHours 1000 is out of range; valid: a whole number from 1 to 720',
        });
    });
});
