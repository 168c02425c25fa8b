/**
 * Policy config: which file applies, parsing it, and reconciling it with the pack's policies as the
 * CLI's `ReconcilePolicyPackConfig` does (schema defaults, then the pack's initial config, then the file;
 * `all` sets every level; the result is validated against each policy's config schema).
 *
 * Deliberately stricter than the CLI: an entry naming a policy the pack does not have, and a setting a
 * policy's schema does not declare (`transitEncryptionExceptionz`), are errors; the CLI ignores both.
 */
import * as fs from "fs";
import * as path from "path";
import { EnforcementLevel, GateError, LEVELS, parsePolicyConfig, PolicyConfigEntry } from "../../lib/policy-config";
import { validateJsonSchema, JsonSchema } from "./json-schema";
import { DEFAULT_PACK_DIR } from "./pack-process";
import { readUtf8File } from "./text-file";

/** The parse itself is pure and lives in lib/ (config/ reads a stack's limits with it); the gate re-exports it. */
export { parsePolicyConfig } from "../../lib/policy-config";
export type { PolicyConfigEntry } from "../../lib/policy-config";

/** What the pack reports about one policy (`GetAnalyzerInfo`). */
export interface PolicyInfo {
    name: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    /** Config schema with `enforcementLevel` injected, as the CLI does. */
    configSchema?: { properties: Record<string, JsonSchema>; required: string[] };
    stack: boolean;
}

/** The schema property the CLI adds to every policy's config schema. */
export const ENFORCEMENT_LEVEL_SCHEMA: JsonSchema = { type: "string", enum: [...LEVELS] };

/** The entry key that sets every policy's level. */
const ALL = "all";

/** Reads and parses a policy config file (UTF-8 JSON); every problem is a one-line GateError. */
export function readPolicyConfigFile(file: string): Record<string, PolicyConfigEntry> {
    return parsePolicyConfig(readUtf8File(file, `policy config ${file}`), file);
}

/**
 * Settings in `config` that no policy declares: one message per policy, naming the unknown settings and
 * the valid ones (`enforcementLevel` and the schema's properties).
 */
export function unknownSettings(policies: readonly PolicyInfo[], config: Record<string, PolicyConfigEntry>): string[] {
    const byName = new Map(policies.map((p) => [p.name, p]));
    const problems: string[] = [];
    for (const [name, entry] of Object.entries(config)) {
        const given = Object.keys(entry.properties ?? {});
        if (!given.length) continue;
        const declared =
            name === ALL ? [] : Object.keys(byName.get(name)?.configSchema?.properties ?? {}).filter((k) => k !== "enforcementLevel");
        const unknown = given.filter((k) => !declared.includes(k));
        if (!unknown.length) continue;
        const valid = ["enforcementLevel", ...declared.sort()].join(", ");
        problems.push(
            `${name}: unknown setting${unknown.length > 1 ? "s" : ""} ${unknown.map((u) => `"${u}"`).join(", ")}; valid: ${valid}`,
        );
    }
    return problems;
}

/**
 * Reconciles config as the CLI's `ReconcilePolicyPackConfig`: every policy starts at its own level with
 * its schema defaults; the pack's initial config, then `config`, are applied (`all` first sets every
 * level); the result is validated against each policy's schema. Unknown policy names and unknown
 * settings are errors.
 */
export function reconcilePolicyConfig(
    pack: { name: string; version: string },
    policies: PolicyInfo[],
    initialConfig: Record<string, PolicyConfigEntry>,
    config: Record<string, PolicyConfigEntry>,
    file: string,
): Record<string, PolicyConfigEntry> {
    const known = new Set(policies.map((p) => p.name));
    const unknown = Object.keys(config).filter((k) => k !== ALL && !known.has(k));
    if (unknown.length) {
        throw new GateError(
            `policy config ${file}: no policy named ${unknown.map((u) => `"${u}"`).join(", ")} in pack ${pack.name} ${pack.version}`,
        );
    }
    const settings = unknownSettings(policies, config);
    if (settings.length) throw new GateError(`policy config ${file}: ${settings.join("; ")}`);
    const result = schemaDefaults(policies);
    applyConfig(result, initialConfig);
    applyConfig(result, config);
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

/** Every policy at its own level, with the defaults its schema declares. */
function schemaDefaults(policies: readonly PolicyInfo[]): Record<string, PolicyConfigEntry> {
    const result: Record<string, PolicyConfigEntry> = {};
    for (const p of policies) {
        let props: Record<string, unknown> | undefined;
        for (const [k, s] of Object.entries(p.configSchema?.properties ?? {})) {
            if (k !== "enforcementLevel" && "default" in s) (props ??= {})[k] = structuredClone(s.default);
        }
        result[p.name] = { enforcementLevel: p.enforcementLevel, properties: props };
    }
    return result;
}

/** Applies one layer of config onto `result`: `all` sets every level first, then each entry. */
function applyConfig(result: Record<string, PolicyConfigEntry>, c: Record<string, PolicyConfigEntry>): void {
    const all = c[ALL];
    if (all?.enforcementLevel) for (const k of Object.keys(result)) result[k] = { ...result[k], enforcementLevel: all.enforcementLevel };
    for (const [name, given] of Object.entries(c)) {
        const cur = result[name] ?? {};
        const props =
            given.properties && Object.keys(given.properties).length
                ? { ...(cur.properties ?? {}), ...structuredClone(given.properties) }
                : cur.properties;
        result[name] = { enforcementLevel: given.enforcementLevel ?? cur.enforcementLevel, properties: props };
    }
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
