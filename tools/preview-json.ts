/**
 * The `pulumi preview --json` document (the engine's PreviewDigest), built from a recorded mock run.
 * Only what a preview of a new stack holds: every step is a `create`. Secret values are written as
 * `"[secret]"`, as the real CLI writes them.
 */
import type { EnforcementLevel } from "../lib/policy-config";
import { maskSecrets, ProgramRun, RecordedResource } from "./mock-runtime";

/** `newState` of a step, as the CLI writes it. */
export interface StepState {
    urn: string;
    custom: boolean;
    type: string;
    id?: string;
    parent?: string;
    provider?: string;
    inputs: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    protect?: boolean;
    retainOnDelete?: boolean;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
    customTimeouts?: { create?: string; update?: string; delete?: string };
}

export interface PreviewStep {
    op: string;
    urn: string;
    provider?: string;
    newState?: StepState;
    oldState?: StepState;
}

/** One policy verdict, added by our gate (the real CLI's JSON has none: pulumi#18851). */
export interface PolicyVerdict {
    policyPackName: string;
    policyPackVersion: string;
    policyName: string;
    enforcementLevel: EnforcementLevel;
    message: string;
    urn?: string;
    /** Set by the gate when the rule threw instead of judging the resource (fails the gate). */
    error?: boolean;
    /** Set by the gate when a mandatory rule could not read a value it needs (masked or unknown): a failure. */
    notEvaluated?: boolean;
}

export interface PreviewDigest {
    config?: Record<string, string>;
    steps: PreviewStep[];
    diagnostics?: { urn?: string; message: string; severity: string }[];
    changeSummary: Record<string, number>;
    /** Not in the CLI's JSON (pulumi#18851): the offline gate's verdicts. Stack outputs are the stack step's `newState.outputs`, as in the CLI's. */
    policy?: { passed: boolean; violations: PolicyVerdict[] };
}

function state(r: RecordedResource): StepState {
    const s: StepState = {
        urn: r.urn,
        custom: r.custom,
        type: r.type,
        inputs: maskSecrets(r.inputs) as Record<string, unknown>,
    };
    if (r.parent) s.parent = r.parent;
    if (r.provider) s.provider = r.provider;
    if (r.protect) s.protect = true;
    if (r.retainOnDelete) s.retainOnDelete = true;
    if (r.dependencies.length) s.dependencies = r.dependencies;
    if (Object.values(r.propertyDependencies).some((d) => d.length)) {
        s.propertyDependencies = Object.fromEntries(Object.entries(r.propertyDependencies).filter(([, d]) => d.length));
    }
    if (r.customTimeouts) s.customTimeouts = r.customTimeouts;
    if (r.outputs) s.outputs = maskSecrets(r.outputs) as Record<string, unknown>;
    return s;
}

/**
 * Builds the digest. `config` is the stack's config with secret values masked, as the CLI shows it.
 */
export function toPreviewDigest(run: ProgramRun, config: Record<string, string>, secretKeys: string[]): PreviewDigest {
    const steps: PreviewStep[] = run.resources.map((r) => {
        const step: PreviewStep = { op: "create", urn: r.urn, newState: state(r) };
        if (r.provider) step.provider = r.provider;
        return step;
    });
    const shownConfig = Object.fromEntries(Object.entries(config).map(([k, v]) => [k, secretKeys.includes(k) ? "[secret]" : v]));
    return {
        config: shownConfig,
        steps,
        diagnostics: [],
        changeSummary: { create: steps.length },
    };
}
