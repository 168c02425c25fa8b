/**
 * Issue 20, class 7 in the gate: one identity per resource, the policy config never chosen by the
 * preview's contents, a bounded preview, names in errors safe to print, and values in the wrong JSON type
 * failing as "not evaluated" even where unknowns may pass.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { GateError } from "../../tools/gate/errors";
import { resolveConfigFile } from "../../tools/gate/policy-config";
import { checkPreviewDigest, MAX_PREVIEW_BYTES, readPreviewFile } from "../../tools/gate/preview-file";
import { failUnevaluated, WRONG_TYPE_REMEDY } from "../../tools/gate/report";

const URN = (stack: string, name = "shared") => `urn:pulumi:${stack}::archivematica-infra::aws:efs/fileSystem:FileSystem::${name}`;
const step = (urn: string, stateUrn = urn) => ({
    op: "create",
    urn,
    newState: { urn: stateUrn, type: "aws:efs/fileSystem:FileSystem", inputs: {} },
});
const refused = (doc: unknown) => {
    try {
        checkPreviewDigest(doc, "preview");
    } catch (e) {
        assert.ok(e instanceof GateError);
        return e.message;
    }
    return "accepted";
};

describe("gate: the preview is read as one stack's resources, each with one identity", () => {
    it("a step whose urn and newState.urn differ is bad input", () => {
        assert.strictEqual(
            refused({ steps: [step(URN("staging"), URN("staging", "other"))] }),
            `preview: steps[0].newState.urn is ${URN("staging", "other")} but steps[0].urn is ${URN("staging")}; a step is about one resource`,
        );
    });
    it("a stack name from the URNs that is no stack name is refused before it names a file", () => {
        assert.strictEqual(
            refused({ steps: [step(URN("../../etc/x"))] }),
            'preview: its URNs name the stack "../../etc/x" is not valid; valid: 1-100 letters, digits, _, . or -, not starting with a dot',
        );
        assert.strictEqual(
            refused({ steps: [step(URN(".."))] }),
            'preview: its URNs name the stack ".." is not valid; valid: 1-100 letters, digits, _, . or -, not starting with a dot',
        );
    });
    it("steps of two stacks are refused", () => {
        assert.strictEqual(
            refused({ steps: [step(URN("staging")), step(URN("prod", "x"))] }),
            'preview: its steps are of 2 stacks ("staging", "prod"); a preview is of one stack',
        );
    });
    it("--stack names a file only when it is a stack name; a preview's stack never names one outside policy/config", () => {
        assert.throws(
            () => resolveConfigFile({ stack: "../../x" }),
            new GateError('stack name "../../x" is not valid; valid: 1-100 letters, digits, _, . or -, not starting with a dot'),
        );
        assert.strictEqual(resolveConfigFile({}, "../../x"), undefined);
    });
    it("a control character in a URN is shown escaped", () => {
        const urn = URN("staging", "a\u001b[2Jb");
        assert.strictEqual(
            refused({ steps: [step(urn), step(urn)] }),
            `preview: steps[1] (op "create") repeats the URN of steps[0] (op "create"): ${URN("staging", "a\\u001b[2Jb")}; a URN recurs only across the steps of one replacement`,
        );
    });
});

describe("gate: a preview is bounded in size, and the limit is named", () => {
    it(`a preview over ${MAX_PREVIEW_BYTES / 1024 / 1024} MiB is refused before it is parsed`, () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "am-big-"));
        const file = path.join(dir, "big.json");
        try {
            fs.writeFileSync(file, "");
            fs.truncateSync(file, 50 * 1024 * 1024);
            assert.throws(
                () => readPreviewFile(file),
                new GateError(
                    `preview file ${file} is 50.0 MiB, more than the 32.0 MiB the gate reads; gate each stack's own preview (a stack of this project this large would have about 11,000 resources)`,
                ),
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("gate: a value in the wrong JSON type fails as not evaluated, even with --allow-unevaluated", () => {
    const message =
        "can't run policy 'aws-rds-instance-prohibit-public-access' from policy pack 'archivematica@v0.1.0' during preview: publiclyAccessible is the string \"true\" in the wrong JSON type, not a boolean";
    const v = {
        policyPackName: "archivematica",
        policyPackVersion: "0.1.0",
        policyName: "aws-rds-instance-prohibit-public-access",
        enforcementLevel: "advisory" as const,
        message,
        urn: URN("staging"),
    };
    it("mandatory rule: fails, with or without --allow-unevaluated", () => {
        for (const allow of [false, true])
            assert.deepStrictEqual(failUnevaluated(v, { [v.policyName]: "mandatory" }, allow), {
                ...v,
                enforcementLevel: "mandatory",
                message: `not evaluated: ${message}; ${WRONG_TYPE_REMEDY}`,
                notEvaluated: true,
            });
    });
});
