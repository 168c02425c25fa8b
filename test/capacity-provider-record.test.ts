/**
 * The capacity-provider record (lib/capacity-provider-record.ts, components/app/capacity-provider-record.ts):
 * its check both ways, and the mock runtime answering it from an earlier deployment's inputs.
 */
import { strict as assert } from "assert";
import { CapacityProviderRecord } from "../components/app/capacity-provider-record";
import { PROJECT } from "../config/schema";
import { checkCapacityProviderRecord } from "../lib/capacity-provider-record";
import { runProgram } from "../tools/mock-runtime";
import { rawValues } from "./harness";

async function record(previous?: Record<string, unknown>): Promise<Record<string, unknown>> {
    const run = await runProgram({
        project: PROJECT,
        stack: "test",
        config: rawValues(),
        secretKeys: [],
        previousInputs: previous ? { "gearmand-capacity": previous } : undefined,
        program: () => ({ changed: new CapacityProviderRecord("gearmand-capacity", "FARGATE_SPOT").changed }),
    });
    return run.outputs;
}

describe("capacity-provider record", () => {
    it("check: changed only when an earlier deployment recorded another capacity provider", () => {
        const news = { kind: "capacity-provider-record", capacityProvider: "FARGATE_SPOT" };
        assert.deepEqual(checkCapacityProviderRecord(undefined, news), {
            kind: "capacity-provider-record",
            capacityProvider: "FARGATE_SPOT",
            changed: false,
        });
        assert.deepEqual(checkCapacityProviderRecord({}, news).changed, false);
        assert.deepEqual(checkCapacityProviderRecord({ capacityProvider: "FARGATE_SPOT", changed: true }, news).changed, false);
        assert.deepEqual(checkCapacityProviderRecord({ capacityProvider: "FARGATE", changed: false }, news).changed, true);
    });

    it("the mock runtime answers the record as its check would, from the previous inputs given", async () => {
        assert.deepEqual(await record(), { changed: false });
        assert.deepEqual(await record({ capacityProvider: "FARGATE_SPOT" }), { changed: false });
        assert.deepEqual(await record({ capacityProvider: "FARGATE" }), { changed: true });
    });
});
