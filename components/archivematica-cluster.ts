/**
 * ArchivematicaCluster: everything one Archivematica pipeline needs on AWS, composed from one
 * component per concern. Stack differences come from config, never from the stack's name.
 */
import * as pulumi from "@pulumi/pulumi";
import type { AppConfig } from "../config";
import { EcsCluster } from "./ecs-cluster";
import { Network } from "./network";
import { SharedStorage } from "./shared-storage";

export interface ArchivematicaClusterArgs {
    /** The validated stack configuration (see config/schema.ts for every key and its default). */
    config: AppConfig;
}

export class ArchivematicaCluster extends pulumi.ComponentResource {
    readonly network: Network;
    readonly ecs: EcsCluster;
    readonly storage: SharedStorage;

    constructor(name: string, args: ArchivematicaClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("archivematica:index:ArchivematicaCluster", name, {}, opts);
        const config = args.config;
        const parent = { parent: this };
        const tags = config.tags;

        this.network = new Network(`${name}-network`, { config: config.network, tags, logRetentionDays: config.logRetentionDays }, parent);
        this.ecs = new EcsCluster(`${name}-ecs`, {
            tags,
            containerInsights: config.containerInsights,
            defaultCapacityProvider: config.services.capacityProvider,
            logRetentionDays: config.logRetentionDays,
        }, parent);
        this.storage = new SharedStorage(`${name}-storage`, {
            vpcId: this.network.vpcId,
            subnetIds: this.network.privateSubnetIds,
            tags,
            protect: config.protectData,
        }, parent);

        this.registerOutputs({
            vpcId: this.network.vpcId,
            clusterName: this.ecs.clusterName,
            fileSystemId: this.storage.fileSystemId,
        });
    }
}
