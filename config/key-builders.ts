/**
 * How a configuration key is declared (config/schema.ts declares them all): the docs every key carries
 * beside its zod schema (`KEY_DOCS`), how a value is shown in an error line, the builders that return
 * a registered schema (text, oneOf, integer, list, …, each with the problem text of its error lines),
 * and the constraints several keys share (CIDRs, host names, images, e-mail addresses, schedules, ARNs).
 */
import { z } from "zod";
import { parseArn } from "../lib/arns";
import { emailAddressProblem } from "../lib/email-address";
import { parseImageReference } from "../lib/image-reference";
import { showValue } from "../lib/printable";
import { describeMinutes, scheduleProblem as scheduleExpressionProblem } from "../lib/schedule-expressions";
import { reservedContaining } from "../lib/vpc-cidrs";

/** How Pulumi hands a key to the program (every value arrives as a string) and how Pulumi.yaml types it. */
export type KeyType = "string" | "integer" | "boolean" | "array";

/** What the docs and the error lines say about a key, beside its zod schema. */
export interface KeyDoc {
    type: KeyType;
    /** One sentence for `Pulumi.yaml` and the README. */
    description: string;
    /** The valid values, as the README and every error line show them. */
    valid: string;
    /** The value must be set with `pulumi config set --secret`; it is never echoed in an error. */
    secret: boolean;
    /**
     * What kind of AWS identifier the value is, for the checks that need the stack's Region, partition
     * and account (config/rules.ts): every key of a kind gets them, whoever declares it.
     */
    format?: KeyFormat;
}

/** AWS identifiers whose checks need more than the value itself. */
export type KeyFormat =
    | {
          kind: "arn";
          /** The service the ARN must name (`acm`, `secretsmanager`, `kms`). */
          service: string;
          /** What it is, in a message ("an ACM certificate"). */
          noun: string;
          /** AWS only uses it from the stack's own Region. */
          sameRegion: boolean;
          /** AWS only uses it from the stack's own account. */
          sameAccount: boolean;
      }
    | {
          kind: "region";
          /** A second Region: it must differ from the stack's and be in the same partition. */
          otherThanStack: boolean;
      };

/** Metadata of every key schema (registered on the schema before its `.default()`). */
export const KEY_DOCS = z.registry<KeyDoc>();

// ------------------------------------------------------------------------------------------------
// How a value is shown in an error line
// ------------------------------------------------------------------------------------------------

/** Control characters (Cc), invisible format characters (Cf), line/paragraph separators, lone surrogates. */
const CONTROL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

/**
 * A value as an error line shows it: JSON, control and invisible characters escaped, look-alike letters
 * among Latin ones escaped, long values cut (lib/printable.ts).
 */
export function show(value: unknown): string {
    return showValue(value);
}

/** The first control character of a string, as `U+XXXX`, or undefined. */
export function controlCharacter(value: string): string | undefined {
    const m = CONTROL.exec(value);
    return m ? `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}` : undefined;
}

const TYPE_NAMES: Record<KeyType, string> = {
    string: "a string",
    integer: "an integer",
    boolean: "a boolean",
    array: "a list of strings",
};

/**
 * The zod error function of one key: the `<problem>` part of `<key>: <problem>; valid: <values>`.
 * A secret value is never echoed.
 */
function problemOf(type: KeyType, secret: boolean) {
    return (iss: z.core.$ZodRawIssue): string => {
        if (iss.input === undefined) return "required key is not set";
        if (iss.input === "" && type !== "string") return "is empty";
        const shown = secret ? "the secret value" : show(iss.input);
        switch (iss.code) {
            case "invalid_type":
                return `${shown} is not ${TYPE_NAMES[type]}`;
            case "invalid_value":
                return `${shown} is not allowed`;
            case "too_small":
            case "too_big":
                if (type === "integer") return `${shown} is out of range`;
                if (type === "array") return iss.code === "too_small" ? "is an empty list" : "has too many items";
                return iss.code === "too_small" ? "is empty" : `is ${String(iss.input).length} characters long`;
            default:
                return `${shown} is not valid`;
        }
    };
}

/** A check with its own problem text (the value is the key's own, so the text may show it). */
interface Check<T> {
    ok: (value: T) => boolean;
    problem: (value: T) => string;
}

function docs<S extends z.ZodType>(schema: S, doc: KeyDoc): S {
    const registered: z.ZodType = schema;
    KEY_DOCS.add(registered, doc);
    return schema;
}

// ------------------------------------------------------------------------------------------------
// Key builders: each returns a registered schema; the declaration chains `.default()` when optional
// ------------------------------------------------------------------------------------------------

interface TextOptions {
    description: string;
    valid?: string;
    pattern?: RegExp;
    maxLength?: number;
    secret?: boolean;
    checks?: Check<string>[];
    format?: KeyFormat;
}

/** No string may carry a control character: they reach container definitions, tags and logs. */
const NO_CONTROL: Check<string> = {
    ok: (v) => controlCharacter(v) === undefined,
    problem: (v) => `contains the control character ${controlCharacter(v)}`,
};

export function text(o: TextOptions) {
    const secret = o.secret ?? false;
    // An empty value (a YAML null reaches the program as "") is named as such where the key needs one.
    const acceptsEmpty = (!o.pattern || o.pattern.test("")) && (o.checks ?? []).every((c) => c.ok(""));
    let s = z.string({ error: problemOf("string", secret) });
    if (!acceptsEmpty) s = s.refine((v) => v !== "", { error: "is empty", abort: true });
    for (const check of [NO_CONTROL, ...(o.checks ?? [])]) {
        s = s.refine(check.ok, {
            error: (iss) => (secret ? "the secret value is not valid" : check.problem(String(iss.input))),
            abort: true,
        });
    }
    if (o.maxLength !== undefined) s = s.max(o.maxLength, { abort: true });
    if (o.pattern) s = s.regex(o.pattern);
    return docs(s, { type: "string", description: o.description, valid: o.valid ?? "any", secret, format: o.format });
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T, description: string) {
    return docs(z.enum(values, { error: problemOf("string", false) }), {
        type: "string",
        description,
        valid: values.join(", "),
        secret: false,
    });
}

export function integer(o: { description: string; min: number; max: number }) {
    return docs(
        z
            .int({ error: problemOf("integer", false) })
            .min(o.min)
            .max(o.max),
        {
            type: "integer",
            description: o.description,
            valid: `${o.min} to ${o.max}`,
            secret: false,
        },
    );
}

export function integerIn(values: readonly number[], description: string) {
    return docs(
        z
            .int({ error: problemOf("integer", false) })
            .refine((n) => values.includes(n), { error: (iss) => `${show(iss.input)} is not allowed` }),
        { type: "integer", description, valid: values.join(", "), secret: false },
    );
}

export function flag(description: string) {
    return docs(z.boolean({ error: problemOf("boolean", false) }), { type: "boolean", description, valid: "true, false", secret: false });
}

export function list(o: { description: string; item: RegExp; itemValid: string; nonEmpty?: boolean; itemChecks?: Check<string>[] }) {
    let item = z.string({ error: (iss) => `item ${show(iss.input)} is not a string` });
    for (const check of [NO_CONTROL, ...(o.itemChecks ?? [])])
        item = item.refine(check.ok, { error: (iss) => `item ${show(iss.input)} ${check.problem(String(iss.input))}`, abort: true });
    item = item.regex(o.item, { error: (iss) => `item ${show(iss.input)} is not valid` });
    let s = z
        .array(item, { error: problemOf("array", false) })
        .refine((items) => new Set(items).size === items.length, { error: "has duplicate items" });
    if (o.nonEmpty) s = s.refine((items) => items.length > 0, { error: "is an empty list" });
    return docs(s, { type: "array", description: o.description, valid: `a list of ${o.itemValid}`, secret: false });
}

// ------------------------------------------------------------------------------------------------
// Shared constraints
// ------------------------------------------------------------------------------------------------

export const IPV4_CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/;

/** The network address of an IPv4 CIDR (host bits cleared), e.g. 203.0.113.0/24 for 203.0.113.7/24. */
export function cidrNetwork(cidr: string): string {
    const [address, bits] = cidr.split("/");
    const prefix = Number(bits);
    const n = address.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
    const size = 2 ** (32 - prefix);
    const network = n - (n % size);
    return `${[24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join(".")}/${prefix}`;
}

/** A client network must be unicast addresses that can reach a load balancer (lib/vpc-cidrs.ts lists the rest). */
export const NOT_A_CLIENT_NETWORK: Check<string> = {
    ok: (v) => !IPV4_CIDR.test(v) || !reservedContaining(v) || reservedContaining(v)!.cidr === "172.17.0.0/16",
    problem: (v) => `is in ${reservedContaining(v)?.cidr}, ${reservedContaining(v)?.why}, which no client connects from`,
};

/** A CIDR must be its own network address: host bits set usually mean a typo in the prefix or address. */
export const CANONICAL_CIDR: Check<string> = {
    ok: (v) => !IPV4_CIDR.test(v) || cidrNetwork(v) === v,
    problem: (v) => `has host bits set (the network is ${cidrNetwork(v)})`,
};

export const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** AWS tag values: letters, digits, spaces and `_.:/=+-@`, up to 256 characters. */
export const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;
export const NOT_BLANK: Check<string> = { ok: (v) => v.trim() !== "", problem: () => "is blank" };

export const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;

/**
 * A time zone the runtime's IANA database knows, spelt as it spells it (zoneinfo file names are
 * case-sensitive in the containers). `Intl.supportedValuesOf` lists canonical zones only, so links such
 * as `Etc/GMT+5` and `EST5EDT` are checked by constructing a formatter with them.
 */
export function isTimeZone(value: string): boolean {
    if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(value)) return false;
    if (Intl.supportedValuesOf("timeZone").includes(value)) return true;
    let resolved: string;
    try {
        resolved = new Intl.DateTimeFormat("en", { timeZone: value }).resolvedOptions().timeZone;
    } catch {
        return false;
    }
    // ICU matches names case-insensitively; a different spelling of the same name is refused.
    return resolved === value || resolved.toLowerCase() !== value.toLowerCase();
}

/**
 * An image reference (lib/image-reference.ts: the distribution/reference grammar, registry ports
 * 1-65535, at most 255 characters) pinned to something other than `latest`: a tag, or a sha256 digest.
 */
export function imageProblem(image: string): string | undefined {
    const parsed = parseImageReference(image);
    if ("problem" in parsed) return parsed.problem.startsWith("is ") ? parsed.problem : `${show(image)} ${parsed.problem}`;
    if (parsed.digest !== undefined)
        return /^sha256:[0-9a-f]{64}$/.test(parsed.digest) ? undefined : `${show(image)} has a digest that is not sha256:<64 hex digits>`;
    if (parsed.tag === undefined) return `${show(image)} has no tag or digest`;
    if (parsed.tag === "latest") return `${show(image)} is not pinned (latest moves)`;
    return undefined;
}

/** The schemas of the image override keys (see {@link IMAGE_OVERRIDE_KEYS}). */
export const IMAGE_SCHEMAS = new Set<unknown>();

/**
 * An image override: the key `<component in camelCase>Image` (e.g. `storageServiceImage`) replaces that
 * catalogue component's image; {@link componentOfImageKey} reads the component from the key.
 */
export function image(description: string) {
    const schema = text({
        description,
        valid: "empty, or an image with a tag other than latest or a sha256 digest, at most 255 characters, such as artefactual/archivematica-dashboard:v1.18.0",
        checks: [{ ok: (v) => v === "" || imageProblem(v) === undefined, problem: (v) => imageProblem(v) ?? "" }],
    });
    IMAGE_SCHEMAS.add(schema);
    return schema;
}

/** `storageServiceImage` → `storage-service`: the catalogue component an image override key names. */
export function componentOfImageKey(key: string): string {
    return key.replace(/Image$/, "").replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** An e-mail address SNS and SES deliver to (lib/email-address.ts), optional when `optional`. */
export function email(o: { description: string; optional: boolean; example: string }) {
    const problem = (v: string) => (v === "" && o.optional ? undefined : emailAddressProblem(v));
    return text({
        description: o.description,
        checks: [{ ok: (v) => problem(v) === undefined, problem: (v) => `${show(v)} ${problem(v) ?? ""}` }],
        valid: `${o.optional ? "empty, or " : ""}an ASCII e-mail address such as ${o.example}`,
    });
}

/**
 * An EventBridge schedule expression (lib/schedule-expressions.ts) that parses, fires after today, and
 * leaves at least `minimumMinutes` between runs; `cronOnly` for AWS Backup, which takes no rate. With
 * `apart` instead of a minimum, the spacing depends on other keys: a rule checks it (config/rules.ts),
 * and `apart` says what it is.
 */
export function schedule(
    o: { description: string; cronOnly: boolean; example: string } & ({ minimumMinutes: number } | { apart: string }),
) {
    const minimum = "minimumMinutes" in o ? o.minimumMinutes : 0;
    const problem = (v: string) => {
        if (o.cronOnly && !v.startsWith("cron(")) return `${show(v)} is not a cron(...) expression (AWS Backup takes no rate(...))`;
        const p = scheduleExpressionProblem(v, minimum, new Date());
        return p && `${show(v)} ${p}`;
    };
    const apart = "minimumMinutes" in o ? `at least ${describeMinutes(o.minimumMinutes)} apart` : o.apart;
    const forms = o.cronOnly
        ? "cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)"
        : "rate(<n> minutes|hours|days), or cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)";
    return text({
        description: o.description,
        checks: [{ ok: (v) => problem(v) === undefined, problem: (v) => problem(v) ?? "" }],
        valid: `${forms} in UTC that fires, ${apart}, one of the two day fields ?, e.g. ${o.example}`,
    });
}

/** An https:// URL of an identity provider's endpoint, or empty. */
export function httpsUrl(description: string) {
    return text({
        description,
        pattern: /^(https:\/\/[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?(:\d{1,5})?(\/[\x21-\x7e]*)?)?$/,
        maxLength: 2048,
        valid: "empty, or an https:// URL such as https://login.example.org/oauth2/token",
    }).default("");
}

/** A value of the role claim that maps to one Archivematica role. */
export function roleClaim(description: string) {
    return text({ description, checks: [NOT_BLANK], maxLength: 256, valid: "1-256 characters, not only spaces" });
}

/** An ARN of `service` in the stack's partition (and Region and account where AWS requires them), or empty. */
export function arn(o: {
    description: string;
    service: string;
    noun: string;
    resource: RegExp;
    resourceValid: string;
    example: string;
    sameRegion: boolean;
    sameAccount: boolean;
}) {
    const problem = (v: string) => {
        if (v === "") return undefined;
        const a = parseArn(v);
        if (!a) return `${show(v)} is not an ARN (arn:<partition>:<service>:<region>:<account>:<resource>)`;
        if (a.service !== o.service) return `${show(v)} is an ARN of ${a.service}, not ${o.service}`;
        if (!a.region) return `${show(v)} names no Region`;
        if (!a.account) return `${show(v)} names no account`;
        if (!o.resource.test(a.resource)) return `${show(v)} is not ${o.resourceValid}`;
        return undefined;
    };
    return text({
        description: o.description,
        checks: [{ ok: (v) => problem(v) === undefined, problem: (v) => problem(v) ?? "" }],
        valid: `empty, or ${o.resourceValid} such as ${o.example}`,
        format: { kind: "arn", service: o.service, noun: o.noun, sameRegion: o.sameRegion, sameAccount: o.sameAccount },
    });
}

const RATE = /^rate\(([1-9][0-9]*) (minutes?|hours?|days?)\)$/;
const UNIT_SECONDS: Record<string, number> = { minute: 60, hour: 3600, day: 86400 };

/** Hours between runs of a `rate(<n> hour[s]|day[s])` expression (fixitySchedule's form). */
export function rateHours(expression: string): number {
    const rate = RATE.exec(expression);
    if (!rate || !/^(hour|day)s?$/.test(rate[2])) throw new Error(`${show(expression)} is not a rate in hours or days`);
    return (Number(rate[1]) * UNIT_SECONDS[rate[2].replace(/s$/, "")]) / 3600;
}
