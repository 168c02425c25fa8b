import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { formatVerdicts } from "../tools/gate";
import { renderPlan } from "../tools/plan";
import { PACK_TEST_TIMEOUT, stackGate } from "./harness";

const README = fs.readFileSync(path.join(__dirname, "../README.md"), "utf8");

describe("README", () => {
    it("names the two set-up commands", () => {
        assert.ok(README.includes("npm ci && npm run plan -- staging"));
        assert.ok(README.includes("\nnpm test "));
    });

    it("the plan excerpt is real: every line of it is in today's offline plan of staging", async function () {
        this.timeout(PACK_TEST_TIMEOUT);
        const block = /<!-- plan-excerpt:start -->\n```text\n([\s\S]*?)\n```\n<!-- plan-excerpt:end -->/.exec(README);
        assert.ok(block, "README has a plan excerpt");
        const { result, gate } = await stackGate("staging");
        const output = `${renderPlan(result)}\n\n${formatVerdicts(gate)}`.split("\n");
        const lines = block[1].split("\n").filter((l) => l.trim() !== "…");
        assert.ok(lines.length >= 20);
        for (const line of lines) assert.ok(output.includes(line), `not in the plan: ${line}`);
    });

    it("links the operations guide and the policy rules table, which exist", () => {
        for (const link of ["docs/operations.md", "policy/README.md"]) {
            assert.ok(README.includes(`](${link})`), link);
            assert.ok(fs.existsSync(path.join(__dirname, "..", link)), link);
        }
    });
});
