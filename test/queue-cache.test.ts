import * as assert from "assert";
import { QueueCache, QueueCacheArgs } from "../components/data/queue-cache";
import { mergeTags } from "../lib/tags";
import { plan, TestPlan } from "./harness";

const SUBNETS = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"];
const VPC = "vpc-0a1b2c3d4e5f67890";
const GEARMAND_SG = "sg-0123456789abcdef0";
const TAGS = { Project: "archivematica", Environment: "staging", Owner: "dp@example.org", CostCentre: "DP-0042" };
const PROD_TAGS = { ...TAGS, Environment: "production" };

/** Staging: every default. */
const STAGING: QueueCacheArgs = { vpcId: VPC, subnetIds: SUBNETS, tags: TAGS };
const PROD: QueueCacheArgs = { ...STAGING, tags: PROD_TAGS, nodeType: "cache.t4g.small", multiAz: true, snapshotRetentionDays: 7 };

interface Planned {
    p: TestPlan;
    args: QueueCacheArgs;
}

async function planQueue(base: QueueCacheArgs, extra: Partial<QueueCacheArgs> = {}): Promise<Planned> {
    const args = { ...base, ...extra };
    const p = await plan(() => {
        const q = new QueueCache("archivematica-queue", args);
        q.allowFrom("gearmand", GEARMAND_SG);
        return { endpoint: q.endpoint, port: q.port, securityGroupId: q.securityGroupId };
    });
    return { p, args };
}

describe("QueueCache", () => {
    let staging: Planned;
    let prod: Planned;
    before(async () => {
        staging = await planQueue(STAGING);
        prod = await planQueue(PROD);
    });

    it("creates a subnet group, a security group, one ingress rule and the replication group, parented", () => {
        const component = staging.p.named("archivematica-queue");
        assert.strictEqual(component.type, "archivematica:index:QueueCache");
        const kids = staging.p.resources
            .filter((r) => r.parent === component.urn)
            .map((r) => `${r.type} ${r.name}`)
            .sort();
        assert.deepStrictEqual(kids, [
            "aws:ec2/securityGroup:SecurityGroup archivematica-queue-sg",
            "aws:elasticache/replicationGroup:ReplicationGroup archivematica-queue-redis",
            "aws:elasticache/subnetGroup:SubnetGroup archivematica-queue-subnets",
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule archivematica-queue-from-gearmand",
        ]);
        assert.strictEqual(staging.p.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:")).length, 4);
    });

    it("staging: one node, encrypted at rest, transit encryption off (gearmand has no TLS), snapshots", () => {
        const rg = staging.p.named("archivematica-queue-redis");
        assert.deepStrictEqual(rg.props, {
            description: "Archivematica gearmand persistent job queue",
            engine: "redis",
            engineVersion: "7.1",
            nodeType: "cache.t4g.micro",
            port: 6379,
            numCacheClusters: 1,
            automaticFailoverEnabled: false,
            multiAzEnabled: false,
            subnetGroupName: "archivematica-queue-subnets",
            securityGroupIds: [staging.p.named("archivematica-queue-sg").id],
            atRestEncryptionEnabled: true,
            transitEncryptionEnabled: false,
            snapshotRetentionLimit: 1,
            snapshotWindow: "03:00-04:00",
            maintenanceWindow: "sun:04:30-sun:05:30",
            autoMinorVersionUpgrade: true,
            applyImmediately: false,
            tags: mergeTags(TAGS, "archivematica-queue-redis"),
        });
        assert.deepStrictEqual(rg.customTimeouts, { create: "60m", update: "60m", delete: "60m" });
        assert.ok(!("authToken" in rg.props));
    });

    it("prod: a replica in another AZ with automatic failover", () => {
        const props = prod.p.named("archivematica-queue-redis").props;
        assert.deepStrictEqual(
            [
                props.nodeType,
                props.numCacheClusters,
                props.automaticFailoverEnabled,
                props.multiAzEnabled,
                props.snapshotRetentionLimit,
                props.atRestEncryptionEnabled,
                props.transitEncryptionEnabled,
            ],
            ["cache.t4g.small", 2, true, true, 7, true, false],
        );
        assert.deepStrictEqual(props.tags, mergeTags(PROD_TAGS, "archivematica-queue-redis"));
    });

    it("subnet group and security group: private subnets, 6379 only from gearmand, no egress", () => {
        assert.deepStrictEqual(staging.p.named("archivematica-queue-subnets").props, {
            description: "Archivematica gearmand queue: private subnets",
            subnetIds: SUBNETS,
            tags: mergeTags(TAGS, "archivematica-queue-subnets"),
        });
        const sg = staging.p.named("archivematica-queue-sg");
        assert.deepStrictEqual(sg.props, {
            vpcId: VPC,
            description: "Archivematica gearmand queue: 6379 only from gearmand",
            revokeRulesOnDelete: true,
            tags: mergeTags(TAGS, "archivematica-queue-sg"),
        });
        assert.deepStrictEqual(staging.p.named("archivematica-queue-from-gearmand").props, {
            securityGroupId: sg.id,
            referencedSecurityGroupId: GEARMAND_SG,
            ipProtocol: "tcp",
            fromPort: 6379,
            toPort: 6379,
            description: "Redis from gearmand",
            tags: mergeTags(TAGS, "archivematica-queue-from-gearmand"),
        });
        assert.strictEqual(staging.p.ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").length, 0);
    });

    it("outputs the primary endpoint and port", () => {
        assert.deepStrictEqual(staging.p.outputs, {
            endpoint: "master.archivematica-queue-redis.c9df70.euwest2.cache.amazonaws.com",
            port: 6379,
            securityGroupId: staging.p.named("archivematica-queue-sg").id,
        });
        assert.deepStrictEqual(staging.p.named("archivematica-queue").outputs, staging.p.outputs);
    });

    it("valkey engine and refused engine versions", async () => {
        const valkey = await planQueue(STAGING, { engine: "valkey", engineVersion: "8.0" });
        assert.deepStrictEqual(
            [valkey.p.named("archivematica-queue-redis").props.engine, valkey.p.named("archivematica-queue-redis").props.engineVersion],
            ["valkey", "8.0"],
        );
        const cases: [Partial<QueueCacheArgs>, string][] = [
            [
                { engineVersion: "6.2" },
                'QueueCache "archivematica-queue": engineVersion "6.2" is not offered for redis 7+; valid: 7.0 or 7.1',
            ],
            [
                { engineVersion: "8.0" },
                'QueueCache "archivematica-queue": engineVersion "8.0" is not offered for redis 7+; valid: 7.0 or 7.1',
            ],
            [
                { engine: "valkey", engineVersion: "7.1" },
                'QueueCache "archivematica-queue": engineVersion "7.1" is not offered for valkey 7+; valid: 7.2 or 8.x',
            ],
        ];
        for (const [extra, message] of cases) {
            await assert.rejects(planQueue(STAGING, extra), (e: Error) => e.message === message, message);
        }
    });

    it("tags every taggable child with the required tags and its Name", () => {
        for (const { p, args } of [staging, prod]) {
            for (const r of p.resources.filter((x) => x.custom && !x.type.startsWith("pulumi:providers:"))) {
                assert.deepStrictEqual(r.props.tags, mergeTags(args.tags, r.name), r.name);
            }
        }
    });
});
