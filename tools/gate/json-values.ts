/**
 * Small facts about JSON values: their type name as messages give it, and equality by value.
 */

/** The JSON type of a value, as messages name it (`integer` for whole numbers, as gojsonschema does). */
export function jsonType(v: unknown): string {
    if (v === null) return "null";
    if (Array.isArray(v)) return "array";
    if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
    return typeof v;
}

/** True when the two values are equal as JSON (object key order aside). */
export function deepEqual(a: unknown, b: unknown): boolean {
    return canonicalJson(a) === canonicalJson(b);
}

/** JSON with object keys sorted: equal for deep-equal values (undefined for what JSON cannot hold). */
export function canonicalJson(v: unknown): string | undefined {
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
