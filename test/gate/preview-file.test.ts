/** tools/gate/preview-file.ts: what a preview must be before anything reaches the pack. */
import { strict as assert } from "assert";
import { GateError } from "../../tools/gate/errors";
import { checkPreviewDigest, checkStructure, checkUniqueUrns, MAX_DEPTH, parseUrn } from "../../tools/gate/preview-file";

const URN = "urn:pulumi:staging::archivematica-infra::aws:efs/fileSystem:FileSystem::shared";
const fail = (msg: string): never => {
    throw new GateError(msg);
};

/** `v` wrapped in `n` arrays. */
function nest(n: number, v: unknown = 1): unknown {
    let out = v;
    for (let i = 0; i < n; i++) out = [out];
    return out;
}

describe("gate: preview reading", function () {
    it("refuses nesting deeper than MAX_DEPTH without recursing, at any size", function () {
        assert.doesNotThrow(() => checkStructure({ a: nest(MAX_DEPTH - 2) }, fail));
        assert.throws(
            () => checkStructure({ a: nest(MAX_DEPTH) }, fail),
            new GateError(`a[0][0][0][0][0][0][0]… is nested more than ${MAX_DEPTH} levels deep; a preview is never that deep`),
        );
        assert.throws(() => checkStructure({ a: nest(20_000) }, fail), /is nested more than 100 levels deep/);
        assert.throws(
            () => checkStructure({ steps: [{ newState: { inputs: { b: nest(MAX_DEPTH) } } }] }, fail),
            new GateError(
                `steps[0].newState.inputs.b[0][0][0]… is nested more than ${MAX_DEPTH} levels deep; a preview is never that deep`,
            ),
        );
    });

    it("refuses a __proto__ key anywhere, and only that key", function () {
        const cases: [string, string][] = [
            ['{"__proto__": {}}', "__proto__"],
            ['{"steps": [{"newState": {"inputs": {"__proto__": {"storageEncrypted": true}}}}]}', "steps[0].newState.inputs.__proto__"],
            ['{"a": [{"b c": {"__proto__": 1}}]}', 'a[0]["b c"].__proto__'],
        ];
        for (const [text, at] of cases) {
            assert.throws(
                () => checkStructure(JSON.parse(text), fail),
                new GateError(`${at} is a "__proto__" key, which would change what the pack's rules read; remove it`),
                text,
            );
        }
        assert.doesNotThrow(() => checkStructure(JSON.parse('{"constructor": {"a": 1}, "prototype": [1]}'), fail));
    });

    it("allows a URN more than once only for the steps of one replacement", function () {
        const ok: string[][] = [
            ["create"],
            ["create-replacement", "replace", "delete-replaced"],
            ["delete-replaced", "replace", "create-replacement"],
            ["read-replacement", "replace"],
        ];
        for (const ops of ok)
            assert.doesNotThrow(
                () =>
                    checkUniqueUrns(
                        ops.map((op) => ({ op, urn: URN })),
                        fail,
                    ),
                ops.join(),
            );
        const bad: [string[], string][] = [
            [["create", "create"], `steps[1] (op "create") repeats the URN of steps[0] (op "create")`],
            [["update", "delete"], `steps[1] (op "delete") repeats the URN of steps[0] (op "update")`],
            [["replace", "create-replacement", "replace"], `steps[2] (op "replace") repeats the URN of steps[0] (op "replace")`],
            [["same", "replace"], `steps[1] (op "replace") repeats the URN of steps[0] (op "same")`],
        ];
        for (const [ops, start] of bad) {
            assert.throws(
                () =>
                    checkUniqueUrns(
                        ops.map((op) => ({ op, urn: URN })),
                        fail,
                    ),
                new GateError(`${start}: ${URN}; a URN recurs only across the steps of one replacement`),
                ops.join(),
            );
        }
    });

    it("checks the document's shape, naming the first problem", function () {
        const step = (extra: object) => ({
            steps: [{ op: "create", urn: URN, newState: { type: "aws:efs/fileSystem:FileSystem" }, ...extra }],
        });
        const cases: [unknown, string][] = [
            [null, "not a pulumi preview --json document: expected a JSON object, got null"],
            [{ steps: {} }, '"steps" must be an array, got object'],
            [{ steps: [1] }, "steps[0] must be an object, got integer"],
            [step({ op: 3 }), 'steps[0] has no "op"'],
            [step({ urn: "arn:aws:x" }), 'steps[0] has no "urn" (a urn:pulumi:... string)'],
            [step({ newState: { type: "" } }), 'steps[0].newState has no "type"'],
            [step({ newState: { type: "t", dependencies: [1] } }), "steps[0].newState.dependencies must be an array of URNs"],
            [step({ oldState: "x" }), "steps[0].oldState must be an object, got string"],
            [{ steps: [], config: [] }, '"config" must be an object, got array'],
        ];
        for (const [doc, msg] of cases) assert.throws(() => checkPreviewDigest(doc, "p.json"), new GateError(`p.json: ${msg}`), msg);
        assert.doesNotThrow(() => checkPreviewDigest(step({}), "p.json"));
    });

    it("splits URNs", function () {
        assert.deepEqual(parseUrn(URN), {
            stack: "staging",
            project: "archivematica-infra",
            type: "aws:efs/fileSystem:FileSystem",
            name: "shared",
        });
        assert.deepEqual(parseUrn("urn:pulumi:s::p::a:b:C$aws:x/y:Z::n::with::colons"), {
            stack: "s",
            project: "p",
            type: "aws:x/y:Z",
            name: "n::with::colons",
        });
    });
});
