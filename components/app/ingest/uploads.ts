/**
 * Uploads → EventBridge → the queue. The transfer bucket sends its events to EventBridge (one
 * notification configuration per bucket, `eventbridge: true`, which other consumers can share by
 * adding rules), and one rule forwards "Object Created" events of that bucket, leaving out our own
 * `feedback/` writes, to the queue; the queue's policy admits exactly that rule.
 *
 * Event shape: AWS S3 user guide, "EventBridge event message structure" (`detail.bucket.name`,
 * `detail.object.key`). Pattern syntax: EventBridge user guide, "Anything-but matching" with a prefix.
 */
import * as aws from "../../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { FEEDBACK_PREFIX } from "../../../functions/ingest/core/feedback";
import { mergeTags, Tags } from "../../../lib/tags";

/** The rule's pattern: objects created in this bucket, except feedback files. */
export function uploadPattern(bucket: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.jsonStringify({
        source: ["aws.s3"],
        "detail-type": ["Object Created"],
        detail: { bucket: { name: [bucket] }, object: { key: [{ "anything-but": { prefix: FEEDBACK_PREFIX } }] } },
    });
}

export function routeUploads(
    name: string,
    parent: pulumi.Resource,
    a: { bucket: pulumi.Input<string>; ruleName: string; queue: aws.sqs.Queue; tags: Tags; componentTags: Tags },
): aws.cloudwatch.EventRule {
    new aws.s3.BucketNotification(`${name}-to-eventbridge`, { bucket: a.bucket, eventbridge: true }, { parent });
    const rule = new aws.cloudwatch.EventRule(
        `${name}-uploads`,
        {
            name: a.ruleName,
            description: "Archivematica hands-off ingest: objects created in the transfer bucket, to the ingest queue",
            eventPattern: uploadPattern(a.bucket),
            tags: mergeTags(a.tags, `${name}-uploads`, a.componentTags),
        },
        { parent },
    );
    const policy = new aws.sqs.QueuePolicy(
        `${name}-queue-policy`,
        {
            queueUrl: a.queue.url,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "UploadEventsFromTheRule",
                        Effect: "Allow",
                        Principal: { Service: "events.amazonaws.com" },
                        Action: "sqs:SendMessage",
                        Resource: a.queue.arn,
                        Condition: { ArnEquals: { "aws:SourceArn": rule.arn } },
                    },
                ],
            }),
        },
        { parent },
    );
    new aws.cloudwatch.EventTarget(
        `${name}-uploads-to-queue`,
        { rule: rule.name, targetId: "ingest-queue", arn: a.queue.arn },
        { parent, dependsOn: [policy] },
    );
    return rule;
}
