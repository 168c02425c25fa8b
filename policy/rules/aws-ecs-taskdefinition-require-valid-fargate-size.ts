/**
 * Fargate task definitions use a cpu/memory pair Fargate accepts and a valid ephemeral storage size, so
 * the mistake shows in preview instead of as a failed deployment.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { ControlId } from "../lib/controls";
import { describeMemory, EPHEMERAL_STORAGE, FARGATE_SIZES, isValidFargateSize } from "../../lib/fargate";
import { asArray, asRecord, num, show } from "../lib/values";

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-ecs-taskdefinition-require-valid-fargate-size",
    description: "Fargate task definitions set a valid cpu/memory pair and, if set, ephemeralStorage.sizeInGib between 21 and 200.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:ecs/taskDefinition:TaskDefinition") return;
        if (!asArray(args.props.requiresCompatibilities).includes("FARGATE")) return;
        const cpu = num(args.props.cpu, "cpu", true);
        const memory = num(args.props.memory, "memory", true);
        if (cpu === undefined || !(cpu in FARGATE_SIZES)) {
            reportViolation(`cpu is ${show(args.props.cpu)}; Fargate accepts ${Object.keys(FARGATE_SIZES).join(", ")}`);
        } else if (memory === undefined || !isValidFargateSize(cpu, memory)) {
            reportViolation(
                `memory ${show(args.props.memory)} does not fit cpu ${cpu} on Fargate; valid memory for cpu ${cpu}: ${describeMemory(cpu)}`,
            );
        }
        const storage = asRecord(args.props.ephemeralStorage).sizeInGib;
        if (storage !== undefined) {
            const gib = num(storage, "ephemeralStorage.sizeInGib");
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
