/**
 * Test helpers: build a typed config from a staging-like table with overrides, and run a piece of
 * program on the recording mock runtime, returning resources with plain (secret-unwrapped) inputs.
 *
 * The whole plan of a real stack (and its policy verdicts) is computed once per test process and
 * shared, frozen, by every file that needs it: {@link stackPlan}, {@link stackGate}; a command driven
 * in process gets its own mutable copy ({@link stackPlanCopy}, see test/support/cli.ts).
 */
import { AppConfig, parseConfig } from "../config";
import { PROJECT } from "../config/schema";
import { GateResult } from "../tools/gate";
import { RecordedResource, runProgram, unwrapSecrets } from "../tools/mock-runtime";
import { gatePlan, planStack, PlanResult } from "../tools/plan";
import { sharedInRun } from "./support/run-share";
import { sharedPack } from "./support/shared-pack";

/** Required tags for components built from plain args in tests (no stack config involved). */
export const COMPONENT_TAGS: Record<string, string> = {
    Project: "archivematica",
    Environment: "test",
    Owner: "o@example.org",
    CostCentre: "CC-1",
    ManagedBy: "pulumi",
    PulumiStack: "archivematica-infra/test",
};

/** A complete, valid raw config (keys without namespace) that tests override key by key. */
export const BASE_CONFIG: Record<string, string> = {
    environment: "staging",
    owner: "digital-preservation@example.org",
    costCentre: "DP-0042",
    dashboardHostname: "am.example.org",
    storageServiceHostname: "ss.example.org",
    certificateArn: "arn:aws:acm:eu-west-2:123456789012:certificate/6f1c9a52-3b7e-4d0a-9c21-8e4f5b2d7a10",
    allowedCidrs: '["203.0.113.0/24"]',
    adminEmail: "archivist@example.org",
    organisationName: "Example Archives",
    organisationId: "example",
};

/** Fully qualified raw values: BASE_CONFIG with overrides (`undefined` removes a key). */
export function rawValues(overrides: Record<string, string | undefined> = {}, region = "eu-west-2"): Record<string, string> {
    const merged: Record<string, string | undefined> = { ...BASE_CONFIG, ...overrides };
    const values: Record<string, string> = { "aws:region": region };
    for (const [k, v] of Object.entries(merged)) {
        if (v !== undefined) values[k.includes(":") ? k : `${PROJECT}:${k}`] = v;
    }
    return values;
}

/** A typed config from BASE_CONFIG plus overrides. */
export function testConfig(overrides: Record<string, string | undefined> = {}, secretKeys: string[] = []): AppConfig {
    return parseConfig({
        project: PROJECT,
        stack: "test",
        values: rawValues(overrides),
        secretKeys: secretKeys.map((k) => `${PROJECT}:${k}`),
    });
}

/** A recorded resource with `props`: its inputs with secrets unwrapped. */
export interface PlannedResource extends RecordedResource {
    props: Record<string, any>;
}

export interface TestPlan {
    resources: PlannedResource[];
    outputs: Record<string, unknown>;
    /** All resources of a type (e.g. "aws:efs/accessPoint:AccessPoint"). */
    ofType(type: string): PlannedResource[];
    /** The one resource with this logical name; throws when there is not exactly one. */
    named(name: string): PlannedResource;
}

/**
 * Runs `program` on the mock runtime with the given config (default: BASE_CONFIG). `previousInputs`:
 * inputs of an earlier deployment by resource name, for the resources whose check reads them.
 */
export async function plan(
    program: () => unknown,
    overrides: Record<string, string | undefined> = {},
    stack = "test",
    previousInputs?: Record<string, Record<string, unknown>>,
): Promise<TestPlan> {
    const run = await withPlainStackTraces(() =>
        runProgram({ project: PROJECT, stack, config: rawValues(overrides), secretKeys: [], program, previousInputs }),
    );
    const resources = run.resources.map((r) => ({ ...r, props: unwrapSecrets(r.inputs) as Record<string, unknown> }));
    return {
        resources,
        outputs: run.outputs,
        ofType: (type) => resources.filter((r) => r.type === type),
        named: (name) => {
            const found = resources.filter((r) => r.name === name);
            if (found.length !== 1) throw new Error(`expected one resource named ${name}, found ${found.length}`);
            return found[0];
        },
    };
}

let plainDepth = 0;
let saved: { prepare: unknown; limit: number } | undefined;

/**
 * Runs `fn` (a plan) with cheap stack traces: no source-map lookup and no frames. The SDK captures a
 * stack trace for every resource and for every promise it makes (runtime/debuggable.ts, for its leak
 * report), and the source-map support ts-node installs maps every frame of each: together more than
 * half of a plan's time. An error thrown by the program still carries its message (what the tests
 * assert), not its frames; set TEST_STACK_TRACES=1 to keep them while you debug one. The tests' own
 * failures keep mapped traces: everything is back as soon as the run settles.
 */
export async function withPlainStackTraces<T>(fn: () => Promise<T>): Promise<T> {
    if (process.env.TEST_STACK_TRACES === "1") return fn();
    const holder = Error as { prepareStackTrace?: unknown; stackTraceLimit: number };
    if (plainDepth++ === 0) {
        saved = { prepare: holder.prepareStackTrace, limit: holder.stackTraceLimit };
        delete holder.prepareStackTrace;
        holder.stackTraceLimit = 0;
    }
    try {
        return await fn();
    } finally {
        if (--plainDepth === 0 && saved) {
            if (saved.prepare !== undefined) holder.prepareStackTrace = saved.prepare;
            holder.stackTraceLimit = saved.limit;
            saved = undefined;
        }
    }
}

/** Freezes a value and everything it holds, so that a shared result cannot be changed by one test for the next. */
export function deepFreeze<T>(value: T, seen = new WeakSet<object>()): T {
    if (value && typeof value === "object" && !seen.has(value)) {
        seen.add(value);
        Object.freeze(value);
        for (const v of Object.values(value)) deepFreeze(v, seen);
    }
    return value;
}

const stackPlans = new Map<string, Promise<PlanResult>>();

/**
 * The offline plan of a real stack file, computed once per `npm test` run (support/run-share.ts: one
 * mocha worker plans, the others read its result) and frozen: every test that needs the whole plan of
 * `staging` or `prod` reads this one. Need to change it (e.g. add policy verdicts)? Take
 * {@link stackPlanCopy}.
 */
export function stackPlan(stack: string): Promise<PlanResult> {
    if (!stackPlans.has(stack))
        stackPlans.set(stack, sharedInRun(`plan-${stack}`, () => withPlainStackTraces(() => planStack(stack))).then(deepFreeze));
    return stackPlans.get(stack)!;
}

/** A deep, mutable copy of {@link stackPlan}'s result (what a command planning the stack would hold). */
export async function stackPlanCopy(stack: string): Promise<PlanResult> {
    return structuredClone(await stackPlan(stack));
}

/** A stack's plan with its policy verdicts in `digest.policy`, and the gate's result. */
export interface GatedPlan {
    result: PlanResult;
    gate: GateResult;
}

export { PACK_TEST_TIMEOUT, TEST_PACK_START } from "./support/shared-pack";

const stackGates = new Map<string, Promise<GatedPlan>>();

/**
 * The policy gate over a real stack's plan, through the pack's gRPC server with the stack's policy
 * config, run once per `npm test` run like {@link stackPlan} and frozen.
 */
export function stackGate(stack: string): Promise<GatedPlan> {
    if (!stackGates.has(stack)) stackGates.set(stack, sharedInRun(`gate-${stack}`, () => gateStack(stack)).then(deepFreeze));
    return stackGates.get(stack)!;
}

/**
 * What the plan command's gate does for a stack's plan (the stack's policy config, its stack and
 * project), on the process's pack (support/shared-pack.ts), started while the plan is copied.
 */
async function gateStack(stack: string): Promise<GatedPlan> {
    const [result, pack] = await Promise.all([stackPlanCopy(stack), sharedPack()]);
    return { result, gate: await gatePlan(result, pack) };
}
