/**
 * Every container sets an explicit non-root `user` (Archivematica images run as 1000:1000; EFS access
 * points enforce the same POSIX user).
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { forEachContainer } from "../lib/containers";
import { ControlId } from "../lib/controls";
import { isRootUser } from "../../lib/ecs";

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-ecs-taskdefinition-require-nonroot-user",
    description: "Every container sets user to a non-root user (not root, 0 or 0:0).",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:ecs/taskDefinition:TaskDefinition") return;
        forEachContainer(args.props, reportViolation, (container, label) => {
            const user = container.user;
            if (typeof user !== "string" || user.trim() === "") {
                reportViolation(`${label} sets no user, so it runs as the image's user (often root); set user, e.g. "1000:1000"`);
            } else if (isRootUser(user)) {
                reportViolation(`${label} runs as root (user "${user}"); set a non-root user, e.g. "1000:1000"`);
            }
        });
    },
};

/** Controls covered: ECS.1 fails on root users in host mode; this rule requires non-root everywhere. */
export const controls: readonly ControlId[] = ["ECS.1"];
