/**
 * The public entrance: one Application Load Balancer in the public subnets that terminates TLS and
 * routes by host name to the dashboard and the Storage Service (both gunicorn on port 8000), with an
 * HTTP listener that only redirects, and optional access logs to a private, encrypted S3 bucket.
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { IngressOutputs } from "../interfaces";
import { GUNICORN_PORT } from "../../lib/ports";
import { mergeTags, Tags } from "../../lib/tags";
import { AlbAuthenticator, API_PATH_PATTERNS, hostActions, readClientSecret } from "./alb-authentication";

/**
 * TLS 1.3 and 1.2 with forward secrecy only, and hybrid post-quantum key exchange (ML-KEM) for clients
 * that offer it: the policy AWS recommends (ELB guide, "Security policies for your Application Load
 * Balancer": ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09, the console's default).
 */
export const ALB_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09";
/** Key prefix of the access logs in their bucket. */
export const ACCESS_LOG_PREFIX = "alb";

export interface IngressArgs {
    /** Public host name of the dashboard; the HTTPS listener forwards it to the dashboard's targets. */
    dashboardHostname: string;
    /** Public host name of the Storage Service; must differ from the dashboard's. */
    storageServiceHostname: string;
    /**
     * ACM certificate (in the stack's region) covering both host names. Not needed with
     * `hostedZoneId`, which creates and validates one; when both are given, this one is used.
     * @default the certificate created in `hostedZoneId`; required without it
     */
    certificateArn?: pulumi.Input<string>;
    /**
     * Route 53 public hosted zone that holds both host names. When set, the component creates an ACM
     * certificate for both names, validated by DNS records in this zone, and alias records of both
     * names pointing at the load balancer: nothing to create by hand. Without it, `dnsRecords` lists
     * the records the operator must create.
     * @default undefined (no DNS records are created)
     * @example "Z0123456789ABCDEFGHIJ"
     */
    hostedZoneId?: string;
    /**
     * IP address type of the load balancer. `dualstack` needs public subnets with IPv6 CIDRs; the
     * alias records then include AAAA.
     * @default "ipv4"
     */
    ipAddressType?: "ipv4" | "dualstack";
    /**
     * Client networks (IPv4 CIDRs) admitted on 443 and 80. Required: there is no open default.
     * @example ["203.0.113.0/24"]
     */
    allowedCidrs: string[];
    /** VPC of the load balancer, its security group and target groups. */
    vpcId: pulumi.Input<string>;
    /** CIDR of the VPC: the load balancer may only send to port 8000 inside it. */
    vpcCidr: pulumi.Input<string>;
    /** Public subnets (at least two, in different availability zones). */
    publicSubnetIds: pulumi.Input<string>[];
    /** Required tags merged onto every child. */
    tags: Tags;
    /** Load balancer deletion protection. @default false */
    deletionProtection?: boolean;
    /** Write access logs to an encrypted, private S3 bucket the component creates. @default false */
    accessLogs?: boolean;
    /** Pulumi `protect` on the access-log bucket (and no `forceDestroy`). @default false */
    protect?: boolean;
    /** Days access logs are kept before S3 expires them. @default 365 */
    accessLogExpirationDays?: number;
    /**
     * The load balancer authenticates browsers with this provider before forwarding to either app;
     * `/api/*` is forwarded without it (the apps' API keys apply there). components/platform/alb-authentication.ts.
     * @default undefined (no authentication at the load balancer)
     */
    authentication?: AlbAuthenticator;
}

/** {@link IngressArgs} with every default applied. */
type NormalizedIngressArgs = Required<Omit<IngressArgs, "certificateArn" | "hostedZoneId" | "authentication">> &
    Pick<IngressArgs, "certificateArn" | "hostedZoneId" | "authentication">;

/** A DNS record the operator creates by hand when the component manages no hosted zone. */
export interface DnsRecord {
    /** Fully qualified name. */
    name: string;
    type: "CNAME";
    /** What the record points at. */
    value: string;
}

/** Applies the defaults of {@link IngressArgs}; throws when both host names are the same. */
function normalizeIngressArgs(name: string, args: IngressArgs): NormalizedIngressArgs {
    if (args.dashboardHostname === args.storageServiceHostname) {
        throw new Error(
            `Ingress "${name}": storageServiceHostname ${JSON.stringify(args.storageServiceHostname)} is the dashboard's; valid: a host name other than the dashboard's`,
        );
    }
    if (args.certificateArn === undefined && args.hostedZoneId === undefined) {
        throw new Error(
            `Ingress "${name}": certificateArn is missing and there is no hostedZoneId to create one in; valid: an ACM certificate ARN covering both host names, or a hostedZoneId`,
        );
    }
    return {
        ...args,
        ipAddressType: args.ipAddressType ?? "ipv4",
        deletionProtection: args.deletionProtection ?? false,
        accessLogs: args.accessLogs ?? false,
        protect: args.protect ?? false,
        accessLogExpirationDays: args.accessLogExpirationDays ?? 365,
    };
}

/** The load-balanced apps, as the catalogue names them. */
export type Target = "dashboard" | "storage-service";

/** The access-log bucket and what must exist before the load balancer may log to it. */
interface AccessLogBucket {
    bucket: aws.s3.Bucket;
    ready: pulumi.Resource[];
}

/** Each target's host name, in a fixed order. */
function hostNames(a: NormalizedIngressArgs): [Target, string][] {
    return [
        ["dashboard", a.dashboardHostname],
        ["storage-service", a.storageServiceHostname],
    ];
}

/** The CNAMEs an operator creates when no hosted zone is managed here. */
function operatorDnsRecords(a: NormalizedIngressArgs, albDnsName: pulumi.Output<string>): pulumi.Output<DnsRecord[]> {
    return albDnsName.apply((value) => hostNames(a).map(([, name]) => ({ name, type: "CNAME" as const, value })));
}

/** A CIDR as a resource-name fragment: 203.0.113.0/24 → 203-0-113-0-24. */
function cidrSlug(cidr: string): string {
    return cidr.replace(/[./]/g, "-");
}

export class Ingress extends pulumi.ComponentResource implements IngressOutputs {
    readonly securityGroupId: pulumi.Output<string>;
    readonly dnsName: pulumi.Output<string>;
    /** Hosted zone of the load balancer, for Route 53 alias records. */
    readonly zoneId: pulumi.Output<string>;
    readonly loadBalancerArn: pulumi.Output<string>;
    /** For CloudWatch metrics dimensions. */
    readonly loadBalancerArnSuffix: pulumi.Output<string>;
    readonly httpsListenerArn: pulumi.Output<string>;
    readonly dashboardTargetGroupArn: pulumi.Output<string>;
    readonly storageServiceTargetGroupArn: pulumi.Output<string>;
    /** The target groups' ARN suffixes by target: the TargetGroup dimension of their CloudWatch metrics. */
    readonly targetGroupArnSuffixes: Record<Target, pulumi.Output<string>>;
    /**
     * The HTTPS host rules by target. ECS refuses a service whose target group is not attached to a
     * load balancer yet: each load-balanced service declares `dependsOn` on its rule.
     */
    readonly listenerRules: Record<Target, aws.lb.ListenerRule>;
    readonly dashboardUrl: string;
    readonly storageServiceUrl: string;
    /**
     * The DNS records the operator must create by hand: a CNAME per host name to the load balancer.
     * Empty when `hostedZoneId` is set (the component creates them).
     */
    readonly dnsRecords: pulumi.Output<DnsRecord[]>;
    /** The certificate the HTTPS listener serves (created and validated here with `hostedZoneId`). */
    readonly certificateArn: pulumi.Output<string>;
    /** Name of the access-log bucket, when access logs are on. */
    readonly accessLogBucket?: pulumi.Output<string>;

    private readonly name: string;

    constructor(name: string, args: IngressArgs, opts?: pulumi.ComponentResourceOptions) {
        super("archivematica:index:Ingress", name, {}, opts);
        const a = normalizeIngressArgs(name, args);
        this.name = name;

        const sg = this.createSecurityGroup(a);
        const logs = a.accessLogs ? this.createAccessLogBucket(a) : undefined;
        const alb = this.createLoadBalancer(a, sg, logs);
        const targetGroups = this.createTargetGroups(a);
        this.certificateArn = a.certificateArn !== undefined ? pulumi.output(a.certificateArn) : this.createCertificate(a, a.hostedZoneId!);
        const https = this.createListeners(a, alb, this.certificateArn);
        this.listenerRules = this.createHostRules(a, https, targetGroups);
        if (a.hostedZoneId !== undefined) this.createAliasRecords(a, a.hostedZoneId, alb);
        this.dnsRecords = a.hostedZoneId !== undefined ? pulumi.output([]) : operatorDnsRecords(a, alb.dnsName);

        this.securityGroupId = sg.id;
        this.dnsName = alb.dnsName;
        this.zoneId = alb.zoneId;
        this.loadBalancerArn = alb.arn;
        this.loadBalancerArnSuffix = alb.arnSuffix;
        this.httpsListenerArn = https.arn;
        this.dashboardTargetGroupArn = targetGroups.dashboard.arn;
        this.storageServiceTargetGroupArn = targetGroups["storage-service"].arn;
        this.targetGroupArnSuffixes = {
            dashboard: targetGroups.dashboard.arnSuffix,
            "storage-service": targetGroups["storage-service"].arnSuffix,
        };
        this.dashboardUrl = `https://${a.dashboardHostname}`;
        this.storageServiceUrl = `https://${a.storageServiceHostname}`;
        this.accessLogBucket = logs?.bucket.id;

        this.registerOutputs({
            securityGroupId: this.securityGroupId,
            dnsName: this.dnsName,
            zoneId: this.zoneId,
            loadBalancerArn: this.loadBalancerArn,
            loadBalancerArnSuffix: this.loadBalancerArnSuffix,
            httpsListenerArn: this.httpsListenerArn,
            dashboardTargetGroupArn: this.dashboardTargetGroupArn,
            storageServiceTargetGroupArn: this.storageServiceTargetGroupArn,
            targetGroupArnSuffixes: this.targetGroupArnSuffixes,
            dashboardUrl: this.dashboardUrl,
            storageServiceUrl: this.storageServiceUrl,
            dnsRecords: this.dnsRecords,
            certificateArn: this.certificateArn,
            accessLogBucket: this.accessLogBucket,
        });
    }

    private tags(resourceName: string, a: NormalizedIngressArgs): Tags {
        return mergeTags(a.tags, resourceName);
    }

    /** 443 and 80 from each allowed network; out only to gunicorn (8000) inside the VPC. */
    private createSecurityGroup(a: NormalizedIngressArgs): aws.ec2.SecurityGroup {
        const name = this.name;
        const parent = { parent: this };
        const sg = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: a.vpcId,
                description: "Archivematica load balancer: HTTPS and the HTTP redirect from the allowed networks",
                revokeRulesOnDelete: true,
                tags: this.tags(`${name}-sg`, a),
            },
            parent,
        );
        for (const cidr of a.allowedCidrs) {
            for (const [proto, port, why] of [
                ["https", 443, "HTTPS"],
                ["http", 80, "HTTP, only redirected to HTTPS"],
            ] as const) {
                const ruleName = `${name}-${proto}-from-${cidrSlug(cidr)}`;
                new aws.vpc.SecurityGroupIngressRule(
                    ruleName,
                    {
                        securityGroupId: sg.id,
                        cidrIpv4: cidr,
                        ipProtocol: "tcp",
                        fromPort: port,
                        toPort: port,
                        description: `${why} from ${cidr}`,
                        tags: this.tags(ruleName, a),
                    },
                    parent,
                );
            }
        }
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-to-apps`,
            {
                securityGroupId: sg.id,
                cidrIpv4: a.vpcCidr,
                ipProtocol: "tcp",
                fromPort: GUNICORN_PORT,
                toPort: GUNICORN_PORT,
                description: "To the dashboard and Storage Service tasks (gunicorn) in the VPC",
                tags: this.tags(`${name}-to-apps`, a),
            },
            parent,
        );
        return sg;
    }

    /** A private, SSE-S3 encrypted, expiring bucket the load balancer may write its access logs to. */
    private createAccessLogBucket(a: NormalizedIngressArgs): AccessLogBucket {
        const name = this.name;
        const parent = { parent: this };
        const bucket = new aws.s3.Bucket(
            `${name}-logs`,
            { forceDestroy: !a.protect, tags: this.tags(`${name}-logs`, a) },
            { parent: this, protect: a.protect },
        );
        // SSE-S3: ALB log delivery cannot write to buckets whose default encryption is SSE-KMS.
        const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-logs-encryption`,
            { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
            parent,
        );
        const publicAccess = new aws.s3.BucketPublicAccessBlock(
            `${name}-logs-public-access`,
            { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            parent,
        );
        const ownership = new aws.s3.BucketOwnershipControls(
            `${name}-logs-ownership`,
            { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
            parent,
        );
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-logs-lifecycle`,
            {
                bucket: bucket.id,
                rules: [
                    {
                        id: "expire-access-logs",
                        status: "Enabled",
                        filter: {},
                        expiration: { days: a.accessLogExpirationDays },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                ],
            },
            parent,
        );
        const policy = this.createAccessLogPolicy(bucket, publicAccess);
        return { bucket, ready: [encryption, publicAccess, ownership, policy] };
    }

    /**
     * Regions older than August 2022 deliver as the regional ELB account, newer ones as the
     * log-delivery service principal; allowing both keeps the bucket right in either.
     */
    private createAccessLogPolicy(bucket: aws.s3.Bucket, publicAccess: aws.s3.BucketPublicAccessBlock): aws.s3.BucketPolicy {
        const parent = { parent: this };
        const account = aws.getCallerIdentityOutput({}, parent).accountId;
        const elbAccount = aws.elb.getServiceAccountOutput({}, parent);
        const logObjects = pulumi.interpolate`${bucket.arn}/${ACCESS_LOG_PREFIX}/AWSLogs/${account}/*`;
        return new aws.s3.BucketPolicy(
            `${this.name}-logs-policy`,
            {
                bucket: bucket.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "ElbAccountWritesAccessLogs",
                            Effect: "Allow",
                            Principal: { AWS: elbAccount.arn },
                            Action: "s3:PutObject",
                            Resource: logObjects,
                        },
                        {
                            Sid: "ElbLogDeliveryWritesAccessLogs",
                            Effect: "Allow",
                            Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
                            Action: "s3:PutObject",
                            Resource: logObjects,
                        },
                        {
                            Sid: "DenyInsecureTransport",
                            Effect: "Deny",
                            Principal: "*",
                            Action: "s3:*",
                            Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
                            Condition: { Bool: { "aws:SecureTransport": "false" } },
                        },
                    ],
                }),
            },
            // The public access block must exist first, or S3 may judge the policy before it applies.
            { parent: this, dependsOn: [publicAccess] },
        );
    }

    private createLoadBalancer(a: NormalizedIngressArgs, sg: aws.ec2.SecurityGroup, logs?: AccessLogBucket): aws.lb.LoadBalancer {
        return new aws.lb.LoadBalancer(
            `${this.name}-alb`,
            {
                // Load balancer and target group names are at most 32 characters and unique per region:
                // a short prefix plus a provider-generated suffix fits, and lets a replacement be created
                // before the old one is deleted. The Name tag carries the readable name.
                namePrefix: "am-",
                loadBalancerType: "application",
                internal: false,
                securityGroups: [sg.id],
                subnets: a.publicSubnetIds,
                // AIP downloads and large uploads hold a connection open for a long time.
                idleTimeout: 3600,
                dropInvalidHeaderFields: true,
                ipAddressType: a.ipAddressType,
                enableDeletionProtection: a.deletionProtection,
                accessLogs: logs ? { bucket: logs.bucket.id, prefix: ACCESS_LOG_PREFIX, enabled: true } : undefined,
                tags: this.tags(`${this.name}-alb`, a),
            },
            // ELB checks that it may write to the bucket when access logs are turned on.
            { parent: this, dependsOn: logs?.ready ?? [] },
        );
    }

    /** One target group per load-balanced app, with the health check and deregistration delay that fit it. */
    private createTargetGroups(a: NormalizedIngressArgs): Record<Target, aws.lb.TargetGroup> {
        const targetGroup = (
            component: Target,
            namePrefix: string,
            healthCheck: aws.types.input.lb.TargetGroupHealthCheck,
            deregistrationDelay: number,
        ) =>
            new aws.lb.TargetGroup(
                `${this.name}-${component}-tg`,
                {
                    namePrefix,
                    vpcId: a.vpcId,
                    targetType: "ip",
                    port: GUNICORN_PORT,
                    protocol: "HTTP",
                    protocolVersion: "HTTP1",
                    deregistrationDelay,
                    healthCheck,
                    tags: this.tags(`${this.name}-${component}-tg`, a),
                },
                { parent: this },
            );
        return {
            // The login page answers 200 once `install` has run (302 before); the init containers run it
            // before gunicorn starts.
            dashboard: targetGroup(
                "dashboard",
                "amdsh-",
                {
                    enabled: true,
                    protocol: "HTTP",
                    port: "traffic-port",
                    path: "/administration/accounts/login/",
                    matcher: "200",
                    interval: 30,
                    timeout: 10,
                    healthyThreshold: 2,
                    unhealthyThreshold: 5,
                },
                30,
            ),
            // The Storage Service answers slowly while it compresses AIPs: long timeout and interval, so a
            // busy task is not killed; a long deregistration delay lets downloads in flight finish.
            "storage-service": targetGroup(
                "storage-service",
                "amss-",
                {
                    enabled: true,
                    protocol: "HTTP",
                    port: "traffic-port",
                    path: "/login/",
                    matcher: "200",
                    interval: 60,
                    timeout: 30,
                    healthyThreshold: 2,
                    unhealthyThreshold: 5,
                },
                300,
            ),
        };
    }

    /** HTTPS answering 404 to any other host name, and HTTP that only redirects; returns the HTTPS listener. */
    private createListeners(a: NormalizedIngressArgs, alb: aws.lb.LoadBalancer, certificateArn: pulumi.Input<string>): aws.lb.Listener {
        const https = new aws.lb.Listener(
            `${this.name}-https`,
            {
                loadBalancerArn: alb.arn,
                port: 443,
                protocol: "HTTPS",
                sslPolicy: ALB_SSL_POLICY,
                certificateArn,
                // Only the two configured host names reach an application.
                defaultActions: [
                    { type: "fixed-response", fixedResponse: { contentType: "text/plain", messageBody: "Not found", statusCode: "404" } },
                ],
                tags: this.tags(`${this.name}-https`, a),
            },
            { parent: this },
        );
        new aws.lb.Listener(
            `${this.name}-http`,
            {
                loadBalancerArn: alb.arn,
                port: 80,
                protocol: "HTTP",
                defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
                tags: this.tags(`${this.name}-http`, a),
            },
            { parent: this },
        );
        return https;
    }

    /**
     * An ACM certificate for both host names, validated by DNS in the hosted zone; returns its ARN
     * once ACM has issued it (the HTTPS listener waits for that).
     *
     * `domainValidationOptions` is only known after the certificate exists, so the records cannot be
     * counted from it without creating resources inside `apply`. The host names are known now: one
     * record per host name, each reading its own option by `domainName`. Two names can share a
     * validation record (same name and value); `allowOverwrite` lets the second write it again
     * instead of failing on the existing record.
     */
    private createCertificate(a: NormalizedIngressArgs, zoneId: string): pulumi.Output<string> {
        const certificate = new aws.acm.Certificate(
            `${this.name}-cert`,
            {
                domainName: a.dashboardHostname,
                subjectAlternativeNames: [a.storageServiceHostname],
                validationMethod: "DNS",
                keyAlgorithm: "RSA_2048",
                tags: this.tags(`${this.name}-cert`, a),
            },
            // Replaced create-before-delete (the default): a certificate for other names is issued before
            // the listener lets go of the old one.
            { parent: this },
        );
        const records = hostNames(a).map(([target, host]) => {
            const option = certificate.domainValidationOptions.apply((options) => {
                const found = options.find((o) => o.domainName === host);
                if (!found) throw new Error(`Ingress "${this.name}": ACM returned no DNS validation option for ${host}`);
                return found;
            });
            return new aws.route53.Record(
                `${this.name}-${target}-validation`,
                {
                    zoneId,
                    name: option.resourceRecordName,
                    type: option.resourceRecordType,
                    records: [option.resourceRecordValue],
                    ttl: 300,
                    allowOverwrite: true,
                },
                { parent: this },
            );
        });
        const validation = new aws.acm.CertificateValidation(
            `${this.name}-cert-validation`,
            { certificateArn: certificate.arn, validationRecordFqdns: records.map((r) => r.fqdn) },
            // ACM usually issues within minutes of the records resolving; 45 minutes covers slow DNS.
            { parent: this, customTimeouts: { create: "45m" } },
        );
        return validation.certificateArn;
    }

    /** Alias records of both host names to the load balancer: A, plus AAAA when it is dualstack. */
    private createAliasRecords(a: NormalizedIngressArgs, zoneId: string, alb: aws.lb.LoadBalancer): void {
        const types = a.ipAddressType === "dualstack" ? (["A", "AAAA"] as const) : (["A"] as const);
        for (const [target, host] of hostNames(a)) {
            for (const type of types) {
                new aws.route53.Record(
                    `${this.name}-${target}-${type.toLowerCase()}`,
                    {
                        zoneId,
                        name: host,
                        type,
                        aliases: [{ name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true }],
                    },
                    { parent: this },
                );
            }
        }
    }

    /**
     * Forwards each host name to its target group; with `authentication`, a rule ahead of each forwards
     * `/api/*` as it is and the host's own rule authenticates first.
     */
    private createHostRules(
        a: NormalizedIngressArgs,
        https: aws.lb.Listener,
        targetGroups: Record<Target, aws.lb.TargetGroup>,
    ): Record<Target, aws.lb.ListenerRule> {
        const auth = a.authentication;
        const clientSecret = auth?.kind === "oidc" ? readClientSecret(auth.clientSecretArn, this) : undefined;
        const rule = (suffix: string, host: string, priority: number, actions: aws.types.input.lb.ListenerRuleAction[], paths?: string[]) =>
            new aws.lb.ListenerRule(
                `${this.name}-${suffix}`,
                {
                    listenerArn: https.arn,
                    priority,
                    conditions: [{ hostHeader: { values: [host] } }, ...(paths ? [{ pathPattern: { values: paths } }] : [])],
                    actions,
                    tags: this.tags(`${this.name}-${suffix}`, a),
                },
                { parent: this },
            );
        const hostRule = (component: Target, host: string, priority: number) => {
            const targetGroupArn = targetGroups[component].arn;
            if (auth) rule(`${component}-api-rule`, host, priority - 5, hostActions(targetGroupArn), API_PATH_PATTERNS);
            return rule(
                `${component}-rule`,
                host,
                priority,
                hostActions(targetGroupArn, auth && { authenticator: auth, target: component, clientSecret }),
            );
        };
        return {
            dashboard: hostRule("dashboard", a.dashboardHostname, 10),
            "storage-service": hostRule("storage-service", a.storageServiceHostname, 20),
        };
    }
}
