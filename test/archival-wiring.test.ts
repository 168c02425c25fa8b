/**
 * ArchivalStorage wired into the real program, per stack file: the buckets under the cluster with the
 * stack's settings and protection, the Storage Service task role on exactly those buckets, the
 * dashboard's bootstrap pointed at them, and the outputs an operator uploads transfers with.
 */
import * as assert from "assert";
import { storageServiceStatements } from "../components/data/archival-storage";
import { unwrapSecrets } from "../tools/mock-runtime";
import type { PlanResult } from "../tools/plan";
import { stackPlan } from "./harness";

type Resource = PlanResult["run"]["resources"][number];

const BUCKETS = ["transfer-source", "aip-store", "dip-store"] as const;

function named(result: PlanResult, name: string): Resource {
    const found = result.run.resources.filter((r) => r.name === name);
    assert.strictEqual(found.length, 1, name);
    return found[0];
}
const inputs = (r: Resource) => unwrapSecrets(r.inputs) as Record<string, any>;

describe("archival storage wired into the cluster", () => {
    const results = new Map<string, PlanResult>();
    before(async function () {
        this.timeout(120000);
        for (const stack of ["staging", "prod"]) results.set(stack, await stackPlan(stack));
    });

    it("one ArchivalStorage under the cluster; prod adds the replica in eu-west-1 (its policy config's `either`)", () => {
        for (const [stack, expected] of [
            ["staging", [...BUCKETS]],
            ["prod", [...BUCKETS, "aip-replica"]],
        ] as const) {
            const result = results.get(stack)!;
            const component = named(result, "archivematica-archive");
            assert.strictEqual(component.type, "archivematica:index:ArchivalStorage");
            assert.strictEqual(component.parent, named(result, "archivematica").urn);
            const buckets = result.run.resources.filter((r) => r.type === "aws:s3/bucket:Bucket" && r.parent === component.urn);
            assert.deepStrictEqual(
                buckets.map((b) => b.name),
                expected.map((role) => `archivematica-archive-${role}`),
                stack,
            );
        }
        assert.strictEqual(inputs(named(results.get("prod")!, "archivematica-archive-aip-replica")).region, "eu-west-1");
    });

    it("protection follows protectData: prod's buckets are protected and never force-destroyed; staging's are neither", () => {
        for (const [stack, protect] of [
            ["staging", false],
            ["prod", true],
        ] as const) {
            for (const role of BUCKETS) {
                const bucket = named(results.get(stack)!, `archivematica-archive-${role}`);
                assert.strictEqual(bucket.protect, protect, `${stack} ${role}`);
                assert.strictEqual(inputs(bucket).forceDestroy, !protect, `${stack} ${role}`);
            }
        }
    });

    it("the AIP lifecycle takes the config defaults: INTELLIGENT_TIERING after 30 days, old versions kept 90", () => {
        const rules = inputs(named(results.get("staging")!, "archivematica-archive-aip-store-lifecycle")).rules;
        const transition = rules.find((r: any) => r.transitions)?.transitions;
        assert.deepStrictEqual(transition, [{ days: 30, storageClass: "INTELLIGENT_TIERING" }]);
        assert.ok(JSON.stringify(rules).includes('"noncurrentDays":90'), JSON.stringify(rules));
    });

    it("the Storage Service task role ends with exactly the buckets' statements; the dashboard's has no S3", async () => {
        for (const stack of ["staging", "prod"]) {
            const result = results.get(stack)!;
            // Each bucket's ARN as its own TLS-only bucket policy names it.
            const arn = (role: string): string =>
                [JSON.parse(inputs(named(result, `archivematica-archive-${role}-policy`)).policy).Statement[0].Resource]
                    .flat()
                    .find((r: string) => !r.endsWith("/*"));
            const policy = JSON.parse(inputs(named(result, "archivematica-storage-service-task-policy")).policy);
            const expected = await new Promise((resolve) =>
                storageServiceStatements(arn("transfer-source"), arn("aip-store"), arn("dip-store")).apply(resolve),
            );
            assert.deepStrictEqual(policy.Statement.slice(-3), expected, stack);
            assert.ok(!inputs(named(result, "archivematica-dashboard-task-policy")).policy.includes("s3:"), stack);
        }
    });

    it("configure-storage gets the real bucket names and region", () => {
        const result = results.get("staging")!;
        const defs = JSON.parse(inputs(named(result, "archivematica-dashboard-task-definition")).containerDefinitions);
        const configure = defs.find((d: any) => d.name === "configure-storage");
        const env = Object.fromEntries(configure.environment.map((e: any) => [e.name, e.value]));
        const bucket = (role: string) => named(result, `archivematica-archive-${role}`).id;
        assert.deepStrictEqual(
            [env.BOOTSTRAP_TRANSFER_BUCKET, env.BOOTSTRAP_AIP_BUCKET, env.BOOTSTRAP_DIP_BUCKET, env.BOOTSTRAP_S3_REGION],
            [bucket("transfer-source"), bucket("aip-store"), bucket("dip-store"), "eu-west-2"],
        );
    });

    it("outputs: the three bucket names, the replica (null without one) and the upload command", () => {
        const staging = unwrapSecrets(results.get("staging")!.run.outputs) as Record<string, unknown>;
        const prod = unwrapSecrets(results.get("prod")!.run.outputs) as Record<string, unknown>;
        const id = (stack: string, role: string) => named(results.get(stack)!, `archivematica-archive-${role}`).id;
        assert.deepStrictEqual(
            [staging.transferBucketName, staging.aipBucketName, staging.dipBucketName, staging.aipReplicaBucketName],
            [id("staging", "transfer-source"), id("staging", "aip-store"), id("staging", "dip-store"), null],
        );
        assert.strictEqual(prod.aipReplicaBucketName, id("prod", "aip-replica"));
        assert.strictEqual(
            staging.uploadTransferCommand,
            `aws s3 sync ./my-transfer s3://${id("staging", "transfer-source")}/transfers/my-transfer/ --region eu-west-2`,
        );
    });
});
