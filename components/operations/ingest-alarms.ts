/**
 * The alarms of hands-off ingest and of the fixity schedule, to the stack's topic, and their rows on
 * the operations dashboard. What each alarm means and what to do: docs/operations.md, "Ingest and
 * fixity alarms".
 *
 * Ingest (namespace Archivematica/Ingest, dimension Environment, functions/ingest/core/metrics.ts):
 * a transfer failed; a start whose answer was lost; a transfer unfinished longer than the bound; the
 * monitor silent (no data for three of its runs) or unable to follow transfers three runs running;
 * messages in the dead-letter queue; either function erroring (a crash or a timeout, AWS/Lambda).
 * Fixity (Archivematica/Fixity): a run that failed (its task stopped non-zero or never started, from
 * ECS's task events like the smoke test's); AIPs whose latest check failed; AIPs overdue.
 */
import * as pulumi from "@pulumi/pulumi";
import { ENVIRONMENT_DIMENSION, INGEST_METRICS, INGEST_NAMESPACE } from "../../functions/ingest/core/metrics";
import type { Tags } from "../../lib/tags";
import { smokeFailurePattern } from "./alarms";
import { FIXITY_NAMESPACE } from "../app/fixity";
import type { DashboardWidget } from "./operations-dashboard";
import { topicAlarm, topicRule, TopicScope } from "./topic-alarms";

export interface IngestAlarmsArgs {
    tags: Tags;
    topicArn: pulumi.Input<string>;
    region: string;
    environment: string;
    /** Minutes between monitor runs (the silence and error alarms' period). */
    monitorMinutes: number;
    /** Hours a transfer may stay unfinished. */
    unfinishedAlarmHours: number;
    deadLetterQueueName: pulumi.Input<string>;
    starterFunctionName: pulumi.Input<string>;
    monitorFunctionName: pulumi.Input<string>;
    /** The fixity task's family and cluster. @default none (no fixity alarms) */
    fixity?: { taskDefinitionFamily: string; clusterArn: pulumi.Input<string> };
}

export class IngestAlarms extends pulumi.ComponentResource {
    readonly alarmArns: pulumi.Output<string>[] = [];
    /** Rows for the operations dashboard: ingest and fixity. */
    readonly widgets: DashboardWidget[];
    private readonly settings: IngestAlarmsArgs;
    private readonly scope: TopicScope;

    constructor(name: string, args: IngestAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        if (!Number.isInteger(args.monitorMinutes) || args.monitorMinutes < 1 || args.monitorMinutes > 60)
            throw new Error(
                `IngestAlarms "${name}": monitorMinutes ${args.monitorMinutes} is out of range; valid: a whole number from 1 to 60`,
            );
        if (!Number.isInteger(args.unfinishedAlarmHours) || args.unfinishedAlarmHours < 1 || args.unfinishedAlarmHours > 720)
            throw new Error(
                `IngestAlarms "${name}": unfinishedAlarmHours ${args.unfinishedAlarmHours} is out of range; valid: a whole number from 1 to 720`,
            );
        super("archivematica:index:IngestAlarms", name, {}, opts);
        this.settings = args;
        this.scope = { baseName: name, parent: this, tags: args.tags, topicArn: args.topicArn, alarmArns: this.alarmArns };
        this.ingestAlarms();
        if (args.fixity) this.fixityAlarms(args.fixity);
        this.widgets = ingestWidgets(args);
        this.registerOutputs({ alarmArns: this.alarmArns });
    }

    private ingest(metricName: string, statistic: string, period: number) {
        return {
            namespace: INGEST_NAMESPACE,
            metricName,
            dimensions: { [ENVIRONMENT_DIMENSION]: this.settings.environment },
            statistic,
            period,
        };
    }

    private ingestAlarms(): void {
        const s = this.settings;
        const run = Math.max(60, s.monitorMinutes * 60);
        const any = {
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            threshold: 1,
            evaluationPeriods: 1,
            treatMissingData: "notBreaching",
        };
        topicAlarm(this.scope, "transfer-failed", {
            alarmDescription: "Archivematica ingest: a transfer failed, was rejected or never started (its feedback/…failed.json says why)",
            ...this.ingest(INGEST_METRICS.failed, "Sum", 300),
            ...any,
        });
        topicAlarm(this.scope, "start-unknown", {
            alarmDescription:
                "Archivematica ingest: a start request's answer was lost; the transfer may or may not exist (check the dashboard)",
            ...this.ingest(INGEST_METRICS.unknown, "Sum", 300),
            ...any,
        });
        topicAlarm(this.scope, "transfer-unfinished", {
            alarmDescription: `Archivematica ingest: a transfer has been unfinished for more than ${s.unfinishedAlarmHours} h`,
            ...this.ingest(INGEST_METRICS.oldestAge, "Maximum", run),
            comparisonOperator: "GreaterThanThreshold",
            threshold: s.unfinishedAlarmHours * 3600,
            evaluationPeriods: 1,
            treatMissingData: "notBreaching",
        });
        topicAlarm(this.scope, "monitor-silent", {
            alarmDescription: "Archivematica ingest: the monitor published nothing for three of its runs (it is not running)",
            ...this.ingest(INGEST_METRICS.unfinished, "SampleCount", run),
            comparisonOperator: "LessThanThreshold",
            threshold: 1,
            evaluationPeriods: 3,
            treatMissingData: "breaching",
        });
        topicAlarm(this.scope, "monitor-errors", {
            alarmDescription:
                "Archivematica ingest: the monitor could not follow some transfers three runs running (an API answers unexpectedly)",
            ...this.ingest(INGEST_METRICS.errors, "Sum", run),
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            threshold: 1,
            evaluationPeriods: 3,
            treatMissingData: "notBreaching",
        });
        topicAlarm(this.scope, "dead-letters", {
            alarmDescription: "Archivematica ingest: uploads in the dead-letter queue (their starts kept failing)",
            namespace: "AWS/SQS",
            metricName: "ApproximateNumberOfMessagesVisible",
            dimensions: { QueueName: s.deadLetterQueueName },
            statistic: "Maximum",
            period: 300,
            ...any,
        });
        for (const [which, functionName] of [
            ["starter", s.starterFunctionName],
            ["monitor", s.monitorFunctionName],
        ] as const) {
            topicAlarm(this.scope, `${which}-function-errors`, {
                alarmDescription: `Archivematica ingest: the ${which} function failed (crashed or timed out)`,
                namespace: "AWS/Lambda",
                metricName: "Errors",
                dimensions: { FunctionName: functionName },
                statistic: "Sum",
                period: 300,
                ...any,
            });
        }
    }

    private fixityAlarms(fixity: NonNullable<IngestAlarmsArgs["fixity"]>): void {
        const rule = topicRule(this.scope, "fixity-failed", {
            description: `Archivematica: a fixity run (${fixity.taskDefinitionFamily}) failed`,
            eventPattern: smokeFailurePattern(fixity.clusterArn, fixity.taskDefinitionFamily),
            inputPaths: { task: "$.detail.taskArn", reason: "$.detail.stoppedReason", stopCode: "$.detail.stopCode" },
            inputTemplate: JSON.stringify(
                `Archivematica fixity (${fixity.taskDefinitionFamily}): run <task> stopped (<stopCode>: <reason>) without passing. ` +
                    `Its report in the AIP bucket (reports/fixity/) names each AIP that failed or could not be checked; its log says why a run stopped early.`,
            ),
        });
        topicAlarm(this.scope, "fixity-failed-alarm", {
            alarmDescription: `Archivematica fixity: a run (${fixity.taskDefinitionFamily}) failed within the last day`,
            namespace: "AWS/Events",
            metricName: "TriggeredRules",
            dimensions: { RuleName: rule.name },
            period: 86400,
            statistic: "Sum",
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            threshold: 1,
            evaluationPeriods: 1,
            treatMissingData: "notBreaching",
        });
        const fixityMetric = (metricName: string) => ({
            namespace: FIXITY_NAMESPACE,
            metricName,
            dimensions: { [ENVIRONMENT_DIMENSION]: this.settings.environment },
            statistic: "Maximum",
            period: 3600,
        });
        // Published once a run: the last value holds until the next run ("ignore" keeps the state).
        topicAlarm(this.scope, "fixity-failing", {
            alarmDescription: "Archivematica fixity: AIPs whose latest fixity check failed (the latest report names them)",
            ...fixityMetric("AipsFailing"),
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            threshold: 1,
            evaluationPeriods: 1,
            treatMissingData: "ignore",
        });
        topicAlarm(this.scope, "fixity-overdue", {
            alarmDescription: "Archivematica fixity: AIPs not checked within the window (runs too short or failing)",
            ...fixityMetric("AipsOverdue"),
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            threshold: 1,
            evaluationPeriods: 1,
            treatMissingData: "ignore",
        });
    }
}

/** The dashboard rows: uploads in and out, what is unfinished, the queues, fixity. */
export function ingestWidgets(a: Pick<IngestAlarmsArgs, "region" | "environment" | "deadLetterQueueName" | "fixity">): DashboardWidget[] {
    const ingest = (metricName: string, label: string) => [INGEST_NAMESPACE, metricName, ENVIRONMENT_DIMENSION, a.environment, { label }];
    const fixity = (metricName: string, label: string) => [FIXITY_NAMESPACE, metricName, ENVIRONMENT_DIMENSION, a.environment, { label }];
    const graph = (title: string, metrics: unknown[], extra: Record<string, unknown>, width = 8): DashboardWidget => ({
        type: "metric",
        width,
        height: 6,
        properties: { title, view: "timeSeries", region: a.region, metrics, period: 300, ...extra },
    });
    const widgets: DashboardWidget[] = [
        { type: "text", width: 24, height: 1, properties: { markdown: "## Hands-off ingest" } },
        graph(
            "Ingest: transfers",
            [
                ingest(INGEST_METRICS.started, "started"),
                ingest(INGEST_METRICS.stored, "stored"),
                ingest(INGEST_METRICS.failed, "failed"),
                ingest(INGEST_METRICS.refused, "refused"),
                ingest(INGEST_METRICS.backlog, "to backlog"),
                ingest(INGEST_METRICS.unknown, "start unknown"),
            ],
            { stat: "Sum", period: 3600 },
        ),
        graph(
            "Ingest: unfinished transfers, oldest age (h)",
            [
                ingest(INGEST_METRICS.unfinished, "unfinished"),
                [{ expression: "age / 3600", label: "oldest (h)", id: "hours" }],
                [...ingest(INGEST_METRICS.oldestAge, "oldest (s)").slice(0, 4), { id: "age", visible: false }],
            ],
            { stat: "Maximum" },
        ),
        graph(
            "Ingest: dead-letter queue",
            [["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", a.deadLetterQueueName, { label: "dead letters" }]],
            { stat: "Maximum" },
        ),
    ];
    if (a.fixity) {
        widgets.push(
            { type: "text", width: 24, height: 1, properties: { markdown: "## Fixity" } },
            graph(
                "Fixity: AIPs checked and failing",
                [
                    fixity("AipsChecked", "checked"),
                    fixity("FixityFailures", "failed this run"),
                    fixity("FixityErrors", "not checked"),
                    fixity("AipsFailing", "failing now"),
                ],
                { stat: "Maximum", period: 86400 },
                12,
            ),
            graph("Fixity: AIPs overdue", [fixity("AipsOverdue", "overdue")], { stat: "Maximum", period: 86400 }, 12),
        );
    }
    return widgets;
}
