/**
 * ECS task volumes on EFS mount with TLS and IAM authorisation, so traffic to the file system is encrypted
 * and the task role (not just network reachability) decides access.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { ControlId } from "../lib/controls";
import { asArray, asRecord, isRecord, show } from "../lib/values";

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-ecs-taskdefinition-require-efs-transit-encryption",
    description: "ECS task-definition volumes on EFS set transitEncryption ENABLED and authorizationConfig.iam ENABLED.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:ecs/taskDefinition:TaskDefinition") return;
        for (const volume of asArray(args.props.volumes).filter(isRecord)) {
            const efs = volume.efsVolumeConfiguration;
            if (!isRecord(efs)) continue;
            const label = `volume ${show(volume.name)}`;
            if (efs.transitEncryption !== "ENABLED") {
                reportViolation(
                    `${label} mounts EFS with transitEncryption ${show(efs.transitEncryption)}; set transitEncryption: "ENABLED"`,
                );
            }
            const iam = asRecord(efs.authorizationConfig).iam;
            if (iam !== "ENABLED") {
                reportViolation(`${label} mounts EFS with authorizationConfig.iam ${show(iam)}; set authorizationConfig.iam: "ENABLED"`);
            }
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["AM.5"];
