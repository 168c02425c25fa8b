/**
 * The ECS task builder: every ECS task of the stack (each ArchivematicaService's, the smoke test's, and
 * the tasks to come) is made of these pieces, so the trust policy, the execution policy, the log group,
 * the container JSON and the checks exist once.
 *
 * | piece | file |
 * |---|---|
 * | containers: essential, init containers, sidecars; their JSON | `containers.ts` |
 * | checks before anything is registered | `validate.ts` |
 * | task and execution roles, trust policy | `roles.ts` |
 * | log groups, task definition, EFS volumes | `task-definition.ts` |
 * | a run on a schedule (EventBridge Scheduler) | `schedule.ts` |
 *
 * Use: check with `checkTask` (before `super()` or any child), then `createTask` — or the pieces one by
 * one where a component creates other children between them (ArchivematicaService's security group and
 * discovery record come between its log group and its roles).
 */
import type * as aws from "../../../lib/aws";
import type { TaskContainers } from "./containers";
import { createTaskRoles, TaskAccount, TaskRoles, TaskRolesArgs, TaskScope } from "./roles";
import { createLogGroups, createTaskDefinition, logGroupArns, TaskDefinitionArgs, TaskLogGroups } from "./task-definition";
import { checkContainers, checkLogRetention, checkSize, Fail } from "./validate";

export { allContainers, containerDefinitions, volumeNames } from "./containers";
export type { EssentialContainer, HealthCheck, InitContainer, Mount, Sidecar, TaskContainer, TaskContainers } from "./containers";
export { createTaskRoles, executionPolicy, taskPolicy } from "./roles";
export type { TaskAccount, TaskFileSystem, TaskRoles, TaskRolesArgs, TaskScope } from "./roles";
export { createSchedule } from "./schedule";
export type { TaskScheduleArgs } from "./schedule";
export { createLogGroups, createTaskDefinition, logGroupArns } from "./task-definition";
export type { TaskDefinitionArgs, TaskLogGroups } from "./task-definition";
export { checkContainers, checkLogRetention, checkSize, failer, secretRefs } from "./validate";
export type { Fail, TaskSize } from "./validate";

/** Everything one task is made of. */
export interface TaskArgs extends TaskDefinitionArgs, TaskRolesArgs {
    logRetentionDays: number;
}

/** The resources of one task. */
export interface Task {
    logGroups: TaskLogGroups;
    roles: TaskRoles;
    taskDefinition: aws.ecs.TaskDefinition;
}

/** Every check of the builder: size, retention, containers (mounts against `fileSystem`). */
export function checkTask(
    a: Pick<TaskArgs, "cpu" | "memory" | "ephemeralStorageGiB" | "logRetentionDays" | "containers" | "fileSystem">,
    fail: Fail,
): void {
    checkSize(a, fail);
    checkLogRetention(a.logRetentionDays, fail);
    checkContainers(a.containers as TaskContainers<unknown>, a.fileSystem?.accessPoints, fail);
}

/** Log groups, then the two roles, then the task definition. */
export function createTask(scope: TaskScope, a: TaskArgs, account: TaskAccount): Task {
    const logGroups = createLogGroups(scope, a.family, a.logRetentionDays, a.containers);
    const roles = createTaskRoles(scope, a, account, logGroupArns(logGroups));
    const taskDefinition = createTaskDefinition(scope, a, roles, logGroups);
    return { logGroups, roles, taskDefinition };
}
