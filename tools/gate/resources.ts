/**
 * The resources of a preview's new state, in the form the analyzer messages need: one per URN (a
 * replacement's steps are one resource), inputs and outputs in wire form, resource options read from
 * the step or the recorded run; and the protobuf messages built from them (provider, options).
 */
import * as analyzerProto from "@pulumi/pulumi/proto/analyzer_pb";
import { RecordedResource } from "../mock-runtime";
import { PreviewDigest, PreviewStep, StepState } from "../preview-json";
import { ANALYZED_OPS, parseUrn, REMOVING_OPS } from "./preview-file";
import { countMasked, struct, timeoutSeconds, toWire } from "./wire";

/** One resource of the new state, ready for the wire. */
export interface GateResource {
    urn: string;
    type: string;
    name: string;
    analyze: boolean;
    custom: boolean;
    inputs: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    parent?: string;
    providerRef?: string;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    protect: boolean;
    ignoreChanges: string[];
    deleteBeforeReplace?: boolean;
    additionalSecretOutputs: string[];
    aliases: string[];
    customTimeouts: { create: number; update: number; delete: number };
}

/**
 * The resources of the digest's new state, one per URN in step order (removed resources left out);
 * `analyze` when any step registers it. A resource of the recorded run takes its inputs (secrets in
 * clear) from the recording; otherwise masked values go as unknown secrets and are counted.
 */
export function collectResources(
    digest: PreviewDigest,
    recorded: Map<string, RecordedResource>,
): { resources: GateResource[]; masked: number } {
    const byUrn = new Map<string, GateResource>();
    let maskedCount = 0;
    for (const step of digest.steps as (PreviewStep & Record<string, unknown>)[]) {
        if (REMOVING_OPS.has(step.op)) continue;
        const st = step.newState as (StepState & Record<string, unknown>) | undefined;
        if (!st) continue;
        const urn = st.urn ?? step.urn;
        const analyze = ANALYZED_OPS.has(step.op);
        const prev = byUrn.get(urn);
        if (prev) {
            prev.analyze ||= analyze;
            continue;
        }
        const rec = recorded.get(urn);
        const masked = !rec;
        if (masked) maskedCount += countMasked(st.inputs);
        const inputs = (rec ? toWire(rec.inputs, false) : toWire(st.inputs ?? {}, true)) as Record<string, unknown>;
        const outputsRaw = rec ? rec.outputs : st.outputs;
        const timeouts = (st.customTimeouts ?? rec?.customTimeouts ?? {}) as Record<string, unknown>;
        byUrn.set(urn, {
            urn,
            type: st.type,
            name: parseUrn(urn).name,
            analyze,
            custom: st.custom !== false,
            inputs,
            outputs: outputsRaw ? (toWire(outputsRaw, masked) as Record<string, unknown>) : undefined,
            parent: st.parent || undefined,
            providerRef: st.provider || step.provider || rec?.provider || undefined,
            dependencies: st.dependencies ?? [],
            propertyDependencies: st.propertyDependencies ?? {},
            protect: st.protect === true,
            ignoreChanges: (st.ignoreChanges as string[] | undefined) ?? rec?.ignoreChanges ?? [],
            deleteBeforeReplace:
                typeof st.deleteBeforeReplace === "boolean" ? st.deleteBeforeReplace : rec?.deleteBeforeReplace ? true : undefined,
            additionalSecretOutputs: (st.additionalSecretOutputs as string[] | undefined) ?? [],
            aliases: ((st.aliases as unknown[] | undefined) ?? []).filter((a): a is string => typeof a === "string"),
            customTimeouts: {
                create: timeoutSeconds(timeouts.create),
                update: timeoutSeconds(timeouts.update),
                delete: timeoutSeconds(timeouts.delete),
            },
        });
    }
    return { resources: [...byUrn.values()], masked: maskedCount };
}

/** Provider reference `urn::id` → URN. */
export function providerUrn(ref: string): string {
    const i = ref.lastIndexOf("::");
    return i > 0 && ref.slice(0, i).split("::").length >= 4 ? ref.slice(0, i) : ref;
}

/** The provider of `r` as `Analyze` sends it; a default provider's missing inputs come from the stack config of its package. */
export function providerMessage(
    r: GateResource,
    byUrn: Map<string, GateResource>,
    config: Record<string, string>,
): analyzerProto.AnalyzerProviderResource | undefined {
    if (!r.providerRef) return undefined;
    const urn = providerUrn(r.providerRef);
    const prov = byUrn.get(urn);
    const { type, name } = parseUrn(urn);
    let props: Record<string, unknown> = prov ? { ...prov.inputs } : {};
    // A default provider's inputs are the stack config of its package (the engine reads them from
    // config); fill in what the record lacks, without overriding.
    if (name.startsWith("default")) {
        const pkg = type.replace(/^pulumi:providers:/, "");
        for (const [k, v] of Object.entries(config)) {
            if (k.startsWith(`${pkg}:`) && !(k.slice(pkg.length + 1) in props))
                props = { ...props, [k.slice(pkg.length + 1)]: toWire(v, true) };
        }
    }
    const m = new analyzerProto.AnalyzerProviderResource();
    m.setUrn(urn);
    m.setType(type);
    m.setName(name);
    m.setProperties(struct(props));
    return m;
}

/** The resource options of `r`; `Analyze` carries the parent in them, `AnalyzeStack` beside them. */
export function optionsMessage(r: GateResource, withParent: boolean): analyzerProto.AnalyzerResourceOptions {
    const o = new analyzerProto.AnalyzerResourceOptions();
    o.setProtect(r.protect);
    o.setIgnorechangesList(r.ignoreChanges);
    o.setDeletebeforereplacedefined(r.deleteBeforeReplace !== undefined);
    o.setDeletebeforereplace(r.deleteBeforeReplace === true);
    o.setAdditionalsecretoutputsList(r.additionalSecretOutputs);
    o.setAliasesList(r.aliases);
    const t = new analyzerProto.AnalyzerResourceOptions.CustomTimeouts();
    t.setCreate(r.customTimeouts.create);
    t.setUpdate(r.customTimeouts.update);
    t.setDelete(r.customTimeouts.delete);
    o.setCustomtimeouts(t);
    if (withParent && r.parent) o.setParent(r.parent);
    return o;
}
