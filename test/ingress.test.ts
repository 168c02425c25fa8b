import * as assert from "assert";
import { Ingress, IngressArgs } from "../components/platform/ingress";
import { mergeTags } from "../lib/tags";
import { plan, PlannedResource, TestPlan } from "./harness";

const VPC = "vpc-0a1b2c3d4e5f67890";
const VPC_CIDR = "10.40.0.0/16";
const PUBLIC = ["subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2"];
const TAGS = { Project: "archivematica", Environment: "staging", Owner: "dp@example.org", CostCentre: "DP-0042" };
const PROD_TAGS = { ...TAGS, Environment: "production" };

/** Staging: every default. */
const STAGING: IngressArgs = {
    dashboardHostname: "am.example.org",
    storageServiceHostname: "ss.example.org",
    certificateArn: "arn:aws:acm:eu-west-2:123456789012:certificate/6f1c9a52-3b7e-4d0a-9c21-8e4f5b2d7a10",
    allowedCidrs: ["203.0.113.0/24", "198.51.100.16/28"],
    vpcId: VPC,
    vpcCidr: VPC_CIDR,
    publicSubnetIds: PUBLIC,
    tags: TAGS,
};
const PROD: IngressArgs = {
    ...STAGING,
    dashboardHostname: "archivematica.example.org",
    storageServiceHostname: "storage.archivematica.example.org",
    allowedCidrs: ["203.0.113.0/24"],
    tags: PROD_TAGS,
    deletionProtection: true,
    accessLogs: true,
    protect: true,
};

interface Planned {
    p: TestPlan;
    args: IngressArgs;
}

async function planIngress(args: IngressArgs): Promise<Planned> {
    const p = await plan(() => {
        const ingress = new Ingress("archivematica-ingress", args);
        return {
            dnsName: ingress.dnsName,
            dashboardUrl: ingress.dashboardUrl,
            storageServiceUrl: ingress.storageServiceUrl,
            dashboardTargetGroupArn: ingress.dashboardTargetGroupArn,
            storageServiceTargetGroupArn: ingress.storageServiceTargetGroupArn,
            targetGroupArnSuffixes: ingress.targetGroupArnSuffixes,
            ruleUrns: [ingress.listenerRules.dashboard.urn, ingress.listenerRules["storage-service"].urn],
            dnsRecords: ingress.dnsRecords,
            certificateArn: ingress.certificateArn,
        };
    });
    return { p, args };
}

function children(p: TestPlan): PlannedResource[] {
    return p.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
}

const UNTAGGABLE = new Set([
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketPolicy:BucketPolicy",
]);

describe("Ingress", () => {
    let staging: Planned;
    let prod: Planned;
    before(async () => {
        staging = await planIngress(STAGING);
        prod = await planIngress(PROD);
    });

    it("creates the ALB, its SG and rules, two listeners, two target groups and two host rules; prod adds the log bucket", () => {
        const base = [
            "aws:ec2/securityGroup:SecurityGroup archivematica-ingress-sg",
            "aws:lb/listener:Listener archivematica-ingress-http",
            "aws:lb/listener:Listener archivematica-ingress-https",
            "aws:lb/listenerRule:ListenerRule archivematica-ingress-dashboard-rule",
            "aws:lb/listenerRule:ListenerRule archivematica-ingress-storage-service-rule",
            "aws:lb/loadBalancer:LoadBalancer archivematica-ingress-alb",
            "aws:lb/targetGroup:TargetGroup archivematica-ingress-dashboard-tg",
            "aws:lb/targetGroup:TargetGroup archivematica-ingress-storage-service-tg",
            "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule archivematica-ingress-to-apps",
        ];
        const names = (p: TestPlan) =>
            children(p)
                .map((r) => `${r.type} ${r.name}`)
                .sort();
        assert.deepStrictEqual(
            names(staging.p),
            [
                ...base,
                "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule archivematica-ingress-http-from-198-51-100-16-28",
                "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule archivematica-ingress-http-from-203-0-113-0-24",
                "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule archivematica-ingress-https-from-198-51-100-16-28",
                "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule archivematica-ingress-https-from-203-0-113-0-24",
            ].sort(),
        );
        assert.deepStrictEqual(
            names(prod.p),
            [
                ...base,
                "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule archivematica-ingress-http-from-203-0-113-0-24",
                "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule archivematica-ingress-https-from-203-0-113-0-24",
                "aws:s3/bucket:Bucket archivematica-ingress-logs",
                "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration archivematica-ingress-logs-lifecycle",
                "aws:s3/bucketOwnershipControls:BucketOwnershipControls archivematica-ingress-logs-ownership",
                "aws:s3/bucketPolicy:BucketPolicy archivematica-ingress-logs-policy",
                "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock archivematica-ingress-logs-public-access",
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration archivematica-ingress-logs-encryption",
            ].sort(),
        );
        const component = prod.p.named("archivematica-ingress");
        assert.strictEqual(component.type, "archivematica:index:Ingress");
        for (const r of children(prod.p)) assert.strictEqual(r.parent, component.urn, r.name);
    });

    it("staging ALB: public, idle timeout 3600, drops invalid headers, no deletion protection, no access logs", () => {
        const alb = staging.p.named("archivematica-ingress-alb");
        assert.deepStrictEqual(alb.props, {
            namePrefix: "am-",
            loadBalancerType: "application",
            internal: false,
            securityGroups: [staging.p.named("archivematica-ingress-sg").id],
            subnets: PUBLIC,
            idleTimeout: 3600,
            dropInvalidHeaderFields: true,
            ipAddressType: "ipv4",
            enableDeletionProtection: false,
            tags: mergeTags(TAGS, "archivematica-ingress-alb"),
        });
    });

    it("prod ALB: deletion protection and access logs to the bucket, after the bucket's policy exists", () => {
        const alb = prod.p.named("archivematica-ingress-alb");
        const bucket = prod.p.named("archivematica-ingress-logs");
        assert.strictEqual(alb.props.enableDeletionProtection, true);
        assert.deepStrictEqual(alb.props.accessLogs, { bucket: bucket.id, prefix: "alb", enabled: true });
        for (const dep of ["logs-policy", "logs-encryption", "logs-public-access", "logs-ownership"]) {
            assert.ok(alb.dependencies.includes(prod.p.named(`archivematica-ingress-${dep}`).urn), dep);
        }
    });

    it("security group: 443 and 80 from each allowed CIDR only, egress only to 8000 in the VPC", () => {
        const sg = staging.p.named("archivematica-ingress-sg");
        assert.deepStrictEqual(sg.props, {
            vpcId: VPC,
            description: "Archivematica load balancer: HTTPS and the HTTP redirect from the allowed networks",
            revokeRulesOnDelete: true,
            tags: mergeTags(TAGS, "archivematica-ingress-sg"),
        });
        const ingress = staging.p.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map((r) => {
            const { tags, ...props } = r.props;
            assert.deepStrictEqual(tags, mergeTags(TAGS, r.name));
            return props;
        });
        const rule = (cidr: string, port: number, why: string) => ({
            securityGroupId: sg.id,
            cidrIpv4: cidr,
            ipProtocol: "tcp",
            fromPort: port,
            toPort: port,
            description: `${why} from ${cidr}`,
        });
        assert.deepStrictEqual(ingress, [
            rule("203.0.113.0/24", 443, "HTTPS"),
            rule("203.0.113.0/24", 80, "HTTP, only redirected to HTTPS"),
            rule("198.51.100.16/28", 443, "HTTPS"),
            rule("198.51.100.16/28", 80, "HTTP, only redirected to HTTPS"),
        ]);
        assert.deepStrictEqual(
            staging.p.ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").map((r) => r.props),
            [
                {
                    securityGroupId: sg.id,
                    cidrIpv4: VPC_CIDR,
                    ipProtocol: "tcp",
                    fromPort: 8000,
                    toPort: 8000,
                    description: "To the dashboard and Storage Service tasks (gunicorn) in the VPC",
                    tags: mergeTags(TAGS, "archivematica-ingress-to-apps"),
                },
            ],
        );
    });

    it("listeners: HTTPS with the certificate and the TLS 1.3 policy answering 404 by default; HTTP only redirects (301)", () => {
        const albArn = "arn:aws:elasticloadbalancing:eu-west-2:123456789012:loadbalancer/app/archivematica-ingress-alb/";
        const https = staging.p.named("archivematica-ingress-https").props;
        assert.ok((https.loadBalancerArn as string).startsWith(albArn), https.loadBalancerArn);
        const { loadBalancerArn: _a, ...httpsRest } = https;
        assert.deepStrictEqual(httpsRest, {
            port: 443,
            protocol: "HTTPS",
            sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
            certificateArn: STAGING.certificateArn,
            defaultActions: [
                { type: "fixed-response", fixedResponse: { contentType: "text/plain", messageBody: "Not found", statusCode: "404" } },
            ],
            tags: mergeTags(TAGS, "archivematica-ingress-https"),
        });
        const { loadBalancerArn: httpAlb, ...httpRest } = staging.p.named("archivematica-ingress-http").props;
        assert.strictEqual(httpAlb, https.loadBalancerArn);
        assert.deepStrictEqual(httpRest, {
            port: 80,
            protocol: "HTTP",
            defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
            tags: mergeTags(TAGS, "archivematica-ingress-http"),
        });
    });

    it("host rules forward each configured host name to its target group", () => {
        for (const { p, args } of [staging, prod]) {
            // The mock gives listeners its generic ARN form.
            const listener = "arn:aws:lb:eu-west-2:123456789012:lb/archivematica-ingress-https";
            const tgArn = (n: string) => `arn:aws:elasticloadbalancing:eu-west-2:123456789012:targetgroup/archivematica-ingress-${n}-tg/`;
            for (const [component, host, priority] of [
                ["dashboard", args.dashboardHostname, 10],
                ["storage-service", args.storageServiceHostname, 20],
            ] as const) {
                const { actions, ...rule } = p.named(`archivematica-ingress-${component}-rule`).props;
                assert.deepStrictEqual(rule, {
                    listenerArn: listener,
                    priority,
                    conditions: [{ hostHeader: { values: [host] } }],
                    tags: mergeTags(args.tags, `archivematica-ingress-${component}-rule`),
                });
                assert.strictEqual(actions.length, 1);
                assert.strictEqual(actions[0].type, "forward");
                assert.ok(actions[0].targetGroupArn.startsWith(tgArn(component)), actions[0].targetGroupArn);
            }
            // Exposed per target, so each load-balanced service can wait for its rule.
            assert.deepStrictEqual((p.outputs as Record<string, unknown>).ruleUrns, [
                p.named("archivematica-ingress-dashboard-rule").urn,
                p.named("archivematica-ingress-storage-service-rule").urn,
            ]);
        }
    });

    it("target groups: ip targets on 8000 over HTTP, health checks fitting each app", () => {
        const common = { vpcId: VPC, targetType: "ip", port: 8000, protocol: "HTTP", protocolVersion: "HTTP1" };
        assert.deepStrictEqual(staging.p.named("archivematica-ingress-dashboard-tg").props, {
            ...common,
            namePrefix: "amdsh-",
            deregistrationDelay: 30,
            healthCheck: {
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
            tags: mergeTags(TAGS, "archivematica-ingress-dashboard-tg"),
        });
        assert.deepStrictEqual(staging.p.named("archivematica-ingress-storage-service-tg").props, {
            ...common,
            namePrefix: "amss-",
            deregistrationDelay: 300,
            healthCheck: {
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
            tags: mergeTags(TAGS, "archivematica-ingress-storage-service-tg"),
        });
    });

    it("access-log bucket: SSE-S3, all public access blocked, owner-enforced, expiring, protected in prod", () => {
        const bucket = prod.p.named("archivematica-ingress-logs");
        assert.deepStrictEqual(bucket.props, { forceDestroy: false, tags: mergeTags(PROD_TAGS, "archivematica-ingress-logs") });
        assert.strictEqual(bucket.protect, true);
        assert.deepStrictEqual(prod.p.named("archivematica-ingress-logs-encryption").props, {
            bucket: bucket.id,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
        });
        assert.deepStrictEqual(prod.p.named("archivematica-ingress-logs-public-access").props, {
            bucket: bucket.id,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        });
        assert.deepStrictEqual(prod.p.named("archivematica-ingress-logs-ownership").props, {
            bucket: bucket.id,
            rule: { objectOwnership: "BucketOwnerEnforced" },
        });
        assert.deepStrictEqual(prod.p.named("archivematica-ingress-logs-lifecycle").props, {
            bucket: bucket.id,
            rules: [
                {
                    id: "expire-access-logs",
                    status: "Enabled",
                    filter: {},
                    expiration: { days: 365 },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                },
            ],
        });
    });

    it("bucket policy: ELB (account and log-delivery principal) may write logs, non-TLS access denied", () => {
        const policy = prod.p.named("archivematica-ingress-logs-policy");
        const arn = "arn:aws:s3:::archivematica-ingress-logs";
        assert.strictEqual(policy.props.bucket, prod.p.named("archivematica-ingress-logs").id);
        assert.deepStrictEqual(JSON.parse(policy.props.policy), {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "ElbAccountWritesAccessLogs",
                    Effect: "Allow",
                    Principal: { AWS: "arn:aws:iam::652711504416:root" },
                    Action: "s3:PutObject",
                    Resource: `${arn}/alb/AWSLogs/123456789012/*`,
                },
                {
                    Sid: "ElbLogDeliveryWritesAccessLogs",
                    Effect: "Allow",
                    Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
                    Action: "s3:PutObject",
                    Resource: `${arn}/alb/AWSLogs/123456789012/*`,
                },
                {
                    Sid: "DenyInsecureTransport",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "s3:*",
                    Resource: [arn, `${arn}/*`],
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                },
            ],
        });
        assert.ok(policy.dependencies.includes(prod.p.named("archivematica-ingress-logs-public-access").urn));
    });

    it("outputs: URLs from the host names, DNS name, target group ARNs", () => {
        const o = prod.p.outputs as Record<string, string>;
        assert.strictEqual(o.dashboardUrl, "https://archivematica.example.org");
        assert.strictEqual(o.storageServiceUrl, "https://storage.archivematica.example.org");
        assert.match(o.dnsName, /^archivematica-ingress-alb-[0-9a-f]{9}\.eu-west-2\.elb\.amazonaws\.com$/);
        assert.match(o.dashboardTargetGroupArn, /:targetgroup\/archivematica-ingress-dashboard-tg\//);
        assert.match(o.storageServiceTargetGroupArn, /:targetgroup\/archivematica-ingress-storage-service-tg\//);
        // The TargetGroup dimension of the alarms and the dashboard: the ARN after its resource type.
        const suffixes = (prod.p.outputs as Record<string, unknown>).targetGroupArnSuffixes as {
            dashboard: string;
            "storage-service": string;
        };
        assert.deepStrictEqual(suffixes, {
            dashboard: o.dashboardTargetGroupArn.split(":").pop(),
            "storage-service": o.storageServiceTargetGroupArn.split(":").pop(),
        });
        assert.match(suffixes.dashboard, /^targetgroup\/archivematica-ingress-dashboard-tg\/[0-9a-f]+$/);
        const component = prod.p.named("archivematica-ingress").outputs!;
        assert.strictEqual(component.dashboardUrl, "https://archivematica.example.org");
        assert.strictEqual(staging.p.named("archivematica-ingress").outputs!.accessLogBucket, undefined);
    });

    it("tags every taggable resource", () => {
        for (const { p, args } of [staging, prod]) {
            for (const r of children(p).filter((x) => !UNTAGGABLE.has(x.type)))
                assert.deepStrictEqual(r.props.tags, mergeTags(args.tags, r.name), r.name);
        }
    });

    it("refuses the same host name for both apps", async () => {
        const message =
            'Ingress "archivematica-ingress": storageServiceHostname "am.example.org" is the dashboard\'s; valid: a host name other than the dashboard\'s';
        await assert.rejects(planIngress({ ...STAGING, storageServiceHostname: "am.example.org" }), (e: Error) => e.message === message);
    });

    it("without a hosted zone: no DNS resources, the given certificate, and the CNAMEs the operator must create", () => {
        const o = staging.p.outputs as Record<string, any>;
        assert.deepStrictEqual(
            staging.p.resources.filter((r) => r.type.startsWith("aws:route53/") || r.type.startsWith("aws:acm/")),
            [],
        );
        assert.strictEqual(o.certificateArn, STAGING.certificateArn);
        assert.deepStrictEqual(o.dnsRecords, [
            { name: "am.example.org", type: "CNAME", value: o.dnsName },
            { name: "ss.example.org", type: "CNAME", value: o.dnsName },
        ]);
        assert.match(o.dnsName, /^archivematica-ingress-alb-[0-9a-f]{9}\.eu-west-2\.elb\.amazonaws\.com$/);
    });

    it("refuses to run with neither a certificate nor a hosted zone", async () => {
        const message =
            'Ingress "archivematica-ingress": certificateArn is missing and there is no hostedZoneId to create one in; valid: an ACM certificate ARN covering both host names, or a hostedZoneId';
        await assert.rejects(planIngress({ ...STAGING, certificateArn: undefined }), (e: Error) => e.message === message);
    });
});

describe("Ingress with a hosted zone: certificate and DNS as code", () => {
    const ZONE = "Z0123456789ABCDEFGHIJ";
    const DNS: IngressArgs = { ...STAGING, certificateArn: undefined, hostedZoneId: ZONE };
    let dns: Planned;
    before(async () => {
        dns = await planIngress(DNS);
    });

    it("creates the certificate, one validation record per host name, the validation and an A alias per host name", () => {
        assert.deepStrictEqual(
            dns.p.resources
                .filter((r) => r.type.startsWith("aws:route53/") || r.type.startsWith("aws:acm/"))
                .map((r) => `${r.type} ${r.name}`),
            [
                "aws:acm/certificate:Certificate archivematica-ingress-cert",
                "aws:route53/record:Record archivematica-ingress-dashboard-validation",
                "aws:route53/record:Record archivematica-ingress-storage-service-validation",
                "aws:acm/certificateValidation:CertificateValidation archivematica-ingress-cert-validation",
                "aws:route53/record:Record archivematica-ingress-dashboard-a",
                "aws:route53/record:Record archivematica-ingress-storage-service-a",
            ],
        );
        for (const r of children(dns.p)) assert.strictEqual(r.parent, dns.p.named("archivematica-ingress").urn, r.name);
    });

    it("certificate: both host names, DNS validation, tagged", () => {
        assert.deepStrictEqual(dns.p.named("archivematica-ingress-cert").props, {
            domainName: "am.example.org",
            subjectAlternativeNames: ["ss.example.org"],
            validationMethod: "DNS",
            keyAlgorithm: "RSA_2048",
            tags: mergeTags(TAGS, "archivematica-ingress-cert"),
        });
    });

    it("each validation record carries the option ACM gave for its own host name; overwriting a shared record is allowed", () => {
        const expected = {
            dashboard: [
                "_7cd22ea0414e8cf9bbfdb9ea0c1cf674.am.example.org.",
                "_a7ebcb1ba4fad223247fcabc80d834e6.xlfgrmvvlj.acm-validations.aws.",
            ],
            "storage-service": [
                "_a536ed22942aea4dc00e88c170974c28.ss.example.org.",
                "_4ab83cb2f2b59ab748453078c3139788.xlfgrmvvlj.acm-validations.aws.",
            ],
        };
        for (const [target, [name, value]] of Object.entries(expected)) {
            assert.deepStrictEqual(dns.p.named(`archivematica-ingress-${target}-validation`).props, {
                zoneId: ZONE,
                name,
                type: "CNAME",
                records: [value],
                ttl: 300,
                allowOverwrite: true,
            });
        }
        const validation = dns.p.named("archivematica-ingress-cert-validation");
        assert.deepStrictEqual(validation.props, {
            // The mock's ARN form for a certificate.
            certificateArn: "arn:aws:acm:eu-west-2:123456789012:acm/archivematica-ingress-cert",
            validationRecordFqdns: ["_7cd22ea0414e8cf9bbfdb9ea0c1cf674.am.example.org", "_a536ed22942aea4dc00e88c170974c28.ss.example.org"],
        });
        assert.deepStrictEqual(validation.customTimeouts, { create: "45m" });
    });

    it("the HTTPS listener serves the validated certificate; alias A records point both names at the ALB; nothing left to create by hand", () => {
        const https = dns.p.named("archivematica-ingress-https");
        assert.strictEqual(https.props.certificateArn, "arn:aws:acm:eu-west-2:123456789012:acm/archivematica-ingress-cert");
        assert.ok(https.dependencies.includes(dns.p.named("archivematica-ingress-cert-validation").urn));
        const o = dns.p.outputs as Record<string, any>;
        for (const [target, host] of [
            ["dashboard", "am.example.org"],
            ["storage-service", "ss.example.org"],
        ]) {
            assert.deepStrictEqual(dns.p.named(`archivematica-ingress-${target}-a`).props, {
                zoneId: ZONE,
                name: host,
                type: "A",
                aliases: [{ name: o.dnsName, zoneId: "ZHURV8PSTC4K8", evaluateTargetHealth: true }],
            });
        }
        assert.deepStrictEqual(o.dnsRecords, []);
        assert.strictEqual(o.certificateArn, "arn:aws:acm:eu-west-2:123456789012:acm/archivematica-ingress-cert");
    });

    it("a dualstack load balancer gets AAAA aliases too", async () => {
        const { p } = await planIngress({ ...DNS, ipAddressType: "dualstack" });
        assert.strictEqual(p.named("archivematica-ingress-alb").props.ipAddressType, "dualstack");
        assert.deepStrictEqual(
            p.ofType("aws:route53/record:Record").map((r) => [r.name, r.props.type]),
            [
                ["archivematica-ingress-dashboard-validation", "CNAME"],
                ["archivematica-ingress-storage-service-validation", "CNAME"],
                ["archivematica-ingress-dashboard-a", "A"],
                ["archivematica-ingress-dashboard-aaaa", "AAAA"],
                ["archivematica-ingress-storage-service-a", "A"],
                ["archivematica-ingress-storage-service-aaaa", "AAAA"],
            ],
        );
    });

    it("a given certificate wins over creating one; the aliases are still created", async () => {
        const { p } = await planIngress({ ...DNS, certificateArn: STAGING.certificateArn });
        assert.strictEqual(p.ofType("aws:acm/certificate:Certificate").length, 0);
        assert.strictEqual(p.named("archivematica-ingress-https").props.certificateArn, STAGING.certificateArn);
        assert.deepStrictEqual(
            p.ofType("aws:route53/record:Record").map((r) => r.name),
            ["archivematica-ingress-dashboard-a", "archivematica-ingress-storage-service-a"],
        );
    });
});
