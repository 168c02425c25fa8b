/**
 * EFS mount targets sit in private subnets. A stack rule: the subnet's `mapPublicIpOnLaunch` is on the
 * subnet resource. Subnets outside the stack (bring-your-own VPC) cannot be judged and are skipped.
 */
import { StackValidationPolicy } from "@pulumi/policy";
import { ControlId } from "../lib/controls";
import { bool } from "../lib/values";
import { ofTypes, referencedBy } from "../lib/links";

const SUBNET = new Set(["aws:ec2/subnet:Subnet"]);
const MOUNT_TARGET = new Set(["aws:efs/mountTarget:MountTarget"]);

/** See the module comment. */
export const policy: StackValidationPolicy = {
    name: "aws-efs-mounttarget-prohibit-public-subnet",
    description: "EFS mount targets are not in subnets that assign public IPs on launch.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        for (const target of ofTypes(args.resources, MOUNT_TARGET)) {
            for (const subnet of referencedBy(target, "subnetId", SUBNET)) {
                if (bool(subnet.props.mapPublicIpOnLaunch, "mapPublicIpOnLaunch") === true) {
                    reportViolation(
                        `mount target is in subnet "${subnet.name}", which assigns public IPs on launch; use a private subnet`,
                        target.urn,
                    );
                }
            }
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["EFS.6"];
