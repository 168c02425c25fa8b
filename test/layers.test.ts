/**
 * The layers (README "Layout"), on the resolved import graph that madge reads with the TypeScript
 * parser: no import cycle among the program's files, type-only imports included; components/ and
 * config/ never import tools/ or policy/; lib/ imports nothing of ours outside lib/; the policy pack
 * shares lib/ with the program and nothing else; and what `pulumi up` loads (index.ts and every file it
 * imports at run time, type-only imports left out as the compiler leaves them out) holds no file of
 * tools/ or policy/. ESLint's no-restricted-imports says the same as each file is written.
 */
import * as assert from "assert";
import * as path from "path";

const ROOT = path.join(__dirname, "..");

/** The part of madge's API used here (the package ships no types). */
interface MadgeResult {
    obj(): Record<string, string[]>;
    circular(): string[][];
    warnings(): { skipped: string[] };
}
type Madge = (paths: string[], config: Record<string, unknown>) => Promise<MadgeResult>;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- madge is CommonJS without type declarations
const madge = require("madge") as Madge;

/** The import graph from `entries` (paths relative to the repository root), file → the files it imports. */
async function importGraph(entries: string[], typeImports: boolean): Promise<MadgeResult> {
    return madge(entries, {
        baseDir: ROOT,
        fileExtensions: ["ts"],
        tsConfig: path.join(ROOT, "tsconfig.json"),
        detectiveOptions: { ts: { skipTypeImports: !typeImports } },
    });
}

/** Edges `from → to` where `from` is under one of `froms` and `to` under none of `allowed` (folders with a trailing slash, or files). */
function edges(graph: Record<string, string[]>, from: (file: string) => boolean, forbidden: (to: string) => boolean): string[] {
    return Object.entries(graph)
        .filter(([file]) => from(file))
        .flatMap(([file, deps]) => deps.filter(forbidden).map((dep) => `${file} -> ${dep}`))
        .sort();
}

const under =
    (...folders: string[]) =>
    (file: string) =>
        folders.some((f) => file === f || file.startsWith(f));

describe("layers: the import graph", function () {
    let program: Record<string, string[]>;
    let pack: Record<string, string[]>;
    let cycles: string[][];

    before(async () => {
        const all = await importGraph(["index.ts", "components", "config", "lib"], true);
        program = all.obj();
        cycles = all.circular();
        pack = (await importGraph(["policy"], true)).obj();
    });

    it("reads the program: index.ts, components/, config/ and lib/, each file resolved", () => {
        for (const file of ["index.ts", "components/archivematica-cluster.ts", "config/index.ts", "lib/tags.ts"])
            assert.ok(file in program, `${file} is in the graph`);
        assert.deepStrictEqual(program["config/policy-limits.ts"].sort(), ["config/rules.ts", "lib/policy-config.ts"]);
    });

    it("has no import cycle, type-only imports included", () => {
        assert.deepStrictEqual(
            cycles.map((c) => c.join(" -> ")),
            [],
        );
    });

    it("components/ and config/ import neither tools/ nor policy/", () => {
        assert.deepStrictEqual(edges(program, under("components/", "config/", "index.ts"), under("tools/", "policy/")), []);
    });

    it("lib/ imports nothing of ours outside lib/", () => {
        assert.deepStrictEqual(
            edges(program, under("lib/"), (to) => !to.startsWith("lib/")),
            [],
        );
    });

    it("the policy pack shares lib/ with the program, nothing else", () => {
        assert.ok("policy/index.ts" in pack);
        assert.deepStrictEqual(
            edges(pack, under("policy/"), (to) => !under("policy/", "lib/")(to)),
            [],
        );
    });

    it("pulumi up loads no file of tools/ or policy/: index.ts's run-time graph", async () => {
        const runtime = (await importGraph(["index.ts"], false)).obj();
        const loaded = Object.keys(runtime).sort();
        assert.ok(loaded.includes("config/policy-limits.ts") && loaded.includes("lib/policy-config.ts"), "the graph reaches config/");
        assert.deepStrictEqual(loaded.filter(under("tools/", "policy/")), []);
    });
});
