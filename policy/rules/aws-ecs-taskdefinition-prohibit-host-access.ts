/**
 * Tasks stay out of the host: no privileged containers, no host process or IPC namespace.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { forEachContainer } from "../lib/containers";
import { ControlId } from "../lib/controls";

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-ecs-taskdefinition-prohibit-host-access",
    description: "ECS task definitions run no privileged container and do not set pidMode or ipcMode to host.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:ecs/taskDefinition:TaskDefinition") return;
        if (args.props.pidMode === "host") {
            reportViolation('pidMode is "host"; tasks must not share the host\'s process namespace');
        }
        if (args.props.ipcMode === "host") {
            reportViolation('ipcMode is "host"; tasks must not share the host\'s IPC namespace');
        }
        forEachContainer(args.props, reportViolation, (container, label) => {
            if (container.privileged === true) {
                reportViolation(`${label} is privileged; remove privileged: true`);
            }
        });
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["ECS.3", "ECS.4"];
