/** tools/gate/json-schema.ts: config schemas validated with gojsonschema's messages. */
import { strict as assert } from "assert";
import { GateError } from "../../tools/gate/errors";
import { validateJsonSchema } from "../../tools/gate/json-schema";

describe("gate: JSON schema", function () {
    it("validates config schemas with gojsonschema's messages", function () {
        const schema = {
            type: "object",
            properties: {
                n: { type: "integer", minimum: 1 },
                l: { type: "array", items: { type: "string", minLength: 1 }, uniqueItems: true },
                e: { type: "string", enum: ["a", "b"] },
            },
            required: ["n"],
            additionalProperties: false,
        };
        assert.deepEqual(validateJsonSchema(schema, { n: 0, l: ["x", "", "x"], e: "c", z: 1 }, "p"), [
            "n: Must be greater than or equal to 1",
            "l: array items[0,2] must be unique",
            "l.1: String length must be greater than or equal to 1",
            'e: e must be one of the following: "a", "b"',
            "Additional property z is not allowed",
        ]);
        assert.deepEqual(validateJsonSchema(schema, {}, "p"), ["n is required"]);
    });

    it("checks one keyword per row", function () {
        const cases: [Record<string, unknown>, unknown, string[]][] = [
            [{ type: "number", maximum: 5 }, 6, ["Must be less than or equal to 5"]],
            [{ type: "number", exclusiveMinimum: 1 }, 1, ["Must be greater than 1"]],
            [{ type: "number", multipleOf: 5 }, 12, ["Must be a multiple of 5"]],
            [{ type: "string", maxLength: 2 }, "abc", ["String length must be less than or equal to 2"]],
            [{ type: "string", pattern: "^a" }, "b", ["Does not match pattern '^a'"]],
            [{ type: "array", maxItems: 1 }, [1, 2], ["Array must have at most 1 items"]],
            [{ const: "x" }, "y", ['(root) does not match: "x"']],
            [{ anyOf: [{ type: "string" }, { type: "integer" }] }, true, ["Must validate at least one schema (anyOf)"]],
            [{ not: { type: "string" } }, "s", ["Must not validate the schema (not)"]],
            [{ type: ["string", "null"] }, 1, ["Invalid type. Expected: [string,null], given: integer"]],
            [{ type: "number" }, 3, []],
        ];
        for (const [schema, value, expected] of cases)
            assert.deepEqual(validateJsonSchema(schema, value, "p"), expected, JSON.stringify(schema));
    });

    it("refuses a keyword it does not implement rather than skipping it", function () {
        assert.throws(
            () => validateJsonSchema({ type: "string", format: "email" }, "x", "p"),
            new GateError('policy p: config schema keyword "format" at (root) is not supported by the offline gate'),
        );
    });
});
