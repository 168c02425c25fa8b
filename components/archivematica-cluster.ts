/**
 * ArchivematicaCluster: everything one Archivematica pipeline needs on AWS, composed from one
 * component per concern. The only place that reads the stack configuration (`AppConfig`): it maps
 * each part of it onto the args its component owns. Stack differences come from config, never from
 * the stack's name.
 */
import { ProcessingAlarms, ProcessingAlarmsArgs } from "./operations/processing-alarms";
import * as pulumi from "@pulumi/pulumi";
import type { AppConfig } from "../config";
import { ArchivalStorage, ArchivalStorageArgs } from "./data/archival-storage";
import { Alarms, AlarmsArgs, WatchedService } from "./operations/alarms";
import { archivalBucketsToBackUp, Backup, BackupArgs } from "./operations/backup";
import { Database, DatabaseArgs } from "./data/database";
import { EcsCluster, EcsClusterArgs } from "./platform/ecs-cluster";
import { Ingress, IngressArgs } from "./platform/ingress";
import { Network, NetworkArgs } from "./platform/network";
import { Notifications, NotificationsArgs } from "./operations/notifications";
import { OperationsDashboard, OperationsDashboardArgs } from "./operations/operations-dashboard";
import { QueueCache, QueueCacheArgs } from "./data/queue-cache";
import { Search, SearchArgs } from "./data/search";
import { discoveryHost } from "./app/catalogue";
import { ImageRegistry, ImageRegistryArgs } from "./platform/image-registry";
import type { EcsClusterOutputs, NetworkOutputs } from "./interfaces";
import { imagePull, ImageResolver } from "./app/image-pull";
import { createServices, DeployedServices, ServicesArgs } from "./app/services";
import { SharedStorage, SharedStorageArgs } from "./data/shared-storage";
import { SmokeTest, SmokeTestArgs } from "./app/smoke-test";
import type { IngestTiming } from "../lib/ingest-timing";
import { Identity } from "./platform/identity";
import { Waf } from "./platform/waf";
import { albAuthenticator, appSignIns, AppSignIns, identityArgs, wafArgs } from "./sign-in";
import type { Fixity } from "./app/fixity";
import type { Ingest } from "./app/ingest";
import { createHandsOffIngest, IngestAlarms, ingestAlarmsArgs } from "./hands-off-ingest";

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

/**
 * EFS automatic backups are off: the stack's AWS Backup plan (backupArgs) covers the file system, and
 * both together would store every file twice (see components/operations/backup.ts).
 */
export function sharedStorageArgs(config: AppConfig, at: Placement): SharedStorageArgs {
    return { vpcId: at.vpcId, subnetIds: at.subnetIds, tags: config.tags, protect: config.protectData, automaticBackups: false };
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
        applyImmediately: db.applyImmediately,
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

export function ingressArgs(config: AppConfig, network: Network, identity?: Identity): IngressArgs {
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
        authentication: albAuthenticator(config, identity),
    };
}

/** The archive's S3 buckets: the transfer source, AIP store and DIP store (and the AIP replica). */
export function archivalStorageArgs(config: AppConfig): ArchivalStorageArgs {
    const a = config.archivalStorage;
    return {
        tags: config.tags,
        region: config.region,
        aipTransition: a.aipTransition,
        noncurrentVersionDays: a.noncurrentVersionDays,
        objectLock: a.objectLock,
        replicaRegion: a.replicaRegion,
        protect: config.protectData,
    };
}

// --- operations: notifications, alarms, the operations dashboard and backups (issue 13)

export function notificationsArgs(config: AppConfig): NotificationsArgs {
    return { tags: config.tags, alarmEmail: config.operations.alarmEmail };
}

/** The parts of the cluster that alarms and the dashboard watch. */
export interface Watched {
    ecs: EcsCluster;
    services: DeployedServices;
    database: Database;
    storage: SharedStorage;
    ingress: Ingress;
}

/** Every ECS service, by component, with its init containers (their failures get their own rule). */
export function watchedServices(services: DeployedServices): Record<string, WatchedService> {
    return Object.fromEntries(
        Object.entries(services.services).map(([component, s]) => [
            component,
            { serviceName: s.serviceName, serviceArn: s.serviceArn, initContainers: s.initContainerNames },
        ]),
    );
}

/**
 * Alarms on every ECS service, the database, the file system and the load balancer, thresholds from the
 * size profile. `smokeTest` is the smoke transfer's task family, when the cluster runs one.
 */
export function alarmsArgs(config: AppConfig, topicArn: pulumi.Input<string>, w: Watched, smokeTest?: AlarmsArgs["smokeTest"]): AlarmsArgs {
    return {
        tags: config.tags,
        topicArn,
        sizeProfile: config.services.sizeProfile,
        cluster: { name: w.ecs.clusterName, arn: w.ecs.clusterArn },
        services: watchedServices(w.services),
        database: { identifier: w.database.identifier, instanceClass: config.database.instanceClass },
        fileSystemId: w.storage.fileSystemId,
        loadBalancer: { arnSuffix: w.ingress.loadBalancerArnSuffix, targetGroups: w.ingress.targetGroupArnSuffixes },
        smokeTest,
    };
}

/**
 * The pipeline's own alarms (stall, MCP client job errors, MCP server metrics missing), from the
 * metrics the MCP server's and clients' sidecars publish; `stack` is the environment, as there.
 */
export function processingAlarmsArgs(config: AppConfig, topicArn: pulumi.Input<string>, w: Watched): ProcessingAlarmsArgs {
    return {
        tags: config.tags,
        topicArn,
        stack: config.environment,
        clusterName: w.ecs.clusterName,
        clientServiceName: w.services.serviceNames["mcp-client"],
        stallMinutes: config.operations.stallAlarmMinutes,
        jobErrorPercent: config.operations.mcpClientJobErrorPercent,
        processingHours: config.services.mcpClient.processingSchedule !== undefined,
    };
}

/** `name` is unique per environment in one account and region, like the database identifier. */
export function operationsDashboardArgs(
    name: string,
    config: AppConfig,
    w: Watched,
    alarms: Alarms,
    processingAlarmArns: pulumi.Input<string>[] = [],
): OperationsDashboardArgs {
    const mcp = config.services.mcpClient;
    return {
        dashboardName: `${name}-${config.environment}`,
        region: config.region,
        clusterName: w.ecs.clusterName,
        services: w.services.serviceNames,
        processing: {
            stack: config.environment,
            clusterName: w.ecs.clusterName,
            clientServiceName: w.services.serviceNames["mcp-client"],
            minCount: mcp.minCount,
            maxCount: mcp.maxCount,
        },
        database: { identifier: w.database.identifier, maxConnections: alarms.maxConnections },
        fileSystemId: w.storage.fileSystemId,
        loadBalancer: { arnSuffix: w.ingress.loadBalancerArnSuffix, targetGroups: w.ingress.targetGroupArnSuffixes },
        alarmArns: [...alarms.alarmArns, ...processingAlarmArns],
    };
}

/**
 * The daily AWS Backup plan over EFS and RDS; the vault lock keeps each recovery point for at least the
 * plan's own retention. `bucketArns`: the archival storage's versioned S3 buckets, when the cluster has them.
 */
export function backupArgs(config: AppConfig, storage: SharedStorage, database: Database, bucketArns?: pulumi.Input<string>[]): BackupArgs {
    const o = config.operations;
    return {
        tags: config.tags,
        resourceArns: [storage.fileSystemArn, database.instanceArn],
        bucketArns,
        schedule: o.backupSchedule,
        retentionDays: o.backupRetentionDays,
        lock: o.backupVaultLock ? { minRetentionDays: o.backupRetentionDays } : undefined,
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
        // The metrics sidecar's collector comes from Amazon ECR Public, cached like the Docker Hub images.
        ecrPublicPrefix: `ecr-public-${config.environment}`,
    };
}

/** The parts of the cluster the services run in and call. */
export type ServiceParts = Omit<ServicesArgs, keyof ServiceSettings>;

/** The fields of {@link ServicesArgs} that come from the stack config. */
type ServiceSettings = Pick<
    ServicesArgs,
    | "environment"
    | "region"
    | "tags"
    | "logRetentionDays"
    | "archivematicaVersion"
    | "sizeProfile"
    | "images"
    | "capacityProvider"
    | "maxTransferSizeGiB"
    | "mcpClient"
    | "hostnames"
    | "bootstrap"
    | "timeZone"
>;

/** The six services: sizes, images, scaling and bootstrap values from config, in the parts built before them. */
export function servicesArgs(config: AppConfig, parts: ServiceParts): ServicesArgs {
    const s = config.services;
    const b = config.bootstrap;
    return {
        environment: config.environment,
        region: config.region,
        tags: config.tags,
        logRetentionDays: config.logRetentionDays,
        archivematicaVersion: config.archivematicaVersion,
        sizeProfile: s.sizeProfile,
        images: s.images,
        capacityProvider: s.capacityProvider,
        maxTransferSizeGiB: s.maxTransferSizeGiB,
        mcpClient: s.mcpClient,
        hostnames: { dashboard: config.ingress.dashboardHostname, storageService: config.ingress.storageServiceHostname },
        bootstrap: {
            adminUsername: b.adminUsername,
            adminEmail: b.adminEmail,
            organisationName: b.organisationName,
            organisationId: b.organisationId,
        },
        timeZone: b.timeZone,
        ingestConfigs: config.processingConfigs.names,
        ...parts,
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
    at: {
        network: Pick<NetworkOutputs, "vpcId" | "privateSubnetIds">;
        ecs: Pick<EcsClusterOutputs, "clusterArn">;
        registry?: ImageResolver;
    },
    services: DeployedServices,
    buckets: SmokeTestBuckets,
    ingest: IngestTiming,
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
        storageService: target("storage-service"),
        adminUsername: services.adminUsername,
        storageServiceApiKeySecretArn: services.adminSecretArns.storageServiceApiKey,
        transferBucket: buckets.transferSourceBucket,
        aipBucket: buckets.aipStoreBucket,
        scheduleExpression: config.services.smokeTestSchedule,
        ingest,
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
    /** The S3 buckets where the Storage Service takes transfers from and stores AIPs and DIPs. */
    readonly archivalStorage: ArchivalStorage;
    readonly services: DeployedServices;
    readonly notifications: Notifications;
    readonly alarms: Alarms;
    /** Archivematica's own alarms: stalls, job errors, missing metrics. */
    readonly processingAlarms: ProcessingAlarms;
    readonly dashboard: OperationsDashboard;
    readonly backup: Backup;
    /** Where the tasks pull their images from. */
    readonly registry: ImageRegistry;
    /** The smoke transfer: a one-off task, run daily and after each deploy, that proves an AIP gets stored. */
    readonly smokeTest: SmokeTest;
    /** The Cognito user pool staff sign in with (signInMode cognito). */
    readonly identity?: Identity;
    /** AWS WAF on the load balancer (unless wafMode is off). */
    readonly waf?: Waf;
    /** Each app's OIDC sign-in (empty for local sign-in). */
    readonly signIns: AppSignIns;
    /** Hands-off ingest: uploads start transfers, their outcome is written back. */
    readonly ingest: Ingest;
    /** Scheduled fixity checks of every stored AIP. */
    readonly fixity: Fixity;
    readonly ingestAlarms: IngestAlarms;

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
        const identity = identityArgs(config);
        if (identity) this.identity = new Identity(`${name}-identity`, identity, parent);
        this.signIns = appSignIns(config, this.identity);
        this.ingress = new Ingress(`${name}-ingress`, ingressArgs(config, this.network, this.identity), parent);
        const waf = wafArgs(config, this.ingress.loadBalancerArn);
        if (waf) this.waf = new Waf(`${name}-waf`, waf, parent);
        this.archivalStorage = new ArchivalStorage(`${name}-archive`, archivalStorageArgs(config), parent);
        this.registry = new ImageRegistry(`${name}-images`, imageRegistryArgs(config), parent);

        this.services = createServices(
            name,
            this,
            servicesArgs(config, {
                network: this.network,
                cluster: this.ecs,
                storage: this.storage,
                database: this.database,
                search: this.search,
                queue: this.queue,
                ingress: this.ingress,
                archivalStorage: this.archivalStorage,
                registry: this.registry,
                signIn: this.signIns,
            }),
        );
        const runsOn = { network: this.network, ecs: this.ecs, registry: this.registry };
        const handsOff = createHandsOffIngest(
            name,
            config,
            { ...runsOn, storage: this.storage, services: this.services, archivalStorage: this.archivalStorage },
            parent,
        );
        this.ingest = handsOff.ingest;
        this.fixity = handsOff.fixity;
        // The smoke test waits for the feedback the ingest monitor writes: its budget follows the monitor's pace.
        this.smokeTest = new SmokeTest(
            `${name}-smoke-test`,
            smokeTestArgs(name, config, runsOn, this.services, this.archivalStorage, this.ingest.timing),
            parent,
        );

        // Operations: every alarm and rule sends to the topic; the dashboard shows the alarms first.
        const watched: Watched = {
            ecs: this.ecs,
            services: this.services,
            database: this.database,
            storage: this.storage,
            ingress: this.ingress,
        };
        this.notifications = new Notifications(`${name}-notifications`, notificationsArgs(config), parent);
        const smoke = { taskDefinitionFamily: this.smokeTest.taskDefinitionFamily, clusterArn: this.ecs.clusterArn };
        this.alarms = new Alarms(`${name}-alarms`, alarmsArgs(config, this.notifications.topicArn, watched, smoke), parent);
        this.processingAlarms = new ProcessingAlarms(
            `${name}-processing`,
            processingAlarmsArgs(config, this.notifications.topicArn, watched),
            parent,
        );
        this.ingestAlarms = new IngestAlarms(
            `${name}-ingest-alarms`,
            ingestAlarmsArgs(config, this.notifications.topicArn, this.ingest, this.fixity, this.ecs.clusterArn),
            parent,
        );
        const board = operationsDashboardArgs(name, config, watched, this.alarms, this.processingAlarms.alarmArns);
        this.dashboard = new OperationsDashboard(
            `${name}-operations`,
            { ...board, alarmArns: [...(board.alarmArns ?? []), ...this.ingestAlarms.alarmArns], sections: this.ingestAlarms.widgets },
            parent,
        );
        // The archival stores the stack setting names are backed up with EFS and RDS (README, "Backups of
        // the archival stores"); the transfer source only feeds the pipeline.
        const archivalBuckets = archivalBucketsToBackUp(config.operations.backupArchivalStores, {
            aip: this.archivalStorage.aipStoreArn,
            dip: this.archivalStorage.dipStoreArn,
        });
        this.backup = new Backup(`${name}-backup`, backupArgs(config, this.storage, this.database, archivalBuckets), parent);

        this.registerOutputs({
            vpcId: this.network.vpcId,
            clusterName: this.ecs.clusterName,
            fileSystemId: this.storage.fileSystemId,
            databaseAddress: this.database.address,
            dashboardUrl: this.ingress.dashboardUrl,
            storageServiceUrl: this.ingress.storageServiceUrl,
            aipStoreBucket: this.archivalStorage.aipStoreBucket,
            alarmTopicArn: this.notifications.topicArn,
            operationsDashboardUrl: this.dashboard.url,
            backupVaultName: this.backup.vaultName,
        });
    }
}
