/**
 * ArchivematicaService: one component of the pipeline as one ECS Fargate service — its task (built by
 * the task builder, ./task: one essential container with ECS Exec, optional init containers, log
 * group, task and execution roles), security group, Cloud Map record, the service, and optionally CPU
 * autoscaling. Generic: what runs comes from the catalogue through services.ts.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Reachable } from "../interfaces";
import { CPU_TARGET_RANGE, isCpuTarget } from "../../lib/autoscaling";
import { DEFAULT_LOG_RETENTION_DAYS } from "../../lib/cloudwatch-logs";
import { CONTAINER_NAME } from "../../lib/ecs";
import type { IamStatement } from "../../lib/iam";
import { ingressFrom } from "../../lib/security-groups";
import { mergeTags } from "../../lib/tags";
import {
    checkTask,
    createLogGroups,
    createTaskDefinition,
    createTaskRoles,
    EssentialContainer,
    failer,
    InitContainer,
    logGroupArns,
    TaskContainers,
    TaskFileSystem,
    TaskLogGroups,
    TaskRoles,
    TaskScope,
} from "./task";

/** The essential container of a service. Its name is the service's `component`; it always has ECS Exec. */
export type ServiceAppContainer<Secret = pulumi.Input<string>> = Omit<
    EssentialContainer<Secret>,
    "name" | "ecsExec" | "readonlyRootFilesystem"
>;

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
    initContainers?: InitContainer<Secret>[];
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
    fileSystem?: TaskFileSystem;
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

/** A task-definition family (also the log group's name, `/ecs/<family>`). */
const FAMILY = CONTAINER_NAME;

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
        this.initContainerNames = (a.task.containers.initContainers ?? []).map((c) => c.name);
        this.port = a.task.containers.essential.port;
        const scope: Scope = { name, a, parent: this, tags: a.tags, componentTags: { ArchivematicaComponent: a.component } };

        const logGroups = createLogGroups(scope, this.family, a.logRetentionDays, a.task.containers);
        this.securityGroupId = createSecurityGroup(scope).id;
        // Image pulls, Secrets Manager, CloudWatch Logs and the SSM channels of ECS Exec are HTTPS endpoints.
        this.egressRule("https", {
            cidrIpv4: "0.0.0.0/0",
            port: 443,
            description: "HTTPS: image registry, Secrets Manager, CloudWatch Logs, ECS Exec",
        });
        const discovery = createDiscovery(scope);
        const roles = createRoles(scope, logGroups);
        const taskDefinition = createTaskDefinition(scope, { ...a.task, family: this.family, region: a.region }, roles, logGroups);
        const service = createService(scope, taskDefinition, this.securityGroupId, discovery, roles.policies);
        if (a.autoscaling) createAutoscaling(scope, a.autoscaling, service);

        this.discoveryServiceArn = discovery.arn;
        this.taskRoleArn = roles.task.arn;
        this.executionRoleArn = roles.execution.arn;
        this.taskDefinitionArn = taskDefinition.arn;
        this.ecsService = service;
        this.serviceName = service.name;
        this.serviceArn = service.id;
        this.logGroupName = logGroups.task.name;
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
interface Scope extends TaskScope {
    a: Normalized;
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

/**
 * The task role (EFS through the task's access points, ECS Exec, then `taskRoleStatements`) and the
 * execution role (its log group, exactly its secrets, exactly its images).
 */
function createRoles(scope: Scope, logGroups: TaskLogGroups): TaskRoles {
    const { a, parent } = scope;
    const account = {
        accountId: aws.getCallerIdentityOutput({}, { parent }).accountId,
        partition: aws.getPartitionOutput({}, { parent }).partition,
    };
    return createTaskRoles(
        scope,
        {
            ...a.task,
            region: a.region,
            descriptions: {
                task: `Archivematica ${a.component}: what the running containers may do`,
                execution: `Archivematica ${a.component}: what ECS may do to start its tasks`,
            },
        },
        account,
        logGroupArns(logGroups),
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
                ? [
                      {
                          targetGroupArn: a.loadBalancer.targetGroupArn,
                          containerName: a.component,
                          containerPort: a.task.containers.essential.port!,
                      },
                  ]
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

/** The arguments after defaults: every optional field that has a default is filled in. */
interface Normalized {
    component: string;
    clusterArn: pulumi.Input<string>;
    vpcId: pulumi.Input<string>;
    subnetIds: pulumi.Input<string>[];
    region: string;
    /** What the task builder makes: containers (the essential one named `component`), size, file system, statements. */
    task: {
        containers: TaskContainers & { essential: { mounts: NonNullable<EssentialContainer["mounts"]> } };
        cpu: number;
        memory: number;
        ephemeralStorageGiB?: number;
        fileSystem?: TaskFileSystem;
        taskRoleStatements: pulumi.Input<IamStatement[]>;
        execLogGroupName?: pulumi.Input<string>;
        imagePullStatements: pulumi.Input<IamStatement[]>;
    };
    deployment: "singleton" | "rolling";
    desiredCount: number;
    autoscaling?: ServiceAutoscaling;
    capacityProvider: "FARGATE" | "FARGATE_SPOT";
    discovery: { namespaceId: pulumi.Input<string>; name: string };
    loadBalancer?: { targetGroupArn: pulumi.Input<string>; healthCheckGracePeriodSeconds: number };
    logRetentionDays: number;
    steadyStateTimeoutMinutes?: number;
    serviceDependsOn: pulumi.Resource[];
    tags: Record<string, string>;
}

/** Applies defaults and checks every argument before any child is created. */
function normalize(name: string, args: ArchivematicaServiceArgs): Normalized {
    const fail = failer("ArchivematicaService", name);
    const family = args.family ?? name;
    if (!FAMILY.test(family))
        fail(args.family ? "family" : "name", `"${family}" cannot be a task-definition family`, "1-255 letters, digits, - or _");
    if (!CONTAINER_NAME.test(args.component))
        fail("component", `"${args.component}" is not a valid container name`, "1-255 letters, digits, - or _");
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
    const loadBalancer = args.loadBalancer
        ? {
              targetGroupArn: args.loadBalancer.targetGroupArn,
              healthCheckGracePeriodSeconds: args.loadBalancer.healthCheckGracePeriodSeconds ?? 300,
          }
        : undefined;
    if (loadBalancer && args.container.port === undefined) fail("loadBalancer", "needs container.port", "set container.port");
    const timeout = args.steadyStateTimeoutMinutes;
    if (timeout !== undefined && (!Number.isInteger(timeout) || timeout < 10 || timeout > 240))
        fail("steadyStateTimeoutMinutes", `${timeout} is out of range`, "10 to 240 minutes");

    const task: Normalized["task"] = {
        containers: {
            essential: {
                ...args.container,
                name: args.component,
                environment: args.container.environment ?? {},
                secrets: args.container.secrets ?? {},
                mounts: args.container.mounts ?? [],
                stopTimeout: args.container.stopTimeout ?? 30,
                ecsExec: true,
            },
            // The bootstrap steps write where their images expect to (Python caches, temporary files).
            initContainers: (args.initContainers ?? []).map((c) => ({ ...c, readonlyRootFilesystem: false })),
        },
        cpu: args.cpu,
        memory: args.memory,
        ephemeralStorageGiB: args.ephemeralStorageGiB,
        fileSystem: args.fileSystem,
        taskRoleStatements: args.taskRoleStatements ?? [],
        execLogGroupName: args.execLogGroupName,
        imagePullStatements: args.imagePullStatements ?? [],
    };
    const logRetentionDays = args.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS;
    checkTask({ ...task, logRetentionDays }, fail);

    return {
        component: args.component,
        clusterArn: args.clusterArn,
        vpcId: args.vpcId,
        subnetIds: args.subnetIds,
        region: args.region,
        task,
        deployment,
        desiredCount,
        autoscaling: args.autoscaling,
        capacityProvider: args.capacityProvider ?? "FARGATE",
        discovery: args.discovery,
        loadBalancer,
        logRetentionDays,
        steadyStateTimeoutMinutes: timeout,
        serviceDependsOn: args.serviceDependsOn ?? [],
        tags: args.tags,
    };
}

/** `arn:aws:ecs:<region>:<account>:cluster/<name>` → `<name>` (autoscaling addresses services by cluster name). */
function clusterNameOf(clusterArn: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.output(clusterArn).apply((arn) => arn.split("/").pop() ?? arn);
}
