import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { sharedInRun } from "./support/run-share";

describe("test support: one computation per npm test run (run-share)", () => {
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "am-share-test-"))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("the first caller computes; a caller meanwhile reads its result (values as structuredClone keeps them)", async () => {
        let computed = 0;
        const compute = async () => {
            computed++;
            await new Promise((r) => setTimeout(r, 60));
            return { plan: ["a", "b"], none: undefined, at: new Map([["k", 1]]) };
        };
        const [first, second] = await Promise.all([sharedInRun("plan-x", compute, dir), sharedInRun("plan-x", compute, dir)]);
        assert.strictEqual(computed, 1);
        assert.deepStrictEqual(second, first);
        assert.notStrictEqual(second, first);
        assert.ok("none" in second);
        assert.deepStrictEqual(fs.readdirSync(dir).sort(), ["plan-x.v8", "plan-x.v8.lock"]);
    });

    it("a failure reaches the waiting caller with the first one's message", async () => {
        const failing = sharedInRun("gate-x", () => Promise.reject(new Error("pack did not start")), dir);
        const waiting = sharedInRun("gate-x", () => Promise.resolve("never"), dir);
        await assert.rejects(failing, { message: "pack did not start" });
        await assert.rejects(waiting, { message: "gate-x: failed in another test process: pack did not start" });
    });

    it("without a run directory each caller computes for itself", async () => {
        let computed = 0;
        const compute = async () => ++computed;
        assert.deepStrictEqual(await Promise.all([sharedInRun("k", compute, ""), sharedInRun("k", compute, "")]), [1, 2]);
    });
});
