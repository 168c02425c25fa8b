/**
 * The ingest table's reads and conditional writes. Every write that moves a row from one state to
 * another is conditional on the state (and, while claimed, on the claim) it expects, so two messages
 * for one object version can never both act: the loser's condition fails and it backs off.
 */
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { OPEN, OPEN_INDEX, type IngestRecord, type RecordState } from "../core/records";

export { OPEN_INDEX };

export interface RowKey {
    key: string;
    versionId: string;
}

interface Update {
    set?: Record<string, unknown>;
    remove?: string[];
    /** Attribute → value it must have (an `=` condition each, ANDed). */
    expect?: Record<string, unknown>;
    /** Attributes that must be absent. */
    absent?: string[];
}

/** The UpdateItem expression for one update; names and values are placeholders (#n0, :v0 …). */
export function updateExpression(update: Update) {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    let n = 0;
    const name = (attr: string) => {
        const placeholder = `#n${n++}`;
        names[placeholder] = attr;
        return placeholder;
    };
    const value = (v: unknown) => {
        const placeholder = `:v${Object.keys(values).length}`;
        values[placeholder] = v;
        return placeholder;
    };
    const sets = Object.entries(update.set ?? {}).map(([a, v]) => `${name(a)} = ${value(v)}`);
    const removes = (update.remove ?? []).map(name);
    const conditions = [
        ...Object.entries(update.expect ?? {}).map(([a, v]) => `${name(a)} = ${value(v)}`),
        ...(update.absent ?? []).map((a) => `attribute_not_exists(${name(a)})`),
    ];
    return {
        UpdateExpression: [sets.length ? `SET ${sets.join(", ")}` : "", removes.length ? `REMOVE ${removes.join(", ")}` : ""]
            .filter(Boolean)
            .join(" "),
        ConditionExpression: conditions.length ? conditions.join(" AND ") : undefined,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: Object.keys(values).length ? values : undefined,
    };
}

export class IngestTable {
    constructor(
        private readonly db: DynamoDBDocumentClient,
        private readonly name: string,
    ) {}

    async get(row: RowKey): Promise<IngestRecord | undefined> {
        const answer = await this.db.send(
            new GetCommand({ TableName: this.name, Key: { key: row.key, versionId: row.versionId }, ConsistentRead: true }),
        );
        return answer.Item as IngestRecord | undefined;
    }

    /** Writes a new row; false when a row for this key and version exists already. */
    async putNew(record: IngestRecord): Promise<boolean> {
        try {
            await this.db.send(
                new PutCommand({
                    TableName: this.name,
                    Item: record,
                    ConditionExpression: "attribute_not_exists(#k)",
                    ExpressionAttributeNames: { "#k": "key" },
                }),
            );
            return true;
        } catch (err) {
            if (err instanceof ConditionalCheckFailedException) return false;
            throw err;
        }
    }

    /** A conditional update; false when the condition did not hold (someone else moved the row). */
    async update(row: RowKey, update: Update): Promise<boolean> {
        try {
            await this.db.send(
                new UpdateCommand({ TableName: this.name, Key: { key: row.key, versionId: row.versionId }, ...updateExpression(update) }),
            );
            return true;
        } catch (err) {
            if (err instanceof ConditionalCheckFailedException) return false;
            throw err;
        }
    }

    /** Moves a row from `from` to `to`, setting fields; a final state leaves the open index. */
    transition(
        row: RowKey,
        from: RecordState,
        to: RecordState,
        set: Record<string, unknown>,
        final: boolean,
        claimId?: string,
    ): Promise<boolean> {
        return this.update(row, {
            set: { ...set, state: to },
            remove: final ? ["open", "openSince"] : [],
            expect: { state: from, ...(claimId ? { claimId } : {}) },
        });
    }

    /** Every unfinished transfer, oldest first (the sparse `open` index). */
    async openRecords(): Promise<IngestRecord[]> {
        const records: IngestRecord[] = [];
        let start: Record<string, unknown> | undefined;
        do {
            const page = await this.db.send(
                new QueryCommand({
                    TableName: this.name,
                    IndexName: OPEN_INDEX,
                    KeyConditionExpression: "#o = :o",
                    ExpressionAttributeNames: { "#o": "open" },
                    ExpressionAttributeValues: { ":o": OPEN },
                    ScanIndexForward: true,
                    ExclusiveStartKey: start,
                }),
            );
            records.push(...((page.Items ?? []) as IngestRecord[]));
            start = page.LastEvaluatedKey;
        } while (start);
        return records;
    }
}
