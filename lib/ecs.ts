/**
 * ECS container facts that the task builder (components/app/task/) and the policy pack both check.
 */

/** A container or task-definition family name: 1-255 letters, digits, `-` or `_` (RegisterTaskDefinition API). */
export const CONTAINER_NAME = /^[A-Za-z0-9_-]{1,255}$/;

/** An environment variable name a shell and Python can both read. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** True for `root`, `0`, `root:…` and `0:…` (the user part of `user[:group]`, trimmed). */
export function isRootUser(user: string): boolean {
    const name = user.split(":")[0].trim();
    return name === "root" || name === "0";
}

/** ECS's bounds of a container health check (seconds; retries a count), ContainerDefinition HealthCheck. */
export const HEALTH_CHECK_BOUNDS = {
    interval: { min: 5, max: 300 },
    timeout: { min: 2, max: 60 },
    retries: { min: 1, max: 10 },
    startPeriod: { min: 0, max: 300 },
} as const;

/** Seconds between SIGTERM and SIGKILL a Fargate container may ask for (`stopTimeout`). */
export const STOP_TIMEOUT_SECONDS = { min: 2, max: 120 } as const;
