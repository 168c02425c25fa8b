/**
 * The subset of JSON Schema that policy config schemas use, validated with the messages of gojsonschema,
 * the library the Pulumi CLI validates policy config with.
 */
import { GateError } from "./errors";
import { canonicalJson, deepEqual, jsonType } from "./json-values";

/** A JSON schema (the subset policy config schemas use). */
export type JsonSchema = Record<string, unknown>;

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

/** The last part of a dotted field path (`a.b.c` → `c`). */
function lastSegment(field: string): string {
    return field.split(".").pop() as string;
}
