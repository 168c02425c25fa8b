/**
 * SmokeTest: the one-off ECS task that proves a stack stores an AIP (issue 11 item 4), through the
 * path every upload takes (hands-off ingest, issue 17). It runs `bootstrap/smoke_transfer.py` on the
 * Storage Service image (which ships boto3): the script drops a tiny zip under `<config>/` in the
 * transfer bucket, waits for the ingest feedback to report it stored (or failed, with the reason),
 * asks the Storage Service that the AIP is in the AIP bucket, and exits 0 or non-zero with one line.
 *
 * It owns its task definition, log group, security group (egress to the Storage Service, whose group
 * admits it, and HTTPS), least-privilege roles, an EventBridge Scheduler schedule that runs it daily,
 * and `runCommand`: a ready-to-paste shell command that runs it on demand and fails when it fails.
 */
import * as fs from "fs";
import * as path from "path";
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Reachable } from "../interfaces";
import { DEFAULT_LOG_RETENTION_DAYS } from "../../lib/cloudwatch-logs";
import { isRootUser } from "../../lib/ecs";
import type { IamStatement } from "../../lib/iam";
import { SMOKE_POLL_SECONDS, smokeBudget, type IngestTiming } from "../../lib/ingest-timing";
import { mergeTags } from "../../lib/tags";
import {
    checkTask,
    createLogGroups,
    createSchedule,
    createTaskDefinition,
    createTaskRoles,
    failer,
    logGroupArns,
    TaskAccount,
    TaskContainers,
    TaskLogGroups,
    TaskRoles,
    TaskScope,
} from "./task";

/** The script, read once at module load; the task definition carries it as `python3 -c <script>`. */
export const SMOKE_TRANSFER_SCRIPT = fs
    .readFileSync(path.join(__dirname, "..", "..", "bootstrap", "smoke_transfer.py"), "utf8")
    .replace(/\n$/, "");

/** Name of the task's only container, and of the log stream prefix. */
export const SMOKE_CONTAINER = "smoke-test";

/** An app the smoke test calls: its internal URL, and its security group that must admit the task. */
export interface SmokeTestTarget {
    /**
     * Internal base URL (the Cloud Map name), e.g. `http://dashboard.staging.archivematica.internal:8000`.
     * The task's egress rule opens the URL's port (80/443 when it has none).
     */
    url: string;
    /** The app's part: `allowFrom` admits the task's security group on the app's port. */
    service: Reachable;
}

export interface SmokeTestArgs {
    /**
     * Prefix of the account-wide names: task-definition family and schedule `<prefix>-smoke-test`, log
     * group `/ecs/<prefix>-smoke-test`. Two stacks in one account need different prefixes.
     */
    prefix: string;
    /** ECS cluster the task runs in (and the only cluster the schedule may run it in). */
    clusterArn: pulumi.Input<string>;
    /** VPC of the task's security group. */
    vpcId: pulumi.Input<string>;
    /** Private subnets for the task (it gets no public IP). */
    subnetIds: pulumi.Input<string>[];
    /** Region of the awslogs driver and of the ARNs the roles name. */
    region: string;
    /**
     * The Storage Service image (it ships boto3, which the script needs; the dashboard image does not),
     * e.g. an ImageRegistry URI.
     */
    image: pulumi.Input<string>;
    /**
     * Non-root user the container runs as (`uid:gid`).
     * @default "1000:1000" (the Archivematica images' user)
     */
    user?: string;
    /** The Storage Service: `SMOKE_SS_URL`, and the group that admits the task. */
    storageService: SmokeTestTarget;
    /** The administrator (`SMOKE_USERNAME`; the same name in both apps). */
    adminUsername: string;
    /** Secrets Manager ARN whose whole value is the administrator's Storage Service API key. */
    storageServiceApiKeySecretArn: pulumi.Input<string>;
    /** The transfer bucket: the task may write only `<processingConfig>/smoke-*` and read only their feedback. */
    transferBucket: pulumi.Input<string>;
    /** Bucket the AIP must land in (the default AIP store). */
    aipBucket: pulumi.Input<string>;
    /**
     * KMS key of the transfer bucket (SSE-KMS): the task may then `kms:GenerateDataKey` with it.
     * @default none (SSE-S3: no KMS permission)
     */
    transferBucketKmsKeyArn?: pulumi.Input<string>;
    /**
     * The stack's hands-off ingest pace (`Ingest.timing`: start grace and monitor interval). The polls
     * the run may make (`SMOKE_POLL_ATTEMPTS`) are derived from it (lib/ingest-timing.ts
     * `smokeBudget`): the last comes after the latest moment the monitor writes the feedback of a
     * smoke transfer that never started, so such a run ends with that reason, never with a time-out.
     */
    ingest: IngestTiming;
    /**
     * Seconds between polls (`SMOKE_POLL_SECONDS`).
     * @default 10 (SMOKE_POLL_SECONDS)
     */
    pollSeconds?: number;
    /**
     * Processing configuration of the transfer (`SMOKE_PROCESSING_CONFIG`); it must decide every choice.
     * @default "automated" (built in)
     */
    processingConfig?: string;
    /**
     * When EventBridge Scheduler runs the task: `rate(<n> <unit>)` or `cron(<6 fields>)`, in UTC.
     * @default "rate(1 day)"
     */
    scheduleExpression?: string;
    /**
     * Extra statements of the execution role to pull `image` from a private registry (e.g. an ECR
     * pull-through cache).
     * @default none (a public registry needs no permission)
     */
    imagePullStatements?: pulumi.Input<IamStatement[]>;
    /** @default 256 */
    cpu?: number;
    /** @default 512 */
    memory?: number;
    /** @default 30 */
    logRetentionDays?: number;
    /** Required tags, set on every taggable child. */
    tags: Record<string, string>;
}

/** The arguments after defaults. */
interface Normalized extends Omit<SmokeTestArgs, "user" | "pollSeconds" | "processingConfig"> {
    family: string;
    /** The task's one container: python3 -c <the script>, SMOKE_* environment, the two API keys as secrets. */
    containers: TaskContainers;
    user: string;
    pollAttempts: number;
    pollSeconds: number;
    processingConfig: string;
    scheduleExpression: string;
    imagePullStatements: pulumi.Input<IamStatement[]>;
    cpu: number;
    memory: number;
    logRetentionDays: number;
    storageServicePort: number;
}

/** What every step of the constructor needs. */
interface Scope extends TaskScope {
    a: Normalized;
    account: TaskAccount;
}

/** The tag that marks every child as part of the smoke test (as services carry their component). */
const COMPONENT_TAGS = { ArchivematicaComponent: SMOKE_CONTAINER };

/**
 * `aws ecs wait tasks-stopped` gives up after 100 polls of 6 s (10 minutes); the run command repeats
 * it to cover the script's budget plus this much for the task to start (image pull) and finish.
 */
const WAITER_SECONDS = 600;
const START_MARGIN_SECONDS = 600;

export class SmokeTest extends pulumi.ComponentResource {
    /** Task-definition family (stable across revisions): `<prefix>-smoke-test`. */
    readonly taskDefinitionFamily: string;
    readonly taskDefinitionArn: pulumi.Output<string>;
    readonly logGroupName: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;
    readonly scheduleName: pulumi.Output<string>;
    /** Runs the task once, waits for it, prints one line and exits non-zero unless the AIP was stored. */
    readonly runCommand: pulumi.Output<string>;

    constructor(name: string, args: SmokeTestArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before super(): bad input registers nothing, not even the component.
        const a = normalize(name, args);
        super("archivematica:index:SmokeTest", name, {}, opts);
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const scope: Scope = {
            name,
            a,
            parent: this,
            tags: a.tags,
            componentTags: COMPONENT_TAGS,
            account: { partition, accountId: aws.getCallerIdentityOutput({}, { parent: this }).accountId },
        };

        const logGroups = createLogGroups(scope, a.family, a.logRetentionDays, a.containers);
        const securityGroup = createSecurityGroup(scope);
        admitToApps(scope, securityGroup);
        const roles = createRoles(scope, logGroups);
        const taskDefinition = createTaskDefinition(scope, { ...a, containers: a.containers }, roles, logGroups);
        const schedule = createSchedule(
            scope,
            {
                scheduleName: a.family,
                description: "Runs the Archivematica smoke transfer",
                expression: a.scheduleExpression,
                region: a.region,
                clusterArn: a.clusterArn,
                subnetIds: a.subnetIds,
                securityGroupId: securityGroup.id,
                sidName: "SmokeTest",
                roleDescription: "Archivematica smoke test: what EventBridge Scheduler may do to run it",
            },
            scope.account,
            taskDefinition,
            roles,
        );

        this.taskDefinitionFamily = a.family;
        this.taskDefinitionArn = taskDefinition.arn;
        this.logGroupName = logGroups.task.name;
        this.securityGroupId = securityGroup.id;
        this.scheduleName = schedule.name;
        this.runCommand = runCommand(a, securityGroup.id);
        this.registerOutputs({
            taskDefinitionFamily: this.taskDefinitionFamily,
            taskDefinitionArn: this.taskDefinitionArn,
            logGroupName: this.logGroupName,
            securityGroupId: this.securityGroupId,
            scheduleName: this.scheduleName,
            runCommand: this.runCommand,
        });
    }
}

/** The task's own group: no ingress; egress to the Storage Service and HTTPS (S3, Secrets Manager, logs, image). */
function createSecurityGroup({ name, a, parent }: Scope): aws.ec2.SecurityGroup {
    const group = new aws.ec2.SecurityGroup(
        `${name}-sg`,
        {
            vpcId: a.vpcId,
            description: "Archivematica smoke-test task",
            revokeRulesOnDelete: true,
            tags: mergeTags(a.tags, `${name}-sg`, COMPONENT_TAGS),
        },
        { parent },
    );
    const egress = (target: string, rule: { referencedSecurityGroupId?: pulumi.Input<string>; cidrIpv4?: string; port: number }) =>
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-to-${target}`,
            {
                securityGroupId: group.id,
                referencedSecurityGroupId: rule.referencedSecurityGroupId,
                cidrIpv4: rule.cidrIpv4,
                ipProtocol: "tcp",
                fromPort: rule.port,
                toPort: rule.port,
                description: `smoke-test to ${target}`,
                tags: mergeTags(a.tags, `${name}-to-${target}`),
            },
            { parent },
        );
    egress("storage-service", { referencedSecurityGroupId: a.storageService.service.securityGroupId, port: a.storageServicePort });
    egress("https", { cidrIpv4: "0.0.0.0/0", port: 443 });
    return group;
}

/** The apps' groups admit the task (rules named and parented by the apps, as for every caller). */
function admitToApps({ name, a }: Scope, group: aws.ec2.SecurityGroup): void {
    a.storageService.service.allowFrom(name, group.id);
}

/**
 * Task role: drop its package as `<config>/smoke-*`, read that package's feedback, and list the bucket
 * under that feedback's prefix only (S3 answers 404 rather than 403 for a feedback file not written
 * yet only to a caller that may list it; the script itself never lists); nothing else. Execution role: its log group, its one secret, the image pull.
 */
function createRoles(scope: Scope, logGroups: TaskLogGroups): TaskRoles {
    const { a, account } = scope;
    const bucket = pulumi.interpolate`arn:${account.partition}:s3:::${a.transferBucket}`;
    const statements: IamStatement<pulumi.Input<string>>[] = [
        {
            Sid: "DropSamplePackage",
            Effect: "Allow",
            Action: ["s3:PutObject"],
            Resource: pulumi.interpolate`${bucket}/${a.processingConfig}/smoke-*`,
        },
        {
            Sid: "ReadItsFeedback",
            Effect: "Allow",
            Action: ["s3:GetObject"],
            Resource: pulumi.interpolate`${bucket}/feedback/${a.processingConfig}/smoke-*`,
        },
        {
            Sid: "ListItsFeedback",
            Effect: "Allow",
            Action: ["s3:ListBucket"],
            Resource: bucket,
            // For a read of a missing key S3 puts the key in s3:prefix (the starter's policy,
            // components/app/ingest/policies.ts starterListPrefixes, says where that is from).
            Condition: { StringLike: { "s3:prefix": pulumi.interpolate`feedback/${a.processingConfig}/smoke-*` } },
        },
    ];
    if (a.transferBucketKmsKeyArn) {
        statements.push({ Sid: "EncryptSample", Effect: "Allow", Action: ["kms:GenerateDataKey"], Resource: a.transferBucketKmsKeyArn });
    }
    return createTaskRoles(
        scope,
        {
            region: a.region,
            containers: a.containers,
            taskRoleStatements: statements,
            imagePullStatements: a.imagePullStatements,
            descriptions: {
                task: "Archivematica smoke test: write its sample transfer",
                execution: "Archivematica smoke test: what ECS may do to start it",
            },
        },
        account,
        logGroupArns(logGroups),
    );
}

/** The SMOKE_* variables of bootstrap/README.md; SMOKE_TRANSFER_NAME is left to the script (a timestamp per run). */
function environment(
    a: SmokeTestArgs,
    settings: { pollAttempts: number; pollSeconds: number; processingConfig: string },
): Record<string, pulumi.Input<string>> {
    return {
        SMOKE_SS_URL: a.storageService.url,
        SMOKE_USERNAME: a.adminUsername,
        SMOKE_TRANSFER_BUCKET: a.transferBucket,
        SMOKE_AIP_BUCKET: a.aipBucket,
        SMOKE_POLL_ATTEMPTS: String(settings.pollAttempts),
        SMOKE_POLL_SECONDS: String(settings.pollSeconds),
        SMOKE_PROCESSING_CONFIG: settings.processingConfig,
    };
}

/** What each exit code of smoke_transfer.py means (bootstrap/README.md). */
export const EXIT_MEANINGS: Record<string, string> = {
    0: "passed, the AIP is stored",
    1: "FAILED: refused, failed, sent to backlog or waiting for a decision (the feedback says why), or the AIP is missing",
    2: "FAILED: bad task configuration",
    3: "FAILED: timed out (no feedback: see the ingest starter; started: see the ingest monitor)",
    4: "FAILED: S3 or the Storage Service refused a request or could not be reached",
};

/**
 * `aws ecs run-task`, then `aws ecs wait tasks-stopped` as often as the script's budget needs, then the
 * container's exit code as one line; the subshell exits with 0 only when the exit code is 0, so a
 * pasted command never closes the operator's shell and CI fails the job when the smoke test fails.
 */
function runCommand(a: Normalized, securityGroupId: pulumi.Output<string>): pulumi.Output<string> {
    const waits = Math.ceil((a.pollAttempts * a.pollSeconds + START_MARGIN_SECONDS) / WAITER_SECONDS);
    const loops = Array.from({ length: waits }, (_, i) => i + 1).join(" ");
    const subnets = pulumi.all(a.subnetIds).apply((ids) => ids.join(","));
    const ecs = pulumi.interpolate`aws ecs --region ${a.region}`;
    const cases = Object.entries(EXIT_MEANINGS)
        .map(([code, meaning]) => `${code}) RESULT='${meaning}';;`)
        .join(" ");
    return pulumi.interpolate`(TASK=$(${ecs} run-task --cluster ${a.clusterArn} --task-definition ${a.family} --launch-type FARGATE --started-by smoke-test --network-configuration 'awsvpcConfiguration={subnets=[${subnets}],securityGroups=[${securityGroupId}],assignPublicIp=DISABLED}' --query 'tasks[0].taskArn' --output text) && [ -n "$TASK" ] && [ "$TASK" != None ] || { echo 'smoke test: run-task started no task' >&2; exit 1; }; echo "smoke test: started $TASK, logs in /ecs/${a.family}"; for i in ${loops}; do ${ecs} wait tasks-stopped --cluster ${a.clusterArn} --tasks "$TASK" && break; done; CODE=$(${ecs} describe-tasks --cluster ${a.clusterArn} --tasks "$TASK" --query 'tasks[0].containers[0].exitCode' --output text); case "$CODE" in ${cases} *) RESULT='FAILED: the task did not finish or its container never ran';; esac; echo "smoke test: exit code $CODE, $RESULT"; [ "$CODE" = 0 ])`;
}

const FAMILY_PREFIX = /^[A-Za-z0-9_-]{1,53}$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const BASE_URL = /^(https?):\/\/([^/\s:]+)(?::(\d{1,5}))?\/?$/;
const RATE = /^rate\(([1-9][0-9]*) (minutes?|hours?|days?)\)$/;
const CRON = /^cron\([0-9A-Za-z,*?/#-]+( [0-9A-Za-z,*?/#-]+){5}\)$/;
const UNIT_SECONDS: Record<string, number> = { minute: 60, hour: 3600, day: 86400 };

/** Applies defaults and checks every argument before any child is created. */
function normalize(name: string, args: SmokeTestArgs): Normalized {
    const fail = failer("SmokeTest", name);
    if (!FAMILY_PREFIX.test(args.prefix))
        fail("prefix", `"${args.prefix}" cannot start a family or schedule name`, "1-53 letters, digits, - or _");
    if (typeof args.image === "string" && (!args.image || /\s/.test(args.image)))
        fail(
            "image",
            `"${args.image}" is not an image reference`,
            "the Storage Service image, e.g. artefactual/archivematica-storage-service:0.24.0",
        );
    const user = args.user ?? "1000:1000";
    if (user.trim() === "" || isRootUser(user)) fail("user", `"${user}" is root or empty`, "a non-root uid:gid");
    if (args.subnetIds.length === 0) fail("subnetIds", "is empty", "one or more private subnet ids");
    const port = (field: string, url: string): number => {
        const match = BASE_URL.exec(url);
        if (!match)
            fail(field, `"${url}" is not a base URL`, "http(s)://<host>[:<port>] without a path, e.g. http://dashboard.<namespace>:8000");
        const p = match![3] ? Number(match![3]) : match![1] === "https" ? 443 : 80;
        if (p < 1 || p > 65535) fail(field, `port ${p} is not a port`, "1 to 65535");
        return p;
    };
    const storageServicePort = port("storageService.url", args.storageService.url);
    if (!/^[\w.@+-]{1,150}$/.test(args.adminUsername))
        fail("adminUsername", `"${args.adminUsername}" is not a user name`, "1-150 letters, digits and @.+-_");
    for (const field of ["transferBucket", "aipBucket"] as const) {
        const bucket = args[field];
        if (typeof bucket === "string" && !BUCKET.test(bucket))
            fail(field, `"${bucket}" is not a bucket name`, "3-63 lowercase letters, digits, . or -");
    }
    for (const field of ["startGraceMinutes", "monitorMinutes"] as const) {
        const value = args.ingest[field];
        if (!Number.isInteger(value) || value < 1) fail(`ingest.${field}`, `${value} is below 1 or not an integer`, "an integer ≥ 1");
    }
    const pollSeconds = args.pollSeconds ?? SMOKE_POLL_SECONDS;
    if (!Number.isInteger(pollSeconds) || pollSeconds < 1 || pollSeconds > 300)
        fail("pollSeconds", `${pollSeconds} is out of range`, "an integer from 1 to 300");
    const { attempts: pollAttempts, seconds: budget } = smokeBudget(args.ingest, pollSeconds);
    const processingConfig = args.processingConfig ?? "automated";
    if (!/^\w{1,16}$/.test(processingConfig))
        fail(
            "processingConfig",
            `"${processingConfig}" is not a processing configuration name`,
            "1-16 letters, digits or _, e.g. automated",
        );
    const scheduleExpression = args.scheduleExpression ?? "rate(1 day)";
    const rate = RATE.exec(scheduleExpression);
    if (!rate && !CRON.test(scheduleExpression))
        fail(
            "scheduleExpression",
            `"${scheduleExpression}" is not a recurring schedule`,
            "rate(<n> minute[s]|hour[s]|day[s]) or cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)",
        );
    if (rate && Number(rate[1]) * UNIT_SECONDS[rate[2].replace(/s$/, "")] < budget)
        fail(
            "scheduleExpression",
            `"${scheduleExpression}" starts a run before the last may end (budget ${budget} s)`,
            `a rate of at least ${budget} s`,
        );
    const cpu = args.cpu ?? 256;
    const memory = args.memory ?? 512;
    const logRetentionDays = args.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS;
    const settings = { pollAttempts, pollSeconds, processingConfig };
    const containers: TaskContainers = {
        essential: {
            name: SMOKE_CONTAINER,
            image: args.image,
            user,
            entryPoint: ["python3", "-c"],
            command: [SMOKE_TRANSFER_SCRIPT],
            environment: environment(args, settings),
            secrets: { SMOKE_SS_API_KEY: args.storageServiceApiKeySecretArn },
            // The script writes only to S3 (over HTTPS); python -c and boto3 need no local writes.
            readonlyRootFilesystem: true,
        },
    };
    checkTask({ cpu, memory, logRetentionDays, containers }, fail);
    return {
        ...args,
        family: `${args.prefix}-smoke-test`,
        containers,
        user,
        pollAttempts,
        pollSeconds,
        processingConfig,
        scheduleExpression,
        imagePullStatements: args.imagePullStatements ?? [],
        cpu,
        memory,
        logRetentionDays,
        storageServicePort,
    };
}
