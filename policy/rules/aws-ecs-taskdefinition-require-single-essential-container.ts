/**
 * One task per service: a task definition runs exactly one essential container (the service's process).
 * Any other container is a non-essential init container (migrations, bootstrap) that the essential one
 * waits for with `dependsOn` condition SUCCESS or COMPLETE.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { containerLabel, isEssential, readContainers } from "../lib/containers";
import { ControlId } from "../lib/controls";
import { asArray, isRecord, list } from "../lib/values";

/** Conditions under which an init container counts as finished. */
const INIT_CONDITIONS = new Set(["SUCCESS", "COMPLETE"]);

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-ecs-taskdefinition-require-single-essential-container",
    description:
        "An ECS task definition has exactly one essential container; every other container is non-essential and the essential one dependsOn it with condition SUCCESS or COMPLETE.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:ecs/taskDefinition:TaskDefinition") return;
        const parsed = readContainers(args.props);
        if (!parsed.ok) {
            reportViolation(parsed.error);
            return;
        }
        const labelled = parsed.containers.map((c, i) => ({ c, label: containerLabel(c, i) }));
        const essentials = labelled.filter(({ c }) => isEssential(c));
        if (essentials.length === 0) {
            reportViolation("no essential container; exactly one container (the service's process) must be essential");
            return;
        }
        if (essentials.length > 1) {
            reportViolation(
                `${essentials.length} essential containers (${list(essentials.map((e) => e.label))}); exactly one may be essential, the others must be init containers with essential: false`,
            );
            return;
        }
        const main = essentials[0];
        const waitsFor = new Set(
            asArray(main.c.dependsOn)
                .filter(isRecord)
                .filter((d) => typeof d.condition === "string" && INIT_CONDITIONS.has(d.condition))
                .map((d) => d.containerName),
        );
        for (const { c, label } of labelled) {
            if (c === main.c) continue;
            if (!waitsFor.has(c.name)) {
                reportViolation(`${label} is not essential, but ${main.label} does not dependsOn it with condition SUCCESS or COMPLETE`);
            }
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["AM.1"];
