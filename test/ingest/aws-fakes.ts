/**
 * In-memory AWS for the ingest functions' tests, behind aws-sdk-client-mock: a versioned S3 bucket,
 * a DynamoDB table that evaluates the condition and update expressions the functions write (so
 * conditional writes really race), and recorders for CloudWatch, Secrets Manager and SQS calls.
 */
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { ConditionalCheckFailedException, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { ChangeMessageVisibilityCommand, SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient, type AwsStub } from "aws-sdk-client-mock";
import { Readable } from "node:stream";

type Row = Record<string, unknown>;

function notFound(name: string): Error {
    return Object.assign(new Error(name), { name, $metadata: { httpStatusCode: 404 } });
}

/** A body the SDK would give: a stream with `transformToByteArray` / `transformToString`. */
function body(bytes: Buffer) {
    return Object.assign(Readable.from([bytes]), {
        transformToByteArray: async () => new Uint8Array(bytes),
        transformToString: async () => bytes.toString("utf8"),
    });
}

export interface StoredObject {
    versionId: string;
    bytes: Buffer;
    contentType?: string;
}

export class FakeBucket {
    readonly objects = new Map<string, StoredObject[]>();
    /** Every PutObject, in order: key and text. */
    readonly puts: { key: string; text: string; contentType?: string }[] = [];
    /** Every GetObject, in order: key, version and range. */
    readonly reads: { key: string; versionId?: string; range?: string }[] = [];
    /** Makes every PutObject under this prefix fail (e.g. "feedback/"). */
    failPutsUnder: string | undefined;
    private versions = 0;

    constructor(readonly name: string) {}

    /** Uploads a new version; returns its version id. */
    upload(key: string, bytes: Buffer): string {
        const versionId = `v${++this.versions}`;
        this.objects.set(key, [...(this.objects.get(key) ?? []), { versionId, bytes }]);
        return versionId;
    }

    remove(key: string): void {
        this.objects.delete(key);
    }

    text(key: string): string | undefined {
        return this.objects.get(key)?.at(-1)?.bytes.toString("utf8");
    }

    json(key: string): unknown {
        const t = this.text(key);
        return t === undefined ? undefined : JSON.parse(t);
    }

    install(s3: AwsStub<any, any, any>): void {
        s3.on(HeadObjectCommand).callsFake(async (input: { Bucket: string; Key: string }) => {
            const latest = this.latest(input.Bucket, input.Key);
            return { VersionId: latest.versionId, ContentLength: latest.bytes.length };
        });
        s3.on(GetObjectCommand).callsFake(async (input: { Bucket: string; Key: string; VersionId?: string; Range?: string }) => {
            this.reads.push({ key: input.Key, versionId: input.VersionId, range: input.Range });
            const versions = this.objects.get(input.Key) ?? [];
            const found = input.VersionId ? versions.find((v) => v.versionId === input.VersionId) : this.latest(input.Bucket, input.Key);
            if (!found) throw notFound("NoSuchVersion");
            const range = input.Range ? /^bytes=(\d+)-(\d+)$/.exec(input.Range) : null;
            const bytes = range ? found.bytes.subarray(Number(range[1]), Number(range[2]) + 1) : found.bytes;
            return { Body: body(bytes), VersionId: found.versionId };
        });
        s3.on(PutObjectCommand).callsFake(async (input: { Bucket: string; Key: string; Body: string; ContentType?: string }) => {
            if (input.Bucket !== this.name) throw notFound("NoSuchBucket");
            if (this.failPutsUnder && input.Key.startsWith(this.failPutsUnder))
                throw Object.assign(new Error("Access Denied"), { name: "AccessDenied" });
            this.puts.push({ key: input.Key, text: input.Body, contentType: input.ContentType });
            return { VersionId: this.upload(input.Key, Buffer.from(input.Body, "utf8")) };
        });
    }

    private latest(bucket: string, key: string): StoredObject {
        if (bucket !== this.name) throw notFound("NoSuchBucket");
        const versions = this.objects.get(key);
        if (!versions?.length) throw notFound(key.endsWith("/") ? "NoSuchKey" : "NotFound");
        return versions[versions.length - 1];
    }
}

/** Evaluates `#n0 = :v0 AND attribute_not_exists(#n1)` against a row. */
function holds(
    row: Row | undefined,
    condition: string | undefined,
    names: Record<string, string>,
    values: Record<string, unknown>,
): boolean {
    if (!condition) return true;
    return condition.split(" AND ").every((part) => {
        const absent = /^attribute_not_exists\((#\w+)\)$/.exec(part);
        if (absent) return row === undefined || row[names[absent[1]]] === undefined;
        const equal = /^(#\w+) = (:\w+)$/.exec(part);
        if (!equal) throw new Error(`fake table: condition ${part} is not understood`);
        return row !== undefined && row[names[equal[1]]] === values[equal[2]];
    });
}

export class FakeTable {
    readonly rows = new Map<string, Row>();
    /** Every command, in order: its name and input. */
    readonly calls: { command: string; input: Record<string, any> }[] = [];
    /** Fails the next N UpdateItems whose SET names this state (simulates a DynamoDB outage at that step). */
    failUpdatesTo: { state: string; times: number } | undefined;

    private id(key: unknown, versionId: unknown): string {
        return JSON.stringify([key, versionId]);
    }

    row(key: string, versionId: string): Row | undefined {
        return this.rows.get(this.id(key, versionId));
    }

    install(db: AwsStub<any, any, any>): void {
        db.on(GetCommand).callsFake(async (input) => {
            this.calls.push({ command: "Get", input });
            const row = this.rows.get(this.id(input.Key.key, input.Key.versionId));
            return { Item: row ? structuredClone(row) : undefined };
        });
        db.on(PutCommand).callsFake(async (input) => {
            this.calls.push({ command: "Put", input });
            const id = this.id(input.Item.key, input.Item.versionId);
            if (
                !holds(
                    this.rows.get(id),
                    input.ConditionExpression,
                    input.ExpressionAttributeNames ?? {},
                    input.ExpressionAttributeValues ?? {},
                )
            )
                throw new ConditionalCheckFailedException({ message: "The conditional request failed", $metadata: {} });
            this.rows.set(id, structuredClone(input.Item));
            return {};
        });
        db.on(UpdateCommand).callsFake(async (input) => {
            this.calls.push({ command: "Update", input });
            const id = this.id(input.Key.key, input.Key.versionId);
            const names: Record<string, string> = input.ExpressionAttributeNames ?? {};
            const values: Record<string, unknown> = input.ExpressionAttributeValues ?? {};
            const row = this.rows.get(id);
            const [, sets = "", removes = ""] = /^(?:SET (.*?))?(?: ?REMOVE (.*))?$/.exec(input.UpdateExpression) ?? [];
            const assignments = sets ? sets.split(", ").map((a: string) => a.split(" = ")) : [];
            const target = assignments.find(([n]: string[]) => names[n] === "state");
            if (this.failUpdatesTo && target && values[target[1]] === this.failUpdatesTo.state && this.failUpdatesTo.times > 0) {
                this.failUpdatesTo.times--;
                throw Object.assign(new Error("Service unavailable"), { name: "InternalServerError" });
            }
            if (!holds(row, input.ConditionExpression, names, values))
                throw new ConditionalCheckFailedException({ message: "The conditional request failed", $metadata: {} });
            const next: Row = { ...(row ?? { key: input.Key.key, versionId: input.Key.versionId }) };
            for (const [n, v] of assignments) next[names[n]] = structuredClone(values[v]);
            for (const n of removes ? removes.split(", ") : []) delete next[names[n]];
            this.rows.set(id, next);
            return {};
        });
        db.on(QueryCommand).callsFake(async (input) => {
            this.calls.push({ command: "Query", input });
            if (input.IndexName !== "open") throw new Error(`fake table: no index ${input.IndexName}`);
            const items = [...this.rows.values()]
                .filter((r) => r.open === input.ExpressionAttributeValues[":o"])
                .sort((a, b) => String(a.openSince).localeCompare(String(b.openSince)));
            return { Items: structuredClone(items) };
        });
    }
}

/** All the mocked clients of one test, and the fakes behind them. */
export function fakeAws(bucketName: string, secrets: Record<string, string>) {
    const s3 = mockClient(S3Client);
    const db = mockClient(DynamoDBDocumentClient);
    const sm = mockClient(SecretsManagerClient);
    const cw = mockClient(CloudWatchClient);
    const sqs = mockClient(SQSClient);
    const bucket = new FakeBucket(bucketName);
    const table = new FakeTable();
    bucket.install(s3);
    table.install(db);
    sm.on(GetSecretValueCommand).callsFake(async (input: { SecretId: string }) => {
        if (!(input.SecretId in secrets)) throw notFound("ResourceNotFoundException");
        return { SecretString: secrets[input.SecretId] };
    });
    const metrics: { name: string; value: number; unit: string; dimensions: unknown; namespace: string }[] = [];
    cw.on(PutMetricDataCommand).callsFake(async (input) => {
        for (const d of input.MetricData)
            metrics.push({ name: d.MetricName, value: d.Value, unit: d.Unit, dimensions: d.Dimensions, namespace: input.Namespace });
        return {};
    });
    const visibility: { queueUrl: string; receiptHandle: string; seconds: number }[] = [];
    sqs.on(ChangeMessageVisibilityCommand).callsFake(async (input) => {
        visibility.push({ queueUrl: input.QueueUrl, receiptHandle: input.ReceiptHandle, seconds: input.VisibilityTimeout });
        return {};
    });
    return {
        bucket,
        table,
        metrics,
        visibility,
        clients: {
            s3: new S3Client({ region: "eu-west-2" }),
            db: DynamoDBDocumentClient.from(new DynamoDBClient({ region: "eu-west-2" })),
            secrets: new SecretsManagerClient({ region: "eu-west-2" }),
            cloudwatch: new CloudWatchClient({ region: "eu-west-2" }),
            sqs: new SQSClient({ region: "eu-west-2" }),
        },
        restore() {
            for (const m of [s3, db, sm, cw, sqs]) m.restore();
        },
        mocks: { s3, db, sm, cw, sqs },
    };
}
