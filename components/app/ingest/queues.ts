/**
 * The upload events' queue and its dead-letter queue. SSE-SQS (SQS-owned keys) encrypts both without
 * a key policy to maintain, which EventBridge needs to send to them (a customer managed key would
 * have to admit events.amazonaws.com). A message is delivered `maxReceiveCount` times (the starter
 * backs each retry off, functions/ingest/core/events.ts) and then moves to the dead-letter queue,
 * which keeps it 14 days for an operator to read, fix and redrive.
 */
import * as aws from "../../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { MAX_RECEIVE_COUNT } from "../../../functions/ingest/core/events";
import { mergeTags, Tags } from "../../../lib/tags";

/** SQS's longest retention: the dead letters wait two weeks for someone. */
const DEAD_LETTER_RETENTION_SECONDS = 14 * 86400;
/** Uploads not taken within four days (SQS's default) are dead-lettered anyway: the starter is broken. */
const QUEUE_RETENTION_SECONDS = 4 * 86400;

export interface IngestQueues {
    queue: aws.sqs.Queue;
    deadLetters: aws.sqs.Queue;
}

export function createQueues(
    name: string,
    parent: pulumi.Resource,
    a: { queueName: string; visibilityTimeoutSeconds: number; tags: Tags; componentTags: Tags },
): IngestQueues {
    const deadLetters = new aws.sqs.Queue(
        `${name}-dead-letters`,
        {
            name: `${a.queueName}-dead-letters`,
            messageRetentionSeconds: DEAD_LETTER_RETENTION_SECONDS,
            sqsManagedSseEnabled: true,
            tags: mergeTags(a.tags, `${name}-dead-letters`, a.componentTags),
        },
        { parent },
    );
    const queue = new aws.sqs.Queue(
        `${name}-queue`,
        {
            name: a.queueName,
            // At least the starter's timeout (Lambda refuses a shorter one for an event source).
            visibilityTimeoutSeconds: a.visibilityTimeoutSeconds,
            messageRetentionSeconds: QUEUE_RETENTION_SECONDS,
            sqsManagedSseEnabled: true,
            redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: deadLetters.arn, maxReceiveCount: MAX_RECEIVE_COUNT }),
            tags: mergeTags(a.tags, `${name}-queue`, a.componentTags),
        },
        { parent },
    );
    // Only this queue may use the dead-letter queue.
    new aws.sqs.RedriveAllowPolicy(
        `${name}-dead-letters-allow`,
        {
            queueUrl: deadLetters.url,
            redriveAllowPolicy: pulumi.jsonStringify({ redrivePermission: "byQueue", sourceQueueArns: [queue.arn] }),
        },
        { parent },
    );
    return { queue, deadLetters };
}
