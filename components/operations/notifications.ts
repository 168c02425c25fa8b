/**
 * Notifications: the stack's one SNS topic that every alarm and event rule sends to, encrypted with a
 * KMS key of our own, with an optional e-mail subscription.
 *
 * A topic encrypted with a customer managed key only receives messages from CloudWatch and EventBridge
 * when the key policy lets those service principals use the key (kms:Decrypt and kms:GenerateDataKey*):
 * the AWS-managed `alias/aws/sns` key cannot be given that permission, hence a key of ours (SNS developer
 * guide, "Key management", section "Enable compatibility between event sources from AWS services and
 * encrypted topics"). EventBridge's KMS requests carry no aws:SourceAccount / aws:SourceArn, so its key
 * grant cannot be conditioned on them (same page); CloudWatch's can. Both grants are scoped to this
 * topic by the encryption context SNS puts on every data key, `kms:EncryptionContext:aws:sns:topicArn`
 * (the condition AWS's own examples use for publishers to encrypted topics, e.g. the GameLift FlexMatch
 * guide, "Set up an SNS topic with server-side encryption"): the key serves no other topic. The topic
 * needs the key first and the policy needs the topic's ARN, so the policy is attached afterwards by a
 * KeyPolicy resource; until then the key has KMS's default policy (the account administers it).
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { mergeTags, Tags } from "../../lib/tags";

/** The service principals that publish to the topic. */
export const PUBLISHERS = { cloudwatch: "cloudwatch.amazonaws.com", events: "events.amazonaws.com" } as const;

/** Loose e-mail check: one @, no spaces, a dot in the domain. SNS confirms the address itself. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface NotificationsArgs {
    /** Required tags, set on every taggable resource. */
    tags: Tags;
    /**
     * Address subscribed to the topic by e-mail. SNS sends it a confirmation link first; nothing is
     * delivered until someone follows it.
     * @default none (no subscription: subscribe an address or a chat integration by hand)
     * @example "digital-preservation@example.org"
     */
    alarmEmail?: string;
    /**
     * Display name of the topic: the sender name of the e-mails.
     * @default "Archivematica"
     */
    displayName?: string;
    /**
     * Days KMS waits before it deletes the key after the stack removes it.
     * @default 30
     */
    keyDeletionWindowDays?: number;
}

/** Throws the one-line error for a bad argument. */
function fail(name: string, field: string, problem: string, valid: string): never {
    throw new Error(`Notifications "${name}": ${field} ${problem}; valid: ${valid}`);
}

/** Validates the arguments before any child is registered. */
function validate(name: string, args: NotificationsArgs): void {
    if (args.alarmEmail !== undefined && !EMAIL.test(args.alarmEmail)) {
        fail(name, "alarmEmail", `${JSON.stringify(args.alarmEmail)} is not an e-mail address`, "an address such as ops@example.org");
    }
    const window = args.keyDeletionWindowDays;
    if (window !== undefined && !(Number.isInteger(window) && window >= 7 && window <= 30)) {
        fail(name, "keyDeletionWindowDays", `${window} is out of range`, "an integer from 7 to 30");
    }
    if (args.displayName !== undefined && !(args.displayName.length >= 1 && args.displayName.length <= 100)) {
        fail(name, "displayName", `${JSON.stringify(args.displayName)} has ${args.displayName.length} characters`, "1-100 characters");
    }
}

/**
 * The key policy: the account administers the key; CloudWatch and EventBridge may encrypt messages with
 * it for this topic only.
 */
export function keyPolicy(
    partition: pulumi.Input<string>,
    accountId: pulumi.Input<string>,
    topicArn: pulumi.Input<string>,
): pulumi.Output<string> {
    const forTopic = { "kms:EncryptionContext:aws:sns:topicArn": topicArn };
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AccountAdministersKey",
                Effect: "Allow",
                Principal: { AWS: pulumi.interpolate`arn:${partition}:iam::${accountId}:root` },
                Action: "kms:*",
                Resource: "*",
            },
            {
                Sid: "CloudWatchAlarmsPublish",
                Effect: "Allow",
                Principal: { Service: PUBLISHERS.cloudwatch },
                Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                Resource: "*",
                Condition: { StringEquals: { "aws:SourceAccount": accountId, ...forTopic } },
            },
            {
                // No source conditions: EventBridge does not send them to KMS (see the module comment).
                Sid: "EventBridgeRulesPublish",
                Effect: "Allow",
                Principal: { Service: PUBLISHERS.events },
                Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                Resource: "*",
                Condition: { StringEquals: forTopic },
            },
        ],
    });
}

/** The topic policy: CloudWatch alarms and EventBridge rules of this account publish; nobody without TLS. */
export function topicPolicy(topicArn: pulumi.Input<string>, accountId: pulumi.Input<string>): pulumi.Output<string> {
    const publish = (sid: string, service: string) => ({
        Sid: sid,
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    });
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            publish("CloudWatchAlarmsPublish", PUBLISHERS.cloudwatch),
            publish("EventBridgeRulesPublish", PUBLISHERS.events),
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
}

/** One encrypted SNS topic per stack, its policy and an optional e-mail subscription. */
export class Notifications extends pulumi.ComponentResource {
    /** Where alarms and event rules send: alarm and OK actions, rule targets. */
    readonly topicArn: pulumi.Output<string>;
    /** The customer managed key that encrypts the topic. */
    readonly keyArn: pulumi.Output<string>;

    constructor(name: string, args: NotificationsArgs, opts?: pulumi.ComponentResourceOptions) {
        validate(name, args);
        super("archivematica:index:Notifications", name, {}, opts);
        const parent = { parent: this };
        const identity = aws.getCallerIdentityOutput({}, parent);
        const partition = aws.getPartitionOutput({}, parent).partition;

        const key = new aws.kms.Key(
            `${name}-key`,
            {
                description: "Encrypts the Archivematica alarm topic; CloudWatch and EventBridge may publish with it",
                enableKeyRotation: true,
                deletionWindowInDays: args.keyDeletionWindowDays ?? 30,
                tags: mergeTags(args.tags, `${name}-key`),
            },
            parent,
        );

        const topic = new aws.sns.Topic(
            `${name}-topic`,
            {
                displayName: args.displayName ?? "Archivematica",
                kmsMasterKeyId: key.arn,
                tags: mergeTags(args.tags, `${name}-topic`),
            },
            parent,
        );

        new aws.kms.KeyPolicy(`${name}-key-policy`, { keyId: key.id, policy: keyPolicy(partition, identity.accountId, topic.arn) }, parent);
        new aws.sns.TopicPolicy(`${name}-topic-policy`, { arn: topic.arn, policy: topicPolicy(topic.arn, identity.accountId) }, parent);

        if (args.alarmEmail !== undefined) {
            new aws.sns.TopicSubscription(`${name}-email`, { topic: topic.arn, protocol: "email", endpoint: args.alarmEmail }, parent);
        }

        this.topicArn = topic.arn;
        this.keyArn = key.arn;
        this.registerOutputs({ topicArn: this.topicArn, keyArn: this.keyArn });
    }
}
