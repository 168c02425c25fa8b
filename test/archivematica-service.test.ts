/**
 * ArchivematicaService on the mock runtime: exact inputs of every child for one small service, and
 * exact argument errors before any child registers.
 */
import * as assert from "assert";
import * as aws from "../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { ArchivematicaService, ArchivematicaServiceArgs } from "../components/app/service";
import { secretBaseArn } from "../lib/secrets-manager";
import { COMPONENT_TAGS, plan } from "./harness";

const FS_ARN = "arn:aws:elasticfilesystem:eu-west-2:123456789012:file-system/fs-0123456789abcdef0";
const AP_ARN = "arn:aws:elasticfilesystem:eu-west-2:123456789012:access-point/fsap-0shared000000001";
const APP_SECRET = "arn:aws:secretsmanager:eu-west-2:123456789012:secret:app-AbCdEf";
const MASTER = "arn:aws:secretsmanager:eu-west-2:123456789012:secret:rds!db-1234-XyZ123";

function args(overrides: Partial<ArchivematicaServiceArgs> = {}): ArchivematicaServiceArgs {
    return {
        component: "web",
        clusterArn: "arn:aws:ecs:eu-west-2:123456789012:cluster/c1",
        vpcId: "vpc-0a1b2c3d4e5f67890",
        subnetIds: ["subnet-01", "subnet-02"],
        region: "eu-west-2",
        container: {
            image: "example/web:1.0",
            user: "1000:1000",
            command: ["serve", pulumi.output("--fast")],
            port: 8000,
            environment: { B_VAR: "b", A_VAR: pulumi.output("a") },
            secrets: { DB_PASSWORD: APP_SECRET },
            mounts: [{ volume: "shared", containerPath: "/data" }],
            healthCheck: { command: ["CMD-SHELL", "true"], interval: 10 },
            stopTimeout: 90,
        },
        initContainers: [
            {
                name: "first",
                image: "example/web:1.0",
                user: "1000:1000",
                entryPoint: ["sh", "-c"],
                command: ["echo one"],
                secrets: { MASTER_USER: `${MASTER}:username::`, MASTER_PASSWORD: `${MASTER}:password::` },
            },
            { name: "second", image: "example/web:1.0", user: "1000:1000", entryPoint: ["echo", "two"], environment: { X: "1" } },
        ],
        cpu: 512,
        memory: 1024,
        ephemeralStorageGiB: 40,
        fileSystem: { id: "fs-0123456789abcdef0", arn: FS_ARN, accessPoints: { shared: { id: "fsap-0shared000000001", arn: AP_ARN } } },
        discovery: { namespaceId: "ns-0123", name: "web" },
        loadBalancer: { targetGroupArn: "arn:aws:elasticloadbalancing:eu-west-2:123456789012:targetgroup/tg/1" },
        logRetentionDays: 14,
        tags: COMPONENT_TAGS,
        ...overrides,
    };
}

const tagsFor = (name: string, component = true) => ({
    ...COMPONENT_TAGS,
    Name: name,
    ...(component ? { ArchivematicaComponent: "web" } : {}),
});

describe("ArchivematicaService", () => {
    it("names its init containers in the order they run (the alarms' stopped-task rule lists them)", async () => {
        let names: string[][] = [];
        await plan(() => {
            names = [
                new ArchivematicaService("svc", args()).initContainerNames,
                new ArchivematicaService("bare", args({ initContainers: [] })).initContainerNames,
            ];
        });
        assert.deepStrictEqual(names, [["first", "second"], []]);
    });

    it("a sidecar: non-essential, read-only root, its own log group, which the execution role may write to", async () => {
        const sidecar = { name: "metrics", image: "example/exporter:2.0", user: "65534:65534", port: 9100, logGroup: "own" as const };
        const p = await plan(() => new ArchivematicaService("svc", args({ sidecars: [sidecar] })));
        const def = JSON.parse(p.named("svc-task-definition").props.containerDefinitions).find((c: any) => c.name === "metrics");
        assert.deepStrictEqual(
            [def.essential, def.readonlyRootFilesystem, def.logConfiguration.options["awslogs-group"], def.dependsOn],
            [false, true, "/ecs/svc/metrics", undefined],
        );
        assert.strictEqual(p.named("svc-metrics-logs").props.name, "/ecs/svc/metrics");
        assert.deepStrictEqual(JSON.parse(p.named("svc-execution-policy").props.policy).Statement[0].Resource, [
            "arn:aws:logs:eu-west-2:123456789012:log-group:/ecs/svc:*",
            "arn:aws:logs:eu-west-2:123456789012:log-group:/ecs/svc/metrics:*",
        ]);
    });

    it("task definition: Fargate, awsvpc, x86_64 Linux, sizes, roles, EFS through the access point with TLS and IAM", async () => {
        const p = await plan(() => new ArchivematicaService("svc", args()));
        const td = p.named("svc-task-definition").props;
        const { containerDefinitions, taskRoleArn, executionRoleArn, ...rest } = td;
        assert.deepStrictEqual(rest, {
            family: "svc",
            networkMode: "awsvpc",
            requiresCompatibilities: ["FARGATE"],
            runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
            cpu: "512",
            memory: "1024",
            ephemeralStorage: { sizeInGib: 40 },
            volumes: [
                {
                    name: "shared",
                    efsVolumeConfiguration: {
                        fileSystemId: "fs-0123456789abcdef0",
                        transitEncryption: "ENABLED",
                        authorizationConfig: { accessPointId: "fsap-0shared000000001", iam: "ENABLED" },
                    },
                },
            ],
            tags: tagsFor("svc-task-definition"),
        });
        assert.strictEqual(taskRoleArn, "arn:aws:iam::123456789012:role/svc-task");
        assert.strictEqual(executionRoleArn, "arn:aws:iam::123456789012:role/svc-execution");
        assert.strictEqual(typeof containerDefinitions, "string");
    });

    it("container definitions: exact, sorted, one essential container depending on the init chain", async () => {
        const p = await plan(() => new ArchivematicaService("svc", args()));
        const json = p.named("svc-task-definition").props.containerDefinitions as string;
        const logs = (prefix: string) => ({
            logDriver: "awslogs",
            options: { "awslogs-group": "/ecs/svc", "awslogs-region": "eu-west-2", "awslogs-stream-prefix": prefix },
        });
        assert.deepStrictEqual(JSON.parse(json), [
            {
                entryPoint: ["sh", "-c"],
                command: ["echo one"],
                environment: [],
                essential: false,
                image: "example/web:1.0",
                logConfiguration: logs("init-first"),
                name: "first",
                readonlyRootFilesystem: false,
                secrets: [
                    { name: "MASTER_PASSWORD", valueFrom: `${MASTER}:password::` },
                    { name: "MASTER_USER", valueFrom: `${MASTER}:username::` },
                ],
                user: "1000:1000",
            },
            {
                entryPoint: ["echo", "two"],
                dependsOn: [{ containerName: "first", condition: "SUCCESS" }],
                environment: [{ name: "X", value: "1" }],
                essential: false,
                image: "example/web:1.0",
                logConfiguration: logs("init-second"),
                name: "second",
                readonlyRootFilesystem: false,
                secrets: [],
                user: "1000:1000",
            },
            {
                command: ["serve", "--fast"],
                dependsOn: [
                    { containerName: "first", condition: "SUCCESS" },
                    { containerName: "second", condition: "SUCCESS" },
                ],
                environment: [
                    { name: "A_VAR", value: "a" },
                    { name: "B_VAR", value: "b" },
                ],
                essential: true,
                healthCheck: { command: ["CMD-SHELL", "true"], interval: 10, timeout: 5, retries: 3, startPeriod: 0 },
                image: "example/web:1.0",
                linuxParameters: { initProcessEnabled: true },
                logConfiguration: logs("web"),
                mountPoints: [{ sourceVolume: "shared", containerPath: "/data", readOnly: false }],
                name: "web",
                portMappings: [{ containerPort: 8000, hostPort: 8000, protocol: "tcp" }],
                readonlyRootFilesystem: false,
                secrets: [{ name: "DB_PASSWORD", valueFrom: APP_SECRET }],
                stopTimeout: 90,
                user: "1000:1000",
            },
        ]);
        // Keys in sorted order: the same inputs always give the same text (and no new revision).
        const keys = Object.keys(JSON.parse(json)[2]);
        assert.deepStrictEqual(keys, [...keys].sort());
    });

    it("service: private subnets, no public IP, circuit breaker, Exec, tags propagated, discovery, ALB", async () => {
        const p = await plan(() => new ArchivematicaService("svc", args({ capacityProvider: "FARGATE_SPOT", desiredCount: 3 })));
        assert.deepStrictEqual(p.named("svc-service").props, {
            cluster: "arn:aws:ecs:eu-west-2:123456789012:cluster/c1",
            taskDefinition: "arn:aws:ecs:eu-west-2:123456789012:task-definition/svc-task-definition:1",
            desiredCount: 3,
            deploymentMinimumHealthyPercent: 100,
            deploymentMaximumPercent: 200,
            deploymentCircuitBreaker: { enable: true, rollback: true },
            capacityProviderStrategies: [{ capacityProvider: "FARGATE_SPOT", weight: 1, base: 0 }],
            forceNewDeployment: false,
            networkConfiguration: { subnets: ["subnet-01", "subnet-02"], securityGroups: [p.named("svc-sg").id], assignPublicIp: false },
            serviceRegistries: { registryArn: "arn:aws:servicediscovery:eu-west-2:123456789012:servicediscovery/web" },
            loadBalancers: [
                {
                    targetGroupArn: "arn:aws:elasticloadbalancing:eu-west-2:123456789012:targetgroup/tg/1",
                    containerName: "web",
                    containerPort: 8000,
                },
            ],
            healthCheckGracePeriodSeconds: 300,
            enableExecuteCommand: true,
            enableEcsManagedTags: true,
            propagateTags: "SERVICE",
            waitForSteadyState: false,
            tags: tagsFor("svc-service"),
        });
        assert.deepStrictEqual(p.named("svc-discovery").props, {
            name: "web",
            dnsConfig: { namespaceId: "ns-0123", dnsRecords: [{ type: "A", ttl: 10 }], routingPolicy: "MULTIVALUE" },
            forceDestroy: true,
            tags: tagsFor("svc-discovery"),
        });
        assert.deepStrictEqual(p.named("svc-logs").props, { name: "/ecs/svc", retentionInDays: 14, tags: tagsFor("svc-logs") });
    });

    it("by default neither waits nor depends on more than its role policies", async () => {
        const p = await plan(() => new ArchivematicaService("svc", args({})));
        const service = p.named("svc-service");
        assert.strictEqual(service.props.waitForSteadyState, false);
        assert.strictEqual(service.customTimeouts, undefined);
        const urn = (n: string) => p.named(n).urn;
        assert.ok(service.dependencies.includes(urn("svc-task-policy")) && service.dependencies.includes(urn("svc-execution-policy")));
    });

    it("steadyStateTimeoutMinutes: pulumi up waits that long on create and update; serviceDependsOn orders the service", async () => {
        const p = await plan(() => {
            const before = new aws.ecs.ClusterCapacityProviders("before", { clusterName: "c1", capacityProviders: ["FARGATE"] });
            new ArchivematicaService("svc", args({ steadyStateTimeoutMinutes: 65, serviceDependsOn: [before] }));
        });
        const service = p.named("svc-service");
        assert.strictEqual(service.props.waitForSteadyState, true);
        assert.deepStrictEqual(service.customTimeouts, { create: "65m", update: "65m" });
        assert.ok(service.dependencies.includes(p.named("before").urn));
        // Only the service waits: the task definition and roles do not depend on the given resources.
        assert.ok(!p.named("svc-task-definition").dependencies.includes(p.named("before").urn));
    });

    it("singleton: one task, never two at once, no autoscaling", async () => {
        const p = await plan(() => new ArchivematicaService("svc", args({ deployment: "singleton", loadBalancer: undefined })));
        const s = p.named("svc-service").props;
        assert.deepStrictEqual([s.desiredCount, s.deploymentMinimumHealthyPercent, s.deploymentMaximumPercent], [1, 0, 100]);
        assert.strictEqual(s.loadBalancers, undefined);
        assert.strictEqual(s.healthCheckGracePeriodSeconds, undefined);
    });

    it("autoscaling: queue scaling (QueueScaling) on the service's desired count; the service ignores desiredCount afterwards", async () => {
        const p = await plan(
            () =>
                new ArchivematicaService(
                    "svc",
                    args({ desiredCount: 0, autoscaling: { minCount: 0, maxCount: 4, workersPerClient: 2, stack: "staging" } }),
                ),
        );
        assert.deepStrictEqual(p.named("svc-queue-target").props, {
            serviceNamespace: "ecs",
            scalableDimension: "ecs:service:DesiredCount",
            resourceId: "service/c1/svc-service",
            minCapacity: 0,
            maxCapacity: 4,
            tags: tagsFor("svc-queue-target"),
        });
        assert.deepStrictEqual(
            p
                .named("svc-queue-out")
                .props.stepScalingPolicyConfiguration.stepAdjustments.map((s: { scalingAdjustment: number }) => s.scalingAdjustment),
            [1, 2, 3, 4],
        );
        assert.deepStrictEqual(p.ofType("aws:appautoscaling/target:Target").length, 1);
        assert.deepStrictEqual(p.named("svc-service").ignoreChanges, ["desiredCount"]);
    });

    it("forceNewDeployment only in the update that changes the capacity provider (the record's check), never on another edit", async () => {
        const force = async (capacityProvider: "FARGATE" | "FARGATE_SPOT", previous?: string, deployment?: "singleton") =>
            (
                await plan(
                    () =>
                        new ArchivematicaService(
                            "svc",
                            args({ capacityProvider, deployment, loadBalancer: deployment ? undefined : args().loadBalancer }),
                        ),
                    {},
                    "test",
                    previous
                        ? { "svc-capacity": { kind: "capacity-provider-record", capacityProvider: previous, changed: false } }
                        : undefined,
                )
            ).named("svc-service").props.forceNewDeployment;
        assert.strictEqual(await force("FARGATE"), false, "first deployment");
        assert.strictEqual(await force("FARGATE", "FARGATE"), false, "same capacity provider");
        assert.strictEqual(await force("FARGATE_SPOT", "FARGATE"), true, "moved to Spot");
        assert.strictEqual(await force("FARGATE", "FARGATE", "singleton"), false, "singleton, unchanged");
        assert.strictEqual(await force("FARGATE_SPOT", "FARGATE", "singleton"), true, "singleton, moved");
    });

    it("security group without inline rules; HTTPS egress; allowFrom/allowTo add exactly one rule each", async () => {
        const p = await plan(() => {
            const svc = new ArchivematicaService("svc", args());
            svc.allowFrom("caller", "sg-0caller");
            svc.allowTo("db", { securityGroupId: "sg-0db", port: 3306 });
        });
        const sgId = p.named("svc-sg").id;
        assert.deepStrictEqual(p.named("svc-sg").props, {
            vpcId: "vpc-0a1b2c3d4e5f67890",
            description: "Archivematica web tasks",
            revokeRulesOnDelete: true,
            tags: tagsFor("svc-sg"),
        });
        assert.deepStrictEqual(p.named("svc-to-https").props, {
            securityGroupId: sgId,
            cidrIpv4: "0.0.0.0/0",
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            description: "HTTPS: image registry, Secrets Manager, CloudWatch Logs, ECS Exec",
            tags: tagsFor("svc-to-https", false),
        });
        assert.deepStrictEqual(p.named("svc-from-caller").props, {
            securityGroupId: sgId,
            referencedSecurityGroupId: "sg-0caller",
            ipProtocol: "tcp",
            fromPort: 8000,
            toPort: 8000,
            description: "web 8000 from caller",
            tags: tagsFor("svc-from-caller", false),
        });
        assert.deepStrictEqual(p.named("svc-to-db").props, {
            securityGroupId: sgId,
            referencedSecurityGroupId: "sg-0db",
            ipProtocol: "tcp",
            fromPort: 3306,
            toPort: 3306,
            description: "web to db",
            tags: tagsFor("svc-to-db", false),
        });
        assert.strictEqual(p.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").length, 1);
        assert.strictEqual(p.ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").length, 2);
    });

    it("IAM: task role (EFS via its access point, Exec channels, Exec transcript) and execution role (own secrets, own logs)", async () => {
        const pull = {
            Sid: "PullFromMirror",
            Effect: "Allow" as const,
            Action: ["ecr:BatchGetImage"],
            Resource: ["arn:aws:ecr:eu-west-2:123456789012:repository/mirror/am"],
        };
        const p = await plan(() => new ArchivematicaService("svc", args({ execLogGroupName: "exec-logs", imagePullStatements: [pull] })));
        const trust = {
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
        assert.deepStrictEqual(JSON.parse(p.named("svc-task").props.assumeRolePolicy), trust);
        assert.deepStrictEqual(JSON.parse(p.named("svc-execution").props.assumeRolePolicy), trust);
        assert.deepStrictEqual(JSON.parse(p.named("svc-task-policy").props.policy), {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "EfsThroughAccessPoints",
                    Effect: "Allow",
                    Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
                    Resource: FS_ARN,
                    Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": [AP_ARN] } },
                },
                {
                    Sid: "EcsExec",
                    Effect: "Allow",
                    Action: [
                        "ssmmessages:CreateControlChannel",
                        "ssmmessages:CreateDataChannel",
                        "ssmmessages:OpenControlChannel",
                        "ssmmessages:OpenDataChannel",
                    ],
                    Resource: "*",
                },
                { Sid: "EcsExecTranscriptLogGroups", Effect: "Allow", Action: ["logs:DescribeLogGroups"], Resource: "*" },
                {
                    Sid: "EcsExecTranscript",
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
                    Resource: "arn:aws:logs:eu-west-2:123456789012:log-group:exec-logs:*",
                },
            ],
        });
        assert.deepStrictEqual(JSON.parse(p.named("svc-execution-policy").props.policy), {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "WriteOwnLogs",
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                    Resource: "arn:aws:logs:eu-west-2:123456789012:log-group:/ecs/svc:*",
                },
                // The master secret once, although two of its JSON keys are read.
                { Sid: "ReadOwnSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [APP_SECRET, MASTER] },
                // Exactly the pull statements given, and no ECR action on "*" of its own.
                pull,
            ],
        });
        assert.deepStrictEqual(p.named("svc-task").props.tags, tagsFor("svc-task"));
    });

    it("read-only mounts get ClientMount only; no mounts, no EFS statement and no volumes", async () => {
        const ro = await plan(
            () =>
                new ArchivematicaService(
                    "svc",
                    args({ container: { ...args().container, mounts: [{ volume: "shared", containerPath: "/data", readOnly: true }] } }),
                ),
        );
        assert.deepStrictEqual(JSON.parse(ro.named("svc-task-policy").props.policy).Statement[0].Action, ["elasticfilesystem:ClientMount"]);
        const none = await plan(
            () =>
                new ArchivematicaService(
                    "svc",
                    args({ container: { ...args().container, mounts: [] }, fileSystem: undefined, initContainers: [] }),
                ),
        );
        assert.deepStrictEqual(
            JSON.parse(none.named("svc-task-policy").props.policy).Statement.map((s: { Sid: string }) => s.Sid),
            ["EcsExec"],
        );
        assert.deepStrictEqual(none.named("svc-task-definition").props.volumes, []);
        assert.strictEqual(JSON.parse(none.named("svc-task-definition").props.containerDefinitions)[0].dependsOn, undefined);
    });

    it("taskRoleStatements: appended after the EFS and ECS Exec statements, outputs resolved", async () => {
        const extra = [
            { Sid: "ReadBucket", Effect: "Allow" as const, Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::b/*"] },
            { Sid: "ListBucket", Effect: "Allow" as const, Action: ["s3:ListBucket"], Resource: ["arn:aws:s3:::b"] },
        ];
        const p = await plan(() => new ArchivematicaService("svc", args({ taskRoleStatements: pulumi.output(extra) })));
        const statements = JSON.parse(p.named("svc-task-policy").props.policy).Statement;
        assert.deepStrictEqual(
            statements.map((s: { Sid: string }) => s.Sid),
            ["EfsThroughAccessPoints", "EcsExec", "ReadBucket", "ListBucket"],
        );
        assert.deepStrictEqual(statements.slice(2), extra);
    });

    it("registers outputs last and parents every child", async () => {
        const p = await plan(() => new ArchivematicaService("svc", args()));
        const component = p.named("svc");
        assert.strictEqual(component.type, "archivematica:index:ArchivematicaService");
        for (const r of p.resources.filter((x) => x.custom && !x.type.startsWith("pulumi:providers:"))) {
            assert.strictEqual(r.parent, component.urn, `${r.name} is not parented to the component`);
        }
        assert.deepStrictEqual(Object.keys(component.outputs ?? {}).sort(), [
            "discoveryServiceArn",
            "family",
            "logGroupName",
            "securityGroupId",
            "serviceName",
            "taskDefinitionArn",
        ]);
    });

    describe("argument errors name the argument and the valid values", () => {
        const container = args().container;
        const cases: [string, Partial<ArchivematicaServiceArgs>, string][] = [
            [
                "bad memory",
                { cpu: 1024, memory: 1024 },
                'ArchivematicaService "svc": memory 1024 MiB is not valid with cpu 1024; valid: 2048 to 8192 MiB (7 values)',
            ],
            [
                "bad cpu",
                { cpu: 300 },
                'ArchivematicaService "svc": cpu 300 is not a Fargate CPU size; valid: 256, 512, 1024, 2048, 4096, 8192, 16384',
            ],
            [
                "stop timeout above Fargate's",
                { container: { ...container, stopTimeout: 150 } },
                'ArchivematicaService "svc": container.stopTimeout 150 is out of range; valid: 2 to 120 seconds',
            ],
            [
                "ephemeral storage too small",
                { ephemeralStorageGiB: 20 },
                'ArchivematicaService "svc": ephemeralStorageGiB 20 is out of range; valid: 21 to 200 (Fargate\'s default is 20)',
            ],
            [
                "health check interval",
                { container: { ...container, healthCheck: { command: ["CMD-SHELL", "true"], interval: 400 } } },
                'ArchivematicaService "svc": container.healthCheck.interval 400 is out of range; valid: 5 to 300',
            ],
            [
                "root user",
                { container: { ...container, user: "0:0" } },
                'ArchivematicaService "svc": container "web" user "0:0" is root or empty; valid: a non-root uid:gid or user name',
            ],
            [
                "secret also plain",
                { container: { ...container, environment: { DB_PASSWORD: "x" } } },
                'ArchivematicaService "svc": container "web" environment sets DB_PASSWORD both as plain value and as secret; valid: each name in environment or in secrets, not both',
            ],
            [
                "duplicate container name",
                { initContainers: [{ name: "web", image: "i:1", user: "1000:1000" }] },
                'ArchivematicaService "svc": initContainers repeat a container name; valid: names distinct from each other and from "web"',
            ],
            [
                "mount without access point",
                { container: { ...container, mounts: [{ volume: "other", containerPath: "/x" }] } },
                'ArchivematicaService "svc": container.mounts[other] has no access point; valid: shared',
            ],
            [
                "mount without file system",
                { fileSystem: undefined },
                'ArchivematicaService "svc": fileSystem is required by the mount of shared; valid: the EFS file system and its access points',
            ],
            [
                "singleton with two tasks",
                { deployment: "singleton", desiredCount: 2 },
                'ArchivematicaService "svc": desiredCount 2 is not allowed for a singleton; valid: 1',
            ],
            [
                "desired outside autoscaling",
                { desiredCount: 5, autoscaling: { minCount: 1, maxCount: 4, workersPerClient: 2, stack: "staging" } },
                'ArchivematicaService "svc": desiredCount 5 is outside autoscaling 1..4; valid: 1 to 4',
            ],
            [
                "steady-state timeout too short for any bootstrap",
                { steadyStateTimeoutMinutes: 5 },
                'ArchivematicaService "svc": steadyStateTimeoutMinutes 5 is out of range; valid: 10 to 240 minutes',
            ],
            [
                "load balancer without port",
                { container: { ...container, port: undefined } },
                'ArchivematicaService "svc": loadBalancer needs container.port; valid: set container.port',
            ],
        ];
        for (const [what, overrides, message] of cases) {
            it(what, async () => {
                await assert.rejects(
                    plan(() => new ArchivematicaService("svc", args(overrides))),
                    (e: Error) => {
                        assert.ok(e.message.includes(message), e.message);
                        return true;
                    },
                );
            });
        }
    });

    it("secretBaseArn drops the JSON-key suffix", () => {
        assert.strictEqual(secretBaseArn(`${MASTER}:password::`), MASTER);
        assert.strictEqual(secretBaseArn(APP_SECRET), APP_SECRET);
        assert.throws(() => secretBaseArn("arn:aws:ssm:eu-west-2:123456789012:parameter/x"), /not a Secrets Manager ARN/);
    });
});
