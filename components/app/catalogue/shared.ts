/**
 * What several catalogue entries share: the shared directory, database client variables, the TCP
 * probe, discovery names, the app user and image of a component, and the scratch-storage rule.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Mount } from "../task";
import type { VolumeName } from "../../interfaces";
import type { CatalogueContext } from "./types";
import { VERSIONS } from "./versions";
import { GUNICORN_PORT } from "../../../lib/ports";

/** The shared directory, where every pipeline component expects it. */
export const SHARED_DIRECTORY = "/var/archivematica/sharedDirectory";

/** The pipeline's shared directory (EFS access point `sharedDirectory`), read-write. */
export const SHARED_MOUNT: Mount & { volume: VolumeName } = {
    volume: "sharedDirectory",
    containerPath: SHARED_DIRECTORY,
    readOnly: false,
};

/** Seconds the Storage Service client waits for quick calls; upstream's 5 s breaks "Store AIP". */
export const STORAGE_SERVICE_QUICK_TIMEOUT_SECONDS = 600;

/**
 * Django's Host check is done by the load balancer instead: ALB health checks send the target's IP as
 * the Host header (Django would answer 400 and the targets would never turn healthy), and the task IP
 * is not known before the task starts. The ALB forwards only requests whose Host is one of the two
 * configured host names (its default action is a 404), and inside the VPC only the security groups'
 * callers reach the apps, by discovery name. CSRF_TRUSTED_ORIGINS stays limited to the public names.
 */
export const ALLOWED_HOSTS = "*";

/**
 * Where the MCP server and clients serve Prometheus metrics: inside the task only. Nothing scrapes
 * them, the MCP server's metrics include its environment (database password, Django key), and the
 * health check probes the port from inside the container. The port must stay set: the MCP settings
 * turn metrics off when `prometheus_bind_port` is empty, and the health check needs a listener.
 * The dashboard and the Storage Service have no `*_PROMETHEUS_ENABLED` at all: their gunicorn config
 * files test `os.environ.get(...)`, to which even "false" is true (artefactual/archivematica
 * src/dashboard/install/dashboard.gunicorn-config.py, archivematica-storage-service
 * install/storage-service.gunicorn-config.py).
 */
export const PROMETHEUS_BIND_ADDRESS = "127.0.0.1";

/** `<name>.<namespace>`: the Cloud Map DNS name of a component. */
export function discoveryHost(component: string, namespace: string): string {
    return `${component}.${namespace}`;
}

/**
 * The pipeline's site URL: what the dashboard's `install` gets as `--site-url` and registers as the
 * pipeline's `remote_name` in the Storage Service, which calls the dashboard back at it. The
 * bootstrap steps of both apps find the pipeline by it.
 */
export function dashboardSiteUrl(namespace: string): string {
    return `http://${discoveryHost("dashboard", namespace)}:${GUNICORN_PORT}`;
}

/** `uid:gid` of the Archivematica images (the EFS access points enforce the same). */
export function appUser(ctx: CatalogueContext): string {
    const { uid } = VERSIONS[ctx.version];
    return `${uid}:${uid}`;
}

/** A bash TCP probe: the Archivematica images have bash but not always curl (the compose uses the same). */
export function tcpProbe(port: number): string[] {
    return ["CMD-SHELL", `bash -c 'exec 3<>/dev/tcp/127.0.0.1/${port}' || exit 1`];
}

/** The MCP database client variables of a pipeline component (`<PREFIX>_CLIENT_*`); the password is a secret. */
export function dbClient(prefix: string, ctx: CatalogueContext): Record<string, pulumi.Input<string>> {
    return {
        [`${prefix}_CLIENT_USER`]: ctx.database.appUsername,
        [`${prefix}_CLIENT_HOST`]: ctx.database.host,
        [`${prefix}_CLIENT_PORT`]: ctx.database.port,
        [`${prefix}_CLIENT_DATABASE`]: ctx.database.mcpDatabaseName,
    };
}

/**
 * Ephemeral storage for a task that handles whole transfers: the transfer, its extracted or normalised
 * copy, and headroom, within Fargate's 21–200 GiB.
 */
export function scratchStorageGiB(maxTransferSizeGiB: number): number {
    return Math.min(200, Math.max(21, Math.ceil(maxTransferSizeGiB * 2 + 10)));
}
