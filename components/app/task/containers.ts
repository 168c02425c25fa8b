/**
 * The containers of one ECS task, and their definitions as ECS reads them. A task has one essential
 * container, optional init containers that run before it (each must exit 0), and optional sidecars
 * that run beside it (non-essential: a sidecar that stops does not stop the task).
 *
 * `Secret` is how a secret is referenced: a Secrets Manager `valueFrom` here; the catalogue builds the
 * same shapes with logical secret names, which services.ts maps to ARNs.
 */
import * as pulumi from "@pulumi/pulumi";

/** A container health check (seconds; ECS bounds: interval 5–300, timeout 2–60, retries 1–10, startPeriod 0–300). */
export interface HealthCheck {
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

/** An EFS access point mounted into a container. */
export interface Mount {
    /** Key of the task's `fileSystem.accessPoints` (also the task volume's name). */
    volume: string;
    /** Absolute path in the container. */
    containerPath: string;
    /** @default false */
    readOnly?: boolean;
}

/** What every container of a task runs. */
export interface TaskContainer<Secret = pulumi.Input<string>> {
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
    /**
     * The root filesystem is read-only; the container writes only to its mounts.
     * @default true
     */
    readonlyRootFilesystem?: boolean;
}

/** A container that listens, mounts and stops like a long-running process: the essential one or a sidecar. */
interface RunningContainer<Secret> extends TaskContainer<Secret> {
    /**
     * TCP port the container listens on.
     * @default none
     */
    port?: number;
    /** @default none */
    healthCheck?: HealthCheck;
    /**
     * EFS access points to mount. Given (even empty), the definition lists its `mountPoints`.
     * @default none
     */
    mounts?: Mount[];
    /**
     * Seconds between SIGTERM and SIGKILL (Fargate maximum 120).
     * @default ECS's (30)
     */
    stopTimeout?: number;
}

/** The essential container: the task lives as long as it runs. */
export interface EssentialContainer<Secret = pulumi.Input<string>> extends RunningContainer<Secret> {
    /** Container name, unique in the task (a service's component name). */
    name: string;
    /**
     * Operators may open a shell in it (ECS Exec): the task role gets the SSM channels, the root
     * filesystem stays writable (the agent installs itself there) and an init process reaps the
     * agent's children, as AWS recommends for Exec.
     * @default false
     */
    ecsExec?: boolean;
}

/** A non-essential container that must exit 0 before the next init container and the essential one start. */
export interface InitContainer<Secret = pulumi.Input<string>> extends TaskContainer<Secret> {
    /** Container name, unique in the task. */
    name: string;
}

/**
 * A non-essential container beside the essential one (e.g. a metrics exporter): it starts with the
 * task, and its exit does not stop the task.
 */
export interface Sidecar<Secret = pulumi.Input<string>> extends RunningContainer<Secret> {
    /** Container name, unique in the task. */
    name: string;
    /**
     * `task`: the task's log group, stream prefix `<name>`. `own`: a log group of its own,
     * `/ecs/<family>/<name>`, so that its volume and retention are apart from the app's logs.
     * @default "task"
     */
    logGroup?: "task" | "own";
}

/** All containers of a task, in the builder's terms. */
export interface TaskContainers<Secret = pulumi.Input<string>> {
    essential: EssentialContainer<Secret>;
    /** Run in this order, each after the previous one exited 0; the essential container after all. @default [] */
    initContainers?: InitContainer<Secret>[];
    /** @default [] */
    sidecars?: Sidecar<Secret>[];
}

/** Log group names of a task: the task's own and each `own`-logging sidecar's. */
export interface LogGroupNames {
    task: pulumi.Input<string>;
    sidecars: Record<string, pulumi.Input<string>>;
}

/** Sorts object keys recursively and drops undefined values, so that the same definition always serialises to the same JSON. */
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

/**
 * The fields that are set. Dropped before `pulumi.output` meets the definition, not only when it is
 * serialised: the values it waits for, and their order, decide when the definition resolves (and with
 * it where the task's resources fall in the plan), so a field left unset costs nothing.
 */
function setOnly(definition: object): Record<string, unknown> {
    return Object.fromEntries(Object.entries(definition).filter(([, v]) => v !== undefined));
}

/** `name=value` pairs sorted by name, so the same inputs always give the same JSON (no new revision). */
function nameValues(map: Record<string, pulumi.Input<string>> | undefined, valueKey: "value" | "valueFrom") {
    const m = map ?? {};
    return Object.keys(m)
        .sort()
        .map((name) => ({ name, [valueKey]: m[name] }));
}

/** An init container's definition: what every container has, and its place in the chain. */
function initDefinition(c: InitContainer, logConfiguration: unknown, dependsOn: unknown) {
    return {
        name: c.name,
        image: c.image,
        essential: false,
        user: c.user,
        entryPoint: c.entryPoint,
        command: c.command,
        environment: nameValues(c.environment, "value"),
        secrets: nameValues(c.secrets, "valueFrom"),
        readonlyRootFilesystem: c.readonlyRootFilesystem ?? true,
        logConfiguration,
        dependsOn,
    };
}

/**
 * The essential container's or a sidecar's definition: port, mounts, health check and stop timeout
 * besides what every container has. (Fields in the order the definitions were first built in: the JSON
 * is key-sorted, but the order in which `pulumi.output` meets the values decides when the definition
 * resolves, and with it the order of the plan's steps.)
 */
function runningDefinition(
    c: RunningContainer<pulumi.Input<string>> & { name: string },
    essential: boolean,
    logConfiguration: unknown,
    extra: { readonlyRootFilesystem: boolean; linuxParameters?: unknown; dependsOn?: unknown },
) {
    const hc = c.healthCheck;
    return {
        name: c.name,
        image: c.image,
        essential,
        user: c.user,
        entryPoint: c.entryPoint,
        command: c.command,
        portMappings: c.port !== undefined ? [{ containerPort: c.port, hostPort: c.port, protocol: "tcp" }] : undefined,
        environment: nameValues(c.environment, "value"),
        secrets: nameValues(c.secrets, "valueFrom"),
        mountPoints: c.mounts
            ? [...c.mounts]
                  .sort((x, y) => x.containerPath.localeCompare(y.containerPath))
                  .map((m) => ({ sourceVolume: m.volume, containerPath: m.containerPath, readOnly: m.readOnly ?? false }))
            : undefined,
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
        readonlyRootFilesystem: extra.readonlyRootFilesystem,
        linuxParameters: extra.linuxParameters,
        logConfiguration,
        dependsOn: extra.dependsOn,
    };
}

/**
 * The task's container definitions as JSON. Containers, variables, secrets and mounts are sorted and
 * object keys ordered, so that the same inputs always produce byte-identical JSON: ECS registers a new
 * task-definition revision (and redeploys) on any textual difference. (The AWS provider compares
 * definitions as decoded structures, terraform-provider-aws internal/service/ecs/container_definitions.go
 * containerDefinitionsAreEquivalent, so the key order itself never shows as a change.)
 */
export function containerDefinitions(containers: TaskContainers, logGroups: LogGroupNames, region: string): pulumi.Output<string> {
    const logging = (group: pulumi.Input<string>, streamPrefix: string) => ({
        logDriver: "awslogs",
        options: { "awslogs-group": group, "awslogs-region": region, "awslogs-stream-prefix": streamPrefix },
    });
    const inits = containers.initContainers ?? [];
    const initDefs = inits.map((c, i) =>
        initDefinition(
            c,
            logging(logGroups.task, `init-${c.name}`),
            i === 0 ? undefined : [{ containerName: inits[i - 1].name, condition: "SUCCESS" }],
        ),
    );
    const e = containers.essential;
    const essential = runningDefinition(e, true, logging(logGroups.task, e.name), {
        readonlyRootFilesystem: e.ecsExec ? false : (e.readonlyRootFilesystem ?? true),
        linuxParameters: e.ecsExec ? { initProcessEnabled: true } : undefined,
        dependsOn: inits.length ? inits.map((i) => ({ containerName: i.name, condition: "SUCCESS" })) : undefined,
    });
    const sidecars = (containers.sidecars ?? []).map((s) =>
        runningDefinition(s, false, logging(s.logGroup === "own" ? logGroups.sidecars[s.name] : logGroups.task, s.name), {
            readonlyRootFilesystem: s.readonlyRootFilesystem ?? true,
        }),
    );
    const all = [...initDefs, essential, ...sidecars].sort((x, y) => x.name.localeCompare(y.name)).map(setOnly);
    return pulumi.output(all).apply((defs) => JSON.stringify(sortKeys(defs)));
}

/** Every container of the task, the essential one first. */
export function allContainers<S>(containers: TaskContainers<S>): (TaskContainer<S> & { name: string })[] {
    return [containers.essential, ...(containers.initContainers ?? []), ...(containers.sidecars ?? [])];
}

/** The containers that mount: the essential one and the sidecars. */
export function mountingContainers<S>(containers: TaskContainers<S>): RunningContainer<S>[] {
    return [containers.essential, ...(containers.sidecars ?? [])];
}

/** Volumes in use, in a fixed order. */
export function volumeNames(containers: TaskContainers): string[] {
    return [...new Set(mountingContainers(containers).flatMap((c) => (c.mounts ?? []).map((m) => m.volume)))].sort();
}
