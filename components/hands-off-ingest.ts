/**
 * How the cluster composes hands-off ingest (issue 17): the Ingest and Fixity parts from the stack's
 * config and the parts they use, and their alarms and dashboard rows. Kept beside the cluster so that
 * archivematica-cluster.ts only calls these.
 */
import * as pulumi from "@pulumi/pulumi";
import type { AppConfig } from "../config";
import { discoveryHost } from "./app/catalogue";
import { Fixity, FixityArgs } from "./app/fixity";
import { Ingest, IngestArgs } from "./app/ingest";
import { imagePull, ImageResolver } from "./app/image-pull";
import type { DeployedServices } from "./app/services";
import type { ArchivalStorageOutputs, EcsClusterOutputs, NetworkOutputs, SharedStorageOutputs } from "./interfaces";
import { IngestAlarms, IngestAlarmsArgs } from "./operations/ingest-alarms";

/** What the two parts run on and call. */
export interface HandsOffIngestParts {
    network: Pick<NetworkOutputs, "vpcId" | "privateSubnetIds">;
    ecs: Pick<EcsClusterOutputs, "clusterArn">;
    registry?: ImageResolver;
    storage: SharedStorageOutputs & { mountTargets: pulumi.Resource[] };
    services: DeployedServices;
    archivalStorage: ArchivalStorageOutputs;
}

function target(services: DeployedServices, component: "dashboard" | "storage-service") {
    return {
        url: `http://${discoveryHost(component, services.namespace)}:${services.services[component].port}`,
        service: services.services[component],
    };
}

export function ingestArgs(name: string, config: AppConfig, p: HandsOffIngestParts): IngestArgs {
    return {
        prefix: `${name}-${config.environment}`,
        region: config.region,
        environment: config.environment,
        vpcId: p.network.vpcId,
        subnetIds: p.network.privateSubnetIds,
        transferBucket: p.archivalStorage.transferSourceBucket,
        aipBucket: p.archivalStorage.aipStoreBucket,
        dashboard: target(p.services, "dashboard"),
        storageService: target(p.services, "storage-service"),
        adminUsername: p.services.adminUsername,
        dashboardApiKeySecretArn: p.services.adminSecretArns.dashboardApiKey,
        storageServiceApiKeySecretArn: p.services.adminSecretArns.storageServiceApiKey,
        processingConfigs: config.processingConfigs,
        maxPackageGiB: config.services.maxTransferSizeGiB,
        monitorSchedule: config.ingest.monitorSchedule,
        startGraceMinutes: config.ingest.startGraceMinutes,
        sharedDirectory: {
            fileSystem: {
                securityGroupId: p.storage.securityGroupId,
                allowFrom: (source, group) => p.storage.allowFrom(source, group),
                arn: p.storage.fileSystemArn,
            },
            accessPoint: p.storage.accessPoints.sharedDirectory,
            mountTargets: p.storage.mountTargets,
        },
        protect: config.protectData,
        logRetentionDays: config.logRetentionDays,
        tags: config.tags,
    };
}

export function fixityArgs(name: string, config: AppConfig, p: HandsOffIngestParts): FixityArgs {
    const image = p.services.imageReferences["storage-service"];
    const pull = imagePull([image], p.registry);
    const f = config.ingest.fixity;
    return {
        prefix: `${name}-${config.environment}`,
        clusterArn: p.ecs.clusterArn,
        vpcId: p.network.vpcId,
        subnetIds: p.network.privateSubnetIds,
        region: config.region,
        environment: config.environment,
        image: pull.uri(image),
        imagePullStatements: pull.statements,
        storageService: target(p.services, "storage-service"),
        adminUsername: p.services.adminUsername,
        storageServiceApiKeySecretArn: p.services.adminSecretArns.storageServiceApiKey,
        aipBucket: p.archivalStorage.aipStoreBucket,
        windowDays: f.windowDays,
        scheduleExpression: f.schedule,
        intervalHours: f.intervalHours,
        maxRunHours: f.maxRunHours,
        logRetentionDays: config.logRetentionDays,
        tags: config.tags,
    };
}

export function ingestAlarmsArgs(
    config: AppConfig,
    topicArn: pulumi.Input<string>,
    ingest: Ingest,
    fixity: Fixity,
    clusterArn: pulumi.Input<string>,
): IngestAlarmsArgs {
    return {
        tags: config.tags,
        topicArn,
        region: config.region,
        environment: config.environment,
        monitorMinutes: ingest.timing.monitorMinutes,
        unfinishedAlarmHours: config.ingest.unfinishedAlarmHours,
        deadLetterQueueName: ingest.deadLetterQueueName,
        starterFunctionName: ingest.starterFunctionName,
        monitorFunctionName: ingest.monitorFunctionName,
        fixity: { taskDefinitionFamily: fixity.taskDefinitionFamily, clusterArn },
    };
}

/** The two parts, created after the services they call. */
export function createHandsOffIngest(name: string, config: AppConfig, parts: HandsOffIngestParts, opts: pulumi.ComponentResourceOptions) {
    return {
        ingest: new Ingest(`${name}-ingest`, ingestArgs(name, config, parts), opts),
        fixity: new Fixity(`${name}-fixity`, fixityArgs(name, config, parts), opts),
    };
}

export { IngestAlarms };
