/**
 * ArchivematicaService: one component of the pipeline as one ECS Fargate service — its task
 * definition (one essential container, optional init containers), log group, security group, Cloud
 * Map record, task and execution roles, and optionally CPU autoscaling. Generic: what runs comes
 * from the catalogue through services.ts.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Reachable } from "../interfaces";
import { CPU_TARGET_RANGE, isCpuTarget } from "../../lib/autoscaling";
import { ingressFrom } from "../../lib/security-groups";
import { EPHEMERAL_STORAGE, FARGATE_SIZES, fargateMemoryOptions, isValidFargateSize } from "../../lib/fargate";
import { mergeTags } from "../../lib/tags";
import { DEFAULT_LOG_RETENTION_DAYS } from "../../lib/cloudwatch-logs";
import type { IamStatement } from "../../lib/iam";
import { secretBaseArn } from "../../lib/secrets-manager";

/** A container health check (seconds; ECS bounds: interval 5–300, timeout 2–60, retries 1–10, startPeriod 0–300). */
export interface ServiceHealthCheck {
    /** `["CMD-SHELL", "..."]` or `["CMD", ...]`. */
    command: string[];
    /** @default 30 */
    interval?: number;
    /** @default 5 */
    timeout?: number;
    /** @default 3 */
    retries?: number;
    /** @default 0 */
    startPeriod?: number;
}

/** An EFS access point mounted into the essential container. */
export interface ServiceMount {
    /** Key of `fileSystem.accessPoints` (also the task volume's name). */
    volume: string;
    /** Absolute path in the container. */
    containerPath: string;
    /** @default false */
    readOnly?: boolean;
}

/**
 * What a container runs. `Secret` is how a secret is referenced: a Secrets Manager `valueFrom` here;
 * the catalogue builds the same shapes with logical secret names, which services.ts maps to ARNs.
 */
export interface ServiceContainer<Secret = pulumi.Input<string>> {
    /** Image reference with a tag or digest (e.g. an ImageRegistry URI). */
    image: pulumi.Input<string>;
    /** Non-root user, `uid:gid` or a user name the image defines. */
    user: string;
    /**
     * Overrides the image's ENTRYPOINT.
     * @default the image's entrypoint
     */
    entryPoint?: string[];
    /**
     * Overrides the image's CMD.
     * @default the image's command
     */
    command?: pulumi.Input<string>[];
    /**
     * Plain environment. Never put secret values here: use `secrets`.
     * @default {}
     */
    environment?: Record<string, pulumi.Input<string>>;
    /**
     * Environment variables filled by ECS from Secrets Manager: name → `valueFrom` (a secret ARN, or
     * `<arn>:<json-key>::`). The execution role may read exactly these secrets.
     * @default {}
     */
    secrets?: Record<string, Secret>;
}

/** A non-essential container that must exit 0 before the next init container and the app start. */
export interface ServiceInitContainer<Secret = pulumi.Input<string>> extends ServiceContainer<Secret> {
    /** Container name, unique in the task. */
    name: string;
}

/** The essential container. Its name is the service's `component`. */
export interface ServiceAppContainer<Secret = pulumi.Input<string>> extends ServiceContainer<Secret> {
    /**
     * TCP port the container listens on; callers are admitted to it with `allowFrom`.
     * @default none (nothing may connect)
     */
    port?: number;
    /** @default none */
    healthCheck?: ServiceHealthCheck;
    /** @default [] */
    mounts?: ServiceMount[];
    /**
     * Seconds between SIGTERM and SIGKILL (Fargate maximum 120).
     * @default 30
     */
    stopTimeout?: number;
}

/** Where the service's tasks sit behind the load balancer. */
export interface ServiceLoadBalancer {
    /** ALB target group for `container.port`. */
    targetGroupArn: pulumi.Input<string>;
    /**
     * Seconds the load balancer's health check is ignored after a task starts.
     * @default 300
     */
    healthCheckGracePeriodSeconds?: number;
}

/** CPU target tracking between two task counts. */
export interface ServiceAutoscaling {
    minCount: number;
    maxCount: number;
    /** Average CPU utilisation (%) to hold, 10–95 (lib/autoscaling.ts). */
    cpuTarget: number;
}

export interface ArchivematicaServiceArgs<Secret = pulumi.Input<string>> {
    /** Catalogue component name; the `ArchivematicaComponent` tag on the service and task definition. */
    component: string;
    /** ECS cluster the service runs in. */
    clusterArn: pulumi.Input<string>;
    /** VPC of the service's security group. */
    vpcId: pulumi.Input<string>;
    /** Private subnets for the tasks. */
    subnetIds: pulumi.Input<string>[];
    /** Region for the awslogs driver. */
    region: string;
    /** The essential container. Its name is `component`. */
    container: ServiceAppContainer<Secret>;
    /**
     * Init containers, run in this order; each depends on the previous one with SUCCESS and the
     * essential container depends on all of them with SUCCESS.
     * @default []
     */
    initContainers?: ServiceInitContainer<Secret>[];
    /** Task CPU units (a valid Fargate pair with `memory`). */
    cpu: number;
    /** Task memory (MiB). */
    memory: number;
    /**
     * Ephemeral storage of the task (GiB, 21–200).
     * @default Fargate's 20 GiB
     */
    ephemeralStorageGiB?: number;
    /**
     * `singleton`: exactly one task, never two during a deploy (min 0 % / max 100 %).
     * `rolling`: new tasks start before old ones stop (min 100 % / max 200 %).
     * @default "rolling"
     */
    deployment?: "singleton" | "rolling";
    /**
     * Tasks at deploy time (singletons always run 1).
     * @default 1
     */
    desiredCount?: number;
    /**
     * CPU target tracking. The service then ignores later changes to `desiredCount` so that a deploy
     * does not undo what autoscaling decided.
     * @default none
     */
    autoscaling?: ServiceAutoscaling;
    /** @default "FARGATE" */
    capacityProvider?: "FARGATE" | "FARGATE_SPOT";
    /**
     * The EFS file system and access points behind `container.mounts`.
     * @default none (required when there are mounts)
     */
    fileSystem?: {
        id: pulumi.Input<string>;
        arn: pulumi.Input<string>;
        accessPoints: Record<string, { id: pulumi.Input<string>; arn: pulumi.Input<string> }>;
    };
    /** Cloud Map private DNS namespace and the name to register (`<name>.<namespace>`, an A record). */
    discovery: { namespaceId: pulumi.Input<string>; name: string };
    /**
     * The load balancer's target group for `container.port`.
     * @default none
     */
    loadBalancer?: ServiceLoadBalancer;
    /**
     * More statements for the task role's inline policy, after the EFS and ECS Exec ones: what the
     * component's own code calls on AWS (e.g. the Storage Service's S3 locations).
     * @default [] (nothing beyond EFS and ECS Exec)
     */
    taskRoleStatements?: pulumi.Input<IamStatement[]>;
    /**
     * Log group where the cluster writes ECS Exec transcripts; the task role may write to it.
     * @default none
     */
    execLogGroupName?: pulumi.Input<string>;
    /** @default 30 */
    logRetentionDays?: number;
    /**
     * Task-definition family, also the log group's name (`/ecs/<family>`). Both are account-wide, so
     * two stacks in one account need different families.
     * @default the component resource's name
     */
    family?: string;
    /**
     * The execution role's statements that let ECS pull the task's images, and nothing else (e.g.
     * `ImageRegistry.pullStatements(images)`).
     * @default none (a public registry needs no permission)
     */
    imagePullStatements?: pulumi.Input<IamStatement[]>;
    /**
     * When set, `pulumi up` waits until the service is steady after a create or an update, for at most
     * this many minutes, and fails (naming the service and ECS's reason) when the deployment fails,
     * e.g. when the circuit breaker stops a bootstrap that keeps failing.
     * @default undefined (`pulumi up` returns once the service exists; the circuit breaker alone judges the rollout)
     */
    steadyStateTimeoutMinutes?: number;
    /**
     * Resources that must exist before the ECS service is created: the cluster's capacity providers,
     * the listener rule of the target group, the EFS mount targets, services whose work it needs.
     * (The service always waits for its own roles' inline policies.)
     * @default []
     */
    serviceDependsOn?: pulumi.Resource[];
    /** Required tags, set on every taggable child. */
    tags: Record<string, string>;
}

const FAMILY = /^[A-Za-z0-9_-]{1,255}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CONTAINER_NAME = /^[A-Za-z0-9_-]{1,255}$/;

/** Sorts object keys recursively so that the same definition always serialises to the same JSON. */
function sortKeys(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(sortKeys);
    if (value && typeof value === "object") {
        return Object.fromEntries(
            Object.keys(value as Record<string, unknown>)
                .sort()
                .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
                .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
        );
    }
    return value;
}

export class ArchivematicaService extends pulumi.ComponentResource implements Reachable {
    /** Name of the ECS service. */
    readonly serviceName: pulumi.Output<string>;
    readonly serviceArn: pulumi.Output<string>;
    /** Task-definition family (stable across revisions). */
    readonly family: string;
    readonly taskDefinitionArn: pulumi.Output<string>;
    readonly logGroupName: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;
    readonly taskRoleArn: pulumi.Output<string>;
    readonly executionRoleArn: pulumi.Output<string>;
    readonly discoveryServiceArn: pulumi.Output<string>;
    /** The ECS service itself: what a service that needs this one steady declares `dependsOn` on. */
    readonly ecsService: aws.ecs.Service;
    /** Name of the essential container (for ECS Exec). */
    readonly containerName: string;
    /** Names of the non-essential init containers, in the order they run (empty when there are none). */
    readonly initContainerNames: string[];
    readonly port?: number;

    private readonly baseName: string;
    private readonly tags: Record<string, string>;

    constructor(name: string, args: ArchivematicaServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("archivematica:index:ArchivematicaService", name, {}, opts);
        const a = normalize(name, args);
        this.baseName = name;
        this.tags = a.tags;
        this.family = args.family ?? name;
        this.containerName = a.component;
        this.initContainerNames = a.initContainers.map((c) => c.name);
        this.port = a.container.port;
        const scope: Scope = { name, a, parent: this, componentTags: { ArchivematicaComponent: a.component } };

        const logGroup = createLogGroup(scope, this.family);
        this.securityGroupId = createSecurityGroup(scope).id;
        // Image pulls, Secrets Manager, CloudWatch Logs and the SSM channels of ECS Exec are HTTPS endpoints.
        this.egressRule("https", {
            cidrIpv4: "0.0.0.0/0",
            port: 443,
            description: "HTTPS: image registry, Secrets Manager, CloudWatch Logs, ECS Exec",
        });
        const discovery = createDiscovery(scope);
        const roles = createRoles(scope, logGroup);
        const taskDefinition = createTaskDefinition(scope, this.family, roles, logGroup);
        const service = createService(scope, taskDefinition, this.securityGroupId, discovery, roles.policies);
        if (a.autoscaling) createAutoscaling(scope, a.autoscaling, service);

        this.discoveryServiceArn = discovery.arn;
        this.taskRoleArn = roles.task.arn;
        this.executionRoleArn = roles.execution.arn;
        this.taskDefinitionArn = taskDefinition.arn;
        this.ecsService = service;
        this.serviceName = service.name;
        this.serviceArn = service.id;
        this.logGroupName = logGroup.name;
        this.registerOutputs({
            serviceName: this.serviceName,
            family: this.family,
            taskDefinitionArn: this.taskDefinitionArn,
            logGroupName: this.logGroupName,
            securityGroupId: this.securityGroupId,
            discoveryServiceArn: this.discoveryServiceArn,
        });
    }

    /**
     * Admits TCP on the container's port from `sourceSecurityGroupId`: one ingress rule named
     * `${name}-from-${sourceName}`.
     */
    allowFrom(sourceName: string, sourceSecurityGroupId: pulumi.Input<string>): void {
        if (this.port === undefined) {
            throw new Error(
                `ArchivematicaService "${this.baseName}": allowFrom("${sourceName}") needs container.port; valid: set container.port`,
            );
        }
        ingressFrom(this, `${this.baseName}-from-${sourceName}`, {
            securityGroupId: this.securityGroupId,
            sourceSecurityGroupId,
            port: this.port,
            description: `${this.containerName} ${this.port} from ${sourceName}`,
            tags: this.tags,
        });
    }

    /**
     * Lets the tasks open TCP connections to `port` (through `toPort`, if given) of a security group
     * or a CIDR: one egress rule named `${name}-to-${targetName}`.
     */
    allowTo(
        targetName: string,
        target: { securityGroupId?: pulumi.Input<string>; cidrIpv4?: string; port: pulumi.Input<number>; toPort?: number },
    ): void {
        this.egressRule(targetName, { ...target, description: `${this.containerName} to ${targetName}` });
    }

    private egressRule(
        targetName: string,
        target: {
            securityGroupId?: pulumi.Input<string>;
            cidrIpv4?: string;
            port: pulumi.Input<number>;
            toPort?: number;
            description: string;
        },
    ): void {
        const ruleName = `${this.baseName}-to-${targetName}`;
        new aws.vpc.SecurityGroupEgressRule(
            ruleName,
            {
                securityGroupId: this.securityGroupId,
                referencedSecurityGroupId: target.securityGroupId,
                cidrIpv4: target.cidrIpv4,
                ipProtocol: "tcp",
                fromPort: target.port,
                toPort: target.toPort ?? target.port,
                description: target.description,
                tags: mergeTags(this.tags, ruleName),
            },
            { parent: this },
        );
    }
}

/** What every step of the constructor needs: the component's name, its normalized args, its parent. */
interface Scope {
    name: string;
    a: Normalized;
    parent: pulumi.Resource;
    componentTags: Record<string, string>;
}

/** The log group of every container of the task: `/ecs/<family>`. */
function createLogGroup({ name, a, parent, componentTags }: Scope, family: string): aws.cloudwatch.LogGroup {
    return new aws.cloudwatch.LogGroup(
        `${name}-logs`,
        {
            name: `/ecs/${family}`,
            retentionInDays: a.logRetentionDays,
            tags: mergeTags(a.tags, `${name}-logs`, componentTags),
        },
        { parent },
    );
}

/** The tasks' security group, without inline rules: allowFrom/allowTo (and other parts) add theirs. */
function createSecurityGroup({ name, a, parent, componentTags }: Scope): aws.ec2.SecurityGroup {
    return new aws.ec2.SecurityGroup(
        `${name}-sg`,
        {
            vpcId: a.vpcId,
            description: `Archivematica ${a.component} tasks`,
            revokeRulesOnDelete: true,
            tags: mergeTags(a.tags, `${name}-sg`, componentTags),
        },
        { parent },
    );
}

/** The Cloud Map service: `<discovery.name>.<namespace>`, an A record per task. */
function createDiscovery({ name, a, parent, componentTags }: Scope): aws.servicediscovery.Service {
    return new aws.servicediscovery.Service(
        `${name}-discovery`,
        {
            name: a.discovery.name,
            dnsConfig: {
                namespaceId: a.discovery.namespaceId,
                dnsRecords: [{ type: "A", ttl: 10 }],
                routingPolicy: "MULTIVALUE",
            },
            // Lets `pulumi destroy` remove the record set even if ECS left an instance behind.
            forceDestroy: true,
            tags: mergeTags(a.tags, `${name}-discovery`, componentTags),
        },
        { parent },
    );
}

/** The task role (what the containers may do) and the execution role (what ECS may do to start them), each with its inline policy. */
function createRoles({ name, a, parent, componentTags }: Scope, logGroup: aws.cloudwatch.LogGroup): Roles {
    const identity = aws.getCallerIdentityOutput({}, { parent });
    const partition = aws.getPartitionOutput({}, { parent });
    const assumeRolePolicy = pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: "ecs-tasks.amazonaws.com" },
                Action: "sts:AssumeRole",
                // Only ECS tasks of this account may assume the role (confused-deputy guard).
                Condition: { StringEquals: { "aws:SourceAccount": identity.accountId } },
            },
        ],
    });
    const task = new aws.iam.Role(
        `${name}-task`,
        {
            description: `Archivematica ${a.component}: what the running containers may do`,
            assumeRolePolicy,
            tags: mergeTags(a.tags, `${name}-task`, componentTags),
        },
        { parent },
    );
    const taskRolePolicy = new aws.iam.RolePolicy(
        `${name}-task-policy`,
        { role: task.id, policy: taskPolicy(a, partition.partition, identity.accountId) },
        { parent },
    );
    const execution = new aws.iam.Role(
        `${name}-execution`,
        {
            description: `Archivematica ${a.component}: what ECS may do to start its tasks`,
            assumeRolePolicy,
            tags: mergeTags(a.tags, `${name}-execution`, componentTags),
        },
        { parent },
    );
    const executionRolePolicy = new aws.iam.RolePolicy(
        `${name}-execution-policy`,
        { role: execution.id, policy: executionPolicy(a, logGroup.arn) },
        { parent },
    );
    return { task, execution, policies: [taskRolePolicy, executionRolePolicy] };
}

/** The two roles, and their inline policies (IAM is eventually consistent: the service waits for both). */
interface Roles {
    task: aws.iam.Role;
    execution: aws.iam.Role;
    policies: aws.iam.RolePolicy[];
}

/** The Fargate task definition: sizes, roles, containers, and one EFS volume per mounted access point. */
function createTaskDefinition(
    { name, a, parent, componentTags }: Scope,
    family: string,
    roles: Roles,
    logGroup: aws.cloudwatch.LogGroup,
): aws.ecs.TaskDefinition {
    return new aws.ecs.TaskDefinition(
        `${name}-task-definition`,
        {
            family,
            networkMode: "awsvpc",
            requiresCompatibilities: ["FARGATE"],
            runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
            cpu: String(a.cpu),
            memory: String(a.memory),
            ephemeralStorage: a.ephemeralStorageGiB ? { sizeInGib: a.ephemeralStorageGiB } : undefined,
            taskRoleArn: roles.task.arn,
            executionRoleArn: roles.execution.arn,
            containerDefinitions: containerDefinitions(a, logGroup.name),
            volumes: volumeNames(a).map((volume) => ({
                name: volume,
                efsVolumeConfiguration: {
                    fileSystemId: a.fileSystem!.id,
                    transitEncryption: "ENABLED",
                    authorizationConfig: { accessPointId: a.fileSystem!.accessPoints[volume].id, iam: "ENABLED" },
                },
            })),
            tags: mergeTags(a.tags, `${name}-task-definition`, componentTags),
        },
        { parent },
    );
}

/**
 * The ECS service: private subnets, circuit breaker, discovery, the load balancer if any, ECS Exec.
 * Created after its roles' inline policies (a task started before they propagate fails with "unable
 * to pull secrets") and after `serviceDependsOn`.
 */
function createService(
    { name, a, parent, componentTags }: Scope,
    taskDefinition: aws.ecs.TaskDefinition,
    securityGroupId: pulumi.Output<string>,
    discovery: aws.servicediscovery.Service,
    rolePolicies: aws.iam.RolePolicy[],
): aws.ecs.Service {
    const singleton = a.deployment === "singleton";
    return new aws.ecs.Service(
        `${name}-service`,
        {
            cluster: a.clusterArn,
            taskDefinition: taskDefinition.arn,
            desiredCount: a.desiredCount,
            deploymentMinimumHealthyPercent: singleton ? 0 : 100,
            deploymentMaximumPercent: singleton ? 100 : 200,
            deploymentCircuitBreaker: { enable: true, rollback: true },
            capacityProviderStrategies: [{ capacityProvider: a.capacityProvider, weight: 1, base: 0 }],
            // Without it the AWS provider treats any change of the capacity provider strategy as a
            // replacement of the service (terraform-provider-aws internal/service/ecs/service.go,
            // capacityProviderStrategyCustomizeDiff); with it, an in-place update that redeploys the tasks.
            forceNewDeployment: true,
            networkConfiguration: { subnets: a.subnetIds, securityGroups: [securityGroupId], assignPublicIp: false },
            serviceRegistries: { registryArn: discovery.arn },
            loadBalancers: a.loadBalancer
                ? [{ targetGroupArn: a.loadBalancer.targetGroupArn, containerName: a.component, containerPort: a.container.port! }]
                : undefined,
            healthCheckGracePeriodSeconds: a.loadBalancer ? a.loadBalancer.healthCheckGracePeriodSeconds : undefined,
            enableExecuteCommand: true,
            enableEcsManagedTags: true,
            propagateTags: "SERVICE",
            // With a timeout, the AWS provider waits for the service's new deployment to end and fails
            // with ECS's reason when it ends STOPPED or rolled back, i.e. when the circuit breaker
            // tripped (terraform-provider-aws internal/service/ecs/service.go, statusServiceWaitForStable
            // and findDeploymentStatus): the error names this resource, so `pulumi up` names the service.
            waitForSteadyState: a.steadyStateTimeoutMinutes !== undefined,
            tags: mergeTags(a.tags, `${name}-service`, componentTags),
        },
        {
            parent,
            ignoreChanges: a.autoscaling ? ["desiredCount"] : undefined,
            dependsOn: [...rolePolicies, ...a.serviceDependsOn],
            customTimeouts:
                a.steadyStateTimeoutMinutes !== undefined
                    ? { create: `${a.steadyStateTimeoutMinutes}m`, update: `${a.steadyStateTimeoutMinutes}m` }
                    : undefined,
        },
    );
}

/** CPU target tracking on the service's desired count. */
function createAutoscaling({ name, a, parent, componentTags }: Scope, scaling: ServiceAutoscaling, service: aws.ecs.Service): void {
    const target = new aws.appautoscaling.Target(
        `${name}-scaling`,
        {
            serviceNamespace: "ecs",
            scalableDimension: "ecs:service:DesiredCount",
            resourceId: pulumi.interpolate`service/${clusterNameOf(a.clusterArn)}/${service.name}`,
            minCapacity: scaling.minCount,
            maxCapacity: scaling.maxCount,
            tags: mergeTags(a.tags, `${name}-scaling`, componentTags),
        },
        { parent },
    );
    new aws.appautoscaling.Policy(
        `${name}-cpu`,
        {
            policyType: "TargetTrackingScaling",
            serviceNamespace: target.serviceNamespace,
            scalableDimension: target.scalableDimension,
            resourceId: target.resourceId,
            targetTrackingScalingPolicyConfiguration: {
                predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
                targetValue: scaling.cpuTarget,
                scaleOutCooldown: 120,
                // Scale-in stops a task and with it the jobs it runs; wait long before deciding to.
                scaleInCooldown: 900,
            },
        },
        { parent },
    );
}

type NormalizedContainer = ServiceContainer & {
    environment: Record<string, pulumi.Input<string>>;
    secrets: Record<string, pulumi.Input<string>>;
};

/** The arguments after defaults: every optional field that has a default is filled in. */
interface Normalized {
    component: string;
    clusterArn: pulumi.Input<string>;
    vpcId: pulumi.Input<string>;
    subnetIds: pulumi.Input<string>[];
    region: string;
    container: NormalizedContainer & Omit<ServiceAppContainer, keyof ServiceContainer> & { mounts: ServiceMount[]; stopTimeout: number };
    initContainers: (NormalizedContainer & { name: string })[];
    cpu: number;
    memory: number;
    ephemeralStorageGiB?: number;
    deployment: "singleton" | "rolling";
    desiredCount: number;
    autoscaling?: ServiceAutoscaling;
    capacityProvider: "FARGATE" | "FARGATE_SPOT";
    fileSystem?: ArchivematicaServiceArgs["fileSystem"];
    discovery: { namespaceId: pulumi.Input<string>; name: string };
    loadBalancer?: { targetGroupArn: pulumi.Input<string>; healthCheckGracePeriodSeconds: number };
    execLogGroupName?: pulumi.Input<string>;
    taskRoleStatements: pulumi.Input<IamStatement[]>;
    logRetentionDays: number;
    imagePullStatements: pulumi.Input<IamStatement[]>;
    steadyStateTimeoutMinutes?: number;
    serviceDependsOn: pulumi.Resource[];
    tags: Record<string, string>;
}

/** Applies defaults and checks every argument before any child is created. */
function normalize(name: string, args: ArchivematicaServiceArgs): Normalized {
    const fail = (field: string, problem: string, valid: string): never => {
        throw new Error(`ArchivematicaService "${name}": ${field} ${problem}; valid: ${valid}`);
    };
    const family = args.family ?? name;
    if (!FAMILY.test(family))
        fail(args.family ? "family" : "name", `"${family}" cannot be a task-definition family`, "1-255 letters, digits, - or _");
    if (!CONTAINER_NAME.test(args.component))
        fail("component", `"${args.component}" is not a valid container name`, "1-255 letters, digits, - or _");
    if (!isValidFargateSize(args.cpu, args.memory)) {
        const options = fargateMemoryOptions(args.cpu);
        if (!options.length) fail("cpu", `${args.cpu} is not a Fargate CPU size`, Object.keys(FARGATE_SIZES).join(", "));
        fail(
            "memory",
            `${args.memory} MiB is not valid with cpu ${args.cpu}`,
            `${options[0]} to ${options[options.length - 1]} MiB (${options.length} values)`,
        );
    }
    if (
        args.ephemeralStorageGiB !== undefined &&
        (!Number.isInteger(args.ephemeralStorageGiB) ||
            args.ephemeralStorageGiB < EPHEMERAL_STORAGE.min ||
            args.ephemeralStorageGiB > EPHEMERAL_STORAGE.max)
    ) {
        fail(
            "ephemeralStorageGiB",
            `${args.ephemeralStorageGiB} is out of range`,
            `${EPHEMERAL_STORAGE.min} to ${EPHEMERAL_STORAGE.max} (Fargate's default is 20)`,
        );
    }
    const deployment = args.deployment ?? "rolling";
    const desiredCount = deployment === "singleton" ? 1 : (args.desiredCount ?? 1);
    if (deployment === "singleton" && args.desiredCount !== undefined && args.desiredCount !== 1) {
        fail("desiredCount", `${args.desiredCount} is not allowed for a singleton`, "1");
    }
    if (deployment === "singleton" && args.autoscaling) fail("autoscaling", "is not allowed for a singleton", "none");
    if (!Number.isInteger(desiredCount) || desiredCount < 0) fail("desiredCount", `${desiredCount} is not a task count`, "an integer ≥ 0");
    if (args.autoscaling) {
        const { minCount, maxCount, cpuTarget } = args.autoscaling;
        if (minCount > maxCount) fail("autoscaling.minCount", `${minCount} is above maxCount ${maxCount}`, `0 to ${maxCount}`);
        if (desiredCount < minCount || desiredCount > maxCount)
            fail("desiredCount", `${desiredCount} is outside autoscaling ${minCount}..${maxCount}`, `${minCount} to ${maxCount}`);
        if (!isCpuTarget(cpuTarget)) fail("autoscaling.cpuTarget", `${cpuTarget} is out of range`, CPU_TARGET_RANGE);
    }
    const stopTimeout = args.container.stopTimeout ?? 30;
    if (!Number.isInteger(stopTimeout) || stopTimeout < 2 || stopTimeout > 120)
        fail("container.stopTimeout", `${stopTimeout} is out of range`, "2 to 120 seconds");
    const hc = args.container.healthCheck;
    if (hc) {
        const check = (field: string, v: number | undefined, min: number, max: number) => {
            if (v !== undefined && (!Number.isInteger(v) || v < min || v > max))
                fail(`container.healthCheck.${field}`, `${v} is out of range`, `${min} to ${max}`);
        };
        check("interval", hc.interval, 5, 300);
        check("timeout", hc.timeout, 2, 60);
        check("retries", hc.retries, 1, 10);
        check("startPeriod", hc.startPeriod, 0, 300);
        if (!["CMD", "CMD-SHELL"].includes(hc.command[0]) || hc.command.length < 2)
            fail(
                "container.healthCheck.command",
                `${JSON.stringify(hc.command)} is not an ECS health-check command`,
                '["CMD-SHELL", "<shell command>"] or ["CMD", "<exe>", ...]',
            );
    }
    const port = args.container.port;
    if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535))
        fail("container.port", `${port} is not a port`, "1 to 65535");
    const loadBalancer = args.loadBalancer
        ? {
              targetGroupArn: args.loadBalancer.targetGroupArn,
              healthCheckGracePeriodSeconds: args.loadBalancer.healthCheckGracePeriodSeconds ?? 300,
          }
        : undefined;
    if (loadBalancer && port === undefined) fail("loadBalancer", "needs container.port", "set container.port");
    const timeout = args.steadyStateTimeoutMinutes;
    if (timeout !== undefined && (!Number.isInteger(timeout) || timeout < 10 || timeout > 240))
        fail("steadyStateTimeoutMinutes", `${timeout} is out of range`, "10 to 240 minutes");

    const mounts = args.container.mounts ?? [];
    for (const m of mounts) {
        if (!args.fileSystem) fail("fileSystem", `is required by the mount of ${m.volume}`, "the EFS file system and its access points");
        if (!args.fileSystem!.accessPoints[m.volume])
            fail(`container.mounts[${m.volume}]`, "has no access point", Object.keys(args.fileSystem!.accessPoints).sort().join(", "));
        if (!m.containerPath.startsWith("/"))
            fail(`container.mounts[${m.volume}].containerPath`, `"${m.containerPath}" is not absolute`, "an absolute path");
    }
    const paths = mounts.map((m) => m.containerPath);
    if (new Set(paths).size !== paths.length) fail("container.mounts", "mount two volumes at one path", "distinct container paths");

    const initContainers = (args.initContainers ?? []).map((c) => ({ ...c, environment: c.environment ?? {}, secrets: c.secrets ?? {} }));
    const names = [args.component, ...initContainers.map((c) => c.name)];
    for (const n of names)
        if (!CONTAINER_NAME.test(n)) fail("initContainers", `name "${n}" is not a valid container name`, "1-255 letters, digits, - or _");
    if (new Set(names).size !== names.length)
        fail("initContainers", "repeat a container name", `names distinct from each other and from "${args.component}"`);

    const container = {
        ...args.container,
        environment: args.container.environment ?? {},
        secrets: args.container.secrets ?? {},
        mounts,
        stopTimeout,
    };
    for (const c of [{ name: args.component, ...container }, ...initContainers]) {
        for (const key of [...Object.keys(c.environment), ...Object.keys(c.secrets)]) {
            if (!ENV_NAME.test(key))
                fail(
                    `container "${c.name}" environment`,
                    `name "${key}" is not a variable name`,
                    "letters, digits and _, not starting with a digit",
                );
        }
        const both = Object.keys(c.environment).filter((k) => k in c.secrets);
        if (both.length)
            fail(
                `container "${c.name}" environment`,
                `sets ${both.join(", ")} both as plain value and as secret`,
                "each name in environment or in secrets, not both",
            );
        if (c.user === "" || /^(root|0)(:|$)/.test(c.user))
            fail(`container "${c.name}" user`, `"${c.user}" is root or empty`, "a non-root uid:gid or user name");
    }

    return {
        component: args.component,
        clusterArn: args.clusterArn,
        vpcId: args.vpcId,
        subnetIds: args.subnetIds,
        region: args.region,
        container,
        initContainers,
        cpu: args.cpu,
        memory: args.memory,
        ephemeralStorageGiB: args.ephemeralStorageGiB,
        deployment,
        desiredCount,
        autoscaling: args.autoscaling,
        capacityProvider: args.capacityProvider ?? "FARGATE",
        fileSystem: args.fileSystem,
        discovery: args.discovery,
        loadBalancer,
        execLogGroupName: args.execLogGroupName,
        taskRoleStatements: args.taskRoleStatements ?? [],
        logRetentionDays: args.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
        imagePullStatements: args.imagePullStatements ?? [],
        steadyStateTimeoutMinutes: timeout,
        serviceDependsOn: args.serviceDependsOn ?? [],
        tags: args.tags,
    };
}

/** Volumes in use, in a fixed order. */
function volumeNames(a: Normalized): string[] {
    return [...new Set(a.container.mounts.map((m) => m.volume))].sort();
}

/** Every secret `valueFrom` the task's containers read. */
function allSecretRefs(a: Normalized): pulumi.Input<string>[] {
    return [a.container, ...a.initContainers].flatMap((c) => Object.values(c.secrets));
}

function nameValues(map: Record<string, pulumi.Input<string>>, valueKey: "value" | "valueFrom") {
    return Object.keys(map)
        .sort()
        .map((name) => ({ name, [valueKey]: map[name] }));
}

/**
 * The task's container definitions as JSON. Containers, variables, secrets and mounts are sorted and
 * object keys ordered, so that the same inputs always produce byte-identical JSON: ECS registers a new
 * task-definition revision (and redeploys) on any textual difference.
 */
function containerDefinitions(a: Normalized, logGroupName: pulumi.Output<string>): pulumi.Output<string> {
    const logging = (streamPrefix: string) => ({
        logDriver: "awslogs",
        options: { "awslogs-group": logGroupName, "awslogs-region": a.region, "awslogs-stream-prefix": streamPrefix },
    });
    const inits = a.initContainers.map((c, i) => ({
        name: c.name,
        image: c.image,
        essential: false,
        user: c.user,
        entryPoint: c.entryPoint,
        command: c.command,
        environment: nameValues(c.environment, "value"),
        secrets: nameValues(c.secrets, "valueFrom"),
        readonlyRootFilesystem: false,
        logConfiguration: logging(`init-${c.name}`),
        dependsOn: i === 0 ? undefined : [{ containerName: a.initContainers[i - 1].name, condition: "SUCCESS" }],
    }));
    const c = a.container;
    const hc = c.healthCheck;
    const essential = {
        name: a.component,
        image: c.image,
        essential: true,
        user: c.user,
        entryPoint: c.entryPoint,
        command: c.command,
        portMappings: c.port !== undefined ? [{ containerPort: c.port, hostPort: c.port, protocol: "tcp" }] : undefined,
        environment: nameValues(c.environment, "value"),
        secrets: nameValues(c.secrets, "valueFrom"),
        mountPoints: [...c.mounts]
            .sort((x, y) => x.containerPath.localeCompare(y.containerPath))
            .map((m) => ({ sourceVolume: m.volume, containerPath: m.containerPath, readOnly: m.readOnly ?? false })),
        healthCheck: hc
            ? {
                  command: hc.command,
                  interval: hc.interval ?? 30,
                  timeout: hc.timeout ?? 5,
                  retries: hc.retries ?? 3,
                  startPeriod: hc.startPeriod ?? 0,
              }
            : undefined,
        stopTimeout: c.stopTimeout,
        // ECS Exec installs its agent into the container's filesystem.
        readonlyRootFilesystem: false,
        // Reaps the ECS Exec agent's children (and the app's), as AWS recommends for Exec.
        linuxParameters: { initProcessEnabled: true },
        logConfiguration: logging(a.component),
        dependsOn: a.initContainers.length ? a.initContainers.map((i) => ({ containerName: i.name, condition: "SUCCESS" })) : undefined,
    };
    const all = [...inits, essential].sort((x, y) => x.name.localeCompare(y.name));
    return pulumi.output(all).apply((defs) => JSON.stringify(sortKeys(defs)));
}

/** Task role: EFS client access through the task's access points only, the ECS Exec channels, then `taskRoleStatements`. */
function taskPolicy(a: Normalized, partition: pulumi.Input<string>, accountId: pulumi.Input<string>): pulumi.Output<string> {
    const statements: unknown[] = [];
    const volumes = volumeNames(a);
    if (volumes.length) {
        const writable = a.container.mounts.some((m) => !m.readOnly);
        statements.push({
            Sid: "EfsThroughAccessPoints",
            Effect: "Allow",
            // Never ClientRootAccess: the access points enforce the image's uid.
            Action: writable ? ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"] : ["elasticfilesystem:ClientMount"],
            Resource: a.fileSystem!.arn,
            Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": volumes.map((v) => a.fileSystem!.accessPoints[v].arn) } },
        });
    }
    statements.push({
        Sid: "EcsExec",
        Effect: "Allow",
        Action: [
            "ssmmessages:CreateControlChannel",
            "ssmmessages:CreateDataChannel",
            "ssmmessages:OpenControlChannel",
            "ssmmessages:OpenDataChannel",
        ],
        Resource: "*",
    });
    if (a.execLogGroupName) {
        statements.push(
            { Sid: "EcsExecTranscriptLogGroups", Effect: "Allow", Action: ["logs:DescribeLogGroups"], Resource: "*" },
            {
                Sid: "EcsExecTranscript",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
                Resource: pulumi.interpolate`arn:${partition}:logs:${a.region}:${accountId}:log-group:${a.execLogGroupName}:*`,
            },
        );
    }
    const all = pulumi.all([pulumi.output(statements), pulumi.output(a.taskRoleStatements)]).apply(([own, extra]) => [...own, ...extra]);
    return pulumi.jsonStringify({ Version: "2012-10-17", Statement: all });
}

/** Execution role: write its own log group, read exactly the task's secrets, pull exactly its images. */
function executionPolicy(a: Normalized, logGroupArn: pulumi.Output<string>): pulumi.Output<string> {
    return pulumi.all([pulumi.all(allSecretRefs(a)), logGroupArn, pulumi.output(a.imagePullStatements)]).apply(([refs, logArn, pull]) => {
        // One grant per secret, whichever JSON keys of it the containers read.
        const secretArns = [...new Set(refs.map(secretBaseArn))].sort();
        const statements: unknown[] = [
            { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logArn}:*` },
        ];
        if (secretArns.length) {
            statements.push({ Sid: "ReadOwnSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: secretArns });
        }
        statements.push(...pull);
        return JSON.stringify({ Version: "2012-10-17", Statement: statements });
    });
}

/** `arn:aws:ecs:<region>:<account>:cluster/<name>` → `<name>` (autoscaling addresses services by cluster name). */
function clusterNameOf(clusterArn: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.output(clusterArn).apply((arn) => arn.split("/").pop() ?? arn);
}
