/**
 * ECS services deploy with the circuit breaker on and rollback enabled, so a failing release (e.g. a
 * migration init container that never succeeds) rolls back instead of crash-looping.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { ControlId } from "../lib/controls";
import { asRecord, bool, show } from "../lib/values";

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-ecs-service-require-circuit-breaker",
    description: "ECS services set deploymentCircuitBreaker: { enable: true, rollback: true }.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:ecs/service:Service") return;
        const breaker = asRecord(args.props.deploymentCircuitBreaker);
        const enable = bool(breaker.enable, "deploymentCircuitBreaker.enable");
        const rollback = bool(breaker.rollback, "deploymentCircuitBreaker.rollback");
        if (enable !== true || rollback !== true) {
            reportViolation(
                `deploymentCircuitBreaker has enable ${show(breaker.enable)} and rollback ${show(breaker.rollback)}; set deploymentCircuitBreaker: { enable: true, rollback: true }`,
            );
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["AM.4"];
