import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Notifications } from "../components/operations/notifications";
import { plan, testConfig } from "./harness";

const tags = testConfig().tags;
const ACCOUNT = "123456789012";
const TAGGABLE = new Set<string>(JSON.parse(fs.readFileSync(path.join(__dirname, "../policy/data/taggable-types.json"), "utf8")).types);

describe("Notifications (SNS topic)", () => {
    it("a customer managed key with rotation that CloudWatch and EventBridge may use for this topic only", async () => {
        const p = await plan(() => new Notifications("ops", { tags, alarmEmail: "ops@example.org" }));
        const key = p.named("ops-key");
        assert.deepStrictEqual(key.props, {
            description: "Encrypts the Archivematica alarm topic; CloudWatch and EventBridge may publish with it",
            enableKeyRotation: true,
            deletionWindowInDays: 30,
            tags: { ...tags, Name: "ops-key" },
        });
        // The policy needs the topic's ARN and the topic needs the key: a KeyPolicy attaches it after both.
        const topicArn = `arn:aws:sns:eu-west-2:${ACCOUNT}:sns/ops-topic`;
        const { keyId, policy } = p.named("ops-key-policy").props;
        assert.strictEqual(keyId, key.id);
        assert.deepStrictEqual(JSON.parse(policy), {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AccountAdministersKey",
                    Effect: "Allow",
                    Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
                    Action: "kms:*",
                    Resource: "*",
                },
                {
                    Sid: "CloudWatchAlarmsPublish",
                    Effect: "Allow",
                    Principal: { Service: "cloudwatch.amazonaws.com" },
                    Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                    Resource: "*",
                    Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT, "kms:EncryptionContext:aws:sns:topicArn": topicArn } },
                },
                {
                    Sid: "EventBridgeRulesPublish",
                    Effect: "Allow",
                    Principal: { Service: "events.amazonaws.com" },
                    Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                    Resource: "*",
                    Condition: { StringEquals: { "kms:EncryptionContext:aws:sns:topicArn": topicArn } },
                },
            ],
        });
    });

    it("the topic is encrypted with that key; its policy admits CloudWatch and EventBridge of this account over TLS", async () => {
        const p = await plan(() => new Notifications("ops", { tags, alarmEmail: "ops@example.org" }));
        const keyArn = `arn:aws:kms:eu-west-2:${ACCOUNT}:key/${p.named("ops-key").id}`;
        assert.deepStrictEqual(p.named("ops-topic").props, {
            displayName: "Archivematica",
            kmsMasterKeyId: keyArn,
            tags: { ...tags, Name: "ops-topic" },
        });
        const topicArn = `arn:aws:sns:eu-west-2:${ACCOUNT}:sns/ops-topic`;
        const policy = p.named("ops-topic-policy").props;
        assert.strictEqual(policy.arn, topicArn);
        const publish = (Sid: string, Service: string) => ({
            Sid,
            Effect: "Allow",
            Principal: { Service },
            Action: "sns:Publish",
            Resource: topicArn,
            Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
        });
        assert.deepStrictEqual(JSON.parse(policy.policy), {
            Version: "2012-10-17",
            Statement: [
                publish("CloudWatchAlarmsPublish", "cloudwatch.amazonaws.com"),
                publish("EventBridgeRulesPublish", "events.amazonaws.com"),
                {
                    Sid: "DenyInsecureTransport",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "sns:Publish",
                    Resource: topicArn,
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                },
            ],
        });
        assert.deepStrictEqual(p.named("ops-email").props, { topic: topicArn, protocol: "email", endpoint: "ops@example.org" });
    });

    it("no subscription without alarmEmail; display name and deletion window from args", async () => {
        const p = await plan(() => new Notifications("ops", { tags, displayName: "AM prod", keyDeletionWindowDays: 7 }));
        assert.deepStrictEqual(p.ofType("aws:sns/topicSubscription:TopicSubscription"), []);
        assert.strictEqual(p.named("ops-topic").props.displayName, "AM prod");
        assert.strictEqual(p.named("ops-key").props.deletionWindowInDays, 7);
    });

    it("children are named ops-…, parented to the component, and tagged when taggable", async () => {
        const p = await plan(() => new Notifications("ops", { tags, alarmEmail: "ops@example.org" }));
        const component = p.named("ops");
        const children = p.resources.filter((r) => r !== component && r.type.startsWith("aws:"));
        assert.deepStrictEqual(children.map((r) => r.name).sort(), [
            "ops-email",
            "ops-key",
            "ops-key-policy",
            "ops-topic",
            "ops-topic-policy",
        ]);
        for (const r of children) {
            assert.strictEqual(r.parent, component.urn, r.name);
            if (TAGGABLE.has(r.type)) assert.deepStrictEqual(r.props.tags, { ...tags, Name: r.name }, r.name);
        }
    });

    for (const [args, message] of [
        [
            { alarmEmail: "ops at example" },
            'Notifications "ops": alarmEmail "ops at example" is not an e-mail address; valid: an address such as ops@example.org',
        ],
        [{ keyDeletionWindowDays: 3 }, 'Notifications "ops": keyDeletionWindowDays 3 is out of range; valid: an integer from 7 to 30'],
        [{ displayName: "" }, 'Notifications "ops": displayName "" has 0 characters; valid: 1-100 characters'],
    ] as const) {
        it(`refuses ${Object.keys(args)[0]} in one line`, async () => {
            await assert.rejects(
                plan(() => new Notifications("ops", { tags, ...args })),
                (e: Error) => e.message.includes(message) && !message.includes("\n"),
            );
            // Thrown before super(): nothing is registered, not even the component.
            assert.throws(() => new Notifications("ops", { tags, ...args }), { message });
        });
    }
});
