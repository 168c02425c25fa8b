import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { SharedStorage } from "../components/data/shared-storage";
import { plan } from "./harness";

const tags = { Project: "archivematica", Environment: "staging", Owner: "dp@example.org", CostCentre: "DP-0042" };
const subnets = ["subnet-0a1b2c3d4e5f60003", "subnet-0a1b2c3d4e5f60004", "subnet-0a1b2c3d4e5f60005"];

describe("SharedStorage (EFS)", () => {
    it("turns EFS automatic backups off when the stack's AWS Backup plan covers the file system", async () => {
        const p = await plan(() => new SharedStorage("st", { vpcId: "vpc-1", subnetIds: subnets, tags, automaticBackups: false }));
        assert.deepStrictEqual(p.named("st-backup").props, { fileSystemId: p.named("st-efs").id, backupPolicy: { status: "DISABLED" } });
    });

    it("encrypted, elastic throughput, backups on, TLS enforced by policy", async () => {
        const p = await plan(() => new SharedStorage("st", { vpcId: "vpc-1", subnetIds: subnets, tags }));
        const fs = p.named("st-efs");
        assert.deepStrictEqual(fs.props, {
            encrypted: true,
            performanceMode: "generalPurpose",
            throughputMode: "elastic",
            lifecyclePolicies: [{ transitionToIa: "AFTER_30_DAYS" }, { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" }],
            tags: { ...tags, Name: "st-efs" },
        });
        assert.strictEqual(fs.protect, false);
        assert.deepStrictEqual(p.named("st-backup").props, { fileSystemId: fs.id, backupPolicy: { status: "ENABLED" } });
        const policy = p.named("st-policy");
        const fsArn = `arn:aws:elasticfilesystem:eu-west-2:123456789012:file-system/${fs.id}`;
        const apArn = (volume: string) => `arn:aws:elasticfilesystem:eu-west-2:123456789012:access-point/${p.named(`st-ap-${volume}`).id}`;
        assert.deepStrictEqual(JSON.parse(policy.props.policy), {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "DenyUnencryptedTransport",
                    Effect: "Deny",
                    Principal: { AWS: "*" },
                    Action: "*",
                    Resource: fsArn,
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                },
                {
                    Sid: "DenyMountsWithoutOurAccessPoints",
                    Effect: "Deny",
                    Principal: { AWS: "*" },
                    Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
                    Resource: fsArn,
                    Condition: {
                        StringNotEquals: {
                            "elasticfilesystem:AccessPointArn": [
                                apArn("sharedDirectory"),
                                apArn("storageServiceStaging"),
                                apArn("transferSource"),
                            ],
                        },
                    },
                },
                {
                    Sid: "DenyRootAccess",
                    Effect: "Deny",
                    Principal: { AWS: "*" },
                    Action: "elasticfilesystem:ClientRootAccess",
                    Resource: fsArn,
                },
            ],
        });
        // Nothing in the policy allows anything: access comes only from the tasks' own roles.
        assert.ok(JSON.parse(policy.props.policy).Statement.every((st: { Effect: string }) => st.Effect === "Deny"));
        assert.strictEqual(policy.props.fileSystemId, fs.id);
    });

    it("a mount target per private subnet, all behind the EFS security group, exposed for services to wait on", async () => {
        const p = await plan(() => {
            const st = new SharedStorage("st", { vpcId: "vpc-1", subnetIds: subnets, tags });
            return { mountTargetIds: st.mountTargets.map((m) => m.id) };
        });
        const sg = p.named("st-sg");
        assert.deepStrictEqual(sg.props, {
            vpcId: "vpc-1",
            description: "EFS mount targets: NFS from Archivematica services only",
            tags: { ...tags, Name: "st-sg" },
        });
        const mounts = p.ofType("aws:efs/mountTarget:MountTarget").map((m) => [m.name, m.props.subnetId, m.props.securityGroups]);
        assert.deepStrictEqual(
            mounts,
            subnets.map((s, i) => [`st-mount-${i}`, s, [sg.id]]),
        );
        assert.deepStrictEqual(p.outputs, { mountTargetIds: p.ofType("aws:efs/mountTarget:MountTarget").map((m) => m.id) });
    });

    it("access points enforce uid/gid 1000 and create their root directories", async () => {
        const p = await plan(() => new SharedStorage("st", { vpcId: "vpc-1", subnetIds: subnets, tags }));
        const aps = p
            .ofType("aws:efs/accessPoint:AccessPoint")
            .map((a) => [a.name, a.props.posixUser, a.props.rootDirectory, a.props.tags.Volume]);
        const creationInfo = { ownerUid: 1000, ownerGid: 1000, permissions: "0775" };
        assert.deepStrictEqual(aps, [
            [
                "st-ap-sharedDirectory",
                { uid: 1000, gid: 1000 },
                { path: "/archivematica/sharedDirectory", creationInfo },
                "sharedDirectory",
            ],
            [
                "st-ap-storageServiceStaging",
                { uid: 1000, gid: 1000 },
                { path: "/archivematica/storage_service", creationInfo },
                "storageServiceStaging",
            ],
            ["st-ap-transferSource", { uid: 1000, gid: 1000 }, { path: "/archivematica/transfer-source", creationInfo }, "transferSource"],
        ]);
    });

    it("another POSIX id for older images", async () => {
        const p = await plan(() => new SharedStorage("st", { vpcId: "vpc-1", subnetIds: subnets, tags, posixId: 333 }));
        assert.deepStrictEqual(p.named("st-ap-sharedDirectory").props.posixUser, { uid: 333, gid: 333 });
    });

    it("protect marks the file system (and only it) protected", async () => {
        const p = await plan(() => new SharedStorage("st", { vpcId: "vpc-1", subnetIds: subnets, tags, protect: true }));
        const isProtected = p.resources.filter((r) => r.protect).map((r) => r.name);
        assert.deepStrictEqual(isProtected, ["st-efs"]);
    });

    it("allowFrom admits NFS from exactly one security group", async () => {
        const p = await plan(() => {
            const st = new SharedStorage("st", { vpcId: "vpc-1", subnetIds: subnets, tags });
            st.allowFrom("dashboard", pulumi.output("sg-0dashboard"));
        });
        assert.deepStrictEqual(p.named("st-from-dashboard").props, {
            securityGroupId: p.named("st-sg").id,
            referencedSecurityGroupId: "sg-0dashboard",
            ipProtocol: "tcp",
            fromPort: 2049,
            toPort: 2049,
            description: "NFS from dashboard",
            tags: { ...tags, Name: "st-from-dashboard" },
        });
        assert.strictEqual(p.named("st-from-dashboard").parent, p.named("st").urn);
    });
});
