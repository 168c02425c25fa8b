/**
 * Preview reading: a `pulumi preview --json` document (ours or the CLI's), checked before anything is
 * sent to the pack. Every problem is a one-line GateError naming where it is (exit 2): not UTF-8, not
 * JSON, not the shape the CLI writes, nested absurdly deep, a `__proto__` key, or two steps for one URN
 * that are not one replacement.
 */
import { PreviewDigest } from "../preview-json";
import { collapseWhitespace, GateError } from "./errors";
import { jsonType } from "./json-values";
import { showName, showUrn } from "../../lib/printable";
import { stackNameProblem } from "../stack-name";
import { readUtf8File } from "./text-file";

/** Steps whose resource the engine sends to `Analyze` (resource registrations). */
export const ANALYZED_OPS: ReadonlySet<string> = new Set([
    "create",
    "update",
    "same",
    "replace",
    "create-replacement",
    "import",
    "import-replacement",
]);
/** Steps whose resource is in the new state but is not registered by the program (no `Analyze`). */
export const STATE_ONLY_OPS: ReadonlySet<string> = new Set(["read", "read-replacement", "refresh"]);
/** Steps that remove a resource: nothing to analyse. */
export const REMOVING_OPS: ReadonlySet<string> = new Set([
    "delete",
    "delete-replaced",
    "discard",
    "discard-replaced",
    "remove-pending-replace",
]);
/**
 * Steps of one replacement, which the CLI lists under one URN (`create-replacement`, `replace`,
 * `delete-replaced`, in either order for delete-before-replace). Any other repeated URN is an error.
 */
const REPLACEMENT_OPS: ReadonlySet<string> = new Set([
    "replace",
    "create-replacement",
    "delete-replaced",
    "read-replacement",
    "import-replacement",
    "discard-replaced",
    "remove-pending-replace",
]);

/**
 * Deepest nesting of arrays and objects a preview may have. Resource inputs nest a dozen levels at most
 * (a listener's `defaultActions[].forward.targetGroups[]`); anything near this is not a preview, and
 * the gate, the protobuf encoder and the pack all recurse per level.
 */
export const MAX_DEPTH = 100;

/** Keys that would set an object's prototype where the pack rebuilds properties (`obj[key] = …`). */
const PROTOTYPE_KEY = "__proto__";

/** A property path for messages, e.g. `steps[2].newState.inputs.tags`; cut after 8 segments. */
function pathText(segments: readonly (string | number)[]): string {
    const shown = segments
        .slice(0, 8)
        .map((s, i) => (typeof s === "number" ? `[${s}]` : /^[A-Za-z_$][\w$]*$/.test(s) ? `${i ? "." : ""}${s}` : `[${JSON.stringify(s)}]`))
        .join("");
    return segments.length > 8 ? `${shown}…` : shown;
}

/**
 * Walks the whole document without recursion (so depth itself cannot crash the gate) and fails on the
 * first value nested deeper than MAX_DEPTH and the first `__proto__` key. Paths are kept to 9 segments:
 * enough for the message, and constant memory per level.
 */
export function checkStructure(doc: unknown, fail: (msg: string) => never): void {
    const stack: { v: unknown; depth: number; path: (string | number)[] }[] = [{ v: doc, depth: 0, path: [] }];
    while (stack.length) {
        const { v, depth, path } = stack.pop()!;
        if (!v || typeof v !== "object") continue;
        if (depth >= MAX_DEPTH) fail(`${pathText(path)} is nested more than ${MAX_DEPTH} levels deep; a preview is never that deep`);
        const child = (k: string | number) => (path.length > 8 ? path : [...path, k]);
        if (Array.isArray(v)) {
            for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], depth: depth + 1, path: child(i) });
            continue;
        }
        const keys = Object.keys(v);
        for (let i = keys.length - 1; i >= 0; i--) {
            if (keys[i] === PROTOTYPE_KEY)
                fail(`${pathText(child(keys[i]))} is a "__proto__" key, which would change what the pack's rules read; remove it`);
            stack.push({ v: (v as Record<string, unknown>)[keys[i]], depth: depth + 1, path: child(keys[i]) });
        }
    }
}

/** Fails when two steps share a URN other than as the steps of one replacement (the CLI never writes that). */
export function checkUniqueUrns(steps: readonly { op: string; urn: string }[], fail: (msg: string) => never): void {
    const seen = new Map<string, { index: number; op: string }[]>();
    steps.forEach(({ op, urn }, index) => {
        const before = seen.get(urn) ?? [];
        for (const prev of before) {
            if (prev.op === op || !REPLACEMENT_OPS.has(op) || !REPLACEMENT_OPS.has(prev.op)) {
                fail(
                    `steps[${index}] (op "${showName(op)}") repeats the URN of steps[${prev.index}] (op "${showName(prev.op)}"): ${showUrn(urn)}; a URN recurs only across the steps of one replacement`,
                );
            }
        }
        seen.set(urn, [...before, { index, op }]);
    });
}

/** `urn:pulumi:<stack>::<project>::<type chain>::<name>`. */
const URN = /^urn:pulumi:[^:]*::[^:]*::.+::/;

/**
 * The stack a preview is of, from its URNs: one for every step, and a valid stack name, since it chooses
 * the policy config file (`policy/config/<stack>.json`). Undefined for a preview without steps.
 */
export function previewStack(steps: readonly { urn: string }[], fail: (msg: string) => never): string | undefined {
    const stacks = [...new Set(steps.map((s) => parseUrn(s.urn).stack))];
    if (stacks.length > 1)
        fail(
            `its steps are of ${stacks.length} stacks (${stacks
                .slice(0, 3)
                .map((s) => `"${showName(s)}"`)
                .join(", ")}); a preview is of one stack`,
        );
    const stack = stacks[0];
    if (stack !== undefined) {
        const problem = stackNameProblem(stack);
        if (problem) fail(`its URNs name the ${problem.replace(/^stack name /, "stack ")}`);
    }
    return stack;
}

/** Fails unless `step` (at `at`) is a step object the gate can read. */
function checkStep(s: unknown, at: string, fail: (msg: string) => never): void {
    if (!s || typeof s !== "object" || Array.isArray(s)) fail(`${at} must be an object, got ${jsonType(s)}`);
    const step = s as Record<string, unknown>;
    if (typeof step.op !== "string") fail(`${at} has no "op"`);
    const op = step.op as string;
    if (!ANALYZED_OPS.has(op) && !STATE_ONLY_OPS.has(op) && !REMOVING_OPS.has(op)) fail(`${at} has unknown op "${showName(op)}"`);
    if (typeof step.urn !== "string" || !URN.test(step.urn)) fail(`${at} has no "urn" (a urn:pulumi:... string)`);
    for (const key of ["newState", "oldState"] as const) {
        if (step[key] === undefined) continue;
        checkState(step[key], `${at}.${key}`, fail);
        // One identity per resource: the URN that finds duplicates is the URN that is analysed.
        const inner = (step[key] as { urn?: unknown }).urn;
        if (inner !== undefined && inner !== step.urn)
            fail(
                `${at}.${key}.urn is ${showUrn(String(inner))} but ${at}.urn is ${showUrn(step.urn as string)}; a step is about one resource`,
            );
    }
    if (!REMOVING_OPS.has(op) && step.newState === undefined) fail(`${at} (op "${op}") has no "newState"`);
}

/** Fails unless `st` (at `at`) is a step state object the gate can read. */
function checkState(st: unknown, at: string, fail: (msg: string) => never): void {
    if (!st || typeof st !== "object" || Array.isArray(st)) fail(`${at} must be an object, got ${jsonType(st)}`);
    const state = st as Record<string, unknown>;
    if (typeof state.type !== "string" || !state.type) fail(`${at} has no "type"`);
    if (state.urn !== undefined && typeof state.urn !== "string") fail(`${at}.urn must be a string`);
    for (const obj of ["inputs", "outputs", "propertyDependencies"]) {
        const v = state[obj];
        if (v !== undefined && v !== null && (typeof v !== "object" || Array.isArray(v)))
            fail(`${at}.${obj} must be an object, got ${jsonType(v)}`);
    }
    const deps = state.dependencies;
    if (deps !== undefined && deps !== null && !(Array.isArray(deps) && deps.every((x) => typeof x === "string")))
        fail(`${at}.dependencies must be an array of URNs`);
}

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
    checkStructure(doc, fail);
    const d = doc as Record<string, unknown>;
    if (!("steps" in d)) fail(`not a pulumi preview --json document: no "steps"`);
    if (!Array.isArray(d.steps)) fail(`"steps" must be an array, got ${jsonType(d.steps)}`);
    const steps = d.steps as unknown[];
    steps.forEach((s, i) => checkStep(s, `steps[${i}]`, fail));
    checkUniqueUrns(steps as { op: string; urn: string }[], fail);
    previewStack(steps as { urn: string }[], fail);
    if (d.config !== undefined && (typeof d.config !== "object" || d.config === null || Array.isArray(d.config)))
        fail(`"config" must be an object, got ${jsonType(d.config)}`);
    return doc as PreviewDigest;
}

/**
 * The largest preview file the gate reads. A preview's objects take about ten times its size in memory,
 * and the gate and the pack each hold the resources in wire form besides: a 50 MB preview peaked at
 * 1.3 GB in one process. 32 MiB is about 11,000 resources of this project's size (a staging plan is
 * 0.8 MB for 277).
 */
export const MAX_PREVIEW_BYTES = 32 * 1024 * 1024;

/** Reads and checks a preview JSON file; every problem is a one-line GateError. */
export function readPreviewFile(file: string): PreviewDigest {
    const text = readUtf8File(
        file,
        `preview file ${showName(file)}`,
        MAX_PREVIEW_BYTES,
        "gate each stack's own preview (a stack of this project this large would have about 11,000 resources)",
    );
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (e) {
        throw new GateError(`${showName(file)} is not JSON: ${collapseWhitespace((e as Error).message)}`);
    }
    return checkPreviewDigest(doc, showName(file));
}

/** Parts of a URN: `urn:pulumi:<stack>::<project>::<type chain>::<name>`. */
export function parseUrn(urn: string): { stack: string; project: string; type: string; name: string } {
    const parts = urn.split("::");
    const stack = parts[0].replace(/^urn:pulumi:/, "");
    const chain = parts[2] ?? "";
    return { stack, project: parts[1] ?? "", type: chain.split("$").pop() ?? "", name: parts.slice(3).join("::") };
}
