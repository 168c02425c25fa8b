/**
 * Calls policy functions the way @pulumi/policy 1.21's server does (server.js `makeAnalyzeRpcFun` /
 * `makeAnalyzeStackRpcFun`), without starting a server: properties go through a protobuf Struct and the
 * package's own `deserializeProperties` (so secrets are unwrapped and undefined values dropped as on the
 * wire), are wrapped in the package's `unknownCheckingProxy`, and the args carry `type`, `props`, `urn`,
 * `name`, `opts`, `provider`, `stackTags`, `isType`, `asType`, `getConfig` and `notApplicable`.
 * An `UnknownValueError` is caught and recorded exactly as the server words it.
 */
import {
    PolicyConfigSchema,
    PolicyResource,
    PolicyResourceOptions,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
    unknownCheckingProxy,
    UnknownValueError,
} from "@pulumi/policy";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

/* The package's .d.ts files strip these internals; the runtime modules export them. */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- untyped internal module
const deserialize = require("@pulumi/policy/deserialize") as {
    deserializeProperties(struct: { toJavaScript(): Record<string, unknown> }, proxySecrets: boolean): Record<string, unknown>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports -- untyped internal module
const sentinels = require("@pulumi/policy/proxy") as Record<
    "unknownStringValue" | "unknownNumberValue" | "unknownBooleanValue" | "unknownArrayValue" | "unknownObjectValue",
    string
>;

/** Wire sentinels for values unknown during preview. */
export const UNKNOWN = {
    string: sentinels.unknownStringValue,
    number: sentinels.unknownNumberValue,
    boolean: sentinels.unknownBooleanValue,
    array: sentinels.unknownArrayValue,
    object: sentinels.unknownObjectValue,
};

/** How the engine wraps a secret input. */
export function secret(value: unknown): Record<string, unknown> {
    return { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value };
}

const PACK = "'archivematica@v0.1.0'";

/** What a policy reported for a resource or the stack. */
export interface Outcome {
    /** Messages passed to reportViolation, in order. */
    messages: string[];
    /** URNs passed with them (stack rules); undefined for the stack itself. */
    urns: (string | undefined)[];
    /** The server's advisory text when the rule read an unknown value. */
    unknown?: string;
    /** The reason given to `notApplicable`, if the rule called it. */
    notApplicable?: string;
}

class NotApplicableError extends Error {
    constructor(readonly reason?: string) {
        super(reason ?? "Policy does not apply");
    }
}

function throwNotApplicable(reason?: string): never {
    throw new NotApplicableError(reason);
}

/** Properties as the server hands them to a rule: through the wire format, deserialised, proxied. */
export function wireProps(props: Record<string, unknown>): Record<string, unknown> {
    return unknownCheckingProxy(deserialize.deserializeProperties(Struct.fromJavaScript(JSON.parse(JSON.stringify(props))), false));
}

/** The schema defaults of a policy's config, as the CLI fills them in before `configure`. */
export function schemaDefaults(schema: PolicyConfigSchema | undefined): Record<string, unknown> {
    const defaults: Record<string, unknown> = {};
    for (const [key, prop] of Object.entries(schema?.properties ?? {})) {
        if (prop.default !== undefined) defaults[key] = prop.default;
    }
    return defaults;
}

/** The config a rule sees: schema defaults overlaid with `config` (the CLI's reconciliation), or `{}` raw. */
function configFor(schema: PolicyConfigSchema | undefined, config: Record<string, unknown> | "none" | undefined): Record<string, unknown> {
    if (config === "none") return {};
    const { enforcementLevel: _level, ...rest } = { ...schemaDefaults(schema), ...(config ?? {}) };
    void _level;
    return rest;
}

const DEFAULT_OPTS: PolicyResourceOptions = {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
};

/** A resource as a test writes it. */
export interface ResourceSpec {
    type: string;
    name: string;
    props: Record<string, unknown>;
    /** Defaults to a URN built from type and name in stack `staging` of project `archivematica-infra`. */
    urn?: string;
    provider?: { type: string; name: string; props: Record<string, unknown>; urn?: string };
    parent?: string;
    /** URNs this resource depends on. */
    dependencies?: string[];
    /** URNs per input property. */
    propertyDependencies?: Record<string, string[]>;
}

/** The URN the harness gives a resource. */
export function urnOf(type: string, name: string): string {
    return `urn:pulumi:staging::archivematica-infra::${type}::${name}`;
}

function collect(): { outcome: Outcome; report: ReportViolation } {
    const outcome: Outcome = { messages: [], urns: [] };
    const report: ReportViolation = (message: string, urn?: string) => {
        outcome.messages.push(message);
        outcome.urns.push(urn);
    };
    return { outcome, report };
}

function handle(error: unknown, policyName: string, outcome: Outcome): void {
    // The package's typings lose UnknownValueError's type (its proxy.d.ts is stripped), hence the cast.
    if (error instanceof UnknownValueError) {
        outcome.unknown = `can't run policy '${policyName}' from policy pack ${PACK} during preview: ${(error as Error).message}`;
    } else if (error instanceof NotApplicableError) {
        outcome.notApplicable = error.reason ?? "";
    } else {
        throw error;
    }
}

/** Runs a resource policy on one resource, as `analyze` does. */
export async function runResource(
    policy: ResourceValidationPolicy,
    spec: ResourceSpec,
    config?: Record<string, unknown> | "none",
): Promise<Outcome> {
    const { outcome, report } = collect();
    const validations = Array.isArray(policy.validateResource)
        ? policy.validateResource
        : policy.validateResource
          ? [policy.validateResource]
          : [];
    const resolved = configFor(policy.configSchema, config);
    for (const validation of validations) {
        const props = wireProps(spec.props);
        const args: ResourceValidationArgs = {
            type: spec.type,
            props,
            urn: spec.urn ?? urnOf(spec.type, spec.name),
            name: spec.name,
            opts: spec.parent ? { ...DEFAULT_OPTS, parent: spec.parent } : DEFAULT_OPTS,
            stackTags: new Map<string, string>(),
            isType: (cls) => (cls as unknown as { __pulumiType?: string }).__pulumiType === spec.type,
            asType: ((cls: unknown) =>
                (cls as { __pulumiType?: string }).__pulumiType === spec.type ? props : undefined) as ResourceValidationArgs["asType"],
            getConfig: <T extends object>() => resolved as T,
            notApplicable: throwNotApplicable,
        };
        if (spec.provider) {
            args.provider = {
                type: spec.provider.type,
                name: spec.provider.name,
                urn: spec.provider.urn ?? urnOf(spec.provider.type, spec.provider.name),
                props: wireProps(spec.provider.props),
            };
        }
        try {
            await Promise.resolve(validation(args, report));
        } catch (error) {
            handle(error, policy.name, outcome);
        }
    }
    return outcome;
}

/** Runs a stack policy over resources, as `analyzeStack` does (parents and dependencies resolved by URN). */
export async function runStack(
    policy: StackValidationPolicy,
    specs: ResourceSpec[],
    config?: Record<string, unknown> | "none",
): Promise<Outcome> {
    const { outcome, report } = collect();
    const resources: PolicyResource[] = specs.map((spec) => {
        const props = wireProps(spec.props);
        const resource: PolicyResource = {
            type: spec.type,
            props,
            urn: spec.urn ?? urnOf(spec.type, spec.name),
            name: spec.name,
            opts: spec.parent ? { ...DEFAULT_OPTS, parent: spec.parent } : DEFAULT_OPTS,
            dependencies: [],
            propertyDependencies: {},
            isType: (cls) => (cls as unknown as { __pulumiType?: string }).__pulumiType === spec.type,
            asType: ((cls: unknown) =>
                (cls as { __pulumiType?: string }).__pulumiType === spec.type ? props : undefined) as PolicyResource["asType"],
        };
        if (spec.provider) {
            resource.provider = {
                type: spec.provider.type,
                name: spec.provider.name,
                urn: spec.provider.urn ?? urnOf(spec.provider.type, spec.provider.name),
                props: wireProps(spec.provider.props),
            };
        }
        return resource;
    });
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    specs.forEach((spec, i) => {
        const resource = resources[i];
        if (spec.parent && byUrn.has(spec.parent)) resource.parent = byUrn.get(spec.parent);
        resource.dependencies = (spec.dependencies ?? []).map((u) => byUrn.get(u)).filter((r): r is PolicyResource => r !== undefined);
        for (const [key, urns] of Object.entries(spec.propertyDependencies ?? {})) {
            resource.propertyDependencies[key] = urns.map((u) => byUrn.get(u)).filter((r): r is PolicyResource => r !== undefined);
        }
    });
    const args: StackValidationArgs = {
        resources,
        stackTags: new Map<string, string>(),
        getConfig: <T extends object>() => configFor(policy.configSchema, config) as T,
        notApplicable: throwNotApplicable,
    };
    try {
        await Promise.resolve(policy.validateStack(args, report));
    } catch (error) {
        handle(error, policy.name, outcome);
    }
    return outcome;
}

/** The text of the advisory the server emits for an unknown value at `path`. */
export function unknownAdvisory(policyName: string, kind: "string" | "number" | "boolean" | "Array" | "Object", path: string): string {
    return `can't run policy '${policyName}' from policy pack ${PACK} during preview: ${kind} value at .${path} can't be known during preview`;
}

/** Deep copy with a change applied: `patch(base, p => { p.x = 1 })`. */
export function patch<T>(base: T, change: (copy: T) => void): T {
    const copy = structuredClone(base);
    change(copy);
    return copy;
}
