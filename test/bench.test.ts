/**
 * `npm run bench`: the verdicts on given numbers (ratios to the baselines, linear growth, medians, the
 * row a failure prints), and the synthetic previews and program it feeds the gate and the plan
 * (tools/synthetic.ts): deterministic, the size asked for, analysed in full by the real pack. Nothing
 * here is timed; the bench measures, these tests check how it judges.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { PolicyPackProcess, runGate } from "../tools/gate";
import { PACK_TEST_TIMEOUT } from "./harness";
import { sharedPack } from "./support/shared-pack";
import {
    formatRow,
    GATE_RATIO_TARGET,
    LINEAR_FACTOR,
    linearVerdict,
    median,
    medianSample,
    perResource,
    PLAN_RATIO_TARGET,
    ratioVerdict,
    Sample,
    syntheticSizes,
} from "../tools/bench";
import { runProgram } from "../tools/mock-runtime";
import {
    syntheticDigest,
    syntheticPolicyConfig,
    syntheticProgram,
    syntheticUnits,
    UNIT_SIZE,
    writeSyntheticPolicyConfig,
} from "../tools/synthetic";

const sample = (seconds: number, resources: number, maxRssKb = 204_800): Sample => ({ seconds, resources, maxRssKb });

describe("bench verdicts on given numbers", () => {
    it("the targets are the issue's: plan ≤ 0.5 × stock mocks, gate ≤ 1.1 × the plain pack, growth ≤ 1.5 ×", () => {
        assert.deepEqual([PLAN_RATIO_TARGET, GATE_RATIO_TARGET, LINEAR_FACTOR], [0.5, 1.1, 1.5]);
    });

    it("compares time per resource, not totals", () => {
        // ours 2 s / 200 = 10 ms; stock 3 s / 100 = 30 ms → 0.33
        const v = ratioVerdict(sample(2, 200), sample(3, 100), PLAN_RATIO_TARGET, "stock mocks");
        assert.equal(v.ok, true);
        assert.ok(Math.abs(v.ratio - 1 / 3) < 1e-12, String(v.ratio));
        assert.equal(v.why, "0.33 × stock mocks ≤ 0.5");
    });

    it("a missed ratio says by how much and the two rates", () => {
        // ours 1.2 s / 1,000 = 1.2 ms; plain 1 s / 1,000 = 1 ms → 1.2 > 1.1
        const v = ratioVerdict(sample(1.2, 1000), sample(1, 1000), GATE_RATIO_TARGET, "plain pack");
        assert.equal(v.ok, false);
        assert.equal(v.why, "MISSED: 1.20 × plain pack, target ≤ 1.1 (1.200 ms vs 1.000 ms per resource)");
        // exactly on the target passes
        assert.equal(ratioVerdict(sample(1.1, 1000), sample(1, 1000), GATE_RATIO_TARGET, "plain pack").ok, true);
    });

    it("linear growth: per-resource time at 10,000 against 1,000", () => {
        // 1 ms at 1,000; 1.4 ms at 10,000 → 1.4 ≤ 1.5
        assert.deepEqual(linearVerdict(sample(1, 1000), sample(14, 10_000)), {
            ok: true,
            growth: 1.4,
            why: "per resource at 10,000 = 1.40 × at 1,000 ≤ 1.5",
        });
        // 2 ms at 10,000 → 2.0: quadratic creeping in
        const v = linearVerdict(sample(1, 1000), sample(20, 10_000));
        assert.equal(v.ok, false);
        assert.equal(v.why, "MISSED: per resource at 10,000 = 2.00 × at 1,000, target ≤ 1.5 (grows faster than linear)");
    });

    it("synthetic sizes: 1,000 and 10,000 unless BENCH_SIZES names two increasing ones", () => {
        assert.deepEqual(syntheticSizes(undefined), [1000, 10_000]);
        assert.deepEqual(syntheticSizes("200,2000"), [200, 2000]);
        assert.throws(
            () => syntheticSizes("2000,200"),
            /^Error: BENCH_SIZES: 2000,200 is not two increasing sizes; valid: e\.g\. 1000,10000$/,
        );
    });

    it("medians of runs, and a run with no resources is never a fast one", () => {
        assert.equal(median([3, 1, 2]), 2);
        assert.equal(median([4, 1, 3, 2]), 2.5);
        assert.deepEqual(medianSample([sample(3, 188, 300), sample(1, 188, 100), sample(2, 188, 200)]), sample(2, 188, 200));
        assert.equal(perResource(sample(1, 0)), Infinity);
        assert.equal(ratioVerdict(sample(1, 0), sample(1, 100), PLAN_RATIO_TARGET, "stock mocks").ok, false);
    });

    it("a row shows resources, time, both rates, our peak memory and every verdict", () => {
        const ours = sample(2.5, 188, 256_000);
        const stock = sample(10, 186);
        assert.equal(
            formatRow("plan staging", ours, stock, [ratioVerdict(ours, stock, PLAN_RATIO_TARGET, "stock mocks")]),
            "| plan staging | 188 | 2.50 s | 13.298 ms | 53.763 ms | 250 MB | 0.25 × stock mocks ≤ 0.5 |",
        );
    });
});

const N = 200;

describe("synthetic previews for the bench", function () {
    this.timeout(60_000);
    let pack: PolicyPackProcess | undefined;
    let configFile: string | undefined;

    before(async function () {
        this.timeout(PACK_TEST_TIMEOUT);
        pack = await sharedPack();
    });

    after(() => {
        if (configFile) fs.rmSync(path.dirname(configFile), { recursive: true, force: true });
    });

    it("has exactly N resources: the stack, its provider, whole service units and extra log groups", () => {
        const digest = syntheticDigest(N);
        assert.equal(digest.steps.length, N);
        assert.equal(new Set(digest.steps.map((s) => s.urn)).size, N, "URNs are unique");
        assert.equal(digest.steps[0].newState?.type, "pulumi:pulumi:Stack");
        assert.equal(digest.steps[1].newState?.type, "pulumi:providers:aws");
        const count = (type: string) => digest.steps.filter((s) => s.newState?.type === type).length;
        const units = syntheticUnits(N);
        assert.equal(units, Math.floor((N - 2) / UNIT_SIZE));
        for (const type of [
            "aws:ecs/taskDefinition:TaskDefinition",
            "aws:ecs/service:Service",
            "aws:ec2/securityGroup:SecurityGroup",
            "aws:efs/fileSystem:FileSystem",
            "aws:rds/instance:Instance",
        ]) {
            assert.equal(count(type), units, type);
        }
        assert.equal(count("aws:cloudwatch/logGroup:LogGroup"), 2 * units + (N - 2 - units * UNIT_SIZE));
        const td = digest.steps.find((s) => s.newState?.type === "aws:ecs/taskDefinition:TaskDefinition")!;
        const containers = JSON.parse(td.newState!.inputs.containerDefinitions as string) as { essential: boolean }[];
        assert.deepEqual(
            containers.map((c) => c.essential),
            [false, true],
        );
    });

    it("is deterministic", () => {
        assert.deepEqual(syntheticDigest(N), syntheticDigest(N));
        assert.deepEqual(syntheticPolicyConfig(N), syntheticPolicyConfig(N));
    });

    it("is analysed in full by the pack, and every rule passes", async () => {
        configFile = writeSyntheticPolicyConfig(N);
        const result = await runGate(syntheticDigest(N), { configFile, pack });
        assert.equal(result.resourcesAnalyzed, N);
        assert.equal(result.urns.length, N);
        assert.deepEqual(result.errors, []);
        assert.deepEqual(result.verdicts, []);
        assert.equal(result.passed, true);
    });

    it("rejects a size without room for the stack and its provider", () => {
        assert.throws(() => syntheticDigest(1), /at least 2 resources/);
        assert.throws(() => syntheticProgram(1), /at least 2 resources/);
    });

    it("the synthetic program registers exactly n resources on our runtime", async () => {
        const run = await runProgram({
            project: "archivematica-infra",
            stack: "bench",
            config: { "aws:region": "eu-west-2" },
            secretKeys: [],
            program: () => syntheticProgram(10),
        });
        // Registration order is the SDK's (asynchronous); the set of resources is the program's.
        assert.equal(run.resources.length, 10);
        assert.deepEqual(run.resources.map((r) => r.type).sort(), [
            "aws:cloudwatch/logGroup:LogGroup",
            "aws:cloudwatch/logGroup:LogGroup",
            "aws:ec2/securityGroup:SecurityGroup",
            "aws:ec2/securityGroup:SecurityGroup",
            "aws:iam/role:Role",
            "aws:iam/role:Role",
            "aws:secretsmanager/secret:Secret",
            "aws:secretsmanager/secret:Secret",
            "pulumi:providers:aws",
            "pulumi:pulumi:Stack",
        ]);
    });
});
