/**
 * Containers with a read-only root filesystem (ECS.5). Advisory: ECS Exec needs a writable root
 * filesystem and the Archivematica images write under their root filesystem, so this reports what would
 * have to change rather than gating.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { labelledContainers } from "../lib/containers";
import { ControlId } from "../lib/controls";

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-ecs-taskdefinition-require-readonly-root-filesystem",
    description:
        "Every container sets readonlyRootFilesystem: true (advisory: ECS Exec and the Archivematica images need a writable root filesystem).",
    enforcementLevel: "advisory",
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:ecs/taskDefinition:TaskDefinition") return;
        const labelled = labelledContainers(args.props, reportViolation);
        if (!labelled) return;
        // One message per task definition: an advisory repeated per container would drown the gate's output.
        const writable = labelled.filter(({ c }) => c.readonlyRootFilesystem !== true);
        if (writable.length === 1) {
            reportViolation(
                `${writable[0].label} has a writable root filesystem; set readonlyRootFilesystem: true and mount writable paths as volumes`,
            );
        } else if (writable.length > 1) {
            const names = writable.map(({ label }) => label.replace(/^container /, "")).join(", ");
            reportViolation(
                `containers ${names} have writable root filesystems; set readonlyRootFilesystem: true and mount writable paths as volumes`,
            );
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["ECS.5"];
