/**
 * SmokeTest on the mock runtime: exact inputs of every child (task definition, roles and policies,
 * security-group rules on both sides, schedule), the run command's exact text and its behaviour
 * against a fake `aws` CLI, and one-line argument errors before any child registers.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type { Reachable } from "../components/interfaces";
import { ingressFrom } from "../lib/security-groups";
import { SMOKE_TRANSFER_SCRIPT, SmokeTest, SmokeTestArgs } from "../components/app/smoke-test";
import { COMPONENT_TAGS, plan, TestPlan } from "./harness";

const CLUSTER = "arn:aws:ecs:eu-west-2:123456789012:cluster/c1";
const SS_KEY = "arn:aws:secretsmanager:eu-west-2:123456789012:secret:ss-api-key-GhIjKl";
const KMS = "arn:aws:kms:eu-west-2:123456789012:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
const IMAGE = "artefactual/archivematica-storage-service:0.24.0";
const SS_URL = "http://storage-service.test.archivematica.internal:8000";

/** A stand-in app that admits callers the way ArchivematicaService does (one rule, named and parented by the app). */
class FakeApp extends pulumi.ComponentResource implements Reachable {
    readonly securityGroupId: pulumi.Output<string>;
    constructor(
        private readonly appName: string,
        sg: string,
        private readonly port: number,
    ) {
        super("test:index:FakeApp", appName);
        this.securityGroupId = pulumi.output(sg);
        this.registerOutputs({});
    }
    allowFrom(sourceName: string, sourceSecurityGroupId: pulumi.Input<string>): void {
        ingressFrom(this, `${this.appName}-from-${sourceName}`, {
            securityGroupId: this.securityGroupId,
            sourceSecurityGroupId,
            port: this.port,
            description: `${this.appName} ${this.port} from ${sourceName}`,
            tags: COMPONENT_TAGS,
        });
    }
}

function args(overrides: Partial<SmokeTestArgs> = {}): SmokeTestArgs {
    return {
        prefix: "test",
        clusterArn: CLUSTER,
        vpcId: "vpc-0a1b2c3d4e5f67890",
        subnetIds: ["subnet-01", pulumi.output("subnet-02")],
        region: "eu-west-2",
        image: IMAGE,
        storageService: { url: SS_URL, service: new FakeApp("ss", "sg-0storage", 8000) },
        adminUsername: "admin",
        storageServiceApiKeySecretArn: pulumi.output(SS_KEY),
        transferBucket: "am-test-transfers",
        aipBucket: pulumi.output("am-test-aips"),
        ingest: { startGraceMinutes: 30, monitorMinutes: 5 },
        tags: COMPONENT_TAGS,
        ...overrides,
    };
}

/** Plans one SmokeTest named `smoke` (the apps are created inside the program: resources need a running stack). */
function planSmoke(overrides: () => Partial<SmokeTestArgs> = () => ({})): Promise<TestPlan> {
    return plan(() => new SmokeTest("smoke", args(overrides())));
}

const tagsFor = (name: string, component = true) => ({
    ...COMPONENT_TAGS,
    Name: name,
    ...(component ? { ArchivematicaComponent: "smoke-test" } : {}),
});
const ECS_TRUST = {
    Version: "2012-10-17",
    Statement: [
        {
            Effect: "Allow",
            Principal: { Service: "ecs-tasks.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
        },
    ],
};
const TD_ARN = "arn:aws:ecs:eu-west-2:123456789012:task-definition/smoke-task-definition:1";
const ROLE = (n: string) => `arn:aws:iam::123456789012:role/smoke-${n}`;

describe("SmokeTest", () => {
    let p: TestPlan;
    before(async () => {
        p = await planSmoke();
    });

    it("task definition: its own Fargate family, awsvpc, the two task roles, 256/512", () => {
        const { containerDefinitions, ...rest } = p.named("smoke-task-definition").props;
        assert.deepStrictEqual(rest, {
            family: "test-smoke-test",
            networkMode: "awsvpc",
            requiresCompatibilities: ["FARGATE"],
            runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
            cpu: "256",
            memory: "512",
            taskRoleArn: ROLE("task"),
            executionRoleArn: ROLE("execution"),
            tags: tagsFor("smoke-task-definition"),
        });
        assert.strictEqual(typeof containerDefinitions, "string");
    });

    it("one essential container: python3 -c <the script>, uid 1000, read-only root, SMOKE_* environment, keys as secrets", () => {
        const defs = JSON.parse(p.named("smoke-task-definition").props.containerDefinitions);
        assert.deepStrictEqual(defs, [
            {
                name: "smoke-test",
                image: IMAGE,
                essential: true,
                user: "1000:1000",
                entryPoint: ["python3", "-c"],
                command: [fs.readFileSync(path.join(__dirname, "..", "bootstrap", "smoke_transfer.py"), "utf8").replace(/\n$/, "")],
                environment: [
                    { name: "SMOKE_AIP_BUCKET", value: "am-test-aips" },
                    // The monitor's worst case for a transfer that never started, from the upload: 60 s delivery
                    // + 900 s starter + (30 + 1) min grace + 5 min interval + 300 s monitor run = 3420 s;
                    // floor(3420 / 10) + 2 = 344 polls, the last at 3430 s.
                    { name: "SMOKE_POLL_ATTEMPTS", value: "344" },
                    { name: "SMOKE_POLL_SECONDS", value: "10" },
                    { name: "SMOKE_PROCESSING_CONFIG", value: "automated" },
                    { name: "SMOKE_SS_URL", value: SS_URL },
                    { name: "SMOKE_TRANSFER_BUCKET", value: "am-test-transfers" },
                    { name: "SMOKE_USERNAME", value: "admin" },
                ],
                secrets: [{ name: "SMOKE_SS_API_KEY", valueFrom: SS_KEY }],
                readonlyRootFilesystem: true,
                logConfiguration: {
                    logDriver: "awslogs",
                    options: {
                        "awslogs-group": "/ecs/test-smoke-test",
                        "awslogs-region": "eu-west-2",
                        "awslogs-stream-prefix": "smoke-test",
                    },
                },
            },
        ]);
    });

    it("the environment names exactly the variables smoke_transfer.py reads (its optional transfer name left to the script)", () => {
        const read = [...new Set([...SMOKE_TRANSFER_SCRIPT.matchAll(/env(?:_match)?\("(SMOKE_[A-Z_]+)"/g)].map((m) => m[1]))].sort();
        const def = JSON.parse(p.named("smoke-task-definition").props.containerDefinitions)[0];
        const set = [...def.environment, ...def.secrets].map((v: { name: string }) => v.name).sort();
        assert.deepStrictEqual(
            set,
            read.filter((n) => n !== "SMOKE_TRANSFER_NAME"),
        );
        assert.ok(read.includes("SMOKE_TRANSFER_NAME"));
    });

    it("the task definition stays far below ECS's 64 KiB limit", () => {
        assert.ok(Buffer.byteLength(p.named("smoke-task-definition").props.containerDefinitions) < 32 * 1024);
    });

    it("log group: /ecs/<family>, with the retention", () => {
        assert.deepStrictEqual(p.named("smoke-logs").props, {
            name: "/ecs/test-smoke-test",
            retentionInDays: 30,
            tags: tagsFor("smoke-logs"),
        });
    });

    it("task role: drop its package under automated/smoke-*, read only its feedback, list the bucket; nothing else", () => {
        assert.deepStrictEqual(JSON.parse(p.named("smoke-task").props.assumeRolePolicy), ECS_TRUST);
        assert.deepStrictEqual(JSON.parse(p.named("smoke-task-policy").props.policy), {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "DropSamplePackage",
                    Effect: "Allow",
                    Action: ["s3:PutObject"],
                    Resource: "arn:aws:s3:::am-test-transfers/automated/smoke-*",
                },
                {
                    Sid: "ReadItsFeedback",
                    Effect: "Allow",
                    Action: ["s3:GetObject"],
                    Resource: "arn:aws:s3:::am-test-transfers/feedback/automated/smoke-*",
                },
                {
                    Sid: "ListItsFeedback",
                    Effect: "Allow",
                    Action: ["s3:ListBucket"],
                    Resource: "arn:aws:s3:::am-test-transfers",
                    Condition: { StringLike: { "s3:prefix": "feedback/automated/smoke-*" } },
                },
            ],
        });
        assert.deepStrictEqual(p.named("smoke-task").props.tags, tagsFor("smoke-task"));
    });

    it("task role with an SSE-KMS transfer bucket: GenerateDataKey on that key only", async () => {
        const kms = await planSmoke(() => ({ transferBucketKmsKeyArn: KMS }));
        assert.deepStrictEqual(JSON.parse(kms.named("smoke-task-policy").props.policy).Statement[3], {
            Sid: "EncryptSample",
            Effect: "Allow",
            Action: ["kms:GenerateDataKey"],
            Resource: KMS,
        });
    });

    it("execution role: its log group and its one secret; image-pull statements only when given", async () => {
        assert.deepStrictEqual(JSON.parse(p.named("smoke-execution").props.assumeRolePolicy), ECS_TRUST);
        const statements = [
            {
                Sid: "WriteOwnLogs",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: "arn:aws:logs:eu-west-2:123456789012:log-group:/ecs/test-smoke-test:*",
            },
            { Sid: "ReadOwnSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [SS_KEY] },
        ];
        assert.deepStrictEqual(JSON.parse(p.named("smoke-execution-policy").props.policy), {
            Version: "2012-10-17",
            Statement: statements,
        });
        const pull = { Sid: "EcrAuthorization", Effect: "Allow" as const, Action: ["ecr:GetAuthorizationToken"], Resource: "*" };
        const withPull = await planSmoke(() => ({ imagePullStatements: pulumi.output([pull]) }));
        assert.deepStrictEqual(JSON.parse(withPull.named("smoke-execution-policy").props.policy).Statement, [...statements, pull]);
    });

    it("security group: no ingress; egress to the Storage Service group on 8000 and HTTPS out (no dashboard: the ingest functions start the transfer)", () => {
        const sg = p.named("smoke-sg");
        assert.deepStrictEqual(sg.props, {
            vpcId: "vpc-0a1b2c3d4e5f67890",
            description: "Archivematica smoke-test task",
            revokeRulesOnDelete: true,
            tags: tagsFor("smoke-sg"),
        });
        const egress = (target: string, to: Record<string, unknown>, port: number) => ({
            securityGroupId: sg.id,
            ...to,
            ipProtocol: "tcp",
            fromPort: port,
            toPort: port,
            description: `smoke-test to ${target}`,
            tags: tagsFor(`smoke-to-${target}`, false),
        });
        assert.deepStrictEqual(
            p.named("smoke-to-storage-service").props,
            egress("storage-service", { referencedSecurityGroupId: "sg-0storage" }, 8000),
        );
        assert.deepStrictEqual(p.named("smoke-to-https").props, egress("https", { cidrIpv4: "0.0.0.0/0" }, 443));
        assert.strictEqual(p.ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").length, 2);
    });

    it("the Storage Service admits the task's group on its port, with a rule it owns", () => {
        const sgId = p.named("smoke-sg").id;
        const ingress = p.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
        assert.deepStrictEqual(
            ingress.map((r) => r.name),
            ["ss-from-smoke"],
        );
        assert.deepStrictEqual(p.named("ss-from-smoke").props, {
            securityGroupId: "sg-0storage",
            referencedSecurityGroupId: sgId,
            ipProtocol: "tcp",
            fromPort: 8000,
            toPort: 8000,
            description: "ss 8000 from smoke",
            tags: { ...COMPONENT_TAGS, Name: "ss-from-smoke" },
        });
        assert.strictEqual(p.named("ss-from-smoke").parent, p.named("ss").urn);
    });

    it("schedule: daily by default, exact time, the cluster's Fargate in private subnets, never retried", () => {
        assert.deepStrictEqual(p.named("smoke-schedule").props, {
            name: "test-smoke-test",
            description: "Runs the Archivematica smoke transfer",
            scheduleExpression: "rate(1 day)",
            scheduleExpressionTimezone: "UTC",
            flexibleTimeWindow: { mode: "OFF" },
            state: "ENABLED",
            target: {
                arn: CLUSTER,
                roleArn: ROLE("scheduler"),
                ecsParameters: {
                    taskDefinitionArn: TD_ARN,
                    launchType: "FARGATE",
                    taskCount: 1,
                    networkConfiguration: {
                        subnets: ["subnet-01", "subnet-02"],
                        securityGroups: [p.named("smoke-sg").id],
                        assignPublicIp: false,
                    },
                },
                retryPolicy: { maximumRetryAttempts: 0 },
            },
        });
    });

    it("scheduler role: trusted by Scheduler's default group of this account; RunTask on this family in this cluster; PassRole on the two roles", () => {
        assert.deepStrictEqual(JSON.parse(p.named("smoke-scheduler").props.assumeRolePolicy), {
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Principal: { Service: "scheduler.amazonaws.com" },
                    Action: "sts:AssumeRole",
                    Condition: {
                        StringEquals: {
                            "aws:SourceAccount": "123456789012",
                            "aws:SourceArn": "arn:aws:scheduler:eu-west-2:123456789012:schedule-group/default",
                        },
                    },
                },
            ],
        });
        assert.deepStrictEqual(JSON.parse(p.named("smoke-scheduler-policy").props.policy), {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "RunSmokeTest",
                    Effect: "Allow",
                    Action: ["ecs:RunTask"],
                    Resource: "arn:aws:ecs:eu-west-2:123456789012:task-definition/smoke-task-definition:*",
                    Condition: { ArnEquals: { "ecs:cluster": CLUSTER } },
                },
                {
                    Sid: "PassSmokeTestRoles",
                    Effect: "Allow",
                    Action: ["iam:PassRole"],
                    Resource: [ROLE("task"), ROLE("execution")],
                    Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
                },
            ],
        });
        assert.deepStrictEqual(p.named("smoke-scheduler").props.tags, tagsFor("smoke-scheduler"));
    });

    it("a cron schedule and other options pass through", async () => {
        const q = await planSmoke(() => ({
            scheduleExpression: "cron(30 4 * * ? *)",
            ingest: { startGraceMinutes: 10, monitorMinutes: 2 },
            pollSeconds: 30,
            processingConfig: "default",
            cpu: 512,
            memory: 1024,
            logRetentionDays: 14,
            user: "1001:1001",
        }));
        assert.strictEqual(q.named("smoke-schedule").props.scheduleExpression, "cron(30 4 * * ? *)");
        const td = q.named("smoke-task-definition").props;
        assert.deepStrictEqual([td.cpu, td.memory], ["512", "1024"]);
        const def = JSON.parse(td.containerDefinitions)[0];
        assert.strictEqual(def.user, "1001:1001");
        assert.deepStrictEqual(
            def.environment.filter((e: { name: string }) => /POLL|PROCESSING/.test(e.name)),
            [
                // 60 + 900 + (10 + 1) × 60 + 2 × 60 + 300 = 2040 s: floor(2040 / 30) + 2 = 70 polls.
                { name: "SMOKE_POLL_ATTEMPTS", value: "70" },
                { name: "SMOKE_POLL_SECONDS", value: "30" },
                { name: "SMOKE_PROCESSING_CONFIG", value: "default" },
            ],
        );
        assert.strictEqual(q.named("smoke-logs").props.retentionInDays, 14);
    });

    it("every child is named smoke-…, parented to the component and tagged when taggable; outputs registered", () => {
        const component = p.named("smoke");
        assert.strictEqual(component.type, "archivematica:index:SmokeTest");
        const own = p.resources.filter((r) => r.parent === component.urn);
        assert.deepStrictEqual(own.map((r) => r.name).sort(), [
            "smoke-execution",
            "smoke-execution-policy",
            "smoke-logs",
            "smoke-schedule",
            "smoke-scheduler",
            "smoke-scheduler-policy",
            "smoke-sg",
            "smoke-task",
            "smoke-task-definition",
            "smoke-task-policy",
            "smoke-to-https",
            "smoke-to-storage-service",
        ]);
        // Inline role policies and schedules take no tags in the provider; everything else carries them.
        const untaggable = ["aws:iam/rolePolicy:RolePolicy", "aws:scheduler/schedule:Schedule"];
        for (const r of own.filter((x) => !untaggable.includes(x.type))) {
            assert.deepStrictEqual(r.props.tags, tagsFor(r.name, !r.type.startsWith("aws:vpc/")), r.name);
        }
        assert.deepStrictEqual(Object.keys(component.outputs ?? {}).sort(), [
            "logGroupName",
            "runCommand",
            "scheduleName",
            "securityGroupId",
            "taskDefinitionArn",
            "taskDefinitionFamily",
        ]);
    });

    describe("runCommand", () => {
        const sg = () => p.named("smoke-sg").id;
        const command = () => p.named("smoke").outputs!.runCommand as string;
        const ecs = "aws ecs --region eu-west-2";

        it("is exactly: run-task, up to 7 bounded waits (budget 344 × 10 s + 600 s start), the exit code as one line", () => {
            assert.strictEqual(
                command(),
                `(TASK=$(${ecs} run-task --cluster ${CLUSTER} --task-definition test-smoke-test --launch-type FARGATE --started-by smoke-test ` +
                    `--network-configuration 'awsvpcConfiguration={subnets=[subnet-01,subnet-02],securityGroups=[${sg()}],assignPublicIp=DISABLED}' ` +
                    `--query 'tasks[0].taskArn' --output text) && [ -n "$TASK" ] && [ "$TASK" != None ] || { echo 'smoke test: run-task started no task' >&2; exit 1; }; ` +
                    `echo "smoke test: started $TASK, logs in /ecs/test-smoke-test"; ` +
                    `for i in 1 2 3 4 5 6 7; do ${ecs} wait tasks-stopped --cluster ${CLUSTER} --tasks "$TASK" && break; done; ` +
                    `CODE=$(${ecs} describe-tasks --cluster ${CLUSTER} --tasks "$TASK" --query 'tasks[0].containers[0].exitCode' --output text); ` +
                    `case "$CODE" in 0) RESULT='passed, the AIP is stored';; 1) RESULT='FAILED: refused, failed, sent to backlog or waiting for a decision (the feedback says why), or the AIP is missing';; ` +
                    `2) RESULT='FAILED: bad task configuration';; 3) RESULT='FAILED: timed out (no feedback: see the ingest starter; started: see the ingest monitor)';; 4) RESULT='FAILED: S3 or the Storage Service refused a request or could not be reached';; ` +
                    `*) RESULT='FAILED: the task did not finish or its container never ran';; esac; echo "smoke test: exit code $CODE, $RESULT"; [ "$CODE" = 0 ])`,
            );
        });

        /** Runs the command with a fake `aws` first on PATH that logs its arguments and answers from the environment. */
        function runWithFakeAws(
            shell: string,
            fake: { task: string; waitOk: boolean; exitCode: string },
        ): { status: number | null; stdout: string; stderr: string; calls: string[] } {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "smoke-aws-"));
            try {
                const log = path.join(dir, "calls.log");
                fs.writeFileSync(
                    path.join(dir, "aws"),
                    '#!/bin/sh\necho "$*" >> "$AWS_LOG"\ncase "$4" in\n  run-task) echo "$FAKE_TASK" ;;\n  wait) [ "$FAKE_WAIT" = ok ] ;;\n  describe-tasks) echo "$FAKE_EXIT" ;;\nesac\n',
                    { mode: 0o755 },
                );
                const run = spawnSync(shell, ["-c", command()], {
                    encoding: "utf8",
                    timeout: 30_000,
                    env: {
                        PATH: `${dir}:${process.env.PATH}`,
                        AWS_LOG: log,
                        FAKE_TASK: fake.task,
                        FAKE_WAIT: fake.waitOk ? "ok" : "no",
                        FAKE_EXIT: fake.exitCode,
                    },
                });
                const calls = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [];
                return { status: run.status, stdout: run.stdout, stderr: run.stderr, calls };
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        }
        const TASK = "arn:aws:ecs:eu-west-2:123456789012:task/c1/0123456789abcdef0123456789abcdef";

        for (const shell of ["sh", "bash"]) {
            it(`${shell}: exit code 0 → one started line, one result line, status 0; the exact aws calls`, () => {
                const run = runWithFakeAws(shell, { task: TASK, waitOk: true, exitCode: "0" });
                assert.strictEqual(run.status, 0, run.stderr);
                assert.strictEqual(
                    run.stdout,
                    `smoke test: started ${TASK}, logs in /ecs/test-smoke-test\nsmoke test: exit code 0, passed, the AIP is stored\n`,
                );
                assert.deepStrictEqual(run.calls, [
                    `ecs --region eu-west-2 run-task --cluster ${CLUSTER} --task-definition test-smoke-test --launch-type FARGATE --started-by smoke-test --network-configuration awsvpcConfiguration={subnets=[subnet-01,subnet-02],securityGroups=[${sg()}],assignPublicIp=DISABLED} --query tasks[0].taskArn --output text`,
                    `ecs --region eu-west-2 wait tasks-stopped --cluster ${CLUSTER} --tasks ${TASK}`,
                    `ecs --region eu-west-2 describe-tasks --cluster ${CLUSTER} --tasks ${TASK} --query tasks[0].containers[0].exitCode --output text`,
                ]);
            });
        }

        it("exit code 1 → the failure line and status 1", () => {
            const run = runWithFakeAws("sh", { task: TASK, waitOk: true, exitCode: "1" });
            assert.strictEqual(run.status, 1);
            assert.match(
                run.stdout,
                /\nsmoke test: exit code 1, FAILED: refused, failed, sent to backlog or waiting for a decision \(the feedback says why\), or the AIP is missing\n$/,
            );
        });

        it("a task that never stops: exactly 7 waits, then no exit code → status 1", () => {
            const run = runWithFakeAws("sh", { task: TASK, waitOk: false, exitCode: "None" });
            assert.strictEqual(run.status, 1);
            assert.strictEqual(run.calls.filter((c) => c.includes(" wait tasks-stopped ")).length, 7);
            assert.match(run.stdout, /\nsmoke test: exit code None, FAILED: the task did not finish or its container never ran\n$/);
        });

        it("run-task that starts nothing (None) → stderr line, status 1, no wait", () => {
            const run = runWithFakeAws("sh", { task: "None", waitOk: true, exitCode: "0" });
            assert.strictEqual(run.status, 1);
            assert.strictEqual(run.stderr, "smoke test: run-task started no task\n");
            assert.strictEqual(run.stdout, "");
            assert.strictEqual(run.calls.length, 1);
        });

        it("the number of waits follows the budget the ingest pace gives: ceil((attempts × seconds + 600) / 600)", async () => {
            // 60 + 900 + (5 + 1) × 60 + 60 + 300 = 1680 s: 338 polls of 5 s = 1690 s; (1690 + 600) / 600 → 4 waits.
            const small = await planSmoke(() => ({ ingest: { startGraceMinutes: 5, monitorMinutes: 1 }, pollSeconds: 5 }));
            assert.match(small.named("smoke").outputs!.runCommand as string, /; for i in 1 2 3 4; do /);
            // 60 + 900 + (120 + 1) × 60 + 3600 + 300 = 12120 s: 608 polls of 20 s = 12160 s; (12160 + 600) / 600 → 22 waits.
            const big = await planSmoke(() => ({ ingest: { startGraceMinutes: 120, monitorMinutes: 60 }, pollSeconds: 20 }));
            assert.match(
                big.named("smoke").outputs!.runCommand as string,
                /; for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22; do /,
            );
        });
    });

    describe("argument errors: one line, before any child registers", () => {
        const cases: [string, Partial<SmokeTestArgs>, string][] = [
            [
                "prefix",
                { prefix: "my stack" },
                'prefix "my stack" cannot start a family or schedule name; valid: 1-53 letters, digits, - or _',
            ],
            [
                "image",
                { image: "" },
                'image "" is not an image reference; valid: the Storage Service image, e.g. artefactual/archivematica-storage-service:0.24.0',
            ],
            ["root user", { user: "0:0" }, 'user "0:0" is root or empty; valid: a non-root uid:gid'],
            ["no subnets", { subnetIds: [] }, "subnetIds is empty; valid: one or more private subnet ids"],
            [
                "url with a path",
                { storageService: { url: "http://storage-service.ns:8000/api", service: undefined as unknown as Reachable } },
                'storageService.url "http://storage-service.ns:8000/api" is not a base URL; valid: http(s)://<host>[:<port>] without a path, e.g. http://dashboard.<namespace>:8000',
            ],
            [
                "port out of range",
                { storageService: { url: "http://ss.ns:70000", service: undefined as unknown as Reachable } },
                "storageService.url port 70000 is not a port; valid: 1 to 65535",
            ],
            ["username", { adminUsername: "ad min" }, 'adminUsername "ad min" is not a user name; valid: 1-150 letters, digits and @.+-_'],
            [
                "bucket",
                { transferBucket: "Bad_Bucket" },
                'transferBucket "Bad_Bucket" is not a bucket name; valid: 3-63 lowercase letters, digits, . or -',
            ],
            [
                "no start grace",
                { ingest: { startGraceMinutes: 0, monitorMinutes: 5 } },
                "ingest.startGraceMinutes 0 is below 1 or not an integer; valid: an integer ≥ 1",
            ],
            [
                "monitor minutes not integer",
                { ingest: { startGraceMinutes: 30, monitorMinutes: 2.5 } },
                "ingest.monitorMinutes 2.5 is below 1 or not an integer; valid: an integer ≥ 1",
            ],
            ["poll seconds", { pollSeconds: 0 }, "pollSeconds 0 is out of range; valid: an integer from 1 to 300"],
            [
                "processing config",
                { processingConfig: "my config" },
                'processingConfig "my config" is not a processing configuration name; valid: 1-16 letters, digits or _, e.g. automated',
            ],
            [
                "bad schedule",
                { scheduleExpression: "every day" },
                'scheduleExpression "every day" is not a recurring schedule; valid: rate(<n> minute[s]|hour[s]|day[s]) or cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)',
            ],
            [
                "five-field cron",
                { scheduleExpression: "cron(0 4 * * ?)" },
                'scheduleExpression "cron(0 4 * * ?)" is not a recurring schedule; valid: rate(<n> minute[s]|hour[s]|day[s]) or cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)',
            ],
            [
                "overlapping runs",
                { scheduleExpression: "rate(15 minutes)" },
                'scheduleExpression "rate(15 minutes)" starts a run before the last may end (budget 3440 s); valid: a rate of at least 3440 s',
            ],
            ["cpu", { cpu: 300 }, "cpu 300 is not a Fargate CPU size; valid: 256, 512, 1024, 2048, 4096, 8192, 16384"],
            ["memory", { memory: 4096 }, "memory 4096 MiB is not valid with cpu 256; valid: 512, 1024, 2048 MiB"],
            [
                "retention",
                { logRetentionDays: 10 },
                "logRetentionDays 10 is not a CloudWatch retention; valid: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
            ],
        ];
        for (const [label, overrides, message] of cases) {
            it(label, async () => {
                let error: Error | undefined;
                const q = await plan(() => {
                    try {
                        new SmokeTest("smoke", { ...args(), ...overrides });
                    } catch (e) {
                        error = e as Error;
                    }
                });
                assert.strictEqual(error?.message, `SmokeTest "smoke": ${message}`);
                assert.deepStrictEqual(
                    q.resources.filter((r) => r.name.startsWith("smoke")).map((r) => r.name),
                    [],
                );
            });
        }
    });
});
