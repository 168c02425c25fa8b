/**
 * Databases are reachable only inside the VPC.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { ControlId } from "../lib/controls";

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-rds-instance-prohibit-public-access",
    description: "RDS DB instances do not set publiclyAccessible: true.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:rds/instance:Instance") return;
        if (args.props.publiclyAccessible === true) {
            reportViolation("publiclyAccessible is true; databases must only be reachable inside the VPC");
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["RDS.2"];
