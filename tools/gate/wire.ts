/**
 * The wire form: values as the engine marshals them for analyzers (`KeepUnknowns`, `KeepSecrets`).
 *
 * Unknowns are the unknown sentinel string, so a rule that reads one cannot judge it (the pack reports
 * "can't be known during preview"; the gate then counts a mandatory rule as not evaluated). Secrets are
 * `{sig: secret, value}` so the pack sees the plain value. A recorded run supplies the real secret
 * values; a preview file only has `"[secret]"`, which is sent as a secret whose value is unknown
 * (present, value hidden), so rules that read it cannot misjudge the mask (`pulumi preview --json
 * --show-secrets` avoids this). Resource references become the referenced resource's ID when known,
 * else its URN, as the engine sends them to analyzers.
 */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { RESOURCE_SIG, SECRET_SIG, SIG_KEY, UNKNOWN } from "../mock-runtime";
import { GateError } from "./errors";

/** Signature of a first-class output value on the wire. */
export const OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

/** How a preview document writes a secret value it does not show. */
export const MASKED = "[secret]";

/**
 * A value as the engine marshals it for analyzers: secrets kept (`{sig, value}`), unknowns as the
 * sentinel, output values unwrapped, resource references as ID (when known) or URN. `"[secret]"` in a
 * preview document (`maskedSecrets`) becomes a secret whose value is unknown. Objects are built key by
 * key as own data properties; a `__proto__` key is refused, because the pack rebuilds objects with
 * `obj[key] = value`, where it would replace the prototype instead of being a property.
 */
export function toWire(v: unknown, maskedSecrets: boolean): unknown {
    if (v === undefined) return undefined;
    if (v === null || typeof v === "boolean" || typeof v === "number") return v;
    if (typeof v === "string") return maskedSecrets && v === MASKED ? { [SIG_KEY]: SECRET_SIG, value: UNKNOWN } : v;
    if (Array.isArray(v)) return v.map((x) => toWire(x, maskedSecrets) ?? null);
    const o = v as Record<string, unknown>;
    const sig = o[SIG_KEY];
    if (sig === SECRET_SIG) return { [SIG_KEY]: SECRET_SIG, value: toWire(o.value, false) ?? null };
    if (sig === RESOURCE_SIG) return typeof o.id === "string" && o.id && o.id !== UNKNOWN ? o.id : o.urn;
    if (sig === OUTPUT_SIG) {
        const inner = "value" in o ? (toWire(o.value, maskedSecrets) ?? null) : UNKNOWN;
        return o.secret === true ? { [SIG_KEY]: SECRET_SIG, value: inner } : inner;
    }
    const entries: [string, unknown][] = [];
    for (const [k, x] of Object.entries(o)) {
        if (k === "__proto__") throw new GateError(`a property named "__proto__" cannot be sent to the policy pack`);
        const w = toWire(x, sig === undefined && maskedSecrets);
        if (w !== undefined) entries.push([k, w]);
    }
    return Object.fromEntries(entries);
}

/** A protobuf Struct of a wire-form object. */
export function struct(v: Record<string, unknown>): Struct {
    // fromJavaScript's typing wants JSON values; toWire only yields those.
    return Struct.fromJavaScript(v as Parameters<typeof Struct.fromJavaScript>[0]);
}

/** How many `"[secret]"` masks `v` holds. */
export function countMasked(v: unknown): number {
    if (v === MASKED) return 1;
    if (Array.isArray(v)) return v.reduce((n: number, x) => n + countMasked(x), 0);
    if (v && typeof v === "object") return Object.values(v).reduce((n: number, x) => n + countMasked(x), 0);
    return 0;
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
