/** tools/gate/errors.ts: messages on one line. */
import { strict as assert } from "assert";
import { collapseWhitespace, firstLine } from "../../tools/gate/errors";

describe("gate: one-line messages", function () {
    it("collapses whitespace runs, newlines included", function () {
        const cases: [string, string][] = [
            ["Unexpected token 'o', \"nope\n\" is not valid JSON", "Unexpected token 'o', \"nope \" is not valid JSON"],
            ["  a\t\tb \r\n c  ", "a b c"],
            ["", ""],
        ];
        for (const [input, expected] of cases) assert.equal(collapseWhitespace(input), expected, JSON.stringify(input));
    });

    it("takes the first non-blank line, trimmed", function () {
        const cases: [string, string][] = [
            ["\n\n  Error: boom  \n    at x (y.js:1:1)", "Error: boom"],
            ["one", "one"],
            [" \n \n", ""],
        ];
        for (const [input, expected] of cases) assert.equal(firstLine(input), expected, JSON.stringify(input));
    });
});
