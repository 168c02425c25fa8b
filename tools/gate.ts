/**
 * The policy gate: runs the policy pack over a preview exactly as the Pulumi engine does, with no
 * Pulumi CLI and no cloud credentials.
 *
 * How the engine runs a Node.js pack, and what this module does the same way:
 * - The `pulumi-analyzer-policy` plugin starts `node @pulumi/pulumi/cmd/run-policy-pack <engine-address> .`
 *   with the pack directory as working directory, `PULUMI_STACK`/`PULUMI_PROJECT`/`PULUMI_DRY_RUN` set,
 *   and reads the gRPC port the pack prints as the first line of stdout. `run-policy-pack` registers
 *   ts-node with type checking forced on; the gate turns that into transpile-only (the equivalent of
 *   `PULUMI_NODEJS_TRANSPILE_ONLY=true`, which `run-policy-pack` itself ignores) because the repository
 *   type-checks the pack once with `tsc`. Set `PULUMI_NODEJS_TRANSPILE_ONLY=false` to type-check anyway.
 *   The engine address is only dropped by `run-policy-pack`; nothing in the pack dials it.
 * - `Handshake` (the Node server leaves it unimplemented) → `ConfigureStack` → `GetAnalyzerInfo` →
 *   `Configure` with the stack's policy config reconciled as the CLI's `ReconcilePolicyPackConfig` does
 *   (schema defaults, then the pack's initial config, then the file; `all` sets every level; the result
 *   is validated against each policy's config schema) → `Analyze` once per registered resource (inputs,
 *   options, provider) → `AnalyzeStack` over every resource of the new state (outputs where the preview
 *   has them, else inputs; parent, dependencies, property dependencies, provider).
 * - Properties go over the wire as the engine marshals them (`KeepUnknowns`, `KeepSecrets`): unknowns are
 *   the unknown sentinel string, so a rule that reads one gets the pack's "can't be known during
 *   preview" advisory; secrets are `{sig: secret, value}` so the pack sees the plain value. A recorded
 *   run (`opts.recorded`) supplies the real secret values; a preview file only has `"[secret]"`, which
 *   is sent as a secret whose value is unknown (present, value hidden), so rules that read it report
 *   "can't be known" instead of misjudging the mask (`pulumi preview --json --show-secrets` avoids this).
 *   Resource references become the referenced resource's ID when known, else its URN, as the engine
 *   sends them to analyzers.
 *
 * Deliberate differences from the CLI, all stricter: a policy config entry naming a policy the pack does
 * not have is an error (the CLI ignores it); a rule that throws is reported as an error verdict naming
 * the rule and the resource, and the resource is analysed again with that rule disabled so the other
 * rules' verdicts are not lost (the engine stops at the first throw).
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerRpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerProto from "@pulumi/pulumi/proto/analyzer_pb";
import YAML from "yaml";
import { RecordedResource, RESOURCE_SIG, SECRET_SIG, SIG_KEY, UNKNOWN } from "./mock-runtime";
import { PolicyVerdict, PreviewDigest, PreviewStep, StepState } from "./preview-json";

/** Enforcement levels, as policy config and verdicts spell them. */
export type EnforcementLevel = PolicyVerdict["enforcementLevel"];

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];
/** Signature of a first-class output value on the wire. */
const OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
/** The repository root (tools/..). */
const REPO_ROOT = path.resolve(__dirname, "..");
/** The policy pack this repository ships. */
export const DEFAULT_PACK_DIR = path.join(REPO_ROOT, "policy");
/** What the gate passes where the engine passes its own gRPC address; `run-policy-pack` drops it. */
const ENGINE_ADDRESS = "127.0.0.1:0";

/**
 * A problem with the gate's input (preview file, policy config, pack): one line, no stack trace.
 * The CLI prints `error: <message>` and exits non-zero.
 */
export class GateError extends Error {}

/** Steps whose resource the engine sends to `Analyze` (resource registrations). */
const ANALYZED_OPS = new Set(["create", "update", "same", "replace", "create-replacement", "import", "import-replacement"]);
/** Steps whose resource is in the new state but is not registered by the program (no `Analyze`). */
const STATE_ONLY_OPS = new Set(["read", "read-replacement", "refresh"]);
/** Steps that remove a resource: nothing to analyse. */
const REMOVING_OPS = new Set(["delete", "delete-replaced", "discard", "discard-replaced", "remove-pending-replace"]);

// ------------------------------------------------------------------------------------------------
// The pack process
// ------------------------------------------------------------------------------------------------

/** A policy pack served on a local port, as the engine's analyzer plugin starts it. */
export interface PolicyPackProcess {
    /** Absolute pack directory. */
    readonly dir: string;
    readonly port: number;
    /** Process id of the pack. */
    readonly pid: number;
    readonly client: analyzerRpc.AnalyzerClient;
    /** Version from PulumiPolicy.yaml, which the CLI prefers over package.json's. */
    readonly yamlVersion?: string;
    /** Everything the pack wrote to stderr so far (for error messages). */
    stderr(): string;
    /** Stops the pack: closes the channel, SIGTERM, SIGKILL after `graceMs`. Safe to call twice. */
    close(graceMs?: number): Promise<void>;
}

/** Options for {@link startPack}. */
export interface StartPackOptions {
    /** How long to wait for the port (ms); default 30 s. */
    timeoutMs?: number;
    /** `PULUMI_STACK` / `PULUMI_PROJECT` for the pack's environment, as the engine sets them. */
    stack?: string;
    project?: string;
}

function firstLine(text: string): string {
    const lines = text
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l);
    return lines[0] ?? "";
}

/** A parser's message on one line (Node's JSON errors quote the offending text, newlines included). */
function oneLine(text: string): string {
    return text.replace(/\s+/g, " ").trim();
}

/** The lines of stderr that say what went wrong, without stack frames. */
function stderrSummary(text: string): string {
    const lines = text
        // eslint-disable-next-line no-control-regex
        .replace(/\x1b\[[0-9;]*m/g, "")
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith("at ") && !/^\^+$/.test(l));
    return lines.slice(0, 3).join(" | ") || "no output";
}

/**
 * Starts the pack in `packDir` the way `pulumi preview --policy-pack <packDir>` does and connects an
 * `AnalyzerClient` to it. Throws GateError when the directory is not a pack or the pack does not start.
 */
export async function startPack(packDir: string = DEFAULT_PACK_DIR, opts: StartPackOptions = {}): Promise<PolicyPackProcess> {
    const dir = path.resolve(packDir);
    const yamlFile = path.join(dir, "PulumiPolicy.yaml");
    if (!fs.existsSync(yamlFile)) throw new GateError(`${packDir} is not a policy pack: no PulumiPolicy.yaml`);
    let yamlVersion: string | undefined;
    try {
        const doc = YAML.parse(fs.readFileSync(yamlFile, "utf8")) as Record<string, unknown> | null;
        if (doc && typeof doc.version === "string" && doc.version) yamlVersion = doc.version;
        else if (doc && typeof doc.version === "number") yamlVersion = String(doc.version);
    } catch (e) {
        throw new GateError(`${yamlFile}: ${oneLine((e as Error).message)}`);
    }
    let entry: string;
    try {
        // The plugin runs the run-policy-pack module from the pack's own node_modules.
        entry = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [dir] });
    } catch {
        throw new GateError(`policy pack ${packDir}: @pulumi/pulumi is not installed for it (run npm install)`);
    }
    const transpileOnly = process.env.PULUMI_NODEJS_TRANSPILE_ONLY !== "false";
    // run-policy-pack registers ts-node with typeCheck: true. Make that registration transpile-only,
    // then run run-policy-pack exactly as the plugin script does: argv = <engine-address> <pack-dir>.
    const bootstrap = [
        `const entry = ${JSON.stringify(entry)};`,
        transpileOnly
            ? `try { const tsn = require(require.resolve("ts-node", { paths: [require("path").dirname(entry)] }));` +
              ` const register = tsn.register; tsn.register = (o) => register({ ...o, typeCheck: false, transpileOnly: true }); } catch (e) {}`
            : "",
        `process.argv = [process.argv[0], entry, ${JSON.stringify(ENGINE_ADDRESS)}, "."];`,
        `require(entry);`,
    ].join("\n");
    const env: NodeJS.ProcessEnv = { ...process.env, PULUMI_DRY_RUN: "true", PULUMI_NODEJS_DRY_RUN: "true" };
    // The gate's own ts-node hooks must not leak into the pack's process.
    delete env.TS_NODE_TRANSPILE_ONLY;
    delete env.NODE_OPTIONS;
    if (opts.stack) env.PULUMI_STACK = env.PULUMI_NODEJS_STACK = opts.stack;
    if (opts.project) env.PULUMI_PROJECT = env.PULUMI_NODEJS_PROJECT = opts.project;
    const child = spawn(process.execPath, ["-e", bootstrap], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (d: string) => {
        if (stderr.length < 64_000) stderr += d;
    });
    const killOnExit = () => child.kill("SIGKILL");
    process.once("exit", killOnExit);

    const timeoutMs = opts.timeoutMs ?? 30_000;
    let port: number;
    try {
        port = await new Promise<number>((resolve, reject) => {
            let out = "";
            const timer = setTimeout(
                () =>
                    reject(new GateError(`policy pack ${packDir} did not print its port within ${timeoutMs} ms: ${stderrSummary(stderr)}`)),
                timeoutMs,
            );
            child.stdout!.setEncoding("utf8");
            const onData = (d: string) => {
                out += d;
                const nl = out.indexOf("\n");
                if (nl < 0) return;
                clearTimeout(timer);
                child.stdout!.off("data", onData);
                // Keep draining stdout so a chatty rule never blocks the pack on a full pipe.
                child.stdout!.resume();
                const line = out.slice(0, nl).trim();
                const n = Number(line);
                if (!/^\d+$/.test(line) || n <= 0 || n > 65535)
                    reject(new GateError(`policy pack ${packDir} printed "${line.slice(0, 80)}" where its port was expected`));
                else resolve(n);
            };
            child.stdout!.on("data", onData);
            child.once("error", (e) => {
                clearTimeout(timer);
                reject(new GateError(`policy pack ${packDir} failed to start: ${e.message}`));
            });
            child.once("exit", (code, signal) => {
                clearTimeout(timer);
                // Give stderr a moment to flush before summarising it.
                setImmediate(() =>
                    reject(
                        new GateError(
                            `policy pack ${packDir} exited (${signal ?? `code ${code}`}) before serving: ${stderrSummary(stderr)}`,
                        ),
                    ),
                );
            });
        });
    } catch (e) {
        process.off("exit", killOnExit);
        await stopChild(child, 2000);
        throw e;
    }
    const client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
        "grpc.max_receive_message_length": 400 * 1024 * 1024,
        "grpc.max_send_message_length": 400 * 1024 * 1024,
    });
    let closed: Promise<void> | undefined;
    return {
        dir,
        port,
        pid: child.pid as number,
        client,
        yamlVersion,
        stderr: () => stderr,
        close: (graceMs = 2000) => {
            if (!closed) {
                client.close();
                process.off("exit", killOnExit);
                closed = stopChild(child, graceMs);
            }
            return closed;
        },
    };
}

function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
        const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
        child.once("exit", () => {
            clearTimeout(timer);
            resolve();
        });
        child.kill("SIGTERM");
    });
}

// ------------------------------------------------------------------------------------------------
// gRPC helpers
// ------------------------------------------------------------------------------------------------

/** Deadline for one RPC (ms): a rule stuck in a loop fails the gate instead of hanging it. */
const RPC_DEADLINE_MS = 60_000;

function call<Req, Res>(
    fn: (req: Req, meta: grpc.Metadata, opts: Partial<grpc.CallOptions>, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown,
    client: analyzerRpc.AnalyzerClient,
    req: Req,
): Promise<Res> {
    return new Promise((resolve, reject) => {
        fn.call(client, req, new grpc.Metadata(), { deadline: Date.now() + RPC_DEADLINE_MS }, (err, res) =>
            err ? reject(err) : resolve(res),
        );
    });
}

function isServiceError(e: unknown): e is grpc.ServiceError {
    return !!e && typeof e === "object" && typeof (e as grpc.ServiceError).code === "number" && "details" in (e as object);
}

// ------------------------------------------------------------------------------------------------
// Policy config: parse, reconcile, validate (as the CLI)
// ------------------------------------------------------------------------------------------------

/** One policy's config: its enforcement level and properties. */
export interface PolicyConfigEntry {
    enforcementLevel?: EnforcementLevel;
    properties?: Record<string, unknown>;
}

/** What the pack reports about one policy (`GetAnalyzerInfo`). */
export interface PolicyInfo {
    name: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    /** Config schema with `enforcementLevel` injected, as the CLI does. */
    configSchema?: { properties: Record<string, JsonSchema>; required: string[] };
    stack: boolean;
}

/** A JSON schema (the subset policy config schemas use). */
export type JsonSchema = Record<string, unknown>;

function isLevel(v: unknown): v is EnforcementLevel {
    return typeof v === "string" && (LEVELS as readonly string[]).includes(v);
}

/**
 * Parses a `--policy-pack-config` file as the CLI does: each key is a policy name (or `all`); the value
 * is an enforcement level, or an object with an optional `enforcementLevel` and the policy's properties.
 */
export function parsePolicyConfig(text: string, file: string): Record<string, PolicyConfigEntry> {
    if (text.trim() === "") return {};
    let raw: unknown;
    try {
        raw = JSON.parse(text);
    } catch (e) {
        throw new GateError(`policy config ${file} is not JSON: ${oneLine((e as Error).message)}`);
    }
    if (!raw || typeof raw !== "object" || Array.isArray(raw))
        throw new GateError(`policy config ${file} must be a JSON object of policy names`);
    const result: Record<string, PolicyConfigEntry> = {};
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof v === "string") {
            if (!isLevel(v))
                throw new GateError(`policy config ${file}: parsing enforcement level for "${k}": "${v}" is not a valid enforcement level`);
            result[k] = { enforcementLevel: v };
        } else if (v && typeof v === "object" && !Array.isArray(v)) {
            const { enforcementLevel, ...props } = v as Record<string, unknown>;
            const entry: PolicyConfigEntry = {};
            if (enforcementLevel !== undefined) {
                if (typeof enforcementLevel !== "string")
                    throw new GateError(
                        `policy config ${file}: parsing enforcement level for "${k}": ${JSON.stringify(enforcementLevel)} is not a valid enforcement level; must be a string`,
                    );
                if (!isLevel(enforcementLevel))
                    throw new GateError(
                        `policy config ${file}: parsing enforcement level for "${k}": "${enforcementLevel}" is not a valid enforcement level`,
                    );
                entry.enforcementLevel = enforcementLevel;
            }
            if (Object.keys(props).length) entry.properties = props;
            if (entry.enforcementLevel || entry.properties) result[k] = entry;
        } else {
            throw new GateError(
                `policy config ${file}: parsing "${k}": ${JSON.stringify(v)} is not a valid value; must be a string or object`,
            );
        }
    }
    return result;
}

/**
 * Reconciles config as the CLI's `ReconcilePolicyPackConfig`: every policy starts at its own level with
 * its schema defaults; the pack's initial config, then `config`, are applied (`all` first sets every
 * level); the result is validated against each policy's schema. Unknown policy names are an error.
 */
export function reconcilePolicyConfig(
    pack: { name: string; version: string },
    policies: PolicyInfo[],
    initialConfig: Record<string, PolicyConfigEntry>,
    config: Record<string, PolicyConfigEntry>,
    file: string,
): Record<string, PolicyConfigEntry> {
    const known = new Set(policies.map((p) => p.name));
    const unknown = Object.keys(config).filter((k) => k !== "all" && !known.has(k));
    if (unknown.length) {
        throw new GateError(
            `policy config ${file}: no policy named ${unknown.map((u) => `"${u}"`).join(", ")} in pack ${pack.name} ${pack.version}`,
        );
    }
    const result: Record<string, PolicyConfigEntry> = {};
    for (const p of policies) {
        let props: Record<string, unknown> | undefined;
        for (const [k, s] of Object.entries(p.configSchema?.properties ?? {})) {
            if (k !== "enforcementLevel" && "default" in s) (props ??= {})[k] = structuredClone(s.default);
        }
        result[p.name] = { enforcementLevel: p.enforcementLevel, properties: props };
    }
    const apply = (c: Record<string, PolicyConfigEntry>) => {
        const all = c.all;
        if (all?.enforcementLevel)
            for (const k of Object.keys(result)) result[k] = { ...result[k], enforcementLevel: all.enforcementLevel };
        for (const [name, given] of Object.entries(c)) {
            const cur = result[name] ?? {};
            const props =
                given.properties && Object.keys(given.properties).length
                    ? { ...(cur.properties ?? {}), ...structuredClone(given.properties) }
                    : cur.properties;
            result[name] = { enforcementLevel: given.enforcementLevel ?? cur.enforcementLevel, properties: props };
        }
    };
    apply(initialConfig);
    apply(config);
    const errors: string[] = [];
    for (const p of policies) {
        if (!p.configSchema) continue;
        const schema: JsonSchema = { type: "object", properties: p.configSchema.properties };
        if (p.configSchema.required.length) schema.required = p.configSchema.required;
        for (const e of validateJsonSchema(schema, result[p.name]?.properties ?? {}, p.name)) errors.push(`${p.name}: ${e}`);
    }
    if (errors.length) throw new GateError(`validating policy config: ${pack.name} ${pack.version}  ${errors.join("; ")}`);
    return result;
}

function jsonType(v: unknown): string {
    if (v === null) return "null";
    if (Array.isArray(v)) return "array";
    if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
    return typeof v;
}

const IGNORED_KEYWORDS = new Set([
    "type",
    "description",
    "title",
    "default",
    "examples",
    "$comment",
    "deprecated",
    "readOnly",
    "writeOnly",
]);

/**
 * Validates `value` against `schema` with gojsonschema's messages (`<field>: <description>`, root
 * errors without the field), the library the CLI uses. A keyword this validator does not implement is
 * reported as an error rather than skipped, so config is never silently accepted.
 */
export function validateJsonSchema(schema: JsonSchema, value: unknown, policy: string): string[] {
    const errors: string[] = [];
    const at = (field: string, msg: string) => errors.push(field === "(root)" ? msg : `${field}: ${msg}`);
    const child = (field: string, key: string | number) => (field === "(root)" ? String(key) : `${field}.${key}`);
    const walk = (s: JsonSchema, v: unknown, field: string): void => {
        for (const k of Object.keys(s)) {
            if (!IGNORED_KEYWORDS.has(k) && !SUPPORTED_KEYWORDS.has(k)) {
                throw new GateError(`policy ${policy}: config schema keyword "${k}" at ${field} is not supported by the offline gate`);
            }
        }
        const t = jsonType(v);
        if (s.type !== undefined) {
            const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
            const ok = types.some((x) => x === t || (x === "number" && t === "integer"));
            if (!ok) {
                at(field, `Invalid type. Expected: ${types.length === 1 ? types[0] : `[${types.join(",")}]`}, given: ${t}`);
                return;
            }
        }
        if (s.enum !== undefined) {
            const allowed = s.enum as unknown[];
            if (!allowed.some((a) => deepEqual(a, v)))
                at(field, `${lastSegment(field)} must be one of the following: ${allowed.map((a) => JSON.stringify(a)).join(", ")}`);
        }
        if (s.const !== undefined && !deepEqual(s.const, v)) at(field, `${lastSegment(field)} does not match: ${JSON.stringify(s.const)}`);
        if (typeof v === "number") {
            if (typeof s.minimum === "number" && v < s.minimum) at(field, `Must be greater than or equal to ${s.minimum}`);
            if (typeof s.maximum === "number" && v > s.maximum) at(field, `Must be less than or equal to ${s.maximum}`);
            if (typeof s.exclusiveMinimum === "number" && v <= s.exclusiveMinimum) at(field, `Must be greater than ${s.exclusiveMinimum}`);
            if (typeof s.exclusiveMaximum === "number" && v >= s.exclusiveMaximum) at(field, `Must be less than ${s.exclusiveMaximum}`);
            if (typeof s.multipleOf === "number" && !Number.isInteger(v / s.multipleOf)) at(field, `Must be a multiple of ${s.multipleOf}`);
        }
        if (typeof v === "string") {
            const len = [...v].length;
            if (typeof s.minLength === "number" && len < s.minLength)
                at(field, `String length must be greater than or equal to ${s.minLength}`);
            if (typeof s.maxLength === "number" && len > s.maxLength)
                at(field, `String length must be less than or equal to ${s.maxLength}`);
            if (typeof s.pattern === "string" && !new RegExp(s.pattern, "u").test(v)) at(field, `Does not match pattern '${s.pattern}'`);
        }
        if (Array.isArray(v)) {
            if (typeof s.minItems === "number" && v.length < s.minItems) at(field, `Array must have at least ${s.minItems} items`);
            if (typeof s.maxItems === "number" && v.length > s.maxItems) at(field, `Array must have at most ${s.maxItems} items`);
            if (s.uniqueItems === true) {
                // The first pair (smallest i, then smallest j > i) of equal items, found in one pass:
                // for each value its first index and the next index it recurs at.
                const seen = new Map<string | undefined, { first: number; second?: number }>();
                let pair: [number, number] | undefined;
                v.forEach((item, j) => {
                    const key = canonicalJson(item);
                    const entry = seen.get(key);
                    if (!entry) seen.set(key, { first: j });
                    else if (entry.second === undefined) {
                        entry.second = j;
                        if (!pair || entry.first < pair[0]) pair = [entry.first, j];
                    }
                });
                if (pair) at(field, `array items[${pair[0]},${pair[1]}] must be unique`);
            }
            if (s.items && typeof s.items === "object" && !Array.isArray(s.items))
                v.forEach((item, i) => walk(s.items as JsonSchema, item, child(field, i)));
        }
        if (t === "object") {
            const o = v as Record<string, unknown>;
            const props = (s.properties ?? {}) as Record<string, JsonSchema>;
            for (const r of (s.required ?? []) as string[]) if (!(r in o)) at(field, `${r} is required`);
            if (typeof s.minProperties === "number" && Object.keys(o).length < s.minProperties)
                at(field, `Must have at least ${s.minProperties} properties`);
            if (typeof s.maxProperties === "number" && Object.keys(o).length > s.maxProperties)
                at(field, `Must have at most ${s.maxProperties} properties`);
            const patterns = Object.entries((s.patternProperties ?? {}) as Record<string, JsonSchema>);
            for (const [k, pv] of Object.entries(o)) {
                let matched = false;
                if (props[k]) {
                    matched = true;
                    walk(props[k], pv, child(field, k));
                }
                for (const [re, ps] of patterns) {
                    if (new RegExp(re, "u").test(k)) {
                        matched = true;
                        walk(ps, pv, child(field, k));
                    }
                }
                if (!matched && s.additionalProperties !== undefined) {
                    if (s.additionalProperties === false) at(field, `Additional property ${k} is not allowed`);
                    else if (s.additionalProperties && typeof s.additionalProperties === "object")
                        walk(s.additionalProperties as JsonSchema, pv, child(field, k));
                }
            }
        }
        const passes = (sub: JsonSchema) => {
            const before = errors.length;
            walk(sub, v, field);
            const ok = errors.length === before;
            errors.length = before;
            return ok;
        };
        if (Array.isArray(s.anyOf) && !(s.anyOf as JsonSchema[]).some(passes)) at(field, "Must validate at least one schema (anyOf)");
        if (Array.isArray(s.oneOf) && (s.oneOf as JsonSchema[]).filter(passes).length !== 1)
            at(field, "Must validate one and only one schema (oneOf)");
        if (Array.isArray(s.allOf) && !(s.allOf as JsonSchema[]).every(passes)) at(field, "Must validate all the schemas (allOf)");
        if (s.not && typeof s.not === "object" && passes(s.not as JsonSchema)) at(field, "Must not validate the schema (not)");
    };
    walk(schema, value, "(root)");
    return errors;
}

const SUPPORTED_KEYWORDS = new Set([
    "enum",
    "const",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
    "properties",
    "required",
    "additionalProperties",
    "patternProperties",
    "minProperties",
    "maxProperties",
    "anyOf",
    "oneOf",
    "allOf",
    "not",
]);

function lastSegment(field: string): string {
    return field.split(".").pop() as string;
}

function deepEqual(a: unknown, b: unknown): boolean {
    return canonicalJson(a) === canonicalJson(b);
}

/** JSON with object keys sorted: equal for deep-equal values (undefined for what JSON cannot hold). */
function canonicalJson(v: unknown): string | undefined {
    return JSON.stringify(canonical(v));
}

function canonical(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(canonical);
    if (v && typeof v === "object")
        return Object.fromEntries(
            Object.keys(v)
                .sort()
                .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
        );
    return v;
}

// ------------------------------------------------------------------------------------------------
// Preview documents
// ------------------------------------------------------------------------------------------------

/**
 * Checks that `doc` is a `pulumi preview --json` document the gate can analyse and returns it typed.
 * Throws GateError with a one-line message naming the first problem (`where` prefixes it).
 */
export function checkPreviewDigest(doc: unknown, where = "preview"): PreviewDigest {
    const fail = (msg: string): never => {
        throw new GateError(`${where}: ${msg}`);
    };
    if (!doc || typeof doc !== "object" || Array.isArray(doc))
        fail(`not a pulumi preview --json document: expected a JSON object, got ${jsonType(doc)}`);
    const d = doc as Record<string, unknown>;
    if (!("steps" in d)) fail(`not a pulumi preview --json document: no "steps"`);
    if (!Array.isArray(d.steps)) fail(`"steps" must be an array, got ${jsonType(d.steps)}`);
    (d.steps as unknown[]).forEach((s, i) => {
        const at = `steps[${i}]`;
        if (!s || typeof s !== "object" || Array.isArray(s)) fail(`${at} must be an object, got ${jsonType(s)}`);
        const step = s as Record<string, unknown>;
        if (typeof step.op !== "string") fail(`${at} has no "op"`);
        const op = step.op as string;
        if (!ANALYZED_OPS.has(op) && !STATE_ONLY_OPS.has(op) && !REMOVING_OPS.has(op)) fail(`${at} has unknown op "${op}"`);
        if (typeof step.urn !== "string" || !step.urn.startsWith("urn:pulumi:")) fail(`${at} has no "urn" (a urn:pulumi:... string)`);
        for (const key of ["newState", "oldState"] as const) {
            const st = step[key];
            if (st === undefined) continue;
            if (!st || typeof st !== "object" || Array.isArray(st)) fail(`${at}.${key} must be an object, got ${jsonType(st)}`);
            const state = st as Record<string, unknown>;
            if (typeof state.type !== "string" || !state.type) fail(`${at}.${key} has no "type"`);
            if (state.urn !== undefined && typeof state.urn !== "string") fail(`${at}.${key}.urn must be a string`);
            for (const obj of ["inputs", "outputs", "propertyDependencies"]) {
                const v = state[obj];
                if (v !== undefined && v !== null && (typeof v !== "object" || Array.isArray(v)))
                    fail(`${at}.${key}.${obj} must be an object, got ${jsonType(v)}`);
            }
            if (
                state.dependencies !== undefined &&
                state.dependencies !== null &&
                !(Array.isArray(state.dependencies) && state.dependencies.every((x) => typeof x === "string"))
            ) {
                fail(`${at}.${key}.dependencies must be an array of URNs`);
            }
        }
        if (!REMOVING_OPS.has(op) && step.newState === undefined) fail(`${at} (op "${op}") has no "newState"`);
    });
    if (d.config !== undefined && (typeof d.config !== "object" || d.config === null || Array.isArray(d.config)))
        fail(`"config" must be an object, got ${jsonType(d.config)}`);
    return doc as PreviewDigest;
}

/** Reads and checks a preview JSON file; every problem is a one-line GateError. */
export function readPreviewFile(file: string): PreviewDigest {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new GateError(
            `cannot read preview file ${file}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : oneLine((e as Error).message)}`,
        );
    }
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (e) {
        throw new GateError(`${file} is not JSON: ${oneLine((e as Error).message)}`);
    }
    return checkPreviewDigest(doc, file);
}

/** Parts of a URN: `urn:pulumi:<stack>::<project>::<type chain>::<name>`. */
export function parseUrn(urn: string): { stack: string; project: string; type: string; name: string } {
    const parts = urn.split("::");
    const stack = parts[0].replace(/^urn:pulumi:/, "");
    const chain = parts[2] ?? "";
    return { stack, project: parts[1] ?? "", type: chain.split("$").pop() ?? "", name: parts.slice(3).join("::") };
}

// ------------------------------------------------------------------------------------------------
// Wire form
// ------------------------------------------------------------------------------------------------

/**
 * A value as the engine marshals it for analyzers: secrets kept (`{sig, value}`), unknowns as the
 * sentinel, output values unwrapped, resource references as ID (when known) or URN. `"[secret]"` in a
 * preview document (`maskedSecrets`) becomes a secret whose value is unknown: the value exists but the
 * gate cannot see it, so a rule that reads it reports "can't be known during preview".
 */
export function toWire(v: unknown, maskedSecrets: boolean): unknown {
    if (v === undefined) return undefined;
    if (v === null || typeof v === "boolean" || typeof v === "number") return v;
    if (typeof v === "string") return maskedSecrets && v === "[secret]" ? { [SIG_KEY]: SECRET_SIG, value: UNKNOWN } : v;
    if (Array.isArray(v)) return v.map((x) => toWire(x, maskedSecrets) ?? null);
    const o = v as Record<string, unknown>;
    const sig = o[SIG_KEY];
    if (sig === SECRET_SIG) return { [SIG_KEY]: SECRET_SIG, value: toWire(o.value, false) ?? null };
    if (sig === RESOURCE_SIG) return typeof o.id === "string" && o.id && o.id !== UNKNOWN ? o.id : o.urn;
    if (sig === OUTPUT_SIG) {
        const inner = "value" in o ? (toWire(o.value, maskedSecrets) ?? null) : UNKNOWN;
        return o.secret === true ? { [SIG_KEY]: SECRET_SIG, value: inner } : inner;
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) {
        const w = toWire(x, sig === undefined && maskedSecrets);
        if (w !== undefined) out[k] = w;
    }
    return out;
}

function struct(v: Record<string, unknown>): Struct {
    // fromJavaScript's typing wants JSON values; toWire only yields those.
    return Struct.fromJavaScript(v as Parameters<typeof Struct.fromJavaScript>[0]);
}

/** Seconds in a Go duration string ("1h30m", "45s") or a number of seconds (the CLI's own JSON). */
export function timeoutSeconds(v: unknown): number {
    if (typeof v === "number") return v;
    if (typeof v !== "string" || !v) return 0;
    const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001, us: 1e-6, µs: 1e-6, ns: 1e-9 };
    let total = 0;
    const re = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g;
    let matched = "";
    for (let m = re.exec(v); m; m = re.exec(v)) {
        total += Number(m[1]) * units[m[2]];
        matched += m[0];
    }
    if (matched !== v) throw new GateError(`invalid custom timeout "${v}"`);
    return total;
}

// ------------------------------------------------------------------------------------------------
// The gate
// ------------------------------------------------------------------------------------------------

/** Options for {@link runGate}. */
export interface GateOptions {
    /** Stack whose policy config `<packDir>/config/<stack>.json` applies. Default: the digest's stack, when it has a config file. */
    stack?: string;
    /** A policy config file instead of the stack's (not with `stack`). */
    configFile?: string;
    /** Pack directory; default `policy/`. Ignored when `pack` is given. */
    packDir?: string;
    /** An already started pack (e.g. one per test file); the gate then leaves it running. */
    pack?: PolicyPackProcess;
    /**
     * The recorded run behind the digest. When given, each resource's wire-form inputs (secret values
     * in clear, marked secret, as the engine sends them) replace the digest's masked inputs.
     */
    recorded?: RecordedResource[];
    /** Stack tags for `ConfigureStack`; default: the CLI's project tags from Pulumi.yaml. */
    stackTags?: Record<string, string>;
    /** Concurrent `Analyze` calls; default 32. */
    concurrency?: number;
}

/** What the gate found. */
export interface GateResult {
    /** Violations reported by the pack, in the order the CLI lists them. */
    verdicts: PolicyVerdict[];
    /** Rules that threw: `error: true`, naming rule and resource. Each fails the gate. */
    errors: PolicyVerdict[];
    mandatoryViolations: number;
    advisoryViolations: number;
    /** No mandatory violation and no rule error. */
    passed: boolean;
    packName: string;
    packVersion: string;
    /** The policy config file applied, or undefined for the pack's defaults. */
    configFile?: string;
    /** The enforcement level each policy ran at after reconciliation. */
    levels: Record<string, EnforcementLevel>;
    resourcesAnalyzed: number;
    /** URNs of the new state, in preview order (the order `formatVerdicts` lists resources in). */
    urns: string[];
    /** `"[secret]"` values of the preview sent as unknown secrets (none when a recorded run is given). */
    maskedSecrets: number;
    /** Wall time of the RPCs (configure → analyzeStack), excluding the pack's start-up (ms). */
    elapsedMs: number;
}

/** Stacks that have a policy config file, `<packDir>/config/<stack>.json`. */
export function policyStacks(packDir: string = DEFAULT_PACK_DIR): string[] {
    const dir = path.join(packDir, "config");
    if (!fs.existsSync(dir)) return [];
    return fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".json"))
        .map((f) => f.slice(0, -5))
        .sort();
}

/** Which config file applies, per the options; throws GateError for an unknown stack. */
export function resolveConfigFile(
    opts: { stack?: string; configFile?: string; packDir?: string },
    digestStack?: string,
): string | undefined {
    const packDir = opts.packDir ?? DEFAULT_PACK_DIR;
    if (opts.stack && opts.configFile) throw new GateError("give either a stack or a policy config file, not both");
    if (opts.configFile) {
        if (!fs.existsSync(opts.configFile)) throw new GateError(`policy config ${opts.configFile}: no such file`);
        return opts.configFile;
    }
    if (opts.stack) {
        const file = path.join(packDir, "config", `${opts.stack}.json`);
        if (!fs.existsSync(file)) {
            const stacks = policyStacks(packDir);
            throw new GateError(
                `unknown stack "${opts.stack}": policy config exists for ${stacks.length ? stacks.join(", ") : "no stack"} (${path.relative(process.cwd(), path.join(packDir, "config")) || "."}/<stack>.json)`,
            );
        }
        return file;
    }
    if (digestStack) {
        const file = path.join(packDir, "config", `${digestStack}.json`);
        if (fs.existsSync(file)) return file;
    }
    return undefined;
}

/** The tags the CLI gives a stack from its project file (`pulumi:project`, `pulumi:runtime`, `pulumi:description`). */
function projectTags(project: string): Record<string, string> {
    const file = path.join(REPO_ROOT, "Pulumi.yaml");
    if (!fs.existsSync(file)) return {};
    try {
        const doc = YAML.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
        if (doc.name !== project) return {};
        const runtime = typeof doc.runtime === "string" ? doc.runtime : (doc.runtime as { name?: string } | undefined)?.name;
        const tags: Record<string, string> = { "pulumi:project": project };
        if (runtime) tags["pulumi:runtime"] = runtime;
        if (typeof doc.description === "string" && doc.description) tags["pulumi:description"] = doc.description;
        return tags;
    } catch {
        return {};
    }
}

/** One resource of the new state, ready for the wire. */
interface GateResource {
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

function countMasked(v: unknown): number {
    if (v === "[secret]") return 1;
    if (Array.isArray(v)) return v.reduce((n: number, x) => n + countMasked(x), 0);
    if (v && typeof v === "object") return Object.values(v).reduce((n: number, x) => n + countMasked(x), 0);
    return 0;
}

function collectResources(digest: PreviewDigest, recorded: Map<string, RecordedResource>): { resources: GateResource[]; masked: number } {
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
function providerUrn(ref: string): string {
    const i = ref.lastIndexOf("::");
    return i > 0 && ref.slice(0, i).split("::").length >= 4 ? ref.slice(0, i) : ref;
}

function providerMessage(
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

function optionsMessage(r: GateResource, withParent: boolean): analyzerProto.AnalyzerResourceOptions {
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

function toVerdict(d: analyzerProto.AnalyzeDiagnostic, version: string, urn: string | undefined): PolicyVerdict {
    const level = ({ 0: "advisory", 1: "mandatory", 2: "disabled", 3: "remediate" } as Record<number, EnforcementLevel>)[
        d.getEnforcementlevel()
    ];
    const v: PolicyVerdict = {
        policyPackName: d.getPolicypackname(),
        policyPackVersion: version || d.getPolicypackversion(),
        policyName: d.getPolicyname(),
        enforcementLevel: level ?? "mandatory",
        message: d.getMessage(),
    };
    if (urn) v.urn = urn;
    return v;
}

/** The rule a pack error names, and the error's first line (`Error validating ... with policy 'x' ...:\n<stack>`). */
function ruleFailure(e: unknown): { policy?: string; text: string } {
    const details = isServiceError(e) ? e.details : e instanceof Error ? e.message : String(e);
    const m = /with policy '([^']+)' from policy pack '[^']*':\n([^\n]*)/.exec(details);
    if (m) {
        const header = details.slice(0, details.indexOf(":\n"));
        return { policy: m[1], text: `${header}: ${m[2].trim()}` };
    }
    return { text: isServiceError(e) ? `${grpc.status[e.code] ?? e.code}: ${firstLine(details)}` : firstLine(details) };
}

/**
 * Runs the pack over the digest like `pulumi preview --policy-pack policy [--policy-pack-config <file>]`.
 * Throws GateError for bad input (config, pack); returns violations and rule errors otherwise.
 */
export async function runGate(digest: PreviewDigest, opts: GateOptions = {}): Promise<GateResult> {
    checkPreviewDigest(digest, "digest");
    const packDir = opts.pack?.dir ?? opts.packDir ?? DEFAULT_PACK_DIR;
    const firstUrn = digest.steps.find((s) => s.urn)?.urn;
    const { stack: digestStack, project } = firstUrn ? parseUrn(firstUrn) : { stack: "", project: "" };
    const configFile = resolveConfigFile({ stack: opts.stack, configFile: opts.configFile, packDir }, digestStack || undefined);
    const fileConfig = configFile ? parsePolicyConfig(fs.readFileSync(configFile, "utf8"), configFile) : {};

    const pack = opts.pack ?? (await startPack(packDir, { stack: opts.stack ?? digestStack, project }));
    try {
        return await analyse(pack, digest, fileConfig, configFile, opts, digestStack, project);
    } finally {
        if (!opts.pack) await pack.close();
    }
}

async function analyse(
    pack: PolicyPackProcess,
    digest: PreviewDigest,
    fileConfig: Record<string, PolicyConfigEntry>,
    configFile: string | undefined,
    opts: GateOptions,
    digestStack: string,
    project: string,
): Promise<GateResult> {
    const client = pack.client;
    const started = Date.now();
    const rpcFail = (what: string, e: unknown): never => {
        throw new GateError(
            `policy pack ${path.relative(process.cwd(), pack.dir) || "."}: ${what} failed: ${ruleFailure(e).text}${pack.stderr() ? ` (${stderrSummary(pack.stderr())})` : ""}`,
        );
    };

    // Handshake: the Node.js server does not implement it; the engine then carries on.
    try {
        const hs = new analyzerProto.AnalyzerHandshakeRequest();
        hs.setEngineAddress(ENGINE_ADDRESS);
        hs.setRootDirectory(pack.dir);
        hs.setProgramDirectory(pack.dir);
        await call(client.handshake, client, hs);
    } catch (e) {
        if (!(isServiceError(e) && e.code === grpc.status.UNIMPLEMENTED)) rpcFail("Handshake", e);
    }

    const config = digest.config ?? {};
    const cs = new analyzerProto.AnalyzerStackConfigureRequest();
    cs.setStack(opts.stack ?? digestStack);
    cs.setProject(project);
    cs.setOrganization("");
    cs.setDryRun(true);
    cs.setConfigSecretKeysList(Object.keys(config).filter((k) => config[k] === "[secret]"));
    for (const [k, v] of Object.entries(config)) cs.getConfigMap().set(k, String(v));
    for (const [k, v] of Object.entries(opts.stackTags ?? projectTags(project))) cs.getTagsMap().set(k, v);
    try {
        await call(client.configureStack, client, cs);
    } catch (e) {
        if (!(isServiceError(e) && e.code === grpc.status.UNIMPLEMENTED)) rpcFail("ConfigureStack", e);
    }

    let info: analyzerProto.AnalyzerInfo;
    try {
        info = await call(client.getAnalyzerInfo, client, new Empty());
    } catch (e) {
        return rpcFail("GetAnalyzerInfo", e);
    }
    const packName = info.getName();
    const packVersion = pack.yamlVersion ?? info.getVersion();
    const levelOf = (n: number): EnforcementLevel =>
        (({ 0: "advisory", 1: "mandatory", 2: "disabled", 3: "remediate" }) as Record<number, EnforcementLevel>)[n] ?? "advisory";
    const policies: PolicyInfo[] = info.getPoliciesList().map((p) => {
        const schema = p.getConfigschema();
        const props = (
            info.getSupportsconfig() ? { ...((schema?.getProperties()?.toJavaScript() ?? {}) as Record<string, JsonSchema>) } : undefined
        ) as Record<string, JsonSchema> | undefined;
        if (props) props.enforcementLevel = { type: "string", enum: [...LEVELS] };
        return {
            name: p.getName(),
            description: p.getDescription(),
            enforcementLevel: levelOf(p.getEnforcementlevel()),
            configSchema: props ? { properties: props, required: schema?.getRequiredList() ?? [] } : undefined,
            stack: p.getPolicyType() === analyzerProto.PolicyType.POLICY_TYPE_STACK,
        };
    });
    const initial: Record<string, PolicyConfigEntry> = {};
    info.getInitialconfigMap().forEach((v, k) => {
        initial[k] = {
            enforcementLevel: levelOf(v.getEnforcementlevel()),
            properties: (v.getProperties()?.toJavaScript() ?? undefined) as Record<string, unknown> | undefined,
        };
    });
    const reconciled = reconcilePolicyConfig(
        { name: packName, version: packVersion },
        policies,
        initial,
        fileConfig,
        configFile ?? "(pack defaults)",
    );

    const configure = async (disabled: Set<string>) => {
        const req = new analyzerProto.ConfigureAnalyzerRequest();
        for (const [name, c] of Object.entries(reconciled)) {
            const pc = new analyzerProto.PolicyConfig();
            const level = disabled.has(name) ? "disabled" : (c.enforcementLevel ?? "advisory");
            pc.setEnforcementlevel({ advisory: 0, mandatory: 1, disabled: 2, remediate: 3 }[level]);
            pc.setProperties(struct((toWire(c.properties ?? {}, false) ?? {}) as Record<string, unknown>));
            req.getPolicyconfigMap().set(name, pc);
        }
        try {
            await call(client.configure, client, req);
        } catch (e) {
            rpcFail("Configure", e);
        }
    };
    await configure(new Set());

    const recorded = new Map((opts.recorded ?? []).map((r) => [r.urn, r]));
    const { resources, masked } = collectResources(digest, recorded);
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const verdicts: PolicyVerdict[] = [];
    const errors: PolicyVerdict[] = [];
    const errorVerdict = (policy: string | undefined, text: string, urn?: string): PolicyVerdict => {
        const v: PolicyVerdict = {
            policyPackName: packName,
            policyPackVersion: packVersion,
            policyName: policy ?? "(policy pack)",
            enforcementLevel: "mandatory",
            message: text,
            error: true,
        };
        if (urn) v.urn = urn;
        return v;
    };

    // Messages that are the same in every request that carries them are built once and shared (a
    // message is only read when serialized): each resource's inputs, for Analyze and, when the preview
    // has no outputs, AnalyzeStack; and each provider, which most resources share.
    const inputStructs = new Map<GateResource, Struct>();
    const inputsStruct = (r: GateResource): Struct => {
        let s = inputStructs.get(r);
        if (!s) inputStructs.set(r, (s = struct(r.inputs)));
        return s;
    };
    const providers = new Map<string, analyzerProto.AnalyzerProviderResource | undefined>();
    const provider = (r: GateResource): analyzerProto.AnalyzerProviderResource | undefined => {
        if (!r.providerRef) return undefined;
        if (!providers.has(r.providerRef)) providers.set(r.providerRef, providerMessage(r, byUrn, config));
        return providers.get(r.providerRef);
    };
    const analyzeRequest = (r: GateResource) => {
        const req = new analyzerProto.AnalyzeRequest();
        req.setUrn(r.urn);
        req.setType(r.type);
        req.setName(r.name);
        req.setProperties(inputsStruct(r));
        req.setOptions(optionsMessage(r, true));
        const prov = provider(r);
        if (prov) req.setProvider(prov);
        return req;
    };
    const toAnalyze = resources.filter((r) => r.analyze);
    // Stack-level verdicts and errors without a URN belong to the stack, as in the CLI's display.
    const stackUrn = resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn;
    const failed: { r: GateResource; i: number; e: unknown }[] = [];
    let next = 0;
    const worker = async () => {
        while (next < toAnalyze.length) {
            const i = next++;
            const r = toAnalyze[i];
            try {
                const res = await call(client.analyze, client, analyzeRequest(r));
                // The engine attributes every diagnostic of Analyze to the resource analysed.
                for (const d of res.getDiagnosticsList()) verdicts.push(toVerdict(d, packVersion, r.urn));
            } catch (e) {
                failed.push({ r, i, e });
            }
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 32) }, worker));

    // A rule threw: report it, then run the resource again without that rule (config is global in
    // the pack, so one resource at a time), until the remaining rules pass through.
    const retry = async <T>(first: unknown, run: () => Promise<T>, urn: string | undefined): Promise<T | undefined> => {
        const disabled = new Set<string>();
        let e = first;
        for (;;) {
            const f = ruleFailure(e);
            errors.push(errorVerdict(f.policy, f.text, urn));
            if (!f.policy || disabled.has(f.policy) || !(f.policy in reconciled)) return undefined;
            disabled.add(f.policy);
            await configure(disabled);
            try {
                return await run();
            } catch (again) {
                e = again;
            } finally {
                await configure(new Set());
            }
        }
    };
    for (const { r, e } of failed.sort((a, b) => a.i - b.i)) {
        const res = await retry(e, () => call(client.analyze, client, analyzeRequest(r)), r.urn);
        for (const d of res?.getDiagnosticsList() ?? []) verdicts.push(toVerdict(d, packVersion, r.urn));
    }

    const stackReq = new analyzerProto.AnalyzeStackRequest();
    stackReq.setResourcesList(
        resources.map((r) => {
            const m = new analyzerProto.AnalyzerResource();
            m.setUrn(r.urn);
            m.setType(r.type);
            m.setName(r.name);
            // AnalyzeStack sees each resource's outputs; where the preview has none, its inputs.
            m.setProperties(r.outputs ? struct(r.outputs) : r.custom ? inputsStruct(r) : struct({}));
            m.setOptions(optionsMessage(r, false));
            const prov = provider(r);
            if (prov) m.setProvider(prov);
            if (r.parent) m.setParent(r.parent);
            m.setDependenciesList(r.dependencies);
            for (const [k, urns] of Object.entries(r.propertyDependencies)) {
                if (!urns.length) continue;
                const pd = new analyzerProto.AnalyzerPropertyDependencies();
                pd.setUrnsList(urns);
                m.getPropertydependenciesMap().set(k, pd);
            }
            return m;
        }),
    );
    let stackRes: analyzerProto.AnalyzeResponse | undefined;
    try {
        stackRes = await call(client.analyzeStack, client, stackReq);
    } catch (e) {
        if (isServiceError(e) && e.code === grpc.status.UNIMPLEMENTED) stackRes = undefined;
        else stackRes = await retry(e, () => call(client.analyzeStack, client, stackReq), stackUrn);
    }
    for (const d of stackRes?.getDiagnosticsList() ?? []) verdicts.push(toVerdict(d, packVersion, d.getUrn() || stackUrn));

    verdicts.sort(cliOrder);
    const levels: Record<string, EnforcementLevel> = {};
    for (const p of policies) levels[p.name] = reconciled[p.name]?.enforcementLevel ?? p.enforcementLevel;
    const mandatoryViolations = verdicts.filter((v) => v.enforcementLevel === "mandatory").length;
    return {
        verdicts,
        errors,
        mandatoryViolations,
        advisoryViolations: verdicts.length - mandatoryViolations,
        passed: mandatoryViolations === 0 && errors.length === 0,
        packName,
        packVersion,
        configFile,
        levels,
        resourcesAnalyzed: toAnalyze.length,
        urns: resources.map((r) => r.urn),
        maskedSecrets: masked,
        elapsedMs: Date.now() - started,
    };
}

/** `String.prototype.localeCompare` without arguments, built once (the same collation, much cheaper per call). */
const localeCompare = new Intl.Collator().compare;

/** The CLI's order: pack, version, enforcement level, policy, URN. */
function cliOrder(a: PolicyVerdict, b: PolicyVerdict): number {
    return (
        localeCompare(a.policyPackName, b.policyPackName) ||
        localeCompare(a.policyPackVersion, b.policyPackVersion) ||
        localeCompare(a.enforcementLevel, b.enforcementLevel) ||
        localeCompare(a.policyName, b.policyName) ||
        localeCompare(a.urn ?? "", b.urn ?? "")
    );
}

/** `digest.policy` for `--json`: every violation and rule error, and whether the gate passed. */
export function policySection(result: GateResult): { passed: boolean; violations: PolicyVerdict[] } {
    return { passed: result.passed, violations: [...result.errors, ...result.verdicts] };
}

/**
 * The verdicts as text, grouped by resource like the CLI's diagnostics (`  <type> (<name>):`), each
 * violation in the CLI's policy line format (`[<level>]  <pack> v<version>  <policy>`) with its message
 * indented below; rule errors as `[error]`. Ends with a one-line summary.
 */
export function formatVerdicts(result: GateResult): string {
    const all = [...result.errors, ...result.verdicts];
    const lines: string[] = [];
    const groups = new Map<string, PolicyVerdict[]>();
    for (const v of all) {
        const key = v.urn ?? "";
        if (!groups.has(key)) groups.set(key, []);
        groups.get(key)!.push(v);
    }
    const position = new Map<string, number>();
    result.urns.forEach((u, i) => {
        if (!position.has(u)) position.set(u, i + 1);
    });
    const rank = (urn: string) => (urn ? (position.get(urn) ?? result.urns.length + 1) : 0);
    if (all.length) lines.push("Policy Violations:");
    for (const [urn, vs] of [...groups].sort((a, b) => rank(a[0]) - rank(b[0]))) {
        const header = urn ? `${parseUrn(urn).type} (${parseUrn(urn).name})` : "stack";
        lines.push(`  ${header}:`);
        for (const v of vs) {
            lines.push(`    [${v.error ? "error" : v.enforcementLevel}]  ${v.policyPackName} v${v.policyPackVersion}  ${v.policyName}`);
            for (const l of v.message.split("\n")) lines.push(`    ${l}`);
        }
        lines.push("");
    }
    const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
    const source = result.configFile ? `config ${path.relative(process.cwd(), result.configFile) || result.configFile}` : "pack defaults";
    lines.push(
        `Policy pack ${result.packName} v${result.packVersion} (${source}): ${result.passed ? "passed" : "FAILED"} — ` +
            `${count(result.mandatoryViolations, "mandatory violation")}, ${count(result.advisoryViolations, "advisory violation")}, ` +
            `${count(result.errors.length, "rule error")}; ${count(result.resourcesAnalyzed, "resource")} analysed`,
    );
    if (result.maskedSecrets) {
        lines.push(
            `Note: ${count(result.maskedSecrets, "secret value")} masked as "[secret]" in the preview went to the pack as unknown; pulumi preview --json --show-secrets lets rules read them.`,
        );
    }
    return lines.join("\n");
}
