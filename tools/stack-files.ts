/**
 * Reads `Pulumi.yaml` and `Pulumi.<stack>.yaml` the way the Pulumi CLI hands config to a program, so
 * that the offline plan's program sees exactly the strings the real one sees (tools/cli-yaml.ts has the
 * YAML and `config.Value` rules, with their upstream sources): every value a string, `0x3` as `3`,
 * `30.0` as `30`, `True` as `true`, a YAML null as the empty string, lists and maps as JSON, keys without
 * a namespace in the project's, project defaults for what the stack leaves out, and `secure:` values
 * listed as secrets (offline they become marked placeholders). The program's single parse
 * (config/index.ts) then decides about every value, as it does under the CLI.
 *
 * What the CLI itself refuses before the program runs is refused here too, one line each: YAML it
 * cannot read, keys it cannot parse, a list or map for a key Pulumi.yaml declares a string (CLI:
 * "must be of type 'string'"), a NaN or infinite number. Stricter than the CLI, because each of these
 * would be silently ignored or undefined there: a key given twice (also under two spellings, `owner` and
 * `archivematica-infra:owner`), a misspelt top-level key (`configg:`), an ESC `environment:` block the
 * offline plan cannot open, and a `Pulumi.<stack>.yml` (the CLI reads only `.yaml` beside `Pulumi.yaml`).
 */
import * as fs from "fs";
import * as path from "path";
import { isMap, isScalar } from "yaml";
import { levenshtein, RawConfig } from "../config";
import { readPolicyLimits } from "../config/policy-limits";
import { siblingStacks } from "../config/sibling-stacks";
import { CONFIG_KEYS, PROJECT } from "../config/schema";
import { showName, showValue } from "../lib/printable";
import { CliYamlError, GoDecoder, GoValue, keyText, parseYaml, programText, roundTrip, stringKey, toConfigValue } from "./cli-yaml";
import { decodeStackFileText } from "./stack-file-encoding";
import { StackFileError } from "./stack-file-error";
import { STACK_NAME, stackNameProblem } from "./stack-name";
import { readProcessingConfigs } from "../config/processing-configs";

/** The project root (where Pulumi.yaml lives). */
export const ROOT = path.resolve(__dirname, "..");

export { StackFileError };

/** Placeholder text for an encrypted value, per key where the key needs a particular shape. */
export function securePlaceholder(fullKey: string): string {
    if (fullKey === `${PROJECT}:searchUrl`) return "https://offline-plan:secure-placeholder@secure-placeholder.invalid:9200";
    return `[secure placeholder for ${fullKey}]`;
}

/** Stacks are the `Pulumi.<name>.yaml` files in the project root (the CLI reads the project file's extension). */
export function listStacks(root = ROOT): string[] {
    return fs
        .readdirSync(root)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => !!s && STACK_NAME.test(s))
        .sort();
}

/** One stack's configuration as the CLI would pass it to the program, plus what only the file shows. */
export interface StackConfig extends RawConfig {
    /** Problems of the file itself, as full error lines. */
    readerProblems: string[];
    /** Keys the CLI would refuse before the program runs, each with its error line. */
    refusedKeys: Record<string, string>;
    /** Per key, how the stack file's spelling reached the program when it changed (`0x3` → `"3"`). */
    notes: Record<string, string>;
    /** Lines the CLI prints as warnings (a key with a YAML null), or what reached the program changed. */
    warnings: string[];
}

/** Top-level keys of a Pulumi stack file (the CLI's ProjectStack, sdk/go/common/workspace/project.go). */
const STACK_FILE_KEYS = ["config", "environment", "secretsprovider", "encryptedkey", "encryptionsalt"];

/** Reads and parses one YAML file of the project; every problem is one StackFileError line. */
function readYamlFile(file: string, shown: string): { decoder: GoDecoder; top: unknown; doc: ReturnType<typeof parseYaml>["doc"] } {
    let bytes: Buffer;
    try {
        bytes = fs.readFileSync(file);
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new StackFileError(`${shown}: cannot be read (${code === "EISDIR" ? "a directory" : (code ?? "error")})`);
    }
    const text = decodeStackFileText(bytes, shown);
    const { doc, lineOf } = parseYaml(text);
    if (doc.errors.length) {
        const first = doc.errors[0].message.split("\n")[0];
        throw new StackFileError(`${shown}: is not valid YAML (${first})`);
    }
    return { decoder: new GoDecoder(doc, lineOf), top: doc.contents, doc };
}

function nearestTopLevel(key: string): string | undefined {
    return STACK_FILE_KEYS.find((k) => levenshtein(key.toLowerCase(), k) <= 2);
}

/** A decoded value that must be a map with string keys (yaml.v3 into `map[string]any`, as SimplifyMarshalledProject needs). */
function stringMap(v: GoValue, where: string): [string, GoValue][] {
    if (v.kind !== "map") throw new StackFileError(`${where}: must be a YAML map`);
    return v.entries.map(([k, x]) => {
        const s = stringKey(k);
        if (s === undefined) throw new StackFileError(`${where}: expected only string keys, got ${showName(keyText(k))}`);
        return [s, x];
    });
}

/** The first key anywhere in `v` that is not a string (SimplifyMarshalledValue refuses those in the whole file). */
function firstNonStringKey(v: GoValue): GoValue | undefined {
    if (v.kind === "seq") {
        for (const x of v.items) {
            const k = firstNonStringKey(x);
            if (k) return k;
        }
    } else if (v.kind === "map") {
        for (const [k, x] of v.entries) {
            if (k.kind !== "string") return k;
            const inner = firstNonStringKey(x);
            if (inner) return inner;
        }
    }
    return undefined;
}

/** Pulumi `config.ParseKey`: `<namespace>:<name>`, or the old `<namespace>:config:<name>`. */
export function parseConfigKey(key: string, project: string): string | undefined {
    if (!key.includes(":")) return `${project}:${key}`;
    const parts = key.split(":");
    if (parts.length === 2) return key;
    if (parts.length === 3 && parts[1] === "config" && parts[0] !== "" && parts[2] !== "") return `${parts[0]}:${parts[2]}`;
    return undefined;
}

/** A type Pulumi.yaml declares for a key (`type`, and `items.type` for an array). */
interface DeclaredType {
    type: string;
    items?: string;
}

/**
 * The CLI's check of a value against the type Pulumi.yaml declares (sdk/go/common/workspace/project.go
 * `ValidateConfigValue`, fed by pkg/workspace/config.go `validateStackConfigValue`): `content` is the
 * program's text, or the JSON it holds when the value is an object (a list or map in the stack file).
 */
export function cliAcceptsType(declared: DeclaredType, content: unknown): boolean {
    switch (declared.type) {
        case "string":
            return typeof content === "string";
        case "integer":
            if (typeof content === "number") return Number.isInteger(content);
            // strconv.Atoi: an optional sign and decimal digits, within int64.
            if (typeof content !== "string" || !/^[+-]?\d+$/.test(content)) return false;
            return BigInt(content) >= -(2n ** 63n) && BigInt(content) < 2n ** 63n;
        case "boolean":
            return content === true || content === false || content === "true" || content === "false";
        case "object":
            return typeof content === "object" && content !== null && !Array.isArray(content);
        case "array":
            return (
                Array.isArray(content) && declared.items !== undefined && content.every((x) => cliAcceptsType({ type: declared.items! }, x))
            );
        default:
            return false;
    }
}

const TYPE_WORDS: Record<string, string> = {
    string: "a string",
    integer: "an integer",
    boolean: "a boolean",
    array: "a list of strings",
    object: "a map",
};

/** The project's name and what its `config:` block declares (createConfigValue's text for each default). */
function readProject(root: string): { name: string; defaults: Record<string, GoValue>; types: Map<string, DeclaredType> } {
    const { decoder, top } = readYamlFile(path.join(root, "Pulumi.yaml"), "Pulumi.yaml");
    let project: [string, GoValue][];
    try {
        project = stringMap(decoder.decode(top), "Pulumi.yaml");
    } catch (e) {
        if (e instanceof CliYamlError) throw new StackFileError(`Pulumi.yaml: ${e.message}`);
        throw e;
    }
    const nameValue = project.find(([k]) => k === "name")?.[1];
    if (!nameValue || nameValue.kind !== "string") throw new StackFileError("Pulumi.yaml: has no project name");
    const name = nameValue.value;
    const defaults: Record<string, GoValue> = {};
    const types = new Map<string, DeclaredType>();
    const declared = project.find(([k]) => k === "config")?.[1];
    for (const [key, decl] of declared && declared.kind === "map" ? stringMap(declared, "Pulumi.yaml config") : []) {
        const full = key.includes(":") ? key : `${name}:${key}`;
        if (decl.kind !== "map") continue;
        const field = (f: string) => decl.entries.find(([k]) => stringKey(k) === f)?.[1];
        const def = field("default");
        if (def && def.kind !== "null") defaults[full] = def;
        const type = field("type");
        const items = field("items");
        const itemType = items?.kind === "map" ? items.entries.find(([k]) => stringKey(k) === "type")?.[1] : undefined;
        if (type?.kind === "string") types.set(full, { type: type.value, items: itemType?.kind === "string" ? itemType.value : undefined });
    }
    return { name, defaults, types };
}

const KIND_WORDS: Partial<Record<GoValue["kind"], string>> = {
    int: "a number",
    uint: "a number",
    float: "a number",
    bool: "a boolean",
    time: "a date",
};

/** How a stack file's value reached the program, when the text changed on the way (`0x3` → `"3"`, null → `""`). */
function changedSpelling(node: unknown, raw: GoValue, passed: string): string | undefined {
    if (raw.kind === "null") return 'a YAML null, which the Pulumi CLI passes as ""';
    const kind = KIND_WORDS[raw.kind];
    if (!kind || !isScalar(node) || node.type !== "PLAIN") return undefined;
    const source = String(node.source ?? node.value);
    if (source === passed) return undefined;
    return `the stack file's unquoted ${showValue(source).slice(1, -1)} is ${kind} to YAML and reaches the program as ${showValue(passed)}; quote it to keep it as written`;
}

/** Loads one stack's configuration as the CLI would pass it to the program. */
export function loadStackConfig(stack: string, root = ROOT): StackConfig {
    const nameProblem = stackNameProblem(stack);
    if (nameProblem) throw new StackFileError(nameProblem);
    const yml = path.join(root, `Pulumi.${stack}.yml`);
    const file = `Pulumi.${stack}.yaml`;
    if (fs.existsSync(yml))
        throw new StackFileError(
            `${showName(`Pulumi.${stack}.yml`)}: the Pulumi CLI reads ${showName(file)} beside Pulumi.yaml and would ignore this file; valid: rename it to ${showName(file)}${fs.existsSync(path.join(root, file)) ? " (merging it with the one there)" : ""}`,
        );
    const stacks = listStacks(root);
    if (!stacks.includes(stack)) {
        throw new StackFileError(`unknown stack ${showValue(stack)}; valid: ${stacks.join(", ") || "(no Pulumi.<stack>.yaml files)"}`);
    }
    const project = readProject(root);
    const { decoder, top, doc } = readYamlFile(path.join(root, file), file);

    // Project defaults first, stack values over them (the order PULUMI_CONFIG and the preview's config list them in).
    const values: Record<string, string> = {};
    for (const [full, def] of Object.entries(project.defaults)) values[full] = programText(def, () => "[secure]");
    const fromStack = new Set<string>();
    const secretKeys: string[] = [];
    const readerProblems: string[] = [];
    const refusedKeys: Record<string, string> = {};
    const notes: Record<string, string> = {};
    const warnings: string[] = [];
    const fail = (e: unknown, where = file): never => {
        if (e instanceof CliYamlError) throw new StackFileError(`${where}${e.line ? ` line ${e.line}` : ""}: ${e.message}`);
        throw e;
    };

    if (isMap(doc.contents)) decoder.lenientMap = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === "config")?.value;
    let topValue: GoValue;
    try {
        topValue = decoder.decode(top);
    } catch (e) {
        return fail(e);
    }
    if (topValue.kind !== "null") {
        const nonString = firstNonStringKey(topValue);
        if (nonString)
            throw new StackFileError(
                `${file} line ${decoder.keyLine(nonString)}: map key ${showName(keyText(nonString))} is not a string, which the Pulumi CLI refuses ("expected only string keys"); valid: quote it`,
            );
        const entries = stringMap(topValue, file);
        const unknown = entries.map(([k]) => k).filter((k) => !STACK_FILE_KEYS.includes(k));
        if (unknown.length)
            throw new StackFileError(
                unknown
                    .map((k) => {
                        const guess = nearestTopLevel(k);
                        return `${showName(k)}: unknown top-level key in ${file}${guess ? ` (did you mean ${guess}?)` : ""}; valid: ${STACK_FILE_KEYS.join(", ")}`;
                    })
                    .join("\n"),
            );
        const environment = entries.find(([k]) => k === "environment")?.[1];
        if (environment && environment.kind !== "null")
            throw new StackFileError(
                `${file}: environment: imports Pulumi ESC environments, which the offline plan cannot open (their values would be missing here and present under pulumi up); valid: no environment: block, with its values under config:`,
            );
        const config = entries.find(([k]) => k === "config")?.[1];
        if (config && config.kind !== "null") {
            if (config.kind !== "map") throw new StackFileError(`${file}: config: must be a map of key: value`);
            readConfig(config);
        }
    }

    function readConfig(config: GoValue & { kind: "map" }) {
        const configNode = decoder.lenientMap;
        // The YAML pair of each key written in the map (merged keys have none): for the spelling of its value.
        const pairs = isMap(configNode) ? configNode.items : [];
        const seen = new Map<string, { raw: string; line: number }[]>();
        config.entries.forEach(([k, raw]) => {
            const line = decoder.keyLine(k);
            const node = pairs.find((p) => decoder.line(p.key) === line && line > 0);
            const key = stringKey(k);
            if (key === undefined) {
                readerProblems.push(`${file} line ${line}: config key ${showName(keyText(k))} is not a string; valid: <namespace>:<key>`);
                return;
            }
            const full = parseConfigKey(key, project.name);
            if (full === undefined) {
                readerProblems.push(
                    `${showName(key)}: is not a configuration key the Pulumi CLI can parse (${file} line ${line}); valid: <namespace>:<key>`,
                );
                return;
            }
            const spellings = [...(seen.get(full) ?? []), { raw: key, line }];
            seen.set(full, spellings);
            if (spellings.length > 1) return;
            let value: GoValue;
            let passed: string;
            try {
                value = roundTrip(raw);
                const cv = toConfigValue(value);
                passed = programText(value, (inObject) => (inObject ? "[secure]" : securePlaceholder(full)));
                if (cv.secure) {
                    if (!cv.object) passed = securePlaceholder(full);
                    secretKeys.push(full);
                }
                const declared = project.types.get(full);
                // A secret's plain text cannot be checked offline; the CLI checks it decrypted.
                if (declared && (cv.object || !cv.secure) && !cliAcceptsType(declared, cv.object ? JSON.parse(passed) : passed)) {
                    const what =
                        value.kind === "seq"
                            ? "a list"
                            : value.kind === "map"
                              ? "a map"
                              : raw.kind === "null"
                                ? 'empty (a YAML null, which the CLI passes as "")'
                                : showValue(passed);
                    refusedKeys[full] =
                        `${showName(full)}: ${what} is not ${TYPE_WORDS[declared.type] ?? declared.type}, which the Pulumi CLI refuses before the program runs (Pulumi.yaml declares it ${declared.type}); valid: ${CONFIG_KEYS.find((k) => `${PROJECT}:${k.key}` === full)?.valid ?? TYPE_WORDS[declared.type] ?? declared.type}`;
                }
            } catch (e) {
                if (e instanceof CliYamlError) {
                    refusedKeys[full] =
                        `${showName(full)}: ${e.message} (${file} line ${line}), which the Pulumi CLI refuses; valid: a finite number`;
                    return;
                }
                throw e;
            }
            values[full] = passed;
            fromStack.add(full);
            if (raw.kind === "null")
                warnings.push(
                    `${showName(full)}: has no value in ${file} (YAML null); the Pulumi CLI passes it as "" (and warns) rather than using a default`,
                );
            const note = changedSpelling(node?.value, raw, passed);
            if (note) notes[full] = note;
        });
        for (const [full, spellings] of seen) {
            if (spellings.length < 2) continue;
            const distinct = new Set(spellings.map((s) => s.raw)).size > 1;
            refusedKeys[full] =
                `${showName(full)}: is set ${spellings.length} times in ${file} (lines ${spellings.map((s) => s.line).join(", ")}${distinct ? `, as ${spellings.map((s) => showName(s.raw)).join(" and ")}` : ""}); valid: one value per key`;
        }
    }

    // A refused key reaches no program: the CLI stops first.
    for (const full of Object.keys(refusedKeys)) delete values[full];
    for (const [full, note] of Object.entries(notes)) if (!note.startsWith("a YAML null")) warnings.push(`${showName(full)}: ${note}`);
    return {
        project: project.name,
        stack,
        values,
        secretKeys: secretKeys.sort(),
        readerProblems,
        refusedKeys,
        notes,
        warnings,
        policy: readPolicyLimits(stack, root),
        siblings: siblingStacks(stack, root),
        processingConfigs: readProcessingConfigs(root),
    };
}
