/**
 * Fargate's task sizes: one neutral table that the program (components/app/archivematica-service.ts) and
 * the policy pack (policy/rules/aws-ecs-taskdefinition-require-valid-fargate-size.ts) both import, so
 * the two can never disagree and neither depends on the other's internals.
 */

/** Accepted memory (MiB) per cpu unit count: explicit values, or a range with a step. */
export const FARGATE_SIZES: Readonly<Record<number, { values?: number[]; min?: number; max?: number; step?: number }>> = {
    256: { values: [512, 1024, 2048] },
    512: { min: 1024, max: 4096, step: 1024 },
    1024: { min: 2048, max: 8192, step: 1024 },
    2048: { min: 4096, max: 16384, step: 1024 },
    4096: { min: 8192, max: 30720, step: 1024 },
    8192: { min: 16384, max: 61440, step: 4096 },
    16384: { min: 32768, max: 122880, step: 8192 },
};

/** Configurable ephemeral storage, GiB (20 is the unconfigured default). */
export const EPHEMERAL_STORAGE = { min: 21, max: 200 };

/** The memory values (MiB) Fargate accepts with `cpu`, or [] when `cpu` itself is invalid. */
export function fargateMemoryOptions(cpu: number): number[] {
    const size = FARGATE_SIZES[cpu];
    if (!size) return [];
    if (size.values) return [...size.values];
    const values: number[] = [];
    for (let m = size.min!; m <= size.max!; m += size.step!) values.push(m);
    return values;
}

export function isValidFargateSize(cpu: number, memory: number): boolean {
    return fargateMemoryOptions(cpu).includes(memory);
}

/** The memory values accepted for `cpu`, as a message fragment. */
export function describeMemory(cpu: number): string {
    const size = FARGATE_SIZES[cpu];
    if (size.values) return `${size.values.join(", ")} MiB`;
    return `${size.min}–${size.max} MiB in steps of ${size.step}`;
}
