/**
 * Application load balancers drop invalid HTTP headers; access logs and deletion protection are required
 * per stack through config (on in production, off in staging).
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { configWithDefaults } from "../lib/config";
import { ControlId } from "../lib/controls";
import { asRecord, bool } from "../lib/values";

const TYPES = new Set(["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"]);

/** Config of this rule. */
export interface LoadBalancerSettingsConfig {
    /** Require `accessLogs.enabled: true`. */
    requireAccessLogs: boolean;
    /** Require `enableDeletionProtection: true`. */
    requireDeletionProtection: boolean;
}

/** Defaults (secure; staging opts out in its config), also declared in the config schema. */
export const DEFAULTS: LoadBalancerSettingsConfig = { requireAccessLogs: true, requireDeletionProtection: true };

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-lb-loadbalancer-require-secure-settings",
    description:
        "Application load balancers set dropInvalidHeaderFields; access logs and deletion protection as the stack's policy config requires.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            requireAccessLogs: { type: "boolean", default: DEFAULTS.requireAccessLogs, description: "Require accessLogs.enabled: true." },
            requireDeletionProtection: {
                type: "boolean",
                default: DEFAULTS.requireDeletionProtection,
                description: "Require enableDeletionProtection: true.",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        if (!TYPES.has(args.type)) return;
        const config = configWithDefaults(args, DEFAULTS);
        const kind = args.props.loadBalancerType ?? "application";
        if (kind === "application" && bool(args.props.dropInvalidHeaderFields, "dropInvalidHeaderFields") !== true) {
            reportViolation("dropInvalidHeaderFields is not true; set dropInvalidHeaderFields: true");
        }
        if (config.requireAccessLogs && bool(asRecord(args.props.accessLogs).enabled, "accessLogs.enabled") !== true) {
            reportViolation("access logs are off; set accessLogs: { bucket: ..., enabled: true }");
        }
        if (config.requireDeletionProtection && bool(args.props.enableDeletionProtection, "enableDeletionProtection") !== true) {
            reportViolation("enableDeletionProtection is not true; set enableDeletionProtection: true");
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["ELB.4", "ELB.5", "ELB.6"];
