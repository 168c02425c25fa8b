/**
 * What an archive does with its stack, in one YAML file per stack (`usage/<stack>.yaml`): how much it
 * holds, how much it ingests, how many people sign in. The plan knows what is deployed; only the
 * archive knows this, and most of a preservation system's bill follows from it.
 *
 * Validated like the stack config (config/schema.ts): one zod schema, each key declared once with its
 * description, unit, range and default; an unknown key, a wrong type or a value out of range is
 * refused with one line `<file>: <key>: <problem>; valid: <values>` (exit 2 in `npm run cost`), before
 * anything is planned, names and values escaped when they hold what a terminal would act on or hide
 * (lib/printable.ts). A key left out takes its default; every value used is printed with the estimate.
 * How the YAML itself is read, and what else is refused: {@link loadUsage}.
 */
import * as fs from "fs";
import * as path from "path";
import { Document, isAlias, isMap, isPair, isScalar, visit } from "yaml";
import { z } from "zod";
import { levenshtein } from "../../config";
import { show } from "../../config/key-builders";
import { printable, showName, showValue } from "../../lib/printable";
import { CliYamlError, GoDecoder, GoValue, keyText, MAX_DECODED_VALUES, parseYaml, stringKey } from "../cli-yaml";
import { decodeStackFileText } from "../stack-file-encoding";
import { StackFileError } from "../stack-file-error";

/** A usage file could not be used: one line per problem, each naming the file and the key. */
export class UsageFileError extends Error {}

/** What the docs and the error lines say about a usage key. */
export interface UsageKeyDoc {
    description: string;
    /** The valid values, as the error lines and the README show them. */
    valid: string;
    /** The unit, for the printed assumptions ("TB", "GB a month", …). */
    unit: string;
}

/** Metadata of every usage key. */
export const USAGE_DOCS = z.registry<UsageKeyDoc>();

function problemOf(integer: boolean) {
    return (iss: z.core.$ZodRawIssue): string => {
        if (iss.input === undefined) return "required key is not set";
        switch (iss.code) {
            case "invalid_type":
                return `${show(iss.input)} is not ${integer ? "a whole number" : "a number"}`;
            case "too_small":
            case "too_big":
                return `${show(iss.input)} is out of range`;
            default:
                return `${show(iss.input)} is not valid`;
        }
    };
}

interface QuantityOptions {
    description: string;
    unit: string;
    min: number;
    max: number;
    integer?: boolean;
}

/** A number in [min, max] (a whole number when `integer`), registered with its docs. */
function quantity(o: QuantityOptions) {
    const integer = o.integer ?? false;
    const base = integer ? z.int({ error: problemOf(true) }) : z.number({ error: problemOf(false) });
    const schema = base.min(o.min, { error: problemOf(integer) }).max(o.max, { error: problemOf(integer) });
    USAGE_DOCS.add(schema, {
        description: o.description,
        unit: o.unit,
        valid: `${integer ? "a whole number" : "a number"} from ${o.min} to ${o.max.toLocaleString("en-US")}`,
    });
    return schema;
}

/**
 * The keys, in the order the README and the assumptions show them. Defaults describe a small
 * archive: 1 TB held, 100 GB ingested a month.
 */
export const USAGE_KEYS = {
    // --- the archive
    aipTbHeld: quantity({
        description: "AIPs held in the AIP store, in TB (1 TB = 1,000 GB).",
        unit: "TB",
        min: 0,
        max: 100_000,
    }).default(1),
    ingestGbPerMonth: quantity({
        description: "Transfers ingested a month, in GB (the bytes uploaded to the transfer source).",
        unit: "GB a month",
        min: 0,
        max: 1_000_000,
    }).default(100),
    aipSizeRatio: quantity({
        description:
            "Bytes of AIP stored per byte ingested: the originals plus preservation copies and metadata, after compression (compressing media that is already compressed saves little).",
        unit: "× the transfer",
        min: 0.1,
        max: 10,
    }).default(1.2),
    dipShare: quantity({
        description: "Bytes of DIPs (access copies) stored per byte of AIP.",
        unit: "× the AIPs",
        min: 0,
        max: 2,
    }).default(0.1),
    transfersPerMonth: quantity({
        description: "Transfers ingested a month (each becomes one AIP).",
        unit: "transfers a month",
        min: 0,
        max: 1_000_000,
        integer: true,
    }).default(20),
    filesPerTransfer: quantity({
        description: "Files in an average transfer (each is one access copy in the DIP store).",
        unit: "files per transfer",
        min: 1,
        max: 10_000_000,
        integer: true,
    }).default(500),
    objectsPerAip: quantity({
        description: "S3 objects per stored AIP: 1 for a compressed AIP (the default), the file count for an uncompressed one.",
        unit: "S3 objects per AIP",
        min: 1,
        max: 10_000_000,
        integer: true,
    }).default(1),
    aipReadSharePerMonth: quantity({
        description:
            "Share of the AIPs held that is read in a month (downloads, fixity checks that fetch the AIP, re-ingest); read objects go back to S3's frequent tier.",
        unit: "of the AIPs a month",
        min: 0,
        max: 1,
    }).default(0),
    transferSourceDaysKept: quantity({
        description: "Days an uploaded transfer stays in the transfer-source bucket.",
        unit: "days",
        min: 0,
        max: 3650,
    }).default(30),
    // --- processing
    mcpClientsAverage: quantity({
        description:
            "Average number of MCP client tasks running (autoscaled services); unset: from processingHoursPerDay, or the service's desired count.",
        unit: "tasks",
        min: 0,
        max: 1000,
    }).optional(),
    processingHoursPerDay: quantity({
        description: "Hours a day the MCP clients run at their maximum (the rest at their minimum); an alternative to mcpClientsAverage.",
        unit: "hours a day",
        min: 0,
        max: 24,
    }).optional(),
    daysInSharedDirectory: quantity({
        description:
            "Days a transfer spends in the shared directory on EFS, from arrival to its AIP stored (failed transfers stay longer).",
        unit: "days",
        min: 0,
        max: 365,
    }).default(2),
    sharedDirectoryBaseGb: quantity({
        description: "GB kept on EFS whatever the ingest: processing configurations, logs, failed and backlogged transfers.",
        unit: "GB",
        min: 0,
        max: 1_000_000,
    }).default(5),
    databaseGb: quantity({
        description: "GB of data in the database (the MCP and Storage Service databases; roughly 2–5 KB per file ingested).",
        unit: "GB",
        min: 0,
        max: 65_536,
    }).default(5),
    // --- logs and traffic
    serviceLogGbPerMonth: quantity({
        description: "GB the Archivematica services and the smoke test log a month, all together.",
        unit: "GB a month",
        min: 0,
        max: 100_000,
    }).default(5),
    otherLogGbPerGroupPerMonth: quantity({
        description: "GB each other log group ingests a month (database logs, ECS Exec, functions).",
        unit: "GB a month",
        min: 0,
        max: 100_000,
    }).default(0.5),
    flowLogGbPerMonth: quantity({
        description: "GB of VPC flow-log records a month.",
        unit: "GB a month",
        min: 0,
        max: 100_000,
    }).default(5),
    natGbPerGatewayPerMonth: quantity({
        description: "GB each NAT gateway processes a month (image pulls, calls to AWS APIs without an endpoint).",
        unit: "GB a month",
        min: 0,
        max: 1_000_000,
    }).default(50),
    albLcus: quantity({
        description: "Average load balancer capacity units the ALB uses every hour.",
        unit: "LCU",
        min: 0,
        max: 10_000,
    }).default(1),
    requestsPerMonth: quantity({
        description: "HTTP requests through the load balancer (and the web ACL) a month.",
        unit: "requests a month",
        min: 0,
        max: 1e12,
        integer: true,
    }).default(1_000_000),
    staffUsers: quantity({
        description: "People who sign in a month (monthly active users of a Cognito user pool).",
        unit: "users",
        min: 0,
        max: 10_000_000,
        integer: true,
    }).default(10),
    otherBucketGb: quantity({
        description: "GB in each bucket that is not an archival store (load balancer access logs and the like).",
        unit: "GB",
        min: 0,
        max: 1_000_000,
    }).default(10),
    cachedImageGb: quantity({
        description: "GB of container images the ECR pull-through cache keeps.",
        unit: "GB",
        min: 0,
        max: 10_000,
    }).default(6),
    scheduledTaskMinutes: quantity({
        description: "Minutes each scheduled one-off task runs (the smoke transfer, and any task a schedule starts).",
        unit: "minutes",
        min: 0,
        max: 1440,
    }).default(15),
    functionSecondsPerInvocation: quantity({
        description: "Average run time of one Lambda invocation, in seconds.",
        unit: "s",
        min: 0,
        max: 900,
    }).default(2),
};

/** The usage file's schema: the keys above and nothing else. */
export const USAGE_SCHEMA = z.strictObject(USAGE_KEYS);

/** A usage file's values, defaults applied. */
export type Usage = z.output<typeof USAGE_SCHEMA>;

export type UsageKey = keyof typeof USAGE_KEYS;

/** The keys, in order. */
export const USAGE_KEY_NAMES = Object.keys(USAGE_KEYS) as UsageKey[];

/** The usage when no file is given: every default. */
export const DEFAULT_USAGE: Usage = USAGE_SCHEMA.parse({});

/** The docs of one key. */
export function usageDoc(key: UsageKey): UsageKeyDoc {
    const doc = USAGE_DOCS.get(USAGE_KEYS[key] as z.ZodType) ?? USAGE_DOCS.get(unwrap(USAGE_KEYS[key]));
    if (!doc) throw new Error(`usage key ${key} has no docs`);
    return doc;
}

function unwrap(schema: z.ZodType): z.ZodType {
    const inner = (schema as unknown as { unwrap?: () => z.ZodType }).unwrap;
    return inner ? inner.call(schema) : schema;
}

/** The default of a key, as the README shows it ("unset" for the optional ones). */
export function usageDefault(key: UsageKey): string {
    const value = DEFAULT_USAGE[key];
    return value === undefined ? "unset" : String(value);
}

/** Where a usage key came from, for the printed assumptions. */
export interface UsageSource {
    /** The file read, relative to the project root, or undefined for the defaults. */
    file?: string;
    /** Keys the file set (the rest are defaults). */
    set: UsageKey[];
}

/** A usage and where it came from. */
export interface LoadedUsage {
    usage: Usage;
    source: UsageSource;
}

function closest(key: string): string | undefined {
    let best: { name: string; d: number } | undefined;
    for (const name of USAGE_KEY_NAMES) {
        const d = levenshtein(key.toLowerCase(), name.toLowerCase());
        if (d <= 3 && (!best || d < best.d)) best = { name, d };
    }
    return best?.name;
}

/** yaml.v3's float shape: a plain scalar of this shape that is not a number was out of range (`1e400`). */
const FLOAT_SHAPE = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** How a non-finite float is written when its own text is not at hand (a merged key). */
function nonFiniteText(f: number): string {
    return Number.isNaN(f) ? ".nan" : f > 0 ? ".inf" : "-.inf";
}

/** The source text of a plain, untagged scalar (through an alias), or undefined. */
function plainSource(node: unknown, doc: Document): string | undefined {
    const target = isAlias(node) ? node.resolve(doc) : node;
    return isScalar(target) && target.type === "PLAIN" && !target.tag ? String(target.source ?? target.value) : undefined;
}

/** The first explicit tag in the document: a usage file holds plain numbers and needs none. */
function firstTag(doc: Document, label: string, lineOf: (offset: number | undefined) => number): string | undefined {
    let found: string | undefined;
    visit(doc, {
        Node(_, node, path) {
            if (!node.tag) return undefined;
            const tag = node.tag.replace(/^tag:yaml\.org,2002:/, "!!");
            const pair = path.find((p) => isPair(p) && isMap(doc.contents) && doc.contents.items.includes(p));
            const key = isPair(pair) && isScalar(pair.key) ? `${showName(String(pair.key.value))}: ` : "";
            found = `${label} line ${lineOf(node.range?.[0])}: ${key}the YAML tag ${showName(tag)} is not read in a usage file; valid: a number written plainly, such as aipTbHeld: 40`;
            return visit.BREAK;
        },
    });
    return found;
}

/**
 * Validates the decoded entries of a usage file (`label` names the file in each line; `nodes` holds the
 * YAML node of each value written in the file, for its spelling); throws {@link UsageFileError} with
 * one line per problem.
 */
function parseEntries(entries: [GoValue, GoValue][], label: string, nodes: Map<string, unknown>, doc: Document): Usage {
    const unknownLines: string[] = [];
    const lines: string[] = [];
    const known: Record<string, unknown> = {};
    const valid = (key: UsageKey) => usageDoc(key).valid;
    for (const [k, v] of entries) {
        const key = stringKey(k) ?? keyText(k);
        if (!Object.prototype.hasOwnProperty.call(USAGE_KEYS, key) || stringKey(k) === undefined) {
            const near = closest(key);
            unknownLines.push(
                `${label}: ${showName(key)}: unknown key${near ? ` (did you mean ${near}?)` : ""}; valid: ${USAGE_KEY_NAMES.join(", ")}`,
            );
            continue;
        }
        const name = key as UsageKey;
        const source = plainSource(nodes.get(name), doc);
        const problem = (what: string) => lines.push(`${label}: ${name}: ${what}; valid: ${valid(name)}`);
        switch (v.kind) {
            case "null":
                // Left out, a key takes its default; written with no value, it is a mistake to point at.
                lines.push(
                    `${label}: ${name}: has no value (a YAML null); valid: ${valid(name)}, or no ${name} line for its default (${usageDefault(name)})`,
                );
                break;
            case "int":
            case "uint":
                known[name] = Number(v.value);
                break;
            case "float":
                if (Number.isFinite(v.value)) known[name] = v.value;
                else problem(`${source ?? nonFiniteText(v.value)} is not a finite number`);
                break;
            case "string":
                if (source !== undefined && FLOAT_SHAPE.test(source)) problem(`${showValue(source).slice(1, -1)} is not a finite number`);
                else known[name] = v.value;
                break;
            case "bool":
                known[name] = v.value;
                break;
            case "time":
                known[name] = source ?? "a date";
                break;
            case "seq":
                problem("a list is not a number");
                break;
            default:
                problem("a map is not a number");
        }
    }
    const parsed = USAGE_SCHEMA.safeParse(known);
    if (!parsed.success) {
        for (const issue of parsed.error.issues) {
            const key = String(issue.path[0]) as UsageKey;
            lines.push(`${label}: ${key}: ${issue.message}; valid: ${valid(key)}`);
        }
    }
    if (parsed.success && parsed.data.mcpClientsAverage !== undefined && parsed.data.processingHoursPerDay !== undefined) {
        lines.push(
            `${label}: processingHoursPerDay: cannot be set together with mcpClientsAverage; valid: one of mcpClientsAverage, processingHoursPerDay`,
        );
    }
    if (unknownLines.length || lines.length) throw new UsageFileError([...unknownLines, ...lines].join("\n"));
    return (parsed as { data: Usage }).data;
}

/** The default usage file of a stack, relative to the project root. */
export function defaultUsageFile(stack: string): string {
    return path.join("usage", `${stack}.yaml`);
}

/**
 * Reads a usage file: `file` when given (it must exist), else `usage/<stack>.yaml` when present, else
 * the defaults. Paths are shown relative to `root`.
 *
 * The file is read as the stack files are (tools/stack-files.ts): its encoding (a UTF-8 or UTF-16
 * byte-order mark is read, UTF-16 without one and invalid UTF-8 refused), YAML as the Pulumi CLI's
 * yaml.v3 resolves it (tools/cli-yaml.ts: `0x10` is 16, `"40"` a string), aliases bounded (an alias bomb
 * is one line). Refused besides, one line each: a top level that is not a map, a key given twice, a
 * key with no value (`aipTbHeld: ~`: leave the line out for the default), a number that is not finite
 * (`.nan`, `.inf`, `1e400`), and any explicit tag (`!!binary`, `!!float`): a usage file needs none. An
 * empty file takes every default.
 */
export function loadUsage(stack: string, root: string, file?: string): LoadedUsage {
    const chosen = file ?? (fs.existsSync(path.join(root, defaultUsageFile(stack))) ? defaultUsageFile(stack) : undefined);
    if (chosen === undefined) return { usage: DEFAULT_USAGE, source: { set: [] } };
    const full = path.resolve(root, chosen);
    const relative = path.relative(root, full) || chosen;
    const label = showName(relative);
    let bytes: Buffer;
    try {
        bytes = fs.readFileSync(full);
    } catch {
        throw new UsageFileError(`${label}: cannot be read (no such file?); valid: a usage file such as ${defaultUsageFile(stack)}`);
    }
    let text: string;
    try {
        text = decodeStackFileText(bytes, label, "npm run cost");
    } catch (e) {
        if (e instanceof StackFileError) throw new UsageFileError(e.message);
        throw e;
    }
    const { doc, lineOf } = parseYaml(text);
    if (doc.errors.length) {
        throw new UsageFileError(`${label}: is not valid YAML (${doc.errors[0].message.split("\n")[0]})`);
    }
    const tagged = firstTag(doc, label, lineOf);
    if (tagged) throw new UsageFileError(tagged);
    const decoder = new GoDecoder(doc, lineOf, MAX_DECODED_VALUES, "a usage file");
    // Keys given twice at the top level are named below (with showName), not left to the decoder's message.
    if (isMap(doc.contents)) decoder.lenientMap = doc.contents;
    let top: GoValue;
    try {
        top = decoder.decode(doc.contents);
    } catch (e) {
        if (e instanceof CliYamlError) throw new UsageFileError(`${label}${e.line ? ` line ${e.line}` : ""}: ${e.message}`);
        throw e;
    }
    const source: UsageSource = { file: printable(relative), set: [] };
    if (top.kind === "null") return { usage: DEFAULT_USAGE, source };
    if (top.kind !== "map") throw new UsageFileError(`${label}: is not a map of usage keys; valid: ${USAGE_KEY_NAMES.join(", ")}`);
    const lines = new Map<string, number[]>();
    for (const [k] of top.entries) {
        const name = stringKey(k) ?? keyText(k);
        lines.set(name, [...(lines.get(name) ?? []), decoder.keyLine(k)]);
    }
    const twice = [...lines].filter(([, at]) => at.length > 1);
    if (twice.length)
        throw new UsageFileError(
            twice
                .map(
                    ([name, at]) =>
                        `${label}: ${showName(name)}: is set ${at.length} times (lines ${at.join(", ")}); valid: one value per key`,
                )
                .join("\n"),
        );
    const nodes = new Map<string, unknown>();
    if (isMap(doc.contents)) for (const p of doc.contents.items) if (isScalar(p.key)) nodes.set(String(p.key.value), p.value);
    const usage = parseEntries(top.entries, label, nodes, doc);
    source.set = USAGE_KEY_NAMES.filter((k) => lines.has(k));
    return { usage, source };
}
