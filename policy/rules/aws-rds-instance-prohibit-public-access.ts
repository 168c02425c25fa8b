/**
 * Databases are reachable only inside the VPC: RDS instances and the instances of Aurora (and Multi-AZ
 * DB) clusters, which carry `publiclyAccessible` themselves (aws:rds/clusterInstance).
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { ControlId } from "../lib/controls";
import { bool } from "../lib/values";

const TYPES = new Set(["aws:rds/instance:Instance", "aws:rds/clusterInstance:ClusterInstance"]);

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-rds-instance-prohibit-public-access",
    description: "RDS DB instances and cluster instances do not set publiclyAccessible: true.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (!TYPES.has(args.type)) return;
        if (bool(args.props.publiclyAccessible, "publiclyAccessible") === true) {
            reportViolation("publiclyAccessible is true; databases must only be reachable inside the VPC");
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["RDS.2"];
