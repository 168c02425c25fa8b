/**
 * Runs a Pulumi program on the SDK's mock runtime and records every registration in full.
 *
 * The SDK's own mocks only hand `newResource` the type, name and inputs. A subclass of its
 * `MockMonitor` sees the whole register request, so the record also has the parent, dependencies,
 * property dependencies, `protect`, `retainOnDelete`, timeouts and provider — what the policy pack
 * and `pulumi preview --json` need. Mocks do not catch duplicate URNs (the real engine does), so the
 * recorder does.
 */
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor, Mocks, MockCallArgs, MockResourceArgs } from "@pulumi/pulumi/runtime/mocks";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { answerInvoke, mockState } from "./mock-aws";

/** Key and value that mark a secret on the wire (`{[SIG_KEY]: SECRET_SIG, value}`). */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
/** The value Pulumi sends for a property that is unknown during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** One registration, as the engine would have received it. */
export interface RecordedResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    parent?: string;
    /** Provider reference (`urn::id`); default providers are filled in by {@link runProgram}. */
    provider?: string;
    id?: string;
    /** Inputs in wire form: secrets stay wrapped with {@link SIG_KEY}, unknowns are {@link UNKNOWN}. */
    inputs: Record<string, unknown>;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    protect: boolean;
    retainOnDelete: boolean;
    deleteBeforeReplace: boolean;
    ignoreChanges: string[];
    customTimeouts?: { create?: string; update?: string; delete?: string };
    /** Package version the SDK asked for (custom resources only). */
    version?: string;
    /** For components: what `registerOutputs` reported, in wire form. */
    outputs?: Record<string, unknown>;
}

export interface ProgramRun {
    project: string;
    stack: string;
    resources: RecordedResource[];
    /** Stack outputs in wire form (secrets wrapped). */
    outputs: Record<string, unknown>;
}

/** A problem the real engine would have refused (e.g. two resources with one URN). */
export class PlanError extends Error {}

class RecordingMonitor extends MockMonitor {
    readonly records: RecordedResource[] = [];
    readonly byUrn = new Map<string, RecordedResource>();
    readonly duplicates: string[] = [];

    constructor(
        mocks: Mocks,
        private readonly project: string,
        private readonly stack: string,
    ) {
        super(mocks);
        // The base class mints URNs in a private method; replace it so the URNs the SDK receives
        // (and then uses as parents) are the engine's.
        (this as unknown as { newUrn: (p: string, t: string, n: string) => string }).newUrn = (p, t, n) =>
            engineUrn(project, stack, p, t, n);
    }

    // The request is the generated protobuf class; typing it here would couple us to SDK internals.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async registerResource(req: any, callback: (err: any, res: any) => void): Promise<void> {
        const urn = engineUrn(this.project, this.stack, req.getParent(), req.getType(), req.getName());
        if (this.byUrn.has(urn)) {
            // The engine fails the whole update on this; surface it instead of silently overwriting.
            this.duplicates.push(urn);
        }
        const deps: Record<string, string[]> = {};
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        req.getPropertydependenciesMap().forEach((v: any, k: string) => {
            deps[k] = [...v.getUrnsList()].sort();
        });
        const timeouts = req.getCustomtimeouts();
        const record: RecordedResource = {
            urn,
            type: req.getType(),
            name: req.getName(),
            custom: req.getCustom(),
            parent: req.getParent() || undefined,
            provider: req.getProvider() || undefined,
            inputs: (req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
            dependencies: [...new Set<string>(req.getDependenciesList())].sort(),
            propertyDependencies: deps,
            protect: req.getProtect() === true,
            retainOnDelete: req.getRetainondelete() === true,
            deleteBeforeReplace: req.getDeletebeforereplace() === true,
            ignoreChanges: req.getIgnorechangesList(),
            customTimeouts:
                timeouts && (timeouts.getCreate() || timeouts.getUpdate() || timeouts.getDelete())
                    ? dropEmpty({ create: timeouts.getCreate(), update: timeouts.getUpdate(), delete: timeouts.getDelete() })
                    : undefined,
            version: req.getVersion() || undefined,
        };
        this.records.push(record);
        this.byUrn.set(urn, record);
        const secretOutputs: string[] = req.getAdditionalsecretoutputsList();
        return super.registerResource(req, (err, res) => {
            if (res) {
                record.id = res.getId() || undefined;
                // The engine marks these outputs secret (e.g. RandomPassword.result); mocks do not.
                if (secretOutputs.length)
                    res.setObject(
                        Struct.fromJavaScript(
                            markSecret(res.getObject()?.toJavaScript() ?? {}, secretOutputs) as Parameters<typeof Struct.fromJavaScript>[0],
                        ),
                    );
                // The SDK writes every response into a debug line (runtime/resource.js, "RegisterResource
                // RPC finished: …, resp: ${innerResponse}") that a mock run never prints; a protobuf
                // message's toString flattens the whole state into text first, a few percent of a plan.
                res.toString = () => `RegisterResourceResponse(${urn})`;
            }
            callback(err, res);
        });
    }

    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    registerResourceOutputs(req: any, callback: (err: any, res: any) => void): void {
        const record = this.byUrn.get(req.getUrn());
        if (record) record.outputs = (req.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>;
        super.registerResourceOutputs(req, callback);
    }
}

function markSecret(state: Record<string, unknown>, keys: string[]): Record<string, unknown> {
    const out = { ...state };
    for (const k of keys) {
        const v = out[k];
        const alreadySecret = v && typeof v === "object" && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
        if (v !== undefined && !alreadySecret) out[k] = { [SIG_KEY]: SECRET_SIG, value: v };
    }
    return out;
}

function dropEmpty<T extends Record<string, string | undefined>>(o: T): T {
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v)) as T;
}

/**
 * The URN the engine gives a resource: the parent's whole type chain (left out when the parent is
 * the stack), then the resource's type and name. The SDK's mock keeps only the parent's last type
 * and includes the stack's, so its URNs differ from a real preview's; ours match.
 */
export function engineUrn(project: string, stack: string, parentUrn: string, type: string, name: string): string {
    const parentChain = parentUrn ? parentUrn.split("::")[2] : "";
    const chain = parentChain && parentChain !== "pulumi:pulumi:Stack" ? `${parentChain}$${type}` : type;
    return `urn:pulumi:${stack}::${project}::${chain}::${name}`;
}

const invokeFailures: string[] = [];

/** Why the last run's first failed invoke failed (the program itself only sees "Error"). */
export function invokeFailure(): string | undefined {
    return invokeFailures[0];
}

/** Settings for one mock run. */
export interface RunOptions {
    project: string;
    stack: string;
    /** Fully qualified config keys to raw string values, as the language host passes them. */
    config: Record<string, string>;
    /** Fully qualified keys whose values are secrets. */
    secretKeys: string[];
    /** The program: returns its stack outputs (for a module, its exports). */
    program: () => unknown;
    /**
     * Inputs of an earlier deployment by resource name, for resources whose provider check reads them.
     * @default {} (a first deployment)
     */
    previousInputs?: Record<string, Record<string, unknown>>;
}

/** Runs `program` under the mock runtime and returns everything it registered. */
export async function runProgram(opts: RunOptions): Promise<ProgramRun> {
    const region = opts.config["aws:region"] ?? "eu-west-2";
    invokeFailures.length = 0;
    const mocks: Mocks = {
        newResource: (args: MockResourceArgs) => mockState(args, region, opts.previousInputs),
        call: (args: MockCallArgs) => {
            try {
                return answerInvoke(args, region);
            } catch (e) {
                // gRPC hands the program only "Error"; keep the real reason for the report.
                invokeFailures.push((e as Error).message);
                throw e;
            }
        },
    };
    // setMocks switches on the runtime features (secrets, resource references) mocks support;
    // then our recording monitor replaces the plain one.
    await pulumi.runtime.setMocks(mocks, opts.project, opts.stack, true);
    const monitor = new RecordingMonitor(mocks, opts.project, opts.stack);
    pulumi.runtime.setMockOptions(monitor, opts.project, opts.stack, true);
    pulumi.runtime.setAllConfig(opts.config, opts.secretKeys);

    let exported: unknown;
    try {
        exported = await pulumi.runtime.runInPulumiStack(async () => opts.program());
    } catch (e) {
        throw invokeFailures.length ? new PlanError(invokeFailures[0]) : e;
    }
    // Outputs resolve asynchronously after the program returns; wait until every registration is done.
    await waitForIdle(monitor);
    const stack = monitor.records.find((r) => r.type === "pulumi:pulumi:Stack");
    const outputs = (stack?.outputs ?? (await serializeOutputs(exported))) as Record<string, unknown>;

    if (monitor.duplicates.length) {
        throw new PlanError(
            `duplicate resource URN${monitor.duplicates.length > 1 ? "s" : ""}: ${monitor.duplicates.join(", ")} (the engine refuses two resources with one name and type under one parent)`,
        );
    }
    addDefaultProviders(monitor.records, opts.project, opts.stack);
    return { project: opts.project, stack: opts.stack, resources: monitor.records, outputs };
}

async function serializeOutputs(exported: unknown): Promise<Record<string, unknown>> {
    if (!exported || typeof exported !== "object") return {};
    const { serializeProperties } = await import("@pulumi/pulumi/runtime/rpc");
    return (await serializeProperties("outputs", exported as Record<string, unknown>, { keepOutputValues: false })) as Record<
        string,
        unknown
    >;
}

async function waitForIdle(monitor: RecordingMonitor): Promise<void> {
    let seen = -1;
    while (seen !== monitor.records.length) {
        seen = monitor.records.length;
        await new Promise((resolve) => setImmediate(resolve));
        await new Promise((resolve) => setTimeout(resolve, 0));
    }
}

/**
 * The engine registers one default provider per package and version, and each custom resource
 * without an explicit provider refers to it. Mocks never do, so the record adds them the way the
 * real preview shows them.
 */
function addDefaultProviders(records: RecordedResource[], project: string, stack: string): void {
    const providers = new Map<string, RecordedResource>();
    for (const r of records) {
        if (!r.custom || r.provider || r.type.startsWith("pulumi:providers:")) continue;
        const pkg = r.type.split(":")[0];
        const version = r.version ?? "";
        const name = `default${version ? `_${version.replace(/[.-]/g, "_")}` : ""}`;
        const type = `pulumi:providers:${pkg}`;
        const urn = `urn:pulumi:${stack}::${project}::${type}::${name}`;
        let provider = providers.get(urn);
        if (!provider) {
            provider = {
                urn,
                type,
                name,
                custom: true,
                id: "00000000-0000-0000-0000-000000000000",
                inputs: version ? { version } : {},
                dependencies: [],
                propertyDependencies: {},
                protect: false,
                retainOnDelete: false,
                deleteBeforeReplace: false,
                ignoreChanges: [],
                version: version || undefined,
            };
            providers.set(urn, provider);
        }
        r.provider = `${urn}::${provider.id}`;
    }
    // The engine registers default providers after the stack and before their first user.
    const stackIndex = records.findIndex((r) => r.type === "pulumi:pulumi:Stack");
    records.splice(stackIndex + 1, 0, ...providers.values());
}

/** Replaces wire secrets with their values (for checks and tests; never for printing). */
export function unwrapSecrets(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(unwrapSecrets);
    if (value && typeof value === "object") {
        const o = value as Record<string, unknown>;
        if (o[SIG_KEY] === SECRET_SIG) return unwrapSecrets(o.value);
        return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, unwrapSecrets(v)]));
    }
    return value;
}

/** Replaces wire secrets with `"[secret]"`, as `pulumi preview --json` writes them. */
export function maskSecrets(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(maskSecrets);
    if (value && typeof value === "object") {
        const o = value as Record<string, unknown>;
        if (o[SIG_KEY] === SECRET_SIG) return "[secret]";
        if (o[SIG_KEY] === RESOURCE_SIG) return o.urn;
        return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, maskSecrets(v)]));
    }
    return value;
}
