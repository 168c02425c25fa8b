/**
 * A mocha root hook (.mocharc.json requires this file): after every test has run, the worktree holds no
 * file the tests wrote — Python's bytecode caches above all, which a test spawning python3 leaves beside
 * the scripts unless it sets PYTHONDONTWRITEBYTECODE (or a cache prefix outside the tree).
 */
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");
const SKIP = new Set(["node_modules", ".git"]);

/** `__pycache__` directories and `.pyc` files under `dir`, relative to the root. */
export function pythonCaches(dir = ROOT): string[] {
    const found: string[] = [];
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (SKIP.has(entry.name)) continue;
        const full = path.join(dir, entry.name);
        if (entry.name === "__pycache__" || entry.name.endsWith(".pyc")) found.push(path.relative(ROOT, full));
        else if (entry.isDirectory()) found.push(...pythonCaches(full));
    }
    return found;
}

export const mochaHooks = {
    afterAll(): void {
        const caches = pythonCaches();
        if (caches.length)
            throw new Error(
                `npm test left Python caches in the tree: ${caches.join(", ")}; set PYTHONDONTWRITEBYTECODE=1 where the test runs python3`,
            );
    },
};
