/**
 * ArchivematicaCluster: everything one Archivematica pipeline needs on AWS, composed from one
 * component per concern. Stack differences come from config, never from the stack's name.
 */
import * as pulumi from "@pulumi/pulumi";
import type { AppConfig } from "../config";
import { Database } from "./database";
import { EcsCluster } from "./ecs-cluster";
import { Ingress } from "./ingress";
import { Network } from "./network";
import { QueueCache } from "./queue-cache";
import { Search } from "./search";
import { createServices, DeployedServices } from "./services";
import { SharedStorage } from "./shared-storage";

export interface ArchivematicaClusterArgs {
    /** The validated stack configuration (see config/schema.ts for every key and its default). */
    config: AppConfig;
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

    constructor(name: string, args: ArchivematicaClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("archivematica:index:ArchivematicaCluster", name, {}, opts);
        const config = args.config;
        const parent = { parent: this };
        const tags = config.tags;
        const logRetentionDays = config.logRetentionDays;

        this.network = new Network(`${name}-network`, { config: config.network, tags, logRetentionDays }, parent);
        const { vpcId, vpcCidr, publicSubnetIds, privateSubnetIds } = this.network;

        this.ecs = new EcsCluster(
            `${name}-ecs`,
            {
                tags,
                containerInsights: config.containerInsights,
                defaultCapacityProvider: config.services.capacityProvider,
                logRetentionDays,
            },
            parent,
        );
        this.storage = new SharedStorage(
            `${name}-storage`,
            { vpcId, subnetIds: privateSubnetIds, tags, protect: config.protectData },
            parent,
        );
        this.database = new Database(
            `${name}-db`,
            {
                config: config.database,
                vpcId,
                subnetIds: privateSubnetIds,
                // Fixes the log-group and final-snapshot names; unique per environment in one account.
                identifier: `${name}-db-${config.environment}`,
                protect: config.protectData,
                tags,
                logRetentionDays,
            },
            parent,
        );
        this.search = new Search(
            `${name}-search`,
            {
                config: config.search,
                vpcId,
                subnetIds: privateSubnetIds,
                domainName: `am-${config.environment}`, // OpenSearch domain names are capped at 28 characters
                protect: config.protectData,
                tags,
                logRetentionDays,
            },
            parent,
        );
        if (config.queue.backend === "redis") {
            this.queue = new QueueCache(`${name}-queue`, { config: config.queue, vpcId, subnetIds: privateSubnetIds, tags }, parent);
        }
        this.ingress = new Ingress(
            `${name}-ingress`,
            { config: config.ingress, vpcId, vpcCidr, publicSubnetIds, protect: config.protectData, tags },
            parent,
        );

        this.services = createServices(name, this, {
            config,
            network: this.network,
            cluster: this.ecs,
            storage: this.storage,
            database: this.database,
            search: this.search,
            queue: this.queue,
            ingress: this.ingress,
        });

        this.registerOutputs({
            vpcId,
            clusterName: this.ecs.clusterName,
            fileSystemId: this.storage.fileSystemId,
            databaseAddress: this.database.address,
            dashboardUrl: this.ingress.dashboardUrl,
            storageServiceUrl: this.ingress.storageServiceUrl,
        });
    }
}
