/**
 * RDS applies minor engine upgrades (security fixes) automatically in the maintenance window: on
 * instances, cluster instances and (Multi-AZ DB) clusters, each of which can turn it off.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { ControlId } from "../lib/controls";
import { bool } from "../lib/values";

const TYPES = new Set(["aws:rds/instance:Instance", "aws:rds/clusterInstance:ClusterInstance", "aws:rds/cluster:Cluster"]);

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-rds-instance-require-minor-version-upgrade",
    description: "RDS DB instances, cluster instances and clusters do not set autoMinorVersionUpgrade: false.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (!TYPES.has(args.type)) return;
        if (bool(args.props.autoMinorVersionUpgrade, "autoMinorVersionUpgrade") === false) {
            reportViolation("autoMinorVersionUpgrade is false; leave it unset or true so security fixes are applied");
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["RDS.13"];
