/**
 * The versions and sizes table: what differs between Archivematica releases (images, settings
 * modules, how manage.py is invoked, the image's uid), keyed by the `archivematicaVersion` config
 * key, and the default task sizes per `sizeProfile`.
 *
 * Images and settings modules follow upstream's compose file for the release
 * (https://github.com/artefactual-labs/am, compose/docker-compose.yml) and the settings modules of
 * artefactual/archivematica and artefactual/archivematica-storage-service.
 */
import type { ArchivematicaVersion, SizeProfile } from "../../../config";
import type { ComponentName } from "./registry";

/** Facts that differ between Archivematica releases. */
export interface VersionFacts {
    images: Record<ComponentName, string>;
    /** uid/gid the Archivematica images run as; EFS access points enforce the same. */
    uid: number;
    /** Command prefix that runs the dashboard's / Storage Service's manage.py. */
    dashboardManage: string[];
    storageServiceManage: string[];
    settingsModules: Record<"dashboard" | "storage-service" | "mcp-server" | "mcp-client", string>;
}

export const VERSIONS: Record<ArchivematicaVersion, VersionFacts> = {
    "1.18": {
        images: {
            dashboard: "artefactual/archivematica-dashboard:v1.18.0",
            "storage-service": "artefactual/archivematica-storage-service:v0.24.0",
            "mcp-server": "artefactual/archivematica-mcp-server:v1.18.0",
            "mcp-client": "artefactual/archivematica-mcp-client:v1.18.0",
            gearmand: "artefactual/gearmand:1.1.22-alpine",
            clamavd: "clamav/clamav-debian:1.5.3",
        },
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
        images: {
            dashboard: "artefactual/archivematica-dashboard:v1.17.0",
            "storage-service": "artefactual/archivematica-storage-service:v0.23.0",
            "mcp-server": "artefactual/archivematica-mcp-server:v1.17.0",
            "mcp-client": "artefactual/archivematica-mcp-client:v1.17.0",
            gearmand: "artefactual/gearmand:1.1.22-alpine",
            clamavd: "clamav/clamav-debian:1.5.3",
        },
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

/** Default task sizes (valid Fargate cpu/memory pairs; checked by ArchivematicaService and the tests). */
export const SIZES: Record<ComponentName, Record<SizeProfile, { cpu: number; memory: number }>> = {
    dashboard: { small: { cpu: 1024, memory: 2048 }, large: { cpu: 2048, memory: 4096 } },
    // Compresses and checksums AIPs: CPU-bound while storing.
    "storage-service": { small: { cpu: 1024, memory: 2048 }, large: { cpu: 2048, memory: 8192 } },
    "mcp-server": { small: { cpu: 512, memory: 1024 }, large: { cpu: 1024, memory: 2048 } },
    // Normalisation (ffmpeg, ImageMagick, Ghostscript) and characterisation are the pipeline's CPU load.
    "mcp-client": { small: { cpu: 2048, memory: 4096 }, large: { cpu: 4096, memory: 16384 } },
    gearmand: { small: { cpu: 256, memory: 512 }, large: { cpu: 512, memory: 1024 } },
    // clamd holds the signature database (~1.5 GiB) twice while it reloads: ≥ 4 GiB.
    clamavd: { small: { cpu: 1024, memory: 4096 }, large: { cpu: 2048, memory: 8192 } },
};

/** Gunicorn workers and MCP server concurrency per size profile: Python sees the host's CPUs on Fargate. */
export const CONCURRENCY: Record<SizeProfile, { gunicornWorkers: number; concurrentPackages: number; workerThreads: number }> = {
    small: { gunicornWorkers: 2, concurrentPackages: 2, workerThreads: 4 },
    large: { gunicornWorkers: 4, concurrentPackages: 4, workerThreads: 8 },
};
