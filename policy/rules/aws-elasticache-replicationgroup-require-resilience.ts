/**
 * ElastiCache replication groups keep automatic backups, take minor upgrades and fail over
 * automatically. Advisory by default: gearmand's queue can run on one node in staging.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { configWithDefaults } from "../lib/config";
import { ControlId } from "../lib/controls";
import { bool, days as dayCount, num, show } from "../lib/values";

/** Config of this rule. */
export interface ResilienceConfig {
    /** Smallest acceptable `snapshotRetentionLimit` (days). */
    minimumSnapshotRetentionDays: number;
    /** Require `automaticFailoverEnabled: true` (needs two or more nodes). */
    requireAutomaticFailover: boolean;
}

/** Defaults, also declared in the config schema. */
export const DEFAULTS: ResilienceConfig = { minimumSnapshotRetentionDays: 1, requireAutomaticFailover: true };

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-elasticache-replicationgroup-require-resilience",
    description: "ElastiCache replication groups keep automatic backups, allow automatic minor upgrades and enable automatic failover.",
    enforcementLevel: "advisory",
    configSchema: {
        properties: {
            minimumSnapshotRetentionDays: {
                type: "integer",
                minimum: 1,
                default: DEFAULTS.minimumSnapshotRetentionDays,
                description: "Smallest acceptable snapshotRetentionLimit (days).",
            },
            requireAutomaticFailover: {
                type: "boolean",
                default: DEFAULTS.requireAutomaticFailover,
                description: "Require automaticFailoverEnabled: true.",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:elasticache/replicationGroup:ReplicationGroup") return;
        const config = configWithDefaults(args, DEFAULTS);
        const raw = args.props.snapshotRetentionLimit;
        const days = num(raw, "snapshotRetentionLimit");
        if (days === undefined || days < config.minimumSnapshotRetentionDays) {
            reportViolation(
                `snapshotRetentionLimit is ${show(raw)}; keep at least ${dayCount(config.minimumSnapshotRetentionDays)} of automatic backups`,
            );
        }
        if (bool(args.props.autoMinorVersionUpgrade, "autoMinorVersionUpgrade") === false) {
            reportViolation("autoMinorVersionUpgrade is false; leave it unset or true");
        }
        if (config.requireAutomaticFailover && bool(args.props.automaticFailoverEnabled, "automaticFailoverEnabled") !== true) {
            reportViolation("automaticFailoverEnabled is not true; run two nodes with automaticFailoverEnabled: true");
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["ElastiCache.1", "ElastiCache.2", "ElastiCache.3"];
