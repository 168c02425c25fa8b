/**
 * gearmand's queue in ElastiCache has transit encryption off (its redis client has no TLS). The
 * policy gate must refuse that unless the stack's policy config names the replication group with a
 * reason: an explicit exception, never a silent default. End to end: plan → gate.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PolicyPackProcess, runGate } from "../tools/gate";
import { planStack, PlanResult } from "../tools/plan";
import { PACK_TEST_TIMEOUT, withPlainStackTraces } from "./harness";
import { sharedPack } from "./support/shared-pack";

const ROOT = path.join(__dirname, "..");
const RULE = "aws-elasticache-replicationgroup-require-encryption";

describe("Redis queue: the transit-encryption exception lives in policy config", () => {
    let dir: string;
    let result: PlanResult;
    let stagingPolicy: Record<string, Record<string, unknown>>;
    /** The process's pack for both gate runs (support/shared-pack.ts), started while the stack plans if it is not up yet. */
    let pack: PolicyPackProcess;

    before(async function () {
        this.timeout(PACK_TEST_TIMEOUT);
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "am-redis-"));
        fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        const staging = fs.readFileSync(path.join(ROOT, "Pulumi.staging.yaml"), "utf8");
        fs.writeFileSync(path.join(dir, "Pulumi.redis.yaml"), `${staging}  archivematica-infra:queueBackend: redis\n`);
        [pack, result] = await Promise.all([sharedPack(), withPlainStackTraces(() => planStack("redis", dir))]);
        stagingPolicy = JSON.parse(fs.readFileSync(path.join(ROOT, "policy/config/staging.json"), "utf8"));
    });
    after(() => {
        fs.rmSync(dir, { recursive: true, force: true });
    });

    function configWith(exceptions: unknown[]): string {
        const file = path.join(dir, `policy-${exceptions.length}.json`);
        const config = { ...stagingPolicy, [RULE]: { ...stagingPolicy[RULE], transitEncryptionExceptions: exceptions } };
        fs.writeFileSync(file, JSON.stringify(config));
        return file;
    }

    it("plans the replication group encrypted at rest, without transit encryption, reachable only from gearmand", () => {
        const group = result.run.resources.find((r) => r.name === "archivematica-queue-redis")!;
        assert.strictEqual(group.inputs.atRestEncryptionEnabled, true);
        assert.strictEqual(group.inputs.transitEncryptionEnabled, false);
        const rules = result.run.resources.filter(
            (r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && r.name.startsWith("archivematica-queue-"),
        );
        assert.deepStrictEqual(
            rules.map((r) => r.name),
            ["archivematica-queue-from-gearmand"],
        );
    });

    it("without an exception the gate fails on the replication group", async function () {
        this.timeout(60000);
        const gate = await runGate(result.digest, { configFile: configWith([]), recorded: result.run.resources, pack });
        assert.strictEqual(gate.passed, false);
        const failures = gate.verdicts
            .filter((v) => v.enforcementLevel === "mandatory")
            .map((v) => [v.policyName, v.urn?.split("::").pop()]);
        assert.deepStrictEqual(failures, [[RULE, "archivematica-queue-redis"]]);
    });

    it("with the named, reasoned exception in the stack's policy config it passes", async function () {
        this.timeout(60000);
        const reason = "gearmand's redis client cannot speak TLS; traffic stays in the VPC, admitted only from gearmand";
        const gate = await runGate(result.digest, {
            configFile: configWith([{ name: "archivematica-queue-redis", reason }]),
            recorded: result.run.resources,
            pack,
        });
        assert.deepStrictEqual(
            gate.verdicts.filter((v) => v.enforcementLevel === "mandatory"),
            [],
        );
        assert.strictEqual(gate.passed, true);
    });
});
