/**
 * Production data protection for RDS, switched on per stack through config: deletion protection, backups
 * kept for at least N days, Multi-AZ, and a final snapshot on deletion. Defaults are the production
 * settings; staging relaxes them in its config file, visibly.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { configWithDefaults } from "../lib/config";
import { ControlId } from "../lib/controls";
import { asNumber, days as dayCount, isNonEmptyString, show } from "../lib/values";

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

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-rds-instance-require-data-protection",
    description:
        "RDS DB instances enable deletion protection, keep backups for minimumBackupRetentionDays, run Multi-AZ and keep a final snapshot, as the stack's policy config requires.",
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
        if (args.type !== "aws:rds/instance:Instance") return;
        const config = configWithDefaults(args, DEFAULTS);
        if (config.requireDeletionProtection && args.props.deletionProtection !== true) {
            reportViolation("deletionProtection is not true; set deletionProtection: true");
        }
        if (config.minimumBackupRetentionDays > 0) {
            const raw = args.props.backupRetentionPeriod;
            const days = asNumber(raw);
            if (days === undefined || days < config.minimumBackupRetentionDays) {
                reportViolation(`backupRetentionPeriod is ${show(raw)}; at least ${dayCount(config.minimumBackupRetentionDays)} required`);
            }
        }
        if (config.requireMultiAz && args.props.multiAz !== true) {
            reportViolation("multiAz is not true; set multiAz: true");
        }
        if (config.requireFinalSnapshot) {
            if (args.props.skipFinalSnapshot === true) {
                reportViolation("skipFinalSnapshot is true; set skipFinalSnapshot: false with a finalSnapshotIdentifier");
            } else if (!isNonEmptyString(args.props.finalSnapshotIdentifier)) {
                reportViolation("finalSnapshotIdentifier is not set; name the snapshot taken when the instance is deleted");
            }
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["RDS.5", "RDS.8", "RDS.11", "AM.6"];
