/**
 * Test helpers: build a typed config from a staging-like table with overrides, and run a piece of
 * program on the recording mock runtime, returning resources with plain (secret-unwrapped) inputs.
 */
import { AppConfig, parseConfig } from "../config";
import { PROJECT } from "../config/schema";
import { RecordedResource, runProgram, unwrapSecrets } from "../tools/mock-runtime";
import { planStack, PlanResult } from "../tools/plan";

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
    const run = await runProgram({ project: PROJECT, stack, config: rawValues(overrides), secretKeys: [], program, previousInputs });
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

const stackPlans = new Map<string, Promise<PlanResult>>();

/** The offline plan of a real stack file, computed once per test process. */
export function stackPlan(stack: string): Promise<PlanResult> {
    if (!stackPlans.has(stack)) stackPlans.set(stack, planStack(stack));
    return stackPlans.get(stack)!;
}
