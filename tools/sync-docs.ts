/**
 * Keeps what is generated in step with its one source: `Pulumi.yaml`'s `config:` block and the README's
 * config table with the keys of config/schema.ts; the policy pack's component list
 * (`policy/data/components.json`, the one-per-component rule's defaults) and the `components` of every
 * policy config (`policy/config/*.json`) with the catalogue's registry. `npm run sync-docs` rewrites
 * them; the tests fail when they drift. (The pack runs in its own process and imports nothing of the
 * program but lib/, so the catalogue reaches it as data.)
 */
import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import { COMPONENTS } from "../components/app/catalogue";
import { CONFIG_KEYS, KeySpec, PROJECT } from "../config/schema";
import { ROOT } from "./stack-files";

/** The whole Pulumi.yaml, generated. */
export function pulumiYaml(): string {
    const config: Record<string, Record<string, unknown>> = {};
    for (const spec of CONFIG_KEYS) {
        const decl: Record<string, unknown> = { type: spec.type, description: spec.description };
        if (spec.type === "array") decl.items = { type: "string" };
        if (spec.secret) decl.secret = true;
        // The CLI refuses defaults on secret keys; the program supplies the empty default itself.
        if (spec.default !== undefined && !spec.secret) decl.default = spec.default;
        config[spec.key] = decl;
    }
    const head = [
        "# Generated from config/schema.ts by `npm run sync-docs`; edit the schema, not this block.",
        "# Stack files (Pulumi.<stack>.yaml) hold values only.",
    ].join("\n");
    const body = stringify(
        {
            name: PROJECT,
            description: "Archivematica on AWS ECS Fargate, with RDS, EFS, an ALB and a policy pack",
            runtime: { name: "nodejs", options: { typescript: true, packagemanager: "npm" } },
            config,
        },
        { lineWidth: 0 },
    );
    return `${head}\n${body}`;
}

/** The README's "valid" cell: enumerated values as code, everything else as the schema words it. */
function valid(spec: KeySpec): string {
    if (spec.type === "boolean") return "`true`, `false`";
    const enumerated = spec.type === "string" && !spec.secret && /^[\w.]+(, [\w.]+)+$/.test(spec.valid);
    if (enumerated)
        return spec.valid
            .split(", ")
            .map((v) => `\`${v}\``)
            .join(", ");
    if (spec.type === "integer") return spec.valid.replace(/^(\d+) to (\d+)$/, "$1 – $2");
    return spec.valid;
}

function shownDefault(spec: KeySpec): string {
    if (spec.default === undefined) return "**required**";
    if (Array.isArray(spec.default)) return spec.default.length ? `\`${JSON.stringify(spec.default)}\`` : "`[]`";
    if (spec.default === "") return "(empty)";
    return `\`${String(spec.default)}\``;
}

/** The README's config table, generated. */
export function configTable(): string {
    const rows = CONFIG_KEYS.map(
        (s) =>
            `| \`${s.key}\`${s.secret ? " (secret)" : ""} | ${s.type} | ${shownDefault(s)} | ${valid(s).replace(/\|/g, "\\|")} | ${s.description.replace(/\|/g, "\\|")} |`,
    );
    return ["| key | type | default | valid | what it does |", "|---|---|---|---|---|", ...rows].join("\n");
}

const START = "<!-- config-table:start -->";
const END = "<!-- config-table:end -->";

export function readmeWithTable(readme: string): string {
    const a = readme.indexOf(START);
    const b = readme.indexOf(END);
    if (a < 0 || b < a) throw new Error(`README.md has no ${START} … ${END} section`);
    return `${readme.slice(0, a + START.length)}\n${configTable()}\n${readme.slice(b)}`;
}

/** `policy/data/components.json`: the catalogue's components, in deploy order, for the policy pack. */
export function componentsData(): string {
    return `${JSON.stringify({ source: "components/app/catalogue/registry.ts", components: COMPONENTS }, null, 2)}\n`;
}

/** The rule whose `components` every policy config lists. */
const ONE_PER_COMPONENT = "aws-ecs-service-require-one-per-component";

/**
 * A policy config's text with its one-per-component `components` set to the catalogue's, on the line
 * where it stands (the file keeps its formatting and every other setting); the text as it is when the
 * file sets no list.
 */
export function policyConfigWithComponents(text: string, file: string): string {
    const current = (JSON.parse(text) as Record<string, { components?: unknown }>)[ONE_PER_COMPONENT]?.components;
    if (current === undefined) return text;
    const inline = (xs: readonly unknown[]) => `[${xs.map((x) => JSON.stringify(x)).join(", ")}]`;
    const line = `"components": ${inline(current as unknown[])}`;
    if (!Array.isArray(current) || text.split(line).length !== 2)
        throw new Error(`${file}: ${ONE_PER_COMPONENT}.components is not one inline list; valid: "components": ${inline(COMPONENTS)}`);
    return text.replace(line, `"components": ${inline(COMPONENTS)}`);
}

/** The policy configs, `policy/config/<stack>.json`. */
function policyConfigFiles(root: string): string[] {
    const dir = path.join(root, "policy", "config");
    return fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".json"))
        .sort()
        .map((f) => path.join(dir, f));
}

/** Files that differ from what the schema and the catalogue generate. */
export function drift(root = ROOT): string[] {
    const out: string[] = [];
    if (fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8") !== pulumiYaml()) out.push("Pulumi.yaml");
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
    if (readme !== readmeWithTable(readme)) out.push("README.md");
    const data = path.join(root, "policy", "data", "components.json");
    if (!fs.existsSync(data) || fs.readFileSync(data, "utf8") !== componentsData()) out.push("policy/data/components.json");
    for (const file of policyConfigFiles(root)) {
        const text = fs.readFileSync(file, "utf8");
        if (text !== policyConfigWithComponents(text, file)) out.push(path.relative(root, file));
    }
    return out;
}

if (require.main === module) {
    if (process.argv.includes("--check")) {
        const stale = drift();
        if (stale.length) {
            console.error(`out of date with config/schema.ts or the catalogue: ${stale.join(", ")}; run: npm run sync-docs`);
            process.exit(1);
        }
    } else {
        fs.writeFileSync(path.join(ROOT, "Pulumi.yaml"), pulumiYaml());
        const readmePath = path.join(ROOT, "README.md");
        fs.writeFileSync(readmePath, readmeWithTable(fs.readFileSync(readmePath, "utf8")));
        fs.writeFileSync(path.join(ROOT, "policy", "data", "components.json"), componentsData());
        for (const file of policyConfigFiles(ROOT)) fs.writeFileSync(file, policyConfigWithComponents(fs.readFileSync(file, "utf8"), file));
        console.log("wrote Pulumi.yaml, the README config table, policy/data/components.json and the policy configs' components");
    }
}
