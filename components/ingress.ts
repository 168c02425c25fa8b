/**
 * The public entrance: one Application Load Balancer in the public subnets that terminates TLS and
 * routes by host name to the dashboard and the Storage Service (both gunicorn on port 8000), with an
 * HTTP listener that only redirects, and optional access logs to a private, encrypted S3 bucket.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { IngressOutputs } from "./interfaces";
import { mergeTags, Tags } from "./tags";

/** Port gunicorn listens on in the dashboard and Storage Service containers. */
export const APP_PORT = 8000;
/** TLS 1.3 and 1.2 with forward secrecy only. */
export const ALB_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06";
/** Key prefix of the access logs in their bucket. */
export const ACCESS_LOG_PREFIX = "alb";

export interface IngressArgs {
    /** Public host name of the dashboard; the HTTPS listener forwards it to the dashboard's targets. */
    dashboardHostname: string;
    /** Public host name of the Storage Service; must differ from the dashboard's. */
    storageServiceHostname: string;
    /** ACM certificate (in the stack's region) covering both host names. */
    certificateArn: pulumi.Input<string>;
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
}

/** {@link IngressArgs} with every default applied. */
type NormalizedIngressArgs = Required<IngressArgs>;

/** Applies the defaults of {@link IngressArgs}; throws when both host names are the same. */
function normalizeIngressArgs(name: string, args: IngressArgs): NormalizedIngressArgs {
    if (args.dashboardHostname === args.storageServiceHostname) {
        throw new Error(
            `Ingress "${name}": storageServiceHostname ${JSON.stringify(args.storageServiceHostname)} is the dashboard's; valid: a host name other than the dashboard's`,
        );
    }
    return {
        ...args,
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
    /**
     * The HTTPS host rules by target. ECS refuses a service whose target group is not attached to a
     * load balancer yet: each load-balanced service declares `dependsOn` on its rule.
     */
    readonly listenerRules: Record<Target, aws.lb.ListenerRule>;
    readonly dashboardUrl: string;
    readonly storageServiceUrl: string;
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
        const https = this.createListeners(a, alb);
        this.listenerRules = this.createHostRules(a, https, targetGroups);

        this.securityGroupId = sg.id;
        this.dnsName = alb.dnsName;
        this.zoneId = alb.zoneId;
        this.loadBalancerArn = alb.arn;
        this.loadBalancerArnSuffix = alb.arnSuffix;
        this.httpsListenerArn = https.arn;
        this.dashboardTargetGroupArn = targetGroups.dashboard.arn;
        this.storageServiceTargetGroupArn = targetGroups["storage-service"].arn;
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
            dashboardUrl: this.dashboardUrl,
            storageServiceUrl: this.storageServiceUrl,
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
                fromPort: APP_PORT,
                toPort: APP_PORT,
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
                    port: APP_PORT,
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
    private createListeners(a: NormalizedIngressArgs, alb: aws.lb.LoadBalancer): aws.lb.Listener {
        const https = new aws.lb.Listener(
            `${this.name}-https`,
            {
                loadBalancerArn: alb.arn,
                port: 443,
                protocol: "HTTPS",
                sslPolicy: ALB_SSL_POLICY,
                certificateArn: a.certificateArn,
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

    /** Forwards each host name to its target group. */
    private createHostRules(
        a: NormalizedIngressArgs,
        https: aws.lb.Listener,
        targetGroups: Record<Target, aws.lb.TargetGroup>,
    ): Record<Target, aws.lb.ListenerRule> {
        const rule = (component: Target, host: string, priority: number) =>
            new aws.lb.ListenerRule(
                `${this.name}-${component}-rule`,
                {
                    listenerArn: https.arn,
                    priority,
                    conditions: [{ hostHeader: { values: [host] } }],
                    actions: [{ type: "forward", targetGroupArn: targetGroups[component].arn }],
                    tags: this.tags(`${this.name}-${component}-rule`, a),
                },
                { parent: this },
            );
        return {
            dashboard: rule("dashboard", a.dashboardHostname, 10),
            "storage-service": rule("storage-service", a.storageServiceHostname, 20),
        };
    }
}
