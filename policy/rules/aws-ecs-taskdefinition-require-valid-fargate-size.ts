/**
 * Fargate task definitions use a cpu/memory pair Fargate accepts and a valid ephemeral storage size, so
 * the mistake shows in preview instead of as a failed deployment.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { ControlId } from "../lib/controls";
import { asArray, asNumber, asRecord, show } from "../lib/values";

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

/** The memory values accepted for `cpu`, as a message fragment. */
export function describeMemory(cpu: number): string {
    const size = FARGATE_SIZES[cpu];
    if (size.values) return `${size.values.join(", ")} MiB`;
    return `${size.min}–${size.max} MiB in steps of ${size.step}`;
}

function memoryFits(cpu: number, memory: number): boolean {
    const size = FARGATE_SIZES[cpu];
    if (size.values) return size.values.includes(memory);
    return memory >= size.min! && memory <= size.max! && (memory - size.min!) % size.step! === 0;
}

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-ecs-taskdefinition-require-valid-fargate-size",
    description: "Fargate task definitions set a valid cpu/memory pair and, if set, ephemeralStorage.sizeInGib between 21 and 200.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:ecs/taskDefinition:TaskDefinition") return;
        if (!asArray(args.props.requiresCompatibilities).includes("FARGATE")) return;
        const cpu = asNumber(args.props.cpu);
        const memory = asNumber(args.props.memory);
        if (cpu === undefined || !(cpu in FARGATE_SIZES)) {
            reportViolation(`cpu is ${show(args.props.cpu)}; Fargate accepts ${Object.keys(FARGATE_SIZES).join(", ")}`);
        } else if (memory === undefined || !memoryFits(cpu, memory)) {
            reportViolation(
                `memory ${show(args.props.memory)} does not fit cpu ${cpu} on Fargate; valid memory for cpu ${cpu}: ${describeMemory(cpu)}`,
            );
        }
        const storage = asRecord(args.props.ephemeralStorage).sizeInGib;
        if (storage !== undefined) {
            const gib = asNumber(storage);
            if (gib === undefined || gib < EPHEMERAL_STORAGE.min || gib > EPHEMERAL_STORAGE.max || !Number.isInteger(gib)) {
                reportViolation(
                    `ephemeralStorage.sizeInGib is ${show(storage)}; Fargate accepts ${EPHEMERAL_STORAGE.min}–${EPHEMERAL_STORAGE.max} GiB`,
                );
            }
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["AM.2"];
