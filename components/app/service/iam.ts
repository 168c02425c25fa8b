/** A service's two roles, through the task builder: what its containers may do, what ECS may do to start them. */
import * as aws from "../../../lib/aws";
import { createTaskRoles, logGroupArns, TaskLogGroups, TaskRoles } from "../task";
import type { Scope } from "./args";

/**
 * The task role (EFS through the task's access points, ECS Exec, then `taskRoleStatements`) and the
 * execution role (its log group, exactly its secrets, exactly its images).
 */
export function createRoles(scope: Scope, logGroups: TaskLogGroups): TaskRoles {
    const { a, parent } = scope;
    const account = {
        accountId: aws.getCallerIdentityOutput({}, { parent }).accountId,
        partition: aws.getPartitionOutput({}, { parent }).partition,
    };
    return createTaskRoles(
        scope,
        {
            ...a.task,
            region: a.region,
            descriptions: {
                task: `Archivematica ${a.component}: what the running containers may do`,
                execution: `Archivematica ${a.component}: what ECS may do to start its tasks`,
            },
        },
        account,
        logGroupArns(logGroups),
    );
}
