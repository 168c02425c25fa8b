/**
 * The synthetic previews `npm run bench` feeds the policy gate (tools/synthetic.ts): deterministic, the
 * size asked for, and analysed in full by the real pack. No timing here; speed targets live in the bench.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { PolicyPackProcess, runGate, startPack } from "../tools/gate";
import { syntheticDigest, syntheticPolicyConfig, syntheticUnits, UNIT_SIZE, writeSyntheticPolicyConfig } from "../tools/synthetic";

const N = 200;

describe("synthetic previews for the bench", function () {
    this.timeout(60_000);
    let pack: PolicyPackProcess | undefined;
    let configFile: string | undefined;

    before(async () => {
        pack = await startPack(undefined, { stack: "bench", project: "archivematica-infra" });
    });

    after(async () => {
        await pack?.close();
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
    });
});
