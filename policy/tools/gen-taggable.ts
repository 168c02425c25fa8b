/**
 * Generates `policy/data/taggable-types.json`: the type tokens of every @pulumi/aws resource whose
 * `<Class>Args` interface declares a `tags` input. The tagging rule reads this file instead of a
 * hand-picked list, and `test/policy/taggable-data.test.ts` regenerates it to keep it in step with the
 * installed @pulumi/aws.
 *
 * Usage (from the repository root): `npx ts-node --transpile-only policy/tools/gen-taggable.ts`
 */
import * as fs from "fs";
import * as path from "path";

/** The committed data file's shape. */
export interface TaggableData {
    /** The package the list was derived from. */
    source: string;
    /** Its version, so a stale file is obvious in review. */
    version: string;
    /** Sorted, de-duplicated resource type tokens, e.g. `aws:ec2/vpc:Vpc`. */
    types: string[];
}

/** Where the generator writes, relative to this file. */
export const TAGGABLE_DATA_PATH = path.join(__dirname, "..", "data", "taggable-types.json");

/** Locates the installed @pulumi/aws package directory. */
export function awsPackageDir(): string {
    return path.dirname(require.resolve("@pulumi/aws/package.json"));
}

function* declarationFiles(dir: string): Generator<string> {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            // `types/` holds input/output shapes, not resources; node_modules is someone else's code.
            if (entry.name === "node_modules" || entry.name === "types") continue;
            yield* declarationFiles(full);
        } else if (entry.name.endsWith(".d.ts")) {
            yield full;
        }
    }
}

/**
 * Returns true when `interfaceName` in `source` declares a top-level `tags?:` member. Members of the
 * generated Args interfaces sit at four spaces, so nested object literals (deeper indentation) never match.
 */
function declaresTags(source: string, interfaceName: string): boolean {
    const start = source.indexOf(`export interface ${interfaceName} {`);
    if (start < 0) return false;
    const end = source.indexOf("\n}", start);
    const body = source.slice(start, end < 0 ? undefined : end);
    return /\n {4}tags\??:/.test(body);
}

/**
 * Scans `awsDir` (an installed @pulumi/aws) and returns the sorted type tokens of taggable resources:
 * custom resource classes whose `...Args` interface has `tags`. The token comes from the sibling `.js`
 * file's `static __pulumiType`, the same value the engine sends as the resource type.
 */
export function collectTaggableTypes(awsDir: string): string[] {
    const tokens = new Set<string>();
    for (const dts of declarationFiles(awsDir)) {
        const source = fs.readFileSync(dts, "utf8");
        const classMatch = /export declare class (\w+) extends pulumi\.CustomResource\b/.exec(source);
        if (!classMatch) continue;
        const className = classMatch[1];
        if (!declaresTags(source, `${className}Args`)) continue;
        const js = dts.replace(/\.d\.ts$/, ".js");
        if (!fs.existsSync(js)) throw new Error(`${path.relative(awsDir, dts)}: no compiled ${path.basename(js)} beside it`);
        const tokenMatches = [...fs.readFileSync(js, "utf8").matchAll(/static __pulumiType = '([^']+)'/g)];
        if (tokenMatches.length !== 1) {
            throw new Error(`${path.relative(awsDir, js)}: expected one __pulumiType, found ${tokenMatches.length}`);
        }
        tokens.add(tokenMatches[0][1]);
    }
    return [...tokens].sort();
}

/** Builds the data document for the installed @pulumi/aws. */
export function buildTaggableData(awsDir: string = awsPackageDir()): TaggableData {
    const pkg = JSON.parse(fs.readFileSync(path.join(awsDir, "package.json"), "utf8")) as { version: string };
    return { source: "@pulumi/aws", version: pkg.version.replace(/^v/, ""), types: collectTaggableTypes(awsDir) };
}

/** Serialises the data exactly as it is committed (two-space JSON, trailing newline). */
export function renderTaggableData(data: TaggableData): string {
    return `${JSON.stringify(data, null, 2)}\n`;
}

if (require.main === module) {
    const data = buildTaggableData();
    fs.writeFileSync(TAGGABLE_DATA_PATH, renderTaggableData(data));
    console.log(
        `wrote ${data.types.length} taggable types from @pulumi/aws ${data.version} to ${path.relative(process.cwd(), TAGGABLE_DATA_PATH)}`,
    );
}
