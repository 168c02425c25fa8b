/**
 * Tasks use the awsvpc network mode: each task has its own ENI and security groups, and never the host's
 * network (Fargate requires awsvpc anyway).
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { ControlId } from "../lib/controls";
import { show } from "../lib/values";

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-ecs-taskdefinition-require-awsvpc-network-mode",
    description: "ECS task definitions set networkMode awsvpc (never host or bridge).",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:ecs/taskDefinition:TaskDefinition") return;
        if (args.props.networkMode !== "awsvpc") {
            reportViolation(`networkMode is ${show(args.props.networkMode)}; set networkMode: "awsvpc"`);
        }
    },
};

/** Controls covered: with awsvpc no task uses host networking, which is what ECS.1 guards. */
export const controls: readonly ControlId[] = ["ECS.1"];
