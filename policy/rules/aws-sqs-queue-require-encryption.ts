/**
 * SQS queues encrypt their messages at rest: SSE-SQS (`sqsManagedSseEnabled`) or a KMS key
 * (`kmsMasterKeyId`). The ingest queue and its dead-letter queue carry object keys and event details.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { ControlId } from "../lib/controls";
import { isNonEmptyString, show } from "../lib/values";

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-sqs-queue-require-encryption",
    description: "SQS queues are encrypted at rest: sqsManagedSseEnabled true, or a kmsMasterKeyId.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:sqs/queue:Queue") return;
        const sse = args.props.sqsManagedSseEnabled;
        if (sse === true || isNonEmptyString(args.props.kmsMasterKeyId)) return;
        reportViolation(`sqsManagedSseEnabled is ${show(sse)} and no kmsMasterKeyId is set; set sqsManagedSseEnabled: true (or a KMS key)`);
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["SQS.1"];
