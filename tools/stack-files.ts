/**
 * Reads `Pulumi.yaml` and `Pulumi.<stack>.yaml` the way the Pulumi CLI hands config to a program:
 * project defaults first, stack values over them, every value a string (numbers and booleans
 * stringified, lists and maps as JSON), and `secure:` values listed as secrets. Offline we cannot
 * decrypt `secure:` values, so each becomes a clearly marked placeholder.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { CONFIG_KEYS, PROJECT } from "../config/schema";

/** The project root (where Pulumi.yaml lives). */
export const ROOT = path.resolve(__dirname, "..");

/** A stack file could not be used; the message is one line. */
export class StackFileError extends Error {}

/** Placeholder text for an encrypted value, per key where the key needs a particular shape. */
export function securePlaceholder(fullKey: string): string {
    const key = fullKey.startsWith(`${PROJECT}:`) ? fullKey.slice(PROJECT.length + 1) : fullKey;
    const spec = CONFIG_KEYS.find((s) => s.key === key);
    if (spec?.key === "searchUrl") return "https://offline-plan:secure-placeholder@secure-placeholder.invalid:9200";
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

export interface StackConfig {
    project: string;
    stack: string;
    /** Fully qualified keys to raw string values. */
    values: Record<string, string>;
    /** Fully qualified keys whose values were `secure:` in the stack file. */
    secretKeys: string[];
}

function readYaml(file: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        throw new StackFileError(`${path.basename(file)}: cannot be read`);
    }
    try {
        return parse(text);
    } catch (e) {
        const first = String((e as Error).message).split("\n")[0];
        throw new StackFileError(`${path.basename(file)}: is not valid YAML (${first})`);
    }
}

function toRaw(value: unknown): string {
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    return JSON.stringify(value);
}

function isObject(v: unknown): v is Record<string, unknown> {
    return !!v && typeof v === "object" && !Array.isArray(v);
}

/** Loads one stack's configuration as the CLI would pass it to the program. */
export function loadStackConfig(stack: string, root = ROOT): StackConfig {
    const stacks = listStacks(root);
    if (!stacks.includes(stack)) {
        throw new StackFileError(`unknown stack "${stack}"; valid: ${stacks.join(", ") || "(no Pulumi.<stack>.yaml files)"}`);
    }
    const project = readYaml(path.join(root, "Pulumi.yaml"));
    if (!isObject(project) || typeof project.name !== "string") throw new StackFileError("Pulumi.yaml: has no project name");
    const name = project.name;
    const values: Record<string, string> = {};
    const secretKeys: string[] = [];

    const declared = isObject(project.config) ? project.config : {};
    for (const [key, decl] of Object.entries(declared)) {
        const full = key.includes(":") ? key : `${name}:${key}`;
        if (isObject(decl) && decl.default !== undefined) values[full] = toRaw(decl.default);
    }

    const file = `Pulumi.${stack}.yaml`;
    const doc = readYaml(path.join(root, file));
    if (doc !== null && doc !== undefined && !isObject(doc)) throw new StackFileError(`${file}: must be a YAML map with a config: key`);
    const config = isObject(doc) ? doc.config : undefined;
    if (config !== undefined && config !== null && !isObject(config))
        throw new StackFileError(`${file}: config: must be a map of key: value`);
    for (const [key, value] of Object.entries(config ?? {})) {
        if (!key.includes(":"))
            throw new StackFileError(`${file}: config key "${key}" has no namespace; valid: ${name}:${key} or <provider>:${key}`);
        if (isObject(value) && Object.keys(value).length === 1 && typeof value.secure === "string") {
            values[key] = securePlaceholder(key);
            secretKeys.push(key);
        } else {
            values[key] = toRaw(value);
        }
    }
    return { project: name, stack, values, secretKeys: secretKeys.sort() };
}
