/**
 * One task per service, stack-wide: every Archivematica component maps to exactly one ECS service,
 * identified by the service's ArchivematicaComponent tag, and every ECS service names a known component.
 */
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { configWithDefaults } from "../lib/config";
import { ControlId } from "../lib/controls";
import { ofTypes } from "../lib/links";
import { list, tagValue } from "../lib/values";
import { COMPONENT_TAG } from "./aws-ecs-service-require-singleton-deployment";
import catalogue from "../data/components.json";

const SERVICE = new Set(["aws:ecs/service:Service"]);

/** Config of this rule. */
export interface ComponentsConfig {
    /** The components the stack must run, one ECS service each. */
    components: string[];
}

/**
 * Defaults: the program's catalogue (components/app/catalogue/registry.ts), as `npm run sync-docs`
 * writes it into policy/data/components.json (the pack imports nothing of the program but lib/).
 */
export const DEFAULTS: ComponentsConfig = { components: [...catalogue.components] };

/** See the module comment. */
export const policy: StackValidationPolicy = {
    name: "aws-ecs-service-require-one-per-component",
    description: `Every Archivematica component (${DEFAULTS.components.join(", ")}) maps to exactly one ECS service tagged ArchivematicaComponent.`,
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            components: {
                type: "array",
                items: { type: "string", minLength: 1 },
                uniqueItems: true,
                minItems: 1,
                default: DEFAULTS.components,
                description: "Components the stack runs, each as exactly one ECS service.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const { components } = configWithDefaults(args, DEFAULTS);
        const byComponent = new Map<string, PolicyResource[]>(components.map((c) => [c, []]));
        for (const service of ofTypes(args.resources, SERVICE)) {
            const component = tagValue(service.props.tags, COMPONENT_TAG);
            if (typeof component !== "string" || component === "") {
                reportViolation(`ECS service has no ${COMPONENT_TAG} tag; tag it with one of: ${list(components)}`, service.urn);
            } else if (!byComponent.has(component)) {
                reportViolation(
                    `${COMPONENT_TAG} "${component}" is not a known component; expected one of: ${list(components)}`,
                    service.urn,
                );
            } else {
                byComponent.get(component)!.push(service);
            }
        }
        for (const [component, services] of byComponent) {
            if (services.length === 0) {
                reportViolation(`component "${component}" has no ECS service; each component maps to exactly one service`);
            } else if (services.length > 1) {
                const names = list(services.map((s) => s.name));
                for (const service of services) {
                    reportViolation(
                        `component "${component}" is served by ${services.length} ECS services (${names}); each component maps to exactly one service`,
                        service.urn,
                    );
                }
            }
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["AM.1"];
