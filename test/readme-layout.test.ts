/**
 * The README's Layout block matches the tree: every path it names exists (nested by indentation),
 * every `.ts` file a description names exists beside its entry (or one folder up, as `gate/` names
 * `gate.ts`), and every top-level folder and file of components/, every folder and file of
 * components/app/, every file of lib/ and of the folders whose description lists their files
 * (platform/, data/, operations/) is named.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.join(__dirname, "..");

/** One line of the block that names a path: its folder (from the indentation), its name, its description. */
interface Entry {
    path: string;
    description: string;
}

/** The entries of the README's Layout block, with continuation lines joined to their description. */
function layoutEntries(): Entry[] {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("\n## Layout\n"));
    const block = section.slice(section.indexOf("```\n") + 4, section.indexOf("\n```", section.indexOf("```\n") + 4));
    const entries: Entry[] = [];
    const folders: string[] = [];
    for (const line of block.split("\n")) {
        const indent = line.length - line.trimStart().length;
        if (indent >= 20) {
            entries[entries.length - 1].description += ` ${line.trim()}`;
            continue;
        }
        const [name, ...rest] = line.trim().split(/\s{2,}/);
        const depth = indent / 2;
        folders.length = depth;
        const full = [...folders, name].join("");
        entries.push({ path: full, description: rest.join(" ") });
        if (name.endsWith("/")) folders[depth] = name;
    }
    return entries;
}

const entries = layoutEntries();
const named = new Set(entries.map((e) => e.path));

/** `.ts` files a description names, resolved beside the entry or one folder up. */
function describedFiles(e: Entry): string[] {
    const folder = e.path.endsWith("/") ? e.path : path.posix.dirname(e.path) + "/";
    return [...e.description.matchAll(/[\w.-]+\.ts\b/g)].map((m) => {
        const here = path.posix.join(folder, m[0]);
        const up = path.posix.join(path.posix.dirname(folder), m[0]);
        return fs.existsSync(path.join(ROOT, here)) || !fs.existsSync(path.join(ROOT, up)) ? here : up;
    });
}

/** The `.ts` files and the folders directly in `dir` (relative to the root, folders with a slash). */
function children(dir: string): string[] {
    return fs
        .readdirSync(path.join(ROOT, dir), { withFileTypes: true })
        .filter((d) => d.isDirectory() || d.name.endsWith(".ts"))
        .map((d) => `${dir}${d.name}${d.isDirectory() ? "/" : ""}`)
        .sort();
}

describe("README: the Layout block matches the tree", () => {
    it("reads the block: the top-level entries and the nested ones", () => {
        for (const p of ["index.ts", "components/", "components/app/catalogue/", "components/app/task/", "tools/gate/", ".ci/run"])
            assert.ok(named.has(p), p);
    });

    it("every path it names exists", () => {
        assert.deepStrictEqual(
            entries.map((e) => e.path).filter((p) => !fs.existsSync(path.join(ROOT, p))),
            [],
        );
    });

    it("every .ts file a description names exists", () => {
        assert.deepStrictEqual(
            entries.flatMap(describedFiles).filter((f) => !fs.existsSync(path.join(ROOT, f))),
            [],
        );
    });

    it("names every folder and file of components/ and components/app/, and every file of lib/, platform/, data/, operations/", () => {
        const described = new Set(entries.flatMap(describedFiles));
        const missing = [
            ...children("components/").filter((c) => !named.has(c)),
            ...children("components/app/").filter((c) => !named.has(c)),
            ...["lib/", "components/platform/", "components/data/", "components/operations/"].flatMap((dir) =>
                children(dir).filter((c) => !described.has(c)),
            ),
        ];
        assert.deepStrictEqual(missing, []);
    });
});
