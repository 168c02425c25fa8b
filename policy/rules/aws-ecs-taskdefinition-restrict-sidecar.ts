/**
 * A sidecar — a non-essential container the essential one does not wait for (an init container is
 * waited for with SUCCESS or COMPLETE) — runs beside the service's process for the task's whole life,
 * like the metrics collector beside the MCP server and clients. It is allowed only isolated from the
 * application: its own CloudWatch log group (awslogs), a read-only root filesystem, and no secrets, so
 * that it can neither read the application's credentials nor mix its logs into the application's.
 * ECS stops a task when an essential container exits; a sidecar is non-essential by definition, so its
 * failure never stops the service.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { ContainerDefinition, isEssential, labelledContainers } from "../lib/containers";
import { ControlId } from "../lib/controls";
import { asArray, isRecord } from "../lib/values";

/** Conditions under which the essential container waits for an init container. */
const INIT_CONDITIONS = new Set(["SUCCESS", "COMPLETE"]);

/** The awslogs group a container writes to, if any. */
function logGroupOf(c: ContainerDefinition): string | undefined {
    const group = c.logConfiguration?.logDriver === "awslogs" ? c.logConfiguration.options?.["awslogs-group"] : undefined;
    return typeof group === "string" && group !== "" ? group : undefined;
}

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-ecs-taskdefinition-restrict-sidecar",
    description:
        "A sidecar (a non-essential container the essential one does not wait for with SUCCESS or COMPLETE) writes to its own awslogs log group, has a read-only root filesystem and no secrets.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:ecs/taskDefinition:TaskDefinition") return;
        const labelled = labelledContainers(args.props, reportViolation);
        if (!labelled) return;
        const essentials = labelled.filter(({ c }) => isEssential(c));
        // Without exactly one essential container there is no "the application" to tell sidecars from;
        // aws-ecs-taskdefinition-require-single-essential-container reports that.
        if (essentials.length !== 1) return;
        const main = essentials[0];
        const awaited = new Set(
            asArray(main.c.dependsOn)
                .filter(isRecord)
                .filter((d) => typeof d.condition === "string" && INIT_CONDITIONS.has(d.condition))
                .map((d) => d.containerName),
        );
        for (const { c, label } of labelled) {
            if (c === main.c || awaited.has(c.name)) continue;
            const what = `${label} is a sidecar (not essential, and ${main.label} does not dependsOn it with SUCCESS or COMPLETE)`;
            const group = logGroupOf(c);
            if (!group) {
                reportViolation(`${what} but writes no awslogs log group; give it its own log group`);
            } else {
                const sharing = labelled.filter((o) => o.c !== c && logGroupOf(o.c) === group).map((o) => o.label);
                if (sharing.length)
                    reportViolation(
                        `${what} but shares the log group "${group}" with ${sharing.join(", ")}; give it its own log group (an init container needs ${main.label} to dependsOn it with SUCCESS)`,
                    );
            }
            if (c.readonlyRootFilesystem !== true)
                reportViolation(`${what} but its root filesystem is writable; set readonlyRootFilesystem: true`);
            const secrets = asArray(c.secrets);
            if (secrets.length)
                reportViolation(`${what} but reads ${secrets.length} secret${secrets.length === 1 ? "" : "s"}; a sidecar gets no secrets`);
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["AM.11"];
