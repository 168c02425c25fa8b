/**
 * ElastiCache (Redis OSS or Valkey) as gearmand's persistent queue (`--queue-type=redis`). Optional:
 * gearmand's default in-memory queue loses queued jobs when its task restarts, this keeps them.
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { QueueCacheOutputs } from "../interfaces";
import { ingressFrom } from "../../lib/security-groups";
import { mergeTags, Tags } from "../../lib/tags";

export const REDIS_PORT = 6379;

export interface QueueCacheArgs {
    /** VPC of the cache's security group. */
    vpcId: pulumi.Input<string>;
    /** Private subnets for the cache subnet group (one per availability zone). */
    subnetIds: pulumi.Input<string>[];
    /** Required tags merged onto every child. */
    tags: Tags;
    /** ElastiCache node type. @default "cache.t4g.micro" */
    nodeType?: string;
    /** A replica in another availability zone with automatic failover. @default false */
    multiAz?: boolean;
    /** Days of daily snapshots kept. @default 1 */
    snapshotRetentionDays?: number;
    /** Cache engine; both speak the protocol gearmand's hiredis client uses. @default "redis" */
    engine?: "redis" | "valkey";
    /** Engine version; 7 or later (the first with at-rest encryption on every node type). @default "7.1" */
    engineVersion?: string;
    /** Daily snapshot window (UTC). @default "03:00-04:00" */
    snapshotWindow?: string;
    /** Weekly maintenance window (UTC), after the snapshot window. @default "sun:04:30-sun:05:30" */
    maintenanceWindow?: string;
}

/** {@link QueueCacheArgs} with every default applied. */
type NormalizedQueueCacheArgs = Required<QueueCacheArgs>;

/** Applies the defaults of {@link QueueCacheArgs}; throws on an engine version ElastiCache does not offer. */
function normalizeQueueCacheArgs(name: string, args: QueueCacheArgs): NormalizedQueueCacheArgs {
    const engine = args.engine ?? "redis";
    const engineVersion = args.engineVersion ?? "7.1";
    const supported = engine === "valkey" ? { regex: /^(7\.2|8\.\d+)$/, valid: "7.2 or 8.x" } : { regex: /^7\.[01]$/, valid: "7.0 or 7.1" };
    if (!supported.regex.test(engineVersion)) {
        throw new Error(
            `QueueCache "${name}": engineVersion ${JSON.stringify(engineVersion)} is not offered for ${engine} 7+; valid: ${supported.valid}`,
        );
    }
    return {
        ...args,
        nodeType: args.nodeType ?? "cache.t4g.micro",
        multiAz: args.multiAz ?? false,
        snapshotRetentionDays: args.snapshotRetentionDays ?? 1,
        engine,
        engineVersion,
        snapshotWindow: args.snapshotWindow ?? "03:00-04:00",
        maintenanceWindow: args.maintenanceWindow ?? "sun:04:30-sun:05:30",
    };
}

/** An ElastiCache replication group with its own subnet group and security group. */
export class QueueCache extends pulumi.ComponentResource implements QueueCacheOutputs {
    readonly securityGroupId: pulumi.Output<string>;
    readonly endpoint: pulumi.Output<string>;
    readonly port = REDIS_PORT;

    private readonly name: string;
    private readonly tags: Tags;

    constructor(name: string, args: QueueCacheArgs, opts?: pulumi.ComponentResourceOptions) {
        super("archivematica:index:QueueCache", name, {}, opts);
        const a = normalizeQueueCacheArgs(name, args);
        this.name = name;
        this.tags = a.tags;

        const sg = this.createSecurityGroup(a);
        const subnetGroup = this.createSubnetGroup(a);
        const group = this.createReplicationGroup(a, sg, subnetGroup);

        this.securityGroupId = sg.id;
        this.endpoint = group.primaryEndpointAddress;
        this.registerOutputs({ securityGroupId: this.securityGroupId, endpoint: this.endpoint, port: this.port });
    }

    private createSecurityGroup(a: NormalizedQueueCacheArgs): aws.ec2.SecurityGroup {
        return new aws.ec2.SecurityGroup(
            `${this.name}-sg`,
            {
                vpcId: a.vpcId,
                description: "Archivematica gearmand queue: 6379 only from gearmand",
                revokeRulesOnDelete: true,
                tags: mergeTags(a.tags, `${this.name}-sg`),
            },
            { parent: this },
        );
    }

    private createSubnetGroup(a: NormalizedQueueCacheArgs): aws.elasticache.SubnetGroup {
        return new aws.elasticache.SubnetGroup(
            `${this.name}-subnets`,
            {
                description: "Archivematica gearmand queue: private subnets",
                subnetIds: a.subnetIds,
                tags: mergeTags(a.tags, `${this.name}-subnets`),
            },
            { parent: this },
        );
    }

    private createReplicationGroup(
        a: NormalizedQueueCacheArgs,
        sg: aws.ec2.SecurityGroup,
        subnetGroup: aws.elasticache.SubnetGroup,
    ): aws.elasticache.ReplicationGroup {
        return new aws.elasticache.ReplicationGroup(
            `${this.name}-redis`,
            {
                description: "Archivematica gearmand persistent job queue",
                engine: a.engine,
                engineVersion: a.engineVersion,
                nodeType: a.nodeType,
                port: REDIS_PORT,
                // A replica in another AZ only helps with failover; without it one node suffices.
                numCacheClusters: a.multiAz ? 2 : 1,
                automaticFailoverEnabled: a.multiAz,
                multiAzEnabled: a.multiAz,
                subnetGroupName: subnetGroup.name,
                securityGroupIds: [sg.id],
                atRestEncryptionEnabled: true,
                // Deliberately off: gearmand's redis queue (libhiredis, plain TCP) cannot speak TLS, so
                // with transit encryption on gearmand could not connect at all. Traffic stays inside the
                // VPC, between two security groups that admit only each other. The exception to the
                // transit-encryption rule is named, for this replication group only, in the stack's
                // policy configuration, so it is visible and reviewed rather than a silent default.
                transitEncryptionEnabled: false,
                snapshotRetentionLimit: a.snapshotRetentionDays,
                snapshotWindow: a.snapshotWindow,
                maintenanceWindow: a.maintenanceWindow,
                autoMinorVersionUpgrade: true,
                applyImmediately: false,
                tags: mergeTags(a.tags, `${this.name}-redis`),
            },
            { parent: this, customTimeouts: { create: "60m", update: "60m", delete: "60m" } },
        );
    }

    /** Admits Redis (6379) from `sourceSecurityGroupId`; one rule named `${name}-from-${sourceName}`. */
    allowFrom(sourceName: string, sourceSecurityGroupId: pulumi.Input<string>): void {
        ingressFrom(this, `${this.name}-from-${sourceName}`, {
            securityGroupId: this.securityGroupId,
            sourceSecurityGroupId,
            port: REDIS_PORT,
            description: `Redis from ${sourceName}`,
            tags: this.tags,
        });
    }
}
