/**
 * ECS services run in private subnets without public IPs; the load balancer is the only way in.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { ControlId } from "../lib/controls";
import { asRecord, bool } from "../lib/values";

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-ecs-service-prohibit-public-ip",
    description: "ECS services do not set networkConfiguration.assignPublicIp: true.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:ecs/service:Service") return;
        if (bool(asRecord(args.props.networkConfiguration).assignPublicIp, "networkConfiguration.assignPublicIp") === true) {
            reportViolation("networkConfiguration.assignPublicIp is true; run tasks in private subnets with assignPublicIp: false");
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["ECS.2"];
