import * as assert from "assert";
import * as publicIngress from "../../policy/rules/aws-ec2-securitygroup-restrict-public-ingress";
import * as defaultSg from "../../policy/rules/aws-ec2-defaultsecuritygroup-restrict-all-traffic";
import * as ruleCount from "../../policy/rules/aws-ec2-securitygroup-restrict-rule-count";
import * as flowLogs from "../../policy/rules/aws-ec2-vpc-require-flow-logs";
import * as mountTargets from "../../policy/rules/aws-efs-mounttarget-prohibit-public-subnet";
import * as searchAccess from "../../policy/rules/aws-opensearch-domain-require-access-control";
import * as rdsPublic from "../../policy/rules/aws-rds-instance-prohibit-public-access";
import { dependsOn, resource, TAGS } from "./fixtures";
import { runResource, runStack, UNKNOWN, unknownAdvisory, urnOf } from "./harness";

type Props = Record<string, unknown>;
const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";

describe("aws-ec2-securitygroup-restrict-public-ingress", () => {
    const { policy } = publicIngress;
    const rule = (props: Props) => resource(INGRESS_RULE, "alb-https", { securityGroupId: "sg-alb", ...props });
    const ONLY = "only tcp ports 80, 443 (the load balancer's listeners) may be public";

    it("passes the ALB's 80/443 from anywhere and anything from private ranges or security groups", async () => {
        for (const props of [
            { cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 443, toPort: 443 },
            { cidrIpv6: "::/0", ipProtocol: "tcp", fromPort: 80, toPort: 80 },
            { cidrIpv4: "203.0.113.0/24", ipProtocol: "tcp", fromPort: 443, toPort: 443 },
            { referencedSecurityGroupId: "sg-alb", ipProtocol: "tcp", fromPort: 8000, toPort: 8000 },
            { cidrIpv4: "10.40.0.0/16", ipProtocol: "-1" },
        ]) {
            assert.deepStrictEqual((await runResource(policy, rule(props))).messages, [], JSON.stringify(props));
        }
        assert.deepStrictEqual((await runResource(policy, resource(SG, "db-sg", { vpcId: "vpc-1", tags: TAGS }))).messages, []);
    });
    it("fails a data-store port open to the internet (separate ingress rule)", async () => {
        assert.deepStrictEqual(
            (await runResource(policy, rule({ cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 3306, toPort: 3306 }))).messages,
            [`ingress from 0.0.0.0/0 opens tcp port 3306 to the internet; ${ONLY}`],
        );
        assert.deepStrictEqual((await runResource(policy, rule({ cidrIpv6: "::/0", ipProtocol: "-1" }))).messages, [
            `ingress from ::/0 opens all traffic to the internet; ${ONLY}`,
        ]);
        assert.deepStrictEqual(
            (await runResource(policy, rule({ cidrIpv4: "0.0.0.0/0", ipProtocol: "udp", fromPort: 443, toPort: 443 }))).messages,
            [`ingress from 0.0.0.0/0 opens udp port 443 to the internet; ${ONLY}`],
        );
    });
    it("fails a range that includes 443", async () => {
        assert.deepStrictEqual(
            (await runResource(policy, rule({ cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 0, toPort: 65535 }))).messages,
            [`ingress from 0.0.0.0/0 opens tcp ports 0-65535 to the internet; ${ONLY}`],
        );
    });
    it("fails any CIDR that holds a public address, not only 0.0.0.0/0 and ::/0", async () => {
        for (const cidr of [
            "0.0.0.0/1",
            "128.0.0.0/1",
            "8.8.8.0/24",
            "10.0.0.0/7",
            "2000::/3",
            "2a05:d01c::/32",
            "64:ff9b::/96",
            "not-a-cidr",
        ]) {
            const out = await runResource(
                policy,
                rule(
                    cidr.includes(":")
                        ? { cidrIpv6: cidr, ipProtocol: "tcp", fromPort: 3306, toPort: 3306 }
                        : { cidrIpv4: cidr, ipProtocol: "tcp", fromPort: 3306, toPort: 3306 },
                ),
            );
            assert.deepStrictEqual(out.messages, [`ingress from ${cidr} opens tcp port 3306 to the internet; ${ONLY}`], cidr);
        }
    });
    it("passes private and reserved CIDRs on any port", async () => {
        for (const cidr of [
            "10.0.0.0/8",
            "172.16.0.0/12",
            "192.168.1.0/24",
            "100.64.0.0/10",
            "127.0.0.1/32",
            "203.0.113.0/24",
            "fd00::/8",
            "fe80::/10",
            "2001:db8::/32",
        ]) {
            const out = await runResource(
                policy,
                rule(cidr.includes(":") ? { cidrIpv6: cidr, ipProtocol: "-1" } : { cidrIpv4: cidr, ipProtocol: "-1" }),
            );
            assert.deepStrictEqual(out.messages, [], cidr);
        }
    });
    it("checks inline ingress on security groups", async () => {
        const sg = resource(SG, "db-sg", {
            ingress: [
                { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] },
                { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8"], ipv6CidrBlocks: ["::/0"] },
            ],
        });
        assert.deepStrictEqual((await runResource(policy, sg)).messages, [`ingress from ::/0 opens tcp port 22 to the internet; ${ONLY}`]);
    });
    it("checks aws:ec2/securityGroupRule of type ingress only", async () => {
        const open = { protocol: "6", fromPort: 6379, toPort: 6379, cidrBlocks: ["0.0.0.0/0"], securityGroupId: "sg-1" };
        assert.deepStrictEqual((await runResource(policy, resource(SG_RULE, "r", { type: "ingress", ...open }))).messages, [
            `ingress from 0.0.0.0/0 opens tcp port 6379 to the internet; ${ONLY}`,
        ]);
        assert.deepStrictEqual((await runResource(policy, resource(SG_RULE, "r", { type: "egress", ...open }))).messages, []);
    });
    it("applies the configured public ports", async () => {
        const https = rule({ cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 443, toPort: 443 });
        assert.deepStrictEqual((await runResource(policy, https, { allowedPublicPorts: [8443] })).messages, [
            "ingress from 0.0.0.0/0 opens tcp port 443 to the internet; only tcp ports 8443 (the load balancer's listeners) may be public",
        ]);
    });
    it("defers an unknown CIDR", async () => {
        const out = await runResource(policy, rule({ cidrIpv4: UNKNOWN.string, ipProtocol: "tcp", fromPort: 22, toPort: 22 }));
        assert.deepStrictEqual(out.messages, []);
        assert.strictEqual(out.unknown, unknownAdvisory(policy.name, "string", "cidrIpv4"));
    });
});

describe("aws-ec2-securitygroup-restrict-rule-count", () => {
    const { policy } = ruleCount;
    const EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
    const albSg = resource(SG, "alb-sg", { vpcId: "vpc-1", tags: TAGS });
    /** `n` inbound rules from IPv4 networks (or IPv6 ones) on the ALB's group, as the ingress component writes them. */
    const inbound = (n: number, ipv6 = false, type = INGRESS_RULE) =>
        Array.from({ length: n }, (_, i) =>
            dependsOn(
                resource(type, `alb-in-${ipv6 ? "v6-" : ""}${i}`, {
                    securityGroupId: UNKNOWN.string,
                    ...(ipv6 ? { cidrIpv6: `2001:db8:${i}::/48` } : { cidrIpv4: `198.18.${i}.0/24` }),
                    ipProtocol: "tcp",
                    fromPort: 443,
                    toPort: 443,
                }),
                "securityGroupId",
                albSg,
            ),
        );
    const TOO_MANY = (n: number, what: string, max = 60) =>
        `security group has ${n} ${what} rules, more than the ${max} AWS allows per group; merge sources into fewer rules (wider CIDRs, a prefix list), or raise the quota and set maximumRulesPerDirection`;

    it("passes 60 inbound IPv4 rules, 60 IPv6 ones and 60 outbound on one group (each counted on its own)", async () => {
        const specs = [albSg, ...inbound(60), ...inbound(60, true), ...inbound(60, false, EGRESS_RULE)];
        assert.deepStrictEqual(await runStack(policy, specs), { messages: [], urns: [] });
    });
    it("fails 61 inbound IPv4 rules (40 networks on two ports make 80), on the group", async () => {
        const out = await runStack(policy, [albSg, ...inbound(61)]);
        assert.deepStrictEqual(out.messages, [TOO_MANY(61, "inbound IPv4")]);
        assert.deepStrictEqual(out.urns, [urnOf(SG, "alb-sg")]);
    });
    it("counts each CIDR of an inline rule and of an aws:ec2/securityGroupRule", async () => {
        const cidrs = Array.from({ length: 31 }, (_, i) => `198.18.${i}.0/24`);
        const inline = resource(SG, "alb-sg", {
            vpcId: "vpc-1",
            ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: cidrs }],
            tags: TAGS,
        });
        const legacy = dependsOn(
            resource(SG_RULE, "alb-http", {
                type: "ingress",
                securityGroupId: UNKNOWN.string,
                protocol: "tcp",
                fromPort: 80,
                toPort: 80,
                cidrBlocks: cidrs,
            }),
            "securityGroupId",
            inline,
        );
        assert.deepStrictEqual((await runStack(policy, [inline, legacy])).messages, [TOO_MANY(62, "inbound IPv4")]);
    });
    it("applies a raised quota from the policy config", async () => {
        assert.deepStrictEqual((await runStack(policy, [albSg, ...inbound(80)], { maximumRulesPerDirection: 100 })).messages, []);
        assert.deepStrictEqual((await runStack(policy, [albSg, ...inbound(80)], { maximumRulesPerDirection: 70 })).messages, [
            TOO_MANY(80, "inbound IPv4", 70),
        ]);
    });
});

describe("aws-ec2-defaultsecuritygroup-restrict-all-traffic", () => {
    const { policy } = defaultSg;
    const dsg = (props: Props) =>
        resource("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "net-default-sg", { vpcId: "vpc-1", tags: TAGS, ...props });
    it("passes no rules (absent or empty)", async () => {
        assert.deepStrictEqual((await runResource(policy, dsg({}))).messages, []);
        assert.deepStrictEqual((await runResource(policy, dsg({ ingress: [], egress: [] }))).messages, []);
    });
    it("fails any rule", async () => {
        const out = await runResource(
            policy,
            dsg({
                ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }],
                egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
            }),
        );
        assert.deepStrictEqual(out.messages, [
            "default security group has 1 ingress and 1 egress rules; it must allow no traffic (ingress: [], egress: [])",
        ]);
    });
    it("defers unknown rules", async () => {
        assert.strictEqual(
            (await runResource(policy, dsg({ egress: UNKNOWN.array }))).unknown,
            unknownAdvisory(policy.name, "Array", "egress"),
        );
    });
});

describe("aws-ec2-vpc-require-flow-logs", () => {
    const { policy } = flowLogs;
    const vpc = resource("aws:ec2/vpc:Vpc", "net-vpc", { cidrBlock: "10.40.0.0/16", tags: TAGS });
    const flow = dependsOn(
        resource("aws:ec2/flowLog:FlowLog", "net-flow-log", { vpcId: UNKNOWN.string, trafficType: "ALL", tags: TAGS }),
        "vpcId",
        vpc,
    );

    it("passes a VPC with a flow log (linked by dependency; the unknown vpcId is never read)", async () => {
        assert.deepStrictEqual(await runStack(policy, [vpc, flow]), { messages: [], urns: [] });
    });
    it("fails a VPC without one, on the VPC", async () => {
        const other = resource("aws:ec2/vpc:Vpc", "other-vpc", {});
        const out = await runStack(policy, [vpc, flow, other]);
        assert.deepStrictEqual(out.messages, ["VPC has no flow log; add an aws:ec2/flowLog with vpcId set to this VPC"]);
        assert.deepStrictEqual(out.urns, [urnOf("aws:ec2/vpc:Vpc", "other-vpc")]);
    });
    it("passes a stack without VPCs (bring your own)", async () => {
        assert.deepStrictEqual((await runStack(policy, [])).messages, []);
    });
});

describe("aws-efs-mounttarget-prohibit-public-subnet", () => {
    const { policy } = mountTargets;
    const privateSubnet = resource("aws:ec2/subnet:Subnet", "net-private-0", { mapPublicIpOnLaunch: false, tags: TAGS });
    const publicSubnet = resource("aws:ec2/subnet:Subnet", "net-public-0", { mapPublicIpOnLaunch: true, tags: TAGS });
    const target = (subnet: typeof privateSubnet) =>
        dependsOn(
            resource("aws:efs/mountTarget:MountTarget", "storage-mount-0", { fileSystemId: UNKNOWN.string, subnetId: UNKNOWN.string }),
            "subnetId",
            subnet,
        );

    it("passes mount targets in private subnets and in subnets outside the stack", async () => {
        assert.deepStrictEqual((await runStack(policy, [privateSubnet, target(privateSubnet)])).messages, []);
        assert.deepStrictEqual(
            (await runStack(policy, [resource("aws:efs/mountTarget:MountTarget", "m", { subnetId: "subnet-byo" })])).messages,
            [],
        );
    });
    it("fails a mount target in a public subnet", async () => {
        const out = await runStack(policy, [publicSubnet, target(publicSubnet)]);
        assert.deepStrictEqual(out.messages, [
            'mount target is in subnet "net-public-0", which assigns public IPs on launch; use a private subnet',
        ]);
        assert.deepStrictEqual(out.urns, [urnOf("aws:efs/mountTarget:MountTarget", "storage-mount-0")]);
    });
    it("defers an unknown subnet setting", async () => {
        const unknownSubnet = resource("aws:ec2/subnet:Subnet", "net-x", { mapPublicIpOnLaunch: UNKNOWN.boolean });
        const out = await runStack(policy, [unknownSubnet, target(unknownSubnet)]);
        assert.strictEqual(out.unknown, unknownAdvisory(policy.name, "boolean", "mapPublicIpOnLaunch"));
    });
});

describe("aws-opensearch-domain-require-access-control", () => {
    const { policy } = searchAccess;
    const good = {
        vpcOptions: { subnetIds: ["subnet-1"], securityGroupIds: ["sg-1"] },
        advancedSecurityOptions: { enabled: true, internalUserDatabaseEnabled: true },
    };
    const domain = (props: Props) => resource("aws:opensearch/domain:Domain", "search", props);
    it("passes a VPC domain with fine-grained access control", async () => {
        assert.deepStrictEqual((await runResource(policy, domain(good))).messages, []);
    });
    it("fails a public domain and one without fine-grained access control", async () => {
        assert.deepStrictEqual((await runResource(policy, domain({ ...good, vpcOptions: undefined }))).messages, [
            "vpcOptions.subnetIds is empty, so the domain has a public endpoint; place it in private subnets",
        ]);
        assert.deepStrictEqual((await runResource(policy, domain({ ...good, advancedSecurityOptions: { enabled: false } }))).messages, [
            "advancedSecurityOptions.enabled is not true; enable fine-grained access control with an internal user",
        ]);
    });
    it("defers unknown subnets", async () => {
        const out = await runResource(policy, domain({ ...good, vpcOptions: { subnetIds: UNKNOWN.array } }));
        assert.strictEqual(out.unknown, unknownAdvisory(policy.name, "Array", "vpcOptions.subnetIds"));
    });
});

describe("aws-rds-instance-prohibit-public-access", () => {
    const { policy } = rdsPublic;
    const db = (props: Props) => resource("aws:rds/instance:Instance", "database-db", props);
    it("passes private and unset", async () => {
        assert.deepStrictEqual((await runResource(policy, db({ publiclyAccessible: false }))).messages, []);
        assert.deepStrictEqual((await runResource(policy, db({}))).messages, []);
    });
    it("fails publiclyAccessible", async () => {
        assert.deepStrictEqual((await runResource(policy, db({ publiclyAccessible: true }))).messages, [
            "publiclyAccessible is true; databases must only be reachable inside the VPC",
        ]);
    });
    it("defers an unknown value", async () => {
        assert.strictEqual(
            (await runResource(policy, db({ publiclyAccessible: UNKNOWN.boolean }))).unknown,
            unknownAdvisory(policy.name, "boolean", "publiclyAccessible"),
        );
    });
});
