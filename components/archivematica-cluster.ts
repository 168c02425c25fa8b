/**
 * ArchivematicaCluster: everything one Archivematica pipeline needs on AWS, composed from one
 * component per concern. The only place that reads the stack configuration (`AppConfig`): it maps
 * each part of it onto the args its component owns. Stack differences come from config, never from
 * the stack's name.
 */
import * as pulumi from "@pulumi/pulumi";
import type { AppConfig } from "../config";
import { Database, DatabaseArgs } from "./database";
import { EcsCluster, EcsClusterArgs } from "./ecs-cluster";
import { Ingress, IngressArgs } from "./ingress";
import { Network, NetworkArgs } from "./network";
import { QueueCache, QueueCacheArgs } from "./queue-cache";
import { Search, SearchArgs } from "./search";
import type { ArchivalStorage } from "./archival-storage";
import { discoveryHost } from "./catalogue";
import { ImageRegistry, ImageRegistryArgs } from "./image-registry";
import type { EcsClusterOutputs, NetworkOutputs } from "./interfaces";
import { createServices, DeployedServices, imagePull, ImageSource } from "./services";
import { SharedStorage, SharedStorageArgs } from "./shared-storage";
import { SmokeTest, SmokeTestArgs } from "./smoke-test";

export interface ArchivematicaClusterArgs {
    /** The validated stack configuration (see config/schema.ts for every key and its default). */
    config: AppConfig;
}

/** Where the data tier lives: the network's VPC and private subnets. */
interface Placement {
    vpcId: pulumi.Output<string>;
    subnetIds: pulumi.Output<string>[];
}

export function networkArgs(config: AppConfig): NetworkArgs {
    const common = { tags: config.tags, logRetentionDays: config.logRetentionDays };
    const n = config.network;
    if (n.mode === "existing") {
        return { ...common, existingVpc: { vpcId: n.vpcId, publicSubnetIds: n.publicSubnetIds, privateSubnetIds: n.privateSubnetIds } };
    }
    return { ...common, cidr: n.cidr, azCount: n.azCount, natGateways: n.natGateways };
}

export function ecsClusterArgs(config: AppConfig): EcsClusterArgs {
    return {
        tags: config.tags,
        containerInsights: config.containerInsights,
        defaultCapacityProvider: config.services.capacityProvider,
        logRetentionDays: config.logRetentionDays,
    };
}

export function sharedStorageArgs(config: AppConfig, at: Placement): SharedStorageArgs {
    return { vpcId: at.vpcId, subnetIds: at.subnetIds, tags: config.tags, protect: config.protectData };
}

/** `identifier` fixes the log-group and final-snapshot names; unique per environment in one account. */
export function databaseArgs(name: string, config: AppConfig, at: Placement): DatabaseArgs {
    const db = config.database;
    return {
        vpcId: at.vpcId,
        subnetIds: at.subnetIds,
        identifier: `${name}-db-${config.environment}`,
        tags: config.tags,
        engineVersion: db.engineVersion,
        instanceClass: db.instanceClass,
        allocatedStorageGiB: db.allocatedStorageGiB,
        maxAllocatedStorageGiB: db.maxAllocatedStorageGiB,
        backupRetentionDays: db.backupRetentionDays,
        multiAz: db.multiAz,
        deletionProtection: db.deletionProtection,
        finalSnapshot: db.finalSnapshot,
        maxAllowedPacketMiB: db.maxAllowedPacketMiB,
        protect: config.protectData,
        logRetentionDays: config.logRetentionDays,
    };
}

export function searchArgs(config: AppConfig, at: Placement): SearchArgs {
    const s = config.search;
    const common: SearchArgs = {
        mode: s.mode,
        vpcId: at.vpcId,
        subnetIds: at.subnetIds,
        domainName: `am-${config.environment}`, // OpenSearch domain names are capped at 28 characters
        protect: config.protectData,
        tags: config.tags,
        logRetentionDays: config.logRetentionDays,
    };
    if (s.mode === "external") return { ...common, url: s.url, indexes: s.indexes };
    if (s.mode === "opensearch") {
        const openSearch = {
            instanceType: s.instanceType,
            instanceCount: s.instanceCount,
            dedicatedMasters: s.dedicatedMasters,
            volumeSizeGiB: s.volumeSizeGiB,
        };
        return { ...common, indexes: s.indexes, openSearch };
    }
    return common;
}

/** Only when `queueBackend` is `redis`. */
export function queueCacheArgs(config: AppConfig, at: Placement): QueueCacheArgs | undefined {
    const q = config.queue;
    if (q.backend !== "redis") return undefined;
    return {
        vpcId: at.vpcId,
        subnetIds: at.subnetIds,
        tags: config.tags,
        nodeType: q.nodeType,
        multiAz: q.multiAz,
        snapshotRetentionDays: q.snapshotRetentionDays,
    };
}

export function ingressArgs(config: AppConfig, network: Network): IngressArgs {
    const i = config.ingress;
    return {
        dashboardHostname: i.dashboardHostname,
        storageServiceHostname: i.storageServiceHostname,
        certificateArn: i.certificateArn,
        hostedZoneId: i.hostedZoneId,
        allowedCidrs: i.allowedCidrs,
        vpcId: network.vpcId,
        vpcCidr: network.vpcCidr,
        publicSubnetIds: network.publicSubnetIds,
        tags: config.tags,
        deletionProtection: i.deletionProtection,
        accessLogs: i.accessLogs,
        protect: config.protectData,
    };
}

/**
 * The pull-through cache (with `dockerHubCredentialsSecretArn`), the mirror (`imageRegistry`), or Docker
 * Hub. The cache's repository prefix carries the environment, so two stacks in one account and region
 * each own their rule (ECR allows one rule per prefix).
 */
export function imageRegistryArgs(config: AppConfig): ImageRegistryArgs {
    return {
        dockerHubCredentialsSecretArn: config.services.registry.dockerHubCredentialsSecretArn,
        mirror: config.services.registry.mirror,
        repositoryPrefix: `dockerhub-${config.environment}`,
    };
}

/** The buckets the smoke transfer writes to and expects its AIP in (from ArchivalStorage). */
export interface SmokeTestBuckets {
    transferSourceBucket: pulumi.Output<string>;
    aipStoreBucket: pulumi.Output<string>;
}

/**
 * The smoke transfer: the Storage Service image through the registry, the apps' internal URLs, the
 * administrator's API keys (secret ARNs), the buckets, and the schedule from config.
 */
export function smokeTestArgs(
    name: string,
    config: AppConfig,
    at: { network: Pick<NetworkOutputs, "vpcId" | "privateSubnetIds">; ecs: Pick<EcsClusterOutputs, "clusterArn">; registry?: ImageSource },
    services: DeployedServices,
    buckets: SmokeTestBuckets,
): SmokeTestArgs {
    const image = services.imageReferences["storage-service"];
    const pull = imagePull([image], at.registry);
    const target = (component: "dashboard" | "storage-service") => ({
        url: `http://${discoveryHost(component, services.namespace)}:${services.services[component].port}`,
        service: services.services[component],
    });
    return {
        prefix: `${name}-${config.environment}`,
        clusterArn: at.ecs.clusterArn,
        vpcId: at.network.vpcId,
        subnetIds: at.network.privateSubnetIds,
        region: config.region,
        image: pull.uri(image),
        imagePullStatements: pull.statements,
        dashboard: target("dashboard"),
        storageService: target("storage-service"),
        adminUsername: services.adminUsername,
        dashboardApiKeySecretArn: services.adminSecretArns.dashboardApiKey,
        storageServiceApiKeySecretArn: services.adminSecretArns.storageServiceApiKey,
        transferBucket: buckets.transferSourceBucket,
        aipBucket: buckets.aipStoreBucket,
        scheduleExpression: config.services.smokeTestSchedule,
        logRetentionDays: config.logRetentionDays,
        tags: config.tags,
    };
}

export class ArchivematicaCluster extends pulumi.ComponentResource {
    readonly network: Network;
    readonly ecs: EcsCluster;
    readonly storage: SharedStorage;
    readonly database: Database;
    readonly search: Search;
    /** Only when `queueBackend` is `redis`. */
    readonly queue?: QueueCache;
    readonly ingress: Ingress;
    readonly services: DeployedServices;
    /** Where the tasks pull their images from. */
    readonly registry: ImageRegistry;
    /**
     * The S3 transfer source and AIP store. Not created here yet: the smoke test below is created as
     * soon as this is set (it needs both buckets).
     */
    readonly archivalStorage?: ArchivalStorage;
    /** The smoke transfer (only with {@link archivalStorage}). */
    readonly smokeTest?: SmokeTest;

    constructor(name: string, args: ArchivematicaClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("archivematica:index:ArchivematicaCluster", name, {}, opts);
        const config = args.config;
        const parent = { parent: this };

        this.network = new Network(`${name}-network`, networkArgs(config), parent);
        const at: Placement = { vpcId: this.network.vpcId, subnetIds: this.network.privateSubnetIds };
        this.ecs = new EcsCluster(`${name}-ecs`, ecsClusterArgs(config), parent);
        this.storage = new SharedStorage(`${name}-storage`, sharedStorageArgs(config, at), parent);
        this.database = new Database(`${name}-db`, databaseArgs(name, config, at), parent);
        this.search = new Search(`${name}-search`, searchArgs(config, at), parent);
        const queue = queueCacheArgs(config, at);
        if (queue) this.queue = new QueueCache(`${name}-queue`, queue, parent);
        this.ingress = new Ingress(`${name}-ingress`, ingressArgs(config, this.network), parent);
        this.registry = new ImageRegistry(`${name}-images`, imageRegistryArgs(config), parent);

        this.services = createServices(name, this, {
            config,
            network: this.network,
            cluster: this.ecs,
            storage: this.storage,
            database: this.database,
            search: this.search,
            queue: this.queue,
            ingress: this.ingress,
            registry: this.registry,
        });
        if (this.archivalStorage) {
            const at = { network: this.network, ecs: this.ecs, registry: this.registry };
            this.smokeTest = new SmokeTest(
                `${name}-smoke-test`,
                smokeTestArgs(name, config, at, this.services, this.archivalStorage),
                parent,
            );
        }

        this.registerOutputs({
            vpcId: this.network.vpcId,
            clusterName: this.ecs.clusterName,
            fileSystemId: this.storage.fileSystemId,
            databaseAddress: this.database.address,
            dashboardUrl: this.ingress.dashboardUrl,
            storageServiceUrl: this.ingress.storageServiceUrl,
        });
    }
}
