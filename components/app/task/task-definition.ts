/**
 * The log groups and the Fargate task definition of an ECS task: `/ecs/<family>` for the task (and
 * `/ecs/<family>/<sidecar>` for a sidecar that logs apart), sizes, roles, containers, and one EFS
 * volume per mounted access point.
 */
import * as aws from "../../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { mergeTags } from "../../../lib/tags";
import { containerDefinitions, TaskContainers, volumeNames } from "./containers";
import type { TaskFileSystem, TaskRoles, TaskScope } from "./roles";
import type { TaskSize } from "./validate";

/** The task's log group and those of sidecars that log apart. */
export interface TaskLogGroups {
    task: aws.cloudwatch.LogGroup;
    sidecars: Record<string, aws.cloudwatch.LogGroup>;
}

/** Every log group's ARN, the task's first: what the execution role may write to. */
export function logGroupArns(groups: TaskLogGroups): pulumi.Output<string>[] {
    return [groups.task.arn, ...Object.keys(groups.sidecars).map((s) => groups.sidecars[s].arn)];
}

/** `/ecs/<family>` (`${name}-logs`), and `/ecs/<family>/<sidecar>` (`${name}-<sidecar>-logs`) for each sidecar with `logGroup: "own"`. */
export function createLogGroups(
    { name, parent, tags, componentTags }: TaskScope,
    family: string,
    retentionInDays: number,
    containers: TaskContainers,
): TaskLogGroups {
    const group = (resourceName: string, logGroupName: string) =>
        new aws.cloudwatch.LogGroup(
            resourceName,
            { name: logGroupName, retentionInDays, tags: mergeTags(tags, resourceName, componentTags) },
            { parent },
        );
    const task = group(`${name}-logs`, `/ecs/${family}`);
    const sidecars: Record<string, aws.cloudwatch.LogGroup> = {};
    for (const s of containers.sidecars ?? [])
        if (s.logGroup === "own") sidecars[s.name] = group(`${name}-${s.name}-logs`, `/ecs/${family}/${s.name}`);
    return { task, sidecars };
}

/** What the task definition is made of. */
export interface TaskDefinitionArgs extends TaskSize {
    family: string;
    /** Region of the awslogs driver. */
    region: string;
    containers: TaskContainers;
    /** @default none (required when a container mounts) */
    fileSystem?: TaskFileSystem;
}

/**
 * The Fargate task definition: sizes, roles, containers, and one EFS volume per mounted access point.
 * `volumes` is listed when the essential container declares its mounts (even none), like its `mountPoints`.
 */
export function createTaskDefinition(
    { name, parent, tags, componentTags }: TaskScope,
    a: TaskDefinitionArgs,
    roles: Pick<TaskRoles, "task" | "execution">,
    logGroups: TaskLogGroups,
): aws.ecs.TaskDefinition {
    const names = {
        task: logGroups.task.name,
        sidecars: Object.fromEntries(Object.entries(logGroups.sidecars).map(([s, g]) => [s, g.name])),
    };
    return new aws.ecs.TaskDefinition(
        `${name}-task-definition`,
        {
            family: a.family,
            networkMode: "awsvpc",
            requiresCompatibilities: ["FARGATE"],
            runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
            cpu: String(a.cpu),
            memory: String(a.memory),
            ephemeralStorage: a.ephemeralStorageGiB ? { sizeInGib: a.ephemeralStorageGiB } : undefined,
            taskRoleArn: roles.task.arn,
            executionRoleArn: roles.execution.arn,
            containerDefinitions: containerDefinitions(a.containers, names, a.region),
            volumes: a.containers.essential.mounts
                ? volumeNames(a.containers).map((volume) => ({
                      name: volume,
                      efsVolumeConfiguration: {
                          fileSystemId: a.fileSystem!.id,
                          transitEncryption: "ENABLED",
                          authorizationConfig: { accessPointId: a.fileSystem!.accessPoints[volume].id, iam: "ENABLED" },
                      },
                  }))
                : undefined,
            tags: mergeTags(tags, `${name}-task-definition`, componentTags),
        },
        { parent },
    );
}
