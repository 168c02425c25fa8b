import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as aws from "../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { PlanError, runProgram, SECRET_SIG, SIG_KEY, unwrapSecrets } from "../tools/mock-runtime";
import { parseArgs, PlanResult, renderPlan, renderTree, unexpanded } from "../tools/plan";
import { listStacks } from "../tools/stack-files";
import { PACK_TEST_TIMEOUT, rawValues, stackGate, stackPlan } from "./harness";
import { commandArgs, runPlan } from "./support/cli";

const ROOT = path.join(__dirname, "..");

describe("plan: command line", () => {
    const good: [string[], { stack: string; jsonFile?: string; skipPolicy: boolean }][] = [
        [["staging"], { stack: "staging", jsonFile: undefined, skipPolicy: false }],
        [["prod", "--json", "out.json"], { stack: "prod", jsonFile: "out.json", skipPolicy: false }],
        [["--json=x.json", "staging", "--skip-policy"], { stack: "staging", jsonFile: "x.json", skipPolicy: true }],
    ];
    for (const [argv, expected] of good) {
        it(argv.join(" "), () => assert.deepStrictEqual(parseArgs(argv), expected));
    }
    const bad: [string[], string][] = [
        [[], "no stack given; usage: npm run plan -- <stack> [--json <file>] [--skip-policy]"],
        [["staging", "--json"], "--json needs a file name; usage: npm run plan -- <stack> [--json <file>] [--skip-policy]"],
        [
            ["staging", "--verbose"],
            "unknown option --verbose; valid: --json <file>, --skip-policy; usage: npm run plan -- <stack> [--json <file>] [--skip-policy]",
        ],
        [["staging", "prod"], 'unexpected argument "prod"; usage: npm run plan -- <stack> [--json <file>] [--skip-policy]'],
    ];
    for (const [argv, message] of bad) {
        it(`refuses: ${argv.join(" ") || "(nothing)"}`, () => assert.throws(() => parseArgs(argv), { message }));
    }
});

/** Runs a small program on the recording mock runtime, as project "p", stack "s". */
function runSmall(program: () => unknown) {
    return runProgram({ project: "p", stack: "s", config: rawValues(), secretKeys: [], program });
}

describe("plan: mock runtime guarantees", () => {
    it("reports duplicate URNs, which mocks would silently accept", async () => {
        await assert.rejects(
            runSmall(() => {
                new aws.cloudwatch.LogGroup("dup", {});
                new aws.cloudwatch.LogGroup("dup", {});
            }),
            (e: Error) =>
                e instanceof PlanError &&
                e.message ===
                    "duplicate resource URN: urn:pulumi:s::p::aws:cloudwatch/logGroup:LogGroup::dup (the engine refuses two resources with one name and type under one parent)",
        );
    });

    it("fails on an invoke it has no answer for, naming it", async () => {
        await assert.rejects(
            runSmall(() => aws.ec2.getAmi({ owners: ["amazon"], mostRecent: true })),
            (e: Error) =>
                e instanceof PlanError &&
                e.message === "offline plan: no mock answer for invoke aws:ec2/getAmi:getAmi; add one to tools/mock-aws.ts",
        );
    });

    it("records parents, dependencies, protect and the default provider", async () => {
        const run = await runSmall(() => {
            const c = new pulumi.ComponentResource("x:index:C", "c");
            const lg = new aws.cloudwatch.LogGroup("c-logs", { retentionInDays: 7 }, { parent: c, protect: true });
            new aws.cloudwatch.LogStream("c-stream", { logGroupName: lg.name }, { parent: c });
        });
        const stream = run.resources.find((r) => r.name === "c-stream")!;
        assert.strictEqual(stream.urn, "urn:pulumi:s::p::x:index:C$aws:cloudwatch/logStream:LogStream::c-stream");
        assert.strictEqual(stream.parent, "urn:pulumi:s::p::x:index:C::c");
        assert.deepStrictEqual(stream.dependencies, ["urn:pulumi:s::p::x:index:C$aws:cloudwatch/logGroup:LogGroup::c-logs"]);
        assert.strictEqual(stream.provider, "urn:pulumi:s::p::pulumi:providers:aws::default_7_48_0::00000000-0000-0000-0000-000000000000");
        assert.strictEqual(run.resources.find((r) => r.name === "c-logs")!.protect, true);
        assert.deepStrictEqual(run.resources.map((r) => r.type).slice(0, 2), ["pulumi:pulumi:Stack", "pulumi:providers:aws"]);
    });

    it("renders the tree with parent/child indentation", async () => {
        const run = await runSmall(() => {
            const c = new pulumi.ComponentResource("x:index:C", "c");
            new aws.cloudwatch.LogGroup("c-a", {}, { parent: c });
            new aws.cloudwatch.LogGroup("c-b", {}, { parent: c });
        });
        assert.strictEqual(
            renderTree(run),
            [
                "     Type                                    Name",
                " +   pulumi:pulumi:Stack                     p-s",
                " +   └─ x:index:C                            c",
                " +      ├─ aws:cloudwatch/logGroup:LogGroup  c-a",
                " +      └─ aws:cloudwatch/logGroup:LogGroup  c-b",
            ].join("\n"),
        );
        assert.deepStrictEqual(unexpanded(run), []);
    });

    it("names components it could not expand (e.g. awsx's remote components)", async () => {
        const run = await runSmall(() => new pulumi.ComponentResource("awsx:ec2:Vpc", "vpc"));
        assert.deepStrictEqual(unexpanded(run), ["awsx:ec2:Vpc vpc"]);
    });
});

describe("plan: every stack file", () => {
    const results = new Map<string, PlanResult>();
    before(async function () {
        this.timeout(120000);
        for (const stack of listStacks()) results.set(stack, await stackPlan(stack));
    });

    for (const stack of listStacks()) {
        it(`${stack}: the JSON has the pulumi preview --json shape`, () => {
            const { digest } = results.get(stack)!;
            assert.deepStrictEqual(Object.keys(digest).sort(), ["changeSummary", "config", "diagnostics", "steps"]);
            assert.deepStrictEqual(digest.changeSummary, { create: digest.steps.length });
            const urns = new Set<string>();
            for (const step of digest.steps) {
                assert.strictEqual(step.op, "create");
                assert.strictEqual(step.urn, step.newState!.urn);
                assert.ok(!urns.has(step.urn), `duplicate ${step.urn}`);
                urns.add(step.urn);
                for (const key of Object.keys(step.newState!)) {
                    assert.ok(
                        [
                            "urn",
                            "custom",
                            "type",
                            "parent",
                            "provider",
                            "inputs",
                            "outputs",
                            "protect",
                            "retainOnDelete",
                            "dependencies",
                            "propertyDependencies",
                            "customTimeouts",
                        ].includes(key),
                        key,
                    );
                }
                if (step.newState!.parent) assert.ok(urns.has(step.newState!.parent), `parent of ${step.urn} comes first`);
                for (const dep of step.newState!.dependencies ?? [])
                    assert.ok(urns.has(dep), `dependency of ${step.urn} comes first: ${dep}`);
            }
            assert.strictEqual(digest.steps[0].newState!.type, "pulumi:pulumi:Stack");
        });

        it(`${stack}: exports the operator outputs`, () => {
            const outputs = results.get(stack)!.run.outputs;
            for (const key of [
                "vpcId",
                "publicSubnetIds",
                "privateSubnetIds",
                "clusterName",
                "clusterArn",
                "fileSystemId",
                "accessPointIds",
            ]) {
                assert.ok(key in outputs, key);
            }
        });
    }

    for (const stack of listStacks()) {
        it(`${stack}: passes the policy gate (mandatory rules, through the pack's gRPC server)`, async function () {
            this.timeout(PACK_TEST_TIMEOUT);
            const { gate, result } = await stackGate(stack);
            const failures = [...gate.errors, ...gate.verdicts.filter((v) => v.enforcementLevel === "mandatory")].map(
                (v) => `${v.policyName} ${v.urn}`,
            );
            assert.deepStrictEqual(failures, []);
            assert.strictEqual(gate.passed, true);
            assert.strictEqual(gate.configFile, path.join(ROOT, "policy", "config", `${stack}.json`));
            assert.deepStrictEqual(result.digest.policy, { passed: true, violations: gate.verdicts });
        });
    }

    it("prod protects its file system; staging protects nothing", () => {
        const protectedIn = (stack: string) =>
            results
                .get(stack)!
                .run.resources.filter((r) => r.protect)
                .map((r) => r.type);
        assert.ok(protectedIn("prod").includes("aws:efs/fileSystem:FileSystem"));
        assert.deepStrictEqual(protectedIn("staging"), []);
    });

    it("secure config values appear only as [secret]", () => {
        const { digest } = results.get("prod")!;
        assert.strictEqual(digest.config!["archivematica-infra:searchUrl"], "[secret]");
        assert.ok(!JSON.stringify(digest).includes("secure-placeholder"));
    });

    for (const stack of listStacks()) {
        it(`${stack}: no secret value (generated passwords, keys, URLs) appears in the JSON or the printed plan`, () => {
            const result = results.get(stack)!;
            const secrets = new Set<string>();
            const collect = (v: unknown): void => {
                if (Array.isArray(v)) v.forEach(collect);
                else if (v && typeof v === "object") {
                    const o = v as Record<string, unknown>;
                    if (o[SIG_KEY] === SECRET_SIG) {
                        const plain = JSON.stringify(unwrapSecrets(o.value));
                        // Only distinctive values: short constants (e.g. a port) would match by accident.
                        for (const m of plain.match(/[A-Za-z0-9_\-.:/@]{12,}/g) ?? []) secrets.add(m);
                    } else Object.values(o).forEach(collect);
                }
            };
            result.run.resources.forEach((r) => collect(r.inputs));
            assert.ok(secrets.size >= 5, `${secrets.size} secret values found in the recorded inputs`);
            const printed = `${JSON.stringify(result.digest)}\n${renderPlan(result)}`;
            for (const value of secrets) assert.ok(!printed.includes(value), `secret value leaked: ${value.slice(0, 4)}…`);
        });
    }
});

describe("plan: the command", () => {
    /** The real process (one test: exit code and stderr); the others drive main() in process. */
    function run(args: string[]) {
        return spawnSync(process.execPath, commandArgs(path.join(ROOT, "tools/plan.ts"), args), { cwd: ROOT, encoding: "utf8" });
    }

    it("an unknown stack is one line listing the stacks, exit 2 (bad input)", () => {
        const r = run(["nope"]);
        assert.strictEqual(r.status, 2);
        assert.strictEqual(r.stderr, `error: unknown stack "nope"; valid: ${listStacks().join(", ")}\n`);
        assert.strictEqual(r.stdout, "");
    });

    it("staging --json writes the preview document", async function () {
        this.timeout(PACK_TEST_TIMEOUT);
        const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "am-plan-")), "staging.json");
        const r = await runPlan(["staging", "--json", out]);
        assert.strictEqual(r.status, 0, r.stderr);
        const doc = JSON.parse(fs.readFileSync(out, "utf8"));
        assert.ok(Array.isArray(doc.steps) && doc.steps.length > 30);
        assert.match(r.stdout, /^Previewing update \(staging\)/);
        assert.match(r.stdout, /Resources:\n {4}\+ \d+ to create\n/);
    });
});
