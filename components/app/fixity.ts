/**
 * Fixity: a scheduled ECS task that checks every stored AIP's fixity once per window, a share per run,
 * and leaves a JSON report per run under `reports/fixity/` in the AIP bucket
 * (`bootstrap/fixity_check.py`, run as `python3 -c` on the Storage Service image, which ships boto3).
 * Built with the one ECS task builder (components/app/task/): log group, roles, task definition, and
 * the EventBridge Scheduler schedule; plus its security group (the Storage Service on its port, HTTPS
 * for S3 and CloudWatch), which the Storage Service admits.
 */
import * as fs from "fs";
import * as path from "path";
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { isRootUser } from "../../lib/ecs";
import type { IamStatement } from "../../lib/iam";
import type { Tags } from "../../lib/tags";
import type { Reachable } from "../interfaces";
import { createCallerGroup } from "./ingest/security-group";
import { checkTask, createSchedule, createTask, failer, TaskArgs } from "./task";

/** The script, read once at module load; the container runs it as `python3 -c <script>`. */
export const FIXITY_SCRIPT = fs.readFileSync(path.join(__dirname, "..", "..", "bootstrap", "fixity_check.py"), "utf8").replace(/\n$/, "");

/** The metrics' namespace (bootstrap/fixity_check.py NAMESPACE). */
export const FIXITY_NAMESPACE = "Archivematica/Fixity";

/** Where reports and the run state live in the AIP bucket. */
export const FIXITY_REPORT_PREFIX = "reports/fixity/";

export const FIXITY_CONTAINER = "fixity";

export interface FixityArgs {
    /** Prefix of the account-wide names: family and schedule `<prefix>-fixity`. */
    prefix: string;
    clusterArn: pulumi.Input<string>;
    vpcId: pulumi.Input<string>;
    subnetIds: pulumi.Input<string>[];
    region: string;
    /** The stack's environment: the metrics' `Environment` dimension. */
    environment: string;
    /** The Storage Service image (boto3 is in it). */
    image: pulumi.Input<string>;
    /** @default none (a public registry) */
    imagePullStatements?: pulumi.Input<IamStatement[]>;
    /** @default "1000:1000" */
    user?: string;
    storageService: { url: string; service: Reachable };
    adminUsername: string;
    /** Secrets Manager ARN whose whole value is the administrator's Storage Service API key: the task's only secret. */
    storageServiceApiKeySecretArn: pulumi.Input<string>;
    /** Where AIPs are and where reports go. */
    aipBucket: pulumi.Input<string>;
    /** @default 90 */
    windowDays?: number;
    /**
     * `rate(<n> hour[s]|day[s])`; its interval sizes each run's share.
     * @default "rate(1 day)"
     */
    scheduleExpression?: string;
    /** Hours between runs (from `scheduleExpression`). @default 24 */
    intervalHours?: number;
    /** @default 6 */
    maxRunHours?: number;
    /** @default 256 */
    cpu?: number;
    /** @default 512 */
    memory?: number;
    /** @default 30 */
    logRetentionDays?: number;
    tags: Tags;
}

const COMPONENT_TAGS = { ArchivematicaComponent: FIXITY_CONTAINER };
const PREFIX = /^[A-Za-z0-9_-]{1,48}$/;
const BASE_URL = /^https?:\/\/[^/\s:]+(?::(\d{1,5}))?$/;
const RATE = /^rate\((1 (hour|day)|[1-9][0-9]* (hours|days))\)$/;

/** What the task does on AWS: its reports and state, listing the AIP bucket (404 for a missing state), its metrics. */
export function fixityStatements(partition: pulumi.Input<string>, aipBucket: pulumi.Input<string>): IamStatement<pulumi.Input<string>>[] {
    return [
        {
            Sid: "ReportsAndState",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:PutObject"],
            Resource: pulumi.interpolate`arn:${partition}:s3:::${aipBucket}/${FIXITY_REPORT_PREFIX}*`,
        },
        {
            Sid: "ListAipBucket",
            Effect: "Allow",
            Action: ["s3:ListBucket"],
            Resource: pulumi.interpolate`arn:${partition}:s3:::${aipBucket}`,
        },
        {
            Sid: "PublishOwnMetrics",
            Effect: "Allow",
            Action: ["cloudwatch:PutMetricData"],
            Resource: "*",
            Condition: { StringEquals: { "cloudwatch:namespace": FIXITY_NAMESPACE } },
        },
    ];
}

function taskArgs(
    a: FixityArgs,
    family: string,
    settings: Required<Pick<FixityArgs, "windowDays" | "intervalHours" | "maxRunHours" | "user">>,
): Omit<TaskArgs, "taskRoleStatements"> {
    return {
        family,
        region: a.region,
        cpu: a.cpu ?? 256,
        memory: a.memory ?? 512,
        logRetentionDays: a.logRetentionDays ?? 30,
        containers: {
            essential: {
                name: FIXITY_CONTAINER,
                image: a.image,
                user: settings.user,
                entryPoint: ["python3", "-c"],
                command: [FIXITY_SCRIPT],
                environment: {
                    FIXITY_SS_URL: a.storageService.url,
                    FIXITY_USERNAME: a.adminUsername,
                    FIXITY_AIP_BUCKET: a.aipBucket,
                    FIXITY_ENVIRONMENT: a.environment,
                    FIXITY_WINDOW_DAYS: String(settings.windowDays),
                    FIXITY_RUN_INTERVAL_HOURS: String(settings.intervalHours),
                    FIXITY_MAX_RUN_MINUTES: String(settings.maxRunHours * 60),
                },
                secrets: { FIXITY_SS_API_KEY: a.storageServiceApiKeySecretArn },
            },
        },
        imagePullStatements: a.imagePullStatements,
        descriptions: {
            task: "Archivematica fixity: its reports, state and metrics",
            execution: "Archivematica fixity: what ECS may do to start it",
        },
    };
}

export class Fixity extends pulumi.ComponentResource {
    readonly taskDefinitionFamily: string;
    readonly logGroupName: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;
    readonly scheduleName: pulumi.Output<string>;
    /** Starts one run now (it reports like a scheduled one). */
    readonly runCommand: pulumi.Output<string>;

    constructor(name: string, args: FixityArgs, opts?: pulumi.ComponentResourceOptions) {
        const fail = failer("Fixity", name);
        if (!PREFIX.test(args.prefix))
            fail("prefix", `"${args.prefix}" cannot start a family or schedule name`, "1-48 letters, digits, - or _");
        if (args.subnetIds.length === 0) fail("subnetIds", "is empty", "one or more private subnet ids");
        if (!BASE_URL.test(args.storageService.url))
            fail("storageService.url", `"${args.storageService.url}" is not a base URL`, "http(s)://<host>[:<port>] without a path");
        const user = args.user ?? "1000:1000";
        if (user.trim() === "" || isRootUser(user)) fail("user", `"${user}" is root or empty`, "a non-root uid:gid");
        const windowDays = args.windowDays ?? 90;
        if (!Number.isInteger(windowDays) || windowDays < 1 || windowDays > 3650)
            fail("windowDays", `${windowDays} is out of range`, "a whole number from 1 to 3650");
        const scheduleExpression = args.scheduleExpression ?? "rate(1 day)";
        if (!RATE.test(scheduleExpression))
            fail("scheduleExpression", `"${scheduleExpression}" is not a rate in hours or days`, "rate(<n> hour[s]|day[s])");
        const intervalHours = args.intervalHours ?? 24;
        const maxRunHours = args.maxRunHours ?? 6;
        if (!Number.isInteger(maxRunHours) || maxRunHours < 1 || maxRunHours >= intervalHours)
            fail(
                "maxRunHours",
                `${maxRunHours} lets a run last until the next (every ${intervalHours} h)`,
                `a whole number from 1 to ${intervalHours - 1}`,
            );
        const family = `${args.prefix}-fixity`;
        const base = taskArgs(args, family, { windowDays, intervalHours, maxRunHours, user });
        checkTask(base, fail);
        super("archivematica:index:Fixity", name, {}, opts);

        const account = {
            accountId: aws.getCallerIdentityOutput({}, { parent: this }).accountId,
            partition: aws.getPartitionOutput({}, { parent: this }).partition,
        };
        const scope = { name, parent: this, tags: args.tags, componentTags: COMPONENT_TAGS };
        const port = Number(BASE_URL.exec(args.storageService.url)![1] ?? (args.storageService.url.startsWith("https") ? 443 : 80));
        const group = createCallerGroup(name, this, {
            vpcId: args.vpcId,
            description: "Archivematica fixity task: the Storage Service and AWS APIs",
            egress: [
                { target: "storage-service", port, referencedSecurityGroupId: args.storageService.service.securityGroupId },
                { target: "https", port: 443, cidrIpv4: "0.0.0.0/0" },
            ],
            tags: args.tags,
            componentTags: COMPONENT_TAGS,
        });
        args.storageService.service.allowFrom(name, group.id);
        const task = createTask(scope, { ...base, taskRoleStatements: fixityStatements(account.partition, args.aipBucket) }, account);
        const schedule = createSchedule(
            scope,
            {
                scheduleName: family,
                description: "Runs the Archivematica fixity checks",
                expression: scheduleExpression,
                region: args.region,
                clusterArn: args.clusterArn,
                subnetIds: args.subnetIds,
                securityGroupId: group.id,
                sidName: "Fixity",
                roleDescription: "Archivematica fixity: what EventBridge Scheduler may do to run it",
            },
            account,
            task.taskDefinition,
            task.roles,
        );

        this.taskDefinitionFamily = family;
        this.logGroupName = task.logGroups.task.name;
        this.securityGroupId = group.id;
        this.scheduleName = schedule.name;
        const subnets = pulumi.all(args.subnetIds).apply((ids) => ids.join(","));
        this.runCommand = pulumi.interpolate`aws ecs run-task --region ${args.region} --cluster ${args.clusterArn} --task-definition ${family} --launch-type FARGATE --started-by fixity --network-configuration 'awsvpcConfiguration={subnets=[${subnets}],securityGroups=[${group.id}],assignPublicIp=DISABLED}'`;
        this.registerOutputs({
            taskDefinitionFamily: family,
            logGroupName: this.logGroupName,
            scheduleName: this.scheduleName,
            runCommand: this.runCommand,
        });
    }
}
