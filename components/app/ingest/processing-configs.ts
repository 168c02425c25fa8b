/**
 * Puts the shipped processing configurations (processing-configs/) where MCPServer reads them: a small
 * function with the shared directory's EFS access point mounted (functions/processing-configs/
 * install.ts), invoked by `pulumi up` whenever the files change.
 *
 * Why a function and not an init container: MCPServer reads a configuration from the shared directory
 * when a transfer names it, and MCPClient when the transfer runs, so installing one needs no restart.
 * An init container would tie every configuration change to a restart of the MCP server (a singleton
 * whose restart fails the packages in flight), and the XML would have to travel in a task definition
 * (64 KiB, the dashboard's already holds ~32 KB of scripts) or through S3 with boto3 in an image that
 * lacks it. The invocation is part of the deploy: a failed install fails `pulumi up`, loudly.
 */
import * as aws from "../../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ProcessingConfigFile } from "../../../config/processing-configs";
import { NFS_PORT } from "../../../lib/ports";
import type { Tags } from "../../../lib/tags";
import type { Reachable } from "../../interfaces";
import { createLambdaFunction } from "./lambda-function";
import { createCallerGroup } from "./security-group";

/** Where the function mounts the shared directory. */
export const SHARED_DIRECTORY_MOUNT = "/mnt/shared";

export interface ConfigInstallerArgs {
    functionName: string;
    files: ProcessingConfigFile[];
    vpcId: pulumi.Input<string>;
    subnetIds: pulumi.Input<string>[];
    /** The EFS file system (admits the function's group), its ARN and the shared directory's access point. */
    fileSystem: Reachable & { arn: pulumi.Input<string> };
    accessPoint: { arn: pulumi.Input<string> };
    /** The mount targets the function needs before it can mount. */
    mountTargets: pulumi.Resource[];
    logRetentionDays: number;
    region: string;
    tags: Tags;
    componentTags: Tags;
}

/** The invocation's input: every shipped file, by name, with its hash (the trigger of a new install). */
export function installerInput(files: ProcessingConfigFile[]): string {
    return JSON.stringify({ configs: files.map(({ name, xml, sha256 }) => ({ name, xml, sha256 })) });
}

export function installProcessingConfigs(
    name: string,
    parent: pulumi.Resource,
    a: ConfigInstallerArgs,
    accountId: pulumi.Input<string>,
): aws.lambda.Invocation {
    const group = createCallerGroup(name, parent, {
        vpcId: a.vpcId,
        description: "Archivematica processing-configuration installer: NFS to the shared directory only",
        egress: [{ target: "efs", port: NFS_PORT, referencedSecurityGroupId: a.fileSystem.securityGroupId }],
        tags: a.tags,
        componentTags: a.componentTags,
    });
    a.fileSystem.allowFrom(name, group.id);
    const installer = createLambdaFunction(
        name,
        parent,
        {
            functionName: a.functionName,
            description: "Archivematica: installs the stack's processing configurations into the shared directory",
            entry: "functions/processing-configs/install.ts",
            memoryMb: 256,
            timeoutSeconds: 60,
            environment: { SHARED_DIRECTORY_MOUNT },
            statements: [
                {
                    Sid: "MountSharedDirectory",
                    Effect: "Allow",
                    Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
                    Resource: a.fileSystem.arn,
                    Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": a.accessPoint.arn } },
                },
            ],
            subnetIds: a.subnetIds,
            securityGroupId: group.id,
            fileSystem: { accessPointArn: a.accessPoint.arn, localMountPath: SHARED_DIRECTORY_MOUNT },
            dependsOn: a.mountTargets,
            logRetentionDays: a.logRetentionDays,
            region: a.region,
            tags: a.tags,
            componentTags: a.componentTags,
        },
        accountId,
    );
    // The input is the trigger: a changed file (or name) is a new input, hence a new invocation.
    return new aws.lambda.Invocation(`${name}-install`, { functionName: installer.fn.name, input: installerInput(a.files) }, { parent });
}
