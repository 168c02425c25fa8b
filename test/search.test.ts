import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { Search, SearchArgs, searchEnabledValue, SearchIndexes } from "../components/data/search";
import { mergeTags } from "../lib/tags";
import { maskSecrets, SECRET_SIG, SIG_KEY } from "../tools/mock-runtime";
import { plan, PlannedResource, TestPlan } from "./harness";

const VPC = "vpc-0a1b2c3d4e5f67890";
const SUBNETS3 = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2", "subnet-0aaaaaaaaaaaaaaa3"];
const SERVICE_SG = "sg-0123456789abcdef0";
const EXTERNAL_URL = "https://elastic:s3cr3t-Pass@search.example.org:9243";

const TAGS = { Project: "archivematica", Environment: "staging", Owner: "dp@example.org", CostCentre: "DP-0042" };
const PROD_TAGS = { ...TAGS, Environment: "production" };

/** Staging-like: one small node (every OpenSearch default), no zone awareness, AIPs only. */
const OS_STAGING: SearchArgs = {
    mode: "opensearch",
    indexes: "aips",
    vpcId: VPC,
    subnetIds: SUBNETS3.slice(0, 2),
    domainName: "am-staging",
    tags: TAGS,
};
/** Prod-like: three zones, three nodes, dedicated masters, protected. */
const OS_PROD: SearchArgs = {
    mode: "opensearch",
    vpcId: VPC,
    subnetIds: SUBNETS3,
    domainName: "am-production",
    openSearch: { instanceType: "m6g.large.search", instanceCount: 3, dedicatedMasters: true, volumeSizeGiB: 100 },
    protect: true,
    tags: PROD_TAGS,
    logRetentionDays: 365,
};

interface Planned {
    p: TestPlan;
    args: SearchArgs;
}

async function planSearch(args: SearchArgs): Promise<Planned> {
    const p = await plan(() => {
        const s = new Search("archivematica-search", args);
        s.reachable?.allowFrom("dashboard", SERVICE_SG);
        return { searchEnabled: s.searchEnabled, urlSecretArn: s.urlSecretArn, hasReachable: s.reachable !== undefined };
    });
    return { p, args };
}

function children(p: TestPlan): PlannedResource[] {
    return p.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
}

describe("Search: disabled and external", () => {
    it("disabled (the default): SEARCH_ENABLED false and no resources at all", async () => {
        const { p } = await planSearch({ vpcId: VPC, subnetIds: SUBNETS3, tags: TAGS });
        assert.deepStrictEqual(children(p), []);
        assert.deepStrictEqual(p.outputs, { searchEnabled: "false", hasReachable: false });
    });

    it("SEARCH_ENABLED follows searchIndexes", () => {
        const value = (indexes: SearchIndexes) => searchEnabledValue("external", indexes);
        assert.deepStrictEqual((["aips", "transfers", "both"] as const).map(value), ["aips", "transfers", "true"]);
        assert.deepStrictEqual(
            [searchEnabledValue("opensearch"), searchEnabledValue("disabled", "aips"), searchEnabledValue()],
            ["true", "false", "false"],
        );
    });

    it("external: the URL from secret config goes into one secret, wrapped, and nowhere else", async () => {
        const { p } = await planSearch({
            mode: "external",
            url: pulumi.secret(EXTERNAL_URL),
            indexes: "transfers",
            vpcId: VPC,
            subnetIds: SUBNETS3,
            tags: TAGS,
        });
        assert.deepStrictEqual(
            children(p).map((r) => `${r.type} ${r.name}`),
            [
                "aws:secretsmanager/secret:Secret archivematica-search-url-secret",
                "aws:secretsmanager/secretVersion:SecretVersion archivematica-search-url-version",
            ],
        );
        assert.deepStrictEqual(p.named("archivematica-search-url-secret").props, {
            description: "External Elasticsearch URL with credentials (whole value)",
            tags: mergeTags(TAGS, "archivematica-search-url-secret"),
        });
        const version = p.named("archivematica-search-url-version");
        assert.deepStrictEqual(version.props, { secretId: p.named("archivematica-search-url-secret").id, secretString: EXTERNAL_URL });
        assert.strictEqual((version.inputs.secretString as Record<string, unknown>)[SIG_KEY], SECRET_SIG);
        assert.deepStrictEqual(p.outputs, {
            searchEnabled: "transfers",
            urlSecretArn: "arn:aws:secretsmanager:eu-west-2:123456789012:secret:archivematica-search-url-secret-4acb61",
            hasReachable: false,
        });
        for (const r of p.resources) {
            assert.ok(!JSON.stringify(maskSecrets(r.inputs)).includes("s3cr3t-Pass"), r.name);
            assert.ok(!JSON.stringify(maskSecrets(r.outputs ?? {})).includes("s3cr3t-Pass"), r.name);
        }
    });
});

describe("Search: OpenSearch domain (Archivematica 1.17)", () => {
    let staging: Planned;
    let prod: Planned;
    before(async () => {
        staging = await planSearch(OS_STAGING);
        prod = await planSearch(OS_PROD);
    });

    it("creates the domain, its SG, master user, URL secret, log groups and log policy, all parented", () => {
        const component = staging.p.named("archivematica-search");
        assert.strictEqual(component.type, "archivematica:index:Search");
        const expected = [
            "aws:cloudwatch/logGroup:LogGroup archivematica-search-log-application",
            "aws:cloudwatch/logGroup:LogGroup archivematica-search-log-audit",
            "aws:cloudwatch/logGroup:LogGroup archivematica-search-log-index-slow",
            "aws:cloudwatch/logGroup:LogGroup archivematica-search-log-search-slow",
            "aws:cloudwatch/logResourcePolicy:LogResourcePolicy archivematica-search-log-policy",
            "aws:ec2/securityGroup:SecurityGroup archivematica-search-sg",
            "aws:opensearch/domain:Domain archivematica-search-domain",
            "aws:secretsmanager/secret:Secret archivematica-search-master-user-secret",
            "aws:secretsmanager/secret:Secret archivematica-search-url-secret",
            "aws:secretsmanager/secretVersion:SecretVersion archivematica-search-master-user-version",
            "aws:secretsmanager/secretVersion:SecretVersion archivematica-search-url-version",
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule archivematica-search-from-dashboard",
            "random:index/randomPassword:RandomPassword archivematica-search-master-password",
        ];
        for (const { p } of [staging, prod]) {
            assert.deepStrictEqual(
                children(p)
                    .map((r) => `${r.type} ${r.name}`)
                    .sort(),
                expected,
            );
            for (const r of children(p)) assert.strictEqual(r.parent, p.named("archivematica-search").urn, r.name);
        }
    });

    it("staging domain: Elasticsearch 6.8, one node, encrypted, HTTPS with the PFS TLS policy, FGAC, in the VPC", () => {
        const d = staging.p.named("archivematica-search-domain");
        const password = staging.p.named("archivematica-search-master-user-version").props.secretString;
        const { tags, accessPolicies, logPublishingOptions, ...props } = d.props;
        assert.deepStrictEqual(props, {
            domainName: "am-staging",
            engineVersion: "Elasticsearch_6.8",
            clusterConfig: {
                instanceType: "t3.small.search",
                instanceCount: 1,
                zoneAwarenessEnabled: false,
                dedicatedMasterEnabled: false,
            },
            ebsOptions: { ebsEnabled: true, volumeType: "gp2", volumeSize: 20 },
            encryptAtRest: { enabled: true },
            nodeToNodeEncryption: { enabled: true },
            domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" },
            advancedSecurityOptions: {
                enabled: true,
                anonymousAuthEnabled: false,
                internalUserDatabaseEnabled: true,
                masterUserOptions: { masterUserName: "archivematica", masterUserPassword: JSON.parse(password).password },
            },
            vpcOptions: { subnetIds: SUBNETS3.slice(0, 1), securityGroupIds: [staging.p.named("archivematica-search-sg").id] },
        });
        assert.deepStrictEqual(tags, mergeTags(TAGS, "archivematica-search-domain"));
        assert.deepStrictEqual(JSON.parse(accessPolicies), {
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Principal: { AWS: "*" },
                    Action: "es:ESHttp*",
                    Resource: "arn:aws:es:eu-west-2:123456789012:domain/am-staging/*",
                },
            ],
        });
        assert.deepStrictEqual(
            logPublishingOptions,
            [
                ["ES_APPLICATION_LOGS", "application"],
                ["INDEX_SLOW_LOGS", "index-slow"],
                ["SEARCH_SLOW_LOGS", "search-slow"],
                ["AUDIT_LOGS", "audit"],
            ].map(([logType, suffix]) => ({
                logType,
                cloudwatchLogGroupArn: `arn:aws:logs:eu-west-2:123456789012:log-group:/aws/opensearch/am-staging/${suffix}`,
                enabled: true,
            })),
        );
        const wire = (d.inputs.advancedSecurityOptions as Record<string, any>).masterUserOptions.masterUserPassword;
        assert.strictEqual(wire[SIG_KEY], SECRET_SIG);
        assert.strictEqual(d.protect, false);
        assert.deepStrictEqual(d.customTimeouts, { create: "90m", update: "180m", delete: "90m" });
        assert.ok(d.dependencies.includes(staging.p.named("archivematica-search-log-policy").urn));
        assert.deepStrictEqual(staging.p.outputs, {
            searchEnabled: "aips",
            urlSecretArn: "arn:aws:secretsmanager:eu-west-2:123456789012:secret:archivematica-search-url-secret-4acb61",
            hasReachable: true,
        });
    });

    it("prod domain: zone awareness over 3 AZs, 3 nodes, 3 dedicated masters, protected", () => {
        const d = prod.p.named("archivematica-search-domain");
        assert.deepStrictEqual(d.props.clusterConfig, {
            instanceType: "m6g.large.search",
            instanceCount: 3,
            zoneAwarenessEnabled: true,
            zoneAwarenessConfig: { availabilityZoneCount: 3 },
            dedicatedMasterEnabled: true,
            dedicatedMasterType: "m6g.large.search",
            dedicatedMasterCount: 3,
        });
        assert.deepStrictEqual(d.props.vpcOptions.subnetIds, SUBNETS3);
        assert.deepStrictEqual(d.props.ebsOptions, { ebsEnabled: true, volumeType: "gp2", volumeSize: 100 });
        assert.deepStrictEqual([d.props.domainName, d.protect], ["am-production", true]);
        for (const suffix of ["application", "index-slow", "search-slow", "audit"]) {
            assert.deepStrictEqual(prod.p.named(`archivematica-search-log-${suffix}`).props, {
                name: `/aws/opensearch/am-production/${suffix}`,
                retentionInDays: 365,
                tags: mergeTags(PROD_TAGS, `archivematica-search-log-${suffix}`),
            });
        }
    });

    it("log resource policy lets only this account's domain write to its four log groups", () => {
        const policy = staging.p.named("archivematica-search-log-policy").props;
        assert.strictEqual(policy.policyName, "am-staging-opensearch-logs");
        assert.deepStrictEqual(JSON.parse(policy.policyDocument), {
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Principal: { Service: "es.amazonaws.com" },
                    Action: ["logs:PutLogEvents", "logs:CreateLogStream"],
                    Resource: ["application", "index-slow", "search-slow", "audit"].map(
                        (s) => `arn:aws:logs:eu-west-2:123456789012:log-group:/aws/opensearch/am-staging/${s}:*`,
                    ),
                    Condition: {
                        StringEquals: { "aws:SourceAccount": "123456789012" },
                        ArnLike: { "aws:SourceArn": "arn:aws:es:eu-west-2:123456789012:domain/am-staging" },
                    },
                },
            ],
        });
    });

    it("security group: 443 only from the services allowed, no egress", () => {
        const sg = staging.p.named("archivematica-search-sg");
        assert.deepStrictEqual(sg.props, {
            vpcId: VPC,
            description: "Archivematica OpenSearch: HTTPS only from the services granted access",
            revokeRulesOnDelete: true,
            tags: mergeTags(TAGS, "archivematica-search-sg"),
        });
        assert.deepStrictEqual(staging.p.named("archivematica-search-from-dashboard").props, {
            securityGroupId: sg.id,
            referencedSecurityGroupId: SERVICE_SG,
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            description: "HTTPS (OpenSearch) from dashboard",
            tags: mergeTags(TAGS, "archivematica-search-from-dashboard"),
        });
        assert.strictEqual(staging.p.ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").length, 0);
    });

    it("master user in its own secret; the URL secret carries the same credentials; both wrapped; no plaintext anywhere", () => {
        for (const { p } of [staging, prod]) {
            assert.deepStrictEqual(p.named("archivematica-search-master-password").props, {
                length: 32,
                special: true,
                overrideSpecial: "_-.",
                minLower: 1,
                minUpper: 1,
                minNumeric: 1,
                minSpecial: 1,
            });
            const master = p.named("archivematica-search-master-user-version");
            const { username, password } = JSON.parse(master.props.secretString);
            assert.strictEqual(username, "archivematica");
            assert.match(password, /^[A-Za-z0-9_.-]{32}$/);
            assert.strictEqual(master.props.secretId, p.named("archivematica-search-master-user-secret").id);
            const url = p.named("archivematica-search-url-version");
            assert.strictEqual(url.props.secretId, p.named("archivematica-search-url-secret").id);
            const endpoint = `vpc-${p.named("archivematica-search-domain").props.domainName}-`;
            assert.ok(
                (url.props.secretString as string).startsWith(`https://archivematica:${password}@${endpoint}`),
                url.props.secretString,
            );
            assert.ok((url.props.secretString as string).endsWith(".eu-west-2.es.amazonaws.com:443"));
            for (const v of [master, url])
                assert.strictEqual((v.inputs.secretString as Record<string, unknown>)[SIG_KEY], SECRET_SIG, v.name);
            assert.ok(JSON.stringify(master.inputs).includes(password), "the check must see the wrapped value");
            for (const r of p.resources) {
                assert.ok(!JSON.stringify(maskSecrets(r.inputs)).includes(password), `${r.name} inputs hold the password`);
                assert.ok(!JSON.stringify(maskSecrets(r.outputs ?? {})).includes(password), `${r.name} outputs hold the password`);
            }
            assert.ok(!JSON.stringify(maskSecrets(p.outputs)).includes(password));
        }
    });

    it("tags every taggable child", () => {
        const untaggable = new Set([
            "aws:secretsmanager/secretVersion:SecretVersion",
            "random:index/randomPassword:RandomPassword",
            "aws:cloudwatch/logResourcePolicy:LogResourcePolicy",
        ]);
        for (const { p, args } of [staging, prod]) {
            for (const r of children(p).filter((x) => !untaggable.has(x.type)))
                assert.deepStrictEqual(r.props.tags, mergeTags(args.tags, r.name), r.name);
        }
    });

    it("refuses a bad domain name, nodes that do not fit the subnets, and external without a URL", async () => {
        const cases: [SearchArgs, string][] = [
            [
                { ...OS_STAGING, subnetIds: SUBNETS3.slice(0, 1), openSearch: { instanceCount: 2 } },
                'Search "archivematica-search": 2 data nodes cannot be spread evenly over 1 subnets; valid: 1, an even number, or a multiple of 3 with 3 subnets',
            ],
            [
                { ...OS_STAGING, openSearch: { instanceCount: 3 } },
                'Search "archivematica-search": 3 data nodes cannot be spread evenly over 2 subnets; valid: 1, an even number, or a multiple of 3 with 3 subnets',
            ],
            [
                { ...OS_STAGING, domainName: "Archivematica_Search" },
                'Search "archivematica-search": domainName "Archivematica_Search" is not valid; valid: 3-28 lower-case letters, digits or hyphens, starting with a letter',
            ],
            [
                { mode: "external", vpcId: VPC, subnetIds: SUBNETS3, tags: TAGS },
                'Search "archivematica-search": url is missing while mode is external; valid: an https://user:password@host:9200 URL',
            ],
        ];
        for (const [args, message] of cases) {
            await assert.rejects(planSearch(args), (e: Error) => e.message === message, message);
        }
    });
});
