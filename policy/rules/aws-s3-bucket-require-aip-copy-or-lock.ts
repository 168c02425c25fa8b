/**
 * The AIP store keeps a second copy in another region, or keeps every version write-once, as the stack's
 * policy config asks (`requirement`): `replication` (an Enabled whole-bucket
 * aws:s3/bucketReplicationConfig on the AIP store), `objectLock` (`objectLockEnabled: true` on the
 * bucket and an aws:s3/bucketObjectLockConfiguration with a default retention of at least a day),
 * `either`, or `none`. The AIP store is the bucket tagged `ArchivalStore: aip-store`.
 */
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { configWithDefaults } from "../lib/config";
import { ControlId } from "../lib/controls";
import { ofTypes } from "../lib/links";
import { asArray, asRecord, bool, isRecord, num } from "../lib/values";
import { aipStores } from "./aws-s3-bucket-require-aip-lifecycle";
import { attachmentIndex } from "./aws-s3-bucket-require-encryption";

const REPLICATION_TYPES: ReadonlySet<string> = new Set(["aws:s3/bucketReplicationConfig:BucketReplicationConfig"]);
const LOCK_TYPES: ReadonlySet<string> = new Set([
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
    "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",
]);

/** What the AIP store must have. */
export const REQUIREMENTS = ["none", "replication", "objectLock", "either"] as const;

/** Config of this rule. */
export interface CopyOrLockConfig {
    requirement: (typeof REQUIREMENTS)[number];
}

/** Defaults (production: one or the other), also declared in the config schema. */
export const DEFAULTS: CopyOrLockConfig = { requirement: "either" };

/** True when one of the replication configurations replicates the whole bucket. */
function replicates(configs: PolicyResource[]): boolean {
    return configs.some((c) =>
        asArray(c.props.rules)
            .filter(isRecord)
            .some((r) => r.status === "Enabled" && Object.keys(asRecord(r.filter)).length === 0 && !r.prefix),
    );
}

/** True when the bucket has Object Lock on and a default retention of at least a day. */
function locked(bucket: PolicyResource, configs: PolicyResource[]): boolean {
    if (bool(bucket.props.objectLockEnabled, "objectLockEnabled") !== true) return false;
    return configs.some((c) => {
        const retention = asRecord(asRecord(c.props.rule).defaultRetention);
        const mode = retention.mode;
        const days = num(retention.days, "rule.defaultRetention.days") ?? 0;
        const years = num(retention.years, "rule.defaultRetention.years") ?? 0;
        return (mode === "GOVERNANCE" || mode === "COMPLIANCE") && (days >= 1 || years >= 1);
    });
}

const HOW = {
    replication: "an Enabled whole-bucket aws:s3/bucketReplicationConfig to a bucket in another region",
    objectLock: "objectLockEnabled: true and an aws:s3/bucketObjectLockConfiguration with a GOVERNANCE or COMPLIANCE default retention",
};

/** See the module comment. */
export const policy: StackValidationPolicy = {
    name: "aws-s3-bucket-require-aip-copy-or-lock",
    description:
        "The AIP store (the bucket tagged ArchivalStore: aip-store) replicates to another region, or has Object Lock with a default retention, as the stack's policy config requires (none, replication, objectLock or either).",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            requirement: {
                type: "string",
                enum: [...REQUIREMENTS],
                default: DEFAULTS.requirement,
                description: "What the AIP store must have: none, replication, objectLock, or either of the two.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const { requirement } = configWithDefaults(args, DEFAULTS);
        if (requirement === "none") return;
        const replicationOf = attachmentIndex(ofTypes(args.resources, REPLICATION_TYPES));
        const lockOf = attachmentIndex(ofTypes(args.resources, LOCK_TYPES));
        for (const bucket of aipStores(args.resources)) {
            const hasCopy = replicates(replicationOf(bucket));
            const hasLock = locked(bucket, lockOf(bucket));
            if (requirement === "replication" && !hasCopy) {
                reportViolation(`AIP store is not replicated; this stack requires ${HOW.replication}`, bucket.urn);
            } else if (requirement === "objectLock" && !hasLock) {
                reportViolation(`AIP store has no Object Lock; this stack requires ${HOW.objectLock}`, bucket.urn);
            } else if (requirement === "either" && !hasCopy && !hasLock) {
                reportViolation(
                    `AIP store has neither replication nor Object Lock; this stack requires ${HOW.replication}, or ${HOW.objectLock}`,
                    bucket.urn,
                );
            }
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["S3.7", "S3.15"];
