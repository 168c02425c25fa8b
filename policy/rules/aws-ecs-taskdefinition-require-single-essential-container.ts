/**
 * One task per service: a task definition runs exactly one essential container (the service's process).
 * Any other container is non-essential: an init container (migrations, bootstrap) that the essential one
 * waits for with `dependsOn` condition SUCCESS or COMPLETE, or a sidecar it does not wait for (the
 * metrics collector), which aws-ecs-taskdefinition-restrict-sidecar keeps isolated.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { isEssential, labelledContainers } from "../lib/containers";
import { ControlId } from "../lib/controls";
import { list } from "../lib/values";

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-ecs-taskdefinition-require-single-essential-container",
    description:
        "An ECS task definition has exactly one essential container; every other container is non-essential (an init container it waits for, or a sidecar).",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:ecs/taskDefinition:TaskDefinition") return;
        const labelled = labelledContainers(args.props, reportViolation);
        if (!labelled) return;
        const essentials = labelled.filter(({ c }) => isEssential(c));
        if (essentials.length === 0) {
            reportViolation("no essential container; exactly one container (the service's process) must be essential");
            return;
        }
        if (essentials.length > 1) {
            reportViolation(
                `${essentials.length} essential containers (${list(essentials.map((e) => e.label))}); exactly one may be essential, the others must be init containers or sidecars with essential: false`,
            );
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["AM.1"];
