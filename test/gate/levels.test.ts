/** tools/gate/levels.ts: the one map between level names and the analyzer protocol's numbers. */
import { strict as assert } from "assert";
import * as analyzerProto from "@pulumi/pulumi/proto/analyzer_pb";
import { isLevel, LEVELS, levelName, levelNumber } from "../../tools/gate/levels";

describe("gate: enforcement levels", function () {
    it("maps each name to the protocol's number and back", function () {
        const table: [string, number][] = [
            ["advisory", analyzerProto.EnforcementLevel.ADVISORY],
            ["mandatory", analyzerProto.EnforcementLevel.MANDATORY],
            ["disabled", analyzerProto.EnforcementLevel.DISABLED],
            ["remediate", analyzerProto.EnforcementLevel.REMEDIATE],
        ];
        for (const [name, n] of table) {
            assert.equal(levelNumber(name as (typeof LEVELS)[number]), n, name);
            assert.equal(levelName(n), name, String(n));
        }
        assert.deepEqual([...LEVELS].sort(), table.map(([name]) => name).sort());
    });

    it("knows no other level", function () {
        assert.equal(levelName(4), undefined);
        assert.equal(levelName(-1), undefined);
        for (const v of ["Mandatory", "strict", "", 1, undefined]) assert.equal(isLevel(v), false, String(v));
        for (const v of LEVELS) assert.equal(isLevel(v), true, v);
    });
});
