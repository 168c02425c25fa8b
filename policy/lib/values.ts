/**
 * Small readers for resource properties. Properties reach rules wrapped in @pulumi/policy's
 * `unknownCheckingProxy`: reading a value that is unknown during preview throws `UnknownValueError`,
 * which the policy server reports as "can't run policy ... during preview". These helpers read only the
 * fields they are asked for and never catch that error, so an unknown is reported, never judged.
 */

import { WRONG_TYPE_MARKER } from "../../lib/wrong-json-type";

/** A plain property bag. */
export type Props = Record<string, unknown>;

/* The package's proxy.d.ts is stripped; its runtime module exports the error the server recognises. */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- untyped internal module of @pulumi/policy
const proxy = require("@pulumi/policy/proxy") as {
    UnknownValueError: new (sentinel: string, props: string[]) => Error;
    unknownStringValue: string;
};

export { WRONG_TYPE_MARKER };

/**
 * A property holds a value of another JSON type than the provider's schema gives it (`"true"` for a
 * boolean, `"NaN"` or an infinite number for a number): the engine never sends that, so it is a forged or
 * broken preview, and no rule can judge it. Thrown as the policy SDK's UnknownValueError, so the server
 * reports "can't run policy …" for the rule instead of letting it pass; the gate fails such a verdict
 * as "not evaluated" whatever `--allow-unevaluated` says.
 */
export class WrongTypeError extends proxy.UnknownValueError {
    constructor(path: string, value: unknown, expected: string) {
        super(proxy.unknownStringValue, path.split("."));
        this.message = `${path} is ${describeJson(value)} ${WRONG_TYPE_MARKER}, not ${expected}`;
    }
}

function describeJson(value: unknown): string {
    if (typeof value === "string") return `the string ${JSON.stringify(value.length > 20 ? `${value.slice(0, 17)}...` : value)}`;
    if (typeof value === "number") return Number.isFinite(value) ? `the number ${String(value)}` : "a number out of float64's range";
    if (Array.isArray(value)) return "a list";
    return typeof value === "object" ? "an object" : `the ${typeof value} ${String(value)}`;
}

/** A boolean property: true, false, or undefined when absent (null); WrongTypeError for another JSON type. */
export function bool(value: unknown, path: string): boolean | undefined {
    if (value === undefined || value === null || typeof value === "boolean") return value ?? undefined;
    throw new WrongTypeError(path, value, "a boolean");
}

/**
 * A number property: a finite number, or undefined when absent; with `numericString`, a string holding a
 * decimal number too (ECS `cpu`, `memory`). WrongTypeError for anything else (`"NaN"`, an infinity, `true`).
 */
export function num(value: unknown, path: string, numericString = false): number | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === "number" && Number.isFinite(value)) return value;
    if (numericString && typeof value === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
    throw new WrongTypeError(path, value, numericString ? "a number (or a string holding one)" : "a number");
}

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
