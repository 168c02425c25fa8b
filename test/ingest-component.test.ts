/**
 * Ingest on the mock runtime, with stand-in apps and file system: the queue and its dead-letter
 * queue, the bucket → EventBridge → queue route and its policy, the table, the two functions (code,
 * settings, network, logging), their roles' exact statements, the queue mapping, the monitor's
 * schedule, the security groups on both sides, the processing-configuration installer, and the
 * one-line argument errors.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { Ingest, IngestArgs } from "../components/app/ingest";
import type { Reachable } from "../components/interfaces";
import type { ProcessingConfigFile } from "../config/processing-configs";
import { bundleFunction } from "../lib/bundle";
import { ingressFrom } from "../lib/security-groups";
import { COMPONENT_TAGS, plan, TestPlan } from "./harness";

const DASH_KEY = "arn:aws:secretsmanager:eu-west-2:123456789012:secret:dashboard-api-key-AbCdEf";
const SS_KEY = "arn:aws:secretsmanager:eu-west-2:123456789012:secret:ss-api-key-GhIjKl";
const DASH_URL = "http://dashboard.test.archivematica.internal:8000";
const SS_URL = "http://storage-service.test.archivematica.internal:8000";
const ACCOUNT = "123456789012";
const QUEUE_ARN = `arn:aws:sqs:eu-west-2:${ACCOUNT}:t-ingest`;
const TABLE_ARN = `arn:aws:dynamodb:eu-west-2:${ACCOUNT}:table/t-ingest`;
const XML = "<processingMCP><preconfiguredChoices/></processingMCP>\n";
const FILE: ProcessingConfigFile = { name: "ocr_only", file: "processing-configs/ocr_only.xml", xml: XML, sha256: "ab".repeat(32) };

/** A stand-in that admits callers the way the apps and SharedStorage do (one rule each, owned by it). */
class FakeReachable extends pulumi.ComponentResource implements Reachable {
    readonly securityGroupId: pulumi.Output<string>;
    readonly arn = "arn:aws:elasticfilesystem:eu-west-2:123456789012:file-system/fs-0123456789abcdef0";
    constructor(
        private readonly n: string,
        sg: string,
        private readonly port: number,
    ) {
        super("test:index:FakeReachable", n);
        this.securityGroupId = pulumi.output(sg);
        this.registerOutputs({});
    }
    allowFrom(sourceName: string, sourceSecurityGroupId: pulumi.Input<string>): void {
        ingressFrom(this, `${this.n}-from-${sourceName}`, {
            securityGroupId: this.securityGroupId,
            sourceSecurityGroupId,
            port: this.port,
            description: `${this.n} from ${sourceName}`,
            tags: COMPONENT_TAGS,
        });
    }
}

function args(overrides: Partial<IngestArgs> = {}): IngestArgs {
    return {
        prefix: "t",
        region: "eu-west-2",
        environment: "test",
        vpcId: "vpc-0a1b2c3d4e5f67890",
        subnetIds: ["subnet-01", "subnet-02"],
        transferBucket: "am-test-transfers",
        aipBucket: "am-test-aips",
        dashboard: { url: DASH_URL, service: new FakeReachable("dash", "sg-0dashboard", 8000) },
        storageService: { url: SS_URL, service: new FakeReachable("ss", "sg-0storage", 8000) },
        adminUsername: "admin",
        dashboardApiKeySecretArn: DASH_KEY,
        storageServiceApiKeySecretArn: SS_KEY,
        processingConfigs: { files: [], names: ["automated", "default"] },
        maxPackageGiB: 20,
        tags: COMPONENT_TAGS,
        ...overrides,
    };
}

const tagsFor = (name: string) => ({ ...COMPONENT_TAGS, Name: name, ArchivematicaComponent: "ingest" });

describe("Ingest (component)", () => {
    let p: TestPlan;
    before(async function () {
        this.timeout(60000);
        p = await plan(() => new Ingest("ing", args()));
    });

    it("the queue (visibility twice the starter's timeout, SSE-SQS) redrives to its dead-letter queue after 8 receives", () => {
        assert.deepStrictEqual(p.named("ing-dead-letters").props, {
            name: "t-ingest-dead-letters",
            messageRetentionSeconds: 1209600,
            sqsManagedSseEnabled: true,
            tags: tagsFor("ing-dead-letters"),
        });
        assert.deepStrictEqual(p.named("ing-queue").props, {
            name: "t-ingest",
            visibilityTimeoutSeconds: 1800,
            messageRetentionSeconds: 345600,
            sqsManagedSseEnabled: true,
            redrivePolicy: JSON.stringify({ deadLetterTargetArn: `${QUEUE_ARN}-dead-letters`, maxReceiveCount: 8 }),
            tags: tagsFor("ing-queue"),
        });
        assert.deepStrictEqual(JSON.parse(p.named("ing-dead-letters-allow").props.redriveAllowPolicy), {
            redrivePermission: "byQueue",
            sourceQueueArns: [QUEUE_ARN],
        });
    });

    it("the bucket sends its events to EventBridge; one rule (not our feedback) to the queue, whose policy admits only that rule", () => {
        assert.deepStrictEqual(p.named("ing-to-eventbridge").props, { bucket: "am-test-transfers", eventbridge: true });
        const rule = p.named("ing-uploads");
        assert.deepStrictEqual(JSON.parse(rule.props.eventPattern), {
            source: ["aws.s3"],
            "detail-type": ["Object Created"],
            detail: { bucket: { name: ["am-test-transfers"] }, object: { key: [{ "anything-but": { prefix: "feedback/" } }] } },
        });
        assert.strictEqual(rule.props.name, "t-ingest-uploads");
        assert.deepStrictEqual(p.named("ing-uploads-to-queue").props, {
            rule: "t-ingest-uploads",
            targetId: "ingest-queue",
            arn: QUEUE_ARN,
        });
        assert.deepStrictEqual(JSON.parse(p.named("ing-queue-policy").props.policy), {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "UploadEventsFromTheRule",
                    Effect: "Allow",
                    Principal: { Service: "events.amazonaws.com" },
                    Action: "sqs:SendMessage",
                    Resource: QUEUE_ARN,
                    Condition: { ArnEquals: { "aws:SourceArn": `arn:aws:events:eu-west-2:${ACCOUNT}:rule/t-ingest-uploads` } },
                },
            ],
        });
    });

    it("the table: key + versionId, the sparse open index, TTL, PITR, encrypted, on demand", () => {
        assert.deepStrictEqual(p.named("ing-table").props, {
            name: "t-ingest",
            billingMode: "PAY_PER_REQUEST",
            hashKey: "key",
            rangeKey: "versionId",
            attributes: [
                { name: "key", type: "S" },
                { name: "versionId", type: "S" },
                { name: "open", type: "S" },
                { name: "openSince", type: "S" },
            ],
            globalSecondaryIndexes: [{ name: "open", hashKey: "open", rangeKey: "openSince", projectionType: "ALL" }],
            ttl: { attributeName: "expiresAt", enabled: true },
            pointInTimeRecovery: { enabled: true },
            serverSideEncryption: { enabled: true },
            deletionProtectionEnabled: false,
            tags: tagsFor("ing-table"),
        });
    });

    const COMMON_ENV = {
        INGEST_TABLE: "t-ingest",
        TRANSFER_BUCKET: "am-test-transfers",
        DASHBOARD_URL: DASH_URL,
        STORAGE_SERVICE_URL: SS_URL,
        API_USERNAME: "admin",
        DASHBOARD_API_KEY_SECRET_ARN: DASH_KEY,
        STORAGE_SERVICE_API_KEY_SECRET_ARN: SS_KEY,
        ENVIRONMENT: "test",
        PROCESSING_CONFIGS: "automated,default",
    };

    for (const [which, entry, env, sizes] of [
        [
            "starter",
            "functions/ingest/starter.ts",
            { ...COMMON_ENV, MAX_PACKAGE_BYTES: String(20 * 2 ** 30), CLAIM_SECONDS: "960" },
            [1024, 900, undefined],
        ],
        [
            "monitor",
            "functions/ingest/monitor.ts",
            { ...COMMON_ENV, AIP_BUCKET: "am-test-aips", START_GRACE_MINUTES: "30", START_GRACE_PER_GIB_MINUTES: "1", FOLLOW_LIMIT: "200" },
            [256, 300, undefined],
        ],
    ] as const) {
        it(`${which}: the bundled code, Node.js 22 on arm64 in the private subnets, its settings (no secrets), its own log group`, () => {
            const fn = p.named(`ing-${which}-function`);
            const { code, tags, ...rest } = fn.props;
            const bundle = bundleFunction(entry);
            assert.deepStrictEqual(rest, {
                name: `t-ingest-${which}`,
                description: rest.description,
                runtime: "nodejs22.x",
                architectures: ["arm64"],
                handler: "index.handler",
                memorySize: sizes[0],
                timeout: sizes[1],
                ...(sizes[2] !== undefined ? { reservedConcurrentExecutions: sizes[2] } : {}),
                role: `arn:aws:iam::${ACCOUNT}:role/ing-${which}-role`,
                environment: { variables: env },
                vpcConfig: { subnetIds: ["subnet-01", "subnet-02"], securityGroupIds: [p.named("ing-functions-sg").id] },
                loggingConfig: { logFormat: "Text", logGroup: `/aws/lambda/t-ingest-${which}` },
            });
            assert.deepStrictEqual(tags, { ...tagsFor(`ing-${which}-function`), CodeSha256: bundle.sha256.slice(0, 16) });
            assert.strictEqual(
                JSON.stringify(code).includes(JSON.stringify(bundle.code).slice(1, 200)),
                true,
                "the archive holds the bundle",
            );
            assert.deepStrictEqual(p.named(`ing-${which}-logs`).props, {
                name: `/aws/lambda/t-ingest-${which}`,
                retentionInDays: 30,
                tags: tagsFor(`ing-${which}-logs`),
            });
            assert.deepStrictEqual(JSON.parse(p.named(`ing-${which}-role`).props.assumeRolePolicy), {
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Service: "lambda.amazonaws.com" },
                        Action: "sts:AssumeRole",
                        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
                    },
                ],
            });
        });
    }

    const BASE_STATEMENTS = (which: string) => [
        {
            Sid: "WriteOwnLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: `arn:aws:logs:eu-west-2:${ACCOUNT}:log-group:/aws/lambda/t-ingest-${which}:*`,
        },
        {
            Sid: "ManageVpcInterfaces",
            Effect: "Allow",
            Action: [
                "ec2:AssignPrivateIpAddresses",
                "ec2:CreateNetworkInterface",
                "ec2:DeleteNetworkInterface",
                "ec2:DescribeNetworkInterfaces",
                "ec2:UnassignPrivateIpAddresses",
            ],
            Resource: "*",
        },
    ];
    const METRICS = {
        Sid: "PublishOwnMetrics",
        Effect: "Allow",
        Action: ["cloudwatch:PutMetricData"],
        Resource: "*",
        Condition: { StringEquals: { "cloudwatch:namespace": "Archivematica/Ingest" } },
    };
    const KEYS = { Sid: "ReadApiKeys", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [DASH_KEY, SS_KEY] };

    it("starter role: reads only the configurations' prefixes, lists only them and feedback/, writes only feedback/, its rows, the two keys, the queue, its metrics", () => {
        assert.deepStrictEqual(JSON.parse(p.named("ing-starter-role-policy").props.policy).Statement, [
            ...BASE_STATEMENTS("starter"),
            {
                Sid: "ReadUploads",
                Effect: "Allow",
                Action: ["s3:GetObject", "s3:GetObjectVersion"],
                Resource: ["arn:aws:s3:::am-test-transfers/automated/*", "arn:aws:s3:::am-test-transfers/default/*"],
            },
            {
                Sid: "ListTransferBucket",
                Effect: "Allow",
                Action: ["s3:ListBucket"],
                Resource: "arn:aws:s3:::am-test-transfers",
                // Only the keys it may read while missing (a 404, not a 403): uploads and its feedback.
                Condition: { StringLike: { "s3:prefix": ["automated/*", "default/*", "feedback/*"] } },
            },
            {
                Sid: "WriteFeedback",
                Effect: "Allow",
                Action: ["s3:GetObject", "s3:PutObject"],
                Resource: "arn:aws:s3:::am-test-transfers/feedback/*",
            },
            {
                Sid: "OwnRows",
                Effect: "Allow",
                Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
                Resource: TABLE_ARN,
            },
            KEYS,
            {
                Sid: "TakeUploadEvents",
                Effect: "Allow",
                Action: ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"],
                Resource: QUEUE_ARN,
            },
            METRICS,
        ]);
    });

    it("monitor role: the open index, row updates, feedback/ writes, the two keys, its metrics", () => {
        assert.deepStrictEqual(JSON.parse(p.named("ing-monitor-role-policy").props.policy).Statement, [
            ...BASE_STATEMENTS("monitor"),
            { Sid: "FindOpenTransfers", Effect: "Allow", Action: ["dynamodb:Query"], Resource: `${TABLE_ARN}/index/open` },
            { Sid: "UpdateRows", Effect: "Allow", Action: ["dynamodb:UpdateItem"], Resource: TABLE_ARN },
            { Sid: "WriteFeedback", Effect: "Allow", Action: ["s3:PutObject"], Resource: "arn:aws:s3:::am-test-transfers/feedback/*" },
            KEYS,
            METRICS,
        ]);
    });

    it("the starter takes one message at a time from the queue, two at once at most, reporting partial failures", () => {
        assert.deepStrictEqual(p.named("ing-starter-from-queue").props, {
            eventSourceArn: QUEUE_ARN,
            functionName: `arn:aws:lambda:eu-west-2:${ACCOUNT}:function:t-ingest-starter`,
            batchSize: 1,
            functionResponseTypes: ["ReportBatchItemFailures"],
            scalingConfig: { maximumConcurrency: 2 },
            tags: { ...COMPONENT_TAGS, Name: "ing-starter-from-queue" },
        });
    });

    it("the monitor runs every 5 minutes from EventBridge Scheduler, whose role may invoke only it", () => {
        const monitorArn = `arn:aws:lambda:eu-west-2:${ACCOUNT}:function:t-ingest-monitor`;
        assert.deepStrictEqual(p.named("ing-monitor-schedule").props, {
            name: "t-ingest-monitor",
            description: "Runs the Archivematica ingest monitor",
            scheduleExpression: "rate(5 minutes)",
            scheduleExpressionTimezone: "UTC",
            flexibleTimeWindow: { mode: "OFF" },
            state: "ENABLED",
            target: {
                arn: monitorArn,
                roleArn: `arn:aws:iam::${ACCOUNT}:role/ing-monitor-scheduler`,
                input: "{}",
                retryPolicy: { maximumRetryAttempts: 0 },
            },
        });
        assert.deepStrictEqual(JSON.parse(p.named("ing-monitor-scheduler-policy").props.policy), {
            Version: "2012-10-17",
            Statement: [{ Sid: "RunIngestMonitor", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: monitorArn }],
        });
    });

    it("the functions' group reaches the two apps on 8000 and HTTPS; each app admits it with its own rule", () => {
        const sg = p.named("ing-functions-sg");
        const egress = (target: string, port: number, to: Record<string, unknown>) => ({
            securityGroupId: sg.id,
            ...to,
            ipProtocol: "tcp",
            fromPort: port,
            toPort: port,
            description: `ing-functions to ${target}`,
            tags: { ...COMPONENT_TAGS, Name: `ing-functions-to-${target}` },
        });
        assert.deepStrictEqual(
            p.named("ing-functions-to-dashboard").props,
            egress("dashboard", 8000, { referencedSecurityGroupId: "sg-0dashboard" }),
        );
        assert.deepStrictEqual(
            p.named("ing-functions-to-storage-service").props,
            egress("storage-service", 8000, { referencedSecurityGroupId: "sg-0storage" }),
        );
        assert.deepStrictEqual(p.named("ing-functions-to-https").props, egress("https", 443, { cidrIpv4: "0.0.0.0/0" }));
        assert.deepStrictEqual(
            p.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map((r) => [r.name, r.props.referencedSecurityGroupId]),
            [
                ["dash-from-ing-functions", sg.id],
                ["ss-from-ing-functions", sg.id],
            ],
        );
    });

    it("ships no installer when processing-configs/ holds no file", () => {
        assert.deepStrictEqual(p.ofType("aws:lambda/invocation:Invocation"), []);
        assert.deepStrictEqual(
            p
                .ofType("aws:lambda/function:Function")
                .map((f) => f.name)
                .sort(),
            ["ing-monitor-function", "ing-starter-function"],
        );
    });

    it("with files: an installer with the shared directory mounted, NFS only, invoked with every file and its hash", async () => {
        const withFiles = await plan(() => {
            const efs = new FakeReachable("efs", "sg-0efs", 2049);
            return new Ingest(
                "ing",
                args({
                    processingConfigs: { files: [FILE], names: ["automated", "default", "ocr_only"] },
                    sharedDirectory: {
                        fileSystem: efs,
                        accessPoint: { arn: "arn:aws:elasticfilesystem:eu-west-2:123456789012:access-point/fsap-0shared" },
                        mountTargets: [],
                    },
                }),
            );
        });
        const installer = withFiles.named("ing-configs-function").props;
        assert.deepStrictEqual(installer.fileSystemConfig, {
            arn: "arn:aws:elasticfilesystem:eu-west-2:123456789012:access-point/fsap-0shared",
            localMountPath: "/mnt/shared",
        });
        assert.deepStrictEqual(installer.environment, { variables: { SHARED_DIRECTORY_MOUNT: "/mnt/shared" } });
        assert.strictEqual(installer.reservedConcurrentExecutions, undefined);
        assert.deepStrictEqual(JSON.parse(withFiles.named("ing-configs-role-policy").props.policy).Statement.slice(2), [
            {
                Sid: "MountSharedDirectory",
                Effect: "Allow",
                Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
                Resource: "arn:aws:elasticfilesystem:eu-west-2:123456789012:file-system/fs-0123456789abcdef0",
                Condition: {
                    StringEquals: {
                        "elasticfilesystem:AccessPointArn": "arn:aws:elasticfilesystem:eu-west-2:123456789012:access-point/fsap-0shared",
                    },
                },
            },
        ]);
        assert.deepStrictEqual(
            withFiles
                .ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
                .filter((r) => r.name.startsWith("ing-configs"))
                .map((r) => [r.name, r.props.fromPort, r.props.referencedSecurityGroupId]),
            [["ing-configs-to-efs", 2049, "sg-0efs"]],
        );
        assert.strictEqual(withFiles.named("efs-from-ing-configs").props.referencedSecurityGroupId, withFiles.named("ing-configs-sg").id);
        assert.deepStrictEqual(withFiles.named("ing-configs-install").props, {
            functionName: "t-ingest-configs",
            input: JSON.stringify({ configs: [{ name: "ocr_only", xml: XML, sha256: "ab".repeat(32) }] }),
        });
        assert.deepStrictEqual(JSON.parse(withFiles.named("ing-starter-role-policy").props.policy).Statement[2].Resource, [
            "arn:aws:s3:::am-test-transfers/automated/*",
            "arn:aws:s3:::am-test-transfers/default/*",
            "arn:aws:s3:::am-test-transfers/ocr_only/*",
        ]);
    });

    const errors: [string, Partial<IngestArgs>, string][] = [
        [
            "prefix",
            { prefix: "my stack" },
            'Ingest "bad": prefix "my stack" cannot start the resource names; valid: 1-40 letters, digits, - or _',
        ],
        ["no subnets", { subnetIds: [] }, 'Ingest "bad": subnetIds is empty; valid: one or more private subnet ids'],
        [
            "a URL with a path",
            { dashboard: { url: "http://dashboard:8000/api", service: undefined as unknown as Reachable } },
            'Ingest "bad": dashboard.url "http://dashboard:8000/api" is not a base URL; valid: http(s)://<host>[:<port>] without a path',
        ],
        [
            "a reserved configuration",
            { processingConfigs: { files: [], names: ["automated", "feedback"] } },
            'Ingest "bad": processingConfigs.names holds feedback; valid: processing configuration names other than feedback and transfers',
        ],
        [
            "files without a shared directory",
            { processingConfigs: { files: [FILE], names: ["automated", "default", "ocr_only"] } },
            'Ingest "bad": sharedDirectory is missing but there are processing configurations to install; valid: the shared directory\'s file system, access point and mount targets',
        ],
        [
            "a monitor rate in hours",
            { monitorSchedule: "rate(1 hour)" },
            'Ingest "bad": monitorSchedule "rate(1 hour)" is not a rate in minutes; valid: rate(1 minute) or rate(<2-60> minutes)',
        ],
        [
            "a short grace",
            { startGraceMinutes: 1 },
            'Ingest "bad": startGraceMinutes 1 is out of range; valid: a whole number from 5 to 1440',
        ],
    ];
    for (const [what, overrides, message] of errors) {
        it(`refuses ${what} before anything is registered`, async () => {
            const run = await plan(() => {
                assert.throws(() => new Ingest("bad", args(overrides)), { message });
            });
            assert.deepStrictEqual(
                run.resources.filter((r) => r.name.startsWith("bad")),
                [],
            );
        });
    }
});
