/**
 * Data-store and ingress configuration: every bad input is one `ConfigError` line naming the key and
 * the valid values, raised before any resource registers.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, openSearchZoneCount, PROJECT } from "../config";
import { isMysqlInstanceClass, supportsPerformanceInsights } from "../lib/instance-classes";
import { testConfig } from "./harness";

const ns = (key: string) => `${PROJECT}:${key}`;
const OS = { archivematicaVersion: "1.17", searchMode: "opensearch" };
const CLASS_HINT =
    "db.<family>.<size> with family t3, t4g, m5, m5d, m6g, m6gd, m6i, m7g, m7i, r5, r5b, r5d, r6g, r6gd, r6i, r7g, r7i (e.g. db.t4g.small, db.m7g.large)";

/** [what, raw overrides, secret keys, exact message] */
const BAD: [string, Record<string, string>, string[], string][] = [
    // --- database
    [
        "engine version 5.7",
        { dbEngineVersion: "5.7.44" },
        [],
        `${ns("dbEngineVersion")}: "5.7.44" is not valid; valid: 8.0 or 8.4, or a pinned 8.0.32 to 8.0.49 or 8.4.x`,
    ],
    [
        "engine version 8.0.28 (too old)",
        { dbEngineVersion: "8.0.28" },
        [],
        `${ns("dbEngineVersion")}: "8.0.28" is not valid; valid: 8.0 or 8.4, or a pinned 8.0.32 to 8.0.49 or 8.4.x`,
    ],
    [
        "engine version without minor",
        { dbEngineVersion: "8" },
        [],
        `${ns("dbEngineVersion")}: "8" is not valid; valid: 8.0 or 8.4, or a pinned 8.0.32 to 8.0.49 or 8.4.x`,
    ],
    [
        "previous-generation class MySQL 8 does not run on",
        { dbInstanceClass: "db.m1.small" },
        [],
        `${ns("dbInstanceClass")}: "db.m1.small" is not an RDS for MySQL instance class; valid: ${CLASS_HINT}`,
    ],
    [
        "instance class that does not exist",
        { dbInstanceClass: "db.t4g.huge" },
        [],
        `${ns("dbInstanceClass")}: "db.t4g.huge" is not an RDS for MySQL instance class; valid: ${CLASS_HINT}`,
    ],
    [
        "retired db.t2 class",
        { dbInstanceClass: "db.t2.small" },
        [],
        `${ns("dbInstanceClass")}: "db.t2.small" is not an RDS for MySQL instance class; valid: ${CLASS_HINT}`,
    ],
    [
        "serverless is Aurora only",
        { dbInstanceClass: "db.serverless" },
        [],
        `${ns("dbInstanceClass")}: "db.serverless" is not an RDS for MySQL instance class; valid: ${CLASS_HINT}`,
    ],
    ["backup retention 0", { dbBackupRetentionDays: "0" }, [], `${ns("dbBackupRetentionDays")}: 0 is out of range; valid: 1 to 35`],
    ["backup retention 36", { dbBackupRetentionDays: "36" }, [], `${ns("dbBackupRetentionDays")}: 36 is out of range; valid: 1 to 35`],
    [
        "protected stack with 1 day of backups",
        { protectData: "true", dbBackupRetentionDays: "1" },
        [],
        `${ns("dbBackupRetentionDays")}: 1 is too short for a stack whose data is protected (protectData is true); valid: 7 to 35`,
    ],
    [
        "max_allowed_packet below 256 MiB",
        { dbMaxAllowedPacketMiB: "64" },
        [],
        `${ns("dbMaxAllowedPacketMiB")}: 64 is out of range; valid: 256 to 1024`,
    ],
    [
        "storage limit below initial storage",
        { dbAllocatedStorageGiB: "200", dbMaxAllocatedStorageGiB: "100" },
        [],
        `${ns("dbMaxAllocatedStorageGiB")}: 100 is less than 10 % above dbAllocatedStorageGiB (200), which RDS storage autoscaling needs; valid: 220 to 65536`,
    ],
    // A single-AZ network cannot be configured at all, so Multi-AZ on one zone fails on the zone count.
    [
        "Multi-AZ database on a single AZ",
        { availabilityZones: "1", dbMultiAz: "true" },
        [],
        `${ns("availabilityZones")}: 1 is out of range; valid: 2 to 3`,
    ],
    [
        "Multi-AZ redis on a single AZ",
        { availabilityZones: "1", queueBackend: "redis", redisMultiAz: "true" },
        [],
        `${ns("availabilityZones")}: 1 is out of range; valid: 2 to 3`,
    ],
    [
        "Multi-AZ with one existing private subnet",
        {
            vpcId: "vpc-0a1b2c3d4e5f67890",
            publicSubnetIds: '["subnet-0aaaaaaaaaaaaaaa1","subnet-0aaaaaaaaaaaaaaa2"]',
            privateSubnetIds: '["subnet-0bbbbbbbbbbbbbbb1"]',
            dbMultiAz: "true",
        },
        [],
        `${ns("privateSubnetIds")}: 1 subnet(s) given with vpcId; valid: at least 2 subnet ids in different availability zones`,
    ],
    // --- search
    [
        "opensearch with Archivematica 1.18",
        { searchMode: "opensearch" },
        [],
        `${ns("searchMode")}: opensearch is not possible with Archivematica 1.18, which needs Elasticsearch 8 and Amazon OpenSearch Service offers Elasticsearch only up to 7.10; valid: disabled, or external with an Elasticsearch 8 URL (e.g. Elastic Cloud); opensearch needs archivematicaVersion 1.17`,
    ],
    [
        "external without a URL",
        { searchMode: "external" },
        [],
        `${ns("searchUrl")}: required when searchMode is external; valid: a secret https://user:password@host:9200 URL`,
    ],
    [
        "external URL without credentials",
        { searchMode: "external", searchUrl: "https://es.example.org:9243" },
        ["searchUrl"],
        `${ns("searchUrl")}: the secret value is not a URL with credentials; valid: https://user:password@host:9200`,
    ],
    [
        "URL set while search is disabled",
        { searchUrl: "https://u:p@es.example.org:9243" },
        ["searchUrl"],
        `${ns("searchUrl")}: is set but searchMode is disabled; valid: unset, or searchMode external`,
    ],
    [
        "unknown search mode",
        { searchMode: "elasticsearch" },
        [],
        `${ns("searchMode")}: "elasticsearch" is not allowed; valid: disabled, external, opensearch`,
    ],
    [
        "OpenSearch T2 type: no encryption at rest or FGAC",
        { ...OS, openSearchInstanceType: "t2.small.search" },
        [],
        `${ns("openSearchInstanceType")}: "t2.small.search" supports neither encryption at rest nor fine-grained access control; valid: a current instance type such as t3.medium.search or m6g.large.search`,
    ],
    [
        "OpenSearch instance type typo",
        { ...OS, openSearchInstanceType: "m6g.large" },
        [],
        `${ns("openSearchInstanceType")}: "m6g.large" is not valid; valid: an OpenSearch instance type such as m6g.large.search`,
    ],
    [
        "3 OpenSearch nodes over 2 AZs",
        { ...OS, openSearchInstanceCount: "3" },
        [],
        `${ns("openSearchInstanceCount")}: 3 data nodes cannot be spread evenly over the network's 2 availability zones; valid: 1 or an even number (or a multiple of 3 with availabilityZones 3)`,
    ],
    [
        "5 OpenSearch nodes over 3 AZs",
        { ...OS, availabilityZones: "3", openSearchInstanceCount: "5" },
        [],
        `${ns("openSearchInstanceCount")}: 5 data nodes cannot be spread evenly over the network's 3 availability zones; valid: 1, an even number, or a multiple of 3`,
    ],
    [
        "dedicated masters for one data node",
        { ...OS, openSearchDedicatedMasters: "true" },
        [],
        `${ns("openSearchDedicatedMasters")}: three dedicated masters for a single data node add cost and no resilience; valid: false, or openSearchInstanceCount 2 or more`,
    ],
    [
        "OpenSearch volume too small",
        { ...OS, openSearchVolumeSizeGiB: "5" },
        [],
        `${ns("openSearchVolumeSizeGiB")}: 5 is out of range; valid: 10 to 1024`,
    ],
    // --- queue
    [
        "unknown queue backend",
        { queueBackend: "memcached" },
        [],
        `${ns("queueBackend")}: "memcached" is not allowed; valid: builtin, redis`,
    ],
    [
        "redis node type typo",
        { queueBackend: "redis", redisNodeType: "t4g.micro" },
        [],
        `${ns("redisNodeType")}: "t4g.micro" is not valid; valid: an ElastiCache node type such as cache.t4g.small`,
    ],
    [
        "redis snapshots 0 days",
        { queueBackend: "redis", redisSnapshotRetentionDays: "0" },
        [],
        `${ns("redisSnapshotRetentionDays")}: 0 is out of range; valid: 1 to 35`,
    ],
    // --- ingress
    [
        "certificate that is not ACM",
        { certificateArn: "arn:aws:iam::123456789012:server-certificate/am" },
        [],
        `${ns("certificateArn")}: "arn:aws:iam::123456789012:server-certificate/am" is an ARN of iam, not acm; valid: empty, or an ACM certificate (certificate/<lower-case UUID>) such as arn:aws:acm:eu-west-2:123456789012:certificate/6f1c9a52-3b7e-4d0a-9c21-8e4f5b2d7a10`,
    ],
    [
        "allowed CIDR that is a host",
        { allowedCidrs: '["203.0.113.7"]' },
        [],
        `${ns("allowedCidrs")}: item "203.0.113.7" is not valid; valid: a list of IPv4 CIDRs such as 203.0.113.0/24, with no host bits set`,
    ],
    [
        "one host name for both apps",
        { storageServiceHostname: "am.example.org" },
        [],
        `${ns("storageServiceHostname")}: is the same as dashboardHostname; valid: a host name other than the dashboard's`,
    ],
];

describe("config: data stores and ingress, bad input", () => {
    for (const [what, overrides, secretKeys, message] of BAD) {
        it(`${what} → one line naming the key`, () => {
            let thrown: unknown;
            try {
                testConfig(overrides, secretKeys);
            } catch (e) {
                thrown = e;
            }
            assert.ok(thrown instanceof ConfigError, `expected a ConfigError, got ${String(thrown)}`);
            assert.strictEqual(thrown.message, message);
            assert.ok(!thrown.message.includes("\n"));
            assert.ok(thrown.message.startsWith(`${PROJECT}:`));
        });
    }
    it("never echoes a secret search URL in an error", () => {
        assert.throws(
            () => testConfig({ searchMode: "external", searchUrl: "not-a-url-hunter2" }, ["searchUrl"]),
            (e: Error) => !e.message.includes("hunter2"),
        );
    });
});

describe("config: data stores, good input", () => {
    it("protected stack with 7 days of backups, Multi-AZ, deletion protection, final snapshot", () => {
        const c = testConfig({
            protectData: "true",
            dbBackupRetentionDays: "7",
            dbMultiAz: "true",
            dbDeletionProtection: "true",
            dbFinalSnapshot: "true",
            dbEngineVersion: "8.4.3",
        });
        assert.deepStrictEqual(c.database, {
            engineVersion: "8.4.3",
            instanceClass: "db.t4g.small",
            allocatedStorageGiB: 20,
            maxAllocatedStorageGiB: 100,
            backupRetentionDays: 7,
            multiAz: true,
            deletionProtection: true,
            finalSnapshot: true,
            maxAllowedPacketMiB: 256,
            applyImmediately: true,
        });
    });

    it("OpenSearch on 1.17: 3 nodes over 3 AZs with dedicated masters; 2 and 4 nodes over 2 AZs", () => {
        assert.deepStrictEqual(
            testConfig({
                ...OS,
                availabilityZones: "3",
                openSearchInstanceCount: "3",
                openSearchDedicatedMasters: "true",
                searchIndexes: "aips",
            }).search,
            {
                mode: "opensearch",
                indexes: "aips",
                instanceType: "t3.small.search",
                instanceCount: 3,
                dedicatedMasters: true,
                volumeSizeGiB: 20,
            },
        );
        for (const n of ["2", "4"])
            assert.strictEqual(
                (testConfig({ ...OS, openSearchInstanceCount: n }).search as { instanceCount: number }).instanceCount,
                Number(n),
            );
    });

    it("external search keeps the URL a secret Output", async () => {
        const c = testConfig({ searchMode: "external", searchUrl: "https://u:p@es.example.org:9243" }, ["searchUrl"]);
        assert.strictEqual(c.search.mode, "external");
        if (c.search.mode !== "external") return;
        assert.strictEqual(await pulumi.isSecret(c.search.url), true);
    });

    it("redis queue with Multi-AZ", () => {
        assert.deepStrictEqual(testConfig({ queueBackend: "redis", redisMultiAz: "true", redisNodeType: "cache.t4g.small" }).queue, {
            backend: "redis",
            nodeType: "cache.t4g.small",
            multiAz: true,
            snapshotRetentionDays: 1,
        });
    });

    it("openSearchZoneCount spreads nodes evenly or refuses", () => {
        const table: [number, number, number | undefined][] = [
            [1, 2, 1],
            [1, 3, 1],
            [2, 2, 2],
            [2, 3, 2],
            [3, 2, undefined],
            [3, 3, 3],
            [4, 3, 2],
            [5, 3, undefined],
            [6, 2, 2],
            [6, 3, 3],
            [9, 3, 3],
        ];
        for (const [count, azs, zones] of table)
            assert.strictEqual(openSearchZoneCount(count, azs), zones, `${count} nodes over ${azs} AZs`);
    });

    it("instance classes: MySQL families, and Performance Insights only above small burstables", () => {
        for (const c of ["db.t3.micro", "db.t4g.small", "db.m7g.large", "db.r6i.32xlarge", "db.m7i.48xlarge"])
            assert.ok(isMysqlInstanceClass(c), c);
        for (const c of ["db.m7g.48xlarge", "db.x2g.large", "db.t4g", "t4g.small"]) assert.ok(!isMysqlInstanceClass(c), c);
        assert.deepStrictEqual(["db.t3.micro", "db.t4g.small", "db.t4g.medium", "db.m7g.large"].map(supportsPerformanceInsights), [
            false,
            false,
            true,
            true,
        ]);
    });
});
