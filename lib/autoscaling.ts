/**
 * ECS service autoscaling: the CPU target (%) target tracking may hold. Below 10 % a service scales out
 * on noise; above 95 % it cannot scale out before the tasks saturate. The config key, ArchivematicaService
 * and the operations dashboard all accept this one range.
 */
export const CPU_TARGET_PERCENT = { min: 10, max: 95 } as const;

/** True for a CPU target in {@link CPU_TARGET_PERCENT}. */
export function isCpuTarget(percent: number): boolean {
    return percent >= CPU_TARGET_PERCENT.min && percent <= CPU_TARGET_PERCENT.max;
}

/** The range as error lines show it. */
export const CPU_TARGET_RANGE = `${CPU_TARGET_PERCENT.min} to ${CPU_TARGET_PERCENT.max}`;
