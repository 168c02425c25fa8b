/**
 * ECS clusters enable Container Insights (enabled or enhanced).
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { ControlId } from "../lib/controls";
import { asArray, isRecord, show } from "../lib/values";

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-ecs-cluster-require-container-insights",
    description: "ECS clusters set the containerInsights setting to enabled or enhanced.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:ecs/cluster:Cluster") return;
        const setting = asArray(args.props.settings)
            .filter(isRecord)
            .find((s) => s.name === "containerInsights");
        const value = setting?.value;
        if (value !== "enabled" && value !== "enhanced") {
            reportViolation(
                `containerInsights is ${show(value)}; set settings: [{ name: "containerInsights", value: "enabled" }] (or "enhanced")`,
            );
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["ECS.12"];
