/**
 * OpenSearch (and legacy Elasticsearch) domains encrypt at rest and between nodes, and accept only HTTPS
 * with a TLS 1.2+ security policy.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { configWithDefaults } from "../lib/config";
import { ControlId } from "../lib/controls";
import { asRecord, bool, list, show } from "../lib/values";

/** Domain types this rule checks. */
export const DOMAIN_TYPES: ReadonlySet<string> = new Set(["aws:opensearch/domain:Domain", "aws:elasticsearch/domain:Domain"]);

/** Config of this rule. */
export interface OpenSearchEncryptionConfig {
    /** Accepted `domainEndpointOptions.tlsSecurityPolicy` values. */
    approvedTlsPolicies: string[];
}

/** Defaults, also declared in the config schema. */
export const DEFAULTS: OpenSearchEncryptionConfig = {
    approvedTlsPolicies: ["Policy-Min-TLS-1-2-2019-07", "Policy-Min-TLS-1-2-PFS-2023-10"],
};

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-opensearch-domain-require-encryption",
    description: "OpenSearch domains enable encryptAtRest and nodeToNodeEncryption, enforce HTTPS and use an approved TLS 1.2+ policy.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            approvedTlsPolicies: {
                type: "array",
                items: { type: "string", pattern: "^Policy-Min-TLS-1-2-(PFS-)?(2019-07|2023-10)$" },
                minItems: 1,
                default: DEFAULTS.approvedTlsPolicies,
                description: "Accepted domainEndpointOptions.tlsSecurityPolicy values.",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        if (!DOMAIN_TYPES.has(args.type)) return;
        const { approvedTlsPolicies } = configWithDefaults(args, DEFAULTS);
        if (bool(asRecord(args.props.encryptAtRest).enabled, "encryptAtRest.enabled") !== true) {
            reportViolation("encryptAtRest.enabled is not true; set encryptAtRest: { enabled: true }");
        }
        if (bool(asRecord(args.props.nodeToNodeEncryption).enabled, "nodeToNodeEncryption.enabled") !== true) {
            reportViolation("nodeToNodeEncryption.enabled is not true; set nodeToNodeEncryption: { enabled: true }");
        }
        const endpoint = asRecord(args.props.domainEndpointOptions);
        if (bool(endpoint.enforceHttps, "domainEndpointOptions.enforceHttps") !== true) {
            reportViolation("domainEndpointOptions.enforceHttps is not true; set enforceHttps: true");
        }
        const tls = endpoint.tlsSecurityPolicy;
        if (typeof tls !== "string" || !approvedTlsPolicies.includes(tls)) {
            reportViolation(`domainEndpointOptions.tlsSecurityPolicy is ${show(tls)}; use one of: ${list(approvedTlsPolicies)}`);
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["Opensearch.1", "Opensearch.3", "Opensearch.8"];
