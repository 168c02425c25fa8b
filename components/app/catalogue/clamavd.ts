/**
 * clamd: virus scanning for the MCP clients, which stream each file to it (it mounts nothing).
 */
import type { CatalogueEntry, ComponentContext, ComponentImages, ComponentService, ComponentSizes } from "./types";

/** clamd's TCP port. */
export const PORT = 3310;

/**
 * The MCP client's scan limits, in MiB (`CLAMAV_CLIENT_MAX_FILE_SIZE` / `_MAX_SCAN_SIZE`, in MCPClient's
 * CONFIG_MAPPING): larger files are not sent to clamd. clamd itself runs with its image's clamd.conf:
 * a non-root task must start it through `/init-unprivileged`, which applies no `CLAMD_CONF_*` (only the
 * root `/init` rewrites /etc/clamav/clamd.conf; Cisco-Talos/clamav-docker
 * clamav/1.5/debian/scripts/docker-entrypoint*.sh), so no clamd limit is set or claimed here.
 */
export const CLAMAV_LIMITS_MIB = { maxFileSize: 42, maxScanSize: 42 } as const;

/** The image per Archivematica release (upstream's compose file for the release). */
const IMAGES: ComponentImages = { "1.18": "clamav/clamav-debian:1.5.3", "1.17": "clamav/clamav-debian:1.5.3" };

/** Default task size per size profile (a valid Fargate pair). clamd holds the signature database (~1.5 GiB) twice while it reloads: ≥ 4 GiB. */
const SIZES: ComponentSizes = { small: { cpu: 1024, memory: 4096 }, large: { cpu: 2048, memory: 8192 } };

function resolve(ctx: ComponentContext): ComponentService {
    return {
        container: {
            image: ctx.image,
            user: "clamav",
            entryPoint: ["/init-unprivileged"],
            port: PORT,
            // The image's own unprivileged entrypoint, which reads no CLAMD_CONF_* (see CLAMAV_LIMITS_MIB).
            environment: {},
            secrets: {},
            // Pass-by-stream: clamd never reads the shared directory, so it does not mount it.
            mounts: [],
            // freshclam downloads the signatures before clamd listens: the longest start ECS allows.
            healthCheck: { command: ["CMD-SHELL", "clamdcheck.sh"], interval: 60, timeout: 10, retries: 3, startPeriod: 300 },
            stopTimeout: 30,
        },
        initContainers: [],
        ...SIZES[ctx.sizeProfile],
        deployment: "rolling",
        calls: [],
        shell: "/bin/bash",
    };
}

export const clamavd: CatalogueEntry = {
    name: "clamavd",
    description: "clamd, scanning the files the MCP clients stream to it.",
    images: IMAGES,
    sizes: SIZES,
    resolve,
};
