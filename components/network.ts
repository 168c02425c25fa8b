/**
 * The network: a new VPC (public and private subnets per availability zone, NAT, flow logs, a
 * locked-down default security group) or an existing VPC and its subnets.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkConfig } from "../config";
import type { NetworkOutputs } from "./interfaces";
import { mergeTags, Tags } from "./tags";

export interface NetworkArgs {
    /** Create a VPC, or use an existing one. */
    config: NetworkConfig;
    /** Required tags, set on every taggable resource. */
    tags: Tags;
    /**
     * Retention of the VPC flow-log group (days).
     * @default 30
     */
    logRetentionDays?: number;
}

/**
 * Splits a CIDR into the `index`-th block of `newBits` more prefix bits (like Terraform's cidrsubnet).
 */
export function cidrSubnet(cidr: string, newBits: number, index: number): string {
    const [ip, prefixText] = cidr.split("/");
    const prefix = Number(prefixText);
    const size = prefix + newBits;
    if (size > 28) throw new Error(`cidrSubnet: /${prefix} + ${newBits} bits is smaller than /28`);
    if (index >= 2 ** newBits) throw new Error(`cidrSubnet: index ${index} does not fit in ${newBits} bits`);
    const base = ip.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
    const network = base - (base % 2 ** (32 - prefix));
    const start = network + index * 2 ** (32 - size);
    const octets = [24, 16, 8, 0].map((shift) => Math.floor(start / 2 ** shift) % 256);
    return `${octets.join(".")}/${size}`;
}

/** Subnet layout: four more prefix bits; public subnets take the first blocks, private the upper half. */
const SUBNET_BITS = 4;
const PRIVATE_OFFSET = 8;

export class Network extends pulumi.ComponentResource implements NetworkOutputs {
    readonly vpcId: pulumi.Output<string>;
    readonly vpcCidr: pulumi.Output<string>;
    readonly publicSubnetIds: pulumi.Output<string>[];
    readonly privateSubnetIds: pulumi.Output<string>[];

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("archivematica:index:Network", name, {}, opts);
        const config = args.config;
        if (config.mode === "existing") {
            this.vpcId = pulumi.output(config.vpcId);
            this.vpcCidr = aws.ec2.getVpcOutput({ id: config.vpcId }, { parent: this }).cidrBlock;
            this.publicSubnetIds = config.publicSubnetIds.map((id) => pulumi.output(id));
            this.privateSubnetIds = config.privateSubnetIds.map((id) => pulumi.output(id));
        } else {
            const created = this.createVpc(name, config, args.tags, args.logRetentionDays ?? 30);
            this.vpcId = created.vpcId;
            this.vpcCidr = created.vpcCidr;
            this.publicSubnetIds = created.publicSubnetIds;
            this.privateSubnetIds = created.privateSubnetIds;
        }
        this.registerOutputs({
            vpcId: this.vpcId,
            vpcCidr: this.vpcCidr,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
        });
    }

    private createVpc(
        name: string,
        config: Extract<NetworkConfig, { mode: "create" }>,
        tags: Tags,
        retentionInDays: number,
    ): NetworkOutputs {
        const parent = { parent: this };
        const zones = aws.getAvailabilityZonesOutput({ state: "available" }, parent);
        const vpc = new aws.ec2.Vpc(
            `${name}-vpc`,
            {
                cidrBlock: config.cidr,
                enableDnsHostnames: true, // Cloud Map names, EFS and RDS endpoints resolve through VPC DNS
                enableDnsSupport: true,
                tags: mergeTags(tags, `${name}-vpc`),
            },
            parent,
        );

        // The VPC's default security group is adopted and left with no rules (Security Hub EC2.2), so
        // nothing attached to it by mistake can talk to anything.
        new aws.ec2.DefaultSecurityGroup(
            `${name}-default-sg`,
            {
                vpcId: vpc.id,
                ingress: [],
                egress: [],
                tags: mergeTags(tags, `${name}-default-sg`),
            },
            parent,
        );

        const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: mergeTags(tags, `${name}-igw`) }, parent);
        const publicRoutes = new aws.ec2.RouteTable(
            `${name}-public-rt`,
            {
                vpcId: vpc.id,
                routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }],
                tags: mergeTags(tags, `${name}-public-rt`),
            },
            parent,
        );

        const publicSubnets: aws.ec2.Subnet[] = [];
        const privateSubnets: aws.ec2.Subnet[] = [];
        const natGateways: aws.ec2.NatGateway[] = [];
        const privateRouteTables: aws.ec2.RouteTable[] = [];
        const natCount = config.natGateways === "perAz" ? config.azCount : 1;
        for (let i = 0; i < config.azCount; i++) {
            const az = zones.names[i];
            const pub = new aws.ec2.Subnet(
                `${name}-public-${i}`,
                {
                    vpcId: vpc.id,
                    availabilityZone: az,
                    cidrBlock: cidrSubnet(config.cidr, SUBNET_BITS, i),
                    mapPublicIpOnLaunch: false, // only the load balancer and NAT gateways live here (EC2.15)
                    tags: mergeTags(tags, `${name}-public-${i}`, { Tier: "public" }),
                },
                parent,
            );
            new aws.ec2.RouteTableAssociation(`${name}-public-${i}-rta`, { subnetId: pub.id, routeTableId: publicRoutes.id }, parent);
            publicSubnets.push(pub);

            if (i < natCount) {
                const eip = new aws.ec2.Eip(
                    `${name}-nat-${i}-eip`,
                    { domain: "vpc", tags: mergeTags(tags, `${name}-nat-${i}-eip`) },
                    { parent: this, dependsOn: [igw] },
                );
                natGateways.push(
                    new aws.ec2.NatGateway(
                        `${name}-nat-${i}`,
                        {
                            allocationId: eip.id,
                            subnetId: pub.id,
                            tags: mergeTags(tags, `${name}-nat-${i}`),
                        },
                        parent,
                    ),
                );
            }

            const priv = new aws.ec2.Subnet(
                `${name}-private-${i}`,
                {
                    vpcId: vpc.id,
                    availabilityZone: az,
                    cidrBlock: cidrSubnet(config.cidr, SUBNET_BITS, PRIVATE_OFFSET + i),
                    mapPublicIpOnLaunch: false,
                    tags: mergeTags(tags, `${name}-private-${i}`, { Tier: "private" }),
                },
                parent,
            );
            // With a single NAT every zone routes through zone 0's gateway: cheaper, but an outage of
            // that zone cuts the others' egress. perAz removes that coupling.
            const routes = new aws.ec2.RouteTable(
                `${name}-private-${i}-rt`,
                {
                    vpcId: vpc.id,
                    routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: natGateways[Math.min(i, natCount - 1)].id }],
                    tags: mergeTags(tags, `${name}-private-${i}-rt`),
                },
                parent,
            );
            new aws.ec2.RouteTableAssociation(`${name}-private-${i}-rta`, { subnetId: priv.id, routeTableId: routes.id }, parent);
            privateSubnets.push(priv);
            privateRouteTables.push(routes);
        }

        // Image layers from ECR are served from S3: a gateway endpoint keeps that traffic off the NAT
        // gateways (no per-GB charge) at no cost.
        new aws.ec2.VpcEndpoint(
            `${name}-s3-endpoint`,
            {
                vpcId: vpc.id,
                serviceName: pulumi.interpolate`com.amazonaws.${aws.getRegionOutput({}, parent).region}.s3`,
                vpcEndpointType: "Gateway",
                routeTableIds: privateRouteTables.map((rt) => rt.id),
                tags: mergeTags(tags, `${name}-s3-endpoint`),
            },
            parent,
        );

        this.createFlowLogs(name, vpc, tags, retentionInDays);
        return {
            vpcId: vpc.id,
            vpcCidr: vpc.cidrBlock,
            publicSubnetIds: publicSubnets.map((s) => s.id),
            privateSubnetIds: privateSubnets.map((s) => s.id),
        };
    }

    /** All VPC traffic (accepted and rejected) to CloudWatch Logs (Security Hub EC2.6). */
    private createFlowLogs(name: string, vpc: aws.ec2.Vpc, tags: Tags, retentionInDays: number): void {
        const parent = { parent: this };
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-flow-logs`,
            {
                retentionInDays,
                tags: mergeTags(tags, `${name}-flow-logs`),
            },
            parent,
        );
        const role = new aws.iam.Role(
            `${name}-flow-logs-role`,
            {
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Action: "sts:AssumeRole" }],
                }),
                tags: mergeTags(tags, `${name}-flow-logs-role`),
            },
            parent,
        );
        new aws.iam.RolePolicy(
            `${name}-flow-logs-policy`,
            {
                role: role.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                            Resource: [logGroup.arn, pulumi.interpolate`${logGroup.arn}:*`],
                        },
                    ],
                }),
            },
            parent,
        );
        new aws.ec2.FlowLog(
            `${name}-flow-log`,
            {
                vpcId: vpc.id,
                trafficType: "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: logGroup.arn,
                iamRoleArn: role.arn,
                maxAggregationInterval: 60,
                tags: mergeTags(tags, `${name}-flow-log`),
            },
            parent,
        );
    }
}
