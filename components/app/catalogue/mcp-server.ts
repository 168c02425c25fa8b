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
    imageOf,
    SHARED_MOUNT,
    STORAGE_SERVICE_QUICK_TIMEOUT_SECONDS,
    tcpProbe,
} from "./shared";
import type { AppContainer, CatalogueContext, CatalogueEntry, ComponentService } from "./types";
import { CONCURRENCY, SIZES, VERSIONS } from "./versions";

/** The Prometheus endpoint's port (also what the health check probes). */
export const PORT = 7999;

function resolve(ctx: CatalogueContext): ComponentService {
    const concurrency = CONCURRENCY[ctx.sizeProfile];
    const container: AppContainer = {
        image: imageOf("mcp-server", ctx),
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
        ...SIZES["mcp-server"][ctx.sizeProfile],
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
    resolve,
};
