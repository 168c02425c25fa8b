/** tools/gate/rpc.ts: which rule a pack error names, on one line. */
import { strict as assert } from "assert";
import * as grpc from "@grpc/grpc-js";
import { isUnimplemented, ruleFailure } from "../../tools/gate/rpc";

function serviceError(code: grpc.status, details: string): grpc.ServiceError {
    return Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });
}

describe("gate: RPC errors", function () {
    it("names the rule that threw and keeps the first line of its stack", function () {
        const cases: [unknown, { policy?: string; text: string }][] = [
            [
                serviceError(
                    grpc.status.UNKNOWN,
                    "Error validating resource with policy 'enc' from policy pack 'p@v1':\nError: boom\n    at f (x.ts:1:1)",
                ),
                { policy: "enc", text: "Error validating resource with policy 'enc' from policy pack 'p@v1': Error: boom" },
            ],
            [serviceError(grpc.status.DEADLINE_EXCEEDED, "Deadline exceeded\nmore"), { text: "DEADLINE_EXCEEDED: Deadline exceeded" }],
            [new Error("\n  plain failure\nsecond"), { text: "plain failure" }],
            ["a string", { text: "a string" }],
        ];
        for (const [e, expected] of cases) assert.deepEqual(ruleFailure(e), expected, String(e));
    });

    it("tells an unimplemented RPC from other failures", function () {
        assert.equal(isUnimplemented(serviceError(grpc.status.UNIMPLEMENTED, "x")), true);
        assert.equal(isUnimplemented(serviceError(grpc.status.UNKNOWN, "x")), false);
        assert.equal(isUnimplemented(new Error("x")), false);
    });
});
