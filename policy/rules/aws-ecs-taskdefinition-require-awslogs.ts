/**
 * Every container logs to CloudWatch Logs through the awslogs driver, into a named log group.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { forEachContainer } from "../lib/containers";
import { ControlId } from "../lib/controls";
import { asRecord, show } from "../lib/values";

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-ecs-taskdefinition-require-awslogs",
    description: "Every container has logConfiguration with logDriver awslogs and an awslogs-group option.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:ecs/taskDefinition:TaskDefinition") return;
        forEachContainer(args.props, reportViolation, (container, label) => {
            const logging = asRecord(container.logConfiguration);
            if (logging.logDriver !== "awslogs") {
                reportViolation(`${label} has logDriver ${show(logging.logDriver)}; set logConfiguration.logDriver "awslogs"`);
            } else if (typeof asRecord(logging.options)["awslogs-group"] !== "string") {
                reportViolation(`${label} logs with awslogs but sets no awslogs-group option`);
            }
        });
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["ECS.9"];
