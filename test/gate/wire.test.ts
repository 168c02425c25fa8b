/** tools/gate/wire.ts: values as the engine marshals them for analyzers. */
import { strict as assert } from "assert";
import { GateError } from "../../tools/gate/errors";
import { countMasked, OUTPUT_SIG, timeoutSeconds, toWire } from "../../tools/gate/wire";
import { RESOURCE_SIG, SECRET_SIG, SIG_KEY, UNKNOWN } from "../../tools/mock-runtime";

const STACK = "urn:pulumi:staging::archivematica-infra::pulumi:pulumi:Stack::archivematica-infra-staging";
const FS = "urn:pulumi:staging::archivematica-infra::aws:efs/fileSystem:FileSystem::shared";

describe("gate: wire form", function () {
    it("marshals values as the engine does for analyzers", function () {
        const cases: [unknown, boolean, unknown][] = [
            [
                { a: "[secret]", b: [1, undefined], c: undefined, d: UNKNOWN },
                true,
                { a: { [SIG_KEY]: SECRET_SIG, value: UNKNOWN }, b: [1, null], d: UNKNOWN },
            ],
            [{ a: "[secret]" }, false, { a: "[secret]" }],
            [{ s: { [SIG_KEY]: SECRET_SIG, value: "[secret]" } }, false, { s: { [SIG_KEY]: SECRET_SIG, value: "[secret]" } }],
            [{ r: { [SIG_KEY]: RESOURCE_SIG, urn: STACK, id: "" } }, false, { r: STACK }],
            [{ r: { [SIG_KEY]: RESOURCE_SIG, urn: FS, id: "fs-1" } }, false, { r: "fs-1" }],
            [{ r: { [SIG_KEY]: RESOURCE_SIG, urn: FS, id: UNKNOWN } }, false, { r: FS }],
            [{ o: { [SIG_KEY]: OUTPUT_SIG, value: 3 } }, false, { o: 3 }],
            [{ o: { [SIG_KEY]: OUTPUT_SIG } }, false, { o: UNKNOWN }],
            [{ o: { [SIG_KEY]: OUTPUT_SIG, value: "x", secret: true } }, false, { o: { [SIG_KEY]: SECRET_SIG, value: "x" } }],
            [null, true, null],
        ];
        for (const [input, masked, expected] of cases) assert.deepEqual(toWire(input, masked), expected, JSON.stringify(input));
    });

    it("keeps constructor and prototype as plain properties and refuses __proto__", function () {
        const wire = toWire(JSON.parse('{"constructor": {"encrypted": true}, "prototype": 1}'), true) as Record<string, unknown>;
        assert.deepEqual(Object.keys(wire), ["constructor", "prototype"]);
        assert.equal(Object.getPrototypeOf(wire), Object.prototype);
        assert.equal((wire as { encrypted?: unknown }).encrypted, undefined);
        assert.throws(
            () => toWire(JSON.parse('{"a": {"__proto__": {"encrypted": true}}}'), true),
            new GateError('a property named "__proto__" cannot be sent to the policy pack'),
        );
    });

    it("counts masked values", function () {
        assert.equal(countMasked({ a: "[secret]", b: ["[secret]", { c: "[secret]" }], d: "secret" }), 3);
        assert.equal(countMasked("x"), 0);
    });

    it("reads custom timeouts as seconds", function () {
        const cases: [unknown, number][] = [
            ["10m", 600],
            ["1h30m", 5400],
            ["1.5s", 1.5],
            ["250ms", 0.25],
            [45, 45],
            ["", 0],
            [undefined, 0],
        ];
        for (const [v, s] of cases) assert.equal(timeoutSeconds(v), s, String(v));
        assert.throws(() => timeoutSeconds("10 minutes"), new GateError('invalid custom timeout "10 minutes"'));
    });
});
