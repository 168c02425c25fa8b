/**
 * Synthetic previews for benchmarking the policy gate: a `pulumi preview --json` document of any size
 * with the mix of resources an Archivematica stack has, repeated. Deterministic (no randomness, no
 * clock), so the same `n` always gives the same document.
 *
 * The document has exactly `n` resources: the stack, the default AWS provider, then `n - 2` resources
 * made of whole 23-resource "service units" (an ArchivematicaService-like component with its log group,
 * IAM roles, security group with ingress and egress rules, task definition with an essential and an
 * init container, ECS service, EFS file system with backup policy, access point and mount target, RDS
 * instance, VPC with subnet and flow log, S3 bucket with encryption, public access block, versioning
 * and a TLS-only policy) and, for the remainder (< 23), extra log groups. A unit's resources reference
 * each other through dependencies and property dependencies as the engine records them, so stack rules
 * follow real links.
 *
 * With {@link syntheticPolicyConfig} (staging's policy config, the component list replaced by the
 * units' components) every rule passes and the pack reports no verdict at all.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEFAULT_PACK_DIR } from "./gate";
import { PreviewDigest, PreviewStep, StepState } from "./preview-json";

const STACK = "bench";
const PROJECT = "archivematica-infra";
const PREFIX = `urn:pulumi:${STACK}::${PROJECT}::`;
const STACK_TYPE = "pulumi:pulumi:Stack";
const STACK_URN = `${PREFIX}${STACK_TYPE}::${PROJECT}-${STACK}`;
const PROVIDER_URN = `${PREFIX}pulumi:providers:aws::default_7_48_0`;
const PROVIDER_REF = `${PROVIDER_URN}::00000000-0000-0000-0000-000000000000`;
const COMPONENT_TYPE = "archivematica:index:ArchivematicaService";
/** Resources per service unit. */
export const UNIT_SIZE = 23;

/** Name of the component of unit `i` (the ArchivematicaComponent tag of its ECS service). */
export function syntheticComponent(i: number): string {
    return `component-${String(i).padStart(5, "0")}`;
}

function tags(name: string, extra: Record<string, string> = {}): Record<string, string> {
    return {
        CostCentre: "DP-0042",
        Environment: STACK,
        ManagedBy: "pulumi",
        Name: name,
        Owner: "digital-preservation@example.org",
        Project: "archivematica",
        PulumiStack: `${PROJECT}/${STACK}`,
        ...extra,
    };
}

/** A hex id of `len` digits derived from `seed` (deterministic stand-in for AWS ids). */
function hexId(seed: string, len = 17): string {
    let h = 2166136261;
    let out = "";
    for (let round = 0; out.length < len; round++) {
        for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619) >>> 0;
        h = Math.imul(h ^ round, 16777619) >>> 0;
        out += h.toString(16).padStart(8, "0");
    }
    return out.slice(0, len);
}

function containerDefinitions(component: string, logGroup: string): string {
    const logging = (prefix: string) => ({
        logDriver: "awslogs",
        options: { "awslogs-group": logGroup, "awslogs-region": "eu-west-2", "awslogs-stream-prefix": prefix },
    });
    return JSON.stringify([
        {
            name: "init-permissions",
            image: "public.ecr.aws/docker/library/busybox:1.36",
            essential: false,
            command: ["sh", "-c", "chown -R 1000:1000 /var/archivematica/sharedDirectory"],
            user: "1000:1000",
            readonlyRootFilesystem: true,
            logConfiguration: logging("init"),
            mountPoints: [{ sourceVolume: "shared", containerPath: "/var/archivematica/sharedDirectory", readOnly: false }],
            environment: [],
        },
        {
            name: component,
            image: `artefactual/archivematica-${component}:v1.18.0`,
            essential: true,
            user: "1000:1000",
            readonlyRootFilesystem: true,
            dependsOn: [{ containerName: "init-permissions", condition: "SUCCESS" }],
            portMappings: [{ containerPort: 8000, hostPort: 8000, protocol: "tcp" }],
            environment: [
                { name: "DJANGO_SETTINGS_MODULE", value: "settings.production" },
                { name: "ARCHIVEMATICA_LOG_LEVEL", value: "INFO" },
                { name: "GEARMAND_HOST", value: "gearmand.archivematica.local:4730" },
                { name: "SHARED_DIRECTORY", value: "/var/archivematica/sharedDirectory" },
            ],
            secrets: [
                {
                    name: "DB_PASSWORD",
                    valueFrom: `arn:aws:secretsmanager:eu-west-2:123456789012:secret:${component}-db-${hexId(component, 6)}`,
                },
            ],
            mountPoints: [
                { sourceVolume: "shared", containerPath: "/var/archivematica/sharedDirectory", readOnly: false },
                { sourceVolume: "tmp", containerPath: "/tmp", readOnly: false },
            ],
            logConfiguration: logging(component),
            linuxParameters: { initProcessEnabled: true },
            stopTimeout: 30,
        },
    ]);
}

/** The 21 resources of unit `i`, in registration order. */
function unitSteps(i: number): PreviewStep[] {
    const component = syntheticComponent(i);
    const base = `archivematica-${component}`;
    const componentUrn = `${PREFIX}${COMPONENT_TYPE}::${base}`;
    const urnOf = (type: string, name: string) => `${PREFIX}${COMPONENT_TYPE}$${type}::${name}`;
    const steps: PreviewStep[] = [];
    const add = (type: string, name: string, inputs: Record<string, unknown>, links: Record<string, string[]> = {}): string => {
        const urn = type === COMPONENT_TYPE ? componentUrn : urnOf(type, name);
        const custom = type !== COMPONENT_TYPE;
        const state: StepState = { urn, custom, type, inputs, parent: custom ? componentUrn : STACK_URN };
        if (custom) state.provider = PROVIDER_REF;
        const deps = [...new Set(Object.values(links).flat())].sort();
        if (deps.length) {
            state.dependencies = deps;
            state.propertyDependencies = links;
        }
        steps.push({ op: "create", urn, ...(custom ? { provider: PROVIDER_REF } : {}), newState: state });
        return urn;
    };
    const id = (kind: string, name: string) => `${kind}-${hexId(name)}`;
    const arn = (service: string, resource: string) => `arn:aws:${service}:eu-west-2:123456789012:${resource}`;

    add(COMPONENT_TYPE, base, {});
    const vpc = add("aws:ec2/vpc:Vpc", `${base}-vpc`, {
        cidrBlock: "10.0.0.0/16",
        enableDnsHostnames: true,
        enableDnsSupport: true,
        tags: tags(`${base}-vpc`),
    });
    const subnet = add(
        "aws:ec2/subnet:Subnet",
        `${base}-private-0`,
        {
            availabilityZone: "eu-west-2a",
            cidrBlock: "10.0.16.0/20",
            mapPublicIpOnLaunch: false,
            vpcId: id("vpc", base),
            tags: tags(`${base}-private-0`),
        },
        { vpcId: [vpc] },
    );
    const flowLogGroup = add("aws:cloudwatch/logGroup:LogGroup", `${base}-flow-logs`, {
        retentionInDays: 30,
        tags: tags(`${base}-flow-logs`),
    });
    add(
        "aws:ec2/flowLog:FlowLog",
        `${base}-flow-log`,
        {
            logDestination: arn("logs", `log-group:${base}-flow-logs`),
            trafficType: "ALL",
            vpcId: id("vpc", base),
            tags: tags(`${base}-flow-log`),
        },
        { logDestination: [flowLogGroup], vpcId: [vpc] },
    );
    const logGroup = add("aws:cloudwatch/logGroup:LogGroup", `${base}-logs`, {
        name: `/ecs/${base}`,
        retentionInDays: 30,
        tags: tags(`${base}-logs`),
    });
    const assume = JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    const execRole = add("aws:iam/role:Role", `${base}-execution`, {
        assumeRolePolicy: assume,
        name: `${base}-execution`,
        tags: tags(`${base}-execution`),
    });
    const taskRole = add("aws:iam/role:Role", `${base}-task`, {
        assumeRolePolicy: assume,
        name: `${base}-task`,
        tags: tags(`${base}-task`),
    });
    const sg = add(
        "aws:ec2/securityGroup:SecurityGroup",
        `${base}-sg`,
        { description: `${component} tasks`, vpcId: id("vpc", base), tags: tags(`${base}-sg`) },
        { vpcId: [vpc] },
    );
    add(
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        `${base}-ingress-http`,
        {
            description: "HTTP from the load balancer",
            fromPort: 8000,
            toPort: 8000,
            ipProtocol: "tcp",
            referencedSecurityGroupId: id("sg", `${base}-alb`),
            securityGroupId: id("sg", base),
            tags: tags(`${base}-ingress-http`),
        },
        { securityGroupId: [sg] },
    );
    add(
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
        `${base}-egress-all`,
        {
            cidrIpv4: "0.0.0.0/0",
            description: "All outbound",
            ipProtocol: "-1",
            securityGroupId: id("sg", base),
            tags: tags(`${base}-egress-all`),
        },
        { securityGroupId: [sg] },
    );
    const efs = add("aws:efs/fileSystem:FileSystem", `${base}-efs`, {
        encrypted: true,
        lifecyclePolicies: [{ transitionToIa: "AFTER_30_DAYS" }, { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" }],
        performanceMode: "generalPurpose",
        throughputMode: "elastic",
        tags: tags(`${base}-efs`),
    });
    add(
        "aws:efs/backupPolicy:BackupPolicy",
        `${base}-backup`,
        { backupPolicy: { status: "ENABLED" }, fileSystemId: id("fs", base) },
        { fileSystemId: [efs] },
    );
    add(
        "aws:efs/mountTarget:MountTarget",
        `${base}-mount-0`,
        { fileSystemId: id("fs", base), securityGroups: [id("sg", base)], subnetId: id("subnet", base) },
        { fileSystemId: [efs], securityGroups: [sg], subnetId: [subnet] },
    );
    const ap = add(
        "aws:efs/accessPoint:AccessPoint",
        `${base}-ap`,
        {
            fileSystemId: id("fs", base),
            posixUser: { gid: 1000, uid: 1000 },
            rootDirectory: { creationInfo: { ownerGid: 1000, ownerUid: 1000, permissions: "0750" }, path: `/${component}` },
            tags: tags(`${base}-ap`),
        },
        { fileSystemId: [efs] },
    );
    const td = add(
        "aws:ecs/taskDefinition:TaskDefinition",
        `${base}-task-definition`,
        {
            containerDefinitions: containerDefinitions(component, `/ecs/${base}`),
            cpu: "512",
            executionRoleArn: arn("iam", `role/${base}-execution`).replace(":eu-west-2:", "::"),
            family: base,
            memory: "1024",
            networkMode: "awsvpc",
            requiresCompatibilities: ["FARGATE"],
            runtimePlatform: { cpuArchitecture: "X86_64", operatingSystemFamily: "LINUX" },
            tags: tags(`${base}-task-definition`, { ArchivematicaComponent: component }),
            taskRoleArn: arn("iam", `role/${base}-task`).replace(":eu-west-2:", "::"),
            volumes: [
                {
                    name: "shared",
                    efsVolumeConfiguration: {
                        authorizationConfig: { accessPointId: id("fsap", base), iam: "ENABLED" },
                        fileSystemId: id("fs", base),
                        rootDirectory: "/",
                        transitEncryption: "ENABLED",
                    },
                },
                { name: "tmp" },
            ],
        },
        { containerDefinitions: [logGroup], executionRoleArn: [execRole], taskRoleArn: [taskRole], volumes: [efs, ap] },
    );
    add(
        "aws:ecs/service:Service",
        `${base}-service`,
        {
            capacityProviderStrategies: [{ base: 0, capacityProvider: "FARGATE", weight: 1 }],
            cluster: arn("ecs", "cluster/archivematica-ecs-cluster"),
            deploymentCircuitBreaker: { enable: true, rollback: true },
            deploymentMaximumPercent: 200,
            deploymentMinimumHealthyPercent: 100,
            desiredCount: 1,
            enableEcsManagedTags: true,
            networkConfiguration: { assignPublicIp: false, securityGroups: [id("sg", base)], subnets: [id("subnet", base)] },
            propagateTags: "SERVICE",
            tags: tags(`${base}-service`, { ArchivematicaComponent: component }),
            taskDefinition: arn("ecs", `task-definition/${base}:1`),
            waitForSteadyState: false,
        },
        { networkConfiguration: [sg, subnet], taskDefinition: [td] },
    );
    add("aws:rds/instance:Instance", `${base}-db`, {
        allocatedStorage: 20,
        autoMinorVersionUpgrade: true,
        backupRetentionPeriod: 7,
        deletionProtection: false,
        engine: "mysql",
        engineVersion: "8.0",
        identifier: `${base}-db`,
        instanceClass: "db.t4g.small",
        manageMasterUserPassword: true,
        multiAz: false,
        publiclyAccessible: false,
        skipFinalSnapshot: true,
        storageEncrypted: true,
        storageType: "gp3",
        tags: tags(`${base}-db`),
        username: "admin",
        vpcSecurityGroupIds: [id("sg", base)],
    });
    const bucket = add("aws:s3/bucket:Bucket", `${base}-bucket`, {
        bucket: `${base}-bucket`,
        forceDestroy: false,
        tags: tags(`${base}-bucket`),
    });
    add(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        `${base}-bucket-sse`,
        { bucket: `${base}-bucket`, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true }] },
        { bucket: [bucket] },
    );
    add(
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        `${base}-bucket-pab`,
        { blockPublicAcls: true, blockPublicPolicy: true, bucket: `${base}-bucket`, ignorePublicAcls: true, restrictPublicBuckets: true },
        { bucket: [bucket] },
    );
    add(
        "aws:s3/bucketVersioning:BucketVersioning",
        `${base}-bucket-versioning`,
        { bucket: `${base}-bucket`, versioningConfiguration: { status: "Enabled" } },
        { bucket: [bucket] },
    );
    const bucketArn = `arn:aws:s3:::${base}-bucket`;
    add(
        "aws:s3/bucketPolicy:BucketPolicy",
        `${base}-bucket-policy`,
        {
            bucket: `${base}-bucket`,
            policy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "DenyInsecureTransport",
                        Effect: "Deny",
                        Principal: "*",
                        Action: "s3:*",
                        Resource: [bucketArn, `${bucketArn}/*`],
                        Condition: { Bool: { "aws:SecureTransport": "false" } },
                    },
                ],
            }),
        },
        { bucket: [bucket] },
    );
    if (steps.length !== UNIT_SIZE) throw new Error(`unit has ${steps.length} resources, expected ${UNIT_SIZE}`);
    return steps;
}

/** How many service units a document of `n` resources holds. */
export function syntheticUnits(n: number): number {
    return Math.floor(Math.max(0, n - 2) / UNIT_SIZE);
}

/** A preview of a new stack with exactly `n` (≥ 2) resources; see the module comment. */
export function syntheticDigest(n: number): PreviewDigest {
    if (!Number.isInteger(n) || n < 2)
        throw new Error(`a synthetic preview needs at least 2 resources (the stack and its provider), got ${n}`);
    const steps: PreviewStep[] = [
        { op: "create", urn: STACK_URN, newState: { urn: STACK_URN, custom: false, type: STACK_TYPE, inputs: {} } },
        {
            op: "create",
            urn: PROVIDER_URN,
            newState: { urn: PROVIDER_URN, custom: true, type: "pulumi:providers:aws", inputs: { region: "eu-west-2", version: "7.48.0" } },
        },
    ];
    const units = syntheticUnits(n);
    for (let i = 0; i < units; i++) steps.push(...unitSteps(i));
    for (let i = 0; steps.length < n; i++) {
        const name = `archivematica-extra-logs-${i}`;
        const urn = `${PREFIX}aws:cloudwatch/logGroup:LogGroup::${name}`;
        const inputs = { name: `/archivematica/extra/${i}`, retentionInDays: 30, tags: tags(name) };
        steps.push({
            op: "create",
            urn,
            provider: PROVIDER_REF,
            newState: { urn, custom: true, type: "aws:cloudwatch/logGroup:LogGroup", inputs, parent: STACK_URN, provider: PROVIDER_REF },
        });
    }
    return { config: { "aws:region": "eu-west-2" }, steps, diagnostics: [], changeSummary: { create: steps.length } };
}

/**
 * Policy config for a synthetic preview of `n` resources: `<packDir>/config/staging.json` with the
 * one-per-component rule's components set to the components of the complete units and the running-count
 * alarm rule off (the units have no alarms), so every rule passes.
 */
export function syntheticPolicyConfig(n: number, packDir: string = DEFAULT_PACK_DIR): Record<string, unknown> {
    const config = JSON.parse(fs.readFileSync(path.join(packDir, "config", "staging.json"), "utf8")) as Record<
        string,
        Record<string, unknown>
    >;
    const units = syntheticUnits(n);
    const rule = "aws-ecs-service-require-one-per-component";
    // The schema wants at least one component; with no unit, that one has no service (one violation).
    config[rule] = { ...config[rule], components: Array.from({ length: Math.max(1, units) }, (_, i) => syntheticComponent(i)) };
    // The units carry no CloudWatch alarms (a unit's shape is fixed at 23 resources); staging enforces the
    // running-count alarm rule, which would report every synthetic service.
    config["aws-ecs-service-require-running-count-alarm"] = {
        ...config["aws-ecs-service-require-running-count-alarm"],
        enforcementLevel: "disabled",
    };
    return config;
}

/** Writes {@link syntheticPolicyConfig} to a temporary file and returns its path (the caller removes it). */
export function writeSyntheticPolicyConfig(n: number, packDir: string = DEFAULT_PACK_DIR): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "synthetic-policy-"));
    const file = path.join(dir, "policy.json");
    fs.writeFileSync(file, JSON.stringify(syntheticPolicyConfig(n, packDir), null, 2));
    return file;
}

/**
 * A Pulumi program of `n` resources for benchmarking the plan: the stack, its default provider and
 * `n - 2` tagged resources cycling through a log group, an IAM role, a security group and a secret,
 * each with the inputs a stack's would have. Deterministic; @pulumi/aws loads on the first call.
 */
export function syntheticProgram(n: number): void {
    if (!Number.isInteger(n) || n < 2)
        throw new Error(`a synthetic program needs at least 2 resources (the stack and its provider), got ${n}`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when a program runs
    const aws = require("../lib/aws") as typeof import("../lib/aws");
    const assume = JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    for (let i = 0; i < n - 2; i++) {
        const name = `archivematica-synthetic-${i}`;
        switch (i % 4) {
            case 0:
                new aws.cloudwatch.LogGroup(name, { name: `/ecs/${name}`, retentionInDays: 30, tags: tags(name) });
                break;
            case 1:
                new aws.iam.Role(name, { name, assumeRolePolicy: assume, tags: tags(name) });
                break;
            case 2:
                new aws.ec2.SecurityGroup(name, { description: `${name} tasks`, vpcId: "vpc-0a1b2c3d4e5f67890", tags: tags(name) });
                break;
            default:
                new aws.secretsmanager.Secret(name, { description: `${name} secret`, recoveryWindowInDays: 7, tags: tags(name) });
        }
    }
}
