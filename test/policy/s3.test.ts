import * as assert from "assert";
import * as encryption from "../../policy/rules/aws-s3-bucket-require-encryption";
import * as publicAccess from "../../policy/rules/aws-s3-bucket-require-public-access-block";
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
