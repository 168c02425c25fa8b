/**
 * The monitor's schedule: EventBridge Scheduler invokes the function every few minutes, at the exact
 * time, never retried (the next run follows the same transfers anyway). Its role may invoke only the
 * monitor. No reserved concurrency (reserving any lowers the account's unreserved pool, which a new
 * account's quota of 10 cannot spare): two runs that overlap are harmless, since every transition
 * the monitor writes is conditional on the row's state, so the second writer's fails and is counted
 * as a MonitorErrors of that run.
 */
import * as aws from "../../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { trustPolicy } from "../../../lib/iam";
import { mergeTags, Tags } from "../../../lib/tags";

export function scheduleMonitor(
    name: string,
    parent: pulumi.Resource,
    a: { scheduleName: string; expression: string; region: string; monitor: aws.lambda.Function; tags: Tags; componentTags: Tags },
    account: { accountId: pulumi.Input<string>; partition: pulumi.Input<string> },
): aws.scheduler.Schedule {
    const trust = trustPolicy("scheduler.amazonaws.com", {
        "aws:SourceAccount": account.accountId,
        "aws:SourceArn": pulumi.interpolate`arn:${account.partition}:scheduler:${a.region}:${account.accountId}:schedule-group/default`,
    });
    const role = new aws.iam.Role(
        `${name}-scheduler`,
        {
            description: "Archivematica ingest monitor: what EventBridge Scheduler may do to run it",
            assumeRolePolicy: trust,
            tags: mergeTags(a.tags, `${name}-scheduler`, a.componentTags),
        },
        { parent },
    );
    new aws.iam.RolePolicy(
        `${name}-scheduler-policy`,
        {
            role: role.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [{ Sid: "RunIngestMonitor", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: a.monitor.arn }],
            }),
        },
        { parent },
    );
    // Schedules take no tags (aws.scheduler.Schedule has no `tags` input).
    return new aws.scheduler.Schedule(
        `${name}-schedule`,
        {
            name: a.scheduleName,
            description: "Runs the Archivematica ingest monitor",
            scheduleExpression: a.expression,
            scheduleExpressionTimezone: "UTC",
            flexibleTimeWindow: { mode: "OFF" },
            state: "ENABLED",
            target: { arn: a.monitor.arn, roleArn: role.arn, input: "{}", retryPolicy: { maximumRetryAttempts: 0 } },
        },
        { parent },
    );
}
