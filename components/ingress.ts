/**
 * The public entrance: one Application Load Balancer in the public subnets that terminates TLS and
 * routes by host name to the dashboard and the Storage Service (both gunicorn on port 8000), with an
 * HTTP listener that only redirects, and optional access logs to a private, encrypted S3 bucket.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { IngressConfig } from "../config";
import { IngressOutputs } from "./interfaces";
import { mergeTags, Tags } from "./tags";

/** Port gunicorn listens on in the dashboard and Storage Service containers. */
export const APP_PORT = 8000;
/** TLS 1.3 and 1.2 with forward secrecy only. */
export const ALB_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06";
/** Key prefix of the access logs in their bucket. */
export const ACCESS_LOG_PREFIX = "alb";

export interface IngressArgs {
    /** Host names, certificate, allowed networks, deletion protection and access logs; validated by `parseConfig`. */
    config: IngressConfig;
    /** VPC of the load balancer, its security group and target groups. */
    vpcId: pulumi.Input<string>;
    /** CIDR of the VPC: the load balancer may only send to port 8000 inside it. */
    vpcCidr: pulumi.Input<string>;
    /** Public subnets (at least two, in different availability zones). */
    publicSubnetIds: pulumi.Input<string>[];
    /** Pulumi `protect` on the access-log bucket (and no `forceDestroy`). @default false */
    protect?: boolean;
    /** Required tags merged onto every child. */
    tags: Tags;
    /** Days access logs are kept before S3 expires them. @default 365 */
    accessLogExpirationDays?: number;
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
    readonly dashboardUrl: string;
    readonly storageServiceUrl: string;
    /** Name of the access-log bucket, when access logs are on. */
    readonly accessLogBucket?: pulumi.Output<string>;

    constructor(name: string, args: IngressArgs, opts?: pulumi.ComponentResourceOptions) {
        super("archivematica:index:Ingress", name, {}, opts);
        const cfg = args.config;
        const protect = args.protect ?? false;
        const accessLogExpirationDays = args.accessLogExpirationDays ?? 365;
        const tags = (n: string) => mergeTags(args.tags, n);
        const parent = { parent: this };

        const sg = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                description: "Archivematica load balancer: HTTPS and the HTTP redirect from the allowed networks",
                revokeRulesOnDelete: true,
                tags: tags(`${name}-sg`),
            },
            parent,
        );
        for (const cidr of cfg.allowedCidrs) {
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
                        tags: tags(ruleName),
                    },
                    parent,
                );
            }
        }
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-to-apps`,
            {
                securityGroupId: sg.id,
                cidrIpv4: args.vpcCidr,
                ipProtocol: "tcp",
                fromPort: APP_PORT,
                toPort: APP_PORT,
                description: "To the dashboard and Storage Service tasks (gunicorn) in the VPC",
                tags: tags(`${name}-to-apps`),
            },
            parent,
        );

        let accessLogs: aws.types.input.lb.LoadBalancerAccessLogs | undefined;
        const logBucketReady: pulumi.Resource[] = [];
        if (cfg.accessLogs) {
            const bucket = new aws.s3.Bucket(
                `${name}-logs`,
                { forceDestroy: !protect, tags: tags(`${name}-logs`) },
                { parent: this, protect },
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
                            expiration: { days: accessLogExpirationDays },
                            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                        },
                    ],
                },
                parent,
            );
            const account = aws.getCallerIdentityOutput({}, parent).accountId;
            // Regions older than August 2022 deliver as the regional ELB account, newer ones as the
            // log-delivery service principal; allowing both keeps the bucket right in either.
            const elbAccount = aws.elb.getServiceAccountOutput({}, parent);
            const logObjects = pulumi.interpolate`${bucket.arn}/${ACCESS_LOG_PREFIX}/AWSLogs/${account}/*`;
            const policy = new aws.s3.BucketPolicy(
                `${name}-logs-policy`,
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
            logBucketReady.push(encryption, publicAccess, ownership, policy);
            accessLogs = { bucket: bucket.id, prefix: ACCESS_LOG_PREFIX, enabled: true };
            this.accessLogBucket = bucket.id;
        }

        const alb = new aws.lb.LoadBalancer(
            `${name}-alb`,
            {
                // Load balancer and target group names are at most 32 characters and unique per region:
                // a short prefix plus a provider-generated suffix fits, and lets a replacement be created
                // before the old one is deleted. The Name tag carries the readable name.
                namePrefix: "am-",
                loadBalancerType: "application",
                internal: false,
                securityGroups: [sg.id],
                subnets: args.publicSubnetIds,
                // AIP downloads and large uploads hold a connection open for a long time.
                idleTimeout: 3600,
                dropInvalidHeaderFields: true,
                enableDeletionProtection: cfg.deletionProtection,
                accessLogs,
                tags: tags(`${name}-alb`),
            },
            // ELB checks that it may write to the bucket when access logs are turned on.
            { parent: this, dependsOn: logBucketReady },
        );

        const targetGroup = (
            component: string,
            namePrefix: string,
            healthCheck: aws.types.input.lb.TargetGroupHealthCheck,
            deregistrationDelay: number,
        ) =>
            new aws.lb.TargetGroup(
                `${name}-${component}-tg`,
                {
                    namePrefix,
                    vpcId: args.vpcId,
                    targetType: "ip",
                    port: APP_PORT,
                    protocol: "HTTP",
                    protocolVersion: "HTTP1",
                    deregistrationDelay,
                    healthCheck,
                    tags: tags(`${name}-${component}-tg`),
                },
                parent,
            );
        // The login page answers 200 once `install` has run (302 before); the init containers run it
        // before gunicorn starts.
        const dashboardTg = targetGroup(
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
        );
        // The Storage Service answers slowly while it compresses AIPs: long timeout and interval, so a
        // busy task is not killed; a long deregistration delay lets downloads in flight finish.
        const storageTg = targetGroup(
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
        );

        const https = new aws.lb.Listener(
            `${name}-https`,
            {
                loadBalancerArn: alb.arn,
                port: 443,
                protocol: "HTTPS",
                sslPolicy: ALB_SSL_POLICY,
                certificateArn: cfg.certificateArn,
                // Only the two configured host names reach an application.
                defaultActions: [
                    { type: "fixed-response", fixedResponse: { contentType: "text/plain", messageBody: "Not found", statusCode: "404" } },
                ],
                tags: tags(`${name}-https`),
            },
            parent,
        );
        new aws.lb.Listener(
            `${name}-http`,
            {
                loadBalancerArn: alb.arn,
                port: 80,
                protocol: "HTTP",
                defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
                tags: tags(`${name}-http`),
            },
            parent,
        );
        const rules = [
            ["dashboard", cfg.dashboardHostname, dashboardTg, 10],
            ["storage-service", cfg.storageServiceHostname, storageTg, 20],
        ] as const;
        for (const [component, host, tg, priority] of rules) {
            new aws.lb.ListenerRule(
                `${name}-${component}-rule`,
                {
                    listenerArn: https.arn,
                    priority,
                    conditions: [{ hostHeader: { values: [host] } }],
                    actions: [{ type: "forward", targetGroupArn: tg.arn }],
                    tags: tags(`${name}-${component}-rule`),
                },
                parent,
            );
        }

        this.securityGroupId = sg.id;
        this.dnsName = alb.dnsName;
        this.zoneId = alb.zoneId;
        this.loadBalancerArn = alb.arn;
        this.loadBalancerArnSuffix = alb.arnSuffix;
        this.httpsListenerArn = https.arn;
        this.dashboardTargetGroupArn = dashboardTg.arn;
        this.storageServiceTargetGroupArn = storageTg.arn;
        this.dashboardUrl = `https://${cfg.dashboardHostname}`;
        this.storageServiceUrl = `https://${cfg.storageServiceHostname}`;

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
}
