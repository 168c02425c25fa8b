/**
 * ArchivematicaService's arguments: what a catalogue entry and services.ts decide (the public types,
 * each with its TSDoc and default), and `normalize`, which applies the defaults and checks every
 * argument before any child is created. The containers' checks are the task builder's (../task).
 */
import * as pulumi from "@pulumi/pulumi";
import { CPU_TARGET_RANGE, isCpuTarget } from "../../../lib/autoscaling";
import { DEFAULT_LOG_RETENTION_DAYS } from "../../../lib/cloudwatch-logs";
import { CONTAINER_NAME } from "../../../lib/ecs";
import type { IamStatement } from "../../../lib/iam";
import { checkTask, EssentialContainer, failer, InitContainer, Sidecar, TaskContainers, TaskFileSystem, TaskScope } from "../task";

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
    /**
     * Non-essential containers beside the essential one (e.g. a metrics exporter): read-only root
     * unless they say otherwise, logging to the task's group or (`logGroup: "own"`) to their own.
     * @default []
     */
    sidecars?: Sidecar<Secret>[];
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
/** A task-definition family (also the log group's name, `/ecs/<family>`). */
const FAMILY = CONTAINER_NAME;

/** What every step of the constructor needs: the component's name, its normalized args, its parent. */
export interface Scope extends TaskScope {
    a: Normalized;
}

/** The arguments after defaults: every optional field that has a default is filled in. */
export interface Normalized {
    component: string;
    /** Task-definition family and log group name: `args.family`, or the component resource's name. */
    family: string;
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
export function normalize(name: string, args: ArchivematicaServiceArgs): Normalized {
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
            sidecars: args.sidecars,
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
        family,
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
