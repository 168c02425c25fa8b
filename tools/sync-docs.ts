/**
 * Keeps `Pulumi.yaml`'s `config:` block and the README's config table in step with the one table of
 * keys in config/schema.ts. `npm run sync-docs` rewrites them; the tests fail when they drift.
 */
import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import { CONFIG_KEYS, KeySpec, PROJECT } from "../config/schema";
import { ROOT } from "./stack-files";

/** The whole Pulumi.yaml, generated. */
export function pulumiYaml(): string {
    const config: Record<string, Record<string, unknown>> = {};
    for (const spec of CONFIG_KEYS) {
        // A key Pulumi.yaml declares without a default is one every stack must set (pkg/workspace/config.go
        // mergeConfig: "Stack '<stack>' is missing configuration value"), and a secret one cannot have a
        // default (the CLI wants every value of it encrypted, the default too). So an optional secret key
        // is left out: the program declares and checks it (config/schema.ts).
        if (spec.secret && spec.default !== undefined) continue;
        const decl: Record<string, unknown> = { type: spec.type, description: spec.description };
        if (spec.type === "array") decl.items = { type: "string" };
        if (spec.secret) decl.secret = true;
        if (spec.default !== undefined) decl.default = spec.default;
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

/** Files that differ from what the schema generates. */
export function drift(root = ROOT): string[] {
    const out: string[] = [];
    if (fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8") !== pulumiYaml()) out.push("Pulumi.yaml");
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
    if (readme !== readmeWithTable(readme)) out.push("README.md");
    return out;
}

if (require.main === module) {
    if (process.argv.includes("--check")) {
        const stale = drift();
        if (stale.length) {
            console.error(`out of date with config/schema.ts: ${stale.join(", ")}; run: npm run sync-docs`);
            process.exit(1);
        }
    } else {
        fs.writeFileSync(path.join(ROOT, "Pulumi.yaml"), pulumiYaml());
        const readmePath = path.join(ROOT, "README.md");
        fs.writeFileSync(readmePath, readmeWithTable(fs.readFileSync(readmePath, "utf8")));
        console.log("wrote Pulumi.yaml and the README config table");
    }
}
