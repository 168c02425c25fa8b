/**
 * RDS applies minor engine upgrades (security fixes) automatically in the maintenance window.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { ControlId } from "../lib/controls";

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-rds-instance-require-minor-version-upgrade",
    description: "RDS DB instances do not set autoMinorVersionUpgrade: false.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:rds/instance:Instance") return;
        if (args.props.autoMinorVersionUpgrade === false) {
            reportViolation("autoMinorVersionUpgrade is false; leave it unset or true so security fixes are applied");
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["RDS.13"];
