/**
 * One pricer per priced resource type, a list of the types AWS does not charge for, and the
 * estimate that runs every resource through them. A resource is always one of three things: a
 * priced line (with the arithmetic in its basis), a no-charge line (with the reason), or a
 * not-priced line (monthly `null`, with what is missing). Nothing is silently zero.
 */
import { Assumptions, DEFAULT_ASSUMPTIONS } from "./assumptions";
import { CURRENCY, PRICES, pricedRegions, RegionPrices } from "./prices";

/** What the estimate reads of a planned resource (a recorded registration or a preview step's state). */
export interface CostResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    inputs: Record<string, unknown>;
    propertyDependencies?: Record<string, string[]>;
}

/** One resource's monthly cost: a number (0 for no charge), or `null` when it is not priced. */
export interface CostLine {
    urn: string;
    type: string;
    monthly: number | null;
    basis: string;
}

export interface Estimate {
    currency: string;
    region: string;
    /** Sum of the priced lines, to the cent. */
    total: number;
    lines: CostLine[];
}

/** The region has no prices in the table: the estimate refuses rather than guess. */
export class UnpricedRegionError extends Error {}

interface Context {
    prices: RegionPrices;
    a: Assumptions;
    byUrn: Map<string, CostResource>;
    resources: CostResource[];
    /** URNs of log groups a VPC flow log writes to. */
    flowLogGroups: Set<string>;
}

type Priced = { monthly: number; basis: string } | { unpriced: string };
type Pricer = (r: CostResource, ctx: Context) => Priced;

/** Rounds to the cent (half up), robust to binary fractions such as 0.045 × 730. */
export function cents(x: number): number {
    return Math.round(Number((x * 100).toFixed(6))) / 100;
}

const usd = (x: number) => `$${cents(x).toFixed(2)}`;
/** A unit price as written in the table, with no rounding. */
const rate = (x: number) => `$${x}`;

function num(v: unknown): number | undefined {
    if (typeof v === "number" && Number.isFinite(v)) return v;
    if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
    return undefined;
}

function obj(v: unknown): Record<string, unknown> | undefined {
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function plural(n: number, one: string, many = `${one}s`): string {
    return `${n} ${n === 1 ? one : many}`;
}

// ---------------------------------------------------------------------------------------------
// Fargate

function taskDefinitionOf(service: CostResource, ctx: Context): CostResource | undefined {
    const dep = service.propertyDependencies?.taskDefinition?.find(
        (u) => ctx.byUrn.get(u)?.type === "aws:ecs/taskDefinition:TaskDefinition",
    );
    if (dep) return ctx.byUrn.get(dep);
    const arn = service.inputs.taskDefinition;
    if (typeof arn !== "string") return undefined;
    const family = /task-definition\/([^:]+)/.exec(arn)?.[1] ?? arn;
    return ctx.resources.find(
        (r) => r.type === "aws:ecs/taskDefinition:TaskDefinition" && (r.inputs.family === family || r.name === family),
    );
}

/** Share of the service's tasks on FARGATE_SPOT (by strategy weight), or a reason it is not Fargate. */
function spotShare(service: CostResource): number | string {
    const strategies = service.inputs.capacityProviderStrategies;
    if (Array.isArray(strategies) && strategies.length) {
        let total = 0;
        let spot = 0;
        for (const s of strategies.map(obj)) {
            const provider = s?.capacityProvider;
            if (provider !== "FARGATE" && provider !== "FARGATE_SPOT") return `capacity provider ${String(provider)} is not Fargate`;
            const weight = num(s?.weight) ?? 0;
            total += weight;
            if (provider === "FARGATE_SPOT") spot += weight;
        }
        return total > 0 ? spot / total : 0;
    }
    if (service.inputs.launchType === "FARGATE") return 0;
    return `launch type ${String(service.inputs.launchType ?? "(cluster default)")} is not Fargate`;
}

/** The autoscaling target of an ECS service, if one scales it. */
function scalingOf(service: CostResource, ctx: Context): { min: number; max: number } | undefined {
    const name = String(service.inputs.name ?? service.name);
    const target = ctx.resources.find(
        (r) =>
            r.type === "aws:appautoscaling/target:Target" &&
            r.inputs.scalableDimension === "ecs:service:DesiredCount" &&
            String(r.inputs.resourceId ?? "").endsWith(`/${name}`),
    );
    const min = num(target?.inputs.minCapacity);
    const max = num(target?.inputs.maxCapacity);
    return min !== undefined && max !== undefined ? { min, max } : undefined;
}

const fargateService: Pricer = (r, ctx) => {
    const share = spotShare(r);
    if (typeof share === "string") return { unpriced: share };
    const td = taskDefinitionOf(r, ctx);
    if (!td) return { unpriced: "its task definition is not in the plan" };
    const cpu = num(td.inputs.cpu);
    const memory = num(td.inputs.memory);
    if (cpu === undefined || memory === undefined) return { unpriced: `task definition ${td.name} has no task-level cpu and memory` };
    const platform = obj(td.inputs.runtimePlatform);
    const os = platform?.operatingSystemFamily ?? "LINUX";
    if (os !== "LINUX") return { unpriced: `operating system ${String(os)} is not in the price table` };
    const arch = platform?.cpuArchitecture === "ARM64" ? "arm" : "x86";
    const p = ctx.prices.fargate[arch];
    const vcpu = cpu / 1024;
    const gb = memory / 1024;
    const ephemeral = num(obj(td.inputs.ephemeralStorage)?.sizeInGib) ?? 20;
    const extra = Math.max(0, ephemeral - 20);
    const count = num(r.inputs.desiredCount) ?? 1;
    const h = ctx.a.hoursPerMonth;
    const factor = 1 - share * ctx.a.fargateSpotDiscount;
    const perTask = h * (vcpu * p.vcpuHour + gb * p.gbHour + extra * ctx.prices.fargate.ephemeralGbHour) * factor;
    const parts = [
        `${plural(count, "task")} × ${h} h × (${vcpu} vCPU × ${rate(p.vcpuHour)} + ${gb} GB × ${rate(p.gbHour)}` +
            (extra ? ` + ${extra} GB ephemeral above 20 × ${rate(ctx.prices.fargate.ephemeralGbHour)}` : "") +
            `) per hour, Linux/${arch === "arm" ? "ARM" : "x86"}`,
    ];
    if (share > 0)
        parts.push(
            share === 1
                ? `FARGATE_SPOT: − ${Math.round(ctx.a.fargateSpotDiscount * 100)} % (assumed)`
                : `${Math.round(share * 100)} % on FARGATE_SPOT at − ${Math.round(ctx.a.fargateSpotDiscount * 100)} % (assumed)`,
        );
    const scaling = scalingOf(r, ctx);
    if (scaling && scaling.max !== count)
        parts.push(`autoscales ${scaling.min}–${scaling.max} tasks: ${usd(perTask * scaling.max)} at ${scaling.max}`);
    // A service scaled to zero while idle: what it costs depends on the work (npm run bench: the queue model).
    if (count === 0) return { monthly: 0, basis: `no charge while idle: ${parts.join("; ")}` };
    return { monthly: count * perTask, basis: parts.join("; ") };
};

// ---------------------------------------------------------------------------------------------
// Data stores

const rdsInstance: Pricer = (r, ctx) => {
    const engine = String(r.inputs.engine ?? "");
    if (engine !== "mysql") return { unpriced: `engine ${engine || "(none)"} is not in the price table (RDS for MySQL is)` };
    const cls = String(r.inputs.instanceClass ?? "");
    const hourly = ctx.prices.rds.mysqlInstanceHour[cls];
    if (hourly === undefined) return { unpriced: `no RDS for MySQL price for ${cls || "(no class)"} in the table for this region` };
    const storageType = r.inputs.storageType;
    if (storageType !== "gp3")
        return { unpriced: `storage type ${String(storageType ?? "(provider default)")} is not in the price table (gp3 is)` };
    const gb = num(r.inputs.allocatedStorage) ?? 0;
    const multiAz = r.inputs.multiAz === true;
    const az = multiAz ? 2 : 1;
    const h = ctx.a.hoursPerMonth;
    const backupGb = ctx.a.dbBackupGbBeyondFree;
    const secret = r.inputs.manageMasterUserPassword === true ? ctx.prices.secretMonth : 0;
    const monthly = az * (h * hourly + gb * ctx.prices.rds.gp3GbMonth) + backupGb * ctx.prices.rds.backupGbMonth + secret;
    const parts = [
        `${multiAz ? "Multi-AZ (×2): " : ""}${cls} ${h} h × ${rate(hourly)} + ${gb} GB gp3 × ${rate(ctx.prices.rds.gp3GbMonth)}`,
        `backups ${backupGb} GB beyond the free amount (assumed) × ${rate(ctx.prices.rds.backupGbMonth)}`,
    ];
    if (secret) parts.push(`the master-user secret RDS manages in Secrets Manager ${rate(secret)}`);
    if ((num(r.inputs.monitoringInterval) ?? 0) > 0) parts.push("Enhanced Monitoring's CloudWatch Logs not priced");
    return { monthly, basis: parts.join("; ") };
};

const elasticacheReplicationGroup: Pricer = (r, ctx) => {
    const nodeType = String(r.inputs.nodeType ?? "");
    const hourly = ctx.prices.elasticacheNodeHour[nodeType];
    if (hourly === undefined) return { unpriced: `no ElastiCache price for ${nodeType || "(no node type)"} in the table for this region` };
    const nodes = num(r.inputs.numCacheClusters) ?? (num(r.inputs.numNodeGroups) ?? 1) * (1 + (num(r.inputs.replicasPerNodeGroup) ?? 0));
    const h = ctx.a.hoursPerMonth;
    return {
        monthly: nodes * h * hourly,
        basis: `${plural(nodes, "node")} × ${h} h × ${rate(hourly)} (${nodeType}); snapshots within the free amount`,
    };
};

const elasticacheCluster: Pricer = (r, ctx) => {
    const nodeType = String(r.inputs.nodeType ?? "");
    const hourly = ctx.prices.elasticacheNodeHour[nodeType];
    if (hourly === undefined) return { unpriced: `no ElastiCache price for ${nodeType || "(no node type)"} in the table for this region` };
    const nodes = num(r.inputs.numCacheNodes) ?? 1;
    const h = ctx.a.hoursPerMonth;
    return { monthly: nodes * h * hourly, basis: `${plural(nodes, "node")} × ${h} h × ${rate(hourly)} (${nodeType})` };
};

const opensearchDomain: Pricer = (r, ctx) => {
    const cluster = obj(r.inputs.clusterConfig) ?? {};
    const type = String(cluster.instanceType ?? "");
    const count = num(cluster.instanceCount) ?? 1;
    const p = ctx.prices.opensearch;
    const dataHourly = p.instanceHour[type];
    if (dataHourly === undefined)
        return { unpriced: `no OpenSearch price for ${type || "(no instance type)"} in the table for this region` };
    const h = ctx.a.hoursPerMonth;
    let monthly = count * h * dataHourly;
    const parts = [`${plural(count, "data node")} × ${h} h × ${rate(dataHourly)} (${type})`];
    if (cluster.dedicatedMasterEnabled === true) {
        const masterType = String(cluster.dedicatedMasterType ?? "");
        const masters = num(cluster.dedicatedMasterCount) ?? 3;
        const masterHourly = p.instanceHour[masterType];
        if (masterHourly === undefined)
            return { unpriced: `no OpenSearch price for master type ${masterType || "(none)"} in the table for this region` };
        monthly += masters * h * masterHourly;
        parts.push(`${plural(masters, "dedicated master")} × ${h} h × ${rate(masterHourly)} (${masterType})`);
    }
    const ebs = obj(r.inputs.ebsOptions);
    if (ebs?.ebsEnabled === true) {
        const volumeType = String(ebs.volumeType ?? "gp2");
        const gbMonth = p.ebsGbMonth[volumeType];
        if (gbMonth === undefined) return { unpriced: `no OpenSearch ${volumeType} storage price in the table for this region` };
        const gb = num(ebs.volumeSize) ?? 0;
        monthly += count * gb * gbMonth;
        parts.push(`${count} × ${gb} GB ${volumeType} × ${rate(gbMonth)}`);
    }
    return { monthly, basis: parts.join("; ") };
};

const efsFileSystem: Pricer = (_r, ctx) => ({
    monthly: ctx.a.efsGb * ctx.prices.efs.standardGbMonth,
    basis: `${ctx.a.efsGb} GB Standard (assumed) × ${rate(ctx.prices.efs.standardGbMonth)}`,
});

const s3Bucket: Pricer = (_r, ctx) => ({
    monthly: ctx.a.s3Gb * ctx.prices.s3.standardGbMonth,
    basis: `${ctx.a.s3Gb} GB S3 Standard (assumed) × ${rate(ctx.prices.s3.standardGbMonth)}`,
});

// ---------------------------------------------------------------------------------------------
// Network

const natGateway: Pricer = (_r, ctx) => {
    const h = ctx.a.hoursPerMonth;
    const p = ctx.prices.natGateway;
    const gb = ctx.a.natGbPerGateway;
    return {
        monthly: h * p.hour + gb * p.gbProcessed,
        basis: `${h} h × ${rate(p.hour)} + ${gb} GB processed (assumed) × ${rate(p.gbProcessed)}`,
    };
};

const eip: Pricer = (_r, ctx) => ({
    monthly: ctx.a.hoursPerMonth * ctx.prices.publicIpv4Hour,
    basis: `public IPv4 address ${ctx.a.hoursPerMonth} h × ${rate(ctx.prices.publicIpv4Hour)}`,
});

const loadBalancer: Pricer = (r, ctx) => {
    const kind = r.inputs.loadBalancerType ?? "application";
    if (kind !== "application") return { unpriced: `${String(kind)} load balancers are not in the price table (ALBs are)` };
    const h = ctx.a.hoursPerMonth;
    const p = ctx.prices.alb;
    const lcus = ctx.a.albLcus;
    let monthly = h * (p.hour + lcus * p.lcuHour);
    const parts = [`${h} h × (${rate(p.hour)} + ${lcus} LCU (assumed) × ${rate(p.lcuHour)})`];
    if (r.inputs.internal !== true) {
        const subnets = Array.isArray(r.inputs.subnets)
            ? r.inputs.subnets.length
            : Array.isArray(r.inputs.subnetMappings)
              ? r.inputs.subnetMappings.length
              : 0;
        if (!subnets) return { unpriced: "internet-facing with no subnets in the plan: its public IPv4 addresses cannot be counted" };
        monthly += subnets * h * ctx.prices.publicIpv4Hour;
        parts.push(
            `${plural(subnets, "public IPv4 address", "public IPv4 addresses")} (one per subnet) × ${h} h × ${rate(ctx.prices.publicIpv4Hour)}`,
        );
    }
    return { monthly, basis: parts.join("; ") };
};

const vpcEndpoint: Pricer = (r) =>
    r.inputs.vpcEndpointType === "Gateway"
        ? { monthly: 0, basis: "no charge: gateway endpoint" }
        : { unpriced: `${String(r.inputs.vpcEndpointType ?? "Interface")} endpoints are not in the price table` };

const flowLog: Pricer = (r, ctx) => {
    const destination = r.inputs.logDestinationType ?? "cloud-watch-logs";
    if (destination !== "cloud-watch-logs") return { unpriced: `flow logs to ${String(destination)} are not in the price table` };
    const gb = ctx.a.flowLogGb;
    const p = ctx.prices.cloudwatch.vendedLogIngestGb;
    return {
        monthly: gb * p,
        basis: `${gb} GB flow-log records (assumed) × ${rate(p)} vended-log ingestion (storage on its log group's line)`,
    };
};

// ---------------------------------------------------------------------------------------------
// Observability, keys, secrets

const logGroup: Pricer = (r, ctx) => {
    const retention = num(r.inputs.retentionInDays) ?? 0;
    const months = retention > 0 ? retention / 30 : 12;
    const p = ctx.prices.cloudwatch;
    const kept = retention > 0 ? `kept ${retention} d` : "never expires: 12 months kept (assumed)";
    if (ctx.flowLogGroups.has(r.urn)) {
        const gb = ctx.a.flowLogGb;
        return {
            monthly: gb * months * p.logStorageGbMonth,
            basis: `flow-log destination: ${gb} GB/month (assumed) ${kept} = ${cents(gb * months)} GB stored × ${rate(p.logStorageGbMonth)} (ingestion on the flow log's line)`,
        };
    }
    const gb = ctx.a.logGbPerGroup;
    return {
        monthly: gb * p.logIngestGb + gb * months * p.logStorageGbMonth,
        basis: `${gb} GB ingested (assumed) × ${rate(p.logIngestGb)} + ${kept} = ${cents(gb * months)} GB stored × ${rate(p.logStorageGbMonth)}`,
    };
};

const metricAlarm: Pricer = (r, ctx) => {
    const queries = Array.isArray(r.inputs.metricQueries) ? r.inputs.metricQueries.map(obj) : [];
    const metrics = Math.max(1, queries.filter((q) => q?.metric).length);
    const p = ctx.prices.cloudwatch.alarmMonth;
    return { monthly: metrics * p, basis: `${plural(metrics, "metric")} × ${rate(p)} (standard-resolution alarm)` };
};

const dashboard: Pricer = (_r, ctx) => ({
    monthly: ctx.prices.cloudwatch.dashboardMonth,
    basis: `${rate(ctx.prices.cloudwatch.dashboardMonth)} a dashboard (the account's 3 free dashboards assumed used)`,
});

const scalingPolicy: Pricer = (r, ctx) => {
    if (r.inputs.policyType !== "TargetTrackingScaling") return { monthly: 0, basis: "no charge: Application Auto Scaling" };
    const p = ctx.prices.cloudwatch.alarmMonth;
    return { monthly: 2 * p, basis: `target tracking: the 2 CloudWatch alarms AWS creates for it × ${rate(p)}` };
};

const kmsKey: Pricer = (_r, ctx) => ({
    monthly: ctx.prices.kmsKeyMonth,
    basis: `${rate(ctx.prices.kmsKeyMonth)} a key-month (requests not priced)`,
});

const secret: Pricer = (_r, ctx) => ({
    monthly: ctx.prices.secretMonth,
    basis: `${rate(ctx.prices.secretMonth)} a secret-month (API calls not priced)`,
});

/**
 * Cloud Map creates a Route 53 private hosted zone for a namespace found by DNS in a VPC
 * (https://docs.aws.amazon.com/cloud-map/latest/dg/namespaces-values.html); the zone is the
 * namespace's fixed monthly charge. Its DNS queries are usage and not priced.
 */
const privateDnsNamespace: Pricer = (_r, ctx) => ({
    monthly: ctx.prices.route53HostedZoneMonth,
    basis: `the Route 53 private hosted zone Cloud Map creates for it: ${rate(ctx.prices.route53HostedZoneMonth)} a hosted zone-month (DNS queries not priced)`,
});

const ecsCluster: Pricer = (r) => {
    const settings = Array.isArray(r.inputs.settings) ? r.inputs.settings.map(obj) : [];
    const insights = settings.find((s) => s?.name === "containerInsights")?.value;
    return insights && insights !== "disabled"
        ? { unpriced: `Container Insights (${String(insights)}) metrics and performance logs are billed as CloudWatch usage; not priced` }
        : { monthly: 0, basis: "no charge: ECS cluster" };
};

const efsBackupPolicy: Pricer = (r) =>
    obj(r.inputs.backupPolicy)?.status === "ENABLED"
        ? { unpriced: "AWS Backup storage of the file system's daily backups depends on its data; not priced" }
        : { monthly: 0, basis: "no charge: backups off" };

/** The priced types. */
export const PRICERS: Record<string, Pricer> = {
    "aws:ecs/service:Service": fargateService,
    "aws:rds/instance:Instance": rdsInstance,
    "aws:elasticache/replicationGroup:ReplicationGroup": elasticacheReplicationGroup,
    "aws:elasticache/cluster:Cluster": elasticacheCluster,
    "aws:opensearch/domain:Domain": opensearchDomain,
    "aws:efs/fileSystem:FileSystem": efsFileSystem,
    "aws:s3/bucket:Bucket": s3Bucket,
    "aws:s3/bucketV2:BucketV2": s3Bucket,
    "aws:ec2/natGateway:NatGateway": natGateway,
    "aws:ec2/eip:Eip": eip,
    "aws:lb/loadBalancer:LoadBalancer": loadBalancer,
    "aws:ec2/vpcEndpoint:VpcEndpoint": vpcEndpoint,
    "aws:ec2/flowLog:FlowLog": flowLog,
    "aws:cloudwatch/logGroup:LogGroup": logGroup,
    "aws:cloudwatch/metricAlarm:MetricAlarm": metricAlarm,
    "aws:cloudwatch/dashboard:Dashboard": dashboard,
    "aws:appautoscaling/policy:Policy": scalingPolicy,
    "aws:kms/key:Key": kmsKey,
    "aws:secretsmanager/secret:Secret": secret,
    "aws:ecs/cluster:Cluster": ecsCluster,
    "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": privateDnsNamespace,
    "aws:efs/backupPolicy:BackupPolicy": efsBackupPolicy,
};

const VPC_FREE = "no charge: VPC component (https://aws.amazon.com/vpc/pricing/ lists the charged ones)";

/** Types AWS does not charge for by themselves, with why. */
export const NO_CHARGE: Record<string, string> = {
    "aws:iam/role:Role": "no charge: IAM",
    "aws:iam/rolePolicy:RolePolicy": "no charge: IAM",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "no charge: IAM",
    "aws:iam/policy:Policy": "no charge: IAM",
    "aws:ec2/vpc:Vpc": VPC_FREE,
    "aws:ec2/subnet:Subnet": VPC_FREE,
    "aws:ec2/routeTable:RouteTable": VPC_FREE,
    "aws:ec2/routeTableAssociation:RouteTableAssociation": VPC_FREE,
    "aws:ec2/route:Route": VPC_FREE,
    "aws:ec2/internetGateway:InternetGateway": `${VPC_FREE}; data transfer not priced`,
    "aws:ec2/securityGroup:SecurityGroup": VPC_FREE,
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": VPC_FREE,
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": VPC_FREE,
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": VPC_FREE,
    "aws:ecs/taskDefinition:TaskDefinition": "no charge: billed through the ECS service that runs it",
    "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": "no charge: ECS configuration",
    "aws:appautoscaling/target:Target": "no charge: Application Auto Scaling",
    "aws:efs/mountTarget:MountTarget": "no charge: EFS bills storage (on the file system's line)",
    "aws:efs/accessPoint:AccessPoint": "no charge: EFS bills storage (on the file system's line)",
    "aws:efs/fileSystemPolicy:FileSystemPolicy": "no charge: EFS configuration",
    "aws:rds/parameterGroup:ParameterGroup": "no charge: RDS configuration",
    "aws:rds/subnetGroup:SubnetGroup": "no charge: RDS configuration",
    "aws:elasticache/subnetGroup:SubnetGroup": "no charge: ElastiCache configuration",
    "aws:elasticache/parameterGroup:ParameterGroup": "no charge: ElastiCache configuration",
    "aws:opensearch/domainPolicy:DomainPolicy": "no charge: OpenSearch configuration",
    "aws:lb/listener:Listener": "no charge: billed through its load balancer",
    "aws:lb/listenerRule:ListenerRule": "no charge: billed through its load balancer",
    "aws:lb/targetGroup:TargetGroup": "no charge: billed through its load balancer",
    "aws:lb/listenerCertificate:ListenerCertificate": "no charge: billed through its load balancer",
    "aws:secretsmanager/secretVersion:SecretVersion": "no charge: billed with its secret",
    "aws:kms/alias:Alias": "no charge: billed with its key",
    "aws:s3/bucketPolicy:BucketPolicy": "no charge: S3 configuration",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "no charge: S3 configuration",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": "no charge: S3 configuration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": "no charge: S3 configuration",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": "no charge: S3 configuration",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": "no charge: S3 configuration",
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2": "no charge: S3 configuration",
    "aws:s3/bucketVersioning:BucketVersioning": "no charge: S3 configuration (old versions are stored bytes)",
    "aws:s3/bucketVersioningV2:BucketVersioningV2": "no charge: S3 configuration (old versions are stored bytes)",
    "aws:cloudwatch/eventRule:EventRule": "no charge: EventBridge does not charge for AWS service events",
    "aws:cloudwatch/eventTarget:EventTarget": "no charge: EventBridge does not charge for AWS service events",
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": "no charge: CloudWatch Logs configuration",
    "aws:sns/topic:Topic": "no charge for the topic; alarm notifications assumed within SNS's free requests and e-mails",
    "aws:sns/topicPolicy:TopicPolicy": "no charge: SNS configuration",
    "aws:sns/topicSubscription:TopicSubscription": "no charge: SNS configuration",
};

/** Why a resource that is not an AWS resource costs nothing. */
function notACloudResource(r: CostResource): string | undefined {
    if (r.type === "pulumi:pulumi:Stack") return "no charge: the Pulumi stack";
    if (r.type.startsWith("pulumi:providers:")) return "no charge: a Pulumi provider";
    if (r.type.startsWith("random:")) return "no charge: generated by the Pulumi random provider";
    if (!r.custom) return "no charge: a component (its children are priced)";
    return undefined;
}

function priceOne(r: CostResource, ctx: Context): CostLine {
    const free = notACloudResource(r) ?? NO_CHARGE[r.type];
    if (free) return { urn: r.urn, type: r.type, monthly: 0, basis: free };
    const pricer = PRICERS[r.type];
    if (!pricer) return { urn: r.urn, type: r.type, monthly: null, basis: "not priced: type not in the price table" };
    const priced = pricer(r, ctx);
    if ("unpriced" in priced) return { urn: r.urn, type: r.type, monthly: null, basis: `not priced: ${priced.unpriced}` };
    return { urn: r.urn, type: r.type, monthly: cents(priced.monthly), basis: priced.basis };
}

function flowLogDestinations(resources: CostResource[], byUrn: Map<string, CostResource>): Set<string> {
    const groups = new Set<string>();
    for (const r of resources) {
        if (r.type !== "aws:ec2/flowLog:FlowLog") continue;
        const deps = r.propertyDependencies?.logDestination ?? [];
        const dep = deps.find((u) => byUrn.get(u)?.type === "aws:cloudwatch/logGroup:LogGroup");
        if (dep) {
            groups.add(dep);
            continue;
        }
        // No recorded link: match the destination ARN's log-group name.
        const name = /:log-group:([^:*]+)/.exec(String(r.inputs.logDestination ?? ""))?.[1];
        const group = resources.find((g) => g.type === "aws:cloudwatch/logGroup:LogGroup" && (g.inputs.name ?? g.name) === name);
        if (group) groups.add(group.urn);
    }
    return groups;
}

/** Prices every resource for `region`; throws {@link UnpricedRegionError} when the region has no prices. */
export function estimate(resources: CostResource[], region: string, assumptions: Assumptions = DEFAULT_ASSUMPTIONS): Estimate {
    const prices = PRICES[region];
    if (!prices)
        throw new UnpricedRegionError(`region ${region} has no prices in tools/cost/prices.ts; priced: ${pricedRegions().join(", ")}`);
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const ctx: Context = { prices, a: assumptions, byUrn, resources, flowLogGroups: flowLogDestinations(resources, byUrn) };
    const lines = resources.map((r) => priceOne(r, ctx));
    const totalCents = lines.reduce((sum, l) => sum + Math.round((l.monthly ?? 0) * 100), 0);
    return { currency: CURRENCY, region, total: totalCents / 100, lines };
}
