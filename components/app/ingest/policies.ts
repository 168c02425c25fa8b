/**
 * Exactly what each ingest function may do, as IAM statements (the plan-level tests read them back).
 *
 * - Starter: read (HEAD and ranged GETs, by version) only uploads under the shipped configurations'
 *   prefixes; `s3:ListBucket` only for those prefixes and `feedback/` (`starterListPrefixes`); write and
 *   read back its own `feedback/` files; its table rows; the two API keys; the queue; metrics in its
 *   namespace only.
 * - Monitor: the open index and row updates; `feedback/` writes; the two API keys; its metrics.
 */
import * as pulumi from "@pulumi/pulumi";
import { FEEDBACK_PREFIX } from "../../../functions/ingest/core/feedback";
import { INGEST_NAMESPACE } from "../../../functions/ingest/core/metrics";
import { OPEN_INDEX } from "../../../functions/ingest/core/records";
import type { IamStatement } from "../../../lib/iam";

type Statement = IamStatement<pulumi.Input<string>>;

export interface PolicyInputs {
    partition: pulumi.Input<string>;
    bucket: pulumi.Input<string>;
    /** The accepted processing configurations: the upload prefixes the starter may read. */
    configs: readonly string[];
    tableArn: pulumi.Input<string>;
    secretArns: pulumi.Input<string>[];
}

/**
 * The `s3:prefix` values the starter's `s3:ListBucket` is limited to. The starter never lists
 * (functions/ingest: no ListObjects call; a folder-shaped upload is told apart by its key alone,
 * core/package-key.ts); it holds the right only because S3 answers a read of a missing key with 404
 * rather than 403 to a caller allowed to list it (S3 API reference, HeadObject and GetObject,
 * "Permissions"). It reads keys that may be missing in two places: the upload's current version
 * (`HeadObject <config>/<name>`, io/bucket.ts `currentVersion`: "deleted before it started") and its
 * own started feedback (`GetObject feedback/<key>.started.json`, `getText`). For that check S3 puts
 * the requested key in `s3:prefix` (the condition key of ListBucket, Service Authorization Reference
 * "Actions, resources, and condition keys for Amazon S3"; ceph/ceph#68577 matches rgw to this AWS
 * behaviour), so these patterns keep both 404s and allow no listing of anything else.
 */
export function starterListPrefixes(configs: readonly string[]): string[] {
    return [...configs.map((c) => `${c}/*`), `${FEEDBACK_PREFIX}*`];
}

const object = (p: PolicyInputs, keyPattern: string) => pulumi.interpolate`arn:${p.partition}:s3:::${p.bucket}/${keyPattern}`;

function metrics(namespace: string): Statement {
    return {
        Sid: "PublishOwnMetrics",
        Effect: "Allow",
        Action: ["cloudwatch:PutMetricData"],
        // PutMetricData has no resource ARN; the namespace condition is its only scope.
        Resource: "*",
        Condition: { StringEquals: { "cloudwatch:namespace": namespace } },
    };
}

function apiKeys(p: PolicyInputs): Statement {
    return { Sid: "ReadApiKeys", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: p.secretArns };
}

export function starterStatements(p: PolicyInputs, queueArn: pulumi.Input<string>): Statement[] {
    return [
        {
            Sid: "ReadUploads",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:GetObjectVersion"],
            Resource: p.configs.map((c) => object(p, `${c}/*`)),
        },
        {
            Sid: "ListTransferBucket",
            Effect: "Allow",
            Action: ["s3:ListBucket"],
            Resource: pulumi.interpolate`arn:${p.partition}:s3:::${p.bucket}`,
            Condition: { StringLike: { "s3:prefix": starterListPrefixes(p.configs) } },
        },
        { Sid: "WriteFeedback", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: object(p, `${FEEDBACK_PREFIX}*`) },
        { Sid: "OwnRows", Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"], Resource: p.tableArn },
        apiKeys(p),
        {
            Sid: "TakeUploadEvents",
            Effect: "Allow",
            Action: ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"],
            Resource: queueArn,
        },
        metrics(INGEST_NAMESPACE),
    ];
}

export function monitorStatements(p: PolicyInputs): Statement[] {
    return [
        {
            Sid: "FindOpenTransfers",
            Effect: "Allow",
            Action: ["dynamodb:Query"],
            Resource: pulumi.interpolate`${p.tableArn}/index/${OPEN_INDEX}`,
        },
        { Sid: "UpdateRows", Effect: "Allow", Action: ["dynamodb:UpdateItem"], Resource: p.tableArn },
        { Sid: "WriteFeedback", Effect: "Allow", Action: ["s3:PutObject"], Resource: object(p, `${FEEDBACK_PREFIX}*`) },
        apiKeys(p),
        metrics(INGEST_NAMESPACE),
    ];
}
