/**
 * clamd: virus scanning for the MCP clients, which stream each file to it (it mounts nothing).
 */
import { imageOf } from "./shared";
import type { CatalogueContext, CatalogueEntry, ComponentService } from "./types";
import { SIZES } from "./versions";

/** clamd's TCP port. */
export const PORT = 3310;

/**
 * ClamAV limits, in MiB. clamd (CLAMD_CONF_*) and the MCP client (CLAMAV_CLIENT_MAX_*) both read them
 * from here: when the client's limits exceed clamd's, clamd drops the stream and the scan fails
 * instead of skipping the file.
 */
export const CLAMAV_LIMITS_MIB = { maxFileSize: 42, maxScanSize: 42, streamMaxLength: 100 } as const;

function resolve(ctx: CatalogueContext): ComponentService {
    return {
        container: {
            image: imageOf("clamavd", ctx),
            user: "clamav",
            entryPoint: ["/init-unprivileged"],
            port: PORT,
            environment: {
                CLAMD_CONF_MaxFileSize: `${CLAMAV_LIMITS_MIB.maxFileSize}M`,
                CLAMD_CONF_MaxScanSize: `${CLAMAV_LIMITS_MIB.maxScanSize}M`,
                CLAMD_CONF_StreamMaxLength: `${CLAMAV_LIMITS_MIB.streamMaxLength}M`,
            },
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
