/**
 * Issue 20, classes 4 to 6 at the level of stack files and the plan command: collisions between stacks,
 * refusals that come before planning (once, one line each, exit 2), names in errors that are safe to
 * print, encodings named, errors written whole through a pipe, and `Pulumi.<name>.yml`.
 */
import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import { ConfigError, parseConfig } from "../config";
import { CONFIG_KEYS, KeySpec, PROJECT } from "../config/schema";
import { checkInput } from "../tools/plan";
import { listStacks, loadStackConfig, StackFileError } from "../tools/stack-files";
import { commandArgs, runPlan } from "./support/cli";

const ROOT = path.join(__dirname, "..");
const ns = (key: string) => `${PROJECT}:${key}`;
const spec = (key: string): KeySpec => CONFIG_KEYS.find((s) => s.key === key)!;
const STAGING = fs.readFileSync(path.join(ROOT, "Pulumi.staging.yaml"), "utf8");
/** Staging's file with an environment of its own (a copy keeping "staging" collides, on purpose, below). */
const COPY = STAGING.replace("environment: staging", "environment: copy");

function linesOf(fn: () => unknown): string[] {
    try {
        fn();
    } catch (e) {
        assert.ok(e instanceof ConfigError || e instanceof StackFileError, `expected a bad-input error, got ${(e as Error).stack}`);
        return e.message.split("\n");
    }
    throw new Error("expected an error");
}

describe("stack files: collisions, refusals before planning, safe names, encodings", () => {
    let dir: string;
    const write = (name: string, text: string | Buffer) => fs.writeFileSync(path.join(dir, name), text);
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "am-sf-"));
        fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        fs.mkdirSync(path.join(dir, "policy", "config"), { recursive: true });
        for (const s of ["staging", "t", "copy"])
            fs.copyFileSync(path.join(ROOT, "policy/config/staging.json"), path.join(dir, `policy/config/${s}.json`));
        write("Pulumi.staging.yaml", STAGING);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    afterEach(() => {
        for (const f of fs.readdirSync(dir)) if (/^Pulumi\.(t|copy|x)\.ya?ml$/.test(f)) fs.rmSync(path.join(dir, f));
    });

    describe("class 4: a stack copied from another keeps its environment", () => {
        it("is refused, naming the other stack and the remedy", () => {
            write("Pulumi.copy.yaml", STAGING);
            assert.deepStrictEqual(
                linesOf(() => checkInput("copy", dir)),
                [
                    `${ns("environment")}: "staging" is also the environment of stack staging; it names the physical resources (archivematica-db-staging, dockerhub-staging/…), so the two stacks would fight over them; valid: an environment of this stack's own, e.g. "staging-2" (and change the names, host names and tags copied from Pulumi.staging.yaml)`,
                ],
            );
        });
        it("passes once the copy has an environment of its own", () => {
            write("Pulumi.copy.yaml", COPY);
            assert.strictEqual(checkInput("copy", dir).values[ns("environment")], "copy");
        });
    });

    describe("class 5: refused before planning, once, one line each", () => {
        const cases: [string, string, string[]][] = [
            [
                "an environment of 25 characters (the pattern alone would take 39)",
                COPY.replace("environment: copy", "environment: a-b-c-d-e-f-g-h-i-j-k-l-m"),
                [`${ns("environment")}: is 25 characters long; valid: ${spec("environment").valid}`],
            ],
            [
                "a pinned engine version the stack's policy config refuses (minor upgrades are mandatory)",
                `${COPY}  ${ns("dbEngineVersion")}: "8.4.3"\n`,
                [
                    `${ns("dbEngineVersion")}: 8.4.3 pins the engine and turns automatic minor upgrades off, which this stack's policy config forbids (policy/config/t.json: aws-rds-instance-require-minor-version-upgrade is mandatory); valid: 8.4 (a major version, upgraded automatically), or make that rule advisory in the policy config`,
                ],
            ],
            [
                "ALB access logs in a Region the provider has no log-delivery account for",
                COPY.replace("aws:region: eu-west-2", "aws:region: ap-southeast-7")
                    .replace(/eu-west-2/g, "ap-southeast-7")
                    .concat(`  ${ns("albAccessLogs")}: true\n`),
                [
                    `${ns("albAccessLogs")}: true in ap-southeast-7, where the AWS provider knows no Elastic Load Balancing log-delivery account (aws.elb.getServiceAccount fails: "unsupported AWS Region"); valid: false, or a Region among af-south-1, ap-east-1, ap-northeast-1, ap-northeast-2, ap-northeast-3, ap-south-1, ap-southeast-1, ap-southeast-2, ap-southeast-3, ca-central-1, cn-north-1, cn-northwest-1, eu-central-1, eu-north-1, eu-south-1, eu-west-1, eu-west-2, eu-west-3, me-south-1, sa-east-1, us-east-1, us-east-2, us-gov-east-1, us-gov-west-1, us-west-1, us-west-2`,
                ],
            ],
            [
                "a YAML alias bomb, bounded as the CLI's reader bounds it",
                COPY.replace(
                    "config:\n",
                    `config:\n  aws:userAgents: &a0 [x, x, x, x, x, x, x, x, x, x]\n${Array.from(
                        { length: 8 },
                        (_, i) => `  aws:x${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(", ")}]\n`,
                    ).join("")}`,
                ),
                [
                    "Pulumi.t.yaml: document contains excessive aliasing, which the Pulumi CLI's YAML reader refuses (an alias bomb); valid: a stack file without nested aliases",
                ],
            ],
            [
                "an ESC environment block",
                `environment:\n  - archivematica/staging\n${COPY}`,
                [
                    "Pulumi.t.yaml: environment: imports Pulumi ESC environments, which the offline plan cannot open (their values would be missing here and present under pulumi up); valid: no environment: block, with its values under config:",
                ],
            ],
        ];
        for (const [what, text, lines] of cases)
            it(what, () => {
                write("Pulumi.t.yaml", text);
                assert.deepStrictEqual(
                    linesOf(() => checkInput("t", dir)),
                    lines,
                );
            });
    });

    describe("class 6: names in errors are safe to print", () => {
        const cases: [string, string, string][] = [
            [
                "a zero-width space in a key",
                `${COPY}  ${ns("own\u200ber")}: x\n`,
                `${ns("own\\u200ber")}: unknown key (did you mean owner?); valid: ${CONFIG_KEYS.map((k) => k.key).join(", ")}`,
            ],
            [
                "a Cyrillic a in the namespace",
                `${COPY}  \u0430ws:region: eu-west-2\n`,
                `\\u0430ws:region: unknown namespace "\\u0430ws" (did you mean aws:region?); valid: ${PROJECT}:<key>, aws:<provider key>, pulumi:<key>`,
            ],
            [
                "a right-to-left override in a key, written as a YAML escape",
                `${COPY}  "${ns("own")}\\u202eer": x\n`,
                `${ns("own\\u202eer")}: unknown key (did you mean owner?); valid: ${CONFIG_KEYS.map((k) => k.key).join(", ")}`,
            ],
            [
                "an ANSI escape in a key, written as a YAML escape",
                `${COPY}  "${ns("owner")}\\e[2J": x\n`,
                `${ns("owner\\u001b[2J")}: unknown key; valid: ${CONFIG_KEYS.map((k) => k.key).join(", ")}`,
            ],
            [
                "a 1,000-character key, cut with its length",
                `${COPY}  ${ns("k".repeat(1000))}: x\n`,
                `${ns("k".repeat(40))}…(1020 characters): unknown key; valid: ${CONFIG_KEYS.map((k) => k.key).join(", ")}`,
            ],
            [
                "a raw control character in the file",
                `${COPY}  ${ns("owner")}\u001b: x\n`,
                `Pulumi.t.yaml line ${COPY.split("\n").length}: contains the control character U+001B, which YAML does not allow (the Pulumi CLI refuses the file); valid: printable text (write it as an escape inside double quotes)`,
            ],
        ];
        for (const [what, text, line] of cases)
            it(what, () => {
                write("Pulumi.t.yaml", text);
                const lines = linesOf(() => checkInput("t", dir));
                assert.deepStrictEqual(lines, [line]);
                for (const l of lines) assert.ok(/^[\x20-\x7e…]*$/.test(l), JSON.stringify(l));
            });
    });

    describe("class 6: encodings are named; what the CLI reads is read", () => {
        it("UTF-16LE without a byte-order mark is refused, naming it", () => {
            write("Pulumi.t.yaml", Buffer.from(COPY, "utf16le"));
            assert.deepStrictEqual(
                linesOf(() => checkInput("t", dir)),
                [
                    "Pulumi.t.yaml: is UTF-16LE without a byte-order mark, which the Pulumi CLI reads as UTF-8 and refuses; valid: UTF-8 (e.g. iconv -f UTF-16LE -t UTF-8)",
                ],
            );
        });
        it("UTF-32 is refused, naming it", () => {
            const bytes = Buffer.alloc(COPY.length * 4);
            [...COPY].forEach((c, i) => bytes.writeUInt32LE(c.codePointAt(0)!, i * 4));
            write("Pulumi.t.yaml", Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), bytes]));
            assert.deepStrictEqual(
                linesOf(() => checkInput("t", dir)),
                [
                    "Pulumi.t.yaml: is UTF-32LE, which the Pulumi CLI reads as UTF-8 and refuses; valid: UTF-8 (e.g. iconv -f UTF-32LE -t UTF-8)",
                ],
            );
        });
        it("bytes that are not UTF-8 are refused with their line", () => {
            write(
                "Pulumi.t.yaml",
                Buffer.concat([Buffer.from(COPY), Buffer.from(`  ${ns("organisationName")}: caf`), Buffer.from([0xe9, 0x0a])]),
            );
            assert.deepStrictEqual(
                linesOf(() => checkInput("t", dir)),
                [`Pulumi.t.yaml line ${COPY.split("\n").length}: is not UTF-8 (invalid byte sequence); valid: UTF-8 text`],
            );
        });
        it("UTF-16 with its byte-order mark and UTF-8 with one are read, as yaml.v3 and the CLI read them", () => {
            write("Pulumi.t.yaml", Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(COPY, "utf16le").swap16()]));
            assert.strictEqual(checkInput("t", dir).values[ns("environment")], "copy");
            write("Pulumi.t.yaml", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(COPY)]));
            assert.strictEqual(checkInput("t", dir).values[ns("environment")], "copy");
        });
    });

    describe("class 6: Pulumi.<name>.yml", () => {
        it("is never listed as a stack, and planning it is refused in one line with the remedy", () => {
            write("Pulumi.x.yml", COPY);
            assert.ok(!listStacks(dir).includes("x"));
            assert.deepStrictEqual(
                linesOf(() => loadStackConfig("x", dir)),
                [
                    "Pulumi.x.yml: the Pulumi CLI reads Pulumi.x.yaml beside Pulumi.yaml and would ignore this file; valid: rename it to Pulumi.x.yaml",
                ],
            );
        });
        it("beside a Pulumi.<name>.yaml, it is named as the file the CLI ignores", () => {
            write("Pulumi.x.yml", COPY);
            write("Pulumi.x.yaml", COPY);
            assert.deepStrictEqual(
                linesOf(() => loadStackConfig("x", dir)),
                [
                    "Pulumi.x.yml: the Pulumi CLI reads Pulumi.x.yaml beside Pulumi.yaml and would ignore this file; valid: rename it to Pulumi.x.yaml (merging it with the one there)",
                ],
            );
        });
    });

    it("property: wrong values in the stack file for any keys → one line per key, in declaration order, reader's and program's alike", () => {
        const wrong: Record<KeySpec["type"], string> = {
            string: '"bad\\0value"',
            integer: "123456789",
            boolean: "maybe",
            array: "not-a-list",
        };
        const byDeclaration = (a: KeySpec, b: KeySpec) => CONFIG_KEYS.indexOf(a) - CONFIG_KEYS.indexOf(b);
        fc.assert(
            fc.property(
                fc.uniqueArray(fc.constantFrom(...CONFIG_KEYS.filter((s) => !s.secret && s.key !== "environment")), {
                    minLength: 1,
                    maxLength: 4,
                }),
                (specs) => {
                    write("Pulumi.t.yaml", `${COPY}${specs.map((s) => `  ${ns(s.key)}: ${wrong[s.type]}\n`).join("")}`);
                    const stack = loadStackConfig("t", dir);
                    const lines = linesOf(() => parseConfig(stack));
                    const expected = [...specs].sort(byDeclaration);
                    assert.strictEqual(lines.length, expected.length, lines.join("\n"));
                    lines.forEach((line, i) => assert.ok(line.startsWith(`${ns(expected[i].key)}: `), line));
                },
            ),
            { numRuns: 40 },
        );
    });
});

describe("plan command: refusals before planning, and errors written whole", function () {
    this.timeout(120000);
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "am-cmd-"));
        for (const d of ["config", "lib", "tools"]) fs.cpSync(path.join(ROOT, d), path.join(dir, d), { recursive: true });
        fs.mkdirSync(path.join(dir, "policy", "config"), { recursive: true });
        for (const f of ["Pulumi.yaml", "tsconfig.json", "package.json"]) fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
        fs.copyFileSync(path.join(ROOT, "policy/config/staging.json"), path.join(dir, "policy/config/many.json"));
        fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const args = (extra: string[]) => commandArgs(path.join(dir, "tools/plan.ts"), extra);

    it("an unwritable --json path is refused before anything is planned (exit 2, one line)", async () => {
        fs.writeFileSync(path.join(dir, "Pulumi.many.yaml"), STAGING.replace("environment: staging", "environment: many"));
        const r = await runPlan(["many", "--json", "/nonexistent-dir/plan.json"], dir);
        assert.strictEqual(r.status, 2, r.stderr);
        assert.strictEqual(r.stdout, "");
        assert.strictEqual(
            r.stderr,
            "error: --json /nonexistent-dir/plan.json: the directory /nonexistent-dir does not exist; valid: a file in an existing, writable directory\n",
        );
    });

    it("200 error lines (over 64 KiB) reach a pipe whole before the process exits", async () => {
        const keys = Array.from({ length: 200 }, (_, i) => `  ${ns(`unknownKey${i}`)}: x`).join("\n");
        fs.writeFileSync(path.join(dir, "Pulumi.many.yaml"), `${STAGING.replace("environment: staging", "environment: many")}${keys}\n`);
        const child = spawn(process.execPath, args(["many"]), { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
        let stderr = "";
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
        child.stdout.resume();
        const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
        assert.strictEqual(code, 2);
        assert.ok(stderr.length > 64 * 1024, `${stderr.length} bytes`);
        const lines = stderr.trimEnd().split("\n");
        assert.strictEqual(lines.length, 200);
        assert.ok(
            lines.every((l) => l.endsWith(CONFIG_KEYS.map((k) => k.key).join(", "))),
            "every line whole",
        );
    });
});
