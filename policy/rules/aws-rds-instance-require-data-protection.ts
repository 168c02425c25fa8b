/**
 * Production data protection for RDS, switched on per stack through config: deletion protection, backups
 * kept for at least N days, Multi-AZ, and a final snapshot on deletion. Defaults are the production
 * settings; staging relaxes them in its config file, visibly. An Aurora (or Multi-AZ DB) cluster holds
 * deletion protection, backups and the final snapshot itself (aws:rds/cluster) and is checked for them;
 * its availability comes from instances in several zones, not from a `multiAz` flag.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { configWithDefaults } from "../lib/config";
import { ControlId } from "../lib/controls";
import { bool, days as dayCount, isNonEmptyString, num, show } from "../lib/values";

/** Config of this rule. */
export interface DataProtectionConfig {
    /** Require `deletionProtection: true`. */
    requireDeletionProtection: boolean;
    /** Smallest acceptable `backupRetentionPeriod` in days (0 disables the check). */
    minimumBackupRetentionDays: number;
    /** Require `multiAz: true`. */
    requireMultiAz: boolean;
    /** Require `skipFinalSnapshot` not true and a `finalSnapshotIdentifier`. */
    requireFinalSnapshot: boolean;
}

/** Defaults (production), also declared in the config schema. */
export const DEFAULTS: DataProtectionConfig = {
    requireDeletionProtection: true,
    minimumBackupRetentionDays: 7,
    requireMultiAz: true,
    requireFinalSnapshot: true,
};

const CLUSTER = "aws:rds/cluster:Cluster";
const TYPES = new Set(["aws:rds/instance:Instance", CLUSTER]);

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-rds-instance-require-data-protection",
    description:
        "RDS DB instances and clusters enable deletion protection, keep backups for minimumBackupRetentionDays, keep a final snapshot and (instances) run Multi-AZ, as the stack's policy config requires.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            requireDeletionProtection: {
                type: "boolean",
                default: DEFAULTS.requireDeletionProtection,
                description: "Require deletionProtection: true.",
            },
            minimumBackupRetentionDays: {
                type: "integer",
                minimum: 0,
                maximum: 35,
                default: DEFAULTS.minimumBackupRetentionDays,
                description: "Smallest acceptable backupRetentionPeriod (days); 0 disables the check.",
            },
            requireMultiAz: { type: "boolean", default: DEFAULTS.requireMultiAz, description: "Require multiAz: true." },
            requireFinalSnapshot: {
                type: "boolean",
                default: DEFAULTS.requireFinalSnapshot,
                description: "Require skipFinalSnapshot false and a finalSnapshotIdentifier.",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        if (!TYPES.has(args.type)) return;
        const cluster = args.type === CLUSTER;
        const config = configWithDefaults(args, DEFAULTS);
        if (config.requireDeletionProtection && bool(args.props.deletionProtection, "deletionProtection") !== true) {
            reportViolation("deletionProtection is not true; set deletionProtection: true");
        }
        if (config.minimumBackupRetentionDays > 0) {
            const raw = args.props.backupRetentionPeriod;
            const days = num(raw, "backupRetentionPeriod");
            if (days === undefined || days < config.minimumBackupRetentionDays) {
                reportViolation(`backupRetentionPeriod is ${show(raw)}; at least ${dayCount(config.minimumBackupRetentionDays)} required`);
            }
        }
        if (!cluster && config.requireMultiAz && bool(args.props.multiAz, "multiAz") !== true) {
            reportViolation("multiAz is not true; set multiAz: true");
        }
        if (config.requireFinalSnapshot) {
            if (bool(args.props.skipFinalSnapshot, "skipFinalSnapshot") === true) {
                reportViolation("skipFinalSnapshot is true; set skipFinalSnapshot: false with a finalSnapshotIdentifier");
            } else if (!isNonEmptyString(args.props.finalSnapshotIdentifier)) {
                reportViolation("finalSnapshotIdentifier is not set; name the snapshot taken when the instance is deleted");
            }
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["RDS.5", "RDS.8", "RDS.11", "AM.6"];
