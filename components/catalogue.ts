/**
 * The Archivematica catalogue: what each component runs, as data. Version-specific facts (images,
 * settings modules, how manage.py is invoked, the image's uid) live in one table keyed by the
 * `archivematicaVersion` config key; everything else is per component and shared by versions.
 *
 * Source of truth: ../shared/reference/archivematica-docker-1.18-compose.yml and the settings modules
 * of artefactual/archivematica (appconfig/EnvConfigParser: `<PREFIX>_<SECTION>_<OPTION>` or
 * `<PREFIX>_<OPTION>`) and artefactual/archivematica-storage-service (plain `environ.get`).
 *
 * Nothing here creates resources: `resolveComponent()` turns an entry and a context (discovery names,
 * data-store endpoints, config) into a plain spec that services.ts hands to ArchivematicaService.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ArchivematicaVersion, SizeProfile } from "../config";
import { CREATE_DATABASES_SCRIPT, WAIT_FOR_MCP_DATABASE_SCRIPT, WAIT_FOR_STORAGE_SERVICE_SCRIPT } from "./catalogue/bootstrap";

export { CREATE_DATABASES_SCRIPT, WAIT_FOR_MCP_DATABASE_SCRIPT, WAIT_FOR_STORAGE_SERVICE_SCRIPT };

/** Every component that runs as its own ECS service (the `ArchivematicaComponent` tag values). */
export const COMPONENTS = ["dashboard", "storage-service", "mcp-server", "mcp-client", "gearmand", "clamavd"] as const;
export type ComponentName = (typeof COMPONENTS)[number];

/** EFS access points a component can mount (keys of `SharedStorageOutputs.accessPoints`). */
export type VolumeName = "sharedDirectory" | "storageServiceStaging" | "transferSource";

/**
 * Logical secrets a container reads through ECS `secrets`. services.ts maps each to a Secrets Manager
 * ARN (or ARN plus JSON key for the RDS-managed master secret); values never enter `environment`.
 */
export type SecretName =
    | "dbAppPassword"
    | "ssDbUrl"
    | "dbMasterUsername"
    | "dbMasterPassword"
    | "pipelineDjangoSecretKey"
    | "storageServiceDjangoSecretKey"
    | "adminPassword"
    | "dashboardApiKey"
    | "storageServiceApiKey"
    | "searchUrl";

/** What a component connects to; services.ts turns each into a security-group rule pair. */
export type Callee = ComponentName | "database" | "search" | "queue";

/** A container health check (ECS units: seconds). */
export interface HealthCheckSpec {
    command: string[];
    interval: number;
    timeout: number;
    retries: number;
    startPeriod: number;
}

export interface MountSpec {
    volume: VolumeName;
    containerPath: string;
    readOnly: boolean;
}

/** One non-essential container that must exit 0 before the next one (and the app) starts. */
export interface InitStepSpec {
    /** Container name, unique in the task. */
    name: string;
    entryPoint: string[];
    command?: pulumi.Input<string>[];
    /** Also give the step the app container's environment and secrets (e.g. to run manage.py). */
    inheritAppEnvironment: boolean;
    environment: Record<string, pulumi.Input<string>>;
    secrets: Record<string, SecretName>;
}

/** A catalogue entry resolved for one stack. */
export interface ComponentSpec {
    name: ComponentName;
    image: string;
    /** Explicit non-root user the container runs as (`uid:gid` or the image's user name). */
    user: string;
    entryPoint?: string[];
    command?: pulumi.Input<string>[];
    /** The port the component listens on, if anything calls it or checks it. */
    port?: number;
    environment: Record<string, pulumi.Input<string>>;
    secrets: Record<string, SecretName>;
    mounts: MountSpec[];
    healthCheck?: HealthCheckSpec;
    cpu: number;
    memory: number;
    /** singleton: never two tasks at once (min 0 % / max 100 %); rolling: 100 % / 200 %. */
    deployment: "singleton" | "rolling";
    stopTimeout: number;
    /** Size the task's ephemeral storage from `maxTransferSizeGiB`. */
    transferScratch: boolean;
    /** Served through the ALB (needs a target group and a health-check grace period). */
    loadBalanced: boolean;
    /** Seconds the ALB health check is ignored after a task starts: covers the init steps' bounded waits. */
    healthCheckGracePeriodSeconds?: number;
    /** Shell for ECS Exec (alpine images have no bash). */
    shell: string;
    calls: Callee[];
    initSteps: InitStepSpec[];
}

/** Inputs the catalogue needs from config and the other parts. Plain values or outputs. */
export interface CatalogueContext {
    version: ArchivematicaVersion;
    sizeProfile: SizeProfile;
    /** Private DNS namespace, e.g. `staging.archivematica.internal`. */
    namespace: string;
    database: {
        host: pulumi.Input<string>;
        port: pulumi.Input<string>;
        appUsername: string;
        mcpDatabaseName: string;
        ssDatabaseName: string;
    };
    search: {
        /** `false`, `aips`, `transfers` or `true`. */
        enabled: string;
        /** A secret holds the Elasticsearch URL (search on). */
        hasUrl: boolean;
    };
    hostnames: { dashboard: string; storageService: string };
    timeZone: string;
    mcpClient: { workers: number; maxTasksPerChild: number };
    bootstrap: { adminUsername: string; adminEmail: string; organisationName: string; organisationId: string };
    /** ElastiCache endpoint when gearmand persists its queue in Redis. */
    queue?: { endpoint: pulumi.Input<string>; port: number };
}

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

/** Container ports. */
export const PORTS = {
    dashboard: 8000,
    "storage-service": 8000,
    "mcp-server": 7999,
    "mcp-client": 7999,
    gearmand: 4730,
    clamavd: 3310,
} as const;

/**
 * ClamAV limits, in MiB. clamd (CLAMD_CONF_*) and the MCP client (CLAMAV_CLIENT_MAX_*) both read them
 * from here: when the client's limits exceed clamd's, clamd drops the stream and the scan fails
 * instead of skipping the file.
 */
export const CLAMAV_LIMITS_MIB = { maxFileSize: 42, maxScanSize: 42, streamMaxLength: 100 } as const;

/** Seconds the Storage Service client waits for quick calls; upstream's 5 s breaks "Store AIP". */
export const STORAGE_SERVICE_QUICK_TIMEOUT_SECONDS = 600;

/**
 * Bounds of the bootstrap waits: `attempts` × `intervalSeconds`, then the init container exits 1,
 * the task stops, and the deployment circuit breaker rolls back instead of looping forever.
 */
export const BOOTSTRAP_WAITS = {
    /** RDS accepting connections (the instance exists before services are created; rules may lag). */
    database: { attempts: 30, intervalSeconds: 10 },
    /** The Storage Service answering its API with the admin's key (its own migrations run first). */
    storageService: { attempts: 90, intervalSeconds: 10 },
    /** The dashboard having migrated the MCP database to what this image expects. */
    mcpDatabase: { attempts: 90, intervalSeconds: 10 },
} as const;

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
const CONCURRENCY: Record<SizeProfile, { gunicornWorkers: number; concurrentPackages: number; workerThreads: number }> = {
    small: { gunicornWorkers: 2, concurrentPackages: 2, workerThreads: 4 },
    large: { gunicornWorkers: 4, concurrentPackages: 4, workerThreads: 8 },
};

/** The shared directory, where every pipeline component expects it. */
export const SHARED_DIRECTORY = "/var/archivematica/sharedDirectory";

/** `<name>.<namespace>`: the Cloud Map DNS name of a component. */
export function discoveryHost(component: ComponentName, namespace: string): string {
    return `${component}.${namespace}`;
}

/**
 * Django's Host check is done by the load balancer instead: ALB health checks send the target's IP as
 * the Host header (Django would answer 400 and the targets would never turn healthy), and the task IP
 * is not known before the task starts. The ALB forwards only requests whose Host is one of the two
 * configured host names (its default action is a 404), and inside the VPC only the security groups'
 * callers reach the apps, by discovery name. CSRF_TRUSTED_ORIGINS stays limited to the public names.
 */
const ALLOWED_HOSTS = "*";

function waitEnv(wait: { attempts: number; intervalSeconds: number }): Record<string, string> {
    return { BOOTSTRAP_WAIT_ATTEMPTS: String(wait.attempts), BOOTSTRAP_WAIT_SECONDS: String(wait.intervalSeconds) };
}

/**
 * Step 1 of the bootstrap. Both the dashboard and the Storage Service tasks run it first: each needs
 * its database before it can migrate, and making one wait for the other would couple their deploys
 * (and their circuit breakers) for no gain. Two concurrent runs are safe: every statement is
 * IF NOT EXISTS or converges to the same state.
 */
function createDatabasesStep(ctx: CatalogueContext): InitStepSpec {
    return {
        name: "create-databases",
        entryPoint: ["python3", "-c"],
        command: [CREATE_DATABASES_SCRIPT],
        inheritAppEnvironment: false,
        environment: {
            BOOTSTRAP_DB_HOST: ctx.database.host,
            BOOTSTRAP_DB_PORT: ctx.database.port,
            BOOTSTRAP_DB_NAMES: `${ctx.database.mcpDatabaseName},${ctx.database.ssDatabaseName}`,
            BOOTSTRAP_DB_APP_USER: ctx.database.appUsername,
            ...waitEnv(BOOTSTRAP_WAITS.database),
        },
        secrets: {
            BOOTSTRAP_DB_MASTER_USER: "dbMasterUsername",
            BOOTSTRAP_DB_MASTER_PASSWORD: "dbMasterPassword",
            BOOTSTRAP_DB_APP_PASSWORD: "dbAppPassword",
        },
    };
}

function waitForMcpDatabaseStep(): InitStepSpec {
    return {
        name: "wait-for-mcp-database",
        entryPoint: ["python3", "-c"],
        command: [WAIT_FOR_MCP_DATABASE_SCRIPT],
        inheritAppEnvironment: true,
        environment: waitEnv(BOOTSTRAP_WAITS.mcpDatabase),
        secrets: {},
    };
}

/** A bash TCP probe: the Archivematica images have bash but not always curl (the compose uses the same). */
function tcpProbe(port: number): string[] {
    return ["CMD-SHELL", `bash -c 'exec 3<>/dev/tcp/127.0.0.1/${port}' || exit 1`];
}

function dbClient(prefix: string, ctx: CatalogueContext): Record<string, pulumi.Input<string>> {
    return {
        [`${prefix}_CLIENT_USER`]: ctx.database.appUsername,
        [`${prefix}_CLIENT_HOST`]: ctx.database.host,
        [`${prefix}_CLIENT_PORT`]: ctx.database.port,
        [`${prefix}_CLIENT_DATABASE`]: ctx.database.mcpDatabaseName,
    };
}

/**
 * Resolves one catalogue entry for a stack. Image overrides are applied by the caller (they are
 * config, not catalogue).
 */
export function resolveComponent(component: ComponentName, ctx: CatalogueContext): ComponentSpec {
    const facts = VERSIONS[ctx.version];
    const size = SIZES[component][ctx.sizeProfile];
    const concurrency = CONCURRENCY[ctx.sizeProfile];
    const appUser = `${facts.uid}:${facts.uid}`;
    const gearman = `${discoveryHost("gearmand", ctx.namespace)}:${PORTS.gearmand}`;
    const ssUrl = `http://${discoveryHost("storage-service", ctx.namespace)}:${PORTS["storage-service"]}`;
    const dashboardUrl = `http://${discoveryHost("dashboard", ctx.namespace)}:${PORTS.dashboard}`;
    const quickTimeout = String(STORAGE_SERVICE_QUICK_TIMEOUT_SECONDS);
    const shared: MountSpec = { volume: "sharedDirectory", containerPath: SHARED_DIRECTORY, readOnly: false };
    const base = { name: component, image: facts.images[component], cpu: size.cpu, memory: size.memory };

    switch (component) {
        case "dashboard":
            return {
                ...base,
                user: appUser,
                port: PORTS.dashboard,
                environment: {
                    // Only the ALB and internal callers reach gunicorn (security groups), so trusting
                    // their X-Forwarded-* headers is safe and needed for HTTPS detection.
                    FORWARDED_ALLOW_IPS: "*",
                    AM_GUNICORN_ACCESSLOG: "/dev/null",
                    AM_GUNICORN_BIND: `0.0.0.0:${PORTS.dashboard}`,
                    AM_GUNICORN_WORKERS: String(concurrency.gunicornWorkers),
                    DJANGO_SETTINGS_MODULE: facts.settingsModules.dashboard,
                    ARCHIVEMATICA_DASHBOARD_DASHBOARD_GEARMAN_SERVER: gearman,
                    // /metrics would be public through the ALB; nothing in the VPC scrapes it.
                    ARCHIVEMATICA_DASHBOARD_DASHBOARD_PROMETHEUS_ENABLED: "false",
                    ...dbClient("ARCHIVEMATICA_DASHBOARD", ctx),
                    ARCHIVEMATICA_DASHBOARD_SEARCH_ENABLED: ctx.search.enabled,
                    ARCHIVEMATICA_DASHBOARD_DASHBOARD_AUDIT_LOG_MIDDLEWARE: "true",
                    // Browsers only ever reach the dashboard over HTTPS (the ALB redirects HTTP).
                    ARCHIVEMATICA_DASHBOARD_DASHBOARD_SESSION_COOKIE_SECURE: "true",
                    ARCHIVEMATICA_DASHBOARD_DASHBOARD_CSRF_COOKIE_SECURE: "true",
                    ARCHIVEMATICA_DASHBOARD_DASHBOARD_DJANGO_ALLOWED_HOSTS: ALLOWED_HOSTS,
                    ARCHIVEMATICA_DASHBOARD_DASHBOARD_CSRF_TRUSTED_ORIGINS: `https://${ctx.hostnames.dashboard}`,
                    ARCHIVEMATICA_DASHBOARD_DASHBOARD_STORAGE_SERVICE_CLIENT_QUICK_TIMEOUT: quickTimeout,
                    ARCHIVEMATICA_DASHBOARD_DASHBOARD_TIME_ZONE: ctx.timeZone,
                },
                secrets: {
                    ARCHIVEMATICA_DASHBOARD_CLIENT_PASSWORD: "dbAppPassword",
                    ARCHIVEMATICA_DASHBOARD_DASHBOARD_DJANGO_SECRET_KEY: "pipelineDjangoSecretKey",
                    ...(ctx.search.hasUrl ? { ARCHIVEMATICA_DASHBOARD_DASHBOARD_ELASTICSEARCH_SERVER: "searchUrl" as const } : {}),
                },
                mounts: [shared],
                healthCheck: { command: tcpProbe(PORTS.dashboard), interval: 15, timeout: 5, retries: 5, startPeriod: 60 },
                deployment: "rolling",
                stopTimeout: 60,
                transferScratch: false,
                loadBalanced: true,
                // create-databases + migrate + the Storage Service wait + install, with margin.
                healthCheckGracePeriodSeconds: 1800,
                shell: "/bin/bash",
                calls: ["database", "gearmand", "storage-service", "search"],
                initSteps: [
                    createDatabasesStep(ctx),
                    {
                        name: "migrate",
                        entryPoint: [...facts.dashboardManage, "migrate", "--noinput"],
                        inheritAppEnvironment: true,
                        environment: {},
                        secrets: {},
                    },
                    {
                        name: "wait-for-storage-service",
                        entryPoint: ["python3", "-c"],
                        command: [WAIT_FOR_STORAGE_SERVICE_SCRIPT],
                        inheritAppEnvironment: false,
                        environment: {
                            BOOTSTRAP_SS_URL: ssUrl,
                            BOOTSTRAP_ADMIN_USERNAME: ctx.bootstrap.adminUsername,
                            ...waitEnv(BOOTSTRAP_WAITS.storageService),
                        },
                        secrets: { BOOTSTRAP_SS_API_KEY: "storageServiceApiKey" },
                    },
                    {
                        // Re-runnable: install keeps an existing dashboard UUID, upserts the admin and
                        // its API key, and registers the pipeline in the Storage Service only once.
                        name: "install",
                        entryPoint: ["sh", "-c"],
                        command: [
                            [
                                "exec",
                                ...facts.dashboardManage,
                                "install",
                                '--username="$BOOTSTRAP_ADMIN_USERNAME"',
                                '--password="$BOOTSTRAP_ADMIN_PASSWORD"',
                                '--email="$BOOTSTRAP_ADMIN_EMAIL"',
                                '--org-name="$BOOTSTRAP_ORG_NAME"',
                                '--org-id="$BOOTSTRAP_ORG_ID"',
                                '--api-key="$BOOTSTRAP_DASHBOARD_API_KEY"',
                                '--ss-url="$BOOTSTRAP_SS_URL"',
                                '--ss-user="$BOOTSTRAP_ADMIN_USERNAME"',
                                '--ss-api-key="$BOOTSTRAP_SS_API_KEY"',
                                '--site-url="$BOOTSTRAP_SITE_URL"',
                            ].join(" "),
                        ],
                        inheritAppEnvironment: true,
                        environment: {
                            BOOTSTRAP_ADMIN_USERNAME: ctx.bootstrap.adminUsername,
                            BOOTSTRAP_ADMIN_EMAIL: ctx.bootstrap.adminEmail,
                            BOOTSTRAP_ORG_NAME: ctx.bootstrap.organisationName,
                            BOOTSTRAP_ORG_ID: ctx.bootstrap.organisationId,
                            BOOTSTRAP_SS_URL: ssUrl,
                            BOOTSTRAP_SITE_URL: dashboardUrl,
                        },
                        secrets: {
                            BOOTSTRAP_ADMIN_PASSWORD: "adminPassword",
                            BOOTSTRAP_DASHBOARD_API_KEY: "dashboardApiKey",
                            BOOTSTRAP_SS_API_KEY: "storageServiceApiKey",
                        },
                    },
                ],
            };
        case "storage-service":
            return {
                ...base,
                user: appUser,
                port: PORTS["storage-service"],
                environment: {
                    FORWARDED_ALLOW_IPS: "*",
                    SS_GUNICORN_ACCESSLOG: "/dev/null",
                    SS_GUNICORN_BIND: `0.0.0.0:${PORTS["storage-service"]}`,
                    SS_GUNICORN_WORKERS: String(concurrency.gunicornWorkers),
                    DJANGO_SETTINGS_MODULE: facts.settingsModules["storage-service"],
                    SS_GNUPG_HOME_PATH: "/var/archivematica/storage_service/.gnupg",
                    // The Storage Service exempts /metrics from login: it would be public through the ALB.
                    SS_PROMETHEUS_ENABLED: "false",
                    SS_AUDIT_LOG_MIDDLEWARE: "true",
                    SESSION_COOKIE_SECURE: "true",
                    CSRF_COOKIE_SECURE: "true",
                    DJANGO_ALLOWED_HOSTS: ALLOWED_HOSTS,
                    CSRF_TRUSTED_ORIGINS: `https://${ctx.hostnames.storageService}`,
                    TIME_ZONE: ctx.timeZone,
                },
                secrets: {
                    SS_DB_URL: "ssDbUrl",
                    DJANGO_SECRET_KEY: "storageServiceDjangoSecretKey",
                },
                mounts: [
                    shared,
                    { volume: "storageServiceStaging", containerPath: "/var/archivematica/storage_service", readOnly: false },
                    { volume: "transferSource", containerPath: "/home", readOnly: false },
                ],
                // Slow while it compresses AIPs: long timeout and many retries before ECS gives up.
                healthCheck: {
                    command: [
                        "CMD-SHELL",
                        `curl --fail --silent --output /dev/null http://localhost:${PORTS["storage-service"]}/ || exit 1`,
                    ],
                    interval: 30,
                    timeout: 30,
                    retries: 5,
                    startPeriod: 120,
                },
                deployment: "rolling",
                stopTimeout: 60,
                transferScratch: true,
                loadBalanced: true,
                healthCheckGracePeriodSeconds: 900,
                shell: "/bin/bash",
                // Calls back the pipeline (reingest, approvals) at the dashboard's site URL.
                calls: ["database", "dashboard"],
                initSteps: [
                    createDatabasesStep(ctx),
                    {
                        name: "migrate",
                        entryPoint: [...facts.storageServiceManage, "migrate", "--noinput"],
                        inheritAppEnvironment: true,
                        environment: {},
                        secrets: {},
                    },
                    {
                        // create_user is an upsert: it resets the password and API key to the secrets.
                        name: "create-user",
                        entryPoint: ["sh", "-c"],
                        command: [
                            [
                                "exec",
                                ...facts.storageServiceManage,
                                "create_user",
                                '--username="$BOOTSTRAP_ADMIN_USERNAME"',
                                '--password="$BOOTSTRAP_ADMIN_PASSWORD"',
                                '--email="$BOOTSTRAP_ADMIN_EMAIL"',
                                '--api-key="$BOOTSTRAP_SS_API_KEY"',
                                "--superuser",
                            ].join(" "),
                        ],
                        inheritAppEnvironment: true,
                        environment: {
                            BOOTSTRAP_ADMIN_USERNAME: ctx.bootstrap.adminUsername,
                            BOOTSTRAP_ADMIN_EMAIL: ctx.bootstrap.adminEmail,
                        },
                        secrets: {
                            BOOTSTRAP_ADMIN_PASSWORD: "adminPassword",
                            BOOTSTRAP_SS_API_KEY: "storageServiceApiKey",
                        },
                    },
                ],
            };
        case "mcp-server":
            return {
                ...base,
                user: appUser,
                port: PORTS["mcp-server"],
                environment: {
                    DJANGO_SETTINGS_MODULE: facts.settingsModules["mcp-server"],
                    ...dbClient("ARCHIVEMATICA_MCPSERVER", ctx),
                    ARCHIVEMATICA_MCPSERVER_MCPSERVER_MCPARCHIVEMATICASERVER: gearman,
                    ARCHIVEMATICA_MCPSERVER_SEARCH_ENABLED: ctx.search.enabled,
                    ARCHIVEMATICA_MCPSERVER_MCPSERVER_PROMETHEUS_BIND_PORT: String(PORTS["mcp-server"]),
                    ARCHIVEMATICA_MCPSERVER_MCPSERVER_PROMETHEUS_BIND_ADDRESS: "0.0.0.0",
                    // inotify sees nothing that another host writes to NFS/EFS.
                    ARCHIVEMATICA_MCPSERVER_MCPSERVER_WATCH_DIRECTORY_METHOD: "poll",
                    ARCHIVEMATICA_MCPSERVER_MCPSERVER_CONCURRENT_PACKAGES: String(concurrency.concurrentPackages),
                    ARCHIVEMATICA_MCPSERVER_MCPSERVER_WORKER_THREADS: String(concurrency.workerThreads),
                    ARCHIVEMATICA_MCPSERVER_MCPSERVER_STORAGE_SERVICE_CLIENT_QUICK_TIMEOUT: quickTimeout,
                },
                secrets: {
                    ARCHIVEMATICA_MCPSERVER_CLIENT_PASSWORD: "dbAppPassword",
                    // Plain DJANGO_SECRET_KEY (as in the compose) is ignored: the server would use its hard-coded key.
                    ARCHIVEMATICA_MCPSERVER_MCPSERVER_DJANGO_SECRET_KEY: "pipelineDjangoSecretKey",
                },
                mounts: [shared],
                healthCheck: { command: tcpProbe(PORTS["mcp-server"]), interval: 15, timeout: 5, retries: 5, startPeriod: 60 },
                deployment: "singleton",
                stopTimeout: 120,
                transferScratch: false,
                loadBalanced: false,
                shell: "/bin/bash",
                calls: ["database", "gearmand", "storage-service"],
                initSteps: [waitForMcpDatabaseStep()],
            };
        case "mcp-client":
            return {
                ...base,
                user: appUser,
                port: PORTS["mcp-client"],
                environment: {
                    DJANGO_SETTINGS_MODULE: facts.settingsModules["mcp-client"],
                    ...dbClient("ARCHIVEMATICA_MCPCLIENT", ctx),
                    ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_MCPARCHIVEMATICASERVER: gearman,
                    ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_SEARCH_ENABLED: ctx.search.enabled,
                    ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_CAPTURE_CLIENT_SCRIPT_OUTPUT: "true",
                    ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_CLAMAV_SERVER: `${discoveryHost("clamavd", ctx.namespace)}:${PORTS.clamavd}`,
                    // clamd has no access to the shared directory: files go over the socket.
                    ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_CLAMAV_PASS_BY_STREAM: "true",
                    ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_CLAMAV_CLIENT_BACKEND: "clamdscanner",
                    ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_CLAMAV_CLIENT_MAX_FILE_SIZE: String(CLAMAV_LIMITS_MIB.maxFileSize),
                    ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_CLAMAV_CLIENT_MAX_SCAN_SIZE: String(CLAMAV_LIMITS_MIB.maxScanSize),
                    ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_CLAMAV_CLIENT_MAX_STREAM_LENGTH: String(CLAMAV_LIMITS_MIB.streamMaxLength),
                    ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_METADATA_XML_VALIDATION_ENABLED: "false",
                    ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_STORAGE_SERVICE_CLIENT_QUICK_TIMEOUT: quickTimeout,
                    ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_PROMETHEUS_BIND_PORT: String(PORTS["mcp-client"]),
                    ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_PROMETHEUS_BIND_ADDRESS: "0.0.0.0",
                    ARCHIVEMATICA_MCPCLIENT_WORKERS: String(ctx.mcpClient.workers),
                    ARCHIVEMATICA_MCPCLIENT_MAX_TASKS_PER_CHILD: String(ctx.mcpClient.maxTasksPerChild),
                },
                secrets: {
                    ARCHIVEMATICA_MCPCLIENT_CLIENT_PASSWORD: "dbAppPassword",
                    ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_DJANGO_SECRET_KEY: "pipelineDjangoSecretKey",
                    ...(ctx.search.hasUrl ? { ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_ELASTICSEARCHSERVER: "searchUrl" as const } : {}),
                },
                mounts: [shared],
                healthCheck: { command: tcpProbe(PORTS["mcp-client"]), interval: 15, timeout: 5, retries: 5, startPeriod: 60 },
                deployment: "rolling",
                // Lets running jobs finish on scale-in and deploys; the Fargate maximum.
                stopTimeout: 120,
                transferScratch: true,
                loadBalanced: false,
                shell: "/bin/bash",
                calls: ["database", "gearmand", "clamavd", "storage-service", "search"],
                initSteps: [waitForMcpDatabaseStep()],
            };
        case "gearmand":
            return {
                ...base,
                // The image's own unprivileged user (alpine system account), as the compose runs it.
                user: "gearman",
                command: ctx.queue
                    ? ["--queue-type=redis", pulumi.interpolate`--redis-server=${ctx.queue.endpoint}`, `--redis-port=${ctx.queue.port}`]
                    : ["--queue-type=builtin"],
                port: PORTS.gearmand,
                environment: {},
                secrets: {},
                mounts: [],
                // No health check: the alpine image ships no probe we can rely on; gearmand exiting is
                // the failure signal, and a wrong probe would kill the one queue holder.
                healthCheck: undefined,
                deployment: "singleton",
                stopTimeout: 30,
                transferScratch: false,
                loadBalanced: false,
                shell: "/bin/sh",
                calls: ctx.queue ? ["queue"] : [],
                initSteps: [],
            };
        case "clamavd":
            return {
                ...base,
                user: "clamav",
                entryPoint: ["/init-unprivileged"],
                port: PORTS.clamavd,
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
                deployment: "rolling",
                stopTimeout: 30,
                transferScratch: false,
                loadBalanced: false,
                shell: "/bin/bash",
                calls: [],
                initSteps: [],
            };
    }
}

/**
 * Ephemeral storage for a task that handles whole transfers: the transfer, its extracted or normalised
 * copy, and headroom, within Fargate's 21–200 GiB.
 */
export function scratchStorageGiB(maxTransferSizeGiB: number): number {
    return Math.min(200, Math.max(21, Math.ceil(maxTransferSizeGiB * 2 + 10)));
}
