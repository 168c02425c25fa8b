/**
 * The ingest table (functions/ingest/core/records.ts): one row per object version, keyed by `key`
 * and `versionId`; the sparse index `open` lists unfinished transfers oldest first; finished rows
 * expire after FINISHED_ROW_DAYS (TTL on `expiresAt`). On demand (a few writes per upload), encrypted
 * with the AWS managed key, point-in-time recovery on (it is the record of what was started).
 */
import * as aws from "../../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { OPEN_INDEX } from "../../../functions/ingest/core/records";
import { mergeTags, Tags } from "../../../lib/tags";

export function createTable(
    name: string,
    parent: pulumi.Resource,
    a: { tableName: string; protect: boolean; tags: Tags; componentTags: Tags },
): aws.dynamodb.Table {
    return new aws.dynamodb.Table(
        `${name}-table`,
        {
            name: a.tableName,
            billingMode: "PAY_PER_REQUEST",
            hashKey: "key",
            rangeKey: "versionId",
            attributes: [
                { name: "key", type: "S" },
                { name: "versionId", type: "S" },
                { name: "open", type: "S" },
                { name: "openSince", type: "S" },
            ],
            globalSecondaryIndexes: [{ name: OPEN_INDEX, hashKey: "open", rangeKey: "openSince", projectionType: "ALL" }],
            ttl: { attributeName: "expiresAt", enabled: true },
            pointInTimeRecovery: { enabled: true },
            serverSideEncryption: { enabled: true },
            deletionProtectionEnabled: a.protect,
            tags: mergeTags(a.tags, `${name}-table`, a.componentTags),
        },
        { parent, protect: a.protect },
    );
}
