/** tools/gate/pack-process.ts: the parts of starting a pack that need no process. */
import { strict as assert } from "assert";
import { GateError } from "../../tools/gate/errors";
import { packYamlVersion, parsePortLine, stderrSummary } from "../../tools/gate/pack-process";

describe("gate: pack process", function () {
    it("reads the port line", function () {
        assert.equal(parsePortLine("50051", "policy"), 50051);
        for (const line of ["0", "65536", "port 1", "", "-1"]) {
            assert.throws(
                () => parsePortLine(line, "policy"),
                new GateError(`policy pack policy printed "${line}" where its port was expected`),
                line,
            );
        }
    });

    it("reads PulumiPolicy.yaml's version, string or number", function () {
        const cases: [string, string | undefined][] = [
            ["runtime: nodejs\nversion: 0.1.0\n", "0.1.0"],
            ["version: 1.5\n", "1.5"],
            ["runtime: nodejs\n", undefined],
            ["", undefined],
        ];
        for (const [text, v] of cases) assert.equal(packYamlVersion(text, "PulumiPolicy.yaml"), v, text);
        assert.throws(
            () => packYamlVersion("a: [", "PulumiPolicy.yaml"),
            new GateError(
                "PulumiPolicy.yaml: Flow sequence in block collection must be sufficiently indented and end with a ] at line 1, column 5: a: [ ^",
            ),
        );
    });

    it("summarises stderr without colours or stack frames", function () {
        const cases: [string, string][] = [
            [
                "\x1b[31mError: boom\x1b[0m\n    at f (x.ts:1:1)\n    ^^^\nTypeError: two\nthree\nfour",
                "Error: boom | TypeError: two | three",
            ],
            ["", "no output"],
        ];
        for (const [text, summary] of cases) assert.equal(stderrSummary(text), summary);
    });
});
