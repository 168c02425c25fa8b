/**
 * `npm run policy` (tools/policy-cli.ts) in process, against the real pack in policy/: its one-line
 * errors and exit codes, what it reads (files, flags, configs), and its report, on the test process's
 * pack (support/shared-pack.ts).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import { PolicyPackProcess } from "../tools/gate";
import { PACK_TEST_TIMEOUT } from "./harness";
import { sharedPack } from "./support/shared-pack";
import { NOT_EVALUATED_REMEDY, WRONG_TYPE_REMEDY } from "../tools/gate/report";
import { HELP, main as policyCli } from "../tools/policy-cli";
import { CANNOT_RUN, cleanDigest, CLI_PREVIEW, EXPECTED, FS, LOGS, plant, STACK, TD, TEST_CONFIG, tmpFile } from "./gate-fixtures";

describe("policy gate: npm run policy", function () {
    let pack: PolicyPackProcess;

    before(async function () {
        this.timeout(PACK_TEST_TIMEOUT);
        pack = await sharedPack();
    });

    async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
        let out = "";
        let err = "";
        const code = await policyCli(
            argv,
            (s) => (out += s),
            (s) => (err += s),
            pack,
        );
        return { code, out, err };
    }
    const USAGE = "usage: npm run policy -- --preview <file> [--stack <stack> | --config <file>] [--pack <dir>] [--allow-unevaluated]";

    it("gives one-line errors for bad files and flags, exit 2", async function () {
        const notJson = tmpFile("p.json", "nope\n");
        const array = tmpFile("p.json", "[1]");
        const noSteps = tmpFile("p.json", '{"changeSummary":{}}');
        const noNew = tmpFile("p.json", JSON.stringify({ steps: [{ op: "create", urn: STACK }] }));
        const badOp = tmpFile("p.json", JSON.stringify({ steps: [{ op: "frobnicate", urn: STACK }] }));
        const noUrn = tmpFile("p.json", JSON.stringify({ steps: [{ op: "same", newState: { type: "pulumi:pulumi:Stack" } }] }));
        const badInputs = tmpFile(
            "p.json",
            JSON.stringify({ steps: [{ op: "create", urn: FS, newState: { type: "aws:efs/fileSystem:FileSystem", inputs: [] } }] }),
        );
        const cases: [string[], string][] = [
            [["--preview", notJson], `error: ${notJson} is not JSON: Unexpected token 'o', "nope " is not valid JSON\n`],
            [["--preview", array], `error: ${array}: not a pulumi preview --json document: expected a JSON object, got array\n`],
            [["--preview", noSteps], `error: ${noSteps}: not a pulumi preview --json document: no "steps"\n`],
            [["--preview", noNew], `error: ${noNew}: steps[0] (op "create") has no "newState"\n`],
            [["--preview", badOp], `error: ${badOp}: steps[0] has unknown op "frobnicate"\n`],
            [["--preview", noUrn], `error: ${noUrn}: steps[0] has no "urn" (a urn:pulumi:... string)\n`],
            [["--preview", badInputs], `error: ${badInputs}: steps[0].newState.inputs must be an object, got array\n`],
            [["--preview", "/nonexistent/p.json"], "error: cannot read preview file /nonexistent/p.json: no such file\n"],
            [
                ["--preview", CLI_PREVIEW, "--stack", "dev"],
                'error: unknown stack "dev": policy config exists for prod, staging (policy/config/<stack>.json)\n',
            ],
            [
                ["--preview", CLI_PREVIEW, "--stack", "staging", "--config", TEST_CONFIG],
                `error: give --stack or --config, not both; ${USAGE}\n`,
            ],
            [
                ["--preview", CLI_PREVIEW, "--verbose"],
                `error: unknown option --verbose; valid: --preview, --stack, --config, --pack, --allow-unevaluated, --help; ${USAGE}\n`,
            ],
            [["--stack", "staging"], `error: no preview file given; ${USAGE}\n`],
            [["--preview"], `error: --preview needs a value; ${USAGE}\n`],
            [["--preview", CLI_PREVIEW, "extra"], `error: unexpected argument "extra"; ${USAGE}\n`],
        ];
        for (const [argv, expected] of cases) {
            const r = await cli(...argv);
            assert.deepEqual(r, { code: 2, out: "", err: expected }, argv.join(" "));
        }
    });

    it("refuses previews that would fail open, one line each, exit 2", async function () {
        const clean = cleanDigest();
        const proto = JSON.stringify(plant(cleanDigest(), FS, (i) => delete i.encrypted)).replace(
            '"inputs":{"performanceMode"',
            '"inputs":{"__proto__":{"encrypted":true},"performanceMode"',
        );
        assert.ok(proto.includes("__proto__"));
        const deep = JSON.stringify({ ...clean, extra: "@" }).replace('"@"', "[".repeat(20000) + "]".repeat(20000));
        const dup = JSON.stringify({ ...clean, steps: [...clean.steps, clean.steps[2]] });
        const json = JSON.stringify(clean);
        const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, "utf16le")]);
        const utf16beNoBom = Buffer.from(json, "utf16le").swap16();
        const latin1 = Buffer.concat([Buffer.from('{"steps": [], "x": "caf'), Buffer.from([0xe9]), Buffer.from('"}')]);
        const files = {
            proto: tmpFile("p.json", proto),
            deep: tmpFile("p.json", deep),
            dup: tmpFile("p.json", dup),
            utf16le: tmpFile("p.json", ""),
            utf16be: tmpFile("p.json", ""),
            latin1: tmpFile("p.json", ""),
        };
        fs.writeFileSync(files.utf16le, utf16le);
        fs.writeFileSync(files.utf16be, utf16beNoBom);
        fs.writeFileSync(files.latin1, latin1);
        const cases: [string, string][] = [
            [
                files.proto,
                `error: ${files.proto}: steps[2].newState.inputs.__proto__ is a "__proto__" key, which would change what the pack's rules read; remove it\n`,
            ],
            [
                files.deep,
                `error: ${files.deep}: extra[0][0][0][0][0][0][0]… is nested more than 100 levels deep; a preview is never that deep\n`,
            ],
            [
                files.dup,
                `error: ${files.dup}: steps[9] (op "create") repeats the URN of steps[2] (op "create"): ${FS}; a URN recurs only across the steps of one replacement\n`,
            ],
            [
                files.utf16le,
                `error: preview file ${files.utf16le} is UTF-16LE, not UTF-8; write it as UTF-8 (e.g. iconv -f UTF-16LE -t UTF-8)\n`,
            ],
            [
                files.utf16be,
                `error: preview file ${files.utf16be} is UTF-16BE, not UTF-8; write it as UTF-8 (e.g. iconv -f UTF-16BE -t UTF-8)\n`,
            ],
            [files.latin1, `error: preview file ${files.latin1} is not UTF-8: byte 0xe9 at offset 23 is not valid UTF-8\n`],
        ];
        for (const [file, expected] of cases) {
            const r = await cli("--preview", file, "--config", TEST_CONFIG);
            assert.deepEqual(r, { code: 2, out: "", err: expected }, file);
        }
    });

    it("refuses an unknown setting in a policy config file, naming it and the valid ones, exit 2", async function () {
        const file = tmpFile("p.json", JSON.stringify(cleanDigest()));
        const config = tmpFile(
            "c.json",
            JSON.stringify({
                "aws-ecs-service-require-one-per-component": { components: ["dashboard"] },
                "aws-elasticache-replicationgroup-require-encryption": { transitEncryptionExceptionz: [] },
            }),
        );
        const r = await cli("--preview", file, "--config", config);
        assert.deepEqual(r, {
            code: 2,
            out: "",
            err: `error: policy config ${config}: aws-elasticache-replicationgroup-require-encryption: unknown setting "transitEncryptionExceptionz"; valid: enforcementLevel, transitEncryptionExceptions\n`,
        });
        const utf16 = tmpFile("c.json", "");
        fs.writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("{}", "utf16le")]));
        assert.deepEqual(await cli("--preview", file, "--config", utf16), {
            code: 2,
            out: "",
            err: `error: policy config ${utf16} is UTF-16LE, not UTF-8; write it as UTF-8 (e.g. iconv -f UTF-16LE -t UTF-8)\n`,
        });
    });

    it("fails a masked value a mandatory rule needs (exit 1) unless --allow-unevaluated (exit 0)", async function () {
        const file = tmpFile("p.json", JSON.stringify(plant(cleanDigest(), FS, (i) => (i.encrypted = "[secret]"))));
        const failed = await cli("--preview", file, "--config", TEST_CONFIG);
        assert.equal(failed.code, 1);
        assert.equal(failed.err, "");
        assert.ok(
            failed.out.includes(
                `    [mandatory]  archivematica v0.1.0  aws-efs-filesystem-require-encryption\n    not evaluated: ${CANNOT_RUN("aws-efs-filesystem-require-encryption", "string value at .encrypted")}; ${NOT_EVALUATED_REMEDY}\n`,
            ),
            failed.out,
        );
        const allowed = await cli("--preview", file, "--config", TEST_CONFIG, "--allow-unevaluated");
        assert.equal(allowed.code, 0);
        assert.ok(allowed.out.includes("passed — 0 mandatory violations, 1 advisory violation, 0 rule errors"), allowed.out);
    });

    it('issue 20: a boolean given as the string "true" fails as not evaluated, even with --allow-unevaluated (exit 1)', async function () {
        const file = tmpFile("p.json", JSON.stringify(plant(cleanDigest(), FS, (i) => (i.encrypted = "true"))));
        for (const extra of [[], ["--allow-unevaluated"]]) {
            const r = await cli("--preview", file, "--config", TEST_CONFIG, ...extra);
            assert.equal(r.code, 1, r.out);
            assert.ok(
                r.out.includes(
                    `    not evaluated: can't run policy 'aws-efs-filesystem-require-encryption' from policy pack 'archivematica@v0.1.0' during preview: encrypted is the string "true" in the wrong JSON type, not a boolean; ${WRONG_TYPE_REMEDY}\n`,
                ),
                r.out,
            );
        }
    });

    it("issue 20: a number out of float64's range (1e400) fails as not evaluated (exit 1)", async function () {
        const text = JSON.stringify(plant(cleanDigest(), LOGS, (i) => (i.retentionInDays = 987654321987))).replace("987654321987", "1e400");
        const r = await cli("--preview", tmpFile("p.json", text), "--config", TEST_CONFIG);
        assert.equal(r.code, 1, r.out);
        assert.ok(
            r.out.includes("during preview: retentionInDays is a number out of float64's range in the wrong JSON type, not a number;"),
            r.out,
        );
    });

    it('issue 20: "Privileged": true in a container definition is seen by the pack, as AWS reads it (exit 1)', async function () {
        const digest = plant(cleanDigest(), TD, (i) => {
            i.containerDefinitions = String(i.containerDefinitions).replace('"name":"dashboard"', '"name":"dashboard","Privileged":true');
        });
        const r = await cli("--preview", tmpFile("p.json", JSON.stringify(digest)), "--config", TEST_CONFIG);
        assert.equal(r.code, 1, r.out);
        assert.ok(r.out.includes('    container "dashboard" is privileged; remove privileged: true\n'), r.out);
    });

    it("prints its usage for --help, exit 0", async function () {
        for (const argv of [["--help"], ["-h"], ["--preview", "x.json", "--help"], ["--bogus", "--help"]]) {
            const r = await cli(...argv);
            assert.deepEqual(r, { code: 0, out: HELP, err: "" }, argv.join(" "));
        }
        assert.ok(HELP.startsWith(`${USAGE}\n`));
    });

    it("exits 1 on a mandatory violation and prints it grouped by resource", async function () {
        const file = tmpFile("p.json", JSON.stringify(plant(cleanDigest(), FS, (i) => (i.encrypted = false))));
        const r = await cli("--preview", file, "--config", TEST_CONFIG);
        assert.equal(r.code, 1);
        assert.equal(r.err, "");
        assert.equal(
            r.out,
            [
                "Policy Violations:",
                "  aws:efs/fileSystem:FileSystem (shared):",
                "    [mandatory]  archivematica v0.1.0  aws-efs-filesystem-require-encryption",
                ...("    " + EXPECTED.efs.replace(/\n/g, "\n    ")).split("\n"),
                "",
                "Policy pack archivematica v0.1.0 (config test/fixtures/gate-policy.json): FAILED — 1 mandatory violation, 0 advisory violations, 0 rule errors; 9 resources analysed",
                "",
            ].join("\n"),
        );
    });

    it("exits 0 on a clean preview", async function () {
        const file = tmpFile("p.json", JSON.stringify(cleanDigest()));
        const r = await cli(`--preview=${file}`, `--config=${TEST_CONFIG}`);
        assert.deepEqual(r, {
            code: 0,
            out: "Policy pack archivematica v0.1.0 (config test/fixtures/gate-policy.json): passed — 0 mandatory violations, 0 advisory violations, 0 rule errors; 9 resources analysed\n",
            err: "",
        });
    });
});
