/**
 * The search tier: nothing (`disabled`), an external Elasticsearch whose URL with credentials is kept
 * in Secrets Manager (`external`), or an Amazon OpenSearch Service domain running Elasticsearch 6.8
 * in the VPC for Archivematica 1.17 and older (`opensearch`). Archivematica's Elasticsearch client
 * cannot sign requests (no SigV4), so the domain uses fine-grained access control with an internal
 * user and the services get a URL with basic-auth credentials, as a secret.
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { openSearchZoneCount } from "../../config";
import { Reachable, SearchOutputs } from "../interfaces";
import { ingressFrom } from "../../lib/security-groups";
import { mergeTags, Tags } from "../../lib/tags";
import { DEFAULT_LOG_RETENTION_DAYS } from "../../lib/cloudwatch-logs";

export const HTTPS_PORT = 443;
/** The only engine Archivematica ≤ 1.17 supports that the service offers. */
export const OPENSEARCH_ENGINE_VERSION = "Elasticsearch_6.8";
export const OPENSEARCH_TLS_POLICY = "Policy-Min-TLS-1-2-PFS-2023-10";
/** The internal (fine-grained access control) master user Archivematica connects as. */
export const OPENSEARCH_USERNAME = "archivematica";
/** Log types the domain publishes, and the suffix of each log group. */
export const OPENSEARCH_LOGS = [
    ["ES_APPLICATION_LOGS", "application"],
    ["INDEX_SLOW_LOGS", "index-slow"],
    ["SEARCH_SLOW_LOGS", "search-slow"],
    ["AUDIT_LOGS", "audit"],
] as const;

/** Which Archivematica indexes are written when search is on. */
export type SearchIndexes = "aips" | "transfers" | "both";

/** The size of an OpenSearch domain. */
export interface OpenSearchArgs {
    /** Data node instance type. @default "t3.small.search" */
    instanceType?: string;
    /**
     * Data nodes: 1, an even number (two zones), or a multiple of 3 with three subnets (three zones).
     * @default 1
     */
    instanceCount?: number;
    /** Add three dedicated master nodes. @default false */
    dedicatedMasters?: boolean;
    /** Instance type of the dedicated masters. @default instanceType */
    dedicatedMasterType?: string;
    /** EBS volume per data node (GiB). @default 20 */
    volumeSizeGiB?: number;
}

export interface SearchArgs {
    /**
     * `disabled`: no search tier. `external`: an Elasticsearch reached at `url`. `opensearch`: an
     * Amazon OpenSearch Service domain (Elasticsearch 6.8) in the VPC, for Archivematica 1.17 and older.
     * @default "disabled"
     */
    mode?: "disabled" | "external" | "opensearch";
    /**
     * Elasticsearch URL with credentials (`https://user:password@host:9200`); required when `mode` is
     * `external`, ignored otherwise. Kept in a secret; pass it as a Pulumi secret.
     */
    url?: pulumi.Input<string>;
    /** Which indexes Archivematica writes when search is on. @default "both" */
    indexes?: SearchIndexes;
    /** Size of the OpenSearch domain (`mode` `opensearch` only). @default {} (every field's default) */
    openSearch?: OpenSearchArgs;
    /** VPC of the domain's security group (OpenSearch only). */
    vpcId: pulumi.Input<string>;
    /**
     * Private subnets, one per availability zone (OpenSearch only). The domain uses as many of them,
     * in order, as it has zones.
     */
    subnetIds: pulumi.Input<string>[];
    /**
     * OpenSearch domain name: 3-28 lower-case letters, digits or hyphens, starting with a letter, unique
     * in the account and region. Also names the log groups and the log resource policy.
     * @default name
     */
    domainName?: string;
    /** Pulumi `protect` on the OpenSearch domain. @default false */
    protect?: boolean;
    /** Required tags merged onto every child. */
    tags: Tags;
    /** Retention of the domain's log groups (days). @default 30 */
    logRetentionDays?: number;
}

/** An OpenSearch domain's settings with every default applied. */
interface NormalizedOpenSearch extends Required<OpenSearchArgs> {
    domainName: string;
    protect: boolean;
    logRetentionDays: number;
    /** Availability zones the data nodes are spread over. */
    zoneCount: 1 | 2 | 3;
}

/** `SEARCH_ENABLED` for the mode and indexes: `false`, `aips`, `transfers` or `true` (both). */
export function searchEnabledValue(mode: SearchArgs["mode"] = "disabled", indexes: SearchIndexes = "both"): string {
    if (mode === "disabled") return "false";
    return indexes === "both" ? "true" : indexes;
}

/** Applies the OpenSearch defaults; throws on a bad domain name or nodes that do not fit the subnets. */
function normalizeOpenSearch(name: string, args: SearchArgs): NormalizedOpenSearch {
    const domainName = args.domainName ?? name;
    if (!/^[a-z][a-z0-9-]{2,27}$/.test(domainName)) {
        throw new Error(
            `Search "${name}": domainName ${JSON.stringify(domainName)} is not valid; valid: 3-28 lower-case letters, digits or hyphens, starting with a letter`,
        );
    }
    const o = args.openSearch ?? {};
    const instanceType = o.instanceType ?? "t3.small.search";
    const instanceCount = o.instanceCount ?? 1;
    const zoneCount = openSearchZoneCount(instanceCount, args.subnetIds.length);
    if (zoneCount === undefined || zoneCount > args.subnetIds.length) {
        throw new Error(
            `Search "${name}": ${instanceCount} data nodes cannot be spread evenly over ${args.subnetIds.length} subnets; valid: 1, an even number, or a multiple of 3 with 3 subnets`,
        );
    }
    return {
        instanceType,
        instanceCount,
        dedicatedMasters: o.dedicatedMasters ?? false,
        dedicatedMasterType: o.dedicatedMasterType ?? instanceType,
        volumeSizeGiB: o.volumeSizeGiB ?? 20,
        domainName,
        protect: args.protect ?? false,
        logRetentionDays: args.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
        zoneCount,
    };
}

export class Search extends pulumi.ComponentResource implements SearchOutputs {
    readonly searchEnabled: string;
    readonly urlSecretArn?: pulumi.Output<string>;
    readonly reachable?: Reachable;
    /** OpenSearch only: the secret holding `{"username", "password"}` of the domain's master user. */
    readonly masterUserSecretArn?: pulumi.Output<string>;
    /** OpenSearch only: the domain's VPC endpoint (host name). */
    readonly domainEndpoint?: pulumi.Output<string>;

    private readonly name: string;
    private readonly tags: Tags;

    constructor(name: string, args: SearchArgs, opts?: pulumi.ComponentResourceOptions) {
        super("archivematica:index:Search", name, {}, opts);
        const mode = args.mode ?? "disabled";
        this.name = name;
        this.tags = args.tags;
        this.searchEnabled = searchEnabledValue(mode, args.indexes);

        if (mode === "external") {
            if (args.url === undefined) {
                throw new Error(`Search "${name}": url is missing while mode is external; valid: an https://user:password@host:9200 URL`);
            }
            this.urlSecretArn = this.urlSecret(args.url, "External Elasticsearch URL with credentials (whole value)");
        } else if (mode === "opensearch") {
            const o = normalizeOpenSearch(name, args);
            const sg = this.createSecurityGroup(args.vpcId);
            const password = this.createMasterPassword();
            this.masterUserSecretArn = this.createMasterUserSecret(o, password);
            const logGroups = this.createLogGroups(o);
            const domainArn = this.domainArn(o);
            const logPolicy = this.createLogPolicy(o, logGroups, domainArn);
            const domain = this.createDomain(o, { subnetIds: args.subnetIds, sg, password, logGroups, logPolicy, domainArn });
            const url = pulumi.interpolate`https://${OPENSEARCH_USERNAME}:${password.result}@${domain.endpoint}:${HTTPS_PORT}`;
            this.urlSecretArn = this.urlSecret(url, `URL with credentials of the OpenSearch domain ${o.domainName} (whole value)`);
            this.domainEndpoint = domain.endpoint;
            const securityGroupId = sg.id;
            this.reachable = {
                securityGroupId,
                allowFrom: (sourceName, sourceSecurityGroupId) => this.allowFrom(securityGroupId, sourceName, sourceSecurityGroupId),
            };
        }

        this.registerOutputs({
            searchEnabled: this.searchEnabled,
            urlSecretArn: this.urlSecretArn,
            securityGroupId: this.reachable?.securityGroupId,
            masterUserSecretArn: this.masterUserSecretArn,
            domainEndpoint: this.domainEndpoint,
        });
    }

    private createSecurityGroup(vpcId: pulumi.Input<string>): aws.ec2.SecurityGroup {
        return new aws.ec2.SecurityGroup(
            `${this.name}-sg`,
            {
                vpcId,
                description: "Archivematica OpenSearch: HTTPS only from the services granted access",
                revokeRulesOnDelete: true,
                tags: mergeTags(this.tags, `${this.name}-sg`),
            },
            { parent: this },
        );
    }

    /**
     * Fine-grained access control wants 8+ characters with upper, lower, digit and special; `_-.` keep
     * it safe in a URL's user-info and in shell words.
     */
    private createMasterPassword(): random.RandomPassword {
        return new random.RandomPassword(
            `${this.name}-master-password`,
            { length: 32, special: true, overrideSpecial: "_-.", minLower: 1, minUpper: 1, minNumeric: 1, minSpecial: 1 },
            { parent: this },
        );
    }

    /** The master user's `{"username", "password"}` in its own secret; returns the secret's ARN. */
    private createMasterUserSecret(o: NormalizedOpenSearch, password: random.RandomPassword): pulumi.Output<string> {
        const secret = new aws.secretsmanager.Secret(
            `${this.name}-master-user-secret`,
            {
                description: `Master user of the OpenSearch domain ${o.domainName} (JSON username/password)`,
                tags: mergeTags(this.tags, `${this.name}-master-user-secret`),
            },
            { parent: this },
        );
        new aws.secretsmanager.SecretVersion(
            `${this.name}-master-user-version`,
            {
                secretId: secret.id,
                secretString: pulumi.secret(pulumi.jsonStringify({ username: OPENSEARCH_USERNAME, password: password.result })),
            },
            { parent: this },
        );
        return secret.arn;
    }

    /** One log group per published log type, in {@link OPENSEARCH_LOGS} order. */
    private createLogGroups(o: NormalizedOpenSearch): aws.cloudwatch.LogGroup[] {
        return OPENSEARCH_LOGS.map(
            ([, suffix]) =>
                new aws.cloudwatch.LogGroup(
                    `${this.name}-log-${suffix}`,
                    {
                        name: `/aws/opensearch/${o.domainName}/${suffix}`,
                        retentionInDays: o.logRetentionDays,
                        tags: mergeTags(this.tags, `${this.name}-log-${suffix}`),
                    },
                    { parent: this },
                ),
        );
    }

    /** The domain's ARN, known before the domain exists (the log policy names it). */
    private domainArn(o: NormalizedOpenSearch): pulumi.Output<string> {
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        return pulumi.interpolate`arn:${partition}:es:${region}:${account}:domain/${o.domainName}`;
    }

    /**
     * OpenSearch writes to CloudWatch Logs only with a resource policy; the conditions keep other
     * accounts' domains (confused deputy) from writing into these groups.
     */
    private createLogPolicy(
        o: NormalizedOpenSearch,
        logGroups: aws.cloudwatch.LogGroup[],
        domainArn: pulumi.Output<string>,
    ): aws.cloudwatch.LogResourcePolicy {
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        return new aws.cloudwatch.LogResourcePolicy(
            `${this.name}-log-policy`,
            {
                policyName: `${o.domainName}-opensearch-logs`,
                policyDocument: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Service: "es.amazonaws.com" },
                            Action: ["logs:PutLogEvents", "logs:CreateLogStream"],
                            Resource: logGroups.map((group) => pulumi.interpolate`${group.arn}:*`),
                            Condition: { StringEquals: { "aws:SourceAccount": account }, ArnLike: { "aws:SourceArn": domainArn } },
                        },
                    ],
                }),
            },
            { parent: this },
        );
    }

    private createDomain(
        o: NormalizedOpenSearch,
        parts: {
            subnetIds: pulumi.Input<string>[];
            sg: aws.ec2.SecurityGroup;
            password: random.RandomPassword;
            logGroups: aws.cloudwatch.LogGroup[];
            logPolicy: aws.cloudwatch.LogResourcePolicy;
            domainArn: pulumi.Output<string>;
        },
    ): aws.opensearch.Domain {
        const zoneAware = o.zoneCount > 1;
        return new aws.opensearch.Domain(
            `${this.name}-domain`,
            {
                domainName: o.domainName,
                engineVersion: OPENSEARCH_ENGINE_VERSION,
                clusterConfig: {
                    instanceType: o.instanceType,
                    instanceCount: o.instanceCount,
                    zoneAwarenessEnabled: zoneAware,
                    zoneAwarenessConfig: zoneAware ? { availabilityZoneCount: o.zoneCount } : undefined,
                    dedicatedMasterEnabled: o.dedicatedMasters,
                    dedicatedMasterType: o.dedicatedMasters ? o.dedicatedMasterType : undefined,
                    dedicatedMasterCount: o.dedicatedMasters ? 3 : undefined,
                },
                // gp2: gp3 is not offered for every Elasticsearch 6.x domain.
                ebsOptions: { ebsEnabled: true, volumeType: "gp2", volumeSize: o.volumeSizeGiB },
                encryptAtRest: { enabled: true },
                nodeToNodeEncryption: { enabled: true },
                domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: OPENSEARCH_TLS_POLICY },
                advancedSecurityOptions: {
                    enabled: true,
                    anonymousAuthEnabled: false,
                    internalUserDatabaseEnabled: true,
                    masterUserOptions: { masterUserName: OPENSEARCH_USERNAME, masterUserPassword: parts.password.result },
                },
                vpcOptions: { subnetIds: parts.subnetIds.slice(0, o.zoneCount), securityGroupIds: [parts.sg.id] },
                // Fine-grained access control decides who may do what; the domain is reachable only
                // from the VPC, through the security group.
                accessPolicies: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { AWS: "*" },
                            Action: "es:ESHttp*",
                            Resource: pulumi.interpolate`${parts.domainArn}/*`,
                        },
                    ],
                }),
                logPublishingOptions: parts.logGroups.map((group, i) => ({
                    logType: OPENSEARCH_LOGS[i][0],
                    cloudwatchLogGroupArn: group.arn,
                    enabled: true,
                })),
                tags: mergeTags(this.tags, `${this.name}-domain`),
            },
            {
                parent: this,
                protect: o.protect,
                dependsOn: [parts.logPolicy],
                // Domain creation takes 15-60+ minutes; blue/green changes longer.
                customTimeouts: { create: "90m", update: "180m", delete: "90m" },
            },
        );
    }

    /** Keeps a URL with credentials in its own secret; returns the secret's ARN. */
    private urlSecret(url: pulumi.Input<string>, description: string): pulumi.Output<string> {
        const secret = new aws.secretsmanager.Secret(
            `${this.name}-url-secret`,
            { description, tags: mergeTags(this.tags, `${this.name}-url-secret`) },
            { parent: this },
        );
        new aws.secretsmanager.SecretVersion(
            `${this.name}-url-version`,
            { secretId: secret.id, secretString: pulumi.secret(url) },
            { parent: this },
        );
        return secret.arn;
    }

    private allowFrom(securityGroupId: pulumi.Output<string>, sourceName: string, sourceSecurityGroupId: pulumi.Input<string>): void {
        ingressFrom(this, `${this.name}-from-${sourceName}`, {
            securityGroupId,
            sourceSecurityGroupId,
            port: HTTPS_PORT,
            description: `HTTPS (OpenSearch) from ${sourceName}`,
            tags: this.tags,
        });
    }
}
