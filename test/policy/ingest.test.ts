/** The rules that keep the ingest resources encrypted and logged with retention: a passing case and one change per failing case. */
import * as assert from "assert";
import * as dynamodbPitr from "../../policy/rules/aws-dynamodb-table-require-point-in-time-recovery";
import * as lambdaLogs from "../../policy/rules/aws-lambda-function-require-log-retention";
import * as lambdaSecrets from "../../policy/rules/aws-lambda-function-prohibit-secret-environment";
import * as sqsEncryption from "../../policy/rules/aws-sqs-queue-require-encryption";
import { TAGS } from "./fixtures";
import { runResource, runStack, UNKNOWN, urnOf } from "./harness";

const FUNCTION = "aws:lambda/function:Function";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

describe("aws-sqs-queue-require-encryption", () => {
    const { policy } = sqsEncryption;
    const queue = (props: Record<string, unknown>) => ({
        type: "aws:sqs/queue:Queue",
        name: "ingest-queue",
        props: { name: "am-ingest", tags: TAGS, ...props },
    });
    it("passes SSE-SQS and a KMS key", async () => {
        assert.deepStrictEqual((await runResource(policy, queue({ sqsManagedSseEnabled: true }))).messages, []);
        assert.deepStrictEqual((await runResource(policy, queue({ kmsMasterKeyId: "alias/am-queues" }))).messages, []);
    });
    it("fails neither, and SSE-SQS turned off", async () => {
        assert.deepStrictEqual((await runResource(policy, queue({}))).messages, [
            "sqsManagedSseEnabled is not set and no kmsMasterKeyId is set; set sqsManagedSseEnabled: true (or a KMS key)",
        ]);
        assert.deepStrictEqual((await runResource(policy, queue({ sqsManagedSseEnabled: false, kmsMasterKeyId: "" }))).messages, [
            "sqsManagedSseEnabled is false and no kmsMasterKeyId is set; set sqsManagedSseEnabled: true (or a KMS key)",
        ]);
    });
    it("ignores other types", async () => {
        assert.deepStrictEqual((await runResource(policy, { type: "aws:sqs/queuePolicy:QueuePolicy", name: "p", props: {} })).messages, []);
    });
});

describe("aws-dynamodb-table-require-point-in-time-recovery", () => {
    const { policy } = dynamodbPitr;
    const table = (props: Record<string, unknown>) => ({
        type: "aws:dynamodb/table:Table",
        name: "ingest-table",
        props: { hashKey: "key", tags: TAGS, ...props },
    });
    it("passes PITR on", async () => {
        assert.deepStrictEqual((await runResource(policy, table({ pointInTimeRecovery: { enabled: true } }))).messages, []);
    });
    it("fails PITR off or unset", async () => {
        assert.deepStrictEqual((await runResource(policy, table({ pointInTimeRecovery: { enabled: false } }))).messages, [
            "pointInTimeRecovery.enabled is false; set pointInTimeRecovery: { enabled: true }",
        ]);
        assert.deepStrictEqual((await runResource(policy, table({}))).messages, [
            "pointInTimeRecovery.enabled is not set; set pointInTimeRecovery: { enabled: true }",
        ]);
    });
});

describe("aws-lambda-function-require-log-retention", () => {
    const { policy } = lambdaLogs;
    const group = { type: LOG_GROUP, name: "starter-logs", props: { name: "/aws/lambda/am-starter", retentionInDays: 30, tags: TAGS } };
    const fn = (deps: Record<string, string[]>) => ({
        type: FUNCTION,
        name: "starter-function",
        props: { name: "am-starter", loggingConfig: { logFormat: "Text", logGroup: UNKNOWN.string }, tags: TAGS },
        propertyDependencies: deps,
    });
    it("passes a function whose loggingConfig names a log group of the stack", async () => {
        assert.deepStrictEqual(await runStack(policy, [group, fn({ loggingConfig: [urnOf(LOG_GROUP, "starter-logs")] })]), {
            messages: [],
            urns: [],
        });
    });
    it("fails a function without one, on that function", async () => {
        assert.deepStrictEqual(await runStack(policy, [group, fn({})]), {
            messages: [
                "Lambda function logs to a log group the stack does not create, whose logs never expire; create one with retentionInDays and name it in loggingConfig.logGroup",
            ],
            urns: [urnOf(FUNCTION, "starter-function")],
        });
    });
});

describe("aws-lambda-function-prohibit-secret-environment", () => {
    const { policy } = lambdaSecrets;
    const fn = (variables: Record<string, unknown>) => ({
        type: FUNCTION,
        name: "starter-function",
        props: { environment: { variables }, tags: TAGS },
    });
    it("passes settings and secret ARNs", async () => {
        const variables = {
            DASHBOARD_URL: "http://dashboard.staging.archivematica.internal:8000",
            DASHBOARD_API_KEY_SECRET_ARN: "arn:aws:secretsmanager:eu-west-2:123456789012:secret:am-dashboard-api-key-AbCdEf",
            MAX_PACKAGE_BYTES: "21474836480",
        };
        assert.deepStrictEqual((await runResource(policy, fn(variables))).messages, []);
    });
    it("fails a secret-named value that is not an ARN, and a URL with credentials, without echoing them", async () => {
        assert.deepStrictEqual((await runResource(policy, fn({ DASHBOARD_API_KEY: "0123456789abcdef" }))).messages, [
            "environment sets DASHBOARD_API_KEY to something other than an ARN; keep the secret in Secrets Manager and pass its ARN",
        ]);
        assert.deepStrictEqual((await runResource(policy, fn({ SEARCH: "https://elastic:hunter2@es.example.org:9243" }))).messages, [
            "environment sets SEARCH to a URL with credentials; keep it in Secrets Manager and pass its ARN",
        ]);
    });
});
