/**
 * A policy config file (`policy/config/<stack>.json`, the CLI's `--policy-pack-config`) as plain data:
 * the enforcement levels, the parse, and the one-line error both the config check and the policy gate
 * report. Pure: no pack, no process. config/policy-limits.ts reads a stack's limits with it; the gate
 * (tools/gate/) re-uses it and adds the pack's side (reconciling with the pack's policies, wire numbers).
 */

/**
 * A problem with a policy config (and, in the gate, with any of its inputs): one line, no stack trace.
 * The CLIs print `error: <message>` and exit 2.
 */
export class GateError extends Error {}

/** `text` with every run of whitespace (newlines included) collapsed to one space: a parser's message on one line. */
export function collapseWhitespace(text: string): string {
    return text.replace(/\s+/g, " ").trim();
}

/** Every level name, in the order the CLI lists them in its config schema. */
export const LEVELS = ["advisory", "mandatory", "remediate", "disabled"] as const;

/** Enforcement levels, as policy config files and verdicts spell them. */
export type EnforcementLevel = (typeof LEVELS)[number];

/** True for a level name. */
export function isLevel(v: unknown): v is EnforcementLevel {
    return typeof v === "string" && (LEVELS as readonly string[]).includes(v);
}

/** One policy's config: its enforcement level and properties. */
export interface PolicyConfigEntry {
    enforcementLevel?: EnforcementLevel;
    properties?: Record<string, unknown>;
}

/** Parses one entry's value (a level, or an object of level and properties); `k` is its policy name. */
function parseEntry(k: string, v: unknown, file: string): PolicyConfigEntry | undefined {
    const badLevel = (shown: string, extra = "") =>
        new GateError(`policy config ${file}: parsing enforcement level for "${k}": ${shown} is not a valid enforcement level${extra}`);
    if (typeof v === "string") {
        if (!isLevel(v)) throw badLevel(`"${v}"`);
        return { enforcementLevel: v };
    }
    if (!v || typeof v !== "object" || Array.isArray(v))
        throw new GateError(`policy config ${file}: parsing "${k}": ${JSON.stringify(v)} is not a valid value; must be a string or object`);
    const { enforcementLevel, ...props } = v as Record<string, unknown>;
    const entry: PolicyConfigEntry = {};
    if (enforcementLevel !== undefined) {
        if (typeof enforcementLevel !== "string") throw badLevel(JSON.stringify(enforcementLevel), "; must be a string");
        if (!isLevel(enforcementLevel)) throw badLevel(`"${enforcementLevel}"`);
        entry.enforcementLevel = enforcementLevel;
    }
    if (Object.keys(props).length) entry.properties = props;
    return entry.enforcementLevel || entry.properties ? entry : undefined;
}

/**
 * Parses a `--policy-pack-config` text as the CLI does: each key is a policy name (or `all`); the value
 * is an enforcement level, or an object with an optional `enforcementLevel` and the policy's properties.
 */
export function parsePolicyConfig(text: string, file: string): Record<string, PolicyConfigEntry> {
    if (text.trim() === "") return {};
    let raw: unknown;
    try {
        raw = JSON.parse(text);
    } catch (e) {
        throw new GateError(`policy config ${file} is not JSON: ${collapseWhitespace((e as Error).message)}`);
    }
    if (!raw || typeof raw !== "object" || Array.isArray(raw))
        throw new GateError(`policy config ${file} must be a JSON object of policy names`);
    const result: Record<string, PolicyConfigEntry> = {};
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        // An own "__proto__" key from JSON.parse would replace `result`'s prototype when assigned; no policy has that name.
        if (k === "__proto__") throw new GateError(`policy config ${file}: "__proto__" is not a policy name`);
        const entry = parseEntry(k, v, file);
        if (entry) result[k] = entry;
    }
    return result;
}
