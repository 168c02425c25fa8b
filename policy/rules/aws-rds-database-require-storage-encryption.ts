/**
 * RDS instances and clusters encrypt their storage (and with it backups and snapshots).
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { ControlId } from "../lib/controls";
import { bool } from "../lib/values";

const TYPES = new Set(["aws:rds/instance:Instance", "aws:rds/cluster:Cluster"]);

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-rds-database-require-storage-encryption",
    description: "RDS DB instances and clusters set storageEncrypted: true.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (!TYPES.has(args.type)) return;
        if (bool(args.props.storageEncrypted, "storageEncrypted") !== true) {
            reportViolation("storageEncrypted is not true; set storageEncrypted: true");
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["RDS.3", "RDS.27"];
