import * as assert from "assert";
import * as fs from "fs";
import { buildTaggableData, renderTaggableData, TAGGABLE_DATA_PATH } from "../../policy/tools/gen-taggable";

describe("policy/data/taggable-types.json", () => {
    const committed = fs.readFileSync(TAGGABLE_DATA_PATH, "utf8");
    const regenerated = buildTaggableData();

    it("matches a fresh scan of the installed @pulumi/aws (run policy/tools/gen-taggable.ts after upgrading)", () => {
        assert.strictEqual(committed, renderTaggableData(regenerated));
    });

    it("records the installed @pulumi/aws version", () => {
        const installed = JSON.parse(fs.readFileSync(require.resolve("@pulumi/aws/package.json"), "utf8")) as { version: string };
        assert.strictEqual(regenerated.version, installed.version.replace(/^v/, ""));
        assert.strictEqual(regenerated.source, "@pulumi/aws");
    });

    it("holds the taggable types our program emits and none of its untaggable ones", () => {
        const types = new Set(regenerated.types);
        for (const t of [
            "aws:ec2/vpc:Vpc",
            "aws:ec2/subnet:Subnet",
            "aws:ec2/securityGroup:SecurityGroup",
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
            "aws:cloudwatch/logGroup:LogGroup",
            "aws:ecs/cluster:Cluster",
            "aws:ecs/taskDefinition:TaskDefinition",
            "aws:ecs/service:Service",
            "aws:efs/fileSystem:FileSystem",
            "aws:efs/accessPoint:AccessPoint",
            "aws:rds/instance:Instance",
            "aws:secretsmanager/secret:Secret",
            "aws:lb/loadBalancer:LoadBalancer",
            "aws:lb/listener:Listener",
            "aws:s3/bucket:Bucket",
            "aws:iam/role:Role",
            "aws:appautoscaling/target:Target",
        ]) {
            assert.ok(types.has(t), `${t} should be taggable`);
        }
        for (const t of [
            "aws:efs/mountTarget:MountTarget",
            "aws:efs/backupPolicy:BackupPolicy",
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            "aws:appautoscaling/policy:Policy",
            "aws:iam/rolePolicy:RolePolicy",
        ]) {
            assert.ok(!types.has(t), `${t} has no tags input`);
        }
    });

    it("is sorted and free of duplicates", () => {
        assert.deepStrictEqual(regenerated.types, [...new Set(regenerated.types)].sort());
    });
});
