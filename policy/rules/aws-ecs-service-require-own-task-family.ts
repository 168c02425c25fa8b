/**
 * One task per service: no two ECS services run task definitions of the same family (a shared family
 * means one service's deploy silently changes the other). A stack rule: the family is on the task
 * definition, the reference on the service.
 */
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { ControlId } from "../lib/controls";
import { ofTypes, referencedBy } from "../lib/links";
import { list } from "../lib/values";

const SERVICE = new Set(["aws:ecs/service:Service"]);
const TASK_DEFINITION = new Set(["aws:ecs/taskDefinition:TaskDefinition"]);

/** The family in a task-definition ARN (`…:task-definition/family:rev`) or `family:rev` string. */
export function familyFromReference(reference: string): string | undefined {
    const match = /(?:task-definition\/)?([A-Za-z0-9_-]+)(?::\d+)?$/.exec(reference);
    return match ? match[1] : undefined;
}

/**
 * The family of the task definition a service runs: through its dependency on a task definition in the
 * stack, else parsed from a literal `taskDefinition` reference. Undefined when it cannot be told.
 */
export function familyOf(service: PolicyResource): string | undefined {
    const linked = referencedBy(service, "taskDefinition", TASK_DEFINITION);
    if (linked.length === 1) {
        const family = linked[0].props.family;
        return typeof family === "string" ? family : undefined;
    }
    const reference = service.props.taskDefinition;
    return typeof reference === "string" ? familyFromReference(reference) : undefined;
}

/** See the module comment. */
export const policy: StackValidationPolicy = {
    name: "aws-ecs-service-require-own-task-family",
    description: "Every ECS service uses its own task-definition family; no family is shared by two services.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const byFamily = new Map<string, PolicyResource[]>();
        for (const service of ofTypes(args.resources, SERVICE)) {
            const family = familyOf(service);
            if (family === undefined) continue;
            const services = byFamily.get(family);
            if (services) services.push(service);
            else byFamily.set(family, [service]);
        }
        for (const [family, services] of byFamily) {
            if (services.length < 2) continue;
            const names = list(services.map((s) => s.name));
            for (const service of services) {
                reportViolation(
                    `task-definition family "${family}" is shared by ECS services ${names}; give each service its own family`,
                    service.urn,
                );
            }
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["AM.1"];
