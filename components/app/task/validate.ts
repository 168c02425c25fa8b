/**
 * The task builder's checks, run before any resource is registered: Fargate size, ephemeral storage,
 * log retention, and every container (names, non-root user, variable names, health check, port,
 * mounts, stop timeout). Each failure is one line in the owning component's format, through its `fail`:
 * `<Component> "<name>": <field> <problem>; valid: <values>`.
 */
import * as pulumi from "@pulumi/pulumi";
import { isLogRetention, LOG_RETENTION_DAYS } from "../../../lib/cloudwatch-logs";
import { CONTAINER_NAME, ENV_NAME, HEALTH_CHECK_BOUNDS, isRootUser, STOP_TIMEOUT_SECONDS } from "../../../lib/ecs";
import { EPHEMERAL_STORAGE, FARGATE_SIZES, fargateMemoryOptions, isValidFargateSize } from "../../../lib/fargate";
import { allContainers, HealthCheck, Mount, TaskContainers } from "./containers";

/** Throws the owning component's one-line error. */
export type Fail = (field: string, problem: string, valid: string) => never;

/** A `Fail` that throws `<component> "<name>": <field> <problem>; valid: <values>`. */
export function failer(component: string, name: string): Fail {
    return (field, problem, valid) => {
        throw new Error(`${component} "${name}": ${field} ${problem}; valid: ${valid}`);
    };
}

/** What the task needs besides its containers. */
export interface TaskSize {
    /** Task CPU units (a valid Fargate pair with `memory`). */
    cpu: number;
    /** Task memory (MiB). */
    memory: number;
    /** @default Fargate's 20 GiB */
    ephemeralStorageGiB?: number;
}

/** The memory values Fargate accepts with `cpu`, as an error line shows them: all of few, else the range. */
function describeMemoryOptions(options: number[]): string {
    if (options.length <= 3) return `${options.join(", ")} MiB`;
    return `${options[0]} to ${options[options.length - 1]} MiB (${options.length} values)`;
}

/** A valid Fargate cpu/memory pair and ephemeral storage. */
export function checkSize(size: TaskSize, fail: Fail): void {
    if (!isValidFargateSize(size.cpu, size.memory)) {
        const options = fargateMemoryOptions(size.cpu);
        if (!options.length) fail("cpu", `${size.cpu} is not a Fargate CPU size`, Object.keys(FARGATE_SIZES).join(", "));
        fail("memory", `${size.memory} MiB is not valid with cpu ${size.cpu}`, describeMemoryOptions(options));
    }
    const eph = size.ephemeralStorageGiB;
    if (eph !== undefined && (!Number.isInteger(eph) || eph < EPHEMERAL_STORAGE.min || eph > EPHEMERAL_STORAGE.max)) {
        fail(
            "ephemeralStorageGiB",
            `${eph} is out of range`,
            `${EPHEMERAL_STORAGE.min} to ${EPHEMERAL_STORAGE.max} (Fargate's default is 20)`,
        );
    }
}

/** A retention CloudWatch Logs accepts. */
export function checkLogRetention(days: number, fail: Fail): void {
    if (!isLogRetention(days)) fail("logRetentionDays", `${days} is not a CloudWatch retention`, LOG_RETENTION_DAYS.join(", "));
}

/** A health check ECS accepts; `field` is e.g. `container.healthCheck`. */
function checkHealthCheck(hc: HealthCheck, field: string, fail: Fail): void {
    for (const key of ["interval", "timeout", "retries", "startPeriod"] as const) {
        const v = hc[key];
        const { min, max } = HEALTH_CHECK_BOUNDS[key];
        if (v !== undefined && (!Number.isInteger(v) || v < min || v > max))
            fail(`${field}.${key}`, `${v} is out of range`, `${min} to ${max}`);
    }
    if (!["CMD", "CMD-SHELL"].includes(hc.command[0]) || hc.command.length < 2)
        fail(
            `${field}.command`,
            `${JSON.stringify(hc.command)} is not an ECS health-check command`,
            '["CMD-SHELL", "<shell command>"] or ["CMD", "<exe>", ...]',
        );
}

/** Mounts of one container: each on an access point of the file system, at its own absolute path. */
function checkMounts(mounts: Mount[], field: string, accessPoints: Record<string, unknown> | undefined, fail: Fail): void {
    for (const m of mounts) {
        if (!accessPoints) fail("fileSystem", `is required by the mount of ${m.volume}`, "the EFS file system and its access points");
        if (!accessPoints![m.volume]) fail(`${field}[${m.volume}]`, "has no access point", Object.keys(accessPoints!).sort().join(", "));
        if (!m.containerPath.startsWith("/"))
            fail(`${field}[${m.volume}].containerPath`, `"${m.containerPath}" is not absolute`, "an absolute path");
    }
    const paths = mounts.map((m) => m.containerPath);
    if (new Set(paths).size !== paths.length) fail(field, "mount two volumes at one path", "distinct container paths");
}

/** Port, health check, stop timeout and mounts of the essential container (`container`) or a sidecar (`sidecars[<name>]`). */
function checkRunning(
    c: { port?: number; healthCheck?: HealthCheck; stopTimeout?: number; mounts?: Mount[] },
    field: string,
    accessPoints: Record<string, unknown> | undefined,
    fail: Fail,
): void {
    const { min, max } = STOP_TIMEOUT_SECONDS;
    if (c.stopTimeout !== undefined && (!Number.isInteger(c.stopTimeout) || c.stopTimeout < min || c.stopTimeout > max))
        fail(`${field}.stopTimeout`, `${c.stopTimeout} is out of range`, `${min} to ${max} seconds`);
    if (c.healthCheck) checkHealthCheck(c.healthCheck, `${field}.healthCheck`, fail);
    if (c.port !== undefined && (!Number.isInteger(c.port) || c.port < 1 || c.port > 65535))
        fail(`${field}.port`, `${c.port} is not a port`, "1 to 65535");
    checkMounts(c.mounts ?? [], `${field}.mounts`, accessPoints, fail);
}

/**
 * Every container of the task: distinct valid names, a non-root user, variable names, nothing both
 * plain and secret, and for the essential container and the sidecars their port, health check, stop
 * timeout and mounts (on `accessPoints`, the task's file system).
 */
export function checkContainers(containers: TaskContainers<unknown>, accessPoints: Record<string, unknown> | undefined, fail: Fail): void {
    const essential = containers.essential.name;
    checkRunning(containers.essential, "container", accessPoints, fail);
    for (const s of containers.sidecars ?? []) checkRunning(s, `sidecars[${s.name}]`, accessPoints, fail);
    const groups: [string, string[]][] = [
        ["initContainers", (containers.initContainers ?? []).map((c) => c.name)],
        ["sidecars", (containers.sidecars ?? []).map((c) => c.name)],
    ];
    const seen = [essential];
    for (const [field, names] of groups) {
        for (const n of [essential, ...names])
            if (!CONTAINER_NAME.test(n)) fail(field, `name "${n}" is not a valid container name`, "1-255 letters, digits, - or _");
        seen.push(...names);
        if (new Set(seen).size !== seen.length)
            fail(field, "repeat a container name", `names distinct from each other and from "${essential}"`);
    }
    for (const c of allContainers(containers)) {
        const environment = c.environment ?? {};
        const secrets = (c.secrets ?? {}) as Record<string, unknown>;
        for (const key of [...Object.keys(environment), ...Object.keys(secrets)]) {
            if (!ENV_NAME.test(key))
                fail(
                    `container "${c.name}" environment`,
                    `name "${key}" is not a variable name`,
                    "letters, digits and _, not starting with a digit",
                );
        }
        const both = Object.keys(environment).filter((k) => k in secrets);
        if (both.length)
            fail(
                `container "${c.name}" environment`,
                `sets ${both.join(", ")} both as plain value and as secret`,
                "each name in environment or in secrets, not both",
            );
        if (c.user.trim() === "" || isRootUser(c.user))
            fail(`container "${c.name}" user`, `"${c.user}" is root or empty`, "a non-root uid:gid or user name");
    }
}

/** Every secret `valueFrom` the task's containers read. */
export function secretRefs(containers: TaskContainers): pulumi.Input<string>[] {
    return allContainers(containers).flatMap((c) => Object.values(c.secrets ?? {}));
}
