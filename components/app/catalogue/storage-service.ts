/**
 * The Storage Service: stores AIPs and serves the locations, behind the load balancer. Its bootstrap
 * creates the databases, migrates its own database and upserts the admin user with its API key.
 */
import {
    BOOTSTRAP_WAITS,
    createDatabasesStep,
    initStep,
    migrateStep,
    minutesOf,
    rotateCredentialsStep,
    shellCommand,
    steadyStateMinutes,
} from "./bootstrap";
import { ALLOWED_HOSTS, appUser, dashboardSiteUrl, scratchStorageGiB, SHARED_MOUNT } from "./shared";
import type { AppContainer, CatalogueEntry, ComponentContext, ComponentImages, ComponentService, ComponentSizes } from "./types";
import { CONCURRENCY, VERSIONS } from "./versions";
import { GUNICORN_PORT } from "../../../lib/ports";

/** gunicorn's port. */
export const PORT = GUNICORN_PORT;

/** The image per Archivematica release (upstream's compose file for the release). */
const IMAGES: ComponentImages = {
    "1.18": "artefactual/archivematica-storage-service:v0.24.0",
    "1.17": "artefactual/archivematica-storage-service:v0.23.0",
};

/** Default task size per size profile (a valid Fargate pair). Compresses and checksums AIPs: CPU-bound while storing. */
const SIZES: ComponentSizes = { small: { cpu: 1024, memory: 2048 }, large: { cpu: 2048, memory: 8192 } };

function resolve(ctx: ComponentContext): ComponentService {
    const facts = VERSIONS[ctx.version];
    const container: AppContainer = {
        image: ctx.image,
        user: appUser(ctx),
        port: PORT,
        environment: {
            FORWARDED_ALLOW_IPS: "*",
            SS_GUNICORN_ACCESSLOG: "/dev/null",
            SS_GUNICORN_BIND: `0.0.0.0:${PORT}`,
            SS_GUNICORN_WORKERS: String(CONCURRENCY[ctx.sizeProfile].gunicornWorkers),
            DJANGO_SETTINGS_MODULE: facts.settingsModules["storage-service"],
            SS_GNUPG_HOME_PATH: "/var/archivematica/storage_service/.gnupg",
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
            SHARED_MOUNT,
            { volume: "storageServiceStaging", containerPath: "/var/archivematica/storage_service", readOnly: false },
            // Kept beside the S3 transfer source (the default the dashboard's bootstrap sets): every
            // worker start creates "Default transfer source" at /home (common/startup.py
            // populate_default_locations, archivematica-storage-service f91baa8f) and install registers
            // it with the pipeline, so it stays listed in the dashboard's Transfer tab. Without this
            // mount it would browse the image's own /home, task-local and lost on each restart; with
            // it, it is an empty, shared directory that costs nothing until used.
            { volume: "transferSource", containerPath: "/home", readOnly: false },
        ],
        // Slow while it compresses AIPs: long timeout and many retries before ECS gives up.
        healthCheck: {
            command: ["CMD-SHELL", `curl --fail --silent --output /dev/null http://localhost:${PORT}/ || exit 1`],
            interval: 30,
            timeout: 30,
            retries: 5,
            startPeriod: 120,
        },
        stopTimeout: 60,
    };
    return {
        container,
        initContainers: [
            createDatabasesStep(ctx, container),
            migrateStep(container, facts.storageServiceManage),
            // create_user is an upsert: it resets the password and API key to the secrets.
            initStep(container, {
                name: "create-user",
                entryPoint: ["sh", "-c"],
                command: [
                    shellCommand(facts.storageServiceManage, "create_user", [
                        '--username="$BOOTSTRAP_ADMIN_USERNAME"',
                        '--password="$BOOTSTRAP_ADMIN_PASSWORD"',
                        '--email="$BOOTSTRAP_ADMIN_EMAIL"',
                        '--api-key="$BOOTSTRAP_SS_API_KEY"',
                        "--superuser",
                    ]),
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
            }),
            // install registers the pipeline with the dashboard API key only once; this step gives an
            // already registered pipeline the current key (nothing to do on a fresh stack).
            rotateCredentialsStep(container, {
                mode: "storage-service",
                environment: { BOOTSTRAP_SITE_URL: dashboardSiteUrl(ctx.namespace), BOOTSTRAP_ADMIN_USERNAME: ctx.bootstrap.adminUsername },
                secrets: { BOOTSTRAP_DASHBOARD_API_KEY: "dashboardApiKey" },
            }),
        ],
        // The S3 locations the dashboard's bootstrap creates: exactly these statements, on the buckets.
        taskRoleStatements: ctx.archivalStorage.storageServiceStatements,
        ...SIZES[ctx.sizeProfile],
        ephemeralStorageGiB: scratchStorageGiB(ctx.maxTransferSizeGiB),
        deployment: "rolling",
        loadBalancer: {
            targetGroupArn: ctx.targetGroups.storageService,
            // Gunicorn's start, not the bootstrap (the grace period begins once the init containers are
            // done; see the dashboard): the health check's startPeriod (120 s) plus the target group's
            // healthyThreshold × interval (2 × 60 s).
            healthCheckGracePeriodSeconds: 240,
        },
        // Calls back the pipeline (reingest, approvals) at the dashboard's site URL.
        calls: ["database", "dashboard"],
        shell: "/bin/bash",
    };
}

export const storageService: CatalogueEntry = {
    name: "storage-service",
    description: "Stores and serves AIPs and transfer sources; the pipeline registers with it.",
    images: IMAGES,
    sizes: SIZES,
    // Image pull 10; create-databases waiting for RDS, 30 × 10 s = 5; migrate 10; create_user 2; the
    // health-check grace period 4. 31, plus a quarter: 40.
    steadyStateMinutes: steadyStateMinutes([10, minutesOf(BOOTSTRAP_WAITS.database), 10, 2, 4]),
    resolve,
};
