/**
 * The MCP server: runs the workflow, hands jobs to the MCP clients through gearmand. A singleton: two
 * servers would run the same packages twice. It waits for the dashboard to migrate the MCP database.
 */
import { waitForMcpDatabaseStep } from "./bootstrap";
import { PORT as GEARMAND_PORT } from "./gearmand";
import {
    appUser,
    PROMETHEUS_BIND_ADDRESS,
    dbClient,
    discoveryHost,
    SHARED_MOUNT,
    STORAGE_SERVICE_QUICK_TIMEOUT_SECONDS,
    tcpProbe,
} from "./shared";
import type { AppContainer, CatalogueEntry, ComponentContext, ComponentImages, ComponentService, ComponentSizes } from "./types";
import { CONCURRENCY, VERSIONS } from "./versions";

/** The Prometheus endpoint's port (also what the health check probes). */
export const PORT = 7999;

/** The image per Archivematica release (upstream's compose file for the release). */
const IMAGES: ComponentImages = {
    "1.18": "artefactual/archivematica-mcp-server:v1.18.0",
    "1.17": "artefactual/archivematica-mcp-server:v1.17.0",
};

/** Default task size per size profile (a valid Fargate pair). */
const SIZES: ComponentSizes = { small: { cpu: 512, memory: 1024 }, large: { cpu: 1024, memory: 2048 } };

function resolve(ctx: ComponentContext): ComponentService {
    const concurrency = CONCURRENCY[ctx.sizeProfile];
    const container: AppContainer = {
        image: ctx.image,
        user: appUser(ctx),
        port: PORT,
        environment: {
            DJANGO_SETTINGS_MODULE: VERSIONS[ctx.version].settingsModules["mcp-server"],
            ...dbClient("ARCHIVEMATICA_MCPSERVER", ctx),
            ARCHIVEMATICA_MCPSERVER_MCPSERVER_MCPARCHIVEMATICASERVER: `${discoveryHost("gearmand", ctx.namespace)}:${GEARMAND_PORT}`,
            ARCHIVEMATICA_MCPSERVER_SEARCH_ENABLED: ctx.search.enabled,
            ARCHIVEMATICA_MCPSERVER_MCPSERVER_PROMETHEUS_BIND_PORT: String(PORT),
            ARCHIVEMATICA_MCPSERVER_MCPSERVER_PROMETHEUS_BIND_ADDRESS: PROMETHEUS_BIND_ADDRESS,
            // inotify sees nothing that another host writes to NFS/EFS.
            ARCHIVEMATICA_MCPSERVER_MCPSERVER_WATCH_DIRECTORY_METHOD: "poll",
            ARCHIVEMATICA_MCPSERVER_MCPSERVER_CONCURRENT_PACKAGES: String(concurrency.concurrentPackages),
            ARCHIVEMATICA_MCPSERVER_MCPSERVER_WORKER_THREADS: String(concurrency.workerThreads),
            ARCHIVEMATICA_MCPSERVER_MCPSERVER_STORAGE_SERVICE_CLIENT_QUICK_TIMEOUT: String(STORAGE_SERVICE_QUICK_TIMEOUT_SECONDS),
        },
        secrets: {
            ARCHIVEMATICA_MCPSERVER_CLIENT_PASSWORD: "dbAppPassword",
            // Plain DJANGO_SECRET_KEY (as in the compose) is ignored: the server would use its hard-coded key.
            ARCHIVEMATICA_MCPSERVER_MCPSERVER_DJANGO_SECRET_KEY: "pipelineDjangoSecretKey",
        },
        mounts: [SHARED_MOUNT],
        healthCheck: { command: tcpProbe(PORT), interval: 15, timeout: 5, retries: 5, startPeriod: 60 },
        stopTimeout: 120,
    };
    return {
        container,
        initContainers: [waitForMcpDatabaseStep(container)],
        ...SIZES[ctx.sizeProfile],
        deployment: "singleton",
        // Always on-demand: a Spot interruption would stop the one workflow runner, with nothing to take over.
        capacityProvider: "FARGATE",
        calls: ["database", "gearmand", "storage-service"],
        shell: "/bin/bash",
    };
}

export const mcpServer: CatalogueEntry = {
    name: "mcp-server",
    description: "Runs the preservation workflow and queues its jobs in gearmand; one task only.",
    images: IMAGES,
    sizes: SIZES,
    // Reads the MCP database the dashboard migrates: created once the dashboard is steady, so its
    // bounded wait (wait-for-mcp-database) never races the first migration.
    startsAfter: ["dashboard"],
    resolve,
};
