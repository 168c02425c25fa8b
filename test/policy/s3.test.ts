import * as assert from "assert";
import * as aipCopyOrLock from "../../policy/rules/aws-s3-bucket-require-aip-copy-or-lock";
import * as aipLifecycle from "../../policy/rules/aws-s3-bucket-require-aip-lifecycle";
import * as encryption from "../../policy/rules/aws-s3-bucket-require-encryption";
import * as publicAccess from "../../policy/rules/aws-s3-bucket-require-public-access-block";
import * as secureTransport from "../../policy/rules/aws-s3-bucket-require-secure-transport";
import * as versioning from "../../policy/rules/aws-s3-bucket-require-versioning";
import { dependsOn, resource, TAGS } from "./fixtures";
import { ResourceSpec, runStack, UNKNOWN, unknownAdvisory, urnOf } from "./harness";

const BUCKET = "aws:s3/bucket:Bucket";
const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";

const bucket = resource(BUCKET, "alb-logs", { forceDestroy: false, tags: TAGS });
function sse(target: ResourceSpec, algorithm: unknown = "AES256", name = `${target.name}-sse`): ResourceSpec {
    return dependsOn(
        resource(SSE, name, { bucket: UNKNOWN.string, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: algorithm } }] }),
        "bucket",
        target,
    );
}
function pab(target: ResourceSpec, flags: Partial<Record<string, boolean>> = {}): ResourceSpec {
    const props = {
        bucket: UNKNOWN.string,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
        ...flags,
    };
    return dependsOn(resource(PAB, `${target.name}-pab`, props), "bucket", target);
}

describe("aws-s3-bucket-require-encryption", () => {
    const { policy } = encryption;

    it("passes a bucket with an SSE configuration (linked by dependency; the unknown bucket id is never read)", async () => {
        assert.deepStrictEqual(await runStack(policy, [bucket, sse(bucket), pab(bucket)]), { messages: [], urns: [] });
        assert.deepStrictEqual((await runStack(policy, [bucket, sse(bucket, "aws:kms")])).messages, []);
    });
    it("fails a bucket without one, on the bucket", async () => {
        const out = await runStack(policy, [bucket, pab(bucket)]);
        assert.deepStrictEqual(out.messages, [
            "bucket has no aws:s3/bucketServerSideEncryptionConfiguration; add one with applyServerSideEncryptionByDefault.sseAlgorithm AES256 or aws:kms",
        ]);
        assert.deepStrictEqual(out.urns, [urnOf(BUCKET, "alb-logs")]);
    });
    it("fails a configuration without a valid default algorithm, on the configuration", async () => {
        const out = await runStack(policy, [bucket, sse(bucket, "none")]);
        assert.deepStrictEqual(out.messages, [
            'rules set sseAlgorithm "none"; set applyServerSideEncryptionByDefault.sseAlgorithm to one of: AES256, aws:kms, aws:kms:dsse',
        ]);
        assert.deepStrictEqual(out.urns, [urnOf(SSE, "alb-logs-sse")]);
        const empty = dependsOn(resource(SSE, "empty-sse", { bucket: "x", rules: [] }), "bucket", bucket);
        assert.deepStrictEqual((await runStack(policy, [bucket, empty])).messages, [
            "rules set sseAlgorithm not set; set applyServerSideEncryptionByDefault.sseAlgorithm to one of: AES256, aws:kms, aws:kms:dsse",
        ]);
    });
    it("links by explicit bucket name when no dependency was recorded", async () => {
        const named = resource(BUCKET, "named", { bucket: "am-alb-logs-staging" });
        const byName = resource(SSE, "by-name", {
            bucket: "am-alb-logs-staging",
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
        });
        assert.deepStrictEqual((await runStack(policy, [named, byName])).messages, []);
        const other = resource(SSE, "other", {
            bucket: "someone-elses",
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
        });
        assert.strictEqual((await runStack(policy, [named, other])).messages.length, 1);
    });
    it("defers when an unlinked configuration's bucket is unknown", async () => {
        const named = resource(BUCKET, "named", { bucket: "am-alb-logs-staging" });
        const unlinked = resource(SSE, "unlinked", { bucket: UNKNOWN.string, rules: [] });
        const out = await runStack(policy, [named, unlinked]);
        assert.deepStrictEqual(out.messages, []);
        assert.strictEqual(out.unknown, unknownAdvisory(policy.name, "string", "bucket"));
    });
});

describe("aws-s3-bucket-require-public-access-block", () => {
    const { policy } = publicAccess;

    it("passes a bucket with all four settings on", async () => {
        assert.deepStrictEqual(await runStack(policy, [bucket, sse(bucket), pab(bucket)]), { messages: [], urns: [] });
    });
    it("fails a bucket without a public access block, on the bucket", async () => {
        const out = await runStack(policy, [bucket, sse(bucket)]);
        assert.deepStrictEqual(out.messages, ["bucket has no aws:s3/bucketPublicAccessBlock; add one with all four settings true"]);
        assert.deepStrictEqual(out.urns, [urnOf(BUCKET, "alb-logs")]);
    });
    it("fails a block that leaves settings off, on the block", async () => {
        const out = await runStack(policy, [bucket, pab(bucket, { blockPublicPolicy: false, restrictPublicBuckets: false })]);
        assert.deepStrictEqual(out.messages, [
            "public access block leaves blockPublicPolicy, restrictPublicBuckets not true; set all four settings to true",
        ]);
        assert.deepStrictEqual(out.urns, [urnOf(PAB, "alb-logs-pab")]);
    });
    it("defers an unknown setting", async () => {
        const block = pab(bucket);
        block.props.ignorePublicAcls = UNKNOWN.boolean;
        const out = await runStack(policy, [bucket, block]);
        assert.strictEqual(out.unknown, unknownAdvisory(policy.name, "boolean", "ignorePublicAcls"));
        assert.deepStrictEqual(out.messages, []);
    });
});

const VERSIONING = "aws:s3/bucketVersioning:BucketVersioning";
const POLICY = "aws:s3/bucketPolicy:BucketPolicy";
const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
const REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";
const LOCK = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration";

function versioned(target: ResourceSpec, status = "Enabled"): ResourceSpec {
    return dependsOn(
        resource(VERSIONING, `${target.name}-versioning`, { bucket: UNKNOWN.string, versioningConfiguration: { status } }),
        "bucket",
        target,
    );
}

describe("aws-s3-bucket-require-versioning", () => {
    const { policy } = versioning;

    it("passes a bucket with versioning Enabled", async () => {
        assert.deepStrictEqual(await runStack(policy, [bucket, versioned(bucket)]), { messages: [], urns: [] });
    });
    it("fails a bucket without versioning, on the bucket, naming the exception to add", async () => {
        const out = await runStack(policy, [bucket, sse(bucket)]);
        assert.deepStrictEqual(out.messages, [
            'bucket has no aws:s3/bucketVersioning; add one with versioningConfiguration.status Enabled, or add { "name": "alb-logs", "reason": "..." } to unversionedBuckets in this stack\'s policy config',
        ]);
        assert.deepStrictEqual(out.urns, [urnOf(BUCKET, "alb-logs")]);
    });
    it("fails suspended versioning, on the versioning resource", async () => {
        const out = await runStack(policy, [bucket, versioned(bucket, "Suspended")]);
        assert.deepStrictEqual(out.messages, ['versioningConfiguration.status is "Suspended"; set it to "Enabled"']);
        assert.deepStrictEqual(out.urns, [urnOf(VERSIONING, "alb-logs-versioning")]);
    });
    it("passes a bucket the stack's policy config names with a reason, and only that one", async () => {
        const other = resource(BUCKET, "other", { tags: TAGS });
        const config = { unversionedBuckets: [{ name: "alb-logs", reason: "access logs expire by lifecycle" }] };
        const out = await runStack(policy, [bucket, other], config);
        assert.deepStrictEqual(out.urns, [urnOf(BUCKET, "other")]);
    });
});

/** A TLS-only bucket policy for `target`, with `statement` overrides. */
function tlsPolicy(target: ResourceSpec, statement: Record<string, unknown> = {}): ResourceSpec {
    const arn = `arn:aws:s3:::${target.name}`;
    const document = {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AllowReads",
                Effect: "Allow",
                Principal: { AWS: "arn:aws:iam::123456789012:root" },
                Action: "s3:GetObject",
                Resource: `${arn}/*`,
            },
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [arn, `${arn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
                ...statement,
            },
        ],
    };
    return dependsOn(
        resource(POLICY, `${target.name}-policy`, { bucket: UNKNOWN.string, policy: JSON.stringify(document) }),
        "bucket",
        target,
    );
}

describe("aws-s3-bucket-require-secure-transport", () => {
    const { policy } = secureTransport;
    const FIX =
        'add a statement { "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [bucket ARN, bucket ARN + "/*"], "Condition": { "Bool": { "aws:SecureTransport": "false" } } }';

    it('passes a bucket whose policy denies requests without TLS (also as { AWS: "*" }, "*" actions, a boolean false)', async () => {
        assert.deepStrictEqual(await runStack(policy, [bucket, tlsPolicy(bucket)]), { messages: [], urns: [] });
        const variant = tlsPolicy(bucket, {
            Principal: { AWS: "*" },
            Action: ["*"],
            Condition: { Bool: { "aws:SecureTransport": false } },
        });
        assert.deepStrictEqual((await runStack(policy, [bucket, variant])).messages, []);
    });
    it("fails a bucket without a policy, on the bucket", async () => {
        const out = await runStack(policy, [bucket, sse(bucket)]);
        assert.deepStrictEqual(out.messages, [`bucket has no aws:s3/bucketPolicy; attach one and ${FIX}`]);
        assert.deepStrictEqual(out.urns, [urnOf(BUCKET, "alb-logs")]);
    });
    const failing: [string, Record<string, unknown>][] = [
        ["allows instead of denying", { Effect: "Allow" }],
        ["names one principal", { Principal: { AWS: "arn:aws:iam::123456789012:root" } }],
        ["denies only some actions", { Action: ["s3:GetObject", "s3:PutObject"] }],
        ["covers only the objects", { Resource: "arn:aws:s3:::alb-logs/*" }],
        ["covers only the bucket", { Resource: "arn:aws:s3:::alb-logs" }],
        ["tests another condition", { Condition: { Bool: { "aws:MultiFactorAuthPresent": "false" } } }],
        ["denies TLS instead of plain HTTP", { Condition: { Bool: { "aws:SecureTransport": "true" } } }],
    ];
    for (const [what, change] of failing) {
        it(`fails a policy whose statement ${what}, on the policy`, async () => {
            const out = await runStack(policy, [bucket, tlsPolicy(bucket, change)]);
            assert.deepStrictEqual(out.messages, [`policy does not deny requests without TLS; ${FIX}`]);
            assert.deepStrictEqual(out.urns, [urnOf(POLICY, "alb-logs-policy")]);
        });
    }
    it("fails a policy that is not JSON", async () => {
        const broken = dependsOn(resource(POLICY, "broken", { bucket: "x", policy: "{not json" }), "bucket", bucket);
        assert.deepStrictEqual((await runStack(policy, [bucket, broken])).messages, [
            `policy is not a JSON policy document; write one and ${FIX}`,
        ]);
    });
    it("defers a policy document that is unknown during preview", async () => {
        const unknown = dependsOn(resource(POLICY, "pending", { bucket: UNKNOWN.string, policy: UNKNOWN.string }), "bucket", bucket);
        const out = await runStack(policy, [bucket, unknown]);
        assert.deepStrictEqual(out.messages, []);
        assert.strictEqual(out.unknown, unknownAdvisory(policy.name, "string", "policy"));
    });
});

const aipStore = resource(BUCKET, "as-aip-store", { forceDestroy: false, tags: { ...TAGS, ArchivalStore: "aip-store" } });
const AIP_RULE = {
    id: "aip-lifecycle",
    status: "Enabled",
    filter: {},
    transitions: [{ days: 30, storageClass: "INTELLIGENT_TIERING" }],
    noncurrentVersionExpiration: { noncurrentDays: 90 },
    abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
};
function lifecycle(target: ResourceSpec, rule: Record<string, unknown> = {}): ResourceSpec {
    return dependsOn(
        resource(LIFECYCLE, `${target.name}-lifecycle`, { bucket: UNKNOWN.string, rules: [{ ...AIP_RULE, ...rule }] }),
        "bucket",
        target,
    );
}

describe("aws-s3-bucket-require-aip-lifecycle", () => {
    const { policy } = aipLifecycle;

    it("passes an AIP store with the whole lifecycle; ignores buckets that are not the AIP store", async () => {
        assert.deepStrictEqual(await runStack(policy, [aipStore, lifecycle(aipStore), bucket]), { messages: [], urns: [] });
        for (const storageClass of ["STANDARD_IA", "GLACIER_IR"]) {
            const out = await runStack(policy, [aipStore, lifecycle(aipStore, { transitions: [{ days: 30, storageClass }] })]);
            assert.deepStrictEqual(out.messages, [], storageClass);
        }
    });
    it("fails an AIP store without a lifecycle, on the bucket", async () => {
        const out = await runStack(policy, [aipStore]);
        assert.deepStrictEqual(out.messages, [
            "AIP store has no aws:s3/bucketLifecycleConfiguration; add one with a transition to one of STANDARD_IA, INTELLIGENT_TIERING, GLACIER_IR, noncurrentVersionExpiration and abortIncompleteMultipartUpload",
        ]);
        assert.deepStrictEqual(out.urns, [urnOf(BUCKET, "as-aip-store")]);
    });
    const failing: [string, Record<string, unknown>, string][] = [
        [
            "no transition",
            { transitions: undefined },
            "no transition to a cheaper class (one of: STANDARD_IA, INTELLIGENT_TIERING, GLACIER_IR)",
        ],
        [
            "a transition to Deep Archive",
            {
                transitions: [
                    { days: 30, storageClass: "GLACIER_IR" },
                    { days: 180, storageClass: "DEEP_ARCHIVE" },
                ],
            },
            'a transition to "DEEP_ARCHIVE", which the Storage Service cannot read without a restore',
        ],
        ["no noncurrent expiry", { noncurrentVersionExpiration: undefined }, "no noncurrentVersionExpiration.noncurrentDays"],
        ["no multipart abort", { abortIncompleteMultipartUpload: undefined }, "no abortIncompleteMultipartUpload.daysAfterInitiation"],
    ];
    for (const [what, change, gap] of failing) {
        it(`fails ${what}, on the lifecycle`, async () => {
            const out = await runStack(policy, [aipStore, lifecycle(aipStore, change)]);
            assert.deepStrictEqual(out.messages, [`AIP store lifecycle has ${gap}; fix its Enabled whole-bucket rule`]);
            assert.deepStrictEqual(out.urns, [urnOf(LIFECYCLE, "as-aip-store-lifecycle")]);
        });
    }
    it("counts only Enabled rules for the whole bucket", async () => {
        const all =
            "no transition to a cheaper class (one of: STANDARD_IA, INTELLIGENT_TIERING, GLACIER_IR); no noncurrentVersionExpiration.noncurrentDays; no abortIncompleteMultipartUpload.daysAfterInitiation";
        for (const change of [{ status: "Disabled" }, { filter: { prefix: "aips/" } }]) {
            const out = await runStack(policy, [aipStore, lifecycle(aipStore, change)]);
            assert.deepStrictEqual(
                out.messages,
                [`AIP store lifecycle has ${all}; fix its Enabled whole-bucket rule`],
                JSON.stringify(change),
            );
        }
    });
});

function replication(target: ResourceSpec, rule: Record<string, unknown> = {}): ResourceSpec {
    const props = {
        bucket: UNKNOWN.string,
        role: UNKNOWN.string,
        rules: [
            {
                id: "aip-replica",
                status: "Enabled",
                filter: {},
                deleteMarkerReplication: { status: "Enabled" },
                destination: { bucket: UNKNOWN.string },
                ...rule,
            },
        ],
    };
    return dependsOn(resource(REPLICATION, `${target.name}-replication`, props), "bucket", target);
}
function objectLock(target: ResourceSpec, retention: Record<string, unknown> = { mode: "COMPLIANCE", days: 3650 }): ResourceSpec {
    return dependsOn(
        resource(LOCK, `${target.name}-object-lock`, { bucket: UNKNOWN.string, rule: { defaultRetention: retention } }),
        "bucket",
        target,
    );
}
const lockedAip = { ...aipStore, props: { ...aipStore.props, objectLockEnabled: true } };

describe("aws-s3-bucket-require-aip-copy-or-lock", () => {
    const { policy } = aipCopyOrLock;
    const REPLICATE = "an Enabled whole-bucket aws:s3/bucketReplicationConfig to a bucket in another region";
    const LOCKED = "objectLockEnabled: true and an aws:s3/bucketObjectLockConfiguration with a GOVERNANCE or COMPLIANCE default retention";

    it("either (the default): passes a replicated AIP store, and a locked one", async () => {
        assert.deepStrictEqual(await runStack(policy, [aipStore, replication(aipStore)]), { messages: [], urns: [] });
        assert.deepStrictEqual(await runStack(policy, [lockedAip, objectLock(lockedAip)]), { messages: [], urns: [] });
    });
    it("either: fails an AIP store with neither, on the bucket; other buckets are not asked", async () => {
        const out = await runStack(policy, [aipStore, bucket]);
        assert.deepStrictEqual(out.messages, [
            `AIP store has neither replication nor Object Lock; this stack requires ${REPLICATE}, or ${LOCKED}`,
        ]);
        assert.deepStrictEqual(out.urns, [urnOf(BUCKET, "as-aip-store")]);
    });
    const notEnough: [string, ResourceSpec[]][] = [
        ["a disabled replication rule", [aipStore, replication(aipStore, { status: "Disabled" })]],
        ["replication of one prefix only", [aipStore, replication(aipStore, { filter: { prefix: "aips/" } })]],
        ["a lock configuration on a bucket created without Object Lock", [aipStore, objectLock(aipStore)]],
        ["Object Lock without a default retention", [lockedAip, objectLock(lockedAip, {})]],
        ["a retention of zero days", [lockedAip, objectLock(lockedAip, { mode: "GOVERNANCE", days: 0 })]],
    ];
    for (const [what, specs] of notEnough) {
        it(`either: ${what} is not enough`, async () => {
            assert.deepStrictEqual((await runStack(policy, specs)).messages, [
                `AIP store has neither replication nor Object Lock; this stack requires ${REPLICATE}, or ${LOCKED}`,
            ]);
        });
    }
    it("replication: a locked but unreplicated store fails", async () => {
        const out = await runStack(policy, [lockedAip, objectLock(lockedAip)], { requirement: "replication" });
        assert.deepStrictEqual(out.messages, [`AIP store is not replicated; this stack requires ${REPLICATE}`]);
        assert.deepStrictEqual((await runStack(policy, [aipStore, replication(aipStore)], { requirement: "replication" })).messages, []);
    });
    it("objectLock: a replicated but unlocked store fails", async () => {
        const out = await runStack(policy, [aipStore, replication(aipStore)], { requirement: "objectLock" });
        assert.deepStrictEqual(out.messages, [`AIP store has no Object Lock; this stack requires ${LOCKED}`]);
        const years = objectLock(lockedAip, { mode: "GOVERNANCE", years: 1 });
        assert.deepStrictEqual((await runStack(policy, [lockedAip, years], { requirement: "objectLock" })).messages, []);
    });
    it("none: asks nothing", async () => {
        assert.deepStrictEqual(await runStack(policy, [aipStore], { requirement: "none" }), { messages: [], urns: [] });
    });
});
