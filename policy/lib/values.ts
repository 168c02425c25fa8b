/**
 * Small readers for resource properties. Properties reach rules wrapped in @pulumi/policy's
 * `unknownCheckingProxy`: reading a value that is unknown during preview throws `UnknownValueError`,
 * which the policy server reports as "can't run policy ... during preview". These helpers read only the
 * fields they are asked for and never catch that error, so an unknown is reported, never judged.
 */

/** A plain property bag. */
export type Props = Record<string, unknown>;

/** True for a non-null, non-array object. */
export function isRecord(value: unknown): value is Props {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value as an array (undefined/null → empty). */
export function asArray(value: unknown): unknown[] {
    return Array.isArray(value) ? value : [];
}

/** The value as a record (anything else → empty). */
export function asRecord(value: unknown): Props {
    return isRecord(value) ? value : {};
}

/** A number, or a string holding one (ECS `cpu`/`memory` are strings), else undefined. */
export function asNumber(value: unknown): number | undefined {
    if (typeof value === "number" && Number.isFinite(value)) return value;
    if (typeof value === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
    return undefined;
}

/** How a value reads in a message: strings quoted, absent as "not set". */
export function show(value: unknown): string {
    if (value === undefined || value === null) return "not set";
    return typeof value === "string" ? `"${value}"` : String(value);
}

/** Joins names for a message: `a, b, c`. */
export function list(values: readonly (string | number)[]): string {
    return values.join(", ");
}

/**
 * Reads tag `key` from a `tags` input: a map (most resources) or a list of `{ key, value }` (e.g.
 * autoscaling groups). Only the requested key is read, so other unknown tag values do not matter.
 */
export function tagValue(tags: unknown, key: string): unknown {
    if (Array.isArray(tags)) {
        for (const entry of tags) {
            if (isRecord(entry) && entry.key === key) return entry.value;
        }
        return undefined;
    }
    return isRecord(tags) ? tags[key] : undefined;
}

/** True when a tag value is a string with something other than whitespace. */
export function isNonEmptyString(value: unknown): value is string {
    return typeof value === "string" && value.trim() !== "";
}

/** `1 day`, `7 days`. */
export function days(n: number): string {
    return n === 1 ? "1 day" : `${n} days`;
}
