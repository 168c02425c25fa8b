/**
 * EFS file systems are encrypted at rest.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { ControlId } from "../lib/controls";
import { bool } from "../lib/values";

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-efs-filesystem-require-encryption",
    description: "EFS file systems are encrypted at rest (encrypted: true, with the AWS-managed or a customer KMS key).",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:efs/fileSystem:FileSystem") return;
        if (bool(args.props.encrypted, "encrypted") !== true) {
            reportViolation("encrypted is not true; set encrypted: true (kmsKeyId optional)");
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["EFS.1"];
