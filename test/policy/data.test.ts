import * as assert from "assert";
import * as dataProtection from "../../policy/rules/aws-rds-instance-require-data-protection";
import * as minorUpgrade from "../../policy/rules/aws-rds-instance-require-minor-version-upgrade";
import * as cacheResilience from "../../policy/rules/aws-elasticache-replicationgroup-require-resilience";
import * as efsBackup from "../../policy/rules/aws-efs-filesystem-require-backup-policy";
import * as accessPoint from "../../policy/rules/aws-efs-accesspoint-require-posix-identity";
import * as lbSettings from "../../policy/rules/aws-lb-loadbalancer-require-secure-settings";
import { dependsOn, resource, TAGS } from "./fixtures";
import { runResource, runStack, UNKNOWN, unknownAdvisory, urnOf } from "./harness";

type Props = Record<string, unknown>;

describe("aws-rds-instance-require-data-protection", () => {
    const { policy } = dataProtection;
    const prod: Props = {
        engine: "mysql",
        storageEncrypted: true,
        deletionProtection: true,
        backupRetentionPeriod: 14,
        multiAz: true,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: "archivematica-prod-final",
        tags: TAGS,
    };
    const staging: Props = { engine: "mysql", storageEncrypted: true, backupRetentionPeriod: 1, skipFinalSnapshot: true, tags: TAGS };
    const STAGING_CONFIG = {
        requireDeletionProtection: false,
        minimumBackupRetentionDays: 1,
        requireMultiAz: false,
        requireFinalSnapshot: false,
    };
    const db = (props: Props) => resource("aws:rds/instance:Instance", "database-db", props);

    it("passes a production instance under the default (production) settings", async () => {
        assert.deepStrictEqual((await runResource(policy, db(prod))).messages, []);
    });
    it("reports each missing protection of a staging-like instance under production settings", async () => {
        assert.deepStrictEqual((await runResource(policy, db(staging))).messages, [
            "deletionProtection is not true; set deletionProtection: true",
            "backupRetentionPeriod is 1; at least 7 days required",
            "multiAz is not true; set multiAz: true",
            "skipFinalSnapshot is true; set skipFinalSnapshot: false with a finalSnapshotIdentifier",
        ]);
    });
    it("requires a final snapshot name when skipFinalSnapshot is false or unset", async () => {
        assert.deepStrictEqual((await runResource(policy, db({ ...prod, finalSnapshotIdentifier: undefined }))).messages, [
            "finalSnapshotIdentifier is not set; name the snapshot taken when the instance is deleted",
        ]);
    });
    it("reports an unset retention", async () => {
        assert.deepStrictEqual((await runResource(policy, db({ ...prod, backupRetentionPeriod: undefined }))).messages, [
            "backupRetentionPeriod is not set; at least 7 days required",
        ]);
    });
    it("applies the staging config from policy/config/staging.json", async () => {
        assert.deepStrictEqual((await runResource(policy, db(staging), STAGING_CONFIG)).messages, []);
        assert.deepStrictEqual((await runResource(policy, db({ ...staging, backupRetentionPeriod: 0 }), STAGING_CONFIG)).messages, [
            "backupRetentionPeriod is 0; at least 1 day required",
        ]);
    });
    it("defers unknown values", async () => {
        const out = await runResource(policy, db({ ...prod, deletionProtection: UNKNOWN.boolean }));
        assert.strictEqual(out.unknown, unknownAdvisory(policy.name, "boolean", "deletionProtection"));
        assert.deepStrictEqual(out.messages, []);
    });
});

describe("aws-rds-instance-require-minor-version-upgrade", () => {
    const { policy } = minorUpgrade;
    const db = (props: Props) => resource("aws:rds/instance:Instance", "database-db", props);
    it("passes unset and true", async () => {
        assert.deepStrictEqual((await runResource(policy, db({}))).messages, []);
        assert.deepStrictEqual((await runResource(policy, db({ autoMinorVersionUpgrade: true }))).messages, []);
    });
    it("fails false", async () => {
        assert.deepStrictEqual((await runResource(policy, db({ autoMinorVersionUpgrade: false }))).messages, [
            "autoMinorVersionUpgrade is false; leave it unset or true so security fixes are applied",
        ]);
    });
    it("defers an unknown value", async () => {
        assert.strictEqual(
            (await runResource(policy, db({ autoMinorVersionUpgrade: UNKNOWN.boolean }))).unknown,
            unknownAdvisory(policy.name, "boolean", "autoMinorVersionUpgrade"),
        );
    });
});

describe("aws-elasticache-replicationgroup-require-resilience", () => {
    const { policy } = cacheResilience;
    const group = (props: Props) => resource("aws:elasticache/replicationGroup:ReplicationGroup", "archivematica-queue-redis", props);
    const good = { snapshotRetentionLimit: 7, autoMinorVersionUpgrade: true, automaticFailoverEnabled: true, numCacheClusters: 2 };
    it("is advisory by default and passes a resilient group", async () => {
        assert.strictEqual(policy.enforcementLevel, "advisory");
        assert.deepStrictEqual((await runResource(policy, group(good))).messages, []);
    });
    it("reports no backups, no minor upgrades and no failover", async () => {
        assert.deepStrictEqual(
            (await runResource(policy, group({ snapshotRetentionLimit: 0, autoMinorVersionUpgrade: false, numCacheClusters: 1 }))).messages,
            [
                "snapshotRetentionLimit is 0; keep at least 1 day of automatic backups",
                "autoMinorVersionUpgrade is false; leave it unset or true",
                "automaticFailoverEnabled is not true; run two nodes with automaticFailoverEnabled: true",
            ],
        );
    });
    it("applies config (single-node staging queue)", async () => {
        const single = { snapshotRetentionLimit: 1, numCacheClusters: 1 };
        assert.deepStrictEqual(
            (await runResource(policy, group(single), { minimumSnapshotRetentionDays: 1, requireAutomaticFailover: false })).messages,
            [],
        );
        assert.deepStrictEqual(
            (await runResource(policy, group(single), { minimumSnapshotRetentionDays: 7, requireAutomaticFailover: false })).messages,
            ["snapshotRetentionLimit is 1; keep at least 7 days of automatic backups"],
        );
    });
    it("defers unknown values", async () => {
        assert.strictEqual(
            (await runResource(policy, group({ snapshotRetentionLimit: UNKNOWN.number }))).unknown,
            unknownAdvisory(policy.name, "number", "snapshotRetentionLimit"),
        );
    });
});

describe("aws-efs-filesystem-require-backup-policy", () => {
    const { policy } = efsBackup;
    const MESSAGE =
        'file system has no aws:efs/backupPolicy with backupPolicy.status "ENABLED" and is in no aws:backup/selection of a plan';
    const fs = resource("aws:efs/fileSystem:FileSystem", "storage-efs", { encrypted: true, tags: TAGS });
    const db = resource("aws:rds/instance:Instance", "database-db", { storageEncrypted: true, tags: TAGS });
    const backup = (status: string) =>
        dependsOn(
            resource("aws:efs/backupPolicy:BackupPolicy", "storage-backup", { fileSystemId: UNKNOWN.string, backupPolicy: { status } }),
            "fileSystemId",
            fs,
        );
    const plan = resource("aws:backup/plan:Plan", "backup-plan", {
        rules: [{ ruleName: "daily", lifecycle: { deleteAfter: 35 } }],
        tags: TAGS,
    });
    /** A selection of `plan` (or of a literal plan id, `undefined`) covering `covered`. */
    const selection = (covered: (typeof fs)[], of: typeof plan | undefined = plan) => {
        let s = resource("aws:backup/selection:Selection", "backup-selection", {
            planId: of ? UNKNOWN.string : "plan-0123",
            iamRoleArn: "arn:aws:iam::123456789012:role/backup",
            resources: covered.map(() => UNKNOWN.string),
        });
        if (of) s = dependsOn(s, "planId", of);
        for (const target of covered) s = dependsOn(s, "resources", target);
        return s;
    };

    it("passes a file system with backups ENABLED", async () => {
        assert.deepStrictEqual(await runStack(policy, [fs, backup("ENABLED")]), { messages: [], urns: [] });
    });
    it("passes a file system in a selection of the stack's plan, its automatic backups DISABLED", async () => {
        assert.deepStrictEqual(await runStack(policy, [fs, db, plan, backup("DISABLED"), selection([fs, db])]), { messages: [], urns: [] });
    });
    it("fails a file system without a backup policy, or with backups DISABLED", async () => {
        for (const resources of [[fs], [fs, backup("DISABLED")]]) {
            const out = await runStack(policy, resources);
            assert.deepStrictEqual(out.messages, [MESSAGE]);
            assert.deepStrictEqual(out.urns, [urnOf(fs.type, fs.name)]);
        }
    });
    it("fails when the selection covers other resources only", async () => {
        const out = await runStack(policy, [fs, db, plan, backup("DISABLED"), selection([db])]);
        assert.deepStrictEqual(out.messages, [MESSAGE]);
        assert.deepStrictEqual(out.urns, [urnOf(fs.type, fs.name)]);
    });
    it("fails when the selection belongs to no plan of the stack", async () => {
        const out = await runStack(policy, [fs, db, backup("DISABLED"), selection([fs, db], undefined)]);
        assert.deepStrictEqual(out.messages, [MESSAGE]);
        assert.deepStrictEqual(out.urns, [urnOf(fs.type, fs.name)]);
    });
    it("defers an unknown status", async () => {
        const out = await runStack(policy, [fs, backup(UNKNOWN.string)]);
        assert.strictEqual(out.unknown, unknownAdvisory(policy.name, "string", "backupPolicy.status"));
        assert.deepStrictEqual(out.messages, []);
    });
});

describe("aws-efs-accesspoint-require-posix-identity", () => {
    const { policy } = accessPoint;
    const good = {
        fileSystemId: "fs-1",
        posixUser: { uid: 1000, gid: 1000 },
        rootDirectory: { path: "/sharedDirectory", creationInfo: { ownerUid: 1000, ownerGid: 1000, permissions: "0755" } },
        tags: TAGS,
    };
    const ap = (props: Props) => resource("aws:efs/accessPoint:AccessPoint", "storage-ap-sharedDirectory", props);
    it("passes an access point with a POSIX user and its own root", async () => {
        assert.deepStrictEqual((await runResource(policy, ap(good))).messages, []);
    });
    it("fails a missing POSIX user", async () => {
        assert.deepStrictEqual((await runResource(policy, ap({ ...good, posixUser: undefined }))).messages, [
            "posixUser is not set with uid and gid; enforce the containers' user, e.g. { uid: 1000, gid: 1000 }",
        ]);
    });
    it("fails the file system's root, explicit or by default", async () => {
        assert.deepStrictEqual((await runResource(policy, ap({ ...good, rootDirectory: { path: "/" } }))).messages, [
            'rootDirectory.path is "/"; enforce a directory below the file system\'s root',
        ]);
        assert.deepStrictEqual((await runResource(policy, ap({ ...good, rootDirectory: undefined }))).messages, [
            "rootDirectory.path is not set; enforce a directory below the file system's root",
        ]);
    });
    it("defers unknown values", async () => {
        assert.strictEqual(
            (await runResource(policy, ap({ ...good, posixUser: UNKNOWN.object }))).unknown,
            unknownAdvisory(policy.name, "Object", "posixUser"),
        );
    });
});

describe("aws-lb-loadbalancer-require-secure-settings", () => {
    const { policy } = lbSettings;
    const prod = {
        loadBalancerType: "application",
        internal: false,
        dropInvalidHeaderFields: true,
        idleTimeout: 3600,
        enableDeletionProtection: true,
        accessLogs: { bucket: "am-alb-logs", enabled: true },
        tags: TAGS,
    };
    const lb = (props: Props) => resource("aws:lb/loadBalancer:LoadBalancer", "ingress-alb", props);
    const STAGING = { requireAccessLogs: false, requireDeletionProtection: false };

    it("passes a production ALB under the default settings", async () => {
        assert.deepStrictEqual((await runResource(policy, lb(prod))).messages, []);
    });
    it("fails invalid headers kept, logs off and deletion protection off", async () => {
        assert.deepStrictEqual((await runResource(policy, lb({ internal: false }))).messages, [
            "dropInvalidHeaderFields is not true; set dropInvalidHeaderFields: true",
            "access logs are off; set accessLogs: { bucket: ..., enabled: true }",
            "enableDeletionProtection is not true; set enableDeletionProtection: true",
        ]);
        assert.deepStrictEqual((await runResource(policy, lb({ ...prod, accessLogs: { bucket: "b" } }))).messages, [
            "access logs are off; set accessLogs: { bucket: ..., enabled: true }",
        ]);
    });
    it("applies the staging config but still requires dropping invalid headers", async () => {
        assert.deepStrictEqual((await runResource(policy, lb({ dropInvalidHeaderFields: true }), STAGING)).messages, []);
        assert.deepStrictEqual((await runResource(policy, lb({}), STAGING)).messages, [
            "dropInvalidHeaderFields is not true; set dropInvalidHeaderFields: true",
        ]);
    });
    it("does not ask network load balancers to drop HTTP headers", async () => {
        assert.deepStrictEqual((await runResource(policy, lb({ loadBalancerType: "network" }), STAGING)).messages, []);
    });
    it("defers unknown values", async () => {
        assert.strictEqual(
            (await runResource(policy, lb({ ...prod, dropInvalidHeaderFields: UNKNOWN.boolean }))).unknown,
            unknownAdvisory(policy.name, "boolean", "dropInvalidHeaderFields"),
        );
    });
});
