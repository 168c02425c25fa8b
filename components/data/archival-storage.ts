/**
 * Archival storage on S3: the transfer source, the AIP store and the DIP store, each a private,
 * versioned, encrypted bucket that refuses plain HTTP; the AIP store with a lifecycle to a cheaper
 * class, optional Object Lock and optional cross-region replication to a replica bucket.
 *
 * Encryption is SSE-S3 (AES256), not SSE-KMS with a key of ours. A key of ours would add a second
 * grant to read the archive and a CloudTrail record per key use, but here:
 * - only the Storage Service task role (and the replication role) is granted the buckets, both in
 *   this stack, so a key policy would repeat the same grant;
 * - the archive must outlive every key decision: a disabled or deleted customer key makes every AIP
 *   and its replica unreadable, and a replica needs a second key in its own region;
 * - replicating SSE-KMS objects needs an opt-in, kms:Decrypt/kms:Encrypt for the replication role,
 *   a replica-region key and counts against the KMS request quota (503s on bulk ingest), per
 *   AWS's "Replicating objects created with server-side encryption (SSE) using AWS KMS";
 * - the Storage Service task role would need kms:Decrypt and kms:GenerateDataKey (multipart
 *   uploads), and every request a KMS call unless S3 Bucket Keys are on; the key is $1/month per
 *   region on top.
 * SSE-S3 encrypts every object at rest with no key to lose, and costs nothing extra. A stack that
 * needs a key of its own for compliance should change this one rule and {@link storageServiceStatements}.
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ArchivalStorageOutputs } from "../interfaces";
import { AipStorageClass, TRANSITION_MINIMUM_DAYS } from "../../lib/s3-lifecycle";
import { mergeTags, Tags } from "../../lib/tags";
import type { IamStatement } from "../../lib/iam";

/** The tag that names each bucket's role; the policy pack finds the AIP store by it. */
export const ARCHIVAL_STORE_TAG = "ArchivalStore";

/** The buckets, by the value of their {@link ARCHIVAL_STORE_TAG} tag and the suffix of their names. */
export type StoreRole = "transfer-source" | "aip-store" | "dip-store" | "aip-replica";

/** Object Lock retention modes S3 offers. */
export const OBJECT_LOCK_MODES = ["GOVERNANCE", "COMPLIANCE"] as const;

export interface ArchivalStorageArgs {
    /** Required tags, set on every taggable resource. */
    tags: Tags;
    /**
     * The stack's region, where the three buckets live; a replica must be elsewhere.
     * @default the `aws:region` of the stack's config
     */
    region?: string;
    /**
     * Where AIPs go after they have rested a while. INTELLIGENT_TIERING moves unread objects to
     * cheaper tiers by itself and charges no retrieval fee, so a fixity check or a re-ingest costs
     * nothing extra; GLACIER_IR is cheaper per GB but charges per GB read and bills at least 90 days.
     * @default { storageClass: "INTELLIGENT_TIERING", days: 30 }
     */
    aipTransition?: { storageClass?: AipStorageClass; days?: number };
    /**
     * Days an overwritten or deleted object version is kept before S3 expires it, in every bucket:
     * the window in which a deleted AIP can be restored.
     * @default 90
     */
    noncurrentVersionDays?: number;
    /**
     * Days after which S3 aborts a multipart upload that never completed and frees its parts.
     * @default 7
     */
    abortIncompleteUploadDays?: number;
    /**
     * Write-once retention on the AIP store (and its replica): every new object version is locked
     * for `days` in `mode` (GOVERNANCE: a principal with s3:BypassGovernanceRetention may still
     * delete; COMPLIANCE: nobody, not even the account root). Object Lock can only be switched on
     * when a bucket is created: turning it on later replaces the bucket.
     * @default undefined (no Object Lock)
     */
    objectLock?: { mode: (typeof OBJECT_LOCK_MODES)[number]; days: number };
    /**
     * A second region to replicate the AIP store to (new objects and delete markers), into a
     * replica bucket with the same protections and lifecycle. The replica's resources set
     * @pulumi/aws v7's per-resource `region` input rather than using a second provider: the same
     * credentials and provider settings, and the region shows in each resource's inputs, where the
     * plan, the tests and the policy pack can see it.
     * @default undefined (no replication)
     */
    replicaRegion?: string;
    /**
     * Protect the buckets from deletion (`pulumi destroy` and replacements fail until the option is
     * removed), and never empty them on delete. Used for production.
     * @default false
     */
    protect?: boolean;
}

/** {@link ArchivalStorageArgs} with every default applied and checked. */
interface Settings {
    tags: Tags;
    region: string;
    transition: { storageClass: AipStorageClass; days: number };
    noncurrentVersionDays: number;
    abortIncompleteUploadDays: number;
    objectLock?: { mode: (typeof OBJECT_LOCK_MODES)[number]; days: number };
    replicaRegion?: string;
    protect: boolean;
}

/** A bucket and the configuration it must have before anything replicates into or out of it. */
interface SecuredBucket {
    bucket: aws.s3.Bucket;
    versioning: aws.s3.BucketVersioning;
}

/** Applies defaults and refuses bad input, in one line naming the field and the valid values. */
export function normalizeArchivalStorageArgs(name: string, args: ArchivalStorageArgs): Settings {
    const fail = (field: string, problem: string, valid: string): never => {
        throw new Error(`ArchivalStorage "${name}": ${field} ${problem}; valid: ${valid}`);
    };
    const wholeDays = (field: string, value: number, min: number): number =>
        Number.isInteger(value) && value >= min ? value : fail(field, `is ${value}`, `a whole number of days, at least ${min}`);

    const region = args.region ?? aws.config.region ?? fail("region", "is not set", "the stack's aws:region, such as eu-west-2");
    const storageClass = args.aipTransition?.storageClass ?? "INTELLIGENT_TIERING";
    if (!(storageClass in TRANSITION_MINIMUM_DAYS)) {
        fail(
            "aipTransition.storageClass",
            `${JSON.stringify(storageClass)} is not a class the Storage Service can read directly`,
            Object.keys(TRANSITION_MINIMUM_DAYS).join(", "),
        );
    }
    const days = args.aipTransition?.days ?? 30;
    const minimum = TRANSITION_MINIMUM_DAYS[storageClass];
    if (!Number.isInteger(days) || days < minimum) {
        fail("aipTransition.days", `is ${days}`, `a whole number of days, at least ${minimum} (S3's minimum for ${storageClass})`);
    }
    const objectLock = args.objectLock;
    if (objectLock) {
        if (!OBJECT_LOCK_MODES.includes(objectLock.mode)) {
            fail("objectLock.mode", `is ${JSON.stringify(objectLock.mode)}`, OBJECT_LOCK_MODES.join(", "));
        }
        wholeDays("objectLock.days", objectLock.days, 1);
    }
    const replicaRegion = args.replicaRegion;
    if (replicaRegion !== undefined) {
        if (!/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(replicaRegion)) {
            fail("replicaRegion", `${JSON.stringify(replicaRegion)} is not an AWS region`, "a region name such as eu-west-1");
        }
        if (replicaRegion === region) {
            fail("replicaRegion", `is the stack's own region ${region}`, "another region than the stack's");
        }
    }
    return {
        tags: args.tags,
        region,
        transition: { storageClass, days },
        noncurrentVersionDays: wholeDays("noncurrentVersionDays", args.noncurrentVersionDays ?? 90, 1),
        abortIncompleteUploadDays: wholeDays("abortIncompleteUploadDays", args.abortIncompleteUploadDays ?? 7, 1),
        objectLock,
        replicaRegion,
        protect: args.protect ?? false,
    };
}

/** The transfer source, AIP store and DIP store buckets, and the AIP store's replica when asked for. */
export class ArchivalStorage extends pulumi.ComponentResource implements ArchivalStorageOutputs {
    /** The region of the three buckets (the stack's). */
    readonly region: string;
    readonly transferSourceBucket: pulumi.Output<string>;
    readonly transferSourceArn: pulumi.Output<string>;
    readonly aipStoreBucket: pulumi.Output<string>;
    readonly aipStoreArn: pulumi.Output<string>;
    readonly dipStoreBucket: pulumi.Output<string>;
    readonly dipStoreArn: pulumi.Output<string>;
    /** The replica of the AIP store, when `replicaRegion` is set. */
    readonly aipReplicaBucket?: pulumi.Output<string>;
    readonly aipReplicaArn?: pulumi.Output<string>;
    /** The transfer source, AIP store and DIP store ARNs, in that order (e.g. for AWS Backup). */
    readonly bucketArns: pulumi.Output<string>[];
    /**
     * Exactly what the Storage Service task role needs for its three locations, scoped to the
     * buckets' ARNs: see {@link storageServiceStatements}.
     */
    readonly storageServiceStatements: pulumi.Output<IamStatement[]>;

    private readonly baseName: string;
    private readonly settings: Settings;

    constructor(name: string, args: ArchivalStorageArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before super(): bad input registers nothing, not even the component.
        const settings = normalizeArchivalStorageArgs(name, args);
        super("archivematica:index:ArchivalStorage", name, {}, opts);
        this.baseName = name;
        this.settings = settings;
        const { objectLock, replicaRegion } = this.settings;

        const transferSource = this.securedBucket("transfer-source", [this.noncurrentRule()]);
        const aipStore = this.securedBucket("aip-store", [this.aipRule()], { objectLock });
        const dipStore = this.securedBucket("dip-store", [this.noncurrentRule()]);
        const replica = replicaRegion
            ? this.securedBucket("aip-replica", [this.aipRule()], { objectLock, region: replicaRegion })
            : undefined;
        if (replica) this.replicate(aipStore, replica);

        this.region = this.settings.region;
        this.transferSourceBucket = transferSource.bucket.id;
        this.transferSourceArn = transferSource.bucket.arn;
        this.aipStoreBucket = aipStore.bucket.id;
        this.aipStoreArn = aipStore.bucket.arn;
        this.dipStoreBucket = dipStore.bucket.id;
        this.dipStoreArn = dipStore.bucket.arn;
        this.aipReplicaBucket = replica?.bucket.id;
        this.aipReplicaArn = replica?.bucket.arn;
        this.bucketArns = [this.transferSourceArn, this.aipStoreArn, this.dipStoreArn];
        this.storageServiceStatements = storageServiceStatements(this.transferSourceArn, this.aipStoreArn, this.dipStoreArn);

        this.registerOutputs({
            transferSourceBucket: this.transferSourceBucket,
            aipStoreBucket: this.aipStoreBucket,
            dipStoreBucket: this.dipStoreBucket,
            ...(this.aipReplicaBucket ? { aipReplicaBucket: this.aipReplicaBucket } : {}),
        });
    }

    /**
     * One bucket with every protection: versioning, SSE-S3 by default with SSE-C refused, Block
     * Public Access, ownership enforced (ACLs off), a TLS-only bucket policy, a lifecycle, and
     * Object Lock when asked for.
     */
    private securedBucket(
        role: StoreRole,
        lifecycleRules: aws.types.input.s3.BucketLifecycleConfigurationRule[],
        options: { objectLock?: Settings["objectLock"]; region?: string } = {},
    ): SecuredBucket {
        const n = `${this.baseName}-${role}`;
        const { protect, tags } = this.settings;
        const at = options.region ? { region: options.region } : {};
        const parent = { parent: this };

        const bucket = new aws.s3.Bucket(
            n,
            {
                ...at,
                ...(options.objectLock ? { objectLockEnabled: true } : {}),
                forceDestroy: !protect,
                tags: mergeTags(tags, n, { [ARCHIVAL_STORE_TAG]: role }),
            },
            { parent: this, protect },
        );
        const versioning = new aws.s3.BucketVersioning(
            `${n}-versioning`,
            { ...at, bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
            parent,
        );
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${n}-encryption`,
            {
                ...at,
                bucket: bucket.id,
                // SSE-S3: see the module comment. SSE-C objects could not be read back without the
                // client's key, and S3 does not replicate them.
                rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, blockedEncryptionTypes: ["SSE-C"] }],
            },
            parent,
        );
        const publicAccess = new aws.s3.BucketPublicAccessBlock(
            `${n}-public-access`,
            {
                ...at,
                bucket: bucket.id,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            },
            parent,
        );
        new aws.s3.BucketOwnershipControls(
            `${n}-ownership`,
            { ...at, bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
            parent,
        );
        new aws.s3.BucketPolicy(
            `${n}-policy`,
            { ...at, bucket: bucket.id, policy: bucketPolicy(bucket.arn) },
            // The public access block must exist first, or S3 may judge the policy before it applies.
            { parent: this, dependsOn: [publicAccess] },
        );
        new aws.s3.BucketLifecycleConfiguration(
            `${n}-lifecycle`,
            { ...at, bucket: bucket.id, rules: lifecycleRules },
            { parent: this, dependsOn: [versioning] },
        );
        if (options.objectLock) {
            new aws.s3.BucketObjectLockConfiguration(
                `${n}-object-lock`,
                {
                    ...at,
                    bucket: bucket.id,
                    rule: { defaultRetention: { mode: options.objectLock.mode, days: options.objectLock.days } },
                },
                { parent: this, dependsOn: [versioning] },
            );
        }
        return { bucket, versioning };
    }

    /** Every bucket: old versions expire, delete markers left alone are removed, stale uploads aborted. */
    private noncurrentRule(): aws.types.input.s3.BucketLifecycleConfigurationRule {
        return {
            id: "expire-noncurrent-versions",
            status: "Enabled",
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays: this.settings.noncurrentVersionDays },
            expiration: { expiredObjectDeleteMarker: true },
            abortIncompleteMultipartUpload: { daysAfterInitiation: this.settings.abortIncompleteUploadDays },
        };
    }

    /** The AIP store (and its replica): the noncurrent rule plus the move to a cheaper class. */
    private aipRule(): aws.types.input.s3.BucketLifecycleConfigurationRule {
        const { storageClass, days } = this.settings.transition;
        return { ...this.noncurrentRule(), id: "aip-lifecycle", transitions: [{ days, storageClass }] };
    }

    /**
     * Replicates the AIP store into the replica, with a role that has exactly the permissions AWS
     * documents for same-account replication ("Setting up permissions for live replication"), plus
     * s3:GetObjectRetention and s3:GetObjectLegalHold when Object Lock is on (S3 FAQ: a locked
     * source needs both, and the destination must have Object Lock enabled as well).
     */
    private replicate(source: SecuredBucket, replica: SecuredBucket): void {
        const n = this.baseName;
        const role = new aws.iam.Role(
            `${n}-replication-role`,
            {
                description: "S3 replicates the AIP store to its replica in another region",
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sts:AssumeRole" }],
                }),
                tags: mergeTags(this.settings.tags, `${n}-replication-role`),
            },
            { parent: this },
        );
        const readSource = ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"];
        if (this.settings.objectLock) readSource.push("s3:GetObjectRetention", "s3:GetObjectLegalHold");
        const policy = new aws.iam.RolePolicy(
            `${n}-replication-policy`,
            {
                role: role.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "ReadSourceConfiguration",
                            Effect: "Allow",
                            Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
                            Resource: source.bucket.arn,
                        },
                        {
                            Sid: "ReadSourceVersions",
                            Effect: "Allow",
                            Action: readSource,
                            Resource: pulumi.interpolate`${source.bucket.arn}/*`,
                        },
                        {
                            Sid: "WriteReplicas",
                            Effect: "Allow",
                            Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
                            Resource: pulumi.interpolate`${replica.bucket.arn}/*`,
                        },
                    ],
                }),
            },
            { parent: this },
        );
        new aws.s3.BucketReplicationConfig(
            `${n}-aip-replication`,
            {
                bucket: source.bucket.id,
                role: role.arn,
                rules: [
                    {
                        id: "aip-replica",
                        status: "Enabled",
                        filter: {},
                        // A deletion approved in the Storage Service is deliberate (a takedown, a
                        // re-ingest): the replica follows it, and keeps the old version as long as the
                        // source does (noncurrentVersionDays), so an accident can still be undone.
                        deleteMarkerReplication: { status: "Enabled" },
                        destination: { bucket: replica.bucket.arn },
                    },
                ],
            },
            // S3 refuses a replication configuration until both buckets are versioned.
            { parent: this, dependsOn: [source.versioning, replica.versioning, policy] },
        );
    }
}

/** Deny any request over plain HTTP, and any upload that asks for an encryption other than SSE-S3. */
function bucketPolicy(arn: pulumi.Output<string>): pulumi.Output<string> {
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [arn, pulumi.interpolate`${arn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
            {
                // The Storage Service's uploads send no encryption header (locations/models/s3.py
                // upload_object passes only ContentType) and get the bucket default; denying a missing
                // header would refuse them. So refuse only a header that names another algorithm
                // (an object under some other KMS key would be unreadable for the task role).
                Sid: "DenyOtherEncryption",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:PutObject",
                Resource: pulumi.interpolate`${arn}/*`,
                Condition: {
                    Null: { "s3:x-amz-server-side-encryption": "false" },
                    StringNotEquals: { "s3:x-amz-server-side-encryption": "AES256" },
                },
            },
        ],
    });
}

/**
 * The statements the Storage Service task role needs for its locations (0.24,
 * locations/models/s3.py): `_ensure_bucket_exists` calls GetBucketLocation before every move, browse
 * lists by prefix, the transfer source is only read (downloaded into the staging area), AIPs and DIPs
 * are uploaded (boto3 aborts a failed multipart upload), read back and deleted on approved requests.
 * Nothing on `*`, no bucket creation, no KMS (the buckets use SSE-S3).
 */
export function storageServiceStatements(
    transferSourceArn: pulumi.Input<string>,
    aipStoreArn: pulumi.Input<string>,
    dipStoreArn: pulumi.Input<string>,
): pulumi.Output<IamStatement[]> {
    return pulumi.all([transferSourceArn, aipStoreArn, dipStoreArn]).apply(([transfer, aip, dip]) => [
        {
            Sid: "ArchivalBucketsList",
            Effect: "Allow" as const,
            Action: ["s3:GetBucketLocation", "s3:ListBucket"],
            Resource: [transfer, aip, dip],
        },
        { Sid: "TransferSourceRead", Effect: "Allow" as const, Action: ["s3:GetObject"], Resource: [`${transfer}/*`] },
        {
            Sid: "PackageStoresReadWrite",
            Effect: "Allow" as const,
            Action: ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
            Resource: [`${aip}/*`, `${dip}/*`],
        },
    ]);
}
