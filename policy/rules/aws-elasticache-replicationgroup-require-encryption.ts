/**
 * ElastiCache replication groups are encrypted at rest and in transit. Transit encryption may be waived
 * for a named replication group only through this stack's policy config (`transitEncryptionExceptions`,
 * each entry with a reason): gearmand's redis client cannot speak TLS. There is no exception in code.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { configWithDefaults } from "../lib/config";
import { ControlId } from "../lib/controls";
import { bool } from "../lib/values";

/** One deliberate, reviewed exception to transit encryption. */
export interface TransitEncryptionException {
    /** Logical (Pulumi) name of the replication group, e.g. `archivematica-queue-redis`. */
    name: string;
    /** Why the group cannot use TLS, for reviewers. */
    reason: string;
}

/** Config of this rule. */
export interface ElastiCacheEncryptionConfig {
    /** Replication groups allowed to run without transit encryption. */
    transitEncryptionExceptions: TransitEncryptionException[];
}

/** Defaults, also declared in the config schema: no exceptions. */
export const DEFAULTS: ElastiCacheEncryptionConfig = { transitEncryptionExceptions: [] };

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-elasticache-replicationgroup-require-encryption",
    description:
        "ElastiCache replication groups set atRestEncryptionEnabled and transitEncryptionEnabled; a transit exception must be named, with a reason, in the stack's policy config.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            transitEncryptionExceptions: {
                type: "array",
                default: DEFAULTS.transitEncryptionExceptions,
                description: "Replication groups (by logical name) allowed without transit encryption, each with a reason.",
                items: {
                    type: "object",
                    required: ["name", "reason"],
                    additionalProperties: false,
                    properties: {
                        name: { type: "string", minLength: 1 },
                        reason: { type: "string", minLength: 10 },
                    },
                },
            },
        },
    },
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:elasticache/replicationGroup:ReplicationGroup") return;
        if (bool(args.props.atRestEncryptionEnabled, "atRestEncryptionEnabled") !== true) {
            reportViolation("atRestEncryptionEnabled is not true; set atRestEncryptionEnabled: true");
        }
        if (bool(args.props.transitEncryptionEnabled, "transitEncryptionEnabled") !== true) {
            const { transitEncryptionExceptions } = configWithDefaults(args, DEFAULTS);
            const excepted = transitEncryptionExceptions.some(
                (e) => e.name === args.name && typeof e.reason === "string" && e.reason.trim() !== "",
            );
            if (!excepted) {
                reportViolation(
                    `transitEncryptionEnabled is not true; set transitEncryptionEnabled: true, or add { "name": "${args.name}", "reason": "..." } to transitEncryptionExceptions in this stack's policy config`,
                );
            }
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["ElastiCache.4", "ElastiCache.5"];
