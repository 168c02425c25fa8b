/**
 * The search tier: nothing (`disabled`), an external Elasticsearch whose URL with credentials is kept
 * in Secrets Manager (`external`), or an Amazon OpenSearch Service domain running Elasticsearch 6.8
 * in the VPC for Archivematica 1.17 and older (`opensearch`). Archivematica's Elasticsearch client
 * cannot sign requests (no SigV4), so the domain uses fine-grained access control with an internal
 * user and the services get a URL with basic-auth credentials, as a secret.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { openSearchZoneCount, SearchConfig } from "../config";
import { Reachable, SearchOutputs } from "./interfaces";
import { ingressFrom } from "./security-groups";
import { mergeTags, Tags } from "./tags";

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

export interface SearchArgs {
    /** Search mode and, for OpenSearch, the domain's size; validated by `parseConfig`. */
    config: SearchConfig;
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
    /** Instance type of the three dedicated masters, when the config asks for them. @default the data node type */
    dedicatedMasterType?: string;
}

/** `SEARCH_ENABLED` for the configured indexes. */
export function searchEnabledValue(config: SearchConfig): string {
    if (config.mode === "disabled") return "false";
    return config.indexes === "both" ? "true" : config.indexes;
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
        const cfg = args.config;
        const domainName = args.domainName ?? name;
        const protect = args.protect ?? false;
        const logRetentionDays = args.logRetentionDays ?? 30;
        this.name = name;
        this.tags = args.tags;
        this.searchEnabled = searchEnabledValue(cfg);

        if (cfg.mode === "external") {
            this.urlSecretArn = this.urlSecret(cfg.url, "External Elasticsearch URL with credentials (whole value)");
        } else if (cfg.mode === "opensearch") {
            if (!/^[a-z][a-z0-9-]{2,27}$/.test(domainName)) {
                throw new Error(
                    `Search "${name}": domainName ${JSON.stringify(domainName)} is not valid; valid: 3-28 lower-case letters, digits or hyphens, starting with a letter`,
                );
            }
            const zoneCount = openSearchZoneCount(cfg.instanceCount, args.subnetIds.length);
            if (zoneCount === undefined || zoneCount > args.subnetIds.length) {
                throw new Error(
                    `Search "${name}": ${cfg.instanceCount} data nodes cannot be spread evenly over ${args.subnetIds.length} subnets; valid: 1, an even number, or a multiple of 3 with 3 subnets`,
                );
            }
            const dedicatedMasterType = args.dedicatedMasterType ?? cfg.instanceType;

            const sg = new aws.ec2.SecurityGroup(
                `${name}-sg`,
                {
                    vpcId: args.vpcId,
                    description: "Archivematica OpenSearch: HTTPS only from the services granted access",
                    revokeRulesOnDelete: true,
                    tags: mergeTags(args.tags, `${name}-sg`),
                },
                { parent: this },
            );

            // Fine-grained access control wants 8+ characters with upper, lower, digit and special;
            // `_-.` keep it safe in a URL's user-info and in shell words.
            const password = new random.RandomPassword(
                `${name}-master-password`,
                { length: 32, special: true, overrideSpecial: "_-.", minLower: 1, minUpper: 1, minNumeric: 1, minSpecial: 1 },
                { parent: this },
            );
            const masterSecret = new aws.secretsmanager.Secret(
                `${name}-master-user-secret`,
                {
                    description: `Master user of the OpenSearch domain ${domainName} (JSON username/password)`,
                    tags: mergeTags(args.tags, `${name}-master-user-secret`),
                },
                { parent: this },
            );
            new aws.secretsmanager.SecretVersion(
                `${name}-master-user-version`,
                {
                    secretId: masterSecret.id,
                    secretString: pulumi.secret(pulumi.jsonStringify({ username: OPENSEARCH_USERNAME, password: password.result })),
                },
                { parent: this },
            );

            const logGroups = OPENSEARCH_LOGS.map(
                ([logType, suffix]) =>
                    [
                        logType,
                        new aws.cloudwatch.LogGroup(
                            `${name}-log-${suffix}`,
                            {
                                name: `/aws/opensearch/${domainName}/${suffix}`,
                                retentionInDays: logRetentionDays,
                                tags: mergeTags(args.tags, `${name}-log-${suffix}`),
                            },
                            { parent: this },
                        ),
                    ] as const,
            );

            const partition = aws.getPartitionOutput({}, { parent: this }).partition;
            const region = aws.getRegionOutput({}, { parent: this }).region;
            const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
            const domainArn = pulumi.interpolate`arn:${partition}:es:${region}:${account}:domain/${domainName}`;

            // OpenSearch writes to CloudWatch Logs only with a resource policy; the conditions keep
            // other accounts' domains (confused deputy) from writing into these groups.
            const logPolicy = new aws.cloudwatch.LogResourcePolicy(
                `${name}-log-policy`,
                {
                    policyName: `${domainName}-opensearch-logs`,
                    policyDocument: pulumi.jsonStringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Principal: { Service: "es.amazonaws.com" },
                                Action: ["logs:PutLogEvents", "logs:CreateLogStream"],
                                Resource: logGroups.map(([, group]) => pulumi.interpolate`${group.arn}:*`),
                                Condition: { StringEquals: { "aws:SourceAccount": account }, ArnLike: { "aws:SourceArn": domainArn } },
                            },
                        ],
                    }),
                },
                { parent: this },
            );

            const domain = new aws.opensearch.Domain(
                `${name}-domain`,
                {
                    domainName,
                    engineVersion: OPENSEARCH_ENGINE_VERSION,
                    clusterConfig: {
                        instanceType: cfg.instanceType,
                        instanceCount: cfg.instanceCount,
                        zoneAwarenessEnabled: zoneCount > 1,
                        zoneAwarenessConfig: zoneCount > 1 ? { availabilityZoneCount: zoneCount } : undefined,
                        dedicatedMasterEnabled: cfg.dedicatedMasters,
                        dedicatedMasterType: cfg.dedicatedMasters ? dedicatedMasterType : undefined,
                        dedicatedMasterCount: cfg.dedicatedMasters ? 3 : undefined,
                    },
                    // gp2: gp3 is not offered for every Elasticsearch 6.x domain.
                    ebsOptions: { ebsEnabled: true, volumeType: "gp2", volumeSize: cfg.volumeSizeGiB },
                    encryptAtRest: { enabled: true },
                    nodeToNodeEncryption: { enabled: true },
                    domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: OPENSEARCH_TLS_POLICY },
                    advancedSecurityOptions: {
                        enabled: true,
                        anonymousAuthEnabled: false,
                        internalUserDatabaseEnabled: true,
                        masterUserOptions: { masterUserName: OPENSEARCH_USERNAME, masterUserPassword: password.result },
                    },
                    vpcOptions: { subnetIds: args.subnetIds.slice(0, zoneCount), securityGroupIds: [sg.id] },
                    // Fine-grained access control decides who may do what; the domain is reachable only
                    // from the VPC, through the security group.
                    accessPolicies: pulumi.jsonStringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Principal: { AWS: "*" },
                                Action: "es:ESHttp*",
                                Resource: pulumi.interpolate`${domainArn}/*`,
                            },
                        ],
                    }),
                    logPublishingOptions: logGroups.map(([logType, group]) => ({
                        logType,
                        cloudwatchLogGroupArn: group.arn,
                        enabled: true,
                    })),
                    tags: mergeTags(args.tags, `${name}-domain`),
                },
                {
                    parent: this,
                    protect,
                    dependsOn: [logPolicy],
                    // Domain creation takes 15-60+ minutes; blue/green changes longer.
                    customTimeouts: { create: "90m", update: "180m", delete: "90m" },
                },
            );

            const url = pulumi.interpolate`https://${OPENSEARCH_USERNAME}:${password.result}@${domain.endpoint}:${HTTPS_PORT}`;
            this.urlSecretArn = this.urlSecret(url, `URL with credentials of the OpenSearch domain ${domainName} (whole value)`);
            this.masterUserSecretArn = masterSecret.arn;
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
