/**
 * The AIP store's lifecycle keeps the archive cheap, readable and bounded. The AIP store is the bucket
 * tagged `ArchivalStore: aip-store` (components/data/archival-storage.ts tags each of its buckets with its
 * role). It needs an aws:s3/bucketLifecycleConfiguration with an Enabled rule for the whole bucket that
 * moves current versions to a cheaper class the Storage Service can still read with a plain GET
 * (STANDARD_IA, INTELLIGENT_TIERING, GLACIER_IR; never GLACIER or DEEP_ARCHIVE, which need a restore
 * request its S3 space never makes), expires noncurrent versions and aborts incomplete multipart uploads.
 */
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { ControlId } from "../lib/controls";
import { ofTypes } from "../lib/links";
import { asArray, asRecord, isRecord, list, show, tagValue } from "../lib/values";
import { attachmentIndex, BUCKET_TYPES } from "./aws-s3-bucket-require-encryption";
import { AIP_STORAGE_CLASSES } from "../../lib/s3-lifecycle";

/** The tag naming a bucket's archival role, and the value that marks the AIP store. */
export const ARCHIVAL_STORE_TAG = "ArchivalStore";
export const AIP_STORE = "aip-store";

/** Classes the Storage Service reads directly: the classes the program offers (lib/s3-lifecycle.ts). */
export const READABLE_CLASSES: readonly string[] = AIP_STORAGE_CLASSES;

const LIFECYCLE_TYPES: ReadonlySet<string> = new Set([
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
]);

/** The buckets of the stack tagged as the AIP store. */
export function aipStores(resources: PolicyResource[]): PolicyResource[] {
    return ofTypes(resources, BUCKET_TYPES).filter((b) => tagValue(b.props.tags, ARCHIVAL_STORE_TAG) === AIP_STORE);
}

/** True for a rule that applies to every object: no filter, an empty one, or an empty prefix. */
function wholeBucket(rule: Record<string, unknown>): boolean {
    const filter = rule.filter;
    if (filter === undefined || filter === null) return rule.prefix === undefined || rule.prefix === "";
    const f = asRecord(filter);
    return Object.keys(f).every((k) => k === "prefix" && f.prefix === "");
}

/** What an Enabled whole-bucket rule set lacks, as message fragments (empty when it lacks nothing). */
export function lifecycleGaps(rules: unknown[]): string[] {
    const enabled = rules.filter(isRecord).filter((r) => r.status === "Enabled" && wholeBucket(r));
    const transitions = enabled.flatMap((r) => asArray(r.transitions)).filter(isRecord);
    const classes = transitions.map((t) => t.storageClass);
    const gaps: string[] = [];
    if (transitions.length === 0) gaps.push(`no transition to a cheaper class (one of: ${list(READABLE_CLASSES)})`);
    const unreadable = classes.filter((c) => typeof c !== "string" || !READABLE_CLASSES.includes(c));
    if (unreadable.length > 0) {
        gaps.push(`a transition to ${list(unreadable.map(show))}, which the Storage Service cannot read without a restore`);
    }
    if (!enabled.some((r) => typeof asRecord(r.noncurrentVersionExpiration).noncurrentDays === "number")) {
        gaps.push("no noncurrentVersionExpiration.noncurrentDays");
    }
    if (!enabled.some((r) => typeof asRecord(r.abortIncompleteMultipartUpload).daysAfterInitiation === "number")) {
        gaps.push("no abortIncompleteMultipartUpload.daysAfterInitiation");
    }
    return gaps;
}

/** See the module comment. */
export const policy: StackValidationPolicy = {
    name: "aws-s3-bucket-require-aip-lifecycle",
    description:
        "The AIP store (the bucket tagged ArchivalStore: aip-store) has an Enabled whole-bucket lifecycle rule that transitions to STANDARD_IA, INTELLIGENT_TIERING or GLACIER_IR only, expires noncurrent versions and aborts incomplete multipart uploads.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const lifecyclesOf = attachmentIndex(ofTypes(args.resources, LIFECYCLE_TYPES));
        for (const bucket of aipStores(args.resources)) {
            const lifecycles = lifecyclesOf(bucket);
            if (lifecycles.length === 0) {
                reportViolation(
                    `AIP store has no aws:s3/bucketLifecycleConfiguration; add one with a transition to one of ${list(READABLE_CLASSES)}, noncurrentVersionExpiration and abortIncompleteMultipartUpload`,
                    bucket.urn,
                );
                continue;
            }
            const gaps = lifecycleGaps(lifecycles.flatMap((l) => asArray(l.props.rules)));
            if (gaps.length > 0) {
                reportViolation(`AIP store lifecycle has ${gaps.join("; ")}; fix its Enabled whole-bucket rule`, lifecycles[0].urn);
            }
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["S3.13"];
