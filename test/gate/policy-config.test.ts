/** tools/gate/policy-config.ts: policy config files, parsed and reconciled as the CLI does, but stricter. */
import { strict as assert } from "assert";
import { GateError } from "../../tools/gate/errors";
import {
    ENFORCEMENT_LEVEL_SCHEMA,
    parsePolicyConfig,
    PolicyInfo,
    reconcilePolicyConfig,
    unknownSettings,
} from "../../tools/gate/policy-config";

const PACK = { name: "pack", version: "1.0.0" };

/** Two policies: one with a schema (a list with a default and a number), one without config. */
const POLICIES: PolicyInfo[] = [
    {
        name: "tags",
        description: "d",
        enforcementLevel: "mandatory",
        configSchema: {
            properties: {
                requiredTags: { type: "array", items: { type: "string" }, default: ["Owner"] },
                minimum: { type: "integer", minimum: 1 },
                enforcementLevel: ENFORCEMENT_LEVEL_SCHEMA,
            },
            required: [],
        },
        stack: false,
    },
    {
        name: "plain",
        description: "d",
        enforcementLevel: "advisory",
        configSchema: { properties: { enforcementLevel: ENFORCEMENT_LEVEL_SCHEMA }, required: [] },
        stack: false,
    },
];

describe("gate: policy config", function () {
    it("parses files as the CLI does", function () {
        assert.deepEqual(parsePolicyConfig('{"a": "advisory", "b": {"enforcementLevel": "disabled", "x": 1}, "c": {}}', "f"), {
            a: { enforcementLevel: "advisory" },
            b: { enforcementLevel: "disabled", properties: { x: 1 } },
        });
        assert.deepEqual(parsePolicyConfig("  ", "f"), {});
        const bad: [string, string][] = [
            ['{"a": 3}', 'policy config f: parsing "a": 3 is not a valid value; must be a string or object'],
            ['{"a": "strict"}', 'policy config f: parsing enforcement level for "a": "strict" is not a valid enforcement level'],
            [
                '{"a": {"enforcementLevel": 1}}',
                'policy config f: parsing enforcement level for "a": 1 is not a valid enforcement level; must be a string',
            ],
            ["[]", "policy config f must be a JSON object of policy names"],
            ['{"__proto__": "disabled"}', 'policy config f: "__proto__" is not a policy name'],
        ];
        for (const [text, msg] of bad) assert.throws(() => parsePolicyConfig(text, "f"), new GateError(msg), text);
    });

    it("names unknown settings and the valid ones", function () {
        const cases: [string, string[]][] = [
            [
                '{"tags": {"requiredTag": ["Owner"]}}',
                ['tags: unknown setting "requiredTag"; valid: enforcementLevel, minimum, requiredTags'],
            ],
            [
                '{"tags": {"x": 1, "y": 2, "minimum": 2}}',
                ['tags: unknown settings "x", "y"; valid: enforcementLevel, minimum, requiredTags'],
            ],
            ['{"plain": {"enforcementLevel": "mandatory", "z": true}}', ['plain: unknown setting "z"; valid: enforcementLevel']],
            [
                '{"all": {"enforcementLevel": "advisory", "requiredTags": []}}',
                ['all: unknown setting "requiredTags"; valid: enforcementLevel'],
            ],
            ['{"tags": {"requiredTags": [], "enforcementLevel": "advisory"}, "all": "mandatory"}', []],
        ];
        for (const [text, expected] of cases) assert.deepEqual(unknownSettings(POLICIES, parsePolicyConfig(text, "f")), expected, text);
        assert.throws(
            () => reconcilePolicyConfig(PACK, POLICIES, {}, parsePolicyConfig('{"tags": {"requiredTagz": []}}', "f"), "f"),
            new GateError('policy config f: tags: unknown setting "requiredTagz"; valid: enforcementLevel, minimum, requiredTags'),
        );
    });

    it("reconciles schema defaults, the pack's initial config and the file, `all` first", function () {
        assert.deepEqual(reconcilePolicyConfig(PACK, POLICIES, {}, {}, "f"), {
            tags: { enforcementLevel: "mandatory", properties: { requiredTags: ["Owner"] } },
            plain: { enforcementLevel: "advisory", properties: undefined },
        });
        const file = parsePolicyConfig('{"all": "disabled", "plain": "mandatory", "tags": {"minimum": 3}}', "f");
        const initial = { tags: { enforcementLevel: "advisory" as const, properties: { requiredTags: ["Project"] } } };
        assert.deepEqual(reconcilePolicyConfig(PACK, POLICIES, initial, file, "f"), {
            tags: { enforcementLevel: "disabled", properties: { requiredTags: ["Project"], minimum: 3 } },
            plain: { enforcementLevel: "mandatory", properties: undefined },
            all: { enforcementLevel: "disabled", properties: undefined },
        });
    });

    it("refuses unknown policies and values that fail the schema", function () {
        assert.throws(
            () => reconcilePolicyConfig(PACK, POLICIES, {}, parsePolicyConfig('{"tagz": "advisory"}', "f"), "f"),
            new GateError('policy config f: no policy named "tagz" in pack pack 1.0.0'),
        );
        assert.throws(
            () =>
                reconcilePolicyConfig(PACK, POLICIES, {}, parsePolicyConfig('{"tags": {"minimum": 0, "requiredTags": "Owner"}}', "f"), "f"),
            new GateError(
                "validating policy config: pack 1.0.0  tags: requiredTags: Invalid type. Expected: array, given: string; tags: minimum: Must be greater than or equal to 1",
            ),
        );
    });
});
