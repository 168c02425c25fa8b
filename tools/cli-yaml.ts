/**
 * How the Pulumi CLI reads the values of a stack file, reproduced: Go's gopkg.in/yaml.v3 (v3.0.1, the
 * version pulumi/pulumi pins in sdk/go.mod) decoding into `any`, then Pulumi's own round trip and
 * `config.Value` conversion, down to the strings the engine hands the program in `PULUMI_CONFIG`.
 *
 * The steps, with where each lives upstream:
 * 1. yaml.v3 `resolve.go` `resolve()`: a plain scalar becomes null (`~`, `null`, `Null`, `NULL`, empty),
 *    a bool (`true`/`True`/`TRUE`, `false`/…; YAML 1.1's `yes`/`on` stay strings), an int (Go
 *    `strconv.ParseInt(s, 0, 64)` after removing `_`: `0x1F`, `0o17`, the YAML 1.1 octal `017`, `0b101`,
 *    `+2`), a uint64, a float (`.5`, `30.0`, `1e3`, `.inf`, `.nan`; a value out of float64 range such as
 *    `1e400` stays a string), a timestamp (`2024-01-02`, only unquoted), else a string. Quoted and block
 *    scalars and `!!str` are strings; other explicit tags must resolve to their type.
 * 2. pulumi `sdk/go/common/workspace/loaders.go` `LoadProjectStackBytes`: the document is decoded into
 *    `any`, keys without a namespace get the project's, it is written out with yaml.Marshal and decoded
 *    again into `ProjectStack`. Floats are written with `strconv.FormatFloat(f, 'g', -1, 64)`, so `30.0`
 *    comes back as the int 30 and `-0.0` as 0; timestamps are written as RFC 3339 and read again.
 * 3. pulumi `sdk/go/common/resource/config/object.go` `unmarshalObject` and `MarshalString`: bools and
 *    numbers become their JSON text (`true`, `30`, `1000000`), a timestamp its Go `time.Time.String()`
 *    (`2024-01-02 00:00:00 +0000 UTC`), a string itself, a map with the single string key `secure` a
 *    secret, any other map or list its JSON (object=true). A null value never reaches `UnmarshalYAML`
 *    (yaml.v3 `decode.go` `prepare`): it is the zero `Value`, the empty string (the CLI warns, loaders.go
 *    `checkForEmptyConfig`).
 * 4. `map.go` `Map.Decrypt` / `plaintext.go` `marshalText`: objects are decoded again (numbers as int64 or
 *    float64) and written with Go's `encoding/json` (keys sorted, `<>&` escaped), secrets decrypted.
 *
 * `test/fixtures/pulumi-cli/oracle.go` runs these steps with the real Go library; the tests hold this
 * reader to what it recorded. Timestamps with an offset are rendered as Go renders them on a machine
 * whose local zone is UTC (CI's).
 */
import { Alias, Document, isAlias, isMap, isScalar, isSeq, LineCounter, Node, parseDocument, Scalar, YAMLMap } from "yaml";

// ------------------------------------------------------------------------------------------------
// The Go values yaml.v3 decodes into `any`
// ------------------------------------------------------------------------------------------------

/** A timestamp as yaml.v3 parses it: the instant, and the zone offset it was written with (minutes). */
export interface GoTime {
    /** Milliseconds since the epoch of the whole seconds (UTC). */
    epochSeconds: number;
    /** Nanoseconds within the second (0..999999999). */
    nanos: number;
    /** Offset east of UTC in minutes; `undefined` for UTC itself (`Z` or no zone). */
    offsetMinutes?: number;
}

export type GoValue =
    | { kind: "null" }
    | { kind: "bool"; value: boolean }
    | { kind: "int"; value: bigint }
    | { kind: "uint"; value: bigint }
    | { kind: "float"; value: number }
    | { kind: "string"; value: string }
    | { kind: "time"; value: GoTime }
    | { kind: "secure"; value: string }
    | { kind: "map"; entries: [GoValue, GoValue][] }
    | { kind: "seq"; items: GoValue[] };

/** A problem yaml.v3 or Pulumi would report while reading the document. */
export class CliYamlError extends Error {
    constructor(
        message: string,
        /** 1-based line of the node, when known. */
        readonly line?: number,
    ) {
        super(message);
    }
}

// ------------------------------------------------------------------------------------------------
// yaml.v3 resolve.go
// ------------------------------------------------------------------------------------------------

const NULLS = new Set(["", "~", "null", "Null", "NULL"]);
const TRUES = new Set(["true", "True", "TRUE"]);
const FALSES = new Set(["false", "False", "FALSE"]);
const FLOAT_SPECIALS: Record<string, number> = {
    ".nan": NaN,
    ".NaN": NaN,
    ".NAN": NaN,
    ".inf": Infinity,
    ".Inf": Infinity,
    ".INF": Infinity,
    "+.inf": Infinity,
    "+.Inf": Infinity,
    "+.INF": Infinity,
    "-.inf": -Infinity,
    "-.Inf": -Infinity,
    "-.INF": -Infinity,
};
/** yaml.v3 `yamlStyleFloat`. */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Go `strconv.ParseInt`/`ParseUint` digits in `base`, no sign, no underscores; undefined when not valid. */
function parseDigits(s: string, base: number): bigint | undefined {
    if (s === "") return undefined;
    const digits = base === 16 ? /^[0-9a-fA-F]+$/ : base === 10 ? /^[0-9]+$/ : base === 8 ? /^[0-7]+$/ : /^[01]+$/;
    if (!digits.test(s)) return undefined;
    let n = 0n;
    for (const c of s.toLowerCase()) n = n * BigInt(base) + BigInt(parseInt(c, base));
    return n;
}

/** The magnitude and base of a Go base-0 integer literal without sign (underscores already removed). */
function parseBase0(s: string): bigint | undefined {
    if (/^0[xX]/.test(s)) return parseDigits(s.slice(2), 16);
    if (/^0[oO]/.test(s)) return parseDigits(s.slice(2), 8);
    if (/^0[bB]/.test(s)) return parseDigits(s.slice(2), 2);
    if (s.length > 1 && s[0] === "0") return parseDigits(s.slice(1), 8);
    return parseDigits(s, 10);
}

/** Go `strconv.ParseInt(s, 0, 64)`. */
function goParseInt(s: string): bigint | undefined {
    const negative = s.startsWith("-");
    const body = s.startsWith("-") || s.startsWith("+") ? s.slice(1) : s;
    const n = parseBase0(body);
    if (n === undefined) return undefined;
    const v = negative ? -n : n;
    return v >= INT64_MIN && v <= INT64_MAX ? v : undefined;
}

/** Go `strconv.ParseUint(s, 0, 64)` (no sign allowed). */
function goParseUint(s: string): bigint | undefined {
    if (s.startsWith("-") || s.startsWith("+")) return undefined;
    const n = parseBase0(s);
    return n !== undefined && n <= UINT64_MAX ? n : undefined;
}

/**
 * Go `strconv.ParseFloat(s, 64)` for what yaml.v3 hands it: decimal text (the `yamlStyleFloat` shape, or
 * a leading `.`); out of range (`1e400`) is an error. Underscores between digits are Go syntax.
 */
function goParseFloat(s: string): number | undefined {
    let t = s;
    if (t.includes("_")) {
        // Go accepts an underscore only between digits (underscoreOK); yaml.v3 removes them first except on the "." path.
        if (!/^[-+]?(\d(_?\d)*)?(\.(\d(_?\d)*)?)?([eE][-+]?\d(_?\d)*)?$/.test(t)) return undefined;
        t = t.replace(/_/g, "");
    }
    if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) {
        // Go also reads inf, infinity and nan (any case) and hex floats.
        const lower = t.toLowerCase().replace(/^\+/, "");
        if (lower === "inf" || lower === "infinity") return Infinity;
        if (lower === "-inf" || lower === "-infinity") return -Infinity;
        if (lower === "nan") return NaN;
        return undefined;
    }
    const f = Number(t);
    return Number.isFinite(f) ? f : undefined;
}

const TIMESTAMP = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:([Tt ])(\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,](\d+))?(Z|[+-]\d{2}:\d{2})?)?$/;

/** yaml.v3 `parseTimestamp` (Go `time.Parse` with its four layouts); undefined when not a timestamp. */
export function parseTimestamp(s: string): GoTime | undefined {
    const m = TIMESTAMP.exec(s);
    if (!m) return undefined;
    const [, y, mo, d, sep, h, mi, se, frac, zone] = m;
    // Layouts: "2006-1-2T15:4:5.999999999Z07:00", "2006-1-2t…Z07:00", "2006-1-2 15:4:5.999999999", "2006-1-2".
    if (sep !== undefined && (sep === " " ? zone !== undefined : zone === undefined)) return undefined;
    if (sep === undefined && frac !== undefined) return undefined;
    const [year, month, day] = [Number(y), Number(mo), Number(d)];
    const [hour, minute, second] = [Number(h ?? 0), Number(mi ?? 0), Number(se ?? 0)];
    if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
    const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
    if (day > daysInMonth) return undefined;
    let offsetMinutes: number | undefined;
    if (zone && zone !== "Z") {
        const zh = Number(zone.slice(1, 3));
        const zm = Number(zone.slice(4, 6));
        if (zh > 24 || zm > 59) return undefined;
        offsetMinutes = (zone[0] === "-" ? -1 : 1) * (zh * 60 + zm);
        if (offsetMinutes === 0) offsetMinutes = undefined; // the local zone (UTC) has that offset: Parse uses it
    }
    const utc = new Date(0);
    utc.setUTCFullYear(year, month - 1, day);
    utc.setUTCHours(hour, minute, second, 0);
    const nanos = frac ? Number(frac.slice(0, 9).padEnd(9, "0")) : 0;
    return { epochSeconds: utc.getTime() / 1000 - (offsetMinutes ?? 0) * 60, nanos, offsetMinutes };
}

/** A YAML tag as yaml.v3's `shortTag` writes it (`!!int` for `tag:yaml.org,2002:int`). */
function shortTag(tag: string | undefined): string {
    if (!tag) return "";
    const prefix = "tag:yaml.org,2002:";
    return tag.startsWith(prefix) ? `!!${tag.slice(prefix.length)}` : tag;
}

const RESOLVABLE = new Set(["", "!!str", "!!bool", "!!int", "!!float", "!!null", "!!timestamp"]);

function kindTag(v: GoValue): string {
    switch (v.kind) {
        case "null":
            return "!!null";
        case "bool":
            return "!!bool";
        case "int":
        case "uint":
            return "!!int";
        case "float":
            return "!!float";
        case "time":
            return "!!timestamp";
        default:
            return "!!str";
    }
}

/** yaml.v3 `resolve(tag, in)` for a scalar that is not an indicated string; `<<` is reported as a merge key. */
export function resolveScalar(tag: string, text: string): GoValue | "merge" {
    const t = shortTag(tag);
    if (!RESOLVABLE.has(t)) return { kind: "string", value: text };
    const out = resolveUntyped(t, text);
    if (out === "merge") return out;
    const got = kindTag(out);
    if (t === "" || t === got || t === "!!str") return out;
    if (t === "!!float" && (out.kind === "int" || out.kind === "uint")) return { kind: "float", value: Number(out.value) };
    throw new CliYamlError(`cannot decode ${got} \`${text}\` as a ${t}`);
}

function resolveUntyped(tag: string, text: string): GoValue | "merge" {
    const first = text[0];
    const hint =
        text === ""
            ? "N"
            : first === "+" || first === "-"
              ? "S"
              : /[0-9]/.test(first)
                ? "D"
                : "yYnNtTfFoO~".includes(first)
                  ? "M"
                  : first === "."
                    ? "."
                    : "";
    if (hint === "" || tag === "!!str") return { kind: "string", value: text };
    if (NULLS.has(text)) return { kind: "null" };
    if (TRUES.has(text)) return { kind: "bool", value: true };
    if (FALSES.has(text)) return { kind: "bool", value: false };
    if (text in FLOAT_SPECIALS) return { kind: "float", value: FLOAT_SPECIALS[text] };
    if (text === "<<") return "merge";
    if (hint === ".") {
        const f = goParseFloat(text);
        if (f !== undefined) return { kind: "float", value: f };
    } else if (hint === "D" || hint === "S") {
        if (tag === "" || tag === "!!timestamp") {
            const t = parseTimestamp(text);
            if (t) return { kind: "time", value: t };
        }
        const plain = text.replace(/_/g, "");
        const i = goParseInt(plain);
        if (i !== undefined) return { kind: "int", value: i };
        const u = goParseUint(plain);
        if (u !== undefined) return { kind: "uint", value: u };
        if (YAML_STYLE_FLOAT.test(plain)) {
            const f = goParseFloat(plain);
            if (f !== undefined) return { kind: "float", value: f };
        }
        // 0b/0o prefixes are handled by ParseInt's base 0 above.
    }
    return { kind: "string", value: text };
}

// ------------------------------------------------------------------------------------------------
// Go formatting: floats, times, JSON
// ------------------------------------------------------------------------------------------------

/**
 * Go `strconv.FormatFloat(f, 'g', -1, 64)` (and `fmt`'s `%v` of a float64): the shortest digits, in
 * exponent form when the exponent is below -4 or at least 6 (ftoa.go: "if precision was the shortest
 * possible, use precision 6 for this decision"), the exponent with at least two digits.
 */
export function goFormatG(f: number): string {
    if (Number.isNaN(f)) return "NaN";
    if (f === Infinity) return "+Inf";
    if (f === -Infinity) return "-Inf";
    if (f === 0) return Object.is(f, -0) ? "-0" : "0";
    const [mantissa, expText] = f.toExponential().split("e");
    const exp = Number(expText);
    if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
    return String(f); // JavaScript writes plain decimals for exponents from -6 to 20
}

/** Go `encoding/json` text of a finite float64 (ES6 number formatting with Go's exponent cleanup). */
function goJsonFloat(f: number): string {
    return String(f);
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

function offsetText(minutes: number, colon: boolean): string {
    const sign = minutes < 0 ? "-" : "+";
    const abs = Math.abs(minutes);
    return `${sign}${pad(Math.floor(abs / 60))}${colon ? ":" : ""}${pad(abs % 60)}`;
}

/** Go `time.Time.String()` of a parsed timestamp: `2006-01-02 15:04:05.999999999 -0700 MST`. */
export function goTimeString(t: GoTime): string {
    const local = new Date((t.epochSeconds + (t.offsetMinutes ?? 0) * 60) * 1000);
    const fraction = t.nanos ? `.${String(t.nanos).padStart(9, "0").replace(/0+$/, "")}` : "";
    const zone =
        t.offsetMinutes === undefined ? "+0000 UTC" : `${offsetText(t.offsetMinutes, false)} ${offsetText(t.offsetMinutes, false)}`;
    return (
        `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ` +
        `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${fraction} ${zone}`
    );
}

/** Go `encoding/json` string escaping (HTML-safe, as json.Marshal writes it since Go 1.22). */
export function goJsonString(s: string): string {
    let out = '"';
    for (const ch of s) {
        const c = ch.codePointAt(0)!;
        if (ch === '"') out += '\\"';
        else if (ch === "\\") out += "\\\\";
        else if (ch === "\n") out += "\\n";
        else if (ch === "\r") out += "\\r";
        else if (ch === "\t") out += "\\t";
        else if (ch === "\b") out += "\\b";
        else if (ch === "\f") out += "\\f";
        else if (c < 0x20 || ch === "<" || ch === ">" || ch === "&" || c === 0x2028 || c === 0x2029)
            out += `\\u${c.toString(16).padStart(4, "0")}`;
        else if (c >= 0xd800 && c <= 0xdfff) out += "\\ufffd";
        else out += ch;
    }
    return `${out}"`;
}

/** Go's ordering of map keys in JSON: byte-wise over UTF-8. */
function byUtf8(a: string, b: string): number {
    return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** The JSON `encoding/json` writes for a plain Go value (maps with sorted keys). */
type JsonValue = null | boolean | string | { num: string } | JsonValue[] | { obj: Map<string, JsonValue> };

function writeJson(v: JsonValue): string {
    if (v === null) return "null";
    if (typeof v === "boolean") return String(v);
    if (typeof v === "string") return goJsonString(v);
    if (Array.isArray(v)) return `[${v.map(writeJson).join(",")}]`;
    if ("num" in v) return v.num;
    const keys = [...v.obj.keys()].sort(byUtf8);
    return `{${keys.map((k) => `${goJsonString(k)}:${writeJson(v.obj.get(k)!)}`).join(",")}}`;
}

// ------------------------------------------------------------------------------------------------
// Pulumi: the round trip, config.Value, Decrypt
// ------------------------------------------------------------------------------------------------

/** What yaml.v3 writes for a value and reads back (LoadProjectStackBytes marshals the document once). */
export function roundTrip(v: GoValue): GoValue {
    switch (v.kind) {
        case "float": {
            const text = goFormatG(v.value).replace("+Inf", ".inf").replace("-Inf", "-.inf").replace("NaN", ".nan");
            const back = resolveUntyped("", text);
            return back === "merge" ? v : back;
        }
        case "map":
            return { kind: "map", entries: v.entries.map(([k, x]) => [roundTrip(k), roundTrip(x)]) };
        case "seq":
            return { kind: "seq", items: v.items.map(roundTrip) };
        default:
            return v;
    }
}

/** `fmt.Sprintf("%v", key)`: how `unmarshalObject` names a map key that is not a string. */
function goKeyText(k: GoValue): string {
    switch (k.kind) {
        case "string":
        case "secure":
            return k.value;
        case "null":
            return "<nil>";
        case "bool":
            return String(k.value);
        case "int":
        case "uint":
            return k.value.toString();
        case "float":
            return goFormatG(k.value);
        case "time":
            return goTimeString(k.value);
        case "map":
            return `map[${k.entries.map(([a, b]) => `${goKeyText(a)}:${goKeyText(b)}`).join(" ")}]`;
        case "seq":
            return `[${k.items.map(goKeyText).join(" ")}]`;
    }
}

/** A Pulumi `config.Value`: its text, whether it is a secret, whether it is an object (JSON). */
export interface ConfigValue {
    text: string;
    secure: boolean;
    object: boolean;
}

/** `unmarshalObject`: a map of one string `secure` key is a secret; other map keys are named with %v. */
function toObject(v: GoValue): GoValue {
    if (v.kind === "map") {
        if (v.entries.length === 1 && goKeyText(v.entries[0][0]) === "secure" && v.entries[0][1].kind === "string")
            return { kind: "secure", value: v.entries[0][1].value };
        return { kind: "map", entries: v.entries.map(([k, x]) => [{ kind: "string", value: goKeyText(k) }, toObject(x)]) };
    }
    if (v.kind === "seq") return { kind: "seq", items: v.items.map(toObject) };
    if (v.kind === "time") return { kind: "string", value: goTimeString(v.value) };
    return v;
}

function hasSecure(v: GoValue): boolean {
    if (v.kind === "secure") return true;
    if (v.kind === "seq") return v.items.some(hasSecure);
    if (v.kind === "map") return v.entries.some(([, x]) => hasSecure(x));
    return false;
}

/** json.Marshal of a float64, or Go's error for NaN and infinities. */
function floatJson(f: number): string {
    if (!Number.isFinite(f)) throw new CliYamlError(`json: unsupported value: ${goFormatG(f)}`);
    return Object.is(f, -0) ? "-0" : goJsonFloat(f);
}

/** The value as `Map.Decrypt` writes an object: decoded again (ints stay ints), secrets as `secretText`. */
function plainJson(v: GoValue, secretText: string): JsonValue {
    switch (v.kind) {
        case "null":
            return null;
        case "bool":
            return v.value;
        case "int":
        case "uint":
            return { num: v.value.toString() };
        case "float": {
            const text = floatJson(v.value);
            // Decoded with UseNumber: an integer-looking number comes back as an int64.
            return { num: /^-?\d+$/.test(text) && BigInt(text) >= INT64_MIN && BigInt(text) <= INT64_MAX ? BigInt(text).toString() : text };
        }
        case "string":
            return v.value;
        case "secure":
            return secretText;
        case "time":
            return goTimeString(v.value);
        case "seq":
            return v.items.map((x) => plainJson(x, secretText));
        case "map":
            return { obj: new Map(v.entries.map(([k, x]) => [goKeyText(k), plainJson(x, secretText)])) };
    }
}

/**
 * `config.Value.UnmarshalYAML` then `MarshalString`: what the stack file's value is to Pulumi. A YAML
 * null is the zero Value (the empty string).
 */
export function toConfigValue(v: GoValue): ConfigValue {
    const o = toObject(v);
    switch (o.kind) {
        case "null":
            return { text: "", secure: false, object: false };
        case "bool":
            return { text: String(o.value), secure: false, object: false };
        case "int":
        case "uint":
            return { text: o.value.toString(), secure: false, object: false };
        case "float":
            return { text: floatJson(o.value), secure: false, object: false };
        case "string":
            return { text: o.value, secure: false, object: false };
        case "secure":
            return { text: o.value, secure: true, object: false };
        default:
            // MarshalJSON of the object first: NaN or Inf anywhere inside fails the whole file.
            writeJson(plainJson(o, ""));
            return { text: "", secure: hasSecure(o), object: true };
    }
}

/** The text the program reads for a value (`Map.Decrypt`), secrets replaced by `secretText`. */
export function programText(v: GoValue, secretText: (inObject: boolean) => string): string {
    const o = toObject(v);
    const c = toConfigValue(v);
    if (!c.object) return c.secure ? secretText(false) : c.text;
    return writeJson(plainJson(o, secretText(true)));
}

/** The JSON value a program (or the CLI's type check) decodes from an object value's text. */
export function objectContent(v: GoValue): unknown {
    return JSON.parse(programText(v, () => "[secure]"));
}

// ------------------------------------------------------------------------------------------------
// From the YAML document to Go values
// ------------------------------------------------------------------------------------------------

/** Above this many decoded values the reader stops: no stack file needs it, and an alias bomb never ends. */
export const MAX_DECODED_VALUES = 100_000;

/** yaml.v3 decode.go `allowedAliasRatio`. */
function allowedAliasRatio(decodeCount: number): number {
    if (decodeCount <= 400_000) return 0.99;
    if (decodeCount >= 4_000_000) return 0.1;
    return 0.99 - 0.89 * ((decodeCount - 400_000) / 3_600_000);
}

/** Decodes YAML nodes as yaml.v3 does into `any`, counting like it (and bounding the count). */
export class GoDecoder {
    private decodeCount = 0;
    private aliasCount = 0;
    private aliasDepth = 0;
    private readonly expanding = new Set<Alias>();
    private readonly keyLines = new WeakMap<GoValue, number>();
    /** A mapping whose repeated keys are kept (the caller names them) instead of failing as yaml.v3 does. */
    lenientMap: unknown;

    constructor(
        private readonly doc: Document,
        private readonly lineOf: (offset: number | undefined) => number,
        private readonly limit = MAX_DECODED_VALUES,
        /** What the file is, in the alias-bomb lines ("a stack file", "a usage file"). */
        private readonly fileKind = "a stack file",
    ) {}

    /** The line a decoded map key was written on (0 when it came from a merge). */
    keyLine(key: GoValue): number {
        return this.keyLines.get(key) ?? 0;
    }

    /** Line of a node (1-based), or 0. */
    line(node: unknown): number {
        const range = (node as { range?: [number, number, number] } | null)?.range;
        return range ? this.lineOf(range[0]) : 0;
    }

    decode(node: unknown): GoValue {
        this.decodeCount++;
        if (this.aliasDepth > 0) this.aliasCount++;
        if (this.decodeCount > this.limit)
            throw new CliYamlError(
                `expands to more than ${this.limit} values (aliases repeated inside each other: an alias bomb); valid: ${this.fileKind} without nested aliases`,
            );
        if (this.aliasCount > 100 && this.decodeCount > 1000 && this.aliasCount / this.decodeCount > allowedAliasRatio(this.decodeCount))
            throw new CliYamlError(
                `document contains excessive aliasing, which the Pulumi CLI's YAML reader refuses (an alias bomb); valid: ${this.fileKind} without nested aliases`,
            );
        if (node === null || node === undefined) return { kind: "null" };
        if (isAlias(node)) return this.alias(node);
        if (isScalar(node)) return this.scalar(node);
        if (isSeq(node)) return { kind: "seq", items: node.items.map((x) => this.decode(x)) };
        if (isMap(node)) return this.mapping(node);
        throw new CliYamlError("cannot decode this YAML node", this.line(node));
    }

    private alias(node: Alias): GoValue {
        const target = node.resolve(this.doc);
        if (!target) throw new CliYamlError(`unknown anchor '${node.source}' referenced`, this.line(node));
        if (this.expanding.has(node)) throw new CliYamlError(`anchor '${node.source}' value contains itself`, this.line(node));
        this.expanding.add(node);
        this.aliasDepth++;
        try {
            return this.decode(target);
        } finally {
            this.aliasDepth--;
            this.expanding.delete(node);
        }
    }

    /** Whether yaml.v3's `indicatedString` holds: `!!str`, or quoted/block style with no (or `!`) tag. */
    private static indicatedString(node: Scalar): boolean {
        const tag = shortTag(node.tag);
        if (tag === "!!str") return true;
        return (tag === "" || tag === "!") && node.type !== "PLAIN" && node.type !== undefined;
    }

    private scalar(node: Scalar): GoValue {
        const text = typeof node.value === "string" ? node.value : String(node.source ?? node.value ?? "");
        if (GoDecoder.indicatedString(node)) return { kind: "string", value: text };
        if (shortTag(node.tag) === "!!binary") {
            const b64 = String(node.source ?? "").replace(/\s+/g, "");
            if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0)
                throw new CliYamlError("!!binary value contains invalid base64 data", this.line(node));
            return { kind: "string", value: Buffer.from(b64, "base64").toString("utf8") };
        }
        let out: GoValue | "merge";
        // The parser gives an untagged plain scalar (and one tagged just "!") the tag its text resolves to
        // (yaml.v3 parserc.go `parser.node`), so "!" reads like no tag at all.
        const tag = node.tag === "!" ? "" : (node.tag ?? "");
        try {
            out = resolveScalar(tag, text);
        } catch (e) {
            throw new CliYamlError((e as Error).message, this.line(node));
        }
        return out === "merge" ? { kind: "string", value: "<<" } : out;
    }

    /** A mapping, with yaml.v3's merge keys (`<<: *base`): keys given in the map win, then earlier merges. */
    private mapping(node: YAMLMap): GoValue {
        const entries: [GoValue, GoValue][] = [];
        const merges: unknown[] = [];
        const seen = new Map<string, number>();
        for (const pair of node.items) {
            const keyNode = pair.key;
            if (isScalar(keyNode) && (keyNode.type === "PLAIN" || keyNode.type === undefined) && !keyNode.tag && keyNode.value === "<<") {
                merges.push(pair.value);
                continue;
            }
            const raw = isScalar(keyNode) ? String(keyNode.value) : undefined;
            if (raw !== undefined) {
                const before = seen.get(raw);
                if (before !== undefined && node !== this.lenientMap)
                    throw new CliYamlError(`mapping key ${JSON.stringify(raw)} already defined at line ${before}`, this.line(keyNode));
                seen.set(raw, this.line(keyNode));
            }
            const k = this.decode(keyNode);
            if (k.kind === "map" || k.kind === "seq") throw new CliYamlError("invalid map key", this.line(keyNode));
            this.keyLines.set(k, this.line(keyNode));
            entries.push([k, this.decode(pair.value)]);
        }
        const has = (k: GoValue) => entries.some(([e]) => sameKey(e, k));
        for (const m of merges) {
            const sources = isSeq(m) ? m.items : [m];
            for (const s of sources) {
                const target = isAlias(s) ? s.resolve(this.doc) : s;
                if (!isMap(target)) throw new CliYamlError("map merge requires map or sequence of maps as the value", this.line(s));
                const merged = this.decode(s);
                if (merged.kind !== "map") continue;
                for (const [k, v] of merged.entries) if (!has(k)) entries.push([k, v]);
            }
        }
        return { kind: "map", entries };
    }
}

/** Whether two decoded keys are the same Go map key. */
export function sameKey(a: GoValue, b: GoValue): boolean {
    if (a.kind !== b.kind) return false;
    return goKeyText(a) === goKeyText(b);
}

/** A key as the Go map key of a `map[string]any` (only strings are), or undefined. */
export function stringKey(k: GoValue): string | undefined {
    return k.kind === "string" ? k.value : undefined;
}

/** How the key is shown in a message when it is not a string (`%v`). */
export function keyText(k: GoValue): string {
    return goKeyText(k);
}

/** Parses YAML text the way the CLI's reader sees it (every scalar kept as text; resolution is ours). */
export function parseYaml(text: string): { doc: Document; lineOf: (offset: number | undefined) => number } {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { schema: "failsafe", uniqueKeys: false, lineCounter, prettyErrors: false, strict: true });
    return { doc, lineOf: (offset) => (offset === undefined ? 0 : lineCounter.linePos(offset).line) };
}

export type { Node };
