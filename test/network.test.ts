import * as assert from "assert";
import { cidrSubnet, Network } from "../components/platform/network";
import { plan } from "./harness";

const tags = { Project: "archivematica", Environment: "staging", Owner: "dp@example.org", CostCentre: "DP-0042" };

describe("cidrSubnet", () => {
    const cases: [string, number, number, string][] = [
        ["10.40.0.0/16", 4, 0, "10.40.0.0/20"],
        ["10.40.0.0/16", 4, 1, "10.40.16.0/20"],
        ["10.40.0.0/16", 4, 8, "10.40.128.0/20"],
        ["10.40.0.0/16", 4, 10, "10.40.160.0/20"],
        ["192.168.5.0/24", 4, 15, "192.168.5.240/28"],
        ["10.40.7.9/16", 4, 2, "10.40.32.0/20"],
    ];
    for (const [cidr, bits, index, expected] of cases) {
        it(`${cidr} +${bits} #${index} = ${expected}`, () => assert.strictEqual(cidrSubnet(cidr, bits, index), expected));
    }
    it("refuses an index that does not fit", () => {
        assert.throws(() => cidrSubnet("10.0.0.0/16", 4, 16), /index 16 does not fit in 4 bits/);
    });
});

describe("Network: new VPC", () => {
    it("two AZs, one NAT: subnets, routes, flow logs, closed default SG", async () => {
        // Every default: 10.40.0.0/16, two zones, one NAT gateway, 30 days of flow logs.
        const p = await plan(() => new Network("net", { tags }));
        const vpc = p.named("net-vpc");
        assert.deepStrictEqual(vpc.props, {
            cidrBlock: "10.40.0.0/16",
            enableDnsHostnames: true,
            enableDnsSupport: true,
            tags: { ...tags, Name: "net-vpc" },
        });

        const subnets = p
            .ofType("aws:ec2/subnet:Subnet")
            .map((s) => [s.name, s.props.cidrBlock, s.props.availabilityZone, s.props.mapPublicIpOnLaunch, s.props.tags.Tier]);
        assert.deepStrictEqual(subnets, [
            ["net-public-0", "10.40.0.0/20", "eu-west-2a", false, "public"],
            ["net-private-0", "10.40.128.0/20", "eu-west-2a", false, "private"],
            ["net-public-1", "10.40.16.0/20", "eu-west-2b", false, "public"],
            ["net-private-1", "10.40.144.0/20", "eu-west-2b", false, "private"],
        ]);

        assert.strictEqual(p.ofType("aws:ec2/natGateway:NatGateway").length, 1);
        const nat = p.named("net-nat-0");
        const natId = "nat-" + nat.id!.slice(4);
        for (const i of [0, 1]) {
            assert.deepStrictEqual(p.named(`net-private-${i}-rt`).props.routes, [{ cidrBlock: "0.0.0.0/0", natGatewayId: natId }]);
        }
        assert.deepStrictEqual(p.named("net-public-rt").props.routes, [{ cidrBlock: "0.0.0.0/0", gatewayId: p.named("net-igw").id }]);

        const defaultSg = p.named("net-default-sg");
        assert.deepStrictEqual([defaultSg.props.ingress, defaultSg.props.egress], [[], []]);

        const flowLog = p.named("net-flow-log");
        assert.deepStrictEqual(
            [flowLog.props.trafficType, flowLog.props.logDestinationType, flowLog.props.vpcId],
            ["ALL", "cloud-watch-logs", vpc.id],
        );
        assert.strictEqual(p.named("net-flow-logs").props.retentionInDays, 30);
        const trust = JSON.parse(p.named("net-flow-logs-role").props.assumeRolePolicy);
        assert.deepStrictEqual(trust.Statement[0].Principal, { Service: "vpc-flow-logs.amazonaws.com" });
        const policy = JSON.parse(p.named("net-flow-logs-policy").props.policy);
        assert.deepStrictEqual(policy.Statement[0].Resource, [
            "arn:aws:logs:eu-west-2:123456789012:log-group:net-flow-logs",
            "arn:aws:logs:eu-west-2:123456789012:log-group:net-flow-logs:*",
        ]);

        const endpoint = p.named("net-s3-endpoint");
        assert.deepStrictEqual(
            [endpoint.props.serviceName, endpoint.props.vpcEndpointType, endpoint.props.routeTableIds.length],
            ["com.amazonaws.eu-west-2.s3", "Gateway", 2],
        );
    });

    it("three AZs with a NAT per AZ route each zone through its own gateway", async () => {
        const p = await plan(
            () => new Network("net", { tags, cidr: "10.41.0.0/16", azCount: 3, natGateways: "perAz", logRetentionDays: 90 }),
        );
        const nats = p.ofType("aws:ec2/natGateway:NatGateway");
        assert.strictEqual(nats.length, 3);
        for (const i of [0, 1, 2]) {
            const nat = p.named(`net-nat-${i}`);
            assert.strictEqual(nat.props.subnetId, p.named(`net-public-${i}`).id);
            assert.deepStrictEqual(p.named(`net-private-${i}-rt`).props.routes, [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }]);
        }
        assert.deepStrictEqual(
            p.ofType("aws:ec2/subnet:Subnet").map((s) => s.props.cidrBlock),
            ["10.41.0.0/20", "10.41.128.0/20", "10.41.16.0/20", "10.41.144.0/20", "10.41.32.0/20", "10.41.160.0/20"],
        );
        assert.strictEqual(p.named("net-flow-logs").props.retentionInDays, 90);
    });

    it("every child is named after the component and parented to it", async () => {
        const p = await plan(() => new Network("net", { tags }));
        const component = p.named("net");
        for (const r of p.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"))) {
            assert.ok(r.name.startsWith("net-"), r.name);
            assert.strictEqual(r.parent, component.urn, r.name);
        }
    });
});

describe("Network: existing VPC", () => {
    it("creates nothing and passes the ids through", async () => {
        const existingVpc = {
            vpcId: "vpc-0a1b2c3d4e5f67890",
            publicSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
            privateSubnetIds: ["subnet-0a1b2c3d4e5f60003", "subnet-0a1b2c3d4e5f60004"],
        };
        const p = await plan(() => {
            // The settings of a new VPC are ignored when an existing one is given.
            const n = new Network("net", { tags, existingVpc, cidr: "10.99.0.0/16", azCount: 3 });
            return { vpcId: n.vpcId, vpcCidr: n.vpcCidr, privateSubnetIds: n.privateSubnetIds };
        });
        assert.deepStrictEqual(
            p.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:")),
            [],
        );
        const stack = p.resources.find((r) => r.type === "pulumi:pulumi:Stack")!;
        assert.deepStrictEqual(stack.outputs, {
            vpcId: "vpc-0a1b2c3d4e5f67890",
            vpcCidr: "10.0.0.0/16",
            privateSubnetIds: ["subnet-0a1b2c3d4e5f60003", "subnet-0a1b2c3d4e5f60004"],
        });
    });
});
