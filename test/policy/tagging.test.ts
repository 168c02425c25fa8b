import * as assert from "assert";
import { policy } from "../../policy/rules/aws-resource-require-tags";
import { TAGS } from "./fixtures";
import { runResource, secret, UNKNOWN, unknownAdvisory } from "./harness";

const VPC = "aws:ec2/vpc:Vpc";
const DEFAULT_MESSAGE = (missing: string) =>
    `missing or empty required tags: ${missing} (required: Project, Environment, Owner, CostCentre, ManagedBy)`;

function without(...keys: string[]): Record<string, string> {
    const tags = { ...TAGS };
    for (const k of keys) delete tags[k];
    return tags;
}

describe("aws-resource-require-tags", () => {
    it("passes a taggable resource with every required tag", async () => {
        const out = await runResource(policy, { type: VPC, name: "net-vpc", props: { cidrBlock: "10.40.0.0/16", tags: TAGS } });
        assert.deepStrictEqual(out.messages, []);
    });

    it("names each missing tag, in the configured order", async () => {
        const out = await runResource(policy, { type: VPC, name: "net-vpc", props: { tags: without("Owner", "CostCentre") } });
        assert.deepStrictEqual(out.messages, [DEFAULT_MESSAGE("Owner, CostCentre")]);
    });

    it("treats empty and blank values as missing", async () => {
        const out = await runResource(policy, {
            type: VPC,
            name: "net-vpc",
            props: { tags: { ...TAGS, Environment: "", ManagedBy: "  " } },
        });
        assert.deepStrictEqual(out.messages, [DEFAULT_MESSAGE("Environment, ManagedBy")]);
    });

    it("reports every required tag when tags are absent", async () => {
        const out = await runResource(policy, { type: "aws:ecs/service:Service", name: "svc", props: {} });
        assert.deepStrictEqual(out.messages, [DEFAULT_MESSAGE("Project, Environment, Owner, CostCentre, ManagedBy")]);
    });

    it("ignores types without a tags input (from the generated data)", async () => {
        for (const type of [
            "aws:efs/mountTarget:MountTarget",
            "aws:efs/backupPolicy:BackupPolicy",
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            "random:index/randomPassword:RandomPassword",
            "archivematica:index:Service",
        ]) {
            const out = await runResource(policy, { type, name: "x", props: {} });
            assert.deepStrictEqual(out.messages, [], type);
        }
    });

    it("checks list-shaped tags ({ key, value }) too", async () => {
        const tags = Object.entries(without("Owner")).map(([key, value]) => ({ key, value, propagateAtLaunch: true }));
        const out = await runResource(policy, { type: "aws:autoscaling/group:Group", name: "asg", props: { tags } });
        assert.deepStrictEqual(out.messages, [DEFAULT_MESSAGE("Owner")]);
    });

    it("honours the provider's defaultTags (a JSON string in provider inputs)", async () => {
        const provider = {
            type: "pulumi:providers:aws",
            name: "default_7_48_0",
            props: {
                region: "eu-west-2",
                defaultTags: JSON.stringify({ tags: { Owner: "digital-preservation@example.org", CostCentre: "DP-0042" } }),
            },
        };
        const out = await runResource(policy, {
            type: VPC,
            name: "net-vpc",
            props: { tags: without("Owner", "CostCentre", "ManagedBy") },
            provider,
        });
        assert.deepStrictEqual(out.messages, [DEFAULT_MESSAGE("ManagedBy")]);
    });

    it("honours object-shaped defaultTags and ignores other providers' props", async () => {
        const aws = { type: "pulumi:providers:aws", name: "p", props: { defaultTags: { tags: { Owner: "o" } } } };
        assert.deepStrictEqual(
            (await runResource(policy, { type: VPC, name: "v", props: { tags: without("Owner") }, provider: aws })).messages,
            [],
        );
        const other = { type: "pulumi:providers:random", name: "r", props: { defaultTags: { tags: { Owner: "o" } } } };
        assert.deepStrictEqual(
            (await runResource(policy, { type: VPC, name: "v", props: { tags: without("Owner") }, provider: other })).messages,
            [DEFAULT_MESSAGE("Owner")],
        );
    });

    it("sees secret tag values unwrapped, as the server deserialises them", async () => {
        const out = await runResource(policy, { type: VPC, name: "v", props: { tags: { ...TAGS, Owner: secret("someone") } } });
        assert.deepStrictEqual(out.messages, []);
    });

    it("applies a configured tag set", async () => {
        const out = await runResource(
            policy,
            { type: VPC, name: "v", props: { tags: { Project: "p", Team: "" } } },
            { requiredTags: ["Project", "Team", "DataClass"] },
        );
        assert.deepStrictEqual(out.messages, ["missing or empty required tags: Team, DataClass (required: Project, Team, DataClass)"]);
    });

    it("uses the default tag set when the driver sends no config", async () => {
        const out = await runResource(policy, { type: VPC, name: "v", props: { tags: without("Project") } }, "none");
        assert.deepStrictEqual(out.messages, [DEFAULT_MESSAGE("Project")]);
    });

    it("leaves unknown tags to the server's preview advisory instead of reporting them", async () => {
        const whole = await runResource(policy, { type: VPC, name: "v", props: { tags: UNKNOWN.object } });
        assert.deepStrictEqual(whole.messages, []);
        assert.strictEqual(whole.unknown, unknownAdvisory(policy.name, "Object", "tags"));
        const one = await runResource(policy, { type: VPC, name: "v", props: { tags: { ...TAGS, Owner: UNKNOWN.string } } });
        assert.deepStrictEqual(one.messages, []);
        assert.strictEqual(one.unknown, unknownAdvisory(policy.name, "string", "tags.Owner"));
    });

    it("does not read unknown tags it does not need", async () => {
        const out = await runResource(policy, { type: VPC, name: "v", props: { tags: { ...TAGS, Name: UNKNOWN.string } } });
        assert.deepStrictEqual(out, { messages: [], urns: [] });
    });
});
