/**
 * Shared storage on EFS: the pipeline's sharedDirectory, the Storage Service staging area and the
 * transfer source, each behind an access point that enforces the images' POSIX user.
 *
 * Known risk (DESIGN §4): Wellcome saw files written by one task appear late in another over EFS.
 * The services poll rather than rely on inotify (which NFS does not deliver), and everything that
 * uses this component goes through `SharedStorageOutputs`, so another store can replace it.
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import type { SharedStorageOutputs, VolumeName } from "../interfaces";
import { ingressFrom } from "../../lib/security-groups";
import { mergeTags, Tags } from "../../lib/tags";
import { NFS_PORT } from "../../lib/ports";

/** The volumes on the file system: access-point root directory per volume. */
export const VOLUME_PATHS: Readonly<Record<VolumeName, string>> = {
    sharedDirectory: "/archivematica/sharedDirectory",
    storageServiceStaging: "/archivematica/storage_service",
    transferSource: "/archivematica/transfer-source",
};

export interface SharedStorageArgs {
    /** VPC of the mount targets' security group. */
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
    /**
     * EFS automatic backups (the file system's backup policy ENABLED: AWS Backup's default plan, daily,
     * 35 days, into `aws/efs/automatic-backup-vault`). Turn them off when an AWS Backup plan of the stack
     * covers the file system (components/operations/backup.ts): both together store every file twice. The backup
     * policy resource stays, with status DISABLED, so the choice is visible to a policy and in the plan.
     * @default true
     */
    automaticBackups?: boolean;
}

/** {@link SharedStorageArgs} with every default applied. */
type NormalizedSharedStorageArgs = Required<SharedStorageArgs>;

function normalizeSharedStorageArgs(args: SharedStorageArgs): NormalizedSharedStorageArgs {
    return { ...args, posixId: args.posixId ?? 1000, protect: args.protect ?? false, automaticBackups: args.automaticBackups ?? true };
}

export class SharedStorage extends pulumi.ComponentResource implements SharedStorageOutputs {
    readonly fileSystemId: pulumi.Output<string>;
    readonly fileSystemArn: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;
    readonly accessPoints: SharedStorageOutputs["accessPoints"];
    /**
     * One mount target per subnet. A task can mount the file system only once the target in its
     * subnet exists: services declare `dependsOn` on these so a first deploy does not race them.
     */
    readonly mountTargets: aws.efs.MountTarget[];
    private readonly baseName: string;
    private readonly tags: Tags;

    constructor(name: string, args: SharedStorageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("archivematica:index:SharedStorage", name, {}, opts);
        const a = normalizeSharedStorageArgs(args);
        this.baseName = name;
        this.tags = a.tags;

        const fs = this.createFileSystem(a);
        this.createBackupPolicy(fs, a.automaticBackups);
        const sg = this.createSecurityGroup(a);
        this.mountTargets = this.createMountTargets(a, fs, sg);

        this.fileSystemId = fs.id;
        this.fileSystemArn = fs.arn;
        this.securityGroupId = sg.id;
        this.accessPoints = {
            sharedDirectory: this.createAccessPoint(a, fs, "sharedDirectory"),
            storageServiceStaging: this.createAccessPoint(a, fs, "storageServiceStaging"),
            transferSource: this.createAccessPoint(a, fs, "transferSource"),
        };
        this.createFileSystemPolicy(fs, Object.values(this.accessPoints));
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

    private createFileSystem(a: NormalizedSharedStorageArgs): aws.efs.FileSystem {
        return new aws.efs.FileSystem(
            `${this.baseName}-efs`,
            {
                encrypted: true,
                performanceMode: "generalPurpose",
                // Bursting gives ~50 KiB/s per GiB stored: an almost empty file system would crawl.
                throughputMode: "elastic",
                lifecyclePolicies: [{ transitionToIa: "AFTER_30_DAYS" }, { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" }],
                tags: mergeTags(a.tags, `${this.baseName}-efs`),
            },
            { parent: this, protect: a.protect },
        );
    }

    private createBackupPolicy(fs: aws.efs.FileSystem, enabled: boolean): void {
        new aws.efs.BackupPolicy(
            `${this.baseName}-backup`,
            { fileSystemId: fs.id, backupPolicy: { status: enabled ? "ENABLED" : "DISABLED" } },
            { parent: this },
        );
    }

    /**
     * What any identity policy allows, the file system refuses: unencrypted NFS; a mount or write
     * that does not go through one of this component's access points (so nobody can mount the root
     * and step around the enforced POSIX user); and root access. The negated condition also matches
     * when the request carries no access point at all ("if the key is not present, a negated
     * operator's condition is true": IAM User Guide, reference_policies_elements_condition_operators;
     * key `elasticfilesystem:AccessPointArn`: EFS User Guide, access-points-iam-policy).
     */
    private createFileSystemPolicy(fs: aws.efs.FileSystem, accessPoints: { arn: pulumi.Output<string> }[]): void {
        new aws.efs.FileSystemPolicy(
            `${this.baseName}-policy`,
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
                        {
                            Sid: "DenyMountsWithoutOurAccessPoints",
                            Effect: "Deny",
                            Principal: { AWS: "*" },
                            Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
                            Resource: fs.arn,
                            Condition: { StringNotEquals: { "elasticfilesystem:AccessPointArn": accessPoints.map((ap) => ap.arn) } },
                        },
                        {
                            Sid: "DenyRootAccess",
                            Effect: "Deny",
                            Principal: { AWS: "*" },
                            Action: "elasticfilesystem:ClientRootAccess",
                            Resource: fs.arn,
                        },
                    ],
                }),
            },
            { parent: this },
        );
    }

    /** No inline rules: services are admitted one by one with allowFrom(). */
    private createSecurityGroup(a: NormalizedSharedStorageArgs): aws.ec2.SecurityGroup {
        return new aws.ec2.SecurityGroup(
            `${this.baseName}-sg`,
            {
                vpcId: a.vpcId,
                description: "EFS mount targets: NFS from Archivematica services only",
                tags: mergeTags(a.tags, `${this.baseName}-sg`),
            },
            { parent: this },
        );
    }

    /** One mount target per subnet. */
    private createMountTargets(a: NormalizedSharedStorageArgs, fs: aws.efs.FileSystem, sg: aws.ec2.SecurityGroup): aws.efs.MountTarget[] {
        return a.subnetIds.map(
            (subnetId, i) =>
                new aws.efs.MountTarget(
                    `${this.baseName}-mount-${i}`,
                    { fileSystemId: fs.id, subnetId, securityGroups: [sg.id] },
                    { parent: this },
                ),
        );
    }

    /** The access point of one volume: enforces the POSIX user and creates its root directory. */
    private createAccessPoint(
        a: NormalizedSharedStorageArgs,
        fs: aws.efs.FileSystem,
        volume: VolumeName,
    ): { id: pulumi.Output<string>; arn: pulumi.Output<string> } {
        const ap = new aws.efs.AccessPoint(
            `${this.baseName}-ap-${volume}`,
            {
                fileSystemId: fs.id,
                posixUser: { uid: a.posixId, gid: a.posixId },
                rootDirectory: {
                    path: VOLUME_PATHS[volume],
                    creationInfo: { ownerUid: a.posixId, ownerGid: a.posixId, permissions: "0775" },
                },
                tags: mergeTags(a.tags, `${this.baseName}-ap-${volume}`, { Volume: volume }),
            },
            { parent: this },
        );
        return { id: ap.id, arn: ap.arn };
    }

    /** Admits NFS (2049/tcp) from a service's security group. */
    allowFrom(sourceName: string, sourceSecurityGroupId: pulumi.Input<string>): void {
        ingressFrom(this, `${this.baseName}-from-${sourceName}`, {
            securityGroupId: this.securityGroupId,
            sourceSecurityGroupId,
            port: NFS_PORT,
            description: `NFS from ${sourceName}`,
            tags: this.tags,
        });
    }
}
