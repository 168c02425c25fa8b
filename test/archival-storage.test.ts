import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import {
    ARCHIVAL_STORE_TAG,
    ArchivalStorage,
    ArchivalStorageArgs,
    normalizeArchivalStorageArgs,
} from "../components/data/archival-storage";
import { TRANSITION_MINIMUM_DAYS } from "../lib/s3-lifecycle";
import { StackValidationPolicy } from "@pulumi/policy";
import * as aipCopyOrLock from "../policy/rules/aws-s3-bucket-require-aip-copy-or-lock";
import * as aipLifecycle from "../policy/rules/aws-s3-bucket-require-aip-lifecycle";
import * as encryption from "../policy/rules/aws-s3-bucket-require-encryption";
import * as publicAccess from "../policy/rules/aws-s3-bucket-require-public-access-block";
import * as secureTransport from "../policy/rules/aws-s3-bucket-require-secure-transport";
import * as versioning from "../policy/rules/aws-s3-bucket-require-versioning";
import { ResourceSpec, runStack } from "./policy/harness";
import { plan, testConfig } from "./harness";

const tags = testConfig().tags;
const TAGGABLE = new Set<string>(JSON.parse(fs.readFileSync(path.join(__dirname, "../policy/data/taggable-types.json"), "utf8")).types);
const ROLES = ["transfer-source", "aip-store", "dip-store"];
const BUCKET = "aws:s3/bucket:Bucket";

function build(extra: Partial<ArchivalStorageArgs> = {}) {
    return plan(() => new ArchivalStorage("as", { tags, ...extra }));
}

/** The TLS-only and encryption-header policy every bucket carries, for the bucket named `n`. */
function expectedPolicy(n: string) {
    const arn = `arn:aws:s3:::${n}`;
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [arn, `${arn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
            {
                Sid: "DenyOtherEncryption",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:PutObject",
                Resource: `${arn}/*`,
                Condition: {
                    Null: { "s3:x-amz-server-side-encryption": "false" },
                    StringNotEquals: { "s3:x-amz-server-side-encryption": "AES256" },
                },
            },
        ],
    };
}

const noncurrentRule = {
    id: "expire-noncurrent-versions",
    status: "Enabled",
    filter: {},
    noncurrentVersionExpiration: { noncurrentDays: 90 },
    expiration: { expiredObjectDeleteMarker: true },
    abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
};
const aipRule = { ...noncurrentRule, id: "aip-lifecycle", transitions: [{ days: 30, storageClass: "INTELLIGENT_TIERING" }] };

/** Checks the children every bucket has, with exact inputs; `region` for the replica's. */
function assertProtections(p: Awaited<ReturnType<typeof build>>, n: string, lifecycleRule: object, region?: string): void {
    const at = region ? { region } : {};
    const bucket = p.named(n);
    const id = bucket.id;
    assert.deepStrictEqual(p.named(`${n}-versioning`).props, { ...at, bucket: id, versioningConfiguration: { status: "Enabled" } });
    assert.deepStrictEqual(p.named(`${n}-encryption`).props, {
        ...at,
        bucket: id,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, blockedEncryptionTypes: ["SSE-C"] }],
    });
    assert.deepStrictEqual(p.named(`${n}-public-access`).props, {
        ...at,
        bucket: id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
    });
    assert.deepStrictEqual(p.named(`${n}-ownership`).props, { ...at, bucket: id, rule: { objectOwnership: "BucketOwnerEnforced" } });
    const policy = p.named(`${n}-policy`);
    assert.deepStrictEqual({ ...policy.props, policy: JSON.parse(policy.props.policy) }, { ...at, bucket: id, policy: expectedPolicy(n) });
    assert.ok(policy.dependencies.includes(p.named(`${n}-public-access`).urn), "policy after the public access block");
    const lifecycle = p.named(`${n}-lifecycle`);
    assert.deepStrictEqual(lifecycle.props, { ...at, bucket: id, rules: [lifecycleRule] });
    assert.ok(lifecycle.dependencies.includes(p.named(`${n}-versioning`).urn), "lifecycle after versioning");
}

describe("ArchivalStorage (S3)", () => {
    it("three buckets, tagged with their role, emptied on destroy unless protected", async () => {
        const p = await build();
        assert.deepStrictEqual(
            p
                .ofType(BUCKET)
                .map((b) => [b.name, b.props, b.protect])
                .sort(),
            ROLES.sort().map((role) => [
                `as-${role}`,
                { forceDestroy: true, tags: { ...tags, ArchivalStore: role, Name: `as-${role}` } },
                false,
            ]),
        );
    });

    it("every bucket: versioned, SSE-S3 with SSE-C refused, public access blocked, ACLs off, TLS-only policy, lifecycle", async () => {
        const p = await build();
        assertProtections(p, "as-transfer-source", noncurrentRule);
        assertProtections(p, "as-aip-store", aipRule);
        assertProtections(p, "as-dip-store", noncurrentRule);
    });

    it("the AIP lifecycle follows the arguments", async () => {
        const p = await build({
            aipTransition: { storageClass: "GLACIER_IR", days: 0 },
            noncurrentVersionDays: 365,
            abortIncompleteUploadDays: 2,
        });
        assert.deepStrictEqual(p.named("as-aip-store-lifecycle").props.rules, [
            {
                id: "aip-lifecycle",
                status: "Enabled",
                filter: {},
                noncurrentVersionExpiration: { noncurrentDays: 365 },
                expiration: { expiredObjectDeleteMarker: true },
                abortIncompleteMultipartUpload: { daysAfterInitiation: 2 },
                transitions: [{ days: 0, storageClass: "GLACIER_IR" }],
            },
        ]);
        assert.deepStrictEqual(p.named("as-dip-store-lifecycle").props.rules[0].noncurrentVersionExpiration, { noncurrentDays: 365 });
    });

    it("no Object Lock, replica or replication role by default", async () => {
        const p = await build();
        const mine = p.resources.filter((r) => r.name.startsWith("as"));
        const types = [...new Set(mine.map((r) => r.type))].sort();
        assert.deepStrictEqual(types, [
            "archivematica:index:ArchivalStorage",
            "aws:s3/bucket:Bucket",
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
            "aws:s3/bucketPolicy:BucketPolicy",
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "aws:s3/bucketVersioning:BucketVersioning",
        ]);
        assert.strictEqual(mine.length, 1 + 3 * 7);
    });

    it("Object Lock: enabled at the AIP store's creation, default retention after versioning", async () => {
        const p = await build({ objectLock: { mode: "COMPLIANCE", days: 3650 } });
        assert.deepStrictEqual(p.named("as-aip-store").props, {
            objectLockEnabled: true,
            forceDestroy: true,
            tags: { ...tags, ArchivalStore: "aip-store", Name: "as-aip-store" },
        });
        const lock = p.named("as-aip-store-object-lock");
        assert.deepStrictEqual(lock.props, {
            bucket: p.named("as-aip-store").id,
            rule: { defaultRetention: { mode: "COMPLIANCE", days: 3650 } },
        });
        assert.ok(lock.dependencies.includes(p.named("as-aip-store-versioning").urn));
        assert.deepStrictEqual(
            p.ofType("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration").map((r) => r.name),
            ["as-aip-store-object-lock"],
        );
        assert.strictEqual(p.named("as-transfer-source").props.objectLockEnabled, undefined);
    });

    describe("replication", () => {
        const replicated = () => build({ replicaRegion: "eu-west-1" });

        it("a replica bucket in the other region with the same protections and lifecycle", async () => {
            const p = await replicated();
            assert.deepStrictEqual(p.named("as-aip-replica").props, {
                region: "eu-west-1",
                forceDestroy: true,
                tags: { ...tags, ArchivalStore: "aip-replica", Name: "as-aip-replica" },
            });
            assertProtections(p, "as-aip-replica", aipRule, "eu-west-1");
        });

        it("a role S3 assumes, with exactly the documented replication permissions", async () => {
            const p = await replicated();
            const role = p.named("as-replication-role");
            assert.deepStrictEqual(
                { ...role.props, assumeRolePolicy: JSON.parse(role.props.assumeRolePolicy) },
                {
                    description: "S3 replicates the AIP store to its replica in another region",
                    assumeRolePolicy: {
                        Version: "2012-10-17",
                        Statement: [{ Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sts:AssumeRole" }],
                    },
                    tags: { ...tags, Name: "as-replication-role" },
                },
            );
            const policy = p.named("as-replication-policy");
            assert.strictEqual(policy.props.role, role.id);
            assert.deepStrictEqual(JSON.parse(policy.props.policy), {
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "ReadSourceConfiguration",
                        Effect: "Allow",
                        Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
                        Resource: "arn:aws:s3:::as-aip-store",
                    },
                    {
                        Sid: "ReadSourceVersions",
                        Effect: "Allow",
                        Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
                        Resource: "arn:aws:s3:::as-aip-store/*",
                    },
                    {
                        Sid: "WriteReplicas",
                        Effect: "Allow",
                        Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
                        Resource: "arn:aws:s3:::as-aip-replica/*",
                    },
                ],
            });
        });

        it("the replication rule, registered after both buckets are versioned", async () => {
            const p = await replicated();
            const replication = p.named("as-aip-replication");
            assert.deepStrictEqual(replication.props, {
                bucket: p.named("as-aip-store").id,
                role: "arn:aws:iam::123456789012:role/as-replication-role",
                rules: [
                    {
                        id: "aip-replica",
                        status: "Enabled",
                        filter: {},
                        deleteMarkerReplication: { status: "Enabled" },
                        destination: { bucket: "arn:aws:s3:::as-aip-replica" },
                    },
                ],
            });
            for (const dep of ["as-aip-store-versioning", "as-aip-replica-versioning", "as-replication-policy"]) {
                assert.ok(replication.dependencies.includes(p.named(dep).urn), dep);
            }
        });

        it("with Object Lock: the replica is locked too and the role may read retention and legal holds", async () => {
            const p = await build({ replicaRegion: "eu-west-1", objectLock: { mode: "GOVERNANCE", days: 30 } });
            assert.strictEqual(p.named("as-aip-replica").props.objectLockEnabled, true);
            assert.deepStrictEqual(p.named("as-aip-replica-object-lock").props, {
                region: "eu-west-1",
                bucket: p.named("as-aip-replica").id,
                rule: { defaultRetention: { mode: "GOVERNANCE", days: 30 } },
            });
            assert.deepStrictEqual(JSON.parse(p.named("as-replication-policy").props.policy).Statement[1].Action, [
                "s3:GetObjectVersionForReplication",
                "s3:GetObjectVersionAcl",
                "s3:GetObjectVersionTagging",
                "s3:GetObjectRetention",
                "s3:GetObjectLegalHold",
            ]);
        });
    });

    it("the Storage Service task-role statements: listing on the buckets, objects by purpose, nothing else", async () => {
        let statements: unknown;
        await plan(() => {
            const storage = new ArchivalStorage("as", { tags, replicaRegion: "eu-west-1" });
            storage.storageServiceStatements.apply((s) => (statements = s));
        });
        assert.deepStrictEqual(statements, [
            {
                Sid: "ArchivalBucketsList",
                Effect: "Allow",
                Action: ["s3:GetBucketLocation", "s3:ListBucket"],
                Resource: ["arn:aws:s3:::as-transfer-source", "arn:aws:s3:::as-aip-store", "arn:aws:s3:::as-dip-store"],
            },
            { Sid: "TransferSourceRead", Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::as-transfer-source/*"] },
            {
                Sid: "PackageStoresReadWrite",
                Effect: "Allow",
                Action: ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
                Resource: ["arn:aws:s3:::as-aip-store/*", "arn:aws:s3:::as-dip-store/*"],
            },
        ]);
    });

    it("outputs name the buckets", async () => {
        const p = await build({ replicaRegion: "eu-west-1" });
        assert.deepStrictEqual(p.named("as").outputs, {
            transferSourceBucket: "as-transfer-source-id",
            aipStoreBucket: "as-aip-store-id",
            dipStoreBucket: "as-dip-store-id",
            aipReplicaBucket: "as-aip-replica-id",
        });
    });

    it("every child is named as-…, parented to the component and tagged when taggable", async () => {
        const p = await build({ replicaRegion: "eu-west-1", objectLock: { mode: "GOVERNANCE", days: 1 } });
        const component = p.named("as");
        const children = p.resources.filter((r) => r.custom && r.type !== "pulumi:providers:aws");
        assert.strictEqual(children.length, 4 * 7 + 2 + 3);
        for (const child of children) {
            assert.match(child.name, /^as-/);
            assert.strictEqual(child.parent, component.urn, child.name);
        }
        const tagged = children.filter((r) => TAGGABLE.has(r.type));
        assert.deepStrictEqual(tagged.map((r) => r.name).sort(), [
            "as-aip-replica",
            "as-aip-store",
            "as-dip-store",
            "as-replication-role",
            "as-transfer-source",
        ]);
        for (const child of tagged) {
            const role = child.type === BUCKET ? { ArchivalStore: child.name.slice(3) } : {};
            assert.deepStrictEqual(child.props.tags, { ...tags, ...role, Name: child.name }, child.name);
        }
    });

    it("protect marks the buckets (and only them) protected and keeps their objects on delete", async () => {
        const p = await build({ protect: true, replicaRegion: "eu-west-1" });
        assert.deepStrictEqual(
            p.resources
                .filter((r) => r.protect)
                .map((r) => r.name)
                .sort(),
            ["as-aip-replica", "as-aip-store", "as-dip-store", "as-transfer-source"],
        );
        assert.ok(p.ofType(BUCKET).every((b) => b.props.forceDestroy === false));
    });

    describe("refuses bad arguments before registering anything, in one line", () => {
        const cases: [string, Partial<ArchivalStorageArgs>, string][] = [
            [
                "a transition sooner than the class allows",
                { aipTransition: { storageClass: "STANDARD_IA", days: 29 } },
                'ArchivalStorage "as": aipTransition.days is 29; valid: a whole number of days, at least 30 (S3\'s minimum for STANDARD_IA)',
            ],
            [
                "a class that needs a restore",
                { aipTransition: { storageClass: "DEEP_ARCHIVE" as never } },
                'ArchivalStorage "as": aipTransition.storageClass "DEEP_ARCHIVE" is not a class the Storage Service can read directly; valid: STANDARD_IA, INTELLIGENT_TIERING, GLACIER_IR',
            ],
            [
                "fractional days",
                { aipTransition: { days: 1.5 } },
                'ArchivalStorage "as": aipTransition.days is 1.5; valid: a whole number of days, at least 0 (S3\'s minimum for INTELLIGENT_TIERING)',
            ],
            [
                "the replica in the stack's region",
                { replicaRegion: "eu-west-2" },
                "ArchivalStorage \"as\": replicaRegion is the stack's own region eu-west-2; valid: another region than the stack's",
            ],
            [
                "a replica region that is not one",
                { replicaRegion: "Ireland" },
                'ArchivalStorage "as": replicaRegion "Ireland" is not an AWS region; valid: a region name such as eu-west-1',
            ],
            [
                "Object Lock for less than a day",
                { objectLock: { mode: "GOVERNANCE", days: 0 } },
                'ArchivalStorage "as": objectLock.days is 0; valid: a whole number of days, at least 1',
            ],
            [
                "an unknown Object Lock mode",
                { objectLock: { mode: "LEGAL_HOLD" as never, days: 1 } },
                'ArchivalStorage "as": objectLock.mode is "LEGAL_HOLD"; valid: GOVERNANCE, COMPLIANCE',
            ],
            [
                "no noncurrent retention",
                { noncurrentVersionDays: 0 },
                'ArchivalStorage "as": noncurrentVersionDays is 0; valid: a whole number of days, at least 1',
            ],
            [
                "no multipart clean-up",
                { abortIncompleteUploadDays: -1 },
                'ArchivalStorage "as": abortIncompleteUploadDays is -1; valid: a whole number of days, at least 1',
            ],
        ];
        for (const [what, extra, message] of cases) {
            it(what, async () => {
                assert.throws(() => normalizeArchivalStorageArgs("as", { tags, region: "eu-west-2", ...extra }), { message });
                let thrown: unknown;
                const p = await plan(() => {
                    try {
                        new ArchivalStorage("as", { tags, ...extra });
                    } catch (e) {
                        thrown = e;
                    }
                });
                assert.strictEqual((thrown as Error).message, message);
                assert.deepStrictEqual(
                    p.resources.filter((r) => r.name.startsWith("as")),
                    [],
                );
            });
        }
    });

    it("tags the AIP store the way the policy pack finds it, and offers only classes the pack accepts", () => {
        assert.strictEqual(ARCHIVAL_STORE_TAG, aipLifecycle.ARCHIVAL_STORE_TAG);
        assert.strictEqual("aip-store", aipLifecycle.AIP_STORE);
        assert.deepStrictEqual(Object.keys(TRANSITION_MINIMUM_DAYS).sort(), [...aipLifecycle.READABLE_CLASSES].sort());
    });

    describe("passes the policy pack's S3 rules", () => {
        const RULES: StackValidationPolicy[] = [
            encryption.policy,
            publicAccess.policy,
            secureTransport.policy,
            versioning.policy,
            aipLifecycle.policy,
            aipCopyOrLock.policy,
        ];
        /** The planned resources as the policy server would hand them to a stack rule. */
        async function verdicts(extra: Partial<ArchivalStorageArgs>, config: Record<string, unknown> = {}): Promise<string[]> {
            const p = await build(extra);
            const specs: ResourceSpec[] = p.resources
                .filter((r) => r.custom)
                .map((r) => ({
                    type: r.type,
                    name: r.name,
                    urn: r.urn,
                    props: r.props,
                    dependencies: r.dependencies,
                    propertyDependencies: r.propertyDependencies,
                }));
            const messages: string[] = [];
            for (const rule of RULES) {
                const out = await runStack(rule, specs, rule === aipCopyOrLock.policy ? config : undefined);
                assert.strictEqual(out.unknown, undefined);
                messages.push(...out.messages.map((m) => `${rule.name}: ${m}`));
            }
            return messages;
        }

        it("with replication, with Object Lock, and with neither where the stack asks for neither", async () => {
            assert.deepStrictEqual(await verdicts({ replicaRegion: "eu-west-1" }), []);
            assert.deepStrictEqual(await verdicts({ objectLock: { mode: "COMPLIANCE", days: 3650 } }), []);
            assert.deepStrictEqual(await verdicts({}, { requirement: "none" }), []);
        });

        it("without either, a stack that asks for one fails on the AIP store only", async () => {
            assert.deepStrictEqual(await verdicts({}), [
                "aws-s3-bucket-require-aip-copy-or-lock: AIP store has neither replication nor Object Lock; this stack requires an Enabled whole-bucket aws:s3/bucketReplicationConfig to a bucket in another region, or objectLockEnabled: true and an aws:s3/bucketObjectLockConfiguration with a GOVERNANCE or COMPLIANCE default retention",
            ]);
        });
    });

    it("defaults the region to the stack's aws:region", async () => {
        let region: string | undefined;
        await plan(() => (region = normalizeArchivalStorageArgs("as", { tags }).region));
        assert.strictEqual(region, "eu-west-2");
    });
});
