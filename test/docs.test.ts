import * as assert from "assert";
import { drift } from "../tools/sync-docs";

describe("docs generated from the config schema", () => {
    it("Pulumi.yaml's config block and the README's config table match config/schema.ts", () => {
        assert.deepStrictEqual(drift(), []);
    });
});
