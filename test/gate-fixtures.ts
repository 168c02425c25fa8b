/**
 * What the policy gate's tests (gate.test.ts, gate-cli.test.ts) share: the fixture paths, a small
 * preview digest of one dashboard service that every rule accepts, ways to plant a fault in it, the
 * verdicts as comparable lines, and the pack's messages the gate must pass through unchanged.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { GateResult } from "../tools/gate";
import type { PreviewDigest, PreviewStep } from "../tools/preview-json";

export const ROOT = path.resolve(__dirname, "..");
const FIXTURES = path.join(__dirname, "fixtures");
export const CLI_PREVIEW = path.join(FIXTURES, "cli-preview.json");
export const THROWING_PACK = path.join(FIXTURES, "throwing-pack");
/** The test's policy config: the pack's defaults, with the stack rule scoped to the one component the fixture runs. */
export const TEST_CONFIG = path.join(FIXTURES, "gate-policy.json");

export const PREFIX = "urn:pulumi:staging::archivematica-infra::";
export const STACK = `${PREFIX}pulumi:pulumi:Stack::archivematica-infra-staging`;
const PROVIDER = `${PREFIX}pulumi:providers:aws::default_7_48_0`;
export const PROVIDER_REF = `${PROVIDER}::04b0e2a4-5a8c-4f7e-9d0b-3c6f1e2a7b90`;
export const FS = `${PREFIX}aws:efs/fileSystem:FileSystem::shared`;
const BACKUP = `${PREFIX}aws:efs/backupPolicy:BackupPolicy::shared-backup`;
const AP = `${PREFIX}aws:efs/accessPoint:AccessPoint::shared-ap`;
export const LOGS = `${PREFIX}aws:cloudwatch/logGroup:LogGroup::dashboard-logs`;
export const TD = `${PREFIX}aws:ecs/taskDefinition:TaskDefinition::dashboard`;
const SVC = `${PREFIX}aws:ecs/service:Service::dashboard`;
const ALARM = `${PREFIX}aws:cloudwatch/metricAlarm:MetricAlarm::dashboard-running`;

export const TAGS = {
    Project: "archivematica",
    Environment: "staging",
    Owner: "dp@example.org",
    CostCentre: "DP-0042",
    ManagedBy: "pulumi",
};

export function container(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        name,
        image: `artefactual/archivematica-${name}:v1.18.0`,
        essential: true,
        user: "1000:1000",
        readonlyRootFilesystem: true,
        logConfiguration: {
            logDriver: "awslogs",
            options: { "awslogs-group": "/am/staging/dashboard", "awslogs-region": "eu-west-2", "awslogs-stream-prefix": name },
        },
        environment: [{ name: "DJANGO_SETTINGS_MODULE", value: "archivematica.dashboard.settings.production" }],
        ...extra,
    };
}

export function step(urn: string, type: string, inputs: Record<string, unknown>, extra: Record<string, unknown> = {}): PreviewStep {
    const custom = !type.startsWith("pulumi:pulumi:");
    const provider = custom && !type.startsWith("pulumi:providers:") ? PROVIDER_REF : undefined;
    return {
        op: "create",
        urn,
        ...(provider ? { provider } : {}),
        newState: {
            urn,
            custom,
            type,
            inputs,
            ...(provider ? { provider } : {}),
            ...(type === "pulumi:pulumi:Stack" ? {} : { parent: STACK }),
            ...extra,
        },
    };
}

/** A small stack every rule of the pack accepts (with TEST_CONFIG): one dashboard service and its parts. */
export function cleanDigest(): PreviewDigest {
    const steps = [
        step(STACK, "pulumi:pulumi:Stack", {}),
        step(PROVIDER, "pulumi:providers:aws", { region: "eu-west-2", version: "7.48.0" }),
        step(FS, "aws:efs/fileSystem:FileSystem", {
            encrypted: true,
            performanceMode: "generalPurpose",
            throughputMode: "elastic",
            tags: TAGS,
        }),
        step(
            BACKUP,
            "aws:efs/backupPolicy:BackupPolicy",
            { fileSystemId: "fs-0a1b2c3d", backupPolicy: { status: "ENABLED" } },
            { dependencies: [FS], propertyDependencies: { fileSystemId: [FS] } },
        ),
        step(
            AP,
            "aws:efs/accessPoint:AccessPoint",
            {
                fileSystemId: "fs-0a1b2c3d",
                posixUser: { uid: 1000, gid: 1000 },
                rootDirectory: { path: "/shared", creationInfo: { ownerUid: 1000, ownerGid: 1000, permissions: "0750" } },
                tags: TAGS,
            },
            { dependencies: [FS], propertyDependencies: { fileSystemId: [FS] } },
        ),
        step(LOGS, "aws:cloudwatch/logGroup:LogGroup", { name: "/am/staging/dashboard", retentionInDays: 30, tags: TAGS }),
        step(
            TD,
            "aws:ecs/taskDefinition:TaskDefinition",
            {
                family: "am-staging-dashboard",
                networkMode: "awsvpc",
                requiresCompatibilities: ["FARGATE"],
                cpu: "512",
                memory: "1024",
                containerDefinitions: JSON.stringify([container("dashboard")]),
                volumes: [
                    {
                        name: "shared",
                        efsVolumeConfiguration: {
                            fileSystemId: "fs-0a1b2c3d",
                            transitEncryption: "ENABLED",
                            authorizationConfig: { accessPointId: "fsap-0a1b", iam: "ENABLED" },
                        },
                    },
                ],
                tags: TAGS,
            },
            { dependencies: [FS, AP, LOGS], propertyDependencies: { volumes: [FS, AP] }, customTimeouts: { create: "10m" } },
        ),
        step(
            SVC,
            "aws:ecs/service:Service",
            {
                taskDefinition: "arn:aws:ecs:eu-west-2:123456789012:task-definition/am-staging-dashboard:1",
                desiredCount: 1,
                launchType: "FARGATE",
                networkConfiguration: {
                    assignPublicIp: false,
                    subnets: ["subnet-0a1b2c3d4e5f67890"],
                    securityGroups: ["sg-0a1b2c3d4e5f67890"],
                },
                deploymentCircuitBreaker: { enable: true, rollback: true },
                tags: { ...TAGS, ArchivematicaComponent: "dashboard" },
            },
            { dependencies: [TD], propertyDependencies: { taskDefinition: [TD] } },
        ),
        step(
            ALARM,
            "aws:cloudwatch/metricAlarm:MetricAlarm",
            {
                comparisonOperator: "LessThanThreshold",
                threshold: 1,
                evaluationPeriods: 5,
                metricQueries: [
                    {
                        id: "running",
                        metric: {
                            namespace: "ECS/ContainerInsights",
                            metricName: "RunningTaskCount",
                            dimensions: { ClusterName: "am-staging", ServiceName: "dashboard" },
                            period: 60,
                            stat: "Average",
                        },
                        returnData: true,
                    },
                ],
                alarmActions: ["arn:aws:sns:eu-west-2:123456789012:am-staging-alarms"],
                tags: TAGS,
            },
            { dependencies: [SVC], propertyDependencies: { metricQueries: [SVC] } },
        ),
    ];
    return { config: { "aws:region": "eu-west-2" }, steps, diagnostics: [], changeSummary: { create: steps.length } };
}

/** The digest with one resource's inputs changed. */
export function plant(digest: PreviewDigest, urn: string, change: (inputs: Record<string, unknown>) => void): PreviewDigest {
    const s = digest.steps.find((x) => x.urn === urn);
    assert.ok(s?.newState, `no step ${urn}`);
    change(s.newState.inputs);
    return digest;
}

/** Verdicts as `<urn name> | <level> | <policy> | <message>` lines, for exact comparison. */
export function lines(r: GateResult): string[] {
    return [...r.errors, ...r.verdicts].map(
        (v) => `${v.urn ? v.urn.split("::").pop() : "-"} | ${v.error ? "error" : v.enforcementLevel} | ${v.policyName} | ${v.message}`,
    );
}

export function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

export function tmpFile(name: string, text: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gate-test-"));
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
}

/** What the pack says when a rule reads a value it cannot know (@pulumi/policy server.js). */
export function CANNOT_RUN(policy: string, what: string): string {
    return `can't run policy '${policy}' from policy pack 'archivematica@v0.1.0' during preview: ${what} can't be known during preview`;
}

/** The pack's messages the gate must pass through unchanged (description, newline, detail). */
const TAGS_DESCRIPTION =
    "Every taggable AWS resource carries the required tags (Project, Environment, Owner, CostCentre, ManagedBy by default) with non-empty values; provider defaultTags count.";
const SECRET_ENV_DESCRIPTION =
    "Container environment holds no secrets: no variable named like PASSWORD/PASSWD/PASS/PWD/SECRET/TOKEN/KEY/CREDENTIAL (unless allow-listed) and no URL with credentials; use secrets with valueFrom.";
const REQUIRED = ["Project", "Environment", "Owner", "CostCentre", "ManagedBy"];
export const EXPECTED = {
    efs: "EFS file systems are encrypted at rest (encrypted: true, with the AWS-managed or a customer KMS key).\nencrypted is not true; set encrypted: true (kmsKeyId optional)",
    tags: `${TAGS_DESCRIPTION}\nmissing or empty required tags: ${REQUIRED.join(", ")} (required: ${REQUIRED.join(", ")})`,
    tagsBut: (keep: string) =>
        `${TAGS_DESCRIPTION}\nmissing or empty required tags: ${REQUIRED.filter((t) => t !== keep).join(", ")} (required: ${REQUIRED.join(", ")})`,
    twoEssential:
        "An ECS task definition has exactly one essential container; every other container is non-essential (an init container it waits for, or a sidecar).\n" +
        '2 essential containers (container "dashboard", container "dashboard-migrate"); exactly one may be essential, the others must be init containers or sidecars with essential: false',
    secretEnv: `${SECRET_ENV_DESCRIPTION}\ncontainer "dashboard" sets ARCHIVEMATICA_DASHBOARD_CLIENT_PASSWORD in environment; pass it in secrets (valueFrom a Secrets Manager ARN)`,
    secretEnvKey: `${SECRET_ENV_DESCRIPTION}\ncontainer "dashboard" sets DJANGO_SECRET_KEY in environment; pass it in secrets (valueFrom a Secrets Manager ARN)`,
    flowLogs:
        "Every VPC in the stack has an aws:ec2/flowLog referring to it.\nVPC has no flow log; add an aws:ec2/flowLog with vpcId set to this VPC",
};
