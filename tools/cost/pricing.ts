/**
 * One pricer per priced resource type, a list of the types AWS does not charge for, and the
 * estimate that runs every resource through them. A resource gives one or more lines, each one of
 * three things: a priced line (with the arithmetic in its basis), a no-charge line (with the reason),
 * or a not-priced line (monthly `null`, with what is missing). Nothing is silently zero.
 *
 * Every line has a kind: `fixed` (the platform: runs whatever the archive holds), `per-tb-held`
 * (scales with the AIPs kept: storage, their replica and backups) or `per-tb-ingested` (scales with
 * the ingest: processing, the shared directory, requests, replication traffic). The quantities come
 * from the usage file (tools/cost/usage.ts); those derived from it are computed once
 * ({@link deriveUsage}) and each line names the formula it used, which the estimate prints.
 *
 * The pricers are in pricers/, one file per group of services (compute, data stores, archival
 * stores, network, operations, ingest), written with pricers/kit.ts.
 */
import { Assumptions, DEFAULT_ASSUMPTIONS } from "./assumptions";
import { CURRENCY, PRICES, pricedRegions } from "./prices";
import { amplification } from "./shared-directory";
import { DEFAULT_USAGE, Usage } from "./usage";
import { cents, Context, CostResource, DAYS_PER_MONTH, Derived, LineKind, Pricer, tagsOf } from "./pricers/kit";
import { fargateService } from "./pricers/compute";
import { efsFileSystem, elasticacheCluster, elasticacheReplicationGroup, opensearchDomain, rdsInstance } from "./pricers/data-stores";
import { backupSelection, bucketReplication, s3BackupPart, s3Bucket } from "./pricers/archival";
import { eip, flowLog, loadBalancer, natGateway, vpcEndpoint } from "./pricers/network";
import {
    dashboard,
    discoveryService,
    ecsCluster,
    efsBackupPolicy,
    kmsKey,
    logGroup,
    metricAlarm,
    privateDnsNamespace,
    pullThroughCache,
    scalingPolicy,
    schedule,
    secret,
} from "./pricers/operations";
import { dynamodbTable, lambdaFunction, sqsQueue, userPool, webAcl } from "./pricers/ingest";

export { cents, LINE_KINDS } from "./pricers/kit";
export type { CostResource, Derived, LineKind } from "./pricers/kit";

/** One part of one resource's monthly cost: a number (0 for no charge), or `null` when it is not priced. */
export interface CostLine {
    urn: string;
    type: string;
    /** Which part of the resource's cost ("" when the resource has one line). */
    item: string;
    kind: LineKind;
    monthly: number | null;
    basis: string;
}

export interface Estimate {
    currency: string;
    region: string;
    /** Sum of the priced lines, to the cent. */
    total: number;
    lines: CostLine[];
    /** The derived quantities the lines used, each with its formula, in the order first used. */
    derived: string[];
}

/** The region has no prices in the table: the estimate refuses rather than guess. */
export class UnpricedRegionError extends Error {}

/** The quantities that follow from the usage file. */
export function deriveUsage(u: Usage): Derived {
    const aipGbHeld = u.aipTbHeld * 1000;
    const aipGbPerMonth = u.ingestGbPerMonth * u.aipSizeRatio;
    const aipGb = u.transfersPerMonth > 0 ? aipGbPerMonth / u.transfersPerMonth : aipGbPerMonth;
    const aipsHeld = aipGb > 0 ? aipGbHeld / aipGb : 0;
    const amp = amplification(u.aipSizeRatio, u.dipShare);
    const dipObjects = aipsHeld * u.filesPerTransfer;
    const dipGbHeld = aipGbHeld * u.dipShare;
    return {
        aipGbHeld,
        aipGbPerMonth,
        dipGbHeld,
        aipGb,
        aipsHeld,
        aipObjects: aipsHeld * u.objectsPerAip,
        dipObjects,
        dipObjectGb: dipObjects > 0 ? dipGbHeld / dipObjects : 0,
        efsReadsGb: u.ingestGbPerMonth * amp.readsPerGb,
        efsWritesGb: u.ingestGbPerMonth * amp.writesPerGb,
        efsWorkingGb: (u.ingestGbPerMonth / DAYS_PER_MONTH) * u.daysInSharedDirectory * 2 * u.aipSizeRatio,
        transferSourceGb: (u.ingestGbPerMonth / DAYS_PER_MONTH) * u.transferSourceDaysKept,
        filesPerMonth: u.transfersPerMonth * u.filesPerTransfer,
    };
}

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
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": bucketReplication,
    "aws:backup/selection:Selection": backupSelection,
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
    "aws:servicediscovery/service:Service": discoveryService,
    "aws:efs/backupPolicy:BackupPolicy": efsBackupPolicy,
    "aws:ecr/pullThroughCacheRule:PullThroughCacheRule": pullThroughCache,
    "aws:scheduler/schedule:Schedule": schedule,
    "aws:lambda/function:Function": lambdaFunction,
    "aws:sqs/queue:Queue": sqsQueue,
    "aws:dynamodb/table:Table": dynamodbTable,
    "aws:wafv2/webAcl:WebAcl": webAcl,
    "aws:cognito/userPool:UserPool": userPool,
};

const VPC_FREE = "no charge: VPC component (https://aws.amazon.com/vpc/pricing/ lists the charged ones)";
const S3_CONFIG = "no charge: S3 configuration";

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
    "aws:ecs/taskDefinition:TaskDefinition": "no charge: billed through the ECS service or schedule that runs it",
    "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": "no charge: ECS configuration",
    "aws:appautoscaling/target:Target": "no charge: Application Auto Scaling",
    "aws:appautoscaling/scheduledAction:ScheduledAction": "no charge: Application Auto Scaling",
    "aws:efs/mountTarget:MountTarget": "no charge: EFS bills storage and throughput (on the file system's lines)",
    "aws:efs/accessPoint:AccessPoint": "no charge: EFS bills storage and throughput (on the file system's lines)",
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
    // https://aws.amazon.com/certificate-manager/pricing/: public certificates ACM issues (not exportable) are free.
    "aws:acm/certificate:Certificate": "no charge: public ACM certificates are free",
    "aws:acm/certificateValidation:CertificateValidation": "no charge: ACM validation (its DNS record is a Route 53 record)",
    "aws:route53/record:Record":
        "no charge: a DNS record (the hosted zone bills; alias queries to AWS resources are free, other queries not priced)",
    "aws:secretsmanager/secretVersion:SecretVersion": "no charge: billed with its secret",
    "aws:kms/alias:Alias": "no charge: billed with its key",
    "aws:s3/bucketPolicy:BucketPolicy": S3_CONFIG,
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": S3_CONFIG,
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": S3_CONFIG,
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": S3_CONFIG,
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": S3_CONFIG,
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration":
        "no charge: S3 configuration (its transitions shape the bucket's storage line)",
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2":
        "no charge: S3 configuration (its transitions shape the bucket's storage line)",
    "aws:s3/bucketVersioning:BucketVersioning": "no charge: S3 configuration (old versions are stored bytes)",
    "aws:s3/bucketVersioningV2:BucketVersioningV2": "no charge: S3 configuration (old versions are stored bytes)",
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": "no charge: S3 configuration (locked versions are stored bytes)",
    "aws:s3/bucketNotification:BucketNotification": "no charge: S3 event notifications are free",
    "aws:s3/bucketObjectv2:BucketObjectv2": "no charge: a few KB, billed with its bucket's storage",
    "aws:s3/bucketObject:BucketObject": "no charge: a few KB, billed with its bucket's storage",
    "aws:backup/vault:Vault": "no charge: the vault itself (backup storage is priced on the backup selection's lines)",
    "aws:backup/plan:Plan": "no charge: the plan itself (backup storage is priced on the backup selection's lines)",
    "aws:backup/vaultLockConfiguration:VaultLockConfiguration": "no charge: AWS Backup configuration",
    "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate":
        "no charge: ECR configuration (cached images are priced on the pull-through cache rule)",
    "aws:cloudwatch/eventRule:EventRule": "no charge: EventBridge does not charge for AWS service events or scheduled rules",
    "aws:cloudwatch/eventTarget:EventTarget": "no charge: EventBridge does not charge for AWS service events or scheduled rules",
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": "no charge: CloudWatch Logs configuration",
    "aws:sns/topic:Topic": "no charge for the topic; alarm notifications assumed within SNS's free requests and e-mails",
    "aws:sns/topicPolicy:TopicPolicy": "no charge: SNS configuration",
    "aws:sns/topicSubscription:TopicSubscription": "no charge: SNS configuration",
    "aws:lambda/permission:Permission": "no charge: Lambda configuration",
    "aws:lambda/eventSourceMapping:EventSourceMapping": "no charge: Lambda configuration (its queue's requests are on the queue's line)",
    "aws:sqs/queuePolicy:QueuePolicy": "no charge: SQS configuration",
    "aws:wafv2/webAclAssociation:WebAclAssociation": "no charge: billed through its web ACL",
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration":
        "no charge: WAF configuration (its logs are priced on their log group)",
    "aws:cognito/userPoolClient:UserPoolClient": "no charge: billed through its user pool's active users",
    "aws:cognito/userPoolDomain:UserPoolDomain": "no charge: billed through its user pool's active users",
};

/** Why a resource that is not an AWS resource costs nothing. */
function notACloudResource(r: CostResource): string | undefined {
    if (r.type === "pulumi:pulumi:Stack") return "no charge: the Pulumi stack";
    if (r.type.startsWith("pulumi:providers:")) return "no charge: a Pulumi provider";
    if (r.type.startsWith("random:")) return "no charge: generated by the Pulumi random provider";
    if (!r.custom) return "no charge: a component (its children are priced)";
    return undefined;
}

function priceOne(r: CostResource, ctx: Context): CostLine[] {
    const line = (p: Partial<CostLine> & Pick<CostLine, "monthly" | "basis">): CostLine => ({
        urn: r.urn,
        type: r.type,
        item: p.item ?? "",
        kind: p.kind ?? "fixed",
        monthly: p.monthly,
        basis: p.basis,
    });
    const free = notACloudResource(r) ?? NO_CHARGE[r.type];
    if (free) return [line({ monthly: 0, basis: free })];
    const pricer = PRICERS[r.type];
    if (!pricer) return [line({ monthly: null, basis: "not priced: type not in the price table" })];
    const parts = [pricer(r, ctx)].flat();
    return parts.map((p) =>
        "unpriced" in p
            ? line({ item: p.item, kind: p.kind, monthly: null, basis: `not priced: ${p.unpriced}` })
            : line({
                  item: p.item,
                  kind: p.kind,
                  monthly: cents(p.monthly),
                  // A real charge that rounds to nothing says so, rather than pass for no charge.
                  basis: p.monthly > 0 && cents(p.monthly) === 0 ? `under a cent a month: ${p.basis}` : p.basis,
              }),
    );
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

export interface EstimateOptions {
    usage?: Usage;
    assumptions?: Assumptions;
}

function context(resources: CostResource[], region: string, options: EstimateOptions): Context {
    const prices = PRICES[region];
    if (!prices)
        throw new UnpricedRegionError(`region ${region} has no prices in tools/cost/prices.ts; priced: ${pricedRegions().join(", ")}`);
    const usage = options.usage ?? DEFAULT_USAGE;
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    return {
        region,
        prices,
        a: options.assumptions ?? DEFAULT_ASSUMPTIONS,
        usage,
        d: deriveUsage(usage),
        byUrn,
        resources,
        flowLogGroups: flowLogDestinations(resources, byUrn),
        notes: new Map(),
        claimedMetrics: new Set(),
    };
}

/** Sum of lines in cents, back to dollars (each line is already rounded to the cent). */
export function sumLines(lines: { monthly: number | null }[]): number {
    return lines.reduce((sum, l) => sum + Math.round((l.monthly ?? 0) * 100), 0) / 100;
}

/** Prices every resource for `region`; throws {@link UnpricedRegionError} when the region has no prices. */
export function estimate(resources: CostResource[], region: string, options: EstimateOptions = {}): Estimate {
    const ctx = context(resources, region, options);
    const lines = resources.flatMap((r) => priceOne(r, ctx));
    return { currency: CURRENCY, region, total: sumLines(lines), lines, derived: [...ctx.notes.values()] };
}

/**
 * What backing up the archival stores costs a month, by store, whatever the stack's selection holds:
 * the figure behind the `backupArchivalStores` setting (README, "Backups of the archival stores").
 */
export function archivalBackupCosts(
    resources: CostResource[],
    region: string,
    options: EstimateOptions = {},
): { aip: number; dip: number } {
    const ctx = context(resources, region, options);
    const stores = resources.filter((r) => r.type === "aws:s3/bucket:Bucket" || r.type === "aws:s3/bucketV2:BucketV2");
    const cost = (role: string) =>
        stores.some((b) => tagsOf(b).ArchivalStore === role) ? cents((s3BackupPart(role, ctx, role) as { monthly: number }).monthly) : 0;
    return { aip: cost("aip-store"), dip: cost("dip-store") };
}
