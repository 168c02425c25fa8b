/**
 * The VPC's default security group allows nothing, so a resource that falls back to it is isolated.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { ControlId } from "../lib/controls";
import { asArray } from "../lib/values";

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-ec2-defaultsecuritygroup-restrict-all-traffic",
    description: "The default security group (aws:ec2/defaultSecurityGroup) has no ingress and no egress rules.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup") return;
        const ingress = asArray(args.props.ingress).length;
        const egress = asArray(args.props.egress).length;
        if (ingress > 0 || egress > 0) {
            reportViolation(
                `default security group has ${ingress} ingress and ${egress} egress rules; it must allow no traffic (ingress: [], egress: [])`,
            );
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["EC2.2"];
