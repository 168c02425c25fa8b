import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ASSUME_ROLE_POLICY, Backup, BackupArgs } from "../components/operations/backup";
import { plan, testConfig } from "./harness";

const tags = testConfig().tags;
const EFS = "arn:aws:elasticfilesystem:eu-west-2:123456789012:file-system/fs-0123456789abcdef0";
const RDS = "arn:aws:rds:eu-west-2:123456789012:db:am-db-staging";
const BUCKET = "arn:aws:s3:::am-aips-staging";
const TAGGABLE = new Set<string>(JSON.parse(fs.readFileSync(path.join(__dirname, "../policy/data/taggable-types.json"), "utf8")).types);

const args = (overrides: Partial<BackupArgs> = {}): BackupArgs => ({ tags, resourceArns: [EFS, RDS], ...overrides });

describe("Backup (AWS Backup)", () => {
    it("a vault encrypted with its own rotating key, a daily plan kept 35 days, EFS and RDS selected", async () => {
        const p = await plan(() => new Backup("bk", args()));
        const key = p.named("bk-key");
        assert.deepStrictEqual(key.props, {
            description: "Encrypts the Archivematica backup vault",
            enableKeyRotation: true,
            deletionWindowInDays: 30,
            tags: { ...tags, Name: "bk-key" },
        });
        const keyArn = `arn:aws:kms:eu-west-2:123456789012:key/${key.id}`;
        assert.deepStrictEqual(p.named("bk-vault").props, { kmsKeyArn: keyArn, forceDestroy: true, tags: { ...tags, Name: "bk-vault" } });
        assert.deepStrictEqual(p.named("bk-plan").props, {
            rules: [
                {
                    ruleName: "daily",
                    targetVaultName: "bk-vault",
                    schedule: "cron(0 3 * * ? *)",
                    startWindow: 60,
                    completionWindow: 480,
                    lifecycle: { deleteAfter: 35 },
                    recoveryPointTags: tags,
                },
            ],
            tags: { ...tags, Name: "bk-plan" },
        });
        const selection = p.named("bk-selection");
        assert.deepStrictEqual(selection.props, {
            planId: p.named("bk-plan").id,
            iamRoleArn: "arn:aws:iam::123456789012:role/bk-role",
            resources: [EFS, RDS],
        });
        assert.deepStrictEqual(p.ofType("aws:backup/vaultLockConfiguration:VaultLockConfiguration"), []);
    });

    it("the role AWS Backup assumes, with the managed backup and restore policies, attached before the selection", async () => {
        const p = await plan(() => new Backup("bk", args()));
        assert.deepStrictEqual(p.named("bk-role").props, {
            description: "AWS Backup backs up and restores the Archivematica file system, database and buckets as this role",
            assumeRolePolicy: ASSUME_ROLE_POLICY,
            tags: { ...tags, Name: "bk-role" },
        });
        assert.deepStrictEqual(JSON.parse(ASSUME_ROLE_POLICY).Statement, [
            { Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" },
        ]);
        const attachments = p.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment");
        assert.deepStrictEqual(
            attachments.map((a) => [a.name, a.props]),
            [
                [
                    "bk-role-backup",
                    { role: "bk-role", policyArn: "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup" },
                ],
                [
                    "bk-role-restore",
                    { role: "bk-role", policyArn: "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores" },
                ],
            ],
        );
        assert.deepStrictEqual(
            p
                .named("bk-selection")
                .dependencies.filter((u) => u.includes("RolePolicyAttachment"))
                .sort(),
            attachments.map((a) => a.urn).sort(),
        );
    });

    it("S3 buckets join the selection, and the role gets the S3 backup and restore policies", async () => {
        const p = await plan(() => new Backup("bk", args({ bucketArns: [BUCKET] })));
        assert.deepStrictEqual(p.named("bk-selection").props.resources, [EFS, RDS, BUCKET]);
        assert.deepStrictEqual(
            p.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((a) => a.props.policyArn),
            [
                "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
                "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
                "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup",
                "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
            ],
        );
    });

    it("production: schedule and retention from args, a vault lock, vault and key protected", async () => {
        const p = await plan(
            () =>
                new Backup(
                    "bk",
                    args({
                        schedule: "cron(30 1 * * ? *)",
                        retentionDays: 90,
                        lock: { minRetentionDays: 30, maxRetentionDays: 365, changeableForDays: 3 },
                        protect: true,
                    }),
                ),
        );
        assert.strictEqual(p.named("bk-plan").props.rules[0].schedule, "cron(30 1 * * ? *)");
        assert.deepStrictEqual(p.named("bk-plan").props.rules[0].lifecycle, { deleteAfter: 90 });
        assert.deepStrictEqual(p.named("bk-lock").props, {
            backupVaultName: "bk-vault",
            minRetentionDays: 30,
            maxRetentionDays: 365,
            changeableForDays: 3,
        });
        assert.strictEqual(p.named("bk-vault").props.forceDestroy, false);
        assert.deepStrictEqual(
            p.resources.filter((r) => r.protect).map((r) => r.name),
            ["bk-key", "bk-vault"],
        );
    });

    it("every child is named bk-…, parented to the component, tagged when taggable", async () => {
        const p = await plan(() => new Backup("bk", args({ bucketArns: [BUCKET], lock: { minRetentionDays: 7 } })));
        const component = p.named("bk");
        const children = p.resources.filter((r) => r !== component && r.type.startsWith("aws:"));
        assert.strictEqual(children.length, 10); // key, vault, lock, plan, role, 4 policy attachments, selection
        for (const r of children) {
            assert.ok(r.name.startsWith("bk-"), r.name);
            assert.strictEqual(r.parent, component.urn, r.name);
            if (TAGGABLE.has(r.type)) assert.deepStrictEqual(r.props.tags, { ...tags, Name: r.name }, r.name);
        }
    });

    describe("refuses bad arguments in one line", () => {
        const cases: [string, Partial<BackupArgs>, string][] = [
            [
                "nothing to back up",
                { resourceArns: [] },
                'Backup "bk": resourceArns is empty; valid: the ARNs of the EFS file system and the RDS instance',
            ],
            [
                "a schedule that is not AWS Backup cron",
                { schedule: "0 3 * * *" },
                'Backup "bk": schedule "0 3 * * *" is not an AWS Backup cron expression; valid: cron(<min> <hour> <day> <month> <weekday> <year>), e.g. cron(0 3 * * ? *)',
            ],
            [
                "a retention of zero days",
                { retentionDays: 0 },
                'Backup "bk": retentionDays 0 is out of range; valid: an integer from 1 to 36500',
            ],
            [
                "a lock that becomes immutable too soon",
                { lock: { minRetentionDays: 7, changeableForDays: 1 } },
                'Backup "bk": lock.changeableForDays 1 is out of range; valid: an integer from 3 to 36500',
            ],
            [
                "a lock whose maximum is below its minimum",
                { lock: { minRetentionDays: 30, maxRetentionDays: 7 } },
                'Backup "bk": lock.maxRetentionDays 7 is below lock.minRetentionDays 30; valid: at least 30',
            ],
            [
                "a retention the lock would refuse",
                { retentionDays: 14, lock: { minRetentionDays: 30 } },
                'Backup "bk": retentionDays 14 is outside the vault lock\'s 30-36500 days; valid: 30 to 36500',
            ],
        ];
        for (const [what, overrides, message] of cases) {
            it(what, async () => {
                await assert.rejects(
                    plan(() => new Backup("bk", args(overrides))),
                    (e: Error) => {
                        assert.ok(e.message.includes(message), e.message);
                        return true;
                    },
                );
                assert.throws(() => new Backup("bk", args(overrides)), { message });
            });
        }
    });
});
