/**
 * Singleton components (gearmand's in-memory queue, the MCP server's workflow engine) never run two tasks,
 * not even for a moment during a deployment: desiredCount ≤ 1, maximumPercent 100, minimumHealthyPercent 0.
 * Components are recognised by the service's ArchivematicaComponent tag.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { configWithDefaults } from "../lib/config";
import { ControlId } from "../lib/controls";
import { num, show, tagValue } from "../lib/values";

/** The tag naming the Archivematica component an ECS service runs. */
export const COMPONENT_TAG = "ArchivematicaComponent";

/** Config of this rule. */
export interface SingletonConfig {
    /** Components that must never run two tasks. */
    singletonComponents: string[];
}

/** Defaults, also declared in the config schema. */
export const DEFAULTS: SingletonConfig = { singletonComponents: ["gearmand", "mcp-server"] };

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-ecs-service-require-singleton-deployment",
    description:
        "ECS services of singleton components (gearmand, mcp-server) set desiredCount ≤ 1, deploymentMaximumPercent 100 and deploymentMinimumHealthyPercent 0.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            singletonComponents: {
                type: "array",
                items: { type: "string", minLength: 1 },
                uniqueItems: true,
                default: DEFAULTS.singletonComponents,
                description: "ArchivematicaComponent tag values that must never run two tasks.",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:ecs/service:Service") return;
        const component = tagValue(args.props.tags, COMPONENT_TAG);
        const { singletonComponents } = configWithDefaults(args, DEFAULTS);
        if (typeof component !== "string" || !singletonComponents.includes(component)) return;
        const label = `singleton component "${component}"`;
        const desired = num(args.props.desiredCount, "desiredCount");
        // desiredCount defaults to 0; a value above 1 runs two queues or two workflow engines.
        if (desired !== undefined && desired > 1) {
            reportViolation(`${label} has desiredCount ${desired}; at most 1 task may run`);
        }
        const max = args.props.deploymentMaximumPercent;
        if (num(max, "deploymentMaximumPercent") !== 100) {
            reportViolation(
                `${label} has deploymentMaximumPercent ${show(max)} (ECS default 200); set 100 so no second task starts during a deployment`,
            );
        }
        const min = args.props.deploymentMinimumHealthyPercent;
        if (num(min, "deploymentMinimumHealthyPercent") !== 0) {
            reportViolation(
                `${label} has deploymentMinimumHealthyPercent ${show(min)} (ECS default 100); set 0 so the old task stops before the new one starts`,
            );
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["AM.3"];
