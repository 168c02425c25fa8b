/**
 * archivematica-infra: Archivematica on AWS. This file only composes: config in, one
 * ArchivematicaCluster, stack outputs out.
 */
import { loadConfig } from "./config";
import { ArchivematicaCluster } from "./components/archivematica-cluster";

const config = loadConfig();
const am = new ArchivematicaCluster("archivematica", { config });

export const region = config.region;
export const vpcId = am.network.vpcId;
export const publicSubnetIds = am.network.publicSubnetIds;
export const privateSubnetIds = am.network.privateSubnetIds;
export const clusterName = am.ecs.clusterName;
export const clusterArn = am.ecs.clusterArn;
export const ecsExecLogGroup = am.ecs.execLogGroupName;
export const fileSystemId = am.storage.fileSystemId;
export const accessPointIds = {
    sharedDirectory: am.storage.accessPoints.sharedDirectory.id,
    storageServiceStaging: am.storage.accessPoints.storageServiceStaging.id,
    transferSource: am.storage.accessPoints.transferSource.id,
};
