/**
 * Every S3 bucket in the stack has a server-side encryption configuration resource (in @pulumi/aws v7
 * encryption is a separate resource, aws:s3/bucketServerSideEncryptionConfiguration) that sets a default
 * algorithm. A stack rule, because the bucket and its configuration are two resources.
 */
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { ControlId } from "../lib/controls";
import { ofTypes, referencedBy, referrersOf } from "../lib/links";
import { asArray, asRecord, isRecord, list, show } from "../lib/values";

/** Bucket types. */
export const BUCKET_TYPES: ReadonlySet<string> = new Set(["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"]);

const SSE_TYPES: ReadonlySet<string> = new Set([
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
]);

/** Accepted default algorithms. */
const ALGORITHMS = ["AES256", "aws:kms", "aws:kms:dsse"];

/**
 * The configurations of `types` that belong to `bucket`: linked through dependencies, or else (a bucket
 * named explicitly and referred to by name) through equal known `bucket` values.
 */
export function attachedTo(bucket: PolicyResource, attachments: PolicyResource[]): PolicyResource[] {
    return attachmentIndex(attachments)(bucket);
}

/**
 * {@link attachedTo} for many buckets over the same attachments, in time linear in their number: the
 * same result for every bucket, and property values read in the same order (a bucket's `bucket` only
 * when nothing links to it; the unlinked attachments' `bucket`, all of them, the first time a bucket
 * name is needed), so an unknown value stops the rule at the same point.
 */
export function attachmentIndex(attachments: PolicyResource[]): (bucket: PolicyResource) => PolicyResource[] {
    const linked = referrersOf(attachments, "bucket", BUCKET_TYPES);
    let byName: Map<unknown, PolicyResource[]> | undefined;
    return (bucket) => {
        const mine = linked.get(bucket);
        if (mine) return [...mine];
        const name = bucket.props.bucket;
        if (typeof name !== "string") return [];
        if (!byName) {
            byName = new Map();
            for (const a of attachments) {
                if (referencedBy(a, "bucket", BUCKET_TYPES).length !== 0) continue;
                const key = a.props.bucket;
                const list = byName.get(key);
                if (list) list.push(a);
                else byName.set(key, [a]);
            }
        }
        return [...(byName.get(name) ?? [])];
    };
}

/** See the module comment. */
export const policy: StackValidationPolicy = {
    name: "aws-s3-bucket-require-encryption",
    description:
        "Every S3 bucket has an aws:s3/bucketServerSideEncryptionConfiguration resource with a default algorithm (AES256, aws:kms or aws:kms:dsse).",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const configs = ofTypes(args.resources, SSE_TYPES);
        const configsOf = attachmentIndex(configs);
        for (const bucket of ofTypes(args.resources, BUCKET_TYPES)) {
            if (configsOf(bucket).length === 0) {
                reportViolation(
                    "bucket has no aws:s3/bucketServerSideEncryptionConfiguration; add one with applyServerSideEncryptionByDefault.sseAlgorithm AES256 or aws:kms",
                    bucket.urn,
                );
            }
        }
        for (const config of configs) {
            const algorithms = asArray(config.props.rules)
                .filter(isRecord)
                .map((r) => asRecord(r.applyServerSideEncryptionByDefault).sseAlgorithm);
            if (algorithms.length === 0 || !algorithms.every((a) => typeof a === "string" && ALGORITHMS.includes(a))) {
                reportViolation(
                    `rules set sseAlgorithm ${algorithms.length === 0 ? "not set" : list(algorithms.map(show))}; set applyServerSideEncryptionByDefault.sseAlgorithm to one of: ${list(ALGORITHMS)}`,
                    config.urn,
                );
            }
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["AM.7"];
