/**
 * What Archivematica 1.18's docker-compose setup (artefactual-labs/archivematica docker compose, the
 * release the catalogue runs) says about each component, as our own table: the image, the names of the
 * environment variables it sets, and the user, command and entrypoint where it sets them. The catalogue
 * tests check `components/app/catalogue/` against these facts; when a new release changes them, update
 * this table from the release's compose file and let the tests show what the catalogue must follow.
 */
import type { ComponentName } from "../components/app/catalogue";

export interface ComposeFacts {
    image: string;
    /** Environment variable names the compose service sets (values differ on AWS; names must not). */
    variables: readonly string[];
    user?: string;
    command?: string;
    entryPoint?: string;
}

export const COMPOSE_1_18: Record<ComponentName, ComposeFacts> = {
    dashboard: {
        image: "artefactual/archivematica-dashboard:v1.18.0",
        variables: [
            "FORWARDED_ALLOW_IPS",
            "AM_GUNICORN_ACCESSLOG",
            "DJANGO_SETTINGS_MODULE",
            "ARCHIVEMATICA_DASHBOARD_DASHBOARD_GEARMAN_SERVER",
            "ARCHIVEMATICA_DASHBOARD_DASHBOARD_ELASTICSEARCH_SERVER",
            "ARCHIVEMATICA_DASHBOARD_DASHBOARD_PROMETHEUS_ENABLED",
            "ARCHIVEMATICA_DASHBOARD_CLIENT_USER",
            "ARCHIVEMATICA_DASHBOARD_CLIENT_PASSWORD",
            "ARCHIVEMATICA_DASHBOARD_CLIENT_HOST",
            "ARCHIVEMATICA_DASHBOARD_CLIENT_DATABASE",
            "ARCHIVEMATICA_DASHBOARD_SEARCH_ENABLED",
            "ARCHIVEMATICA_DASHBOARD_DASHBOARD_AUDIT_LOG_MIDDLEWARE",
            "ARCHIVEMATICA_DASHBOARD_DASHBOARD_SESSION_COOKIE_SECURE",
            "ARCHIVEMATICA_DASHBOARD_DASHBOARD_CSRF_COOKIE_SECURE",
        ],
    },
    "storage-service": {
        image: "artefactual/archivematica-storage-service:v0.24.0",
        variables: [
            "FORWARDED_ALLOW_IPS",
            "SS_GUNICORN_ACCESSLOG",
            "DJANGO_SETTINGS_MODULE",
            "SS_DB_URL",
            "SS_GNUPG_HOME_PATH",
            "SS_PROMETHEUS_ENABLED",
            "SS_AUDIT_LOG_MIDDLEWARE",
            "SESSION_COOKIE_SECURE",
            "CSRF_COOKIE_SECURE",
        ],
    },
    "mcp-server": {
        image: "artefactual/archivematica-mcp-server:v1.18.0",
        variables: [
            "DJANGO_SECRET_KEY",
            "DJANGO_SETTINGS_MODULE",
            "ARCHIVEMATICA_MCPSERVER_CLIENT_USER",
            "ARCHIVEMATICA_MCPSERVER_CLIENT_PASSWORD",
            "ARCHIVEMATICA_MCPSERVER_CLIENT_HOST",
            "ARCHIVEMATICA_MCPSERVER_CLIENT_DATABASE",
            "ARCHIVEMATICA_MCPSERVER_MCPSERVER_MCPARCHIVEMATICASERVER",
            "ARCHIVEMATICA_MCPSERVER_SEARCH_ENABLED",
            "ARCHIVEMATICA_MCPSERVER_MCPSERVER_PROMETHEUS_BIND_PORT",
            "ARCHIVEMATICA_MCPSERVER_MCPSERVER_PROMETHEUS_BIND_ADDRESS",
        ],
    },
    "mcp-client": {
        image: "artefactual/archivematica-mcp-client:v1.18.0",
        variables: [
            "DJANGO_SECRET_KEY",
            "DJANGO_SETTINGS_MODULE",
            "ARCHIVEMATICA_MCPCLIENT_CLIENT_USER",
            "ARCHIVEMATICA_MCPCLIENT_CLIENT_PASSWORD",
            "ARCHIVEMATICA_MCPCLIENT_CLIENT_HOST",
            "ARCHIVEMATICA_MCPCLIENT_CLIENT_DATABASE",
            "ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_ELASTICSEARCHSERVER",
            "ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_MCPARCHIVEMATICASERVER",
            "ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_SEARCH_ENABLED",
            "ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_CAPTURE_CLIENT_SCRIPT_OUTPUT",
            "ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_CLAMAV_SERVER",
            "ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_CLAMAV_CLIENT_MAX_FILE_SIZE",
            "ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_CLAMAV_CLIENT_MAX_SCAN_SIZE",
            "ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_CLAMAV_CLIENT_MAX_STREAM_LENGTH",
            "ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_CLAMAV_CLIENT_BACKEND",
            "ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_METADATA_XML_VALIDATION_ENABLED",
        ],
    },
    gearmand: { image: "artefactual/gearmand:1.1.22-alpine", variables: [], user: "gearman", command: "--queue-type=builtin" },
    clamavd: {
        image: "clamav/clamav-debian:1.5.3",
        variables: ["CLAMD_CONF_MaxFileSize", "CLAMD_CONF_MaxScanSize", "CLAMD_CONF_StreamMaxLength"],
        user: "clamav",
        entryPoint: "/init-unprivileged",
    },
};

/** The compose's one-shot migration services: the command each runs before its application starts. */
export const MIGRATE_ENTRYPOINTS_1_18 = {
    "storage-service": ["python3", "-m", "archivematica.storage_service.manage", "migrate", "--noinput"],
    dashboard: ["python3", "-m", "archivematica.dashboard.manage", "migrate", "--noinput"],
} as const;
