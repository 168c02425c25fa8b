/**
 * A task run on a schedule: EventBridge Scheduler → ecs:RunTask, at the exact time (no flexible
 * window), never retried (a failed scheduled run should alarm, not hide behind a retry). Its role may
 * run only this family in this cluster (`ecs:cluster`) and pass only the task's two roles (the ECS
 * guide's CWE_IAM_role.html: PassRole on the full ARN of each role). Any revision of the family: the
 * RunTask API reference accepts `task-definition/<family>:*` as "all revisions", so a new revision never
 * races the policy update. Schedules take no tags (aws.scheduler.Schedule has no `tags` input).
 */
import * as aws from "../../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { trustPolicy } from "../../../lib/iam";
import { mergeTags } from "../../../lib/tags";
import { TaskAccount, TaskRoles, TaskScope } from "./roles";

/** When and where the task runs. */
export interface TaskScheduleArgs {
    /** The schedule's name (account-wide per region), e.g. the task's family. */
    scheduleName: string;
    /** One line on what the run does. */
    description: string;
    /** `rate(<n> <unit>)` or `cron(<6 fields>)`, in UTC. */
    expression: string;
    /** Region of the schedule group's ARN. */
    region: string;
    /** ECS cluster the task runs in (and the only cluster the role may run it in). */
    clusterArn: pulumi.Input<string>;
    /** Private subnets for the task (it gets no public IP). */
    subnetIds: pulumi.Input<string>[];
    securityGroupId: pulumi.Input<string>;
    /** Statement ids of the role's policy: `Run<sidName>` and `Pass<sidName>Roles`. */
    sidName: string;
    /** What IAM shows for the scheduler's role. */
    roleDescription: string;
}

/** The scheduler's role (`${name}-scheduler`, with its policy) and the schedule (`${name}-schedule`). */
export function createSchedule(
    { name, parent, tags, componentTags }: TaskScope,
    a: TaskScheduleArgs,
    account: TaskAccount,
    taskDefinition: aws.ecs.TaskDefinition,
    roles: Pick<TaskRoles, "task" | "execution">,
): aws.scheduler.Schedule {
    // Scheduler's confused-deputy guidance (scheduler/latest/UserGuide/cross-service-confused-deputy-prevention.html):
    // aws:SourceAccount plus the schedule group's ARN as aws:SourceArn.
    const trust = trustPolicy("scheduler.amazonaws.com", {
        "aws:SourceAccount": account.accountId,
        "aws:SourceArn": pulumi.interpolate`arn:${account.partition}:scheduler:${a.region}:${account.accountId}:schedule-group/default`,
    });
    const policy = pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: `Run${a.sidName}`,
                Effect: "Allow",
                Action: ["ecs:RunTask"],
                Resource: pulumi.interpolate`${taskDefinition.arnWithoutRevision}:*`,
                Condition: { ArnEquals: { "ecs:cluster": a.clusterArn } },
            },
            {
                Sid: `Pass${a.sidName}Roles`,
                Effect: "Allow",
                Action: ["iam:PassRole"],
                Resource: [roles.task.arn, roles.execution.arn],
                Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
            },
        ],
    });
    const role = new aws.iam.Role(
        `${name}-scheduler`,
        { description: a.roleDescription, assumeRolePolicy: trust, tags: mergeTags(tags, `${name}-scheduler`, componentTags) },
        { parent },
    );
    new aws.iam.RolePolicy(`${name}-scheduler-policy`, { role: role.id, policy }, { parent });
    return new aws.scheduler.Schedule(
        `${name}-schedule`,
        {
            name: a.scheduleName,
            description: a.description,
            scheduleExpression: a.expression,
            scheduleExpressionTimezone: "UTC",
            flexibleTimeWindow: { mode: "OFF" },
            state: "ENABLED",
            target: {
                arn: a.clusterArn,
                roleArn: role.arn,
                ecsParameters: {
                    taskDefinitionArn: taskDefinition.arn,
                    launchType: "FARGATE",
                    taskCount: 1,
                    networkConfiguration: { subnets: a.subnetIds, securityGroups: [a.securityGroupId], assignPublicIp: false },
                },
                retryPolicy: { maximumRetryAttempts: 0 },
            },
        },
        { parent },
    );
}
