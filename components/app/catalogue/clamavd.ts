/**
 * clamd: virus scanning for the MCP clients, which stream each file to it (it mounts nothing).
 */
import { imageOf } from "./shared";
import type { CatalogueContext, CatalogueEntry, ComponentService } from "./types";
import { SIZES } from "./versions";

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

function resolve(ctx: CatalogueContext): ComponentService {
    return {
        container: {
            image: imageOf("clamavd", ctx),
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
        ...SIZES.clamavd[ctx.sizeProfile],
        deployment: "rolling",
        calls: [],
        shell: "/bin/bash",
    };
}

export const clamavd: CatalogueEntry = {
    name: "clamavd",
    description: "clamd, scanning the files the MCP clients stream to it.",
    resolve,
};
