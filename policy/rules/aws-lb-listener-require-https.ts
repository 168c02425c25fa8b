/**
 * Load-balancer listeners speak HTTPS (or TLS) with an approved security policy; a plain-HTTP listener
 * is allowed only when every default action redirects to HTTPS.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { configWithDefaults } from "../lib/config";
import { ControlId } from "../lib/controls";
import { asArray, asRecord, isRecord, list, show } from "../lib/values";

const TYPES = new Set(["aws:lb/listener:Listener", "aws:alb/listener:Listener"]);

/** Config of this rule. */
export interface ListenerHttpsConfig {
    /** Accepted `sslPolicy` values for HTTPS/TLS listeners. */
    approvedTlsPolicies: string[];
}

/**
 * Defaults, also declared in the config schema: TLS 1.3/1.2 policies with hybrid post-quantum key
 * exchange (ELB guide, "Security policies for your Application Load Balancer": AWS recommends
 * ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09), which also meet ELB.17.
 */
export const DEFAULTS: ListenerHttpsConfig = {
    approvedTlsPolicies: [
        "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
    ],
};

/** True when the action is a redirect to HTTPS. */
function redirectsToHttps(action: unknown): boolean {
    return isRecord(action) && action.type === "redirect" && asRecord(action.redirect).protocol === "HTTPS";
}

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-lb-listener-require-https",
    description: "Load-balancer listeners use HTTPS/TLS with an approved TLS policy; HTTP listeners only redirect to HTTPS.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            approvedTlsPolicies: {
                type: "array",
                items: { type: "string", minLength: 1 },
                minItems: 1,
                default: DEFAULTS.approvedTlsPolicies,
                description: "Accepted sslPolicy values for HTTPS and TLS listeners.",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        if (!TYPES.has(args.type)) return;
        // An ALB listener without a protocol is HTTP.
        const protocol = typeof args.props.protocol === "string" ? args.props.protocol.toUpperCase() : "HTTP";
        if (protocol === "HTTPS" || protocol === "TLS") {
            const { approvedTlsPolicies } = configWithDefaults(args, DEFAULTS);
            const sslPolicy = args.props.sslPolicy;
            if (typeof sslPolicy !== "string" || !approvedTlsPolicies.includes(sslPolicy)) {
                reportViolation(`${protocol} listener has sslPolicy ${show(sslPolicy)}; use one of: ${list(approvedTlsPolicies)}`);
            }
        } else if (protocol === "HTTP") {
            const actions = asArray(args.props.defaultActions);
            if (actions.length === 0 || !actions.every(redirectsToHttps)) {
                reportViolation(
                    'HTTP listener does not only redirect to HTTPS; set defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }]',
                );
            }
        } else {
            reportViolation(`listener protocol ${protocol} carries unencrypted traffic; use HTTPS or TLS`);
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["ELB.1", "ELB.17"];
