/**
 * The network: a new VPC (public and private subnets per availability zone, NAT, flow logs, a
 * locked-down default security group) or an existing VPC and its subnets.
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkOutputs } from "../interfaces";
import { mergeTags, Tags } from "../../lib/tags";
import { DEFAULT_LOG_RETENTION_DAYS } from "../../lib/cloudwatch-logs";

/** An existing VPC to use instead of creating one. */
export interface ExistingVpc {
    /** The VPC's id. */
    vpcId: string;
    /** Public subnets (for the load balancer), at least two in different availability zones. */
    publicSubnetIds: string[];
    /** Private subnets (for tasks, EFS and data stores), at least two in different availability zones. */
    privateSubnetIds: string[];
}

export interface NetworkArgs {
    /** Required tags, set on every taggable resource. */
    tags: Tags;
    /**
     * Use this VPC and its subnets instead of creating a VPC; then nothing is created and the other
     * VPC settings are ignored.
     * @default undefined (a new VPC)
     */
    existingVpc?: ExistingVpc;
    /** CIDR block of the VPC to create. @default "10.40.0.0/16" */
    cidr?: string;
    /** Availability zones to spread the new VPC's subnets over (2 or 3). @default 2 */
    azCount?: number;
    /**
     * NAT for the private subnets: one shared gateway (cheaper; an outage of its zone cuts the others'
     * egress), or one per availability zone.
     * @default "single"
     */
    natGateways?: "single" | "perAz";
    /**
     * Retention of the VPC flow-log group (days).
     * @default 30
     */
    logRetentionDays?: number;
}

/** The settings of a VPC to create, with every default applied. */
interface NewVpc {
    cidr: string;
    azCount: number;
    natGateways: "single" | "perAz";
    tags: Tags;
    logRetentionDays: number;
}

/** Applies the defaults of {@link NetworkArgs} for a VPC to create. */
function normalizeNewVpc(args: NetworkArgs): NewVpc {
    return {
        cidr: args.cidr ?? "10.40.0.0/16",
        azCount: args.azCount ?? 2,
        natGateways: args.natGateways ?? "single",
        tags: args.tags,
        logRetentionDays: args.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
    };
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

/** What {@link Network.createZone} builds on. */
interface ZoneInputs {
    index: number;
    az: pulumi.Input<string>;
    vpc: aws.ec2.Vpc;
    igw: aws.ec2.InternetGateway;
    publicRoutes: aws.ec2.RouteTable;
    /** Zones 0 … natCount-1 get a NAT gateway; later zones route through the last one. */
    natCount: number;
    /** The zones created so far. */
    zones: Zone[];
}

/** One availability zone's subnets, private route table and NAT gateway (when it has one). */
interface Zone {
    publicSubnet: aws.ec2.Subnet;
    privateSubnet: aws.ec2.Subnet;
    privateRoutes: aws.ec2.RouteTable;
    natGateway?: aws.ec2.NatGateway;
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
        const outputs = args.existingVpc ? this.useExistingVpc(args.existingVpc) : this.createVpc(name, normalizeNewVpc(args));
        this.vpcId = outputs.vpcId;
        this.vpcCidr = outputs.vpcCidr;
        this.publicSubnetIds = outputs.publicSubnetIds;
        this.privateSubnetIds = outputs.privateSubnetIds;
        this.registerOutputs({
            vpcId: this.vpcId,
            vpcCidr: this.vpcCidr,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
        });
    }

    /** Passes an existing VPC's ids through; only its CIDR is looked up. */
    private useExistingVpc(existing: ExistingVpc): NetworkOutputs {
        return {
            vpcId: pulumi.output(existing.vpcId),
            vpcCidr: aws.ec2.getVpcOutput({ id: existing.vpcId }, { parent: this }).cidrBlock,
            publicSubnetIds: existing.publicSubnetIds.map((id) => pulumi.output(id)),
            privateSubnetIds: existing.privateSubnetIds.map((id) => pulumi.output(id)),
        };
    }

    /** A new VPC: the table of contents of its parts, created in this order. */
    private createVpc(name: string, config: NewVpc): NetworkOutputs {
        const vpc = this.createVpcResource(name, config);
        this.closeDefaultSecurityGroup(name, vpc, config.tags);
        const igw = new aws.ec2.InternetGateway(
            `${name}-igw`,
            { vpcId: vpc.id, tags: mergeTags(config.tags, `${name}-igw`) },
            { parent: this },
        );
        const publicRoutes = this.createPublicRoutes(name, vpc, igw, config.tags);
        const zoneNames = aws.getAvailabilityZonesOutput({ state: "available" }, { parent: this }).names;
        const natCount = config.natGateways === "perAz" ? config.azCount : 1;
        const zones: Zone[] = [];
        for (let i = 0; i < config.azCount; i++) {
            zones.push(this.createZone(name, config, { index: i, az: zoneNames[i], vpc, igw, publicRoutes, natCount, zones }));
        }
        this.createS3Endpoint(
            name,
            vpc,
            zones.map((z) => z.privateRoutes),
            config.tags,
        );
        this.createFlowLogs(name, vpc, config.tags, config.logRetentionDays);
        return {
            vpcId: vpc.id,
            vpcCidr: vpc.cidrBlock,
            publicSubnetIds: zones.map((z) => z.publicSubnet.id),
            privateSubnetIds: zones.map((z) => z.privateSubnet.id),
        };
    }

    private createVpcResource(name: string, config: NewVpc): aws.ec2.Vpc {
        return new aws.ec2.Vpc(
            `${name}-vpc`,
            {
                cidrBlock: config.cidr,
                enableDnsHostnames: true, // Cloud Map names, EFS and RDS endpoints resolve through VPC DNS
                enableDnsSupport: true,
                tags: mergeTags(config.tags, `${name}-vpc`),
            },
            { parent: this },
        );
    }

    /**
     * The VPC's default security group is adopted and left with no rules (Security Hub EC2.2), so
     * nothing attached to it by mistake can talk to anything.
     */
    private closeDefaultSecurityGroup(name: string, vpc: aws.ec2.Vpc, tags: Tags): void {
        new aws.ec2.DefaultSecurityGroup(
            `${name}-default-sg`,
            { vpcId: vpc.id, ingress: [], egress: [], tags: mergeTags(tags, `${name}-default-sg`) },
            { parent: this },
        );
    }

    private createPublicRoutes(name: string, vpc: aws.ec2.Vpc, igw: aws.ec2.InternetGateway, tags: Tags): aws.ec2.RouteTable {
        return new aws.ec2.RouteTable(
            `${name}-public-rt`,
            {
                vpcId: vpc.id,
                routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }],
                tags: mergeTags(tags, `${name}-public-rt`),
            },
            { parent: this },
        );
    }

    /**
     * One availability zone: its public subnet (and NAT gateway while gateways are due), its private
     * subnet and the private subnet's route to a NAT gateway.
     */
    private createZone(name: string, config: NewVpc, z: ZoneInputs): Zone {
        const parent = { parent: this };
        const tags = config.tags;
        const i = z.index;
        const publicSubnet = new aws.ec2.Subnet(
            `${name}-public-${i}`,
            {
                vpcId: z.vpc.id,
                availabilityZone: z.az,
                cidrBlock: cidrSubnet(config.cidr, SUBNET_BITS, i),
                mapPublicIpOnLaunch: false, // only the load balancer and NAT gateways live here (EC2.15)
                tags: mergeTags(tags, `${name}-public-${i}`, { Tier: "public" }),
            },
            parent,
        );
        new aws.ec2.RouteTableAssociation(
            `${name}-public-${i}-rta`,
            { subnetId: publicSubnet.id, routeTableId: z.publicRoutes.id },
            parent,
        );
        const natGateway = i < z.natCount ? this.createNatGateway(name, i, publicSubnet, z.igw, tags) : undefined;

        const privateSubnet = new aws.ec2.Subnet(
            `${name}-private-${i}`,
            {
                vpcId: z.vpc.id,
                availabilityZone: z.az,
                cidrBlock: cidrSubnet(config.cidr, SUBNET_BITS, PRIVATE_OFFSET + i),
                mapPublicIpOnLaunch: false,
                tags: mergeTags(tags, `${name}-private-${i}`, { Tier: "private" }),
            },
            parent,
        );
        // With a single NAT every zone routes through zone 0's gateway: cheaper, but an outage of
        // that zone cuts the others' egress. perAz removes that coupling.
        const nat = natGateway ?? z.zones[Math.min(i, z.natCount - 1)].natGateway!;
        const privateRoutes = new aws.ec2.RouteTable(
            `${name}-private-${i}-rt`,
            {
                vpcId: z.vpc.id,
                routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }],
                tags: mergeTags(tags, `${name}-private-${i}-rt`),
            },
            parent,
        );
        new aws.ec2.RouteTableAssociation(
            `${name}-private-${i}-rta`,
            { subnetId: privateSubnet.id, routeTableId: privateRoutes.id },
            parent,
        );
        return { publicSubnet, privateSubnet, privateRoutes, natGateway };
    }

    private createNatGateway(
        name: string,
        i: number,
        subnet: aws.ec2.Subnet,
        igw: aws.ec2.InternetGateway,
        tags: Tags,
    ): aws.ec2.NatGateway {
        const eip = new aws.ec2.Eip(
            `${name}-nat-${i}-eip`,
            { domain: "vpc", tags: mergeTags(tags, `${name}-nat-${i}-eip`) },
            { parent: this, dependsOn: [igw] },
        );
        return new aws.ec2.NatGateway(
            `${name}-nat-${i}`,
            { allocationId: eip.id, subnetId: subnet.id, tags: mergeTags(tags, `${name}-nat-${i}`) },
            { parent: this },
        );
    }

    /**
     * Image layers from ECR are served from S3: a gateway endpoint keeps that traffic off the NAT
     * gateways (no per-GB charge) at no cost.
     */
    private createS3Endpoint(name: string, vpc: aws.ec2.Vpc, routeTables: aws.ec2.RouteTable[], tags: Tags): void {
        const parent = { parent: this };
        new aws.ec2.VpcEndpoint(
            `${name}-s3-endpoint`,
            {
                vpcId: vpc.id,
                serviceName: pulumi.interpolate`com.amazonaws.${aws.getRegionOutput({}, parent).region}.s3`,
                vpcEndpointType: "Gateway",
                routeTableIds: routeTables.map((rt) => rt.id),
                tags: mergeTags(tags, `${name}-s3-endpoint`),
            },
            parent,
        );
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
