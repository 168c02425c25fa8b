/**
 * Issue 20, class 8: what the README promises a new user holds. "Two commands" names its prerequisite
 * as package.json's engines do; examples that print JSON to stdout through npm use `npm run -s` (npm's
 * banner would make the file invalid JSON); the cost table and the cost tool agree about ACM
 * certificates.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { estimate } from "../tools/cost/pricing";
import { stackPlan } from "./harness";

const ROOT = path.join(__dirname, "..");
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

/** The text of a `## ` section. */
function section(title: string): string {
    const start = README.indexOf(`## ${title}\n`);
    assert.ok(start >= 0, title);
    const end = README.indexOf("\n## ", start + 3);
    return README.slice(start, end < 0 ? undefined : end);
}

describe("README truths", () => {
    it('"Two commands" names its prerequisite, the engines package.json declares, and what happens on Node 20', () => {
        const engines = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).engines.node;
        assert.strictEqual(engines, "^22.13.0 || >=24");
        const two = section("Two commands");
        assert.ok(two.includes("Prerequisite: Node.js 22.13 or later (22.x from 22.13, or 24 and later)"), two);
        assert.ok(two.includes("On Node 20") && two.includes("EBADENGINE"), two);
    });

    it("every npm command that prints JSON to stdout runs npm silently (-s), in the README, the docs and CI", () => {
        const files = [
            "README.md",
            "policy/README.md",
            ...fs.readdirSync(path.join(ROOT, "docs")).map((f) => `docs/${f}`),
            ...fs.readdirSync(path.join(ROOT, ".github/workflows")).map((f) => `.github/workflows/${f}`),
        ];
        const loud: string[] = [];
        for (const file of files) {
            fs.readFileSync(path.join(ROOT, file), "utf8")
                .split("\n")
                .forEach((line, i) => {
                    for (const m of line.matchAll(/npm run (\S+)[^`|;&\n]*?--json(?:=|\s+)?(\S*)/g)) {
                        const [, script, next] = m;
                        const toFile = next !== "" && !next.startsWith("-") && next !== ">" && !next.startsWith("]");
                        if (!toFile && script !== "-s" && script !== "--silent") loud.push(`${file}:${i + 1}: ${line.trim()}`);
                    }
                });
        }
        assert.deepStrictEqual(loud, []);
    });

    it("the cost table and the cost tool agree about ACM certificates: free", async function () {
        this.timeout(120000);
        const { run } = await stackPlan("prod");
        const est = estimate(run.resources, "eu-west-2");
        const acm = est.lines.filter((l) => l.type.startsWith("aws:acm/"));
        assert.ok(acm.length >= 1);
        for (const l of acm) assert.strictEqual(l.monthly, 0, `${l.type}: ${l.basis}`);
        assert.ok(
            section("Cost").replace(/\s+/g, " ").includes("ACM public certificates are free: priced at $0"),
            "the Cost section says ACM is free",
        );
        assert.ok(!/not priced[^|]*ACM/.test(section("Cost")), "ACM is listed among what is not priced");
    });
});
