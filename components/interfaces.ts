/**
 * What the parts of an ArchivematicaCluster hand each other. Components implement these shapes;
 * consumers depend on the shapes, not the classes, so a part can be replaced (e.g. EFS by another
 * shared store) without touching its users.
 */
import * as pulumi from "@pulumi/pulumi";
import type { IamStatement } from "../lib/iam";

/**
 * The volumes of the shared storage, each an EFS access point a component can mount: the pipeline's
 * shared directory, the Storage Service's staging area, the transfer source. SharedStorage gives each
 * its root directory.
 */
export type VolumeName = "sharedDirectory" | "storageServiceStaging" | "transferSource";

/** A part that other parts reach over the network and that admits them by security group. */
export interface Reachable {
    /** The part's own security group. */
    securityGroupId: pulumi.Output<string>;
    /**
     * Admits traffic from `sourceSecurityGroupId` on the part's port(s). Creates one ingress rule,
     * named `${partName}-from-${sourceName}`, parented to the part.
     */
    allowFrom(sourceName: string, sourceSecurityGroupId: pulumi.Input<string>): void;
}

export interface NetworkOutputs {
    vpcId: pulumi.Output<string>;
    vpcCidr: pulumi.Output<string>;
    publicSubnetIds: pulumi.Output<string>[];
    privateSubnetIds: pulumi.Output<string>[];
}

export interface EcsClusterOutputs {
    clusterArn: pulumi.Output<string>;
    clusterName: pulumi.Output<string>;
}

/** Shared file storage (EFS) with one access point per volume. */
export interface SharedStorageOutputs extends Reachable {
    fileSystemId: pulumi.Output<string>;
    fileSystemArn: pulumi.Output<string>;
    /** Access points by volume: the pipeline's sharedDirectory, the Storage Service staging area, the transfer source. */
    accessPoints: Record<VolumeName, { id: pulumi.Output<string>; arn: pulumi.Output<string> }>;
}

/** RDS MySQL with its secrets. Database names are `MCP` and `SS`. */
export interface DatabaseOutputs extends Reachable {
    address: pulumi.Output<string>;
    port: pulumi.Output<number>;
    /** The RDS-managed master secret (JSON with `username` and `password`). */
    masterUserSecretArn: pulumi.Output<string>;
    /** Application user name (not secret). */
    appUsername: string;
    /** Secret whose whole value is the application user's password. */
    appPasswordSecretArn: pulumi.Output<string>;
    /** Secret whose whole value is the Storage Service's `SS_DB_URL` (mysql://user:pass@host:port/SS). */
    ssDbUrlSecretArn: pulumi.Output<string>;
    mcpDatabaseName: string;
    ssDatabaseName: string;
}

/** The search tier as the services see it. */
export interface SearchOutputs {
    /** Value for the `*_SEARCH_ENABLED` variables: `false`, `aips`, `transfers` or `true`. */
    searchEnabled: string;
    /** Secret whose whole value is the Elasticsearch URL with credentials; absent when disabled. */
    urlSecretArn?: pulumi.Output<string>;
    /** Present when the tier lives in the VPC (OpenSearch) and admits services by security group. */
    reachable?: Reachable;
}

/** ElastiCache Redis used as gearmand's persistent queue. */
export interface QueueCacheOutputs extends Reachable {
    endpoint: pulumi.Output<string>;
    port: number;
}

/** The archive's S3 buckets (ArchivalStorage): where the Storage Service's S3 locations point. */
export interface ArchivalStorageOutputs {
    /** The buckets' region (the stack's). */
    region: string;
    transferSourceBucket: pulumi.Output<string>;
    aipStoreBucket: pulumi.Output<string>;
    dipStoreBucket: pulumi.Output<string>;
    /** Exactly what the Storage Service task role needs on the buckets. */
    storageServiceStatements: pulumi.Output<IamStatement[]>;
}

/** The load balancer in front of the dashboard and the Storage Service. */
export interface IngressOutputs {
    securityGroupId: pulumi.Output<string>;
    dnsName: pulumi.Output<string>;
    dashboardTargetGroupArn: pulumi.Output<string>;
    storageServiceTargetGroupArn: pulumi.Output<string>;
    dashboardUrl: string;
    storageServiceUrl: string;
}
