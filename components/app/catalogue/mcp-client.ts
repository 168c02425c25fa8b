/**
 * The MCP clients: run the jobs (characterisation, normalisation, virus scans through clamd). The one
 * component that scales: CPU target tracking between the config's counts. They wait for the dashboard
 * to migrate the MCP database.
 */
import { waitForMcpDatabaseStep } from "./bootstrap";
import { CLAMAV_LIMITS_MIB, PORT as CLAMAVD_PORT } from "./clamavd";
import { PORT as GEARMAND_PORT } from "./gearmand";
import {
    appUser,
    PROMETHEUS_BIND_ADDRESS,
    dbClient,
    discoveryHost,
    scratchStorageGiB,
    SHARED_MOUNT,
    STORAGE_SERVICE_QUICK_TIMEOUT_SECONDS,
    tcpProbe,
} from "./shared";
import type { AppContainer, CatalogueEntry, ComponentContext, ComponentImages, ComponentService, ComponentSizes } from "./types";
import { VERSIONS } from "./versions";

/** The Prometheus endpoint's port (also what the health check probes). */
export const PORT = 7999;

/** The image per Archivematica release (upstream's compose file for the release). */
const IMAGES: ComponentImages = {
    "1.18": "artefactual/archivematica-mcp-client:v1.18.0",
    "1.17": "artefactual/archivematica-mcp-client:v1.17.0",
};

/** Default task size per size profile (a valid Fargate pair). Normalisation (ffmpeg, ImageMagick, Ghostscript) and characterisation are the pipeline's CPU load. */
const SIZES: ComponentSizes = { small: { cpu: 2048, memory: 4096 }, large: { cpu: 4096, memory: 16384 } };

function resolve(ctx: ComponentContext): ComponentService {
    const mcp = ctx.mcpClient;
    const container: AppContainer = {
        image: ctx.image,
        user: appUser(ctx),
        port: PORT,
        environment: {
            DJANGO_SETTINGS_MODULE: VERSIONS[ctx.version].settingsModules["mcp-client"],
            ...dbClient("ARCHIVEMATICA_MCPCLIENT", ctx),
            ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_MCPARCHIVEMATICASERVER: `${discoveryHost("gearmand", ctx.namespace)}:${GEARMAND_PORT}`,
            ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_SEARCH_ENABLED: ctx.search.enabled,
            ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_CAPTURE_CLIENT_SCRIPT_OUTPUT: "true",
            ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_CLAMAV_SERVER: `${discoveryHost("clamavd", ctx.namespace)}:${CLAMAVD_PORT}`,
            // clamd has no access to the shared directory: files go over the socket.
            ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_CLAMAV_PASS_BY_STREAM: "true",
            ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_CLAMAV_CLIENT_BACKEND: "clamdscanner",
            ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_CLAMAV_CLIENT_MAX_FILE_SIZE: String(CLAMAV_LIMITS_MIB.maxFileSize),
            ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_CLAMAV_CLIENT_MAX_SCAN_SIZE: String(CLAMAV_LIMITS_MIB.maxScanSize),
            ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_METADATA_XML_VALIDATION_ENABLED: "false",
            ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_STORAGE_SERVICE_CLIENT_QUICK_TIMEOUT: String(STORAGE_SERVICE_QUICK_TIMEOUT_SECONDS),
            ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_PROMETHEUS_BIND_PORT: String(PORT),
            ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_PROMETHEUS_BIND_ADDRESS: PROMETHEUS_BIND_ADDRESS,
            ARCHIVEMATICA_MCPCLIENT_WORKERS: String(mcp.workers),
            ARCHIVEMATICA_MCPCLIENT_MAX_TASKS_PER_CHILD: String(mcp.maxTasksPerChild),
        },
        secrets: {
            ARCHIVEMATICA_MCPCLIENT_CLIENT_PASSWORD: "dbAppPassword",
            ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_DJANGO_SECRET_KEY: "pipelineDjangoSecretKey",
            ...(ctx.search.hasUrl ? { ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_ELASTICSEARCHSERVER: "searchUrl" as const } : {}),
        },
        mounts: [SHARED_MOUNT],
        healthCheck: { command: tcpProbe(PORT), interval: 15, timeout: 5, retries: 5, startPeriod: 60 },
        // Lets running jobs finish on scale-in and deploys; the Fargate maximum.
        stopTimeout: 120,
    };
    return {
        container,
        initContainers: [waitForMcpDatabaseStep(container)],
        ...SIZES[ctx.sizeProfile],
        ephemeralStorageGiB: scratchStorageGiB(ctx.maxTransferSizeGiB),
        deployment: "rolling",
        desiredCount: mcp.desiredCount,
        autoscaling: { minCount: mcp.minCount, maxCount: mcp.maxCount, cpuTarget: mcp.cpuTarget },
        calls: ["database", "gearmand", "clamavd", "storage-service", "search"],
        shell: "/bin/bash",
    };
}

export const mcpClient: CatalogueEntry = {
    name: "mcp-client",
    description: "Runs the workflow's jobs (characterisation, normalisation, virus scans); scales on CPU.",
    images: IMAGES,
    sizes: SIZES,
    // Reads the MCP database the dashboard migrates: created once the dashboard is steady, so its
    // bounded wait (wait-for-mcp-database) never races the first migration.
    startsAfter: ["dashboard"],
    resolve,
};
