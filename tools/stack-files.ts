/**
 * Reads `Pulumi.yaml` and `Pulumi.<stack>.yaml` the way the Pulumi CLI hands config to a program:
 * project defaults first, stack values over them, every value a string (numbers and booleans
 * stringified, lists as JSON), and `secure:` values listed as secrets. Offline we cannot decrypt
 * `secure:` values, so each becomes a clearly marked placeholder.
 *
 * Stricter than a plain YAML load, because the program only ever sees strings: the YAML type of each
 * value is kept (`yamlKinds`) so that a list or a number where a string belongs is refused instead of
 * stringified; a YAML null is no value (the key's default applies); a key given twice is named; a
 * misspelt top-level key (`configg:`) is named instead of leaving every key unset.
 */
import * as fs from "fs";
import * as path from "path";
import { isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument, YAMLMap } from "yaml";
import { levenshtein, RawConfig, YamlKind } from "../config";
import { readPolicyLimits } from "../config/policy-limits";
import { readProcessingConfigs } from "../config/processing-configs";
import { PROJECT } from "../config/schema";

/** The project root (where Pulumi.yaml lives). */
export const ROOT = path.resolve(__dirname, "..");

/** A stack file could not be used: one line per problem. */
export class StackFileError extends Error {}

/** Placeholder text for an encrypted value, per key where the key needs a particular shape. */
export function securePlaceholder(fullKey: string): string {
    if (fullKey === `${PROJECT}:searchUrl`) return "https://offline-plan:secure-placeholder@secure-placeholder.invalid:9200";
    return `[secure placeholder for ${fullKey}]`;
}

/** Stacks are the `Pulumi.<name>.yaml` files in the project root. */
export function listStacks(root = ROOT): string[] {
    return fs
        .readdirSync(root)
        .map((f) => /^Pulumi\.([A-Za-z0-9_.-]+)\.ya?ml$/.exec(f)?.[1])
        .filter((s): s is string => !!s)
        .sort();
}

/** One stack's configuration as the CLI would pass it to the program, plus what only the file shows. */
export interface StackConfig extends RawConfig {
    /** The YAML type of each key the stack file sets. */
    yamlKinds: Record<string, YamlKind>;
    /** Problems of the file itself (a key given twice, a key without namespace), as full error lines. */
    readerProblems: string[];
}

/** Top-level keys of a Pulumi stack file (the CLI's ProjectStack: config, ESC environment, secrets). */
const STACK_FILE_KEYS = ["config", "environment", "secretsprovider", "encryptedkey", "encryptionsalt"];

function readDocument(file: string) {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        throw new StackFileError(`${path.basename(file)}: cannot be read`);
    }
    const lineCounter = new LineCounter();
    // Duplicate keys are found below, to name them; the parser's own error names only the line.
    const doc = parseDocument(text, { uniqueKeys: false, lineCounter, prettyErrors: false });
    if (doc.errors.length) {
        const first = doc.errors[0].message.split("\n")[0];
        throw new StackFileError(`${path.basename(file)}: is not valid YAML (${first})`);
    }
    return { doc, line: (offset: number | undefined) => (offset === undefined ? 0 : lineCounter.linePos(offset).line) };
}

function keyText(node: unknown): string | undefined {
    return isScalar(node) && (typeof node.value === "string" || typeof node.value === "number") ? String(node.value) : undefined;
}

function kindOf(node: unknown): YamlKind {
    if (isSeq(node)) return "list";
    if (isMap(node)) return "map";
    if (node === null || node === undefined) return "null";
    const value: unknown = isScalar(node) ? node.value : node;
    if (value === null || value === undefined) return "null";
    if (typeof value === "number" || typeof value === "bigint") return "number";
    if (typeof value === "boolean") return "boolean";
    return "string";
}

/** The string the CLI would hand the program for a value. */
function toRaw(value: unknown): string {
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
    return JSON.stringify(value);
}

function isSecure(node: unknown): boolean {
    return isMap(node) && node.items.length === 1 && keyText(node.items[0].key) === "secure" && isScalar(node.items[0].value);
}

function nearestTopLevel(key: string): string | undefined {
    return STACK_FILE_KEYS.find((k) => levenshtein(key.toLowerCase(), k) <= 2);
}

/** The project's name and the defaults its `config:` block declares (fully qualified keys). */
function projectDefaults(root: string): { name: string; values: Record<string, string> } {
    const { doc } = readDocument(path.join(root, "Pulumi.yaml"));
    const project: unknown = doc.toJS();
    if (!project || typeof project !== "object" || !("name" in project) || typeof project.name !== "string")
        throw new StackFileError("Pulumi.yaml: has no project name");
    const name = project.name;
    const values: Record<string, string> = {};
    const declared = "config" in project && project.config && typeof project.config === "object" ? project.config : {};
    for (const [key, decl] of Object.entries(declared)) {
        const full = key.includes(":") ? key : `${name}:${key}`;
        if (decl && typeof decl === "object" && "default" in decl && decl.default !== undefined) values[full] = toRaw(decl.default);
    }
    return { name, values };
}

/** The stack file's `config:` map, after checking the file's top level. */
function configMap(doc: ReturnType<typeof readDocument>["doc"], file: string): YAMLMap | undefined {
    const top = doc.contents;
    if (top === null || (isScalar(top) && top.value === null)) return undefined;
    if (!isMap(top)) throw new StackFileError(`${file}: must be a YAML map with a config: key`);
    const unknown = top.items.map((p) => keyText(p.key) ?? "?").filter((k) => !STACK_FILE_KEYS.includes(k));
    if (unknown.length)
        throw new StackFileError(
            unknown
                .map((k) => {
                    const guess = nearestTopLevel(k);
                    return `${k}: unknown top-level key in ${file}${guess ? ` (did you mean ${guess}?)` : ""}; valid: ${STACK_FILE_KEYS.join(", ")}`;
                })
                .join("\n"),
        );
    const config = top.items.find((p) => keyText(p.key) === "config")?.value;
    if (config === null || config === undefined || (isScalar(config) && config.value === null)) return undefined;
    if (!isMap(config)) throw new StackFileError(`${file}: config: must be a map of key: value`);
    return config;
}

/** Loads one stack's configuration as the CLI would pass it to the program. */
export function loadStackConfig(stack: string, root = ROOT): StackConfig {
    const stacks = listStacks(root);
    if (!stacks.includes(stack)) {
        throw new StackFileError(`unknown stack "${stack}"; valid: ${stacks.join(", ") || "(no Pulumi.<stack>.yaml files)"}`);
    }
    const { name, values } = projectDefaults(root);
    const file = `Pulumi.${stack}.yaml`;
    const { doc, line } = readDocument(path.join(root, file));
    const config = configMap(doc, file);

    const secretKeys: string[] = [];
    const yamlKinds: Record<string, YamlKind> = {};
    const readerProblems: string[] = [];
    const seen = new Map<string, number[]>();
    for (const pair of config?.items ?? []) {
        if (!isPair(pair)) continue;
        const key = keyText(pair.key);
        const at = line(isScalar(pair.key) ? pair.key.range?.[0] : undefined);
        if (key === undefined) {
            readerProblems.push(`${file} line ${at}: a config key must be a string; valid: <namespace>:<key>`);
            continue;
        }
        seen.set(key, [...(seen.get(key) ?? []), at]);
        if (seen.get(key)!.length > 1) continue;
        if (!key.includes(":")) {
            readerProblems.push(`${key}: config key has no namespace in ${file}; valid: ${name}:${key} or <provider>:${key}`);
            continue;
        }
        const node = pair.value;
        if (isSecure(node)) {
            values[key] = securePlaceholder(key);
            secretKeys.push(key);
            yamlKinds[key] = "string";
            continue;
        }
        yamlKinds[key] = kindOf(node);
        // Null is no value: the project default (if any) stays, as if the key were not in the file.
        if (yamlKinds[key] !== "null") values[key] = toRaw(isNode(node) ? node.toJS(doc) : node);
    }
    for (const [key, lines] of seen) {
        if (lines.length > 1)
            readerProblems.push(`${key}: is set ${lines.length} times in ${file} (lines ${lines.join(", ")}); valid: one value per key`);
    }
    return {
        project: name,
        stack,
        values,
        secretKeys: secretKeys.sort(),
        yamlKinds,
        readerProblems,
        policy: readPolicyLimits(stack, root),
        processingConfigs: readProcessingConfigs(root),
    };
}
