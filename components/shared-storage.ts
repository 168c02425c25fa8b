/**
 * Shared storage on EFS: the pipeline's sharedDirectory, the Storage Service staging area and the
 * transfer source, each behind an access point that enforces the images' POSIX user.
 *
 * Known risk (DESIGN §4): Wellcome saw files written by one task appear late in another over EFS.
 * The services poll rather than rely on inotify (which NFS does not deliver), and everything that
 * uses this component goes through `SharedStorageOutputs`, so another store can replace it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { SharedStorageOutputs } from "./interfaces";
import { ingressFrom } from "./security-groups";
import { mergeTags, Tags } from "./tags";

/** The volumes on the file system: access-point root directory per volume. */
export const VOLUME_PATHS = {
    sharedDirectory: "/archivematica/sharedDirectory",
    storageServiceStaging: "/archivematica/storage_service",
    transferSource: "/archivematica/transfer-source",
} as const;

export type VolumeName = keyof typeof VOLUME_PATHS;

export interface SharedStorageArgs {
    vpcId: pulumi.Input<string>;
    /** One mount target per subnet: the private subnets, one per availability zone. */
    subnetIds: pulumi.Input<string>[];
    /** Required tags, set on every taggable resource. */
    tags: Tags;
    /**
     * POSIX uid and gid the access points enforce and own their root directories with; must match
     * the container user (Archivematica 1.18 images run as 1000).
     * @default 1000
     */
    posixId?: number;
    /**
     * Protect the file system from deletion (`pulumi destroy` and replacements fail until the
     * option is removed). Used for production: the sharedDirectory holds transfers in flight.
     * @default false
     */
    protect?: boolean;
}

export class SharedStorage extends pulumi.ComponentResource implements SharedStorageOutputs {
    readonly fileSystemId: pulumi.Output<string>;
    readonly fileSystemArn: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;
    readonly accessPoints: SharedStorageOutputs["accessPoints"];
    private readonly baseName: string;
    private readonly tags: Tags;

    constructor(name: string, args: SharedStorageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("archivematica:index:SharedStorage", name, {}, opts);
        this.baseName = name;
        this.tags = args.tags;
        const parent = { parent: this };
        const posixId = args.posixId ?? 1000;

        const fs = new aws.efs.FileSystem(
            `${name}-efs`,
            {
                encrypted: true,
                performanceMode: "generalPurpose",
                // Bursting gives ~50 KiB/s per GiB stored: an almost empty file system would crawl.
                throughputMode: "elastic",
                lifecyclePolicies: [{ transitionToIa: "AFTER_30_DAYS" }, { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" }],
                tags: mergeTags(args.tags, `${name}-efs`),
            },
            { parent: this, protect: args.protect ?? false },
        );

        new aws.efs.BackupPolicy(
            `${name}-backup`,
            {
                fileSystemId: fs.id,
                backupPolicy: { status: "ENABLED" },
            },
            parent,
        );

        // Refuse any unencrypted NFS connection, whatever an identity policy allows.
        new aws.efs.FileSystemPolicy(
            `${name}-policy`,
            {
                fileSystemId: fs.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "DenyUnencryptedTransport",
                            Effect: "Deny",
                            Principal: { AWS: "*" },
                            Action: "*",
                            Resource: fs.arn,
                            Condition: { Bool: { "aws:SecureTransport": "false" } },
                        },
                    ],
                }),
            },
            parent,
        );

        // No inline rules: services are admitted one by one with allowFrom().
        const sg = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                description: "EFS mount targets: NFS from Archivematica services only",
                tags: mergeTags(args.tags, `${name}-sg`),
            },
            parent,
        );

        args.subnetIds.forEach((subnetId, i) => {
            new aws.efs.MountTarget(
                `${name}-mount-${i}`,
                {
                    fileSystemId: fs.id,
                    subnetId,
                    securityGroups: [sg.id],
                },
                parent,
            );
        });

        const accessPoint = (volume: VolumeName) => {
            const ap = new aws.efs.AccessPoint(
                `${name}-ap-${volume}`,
                {
                    fileSystemId: fs.id,
                    posixUser: { uid: posixId, gid: posixId },
                    rootDirectory: {
                        path: VOLUME_PATHS[volume],
                        creationInfo: { ownerUid: posixId, ownerGid: posixId, permissions: "0775" },
                    },
                    tags: mergeTags(args.tags, `${name}-ap-${volume}`, { Volume: volume }),
                },
                parent,
            );
            return { id: ap.id, arn: ap.arn };
        };

        this.fileSystemId = fs.id;
        this.fileSystemArn = fs.arn;
        this.securityGroupId = sg.id;
        this.accessPoints = {
            sharedDirectory: accessPoint("sharedDirectory"),
            storageServiceStaging: accessPoint("storageServiceStaging"),
            transferSource: accessPoint("transferSource"),
        };
        this.registerOutputs({
            fileSystemId: this.fileSystemId,
            securityGroupId: this.securityGroupId,
            accessPointIds: {
                sharedDirectory: this.accessPoints.sharedDirectory.id,
                storageServiceStaging: this.accessPoints.storageServiceStaging.id,
                transferSource: this.accessPoints.transferSource.id,
            },
        });
    }

    /** Admits NFS (2049/tcp) from a service's security group. */
    allowFrom(sourceName: string, sourceSecurityGroupId: pulumi.Input<string>): void {
        ingressFrom(this, `${this.baseName}-from-${sourceName}`, {
            securityGroupId: this.securityGroupId,
            sourceSecurityGroupId,
            port: 2049,
            description: `NFS from ${sourceName}`,
            tags: this.tags,
        });
    }
}
