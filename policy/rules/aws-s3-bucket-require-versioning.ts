/**
 * Every S3 bucket in the stack is versioned: an aws:s3/bucketVersioning resource with status Enabled is
 * attached to it, so an overwritten or deleted object can be restored. A bucket may go without only when
 * the stack's policy config names it with a reason (`unversionedBuckets`), never silently. A stack rule,
 * because the bucket and its versioning are two resources.
 */
import { StackValidationPolicy } from "@pulumi/policy";
import { configWithDefaults } from "../lib/config";
import { ControlId } from "../lib/controls";
import { ofTypes } from "../lib/links";
import { asRecord, show } from "../lib/values";
import { attachmentIndex, BUCKET_TYPES } from "./aws-s3-bucket-require-encryption";

const VERSIONING_TYPES: ReadonlySet<string> = new Set([
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:s3/bucketVersioningV2:BucketVersioningV2",
]);

/** A bucket allowed to stay unversioned, by its Pulumi resource name, and why. */
export interface UnversionedBucket {
    name: string;
    reason: string;
}

/** Config of this rule. */
export interface VersioningConfig {
    /** Buckets exempted by name, each with a reason. */
    unversionedBuckets: UnversionedBucket[];
}

/** Defaults (no exceptions), also declared in the config schema. */
export const DEFAULTS: VersioningConfig = { unversionedBuckets: [] };

/** See the module comment. */
export const policy: StackValidationPolicy = {
    name: "aws-s3-bucket-require-versioning",
    description:
        "Every S3 bucket has an aws:s3/bucketVersioning with status Enabled, unless the stack's policy config names the bucket in unversionedBuckets with a reason.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            unversionedBuckets: {
                type: "array",
                items: {
                    type: "object",
                    properties: { name: { type: "string", minLength: 1 }, reason: { type: "string", minLength: 10 } },
                    required: ["name", "reason"],
                    additionalProperties: false,
                },
                default: DEFAULTS.unversionedBuckets,
                description: "Buckets (by Pulumi resource name) allowed without versioning, each with the reason.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const { unversionedBuckets } = configWithDefaults(args, DEFAULTS);
        const exempt = new Set(unversionedBuckets.map((b) => b.name));
        const configs = ofTypes(args.resources, VERSIONING_TYPES);
        const configsOf = attachmentIndex(configs);
        for (const bucket of ofTypes(args.resources, BUCKET_TYPES)) {
            if (exempt.has(bucket.name) || configsOf(bucket).length > 0) continue;
            reportViolation(
                `bucket has no aws:s3/bucketVersioning; add one with versioningConfiguration.status Enabled, or add { "name": "${bucket.name}", "reason": "..." } to unversionedBuckets in this stack's policy config`,
                bucket.urn,
            );
        }
        for (const config of configs) {
            const status = asRecord(config.props.versioningConfiguration).status;
            if (status !== "Enabled") {
                reportViolation(`versioningConfiguration.status is ${show(status)}; set it to "Enabled"`, config.urn);
            }
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["S3.14"];
