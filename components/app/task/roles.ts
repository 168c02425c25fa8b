/**
 * The two roles of an ECS task: the task role (what the running containers may do) and the execution
 * role (what ECS may do to start them), each with exactly its statements in one inline policy.
 */
import * as aws from "../../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { type IamStatement, trustPolicy } from "../../../lib/iam";
import { secretBaseArn } from "../../../lib/secrets-manager";
import { mergeTags } from "../../../lib/tags";
import { mountingContainers, TaskContainers, volumeNames } from "./containers";
import { secretRefs } from "./validate";

/** The account and partition the task runs in (the trust condition and the ARNs the policies name). */
export interface TaskAccount {
    accountId: pulumi.Input<string>;
    partition: pulumi.Input<string>;
}

/** The EFS file system and access points behind the containers' mounts. */
export interface TaskFileSystem {
    id: pulumi.Input<string>;
    arn: pulumi.Input<string>;
    accessPoints: Record<string, { id: pulumi.Input<string>; arn: pulumi.Input<string> }>;
}

/** What the roles' statements are made of. */
export interface TaskRolesArgs {
    /** Region of the ARNs the policies name. */
    region: string;
    containers: TaskContainers;
    /** @default none (required when a container mounts) */
    fileSystem?: TaskFileSystem;
    /**
     * More statements of the task role, after the EFS and ECS Exec ones: what the task's own code calls on AWS.
     * @default []
     */
    taskRoleStatements?: pulumi.Input<IamStatement<pulumi.Input<string>>[]>;
    /**
     * Log group where the cluster writes ECS Exec transcripts (with an `ecsExec` essential container).
     * @default none
     */
    execLogGroupName?: pulumi.Input<string>;
    /**
     * The execution role's statements that let ECS pull the task's images, and nothing else.
     * @default none (a public registry needs no permission)
     */
    imagePullStatements?: pulumi.Input<IamStatement[]>;
    /** One line each on what the roles are for (IAM shows it). */
    descriptions: { task: string; execution: string };
}

/** The two roles, and their inline policies (IAM is eventually consistent: a service waits for both). */
export interface TaskRoles {
    task: aws.iam.Role;
    execution: aws.iam.Role;
    policies: aws.iam.RolePolicy[];
}

/** Where the builder's resources go: names `${name}-…`, the parent, and the tags of every taggable child. */
export interface TaskScope {
    name: string;
    parent: pulumi.Resource;
    tags: Record<string, string>;
    /** Tags that mark every child as the component's (`ArchivematicaComponent`). */
    componentTags: Record<string, string>;
}

/** Task role: EFS client access through the task's access points only, the ECS Exec channels, then `taskRoleStatements`. */
export function taskPolicy(a: TaskRolesArgs, account: TaskAccount): pulumi.Output<string> {
    const statements: unknown[] = [];
    const volumes = volumeNames(a.containers);
    if (volumes.length) {
        const writable = mountingContainers(a.containers).some((c) => (c.mounts ?? []).some((m) => !m.readOnly));
        statements.push({
            Sid: "EfsThroughAccessPoints",
            Effect: "Allow",
            // Never ClientRootAccess: the access points enforce the image's uid.
            Action: writable ? ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"] : ["elasticfilesystem:ClientMount"],
            Resource: a.fileSystem!.arn,
            Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": volumes.map((v) => a.fileSystem!.accessPoints[v].arn) } },
        });
    }
    if (a.containers.essential.ecsExec) statements.push(...execStatements(a, account));
    const extra = a.taskRoleStatements ?? [];
    const all = statements.length
        ? pulumi.all([pulumi.output(statements), pulumi.output(extra)]).apply(([own, more]) => [...own, ...more])
        : extra;
    return pulumi.jsonStringify({ Version: "2012-10-17", Statement: all });
}

/** The SSM channels of ECS Exec and, with a transcript log group, writing to it. */
function execStatements(a: TaskRolesArgs, account: TaskAccount): unknown[] {
    const statements: unknown[] = [
        {
            Sid: "EcsExec",
            Effect: "Allow",
            Action: [
                "ssmmessages:CreateControlChannel",
                "ssmmessages:CreateDataChannel",
                "ssmmessages:OpenControlChannel",
                "ssmmessages:OpenDataChannel",
            ],
            Resource: "*",
        },
    ];
    if (a.execLogGroupName) {
        statements.push(
            { Sid: "EcsExecTranscriptLogGroups", Effect: "Allow", Action: ["logs:DescribeLogGroups"], Resource: "*" },
            {
                Sid: "EcsExecTranscript",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
                Resource: pulumi.interpolate`arn:${account.partition}:logs:${a.region}:${account.accountId}:log-group:${a.execLogGroupName}:*`,
            },
        );
    }
    return statements;
}

/** Execution role: write its own log groups, read exactly the task's secrets, pull exactly its images. */
export function executionPolicy(a: TaskRolesArgs, logGroupArns: pulumi.Output<string>[]): pulumi.Output<string> {
    // One level of `all` over the parts (a nested `all` per list would resolve a tick later).
    const parts: pulumi.Input<unknown>[] = [
        pulumi.all(secretRefs(a.containers)),
        ...logGroupArns,
        pulumi.output(a.imagePullStatements ?? []),
    ];
    return pulumi.all(parts).apply((resolved) => {
        const refs = resolved[0] as string[];
        const logArns = resolved.slice(1, -1) as string[];
        const pull = resolved[resolved.length - 1] as IamStatement[];
        // One grant per secret, whichever JSON keys of it the containers read.
        const secretArns = [...new Set(refs.map(secretBaseArn))].sort();
        const logs = logArns.map((arn) => `${arn}:*`);
        const statements: unknown[] = [
            {
                Sid: "WriteOwnLogs",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: logs.length === 1 ? logs[0] : logs,
            },
        ];
        if (secretArns.length) {
            statements.push({ Sid: "ReadOwnSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: secretArns });
        }
        statements.push(...pull);
        return JSON.stringify({ Version: "2012-10-17", Statement: statements });
    });
}

/** The task role and the execution role (trusted by ECS tasks of this account only), each with its inline policy. */
export function createTaskRoles(
    { name, parent, tags, componentTags }: TaskScope,
    a: TaskRolesArgs,
    account: TaskAccount,
    logGroupArns: pulumi.Output<string>[],
): TaskRoles {
    const assumeRolePolicy = trustPolicy("ecs-tasks.amazonaws.com", { "aws:SourceAccount": account.accountId });
    const task = new aws.iam.Role(
        `${name}-task`,
        { description: a.descriptions.task, assumeRolePolicy, tags: mergeTags(tags, `${name}-task`, componentTags) },
        { parent },
    );
    const taskRolePolicy = new aws.iam.RolePolicy(`${name}-task-policy`, { role: task.id, policy: taskPolicy(a, account) }, { parent });
    const execution = new aws.iam.Role(
        `${name}-execution`,
        { description: a.descriptions.execution, assumeRolePolicy, tags: mergeTags(tags, `${name}-execution`, componentTags) },
        { parent },
    );
    const executionRolePolicy = new aws.iam.RolePolicy(
        `${name}-execution-policy`,
        { role: execution.id, policy: executionPolicy(a, logGroupArns) },
        { parent },
    );
    return { task, execution, policies: [taskRolePolicy, executionRolePolicy] };
}
