/**
 * Backups with AWS Backup: a vault encrypted with a KMS key of ours, a daily plan, a selection covering
 * the EFS file system, the RDS instance and (when given) the S3 archival buckets, the IAM role AWS
 * Backup works as, and an optional vault lock for production.
 *
 * EFS's own automatic backups (`aws.efs.BackupPolicy` ENABLED, in SharedStorage) put the file system in
 * AWS Backup's default plan, into the default vault `aws/efs/automatic-backup-vault` with 35 days'
 * retention. With this plan covering the file system too, both would run every day and the file system
 * would be stored twice. Choice: this plan replaces the automatic backups (schedule, retention, vault
 * key and lock are ours and per stack), so a stack that uses this component should set the EFS backup
 * policy to DISABLED. RDS keeps its own automated backups (point-in-time restore within
 * `dbBackupRetentionDays`); this plan adds daily snapshots kept longer, in the locked vault.
 *
 * S3: AWS Backup backs up only buckets with versioning enabled (AWS Backup developer guide, "Amazon S3
 * backups": prerequisites), with its own S3 policies on the role. Which archival stores it covers is a
 * stack setting ({@link archivalBucketsToBackUp}): AWS Backup copies every version and delete marker
 * of a bucket, each billed as at least 128 KB (AWS Backup pricing), so a backed-up AIP store is a third
 * copy of every AIP beside the bucket's versions and its replica. The README's "Backups of the archival
 * stores" weighs what that copy protects against; the default backs up the DIP store only.
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { mergeTags, Tags } from "../../lib/tags";

/** AWS-managed policies the backup role carries (AWS managed policy reference). */
export const BACKUP_POLICIES = {
    backup: "service-role/AWSBackupServiceRolePolicyForBackup",
    restore: "service-role/AWSBackupServiceRolePolicyForRestores",
    s3Backup: "AWSBackupServiceRolePolicyForS3Backup",
    s3Restore: "AWSBackupServiceRolePolicyForS3Restore",
} as const;

export interface BackupVaultLock {
    /** Fewest days a recovery point must be kept; deletes before then are refused. */
    minRetentionDays: number;
    /**
     * Most days a recovery point may be kept.
     * @default none (no upper bound)
     */
    maxRetentionDays?: number;
    /**
     * Days before the lock becomes immutable (compliance mode): until then it can be removed; after, not
     * even the root user can remove it or shorten retention. Leave it unset for governance mode, which
     * users with the right IAM permission can still change.
     * @default none (governance mode)
     */
    changeableForDays?: number;
}

export interface BackupArgs {
    /** Required tags, set on every taggable resource (recovery points get them too). */
    tags: Tags;
    /** ARNs of the resources to back up: the EFS file system and the RDS instance. At least one. */
    resourceArns: pulumi.Input<string>[];
    /**
     * ARNs of S3 buckets to back up too (the archival storage). Each bucket must have versioning on.
     * @default [] (no bucket)
     */
    bucketArns?: pulumi.Input<string>[];
    /**
     * When the daily backup starts: an AWS Backup cron expression in UTC, 6 fields.
     * @default "cron(0 3 * * ? *)" (03:00 UTC, after the RDS backup window 02:00-03:00)
     */
    schedule?: string;
    /**
     * Days each recovery point is kept.
     * @default 35
     */
    retentionDays?: number;
    /**
     * Lock the vault so recovery points cannot be deleted early (production). Retention must lie within
     * the lock's bounds.
     * @default none (no lock)
     */
    lock?: BackupVaultLock;
    /**
     * Pulumi `protect` on the vault and its key, and no `forceDestroy`: `pulumi destroy` keeps the backups.
     * @default false
     */
    protect?: boolean;
}

/** Which archival stores AWS Backup copies besides EFS and RDS (config key backupArchivalStores). */
export type ArchivalBackupChoice = "none" | "dip" | "aip-and-dip";

/** The bucket ARNs AWS Backup covers for a choice: none, the DIP store, or the AIP and DIP stores. */
export function archivalBucketsToBackUp<T>(choice: ArchivalBackupChoice, stores: { aip: T; dip: T }): T[] {
    switch (choice) {
        case "none":
            return [];
        case "dip":
            return [stores.dip];
        case "aip-and-dip":
            return [stores.aip, stores.dip];
    }
}

/** AWS Backup's cron: cron(minutes hours day-of-month month day-of-week year). */
const CRON = /^cron\(\S+ \S+ \S+ \S+ \S+ \S+\)$/;

/** Throws the one-line error for a bad argument. */
function fail(name: string, field: string, problem: string, valid: string): never {
    throw new Error(`Backup "${name}": ${field} ${problem}; valid: ${valid}`);
}

function checkDays(name: string, field: string, value: number | undefined, min: number, max: number): void {
    if (value !== undefined && !(Number.isInteger(value) && value >= min && value <= max)) {
        fail(name, field, `${value} is out of range`, `an integer from ${min} to ${max}`);
    }
}

/** Validates the arguments before any child is registered. */
function validate(name: string, args: BackupArgs): { schedule: string; retentionDays: number } {
    const schedule = args.schedule ?? "cron(0 3 * * ? *)";
    const retentionDays = args.retentionDays ?? 35;
    if (args.resourceArns.length === 0) fail(name, "resourceArns", "is empty", "the ARNs of the EFS file system and the RDS instance");
    if (!CRON.test(schedule))
        fail(
            name,
            "schedule",
            `${JSON.stringify(schedule)} is not an AWS Backup cron expression`,
            "cron(<min> <hour> <day> <month> <weekday> <year>), e.g. cron(0 3 * * ? *)",
        );
    checkDays(name, "retentionDays", retentionDays, 1, 36500);
    const lock = args.lock;
    if (lock) {
        checkDays(name, "lock.minRetentionDays", lock.minRetentionDays, 1, 36500);
        checkDays(name, "lock.maxRetentionDays", lock.maxRetentionDays, 1, 36500);
        // AWS Backup: ChangeableForDays must be at least 3 (API reference, PutBackupVaultLockConfiguration).
        checkDays(name, "lock.changeableForDays", lock.changeableForDays, 3, 36500);
        if (lock.maxRetentionDays !== undefined && lock.maxRetentionDays < lock.minRetentionDays) {
            fail(
                name,
                "lock.maxRetentionDays",
                `${lock.maxRetentionDays} is below lock.minRetentionDays ${lock.minRetentionDays}`,
                `at least ${lock.minRetentionDays}`,
            );
        }
        const max = lock.maxRetentionDays ?? 36500;
        if (retentionDays < lock.minRetentionDays || retentionDays > max) {
            fail(
                name,
                "retentionDays",
                `${retentionDays} is outside the vault lock's ${lock.minRetentionDays}-${max} days`,
                `${lock.minRetentionDays} to ${max}`,
            );
        }
    }
    return { schedule, retentionDays };
}

/** The trust policy of the backup role. */
export const ASSUME_ROLE_POLICY = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

/** Vault, plan, selection, role and optional lock. */
export class Backup extends pulumi.ComponentResource {
    readonly vaultName: pulumi.Output<string>;
    readonly vaultArn: pulumi.Output<string>;
    readonly planId: pulumi.Output<string>;
    /** The role restore jobs run as (`aws backup start-restore-job --iam-role-arn`). */
    readonly roleArn: pulumi.Output<string>;
    readonly keyArn: pulumi.Output<string>;

    constructor(name: string, args: BackupArgs, opts?: pulumi.ComponentResourceOptions) {
        const { schedule, retentionDays } = validate(name, args);
        super("archivematica:index:Backup", name, {}, opts);
        const parent = { parent: this };
        const protect = args.protect ?? false;
        const buckets = args.bucketArns ?? [];

        const key = new aws.kms.Key(
            `${name}-key`,
            {
                description: "Encrypts the Archivematica backup vault",
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                tags: mergeTags(args.tags, `${name}-key`),
            },
            { parent: this, protect },
        );

        const vault = new aws.backup.Vault(
            `${name}-vault`,
            { kmsKeyArn: key.arn, forceDestroy: !protect, tags: mergeTags(args.tags, `${name}-vault`) },
            { parent: this, protect },
        );

        if (args.lock) {
            new aws.backup.VaultLockConfiguration(
                `${name}-lock`,
                {
                    backupVaultName: vault.name,
                    minRetentionDays: args.lock.minRetentionDays,
                    maxRetentionDays: args.lock.maxRetentionDays,
                    changeableForDays: args.lock.changeableForDays,
                },
                parent,
            );
        }

        const plan = new aws.backup.Plan(
            `${name}-plan`,
            {
                rules: [
                    {
                        ruleName: "daily",
                        targetVaultName: vault.name,
                        schedule,
                        startWindow: 60,
                        completionWindow: 480,
                        lifecycle: { deleteAfter: retentionDays },
                        recoveryPointTags: args.tags,
                    },
                ],
                tags: mergeTags(args.tags, `${name}-plan`),
            },
            parent,
        );

        const role = new aws.iam.Role(
            `${name}-role`,
            {
                description: "AWS Backup backs up and restores the Archivematica file system, database and buckets as this role",
                assumeRolePolicy: ASSUME_ROLE_POLICY,
                tags: mergeTags(args.tags, `${name}-role`),
            },
            parent,
        );
        const partition = aws.getPartitionOutput({}, parent).partition;
        const policies: (keyof typeof BACKUP_POLICIES)[] = buckets.length
            ? ["backup", "restore", "s3Backup", "s3Restore"]
            : ["backup", "restore"];
        const attachments = policies.map(
            (p) =>
                new aws.iam.RolePolicyAttachment(
                    `${name}-role-${p.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
                    { role: role.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/${BACKUP_POLICIES[p]}` },
                    parent,
                ),
        );

        new aws.backup.Selection(
            `${name}-selection`,
            { planId: plan.id, iamRoleArn: role.arn, resources: [...args.resourceArns, ...buckets] },
            // The role must carry its policies before AWS Backup first assumes it.
            { parent: this, dependsOn: attachments },
        );

        this.vaultName = vault.name;
        this.vaultArn = vault.arn;
        this.planId = plan.id;
        this.roleArn = role.arn;
        this.keyArn = key.arn;
        this.registerOutputs({
            vaultName: this.vaultName,
            vaultArn: this.vaultArn,
            planId: this.planId,
            roleArn: this.roleArn,
            keyArn: this.keyArn,
        });
    }
}
