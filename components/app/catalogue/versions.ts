/**
 * The versions table: what differs between Archivematica releases for several components (settings
 * modules, how manage.py is invoked, the images' uid), keyed by the `archivematicaVersion` config key,
 * and the concurrency per `sizeProfile`. Each component's own images and sizes are in its entry.
 *
 * Settings modules follow upstream's compose file for the release
 * (https://github.com/artefactual-labs/am, compose/docker-compose.yml) and the settings modules of
 * artefactual/archivematica and artefactual/archivematica-storage-service.
 */
import type { ArchivematicaVersion, SizeProfile } from "../../../config";

/** Facts that differ between Archivematica releases. */
export interface VersionFacts {
    /** uid/gid the Archivematica images run as; EFS access points enforce the same. */
    uid: number;
    /** Command prefix that runs the dashboard's / Storage Service's manage.py. */
    dashboardManage: string[];
    storageServiceManage: string[];
    settingsModules: Record<"dashboard" | "storage-service" | "mcp-server" | "mcp-client", string>;
}

export const VERSIONS: Record<ArchivematicaVersion, VersionFacts> = {
    "1.18": {
        uid: 1000,
        dashboardManage: ["python3", "-m", "archivematica.dashboard.manage"],
        storageServiceManage: ["python3", "-m", "archivematica.storage_service.manage"],
        settingsModules: {
            dashboard: "archivematica.dashboard.settings.production",
            "storage-service": "archivematica.storage_service.storage_service.settings.production",
            "mcp-server": "archivematica.MCPServer.settings.common",
            "mcp-client": "archivematica.MCPClient.settings.common",
        },
    },
    "1.17": {
        // 1.17 images predate the `archivematica.*` package layout: manage.py is a file and the
        // settings modules are top-level. Override the images in config if your registry differs.
        // Upstream's hack/Dockerfile builds with USER_ID=GROUP_ID=1000 since v1.15; only the 2019
        // (1.10-era) images ran as 333.
        uid: 1000,
        dashboardManage: ["python3", "/src/src/dashboard/src/manage.py"],
        storageServiceManage: ["python3", "/src/storage_service/manage.py"],
        settingsModules: {
            dashboard: "settings.production",
            "storage-service": "storage_service.settings.production",
            "mcp-server": "settings.common",
            "mcp-client": "settings.common",
        },
    },
};

/** Gunicorn workers and MCP server concurrency per size profile: Python sees the host's CPUs on Fargate. */
export const CONCURRENCY: Record<SizeProfile, { gunicornWorkers: number; concurrentPackages: number; workerThreads: number }> = {
    small: { gunicornWorkers: 2, concurrentPackages: 2, workerThreads: 4 },
    large: { gunicornWorkers: 4, concurrentPackages: 4, workerThreads: 8 },
};
