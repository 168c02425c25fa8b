/**
 * The dashboard: the web UI and API of the pipeline, behind the load balancer. Its bootstrap creates
 * the databases, migrates the MCP database (which the MCP server and clients wait for), waits for the
 * Storage Service and runs `install`, which registers the pipeline there.
 */
import {
    BOOTSTRAP_WAITS,
    configureStorageStep,
    createDatabasesStep,
    initStep,
    migrateStep,
    minutesOf,
    rotateCredentialsStep,
    shellCommand,
    steadyStateMinutes,
    waitEnv,
} from "./bootstrap";
import { PORT as GEARMAND_PORT } from "./gearmand";
import {
    ALLOWED_HOSTS,
    appUser,
    dashboardSiteUrl,
    dbClient,
    discoveryHost,
    SHARED_MOUNT,
    STORAGE_SERVICE_QUICK_TIMEOUT_SECONDS,
    tcpProbe,
} from "./shared";
import { PORT as STORAGE_SERVICE_PORT } from "./storage-service";
import { dashboardSignIn, withSignIn } from "./sign-in";
import type { AppContainer, CatalogueEntry, ComponentContext, ComponentImages, ComponentService, ComponentSizes } from "./types";
import { CONCURRENCY, VERSIONS } from "./versions";
import { GUNICORN_PORT } from "../../../lib/ports";

/** gunicorn's port. */
export const PORT = GUNICORN_PORT;

/** The image per Archivematica release (upstream's compose file for the release). */
const IMAGES: ComponentImages = {
    "1.18": "artefactual/archivematica-dashboard:v1.18.0",
    "1.17": "artefactual/archivematica-dashboard:v1.17.0",
};

/** Default task size per size profile (a valid Fargate pair). */
const SIZES: ComponentSizes = { small: { cpu: 1024, memory: 2048 }, large: { cpu: 2048, memory: 4096 } };

function resolve(ctx: ComponentContext): ComponentService {
    const facts = VERSIONS[ctx.version];
    const ssUrl = `http://${discoveryHost("storage-service", ctx.namespace)}:${STORAGE_SERVICE_PORT}`;
    const siteUrl = dashboardSiteUrl(ctx.namespace);
    /** What every call of the Storage Service API needs, with bounded waits. */
    const ssApi = {
        BOOTSTRAP_SS_URL: ssUrl,
        BOOTSTRAP_ADMIN_USERNAME: ctx.bootstrap.adminUsername,
        ...waitEnv(BOOTSTRAP_WAITS.storageService),
    };
    const container: AppContainer = {
        image: ctx.image,
        user: appUser(ctx),
        port: PORT,
        environment: {
            // Only the ALB and internal callers reach gunicorn (security groups), so trusting
            // their X-Forwarded-* headers is safe and needed for HTTPS detection.
            FORWARDED_ALLOW_IPS: "*",
            AM_GUNICORN_ACCESSLOG: "/dev/null",
            AM_GUNICORN_BIND: `0.0.0.0:${PORT}`,
            AM_GUNICORN_WORKERS: String(CONCURRENCY[ctx.sizeProfile].gunicornWorkers),
            DJANGO_SETTINGS_MODULE: facts.settingsModules.dashboard,
            ARCHIVEMATICA_DASHBOARD_DASHBOARD_GEARMAN_SERVER: `${discoveryHost("gearmand", ctx.namespace)}:${GEARMAND_PORT}`,
            ...dbClient("ARCHIVEMATICA_DASHBOARD", ctx),
            ARCHIVEMATICA_DASHBOARD_SEARCH_ENABLED: ctx.search.enabled,
            ARCHIVEMATICA_DASHBOARD_DASHBOARD_AUDIT_LOG_MIDDLEWARE: "true",
            // Browsers only ever reach the dashboard over HTTPS (the ALB redirects HTTP).
            ARCHIVEMATICA_DASHBOARD_DASHBOARD_SESSION_COOKIE_SECURE: "true",
            ARCHIVEMATICA_DASHBOARD_DASHBOARD_CSRF_COOKIE_SECURE: "true",
            ARCHIVEMATICA_DASHBOARD_DASHBOARD_DJANGO_ALLOWED_HOSTS: ALLOWED_HOSTS,
            ARCHIVEMATICA_DASHBOARD_DASHBOARD_CSRF_TRUSTED_ORIGINS: `https://${ctx.hostnames.dashboard}`,
            ARCHIVEMATICA_DASHBOARD_DASHBOARD_STORAGE_SERVICE_CLIENT_QUICK_TIMEOUT: String(STORAGE_SERVICE_QUICK_TIMEOUT_SECONDS),
            ARCHIVEMATICA_DASHBOARD_DASHBOARD_TIME_ZONE: ctx.timeZone,
        },
        secrets: {
            ARCHIVEMATICA_DASHBOARD_CLIENT_PASSWORD: "dbAppPassword",
            ARCHIVEMATICA_DASHBOARD_DASHBOARD_DJANGO_SECRET_KEY: "pipelineDjangoSecretKey",
            ...(ctx.search.hasUrl ? { ARCHIVEMATICA_DASHBOARD_DASHBOARD_ELASTICSEARCH_SERVER: "searchUrl" as const } : {}),
        },
        mounts: [SHARED_MOUNT],
        healthCheck: { command: tcpProbe(PORT), interval: 15, timeout: 5, retries: 5, startPeriod: 60 },
        stopTimeout: 60,
    };
    return {
        // The app signs staff in with the provider when the stack has one (components/sign-in.ts).
        container: withSignIn(container, dashboardSignIn(ctx.signIn?.dashboard)),
        initContainers: [
            createDatabasesStep(ctx, container),
            migrateStep(container, facts.dashboardManage),
            // Subsumes a plain wait for the API: every probe is an authenticated GET of the location
            // list, and a refused key (create_user not run yet) or no answer is retried like a missing
            // default location (configure_storage.py `wait`). Gating install on the defaults means the
            // pipeline is registered with the transfer source and AIP store in place (issue 11 item 4).
            configureStorageStep(container, { name: "wait-for-storage-defaults", mode: "wait-for-defaults", environment: ssApi }),
            // Re-runnable: install keeps an existing dashboard UUID, upserts the admin and its API
            // key, and registers the pipeline in the Storage Service only once.
            initStep(container, {
                name: "install",
                entryPoint: ["sh", "-c"],
                command: [
                    shellCommand(facts.dashboardManage, "install", [
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
                    ]),
                ],
                inheritAppEnvironment: true,
                environment: {
                    BOOTSTRAP_ADMIN_USERNAME: ctx.bootstrap.adminUsername,
                    BOOTSTRAP_ADMIN_EMAIL: ctx.bootstrap.adminEmail,
                    BOOTSTRAP_ORG_NAME: ctx.bootstrap.organisationName,
                    BOOTSTRAP_ORG_ID: ctx.bootstrap.organisationId,
                    BOOTSTRAP_SS_URL: ssUrl,
                    BOOTSTRAP_SITE_URL: siteUrl,
                },
                secrets: {
                    BOOTSTRAP_ADMIN_PASSWORD: "adminPassword",
                    BOOTSTRAP_DASHBOARD_API_KEY: "dashboardApiKey",
                    BOOTSTRAP_SS_API_KEY: "storageServiceApiKey",
                },
            }),
            // install never changes an existing admin's password; this step converges it and the API
            // key to the secrets. BOOTSTRAP_API_ALLOWLIST is left unset, so the allowlist stays what
            // install set: empty, i.e. every address. The dashboard compares REMOTE_ADDR with the
            // allowlist's exact IPs (components/api/views.py allowed_by_allowlist, archivematica
            // b1e75911), and the Storage Service and the smoke test call from Fargate tasks whose
            // addresses change with each task (and browsers' API calls arrive from the ALB's), so any
            // list would lock them out. The API key guards the API; security groups who reaches it.
            rotateCredentialsStep(container, {
                mode: "dashboard",
                environment: { BOOTSTRAP_ADMIN_USERNAME: ctx.bootstrap.adminUsername },
                secrets: { BOOTSTRAP_ADMIN_PASSWORD: "adminPassword", BOOTSTRAP_DASHBOARD_API_KEY: "dashboardApiKey" },
            }),
            // S3 transfer source, AIP store and DIP store as the pipeline's defaults; idempotent.
            // Only one task runs it at a time: the dashboard's deploy starts one new task
            // (desiredCount 1, no autoscaling) and the old one has already run its bootstrap.
            configureStorageStep(container, {
                name: "configure-storage",
                mode: "configure",
                environment: {
                    ...ssApi,
                    BOOTSTRAP_SITE_URL: siteUrl,
                    BOOTSTRAP_S3_REGION: ctx.archivalStorage.region,
                    BOOTSTRAP_TRANSFER_BUCKET: ctx.archivalStorage.transferSourceBucket,
                    BOOTSTRAP_AIP_BUCKET: ctx.archivalStorage.aipStoreBucket,
                    BOOTSTRAP_DIP_BUCKET: ctx.archivalStorage.dipStoreBucket,
                    // One transfer source per ingest prefix (bootstrap/configure_storage.py).
                    ...(ctx.ingestConfigs?.length ? { BOOTSTRAP_INGEST_CONFIGS: ctx.ingestConfigs.join(",") } : {}),
                },
            }),
        ],
        ...SIZES[ctx.sizeProfile],
        deployment: "rolling",
        loadBalancer: {
            targetGroupArn: ctx.targetGroups.dashboard,
            // Gunicorn's start, not the bootstrap: a task is RUNNING (and registered with the target
            // group, and its grace period begins) only once every container has started, i.e. after the
            // init containers exited 0 (amazon-ecs-agent agent/api/task/task.go, updateTaskKnownStatus:
            // "task known status is the minimum of container known status"). The container health
            // check's startPeriod (60 s) plus the target group's healthyThreshold × interval (2 × 30 s).
            healthCheckGracePeriodSeconds: 120,
        },
        calls: ["database", "gearmand", "storage-service", "search"],
        shell: "/bin/bash",
    };
}

export const dashboard: CatalogueEntry = {
    name: "dashboard",
    description: "The web UI and REST API of the pipeline; migrates the MCP database and registers the pipeline.",
    images: IMAGES,
    sizes: SIZES,
    // Image pull 10 (the first pull through the cache imports the ~1 GB image from Docker Hub);
    // create-databases waiting for RDS, database.attempts × intervalSeconds = 30 × 10 s = 5; migrate
    // 15 (a fresh MCP database: every migration and the workflow data); wait-for-storage-service,
    // storageService.attempts × intervalSeconds = 90 × 10 s = 15; install 2; the health-check grace
    // period 2. 49, plus a quarter: 65.
    steadyStateMinutes: steadyStateMinutes([10, minutesOf(BOOTSTRAP_WAITS.database), 15, minutesOf(BOOTSTRAP_WAITS.storageService), 2, 2]),
    resolve,
};
