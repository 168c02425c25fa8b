import * as assert from "assert";
import * as efsEncryption from "../../policy/rules/aws-efs-filesystem-require-encryption";
import * as efsTransit from "../../policy/rules/aws-ecs-taskdefinition-require-efs-transit-encryption";
import * as rdsEncryption from "../../policy/rules/aws-rds-database-require-storage-encryption";
import * as cacheEncryption from "../../policy/rules/aws-elasticache-replicationgroup-require-encryption";
import * as searchEncryption from "../../policy/rules/aws-opensearch-domain-require-encryption";
import * as listenerHttps from "../../policy/rules/aws-lb-listener-require-https";
import * as logRetention from "../../policy/rules/aws-cloudwatch-loggroup-require-retention";
import { TAGS, taskDefinition } from "./fixtures";
import { patch, runResource, UNKNOWN, unknownAdvisory } from "./harness";

type Props = Record<string, any>;

describe("aws-efs-filesystem-require-encryption", () => {
    const { policy } = efsEncryption;
    const efs = (props: Props) => ({ type: "aws:efs/fileSystem:FileSystem", name: "storage-efs", props });

    it("passes an encrypted file system", async () => {
        assert.deepStrictEqual((await runResource(policy, efs({ encrypted: true, throughputMode: "elastic", tags: TAGS }))).messages, []);
    });
    it("fails unset and false", async () => {
        for (const props of [{}, { encrypted: false }]) {
            assert.deepStrictEqual((await runResource(policy, efs(props))).messages, [
                "encrypted is not true; set encrypted: true (kmsKeyId optional)",
            ]);
        }
    });
    it("ignores other types", async () => {
        assert.deepStrictEqual(
            (await runResource(policy, { type: "aws:efs/accessPoint:AccessPoint", name: "ap", props: {} })).messages,
            [],
        );
    });
    it("defers an unknown value to the preview advisory", async () => {
        const out = await runResource(policy, efs({ encrypted: UNKNOWN.boolean }));
        assert.deepStrictEqual(out.messages, []);
        assert.strictEqual(out.unknown, unknownAdvisory(policy.name, "boolean", "encrypted"));
    });
});

describe("aws-ecs-taskdefinition-require-efs-transit-encryption", () => {
    const { policy } = efsTransit;
    const base = taskDefinition();

    it("passes EFS volumes with TLS and IAM, and non-EFS volumes", async () => {
        assert.deepStrictEqual((await runResource(policy, base)).messages, []);
        const scratch = patch(base, (t) => (t.props.volumes as Props[]).push({ name: "scratch" }));
        assert.deepStrictEqual((await runResource(policy, scratch)).messages, []);
    });
    it("fails transit encryption off", async () => {
        const spec = patch(base, (t) => ((t.props.volumes as Props[])[0].efsVolumeConfiguration.transitEncryption = "DISABLED"));
        assert.deepStrictEqual((await runResource(policy, spec)).messages, [
            'volume "sharedDirectory" mounts EFS with transitEncryption "DISABLED"; set transitEncryption: "ENABLED"',
        ]);
    });
    it("fails IAM authorisation missing", async () => {
        const spec = patch(base, (t) => delete (t.props.volumes as Props[])[0].efsVolumeConfiguration.authorizationConfig);
        assert.deepStrictEqual((await runResource(policy, spec)).messages, [
            'volume "sharedDirectory" mounts EFS with authorizationConfig.iam not set; set authorizationConfig.iam: "ENABLED"',
        ]);
    });
    it("defers an unknown volume list", async () => {
        const out = await runResource(
            policy,
            patch(base, (t) => (t.props.volumes = UNKNOWN.array)),
        );
        assert.deepStrictEqual(out.messages, []);
        assert.strictEqual(out.unknown, unknownAdvisory(policy.name, "Array", "volumes"));
    });
});

describe("aws-rds-database-require-storage-encryption", () => {
    const { policy } = rdsEncryption;
    it("passes encrypted instances and clusters", async () => {
        for (const type of ["aws:rds/instance:Instance", "aws:rds/cluster:Cluster"]) {
            assert.deepStrictEqual((await runResource(policy, { type, name: "db", props: { storageEncrypted: true } })).messages, []);
        }
    });
    it("fails unencrypted instances and clusters", async () => {
        for (const type of ["aws:rds/instance:Instance", "aws:rds/cluster:Cluster"]) {
            assert.deepStrictEqual((await runResource(policy, { type, name: "db", props: { storageEncrypted: false } })).messages, [
                "storageEncrypted is not true; set storageEncrypted: true",
            ]);
        }
    });
    it("defers an unknown value", async () => {
        const out = await runResource(policy, {
            type: "aws:rds/instance:Instance",
            name: "db",
            props: { storageEncrypted: UNKNOWN.boolean },
        });
        assert.strictEqual(out.unknown, unknownAdvisory(policy.name, "boolean", "storageEncrypted"));
        assert.deepStrictEqual(out.messages, []);
    });
});

describe("aws-elasticache-replicationgroup-require-encryption", () => {
    const { policy } = cacheEncryption;
    const group = (props: Props, name = "archivematica-queue-redis") => ({
        type: "aws:elasticache/replicationGroup:ReplicationGroup",
        name,
        props,
    });
    const TRANSIT = (name: string) =>
        `transitEncryptionEnabled is not true; set transitEncryptionEnabled: true, or add { "name": "${name}", "reason": "..." } to transitEncryptionExceptions in this stack's policy config`;
    const EXCEPTION = {
        transitEncryptionExceptions: [
            { name: "archivematica-queue-redis", reason: "gearmand's redis client (libhiredis) cannot speak TLS" },
        ],
    };

    it("passes a group encrypted at rest and in transit", async () => {
        assert.deepStrictEqual(
            (await runResource(policy, group({ atRestEncryptionEnabled: true, transitEncryptionEnabled: true }))).messages,
            [],
        );
    });
    it("fails at-rest encryption off", async () => {
        assert.deepStrictEqual((await runResource(policy, group({ transitEncryptionEnabled: true }))).messages, [
            "atRestEncryptionEnabled is not true; set atRestEncryptionEnabled: true",
        ]);
    });
    it("fails transit encryption off with no exception (the default config has none)", async () => {
        assert.deepStrictEqual(
            (await runResource(policy, group({ atRestEncryptionEnabled: true, transitEncryptionEnabled: false }))).messages,
            [TRANSIT("archivematica-queue-redis")],
        );
        assert.deepStrictEqual((await runResource(policy, group({ atRestEncryptionEnabled: true }), "none")).messages, [
            TRANSIT("archivematica-queue-redis"),
        ]);
    });
    it("accepts transit encryption off only for a group named in the stack's exceptions", async () => {
        assert.deepStrictEqual(
            (await runResource(policy, group({ atRestEncryptionEnabled: true, transitEncryptionEnabled: false }), EXCEPTION)).messages,
            [],
        );
        assert.deepStrictEqual(
            (await runResource(policy, group({ atRestEncryptionEnabled: true, transitEncryptionEnabled: false }, "other-redis"), EXCEPTION))
                .messages,
            [TRANSIT("other-redis")],
        );
    });
    it("does not waive at-rest encryption for an excepted group", async () => {
        assert.deepStrictEqual((await runResource(policy, group({ transitEncryptionEnabled: false }), EXCEPTION)).messages, [
            "atRestEncryptionEnabled is not true; set atRestEncryptionEnabled: true",
        ]);
    });
    it("ignores an exception without a reason", async () => {
        const config = { transitEncryptionExceptions: [{ name: "archivematica-queue-redis", reason: " " }] };
        assert.deepStrictEqual((await runResource(policy, group({ atRestEncryptionEnabled: true }), config)).messages, [
            TRANSIT("archivematica-queue-redis"),
        ]);
    });
    it("defers unknown values", async () => {
        const out = await runResource(policy, group({ atRestEncryptionEnabled: UNKNOWN.boolean }));
        assert.strictEqual(out.unknown, unknownAdvisory(policy.name, "boolean", "atRestEncryptionEnabled"));
        assert.deepStrictEqual(out.messages, []);
    });
});

describe("aws-opensearch-domain-require-encryption", () => {
    const { policy } = searchEncryption;
    const good: Props = {
        engineVersion: "Elasticsearch_6.8",
        encryptAtRest: { enabled: true },
        nodeToNodeEncryption: { enabled: true },
        domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" },
    };
    const domain = (props: Props) => ({ type: "aws:opensearch/domain:Domain", name: "search", props });

    it("passes a fully encrypted domain (opensearch and legacy elasticsearch types)", async () => {
        assert.deepStrictEqual((await runResource(policy, domain(good))).messages, []);
        assert.deepStrictEqual(
            (await runResource(policy, { type: "aws:elasticsearch/domain:Domain", name: "es", props: good })).messages,
            [],
        );
    });
    const cases: [string, (p: Props) => void, string][] = [
        ["at rest", (p) => (p.encryptAtRest.enabled = false), "encryptAtRest.enabled is not true; set encryptAtRest: { enabled: true }"],
        [
            "node to node",
            (p) => delete p.nodeToNodeEncryption,
            "nodeToNodeEncryption.enabled is not true; set nodeToNodeEncryption: { enabled: true }",
        ],
        [
            "HTTPS",
            (p) => (p.domainEndpointOptions.enforceHttps = false),
            "domainEndpointOptions.enforceHttps is not true; set enforceHttps: true",
        ],
        [
            "TLS policy",
            (p) => (p.domainEndpointOptions.tlsSecurityPolicy = "Policy-Min-TLS-1-0-2019-07"),
            'domainEndpointOptions.tlsSecurityPolicy is "Policy-Min-TLS-1-0-2019-07"; use one of: Policy-Min-TLS-1-2-2019-07, Policy-Min-TLS-1-2-PFS-2023-10',
        ],
    ];
    for (const [what, change, message] of cases) {
        it(`fails ${what}`, async () => {
            assert.deepStrictEqual((await runResource(policy, domain(patch(good, change)))).messages, [message]);
        });
    }
    it("applies the configured TLS policies", async () => {
        const out = await runResource(policy, domain(good), { approvedTlsPolicies: ["Policy-Min-TLS-1-2-2019-07"] });
        assert.deepStrictEqual(out.messages, [
            'domainEndpointOptions.tlsSecurityPolicy is "Policy-Min-TLS-1-2-PFS-2023-10"; use one of: Policy-Min-TLS-1-2-2019-07',
        ]);
    });
    it("defers unknown values", async () => {
        const out = await runResource(policy, domain({ ...good, encryptAtRest: UNKNOWN.object }));
        assert.strictEqual(out.unknown, unknownAdvisory(policy.name, "Object", "encryptAtRest"));
        assert.deepStrictEqual(out.messages, []);
    });
});

describe("aws-lb-listener-require-https", () => {
    const { policy } = listenerHttps;
    const https: Props = {
        loadBalancerArn: "arn:lb",
        port: 443,
        protocol: "HTTPS",
        sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
        certificateArn: "arn:aws:acm:eu-west-2:123456789012:certificate/x",
        defaultActions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } }],
    };
    const redirect: Props = {
        loadBalancerArn: "arn:lb",
        port: 80,
        protocol: "HTTP",
        defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
    };
    const listener = (props: Props) => ({ type: "aws:lb/listener:Listener", name: "https", props });
    const HTTP_MESSAGE =
        'HTTP listener does not only redirect to HTTPS; set defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }]';

    it("passes HTTPS with the approved policy and HTTP that redirects to HTTPS", async () => {
        assert.deepStrictEqual((await runResource(policy, listener(https))).messages, []);
        assert.deepStrictEqual((await runResource(policy, listener(redirect))).messages, []);
    });
    it("fails an HTTPS listener with an old or default TLS policy", async () => {
        assert.deepStrictEqual((await runResource(policy, listener({ ...https, sslPolicy: "ELBSecurityPolicy-2016-08" }))).messages, [
            'HTTPS listener has sslPolicy "ELBSecurityPolicy-2016-08"; use one of: ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09, ELBSecurityPolicy-TLS13-1-2-PQ-2025-09, ELBSecurityPolicy-TLS13-1-3-PQ-2025-09',
        ]);
        const { sslPolicy: _drop, ...noPolicy } = https;
        void _drop;
        assert.deepStrictEqual((await runResource(policy, listener(noPolicy))).messages, [
            "HTTPS listener has sslPolicy not set; use one of: ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09, ELBSecurityPolicy-TLS13-1-2-PQ-2025-09, ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
        ]);
    });
    it("fails HTTP that forwards, redirects to HTTP, or has no protocol (HTTP by default)", async () => {
        const forward: Props = { ...redirect, defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }] };
        const toHttp = patch(redirect, (p) => (p.defaultActions[0].redirect.protocol = "HTTP"));
        const { protocol: _p, ...implicit } = forward;
        void _p;
        for (const props of [forward, toHttp, implicit, { ...redirect, defaultActions: [] }]) {
            assert.deepStrictEqual((await runResource(policy, listener(props))).messages, [HTTP_MESSAGE]);
        }
    });
    it("fails plain TCP and checks TLS listeners' policy", async () => {
        assert.deepStrictEqual((await runResource(policy, listener({ port: 3306, protocol: "TCP" }))).messages, [
            "listener protocol TCP carries unencrypted traffic; use HTTPS or TLS",
        ]);
        assert.deepStrictEqual(
            (await runResource(policy, listener({ port: 443, protocol: "TLS", sslPolicy: "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09" })))
                .messages,
            [],
        );
    });
    it("applies the configured policy list and covers the aws:alb alias", async () => {
        const out = await runResource(
            policy,
            { type: "aws:alb/listener:Listener", name: "l", props: https },
            { approvedTlsPolicies: ["ELBSecurityPolicy-TLS13-1-3-2021-06"] },
        );
        assert.deepStrictEqual(out.messages, [
            'HTTPS listener has sslPolicy "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09"; use one of: ELBSecurityPolicy-TLS13-1-3-2021-06',
        ]);
    });
    it("defers unknown values", async () => {
        const out = await runResource(policy, listener({ ...https, sslPolicy: UNKNOWN.string }));
        assert.strictEqual(out.unknown, unknownAdvisory(policy.name, "string", "sslPolicy"));
        assert.deepStrictEqual(out.messages, []);
    });
});

describe("aws-cloudwatch-loggroup-require-retention", () => {
    const { policy } = logRetention;
    const group = (props: Props) => ({ type: "aws:cloudwatch/logGroup:LogGroup", name: "dashboard-logs", props });

    it("passes a group with retention", async () => {
        assert.deepStrictEqual(
            (await runResource(policy, group({ name: "/archivematica/staging/dashboard", retentionInDays: 30, tags: TAGS }))).messages,
            [],
        );
    });
    it("fails unset and 0 (never expire)", async () => {
        assert.deepStrictEqual((await runResource(policy, group({}))).messages, [
            "retentionInDays is not set, so logs never expire; set retentionInDays to 1 or more",
        ]);
        assert.deepStrictEqual((await runResource(policy, group({ retentionInDays: 0 }), { minimumRetentionDays: 365 })).messages, [
            "retentionInDays is 0, so logs never expire; set retentionInDays to 365 or more",
        ]);
    });
    it("applies the stack's minimum", async () => {
        assert.deepStrictEqual((await runResource(policy, group({ retentionInDays: 30 }), { minimumRetentionDays: 365 })).messages, [
            "retentionInDays is 30; at least 365 days required",
        ]);
        assert.deepStrictEqual((await runResource(policy, group({ retentionInDays: 400 }), { minimumRetentionDays: 365 })).messages, []);
    });
    it("defers an unknown value", async () => {
        const out = await runResource(policy, group({ retentionInDays: UNKNOWN.number }));
        assert.strictEqual(out.unknown, unknownAdvisory(policy.name, "number", "retentionInDays"));
        assert.deepStrictEqual(out.messages, []);
    });
});
