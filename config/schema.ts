/**
 * The project's configuration keys, each declared once: its zod schema carries the type, the default,
 * the constraint and (through the `KEY_DOCS` registry) the description, the valid values and whether it
 * is a secret. The program's typed config (`StackValues`), `Pulumi.yaml`'s `config:` block and the
 * README table are all derived from this one object.
 *
 * Why zod (4): the schema is plain TypeScript values, so `z.output` infers the typed config with no
 * twin interface or casts; a registry attaches typed metadata (description, secrecy) to each schema;
 * one parse reports every failing key at once; and it is a single dependency with none of its own.
 * TypeBox would give JSON Schema first, but its inference and error messages need more glue here.
 *
 * Each key is a flat Pulumi config key in the `archivematica-infra` namespace, so that
 * `pulumi config set <key> <value>` works without `--path`, and so `Pulumi.yaml` can declare each one
 * with a type, a description and a default (project-level config only knows string, integer, boolean
 * and array).
 *
 * The builders each key is declared with, the `KEY_DOCS` registry and the shared constraints are in
 * config/key-builders.ts.
 */
import { z } from "zod";
import { SCHEDULE_FORMAT, scheduleProblem as processingScheduleProblem } from "../lib/processing-schedule";
import { DEFAULT_LOG_RETENTION_DAYS, LOG_RETENTION_DAYS } from "../lib/cloudwatch-logs";
import { isMysqlInstanceClass, MYSQL_INSTANCE_CLASS_HINT } from "../lib/instance-classes";
import { AIP_STORAGE_CLASSES } from "../lib/s3-lifecycle";
import { ACM_CERTIFICATE_RESOURCE } from "../lib/arns";
import { registryPrefixProblem } from "../lib/image-reference";
import { reservedOverlap } from "../lib/vpc-cidrs";
import { DEFAULT_INGEST_TIMING, MONITOR_RATE, smokeSpacingMinutes } from "../lib/ingest-timing";
import {
    arn,
    CANONICAL_CIDR,
    email,
    flag,
    HOSTNAME,
    httpsUrl,
    image,
    IMAGE_SCHEMAS,
    integer,
    integerIn,
    IPV4_CIDR,
    isTimeZone,
    KEY_DOCS,
    list,
    NOT_A_CLIENT_NETWORK,
    NOT_BLANK,
    oneOf,
    roleClaim,
    schedule,
    show,
    SUBNET_ID,
    TAG_VALUE,
    text,
    type KeyDoc,
} from "./key-builders";

/** Step adjustments per step scaling policy (Application Auto Scaling quotas): one per MCP client count. */
const MAX_STEP_ADJUSTMENTS = 20;

/** The Pulumi project name; also the config namespace. */
export const PROJECT = "archivematica-infra";

/**
 * Which archival stores AWS Backup copies besides EFS and RDS (README, "Backups of the archival
 * stores"): none, the DIP store (which has no replica), or both stores.
 */
export const BACKUP_ARCHIVAL_STORES = ["none", "dip", "aip-and-dip"] as const;

/** Archivematica releases this program knows how to run. */
export const ARCHIVEMATICA_VERSIONS = ["1.18", "1.17"] as const;

/** How staff sign in (config/sign-in.ts). */
export const SIGN_IN_MODES = ["local", "oidc", "cognito"] as const;

/** AWS Backup runs a rule at most hourly (AWS Backup Developer Guide, backup plan frequency: hourly is the shortest). */
export const BACKUP_MINIMUM_MINUTES = 60;

// ------------------------------------------------------------------------------------------------
// The keys. Order is the order of `Pulumi.yaml` and the README table.
// ------------------------------------------------------------------------------------------------

export const KEYS = {
    // --- identity and tags
    // The pattern alone would take 39 characters ("a-b-c-…"): the length is checked first.
    environment: text({
        description: "Environment name, used in the Environment tag and resource names (e.g. staging, production).",
        maxLength: 20,
        pattern: /^[a-z](-?[a-z0-9]){1,19}$/,
        valid: "2-20 lower-case letters, digits or single hyphens, starting with a letter and not ending with a hyphen",
    }),
    owner: text({
        description: "Team or person answerable for the stack; the Owner tag.",
        pattern: TAG_VALUE,
        checks: [NOT_BLANK],
        valid: "1-256 letters, digits, spaces or _.:/=+-@, not only spaces",
    }),
    costCentre: text({
        description: "Cost centre the spend is charged to; the CostCentre tag.",
        pattern: TAG_VALUE,
        checks: [NOT_BLANK],
        valid: "1-256 letters, digits, spaces or _.:/=+-@, not only spaces",
    }),
    archivematicaVersion: oneOf(
        ARCHIVEMATICA_VERSIONS,
        "Archivematica release to run; selects images, settings modules and search support.",
    ).default("1.18"),
    sizeProfile: oneOf(["small", "large"], "Default task sizes from the service catalogue: small (staging) or large (production).").default(
        "small",
    ),
    logRetentionDays: integerIn(LOG_RETENTION_DAYS, "Retention of every CloudWatch log group the stack creates (days).").default(
        DEFAULT_LOG_RETENTION_DAYS,
    ),
    protectData: flag("Protect stateful resources (EFS, RDS, OpenSearch) from `pulumi destroy` with the `protect` option.").default(false),

    // --- network
    vpcId: text({
        description: "Use this existing VPC instead of creating one (then set publicSubnetIds and privateSubnetIds).",
        pattern: /^(vpc-[0-9a-f]{8,17})?$/,
        valid: "empty, or a VPC id such as vpc-0a1b2c3d4e5f67890",
    }).default(""),
    publicSubnetIds: list({
        description: "Public subnets of the existing VPC (for the load balancer).",
        item: SUBNET_ID,
        itemValid: "subnet ids such as subnet-0a1b2c3d4e5f67890",
    }).default([]),
    privateSubnetIds: list({
        description: "Private subnets of the existing VPC (for tasks, EFS and data stores).",
        item: SUBNET_ID,
        itemValid: "subnet ids such as subnet-0a1b2c3d4e5f67890",
    }).default([]),
    vpcCidr: text({
        description: "CIDR block of the VPC the stack creates.",
        pattern: IPV4_CIDR,
        checks: [
            CANONICAL_CIDR,
            {
                ok: (v) => !IPV4_CIDR.test(v) || reservedOverlap(v) === undefined,
                problem: (v) => `${show(v)} overlaps ${reservedOverlap(v)?.cidr}, ${reservedOverlap(v)?.why}`,
            },
        ],
        valid: "an IPv4 CIDR from /16 to /24, private (RFC 1918) or publicly routable, such as 10.40.0.0/16",
    }).default("10.40.0.0/16"),
    availabilityZones: integer({ description: "Number of availability zones to spread subnets across.", min: 2, max: 3 }).default(2),
    natGateways: oneOf(["single", "perAz"], "NAT strategy for private subnets: one shared gateway, or one per availability zone.").default(
        "single",
    ),

    // --- ECS
    containerInsights: oneOf(["enabled", "enhanced"], "CloudWatch Container Insights level for the ECS cluster.").default("enabled"),
    capacityProvider: oneOf(
        ["FARGATE", "FARGATE_SPOT"],
        "Fargate capacity for the services: on-demand, or Spot (cheaper, interruptible).",
    ).default("FARGATE"),

    // --- database
    dbEngineVersion: text({
        description:
            "RDS MySQL engine version: a major version (8.0, 8.4) gets automatic minor upgrades; a full version pins it and turns them off, which is refused while the stack's policy config enforces aws-rds-instance-require-minor-version-upgrade.",
        pattern: /^8\.(0(\.(3[2-9]|4[0-9]))?|4(\.[1-9][0-9]?)?)$/,
        valid: "8.0 or 8.4, or a pinned 8.0.32 to 8.0.49 or 8.4.x",
    }).default("8.4"),
    dbInstanceClass: text({
        description: "RDS instance class.",
        checks: [{ ok: isMysqlInstanceClass, problem: (v) => `${show(v)} is not an RDS for MySQL instance class` }],
        valid: MYSQL_INSTANCE_CLASS_HINT,
    }).default("db.t4g.small"),
    dbAllocatedStorageGiB: integer({ description: "Initial gp3 storage of the database (GiB).", min: 20, max: 65536 }).default(20),
    dbMaxAllocatedStorageGiB: integer({
        description: "Storage autoscaling limit of the database (GiB); at least 10 % above dbAllocatedStorageGiB.",
        min: 22,
        max: 65536,
    }).default(100),
    dbBackupRetentionDays: integer({ description: "Days of automated database backups.", min: 1, max: 35 }).default(1),
    dbMultiAz: flag("Run the database Multi-AZ.").default(false),
    dbDeletionProtection: flag("Turn on RDS deletion protection.").default(false),
    dbFinalSnapshot: flag("Take a final snapshot when the database is deleted.").default(false),
    dbApplyImmediately: flag(
        "Apply database changes (class, storage, Multi-AZ, engine version) during pulumi up instead of in the next maintenance window; an engine family change (8.0 to 8.4) needs it.",
    ).default(true),
    dbMaxAllowedPacketMiB: integer({
        description: "MySQL max_allowed_packet (MiB); large transfers need at least 256.",
        min: 256,
        max: 1024,
    }).default(256),

    // --- search
    searchMode: oneOf(
        ["disabled", "external", "opensearch"],
        "Search tier: none, an external Elasticsearch URL, or an OpenSearch domain (Archivematica 1.17 and older).",
    ).default("disabled"),
    searchUrl: text({
        description: "Elasticsearch URL with credentials (https://user:pass@host:9200) when searchMode is external.",
        valid: "a secret https://user:password@host:9200 URL",
        secret: true,
    }).default(""),
    searchIndexes: oneOf(["aips", "transfers", "both"], "Which indexes Archivematica writes when search is on.").default("both"),
    openSearchInstanceType: text({
        description: "OpenSearch data node instance type.",
        pattern: /^[a-z][a-z0-9]*\.(medium|small|large|[0-9]*xlarge)\.search$/,
        valid: "an OpenSearch instance type such as m6g.large.search",
    }).default("t3.small.search"),
    openSearchInstanceCount: integer({ description: "OpenSearch data nodes.", min: 1, max: 10 }).default(1),
    openSearchDedicatedMasters: flag("Add three dedicated master nodes to the OpenSearch domain.").default(false),
    openSearchVolumeSizeGiB: integer({ description: "EBS volume per OpenSearch data node (GiB).", min: 10, max: 1024 }).default(20),

    // --- queue
    queueBackend: oneOf(["builtin", "redis"], "Gearman job queue persistence: in memory, or ElastiCache Redis.").default("builtin"),
    redisNodeType: text({
        description: "ElastiCache node type when queueBackend is redis.",
        pattern: /^cache\.[a-z0-9]+\.[a-z0-9]+$/,
        valid: "an ElastiCache node type such as cache.t4g.small",
    }).default("cache.t4g.micro"),
    redisMultiAz: flag("Run a Redis replica in another AZ with automatic failover.").default(false),
    redisSnapshotRetentionDays: integer({ description: "Days of Redis snapshots.", min: 1, max: 35 }).default(1),

    // --- ingress
    dashboardHostname: text({
        description: "Public host name of the Archivematica dashboard.",
        pattern: HOSTNAME,
        valid: "a lower-case DNS name such as archivematica.example.org",
    }),
    storageServiceHostname: text({
        description: "Public host name of the Storage Service.",
        pattern: HOSTNAME,
        valid: "a lower-case DNS name such as archivematica.example.org",
    }),
    hostedZoneId: text({
        description:
            "Route 53 public hosted zone holding both host names: the stack then creates and validates the ACM certificate and the alias records.",
        pattern: /^(Z[A-Z0-9]{1,31})?$/,
        valid: "empty, or a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ",
    }).default(""),
    // ALB listeners take ACM certificates of their own Region and account (ACM certificates cannot be shared across accounts).
    certificateArn: arn({
        description: "ACM certificate covering both host names, in the stack's region; required without hostedZoneId.",
        service: "acm",
        noun: "an ACM certificate",
        resource: ACM_CERTIFICATE_RESOURCE,
        resourceValid: "an ACM certificate (certificate/<lower-case UUID>)",
        example: "arn:aws:acm:eu-west-2:123456789012:certificate/6f1c9a52-3b7e-4d0a-9c21-8e4f5b2d7a10",
        sameRegion: true,
        sameAccount: true,
    }).default(""),
    allowedCidrs: list({
        description: "Client networks allowed to reach the load balancer.",
        item: IPV4_CIDR,
        itemValid: "IPv4 CIDRs such as 203.0.113.0/24, with no host bits set",
        itemChecks: [CANONICAL_CIDR, NOT_A_CLIENT_NETWORK],
        nonEmpty: true,
    }),
    albDeletionProtection: flag("Turn on load balancer deletion protection.").default(false),
    albAccessLogs: flag("Write load balancer access logs to an encrypted, private S3 bucket.").default(false),

    // --- sign-in (config/sign-in.ts builds it; components/platform/identity.ts, alb-authentication.ts use it)
    signInMode: oneOf(
        SIGN_IN_MODES,
        "How staff sign in to the dashboard and Storage Service: local passwords, an external OpenID Connect provider, or a Cognito user pool the stack creates.",
    ).default("local"),
    signInIssuer: httpsUrl(
        "OIDC issuer identifier of the external provider (signInMode oidc); the load balancer's authenticate-oidc action checks it.",
    ),
    signInClientId: text({
        description: "Client (application) id registered with the external provider (signInMode oidc).",
        pattern: /^([\x21-\x7e]{1,255})?$/,
        valid: "empty, or 1-255 printable characters without spaces",
    }).default(""),
    signInClientSecretArn: text({
        description:
            "Secrets Manager secret (in the stack's region) whose plain-text value is the provider's client secret (signInMode oidc); it reaches the apps only through ECS secrets.",
        pattern: /^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+)?$/,
        valid: "empty, or a secret ARN such as arn:aws:secretsmanager:eu-west-2:123456789012:secret:archivematica/oidc-client-AbCdEf",
    }).default(""),
    signInAuthorizationEndpoint: httpsUrl("The provider's authorization endpoint (signInMode oidc; from its discovery document)."),
    signInTokenEndpoint: httpsUrl("The provider's token endpoint (signInMode oidc; from its discovery document)."),
    signInUserInfoEndpoint: httpsUrl("The provider's user-info endpoint (signInMode oidc; from its discovery document)."),
    signInJwksEndpoint: httpsUrl("The provider's JWKS (signing keys) endpoint (signInMode oidc; from its discovery document)."),
    signInLogoutEndpoint: httpsUrl(
        "The provider's end-session endpoint (signInMode oidc, optional): signing out of Archivematica then signs out of the provider too.",
    ),
    signInScopes: list({
        description: "Scopes the load balancer asks the provider for (the apps ask for openid email, mozilla-django-oidc's default).",
        item: /^[\x21\x23-\x5b\x5d-\x7e]{1,128}$/,
        itemValid: "OAuth scope names such as openid, email, profile",
    }).default(["openid", "email", "profile"]),
    signInRolesFromClaims: flag(
        "Set each user's Archivematica role from a claim of the provider's access token at every sign-in; otherwise new users are ordinary users and admins assign roles.",
    ).default(false),
    signInRoleClaimPath: text({
        description:
            "Dot-separated path of the role claim in the access token, e.g. realm_access.roles (Keycloak) or roles (Entra ID app roles); cognito uses cognito:groups.",
        pattern: /^([^.\s]{1,128}(\.[^.\s]{1,128}){0,7})?$/,
        valid: "empty, or 1-8 dot-separated claim names without spaces",
    }).default(""),
    signInAdminClaim: roleClaim("Role claim value that makes a user an administrator of the dashboard and the Storage Service.").default(
        "admin",
    ),
    signInUserClaim: roleClaim("Role claim value that makes a user an ordinary dashboard user.").default("default"),
    signInManagerClaim: roleClaim("Role claim value for the Storage Service's manager role.").default("manager"),
    signInReviewerClaim: roleClaim("Role claim value for the Storage Service's reviewer role.").default("reviewer"),
    signInReaderClaim: roleClaim("Role claim value for the Storage Service's reader role.").default("reader"),
    signInLocalLogin: flag(
        "Keep password sign-in beside single sign-on (signInMode oidc or cognito) for the break-glass administrator; off, only the provider signs staff in.",
    ).default(false),
    signInAlbAuthentication: flag(
        "The load balancer authenticates browsers with the same provider before they reach either app (not /api/, where API keys apply); signInMode oidc or cognito.",
    ).default(true),
    signInSessionTimeoutSeconds: integer({
        description: "How long the load balancer's sign-in session lasts before it sends the browser to the provider again (seconds).",
        min: 900,
        max: 604800,
    }).default(28800),
    signInCognitoDomain: text({
        description:
            "Prefix of the Cognito hosted sign-in domain, <prefix>.auth.<region>.amazoncognito.com (signInMode cognito); unique in the region.",
        pattern: /^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)?$/,
        checks: [
            {
                ok: (v) => !/aws|amazon|cognito/.test(v),
                problem: (v) => `${show(v)} contains aws, amazon or cognito, which Cognito reserves`,
            },
        ],
        valid: "empty, or 1-63 lower-case letters, digits or inner hyphens, without aws, amazon or cognito",
    }).default(""),

    // --- web application firewall (components/platform/waf.ts)
    wafMode: oneOf(
        ["off", "count", "block"],
        "AWS WAF on the load balancer: off, count (rules only count matches; for tuning) or block.",
    ).default("block"),
    wafRateLimit: integer({
        description: "Requests one client address may send in 5 minutes before WAF refuses it (the rate-based rule).",
        min: 100,
        max: 10000000,
    }).default(5000),
    wafLargeBodyPaths: list({
        description:
            "Path prefixes whose requests may carry bodies over 8 KB (uploads, API calls, processing configurations); elsewhere the core rule set's SizeRestrictions_BODY applies.",
        item: /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]{0,255}$/,
        itemValid: "URL path prefixes starting with /, such as /api/",
    }).default(["/api/", "/administration/", "/fpr/", "/filesystem/"]),

    // --- bootstrap
    adminUsername: text({
        description: "Name of the dashboard and Storage Service administrator created at bootstrap.",
        pattern: /^[A-Za-z0-9@.+_-]{1,150}$/,
        valid: "1-150 letters, digits or @.+-_",
    }).default("admin"),
    adminEmail: email({
        description: "E-mail of the administrator created at bootstrap.",
        optional: false,
        example: "archivist@example.org",
    }),
    organisationName: text({
        description: "Organisation name given to the dashboard installer.",
        checks: [NOT_BLANK],
        maxLength: 255,
        valid: "1-255 characters, not only spaces, no control characters",
    }),
    organisationId: text({
        description: "Short organisation identifier given to the dashboard installer.",
        pattern: /^[A-Za-z0-9_-]{1,64}$/,
        valid: "1-64 letters, digits, _ or -",
    }),
    timeZone: text({
        description: "Time zone of the Storage Service.",
        checks: [{ ok: isTimeZone, problem: (v) => `${show(v)} is not a time zone this runtime knows` }],
        valid: "an IANA time zone such as Europe/London, UTC or Etc/GMT+5",
    }).default("UTC"),

    // --- services
    maxTransferSizeGiB: integer({
        description: "Largest transfer you expect; sizes task ephemeral storage of the Storage Service and MCP clients.",
        min: 1,
        max: 180,
    }).default(20),
    mcpClientDesiredCount: integer({
        description: "MCP client tasks when the service is created (queue scaling decides afterwards).",
        min: 0,
        max: MAX_STEP_ADJUSTMENTS,
    }).default(0),
    mcpClientMinCount: integer({
        description: "Fewest MCP client tasks queue scaling leaves (0: none while nothing is queued or in flight).",
        min: 0,
        max: MAX_STEP_ADJUSTMENTS,
    }).default(0),
    mcpClientMaxCount: integer({
        description: "Most MCP client tasks queue scaling starts (one step scaling adjustment each: at most 20).",
        min: 1,
        max: MAX_STEP_ADJUSTMENTS,
    }).default(5),
    processingSchedule: text({
        description:
            "Processing hours in timeZone: MCP clients only run within them (scheduled scaling to 0 outside); empty: always. A job running at the end of the hours is stopped and run again at the next start.",
        checks: [{ ok: (v) => v === "" || processingScheduleProblem(v) === undefined, problem: (v) => processingScheduleProblem(v) ?? "" }],
        valid: `empty, or ${SCHEDULE_FORMAT}`,
    }).default(""),
    mcpClientWorkers: integer({
        description: "Worker processes per MCP client task (ARCHIVEMATICA_MCPCLIENT_WORKERS).",
        min: 1,
        max: 16,
    }).default(2),
    mcpClientMaxTasksPerChild: integer({
        description: "Jobs a worker runs before it is replaced (ARCHIVEMATICA_MCPCLIENT_MAX_TASKS_PER_CHILD).",
        min: 1,
        max: 1000,
    }).default(10),
    dashboardImage: image("Override the dashboard image (default: the catalogue's image for archivematicaVersion).").default(""),
    storageServiceImage: image("Override the Storage Service image.").default(""),
    mcpServerImage: image("Override the MCP server image.").default(""),
    mcpClientImage: image("Override the MCP client image.").default(""),

    // --- archival storage (S3): the transfer source, AIP and DIP buckets (components/data/archival-storage.ts)
    aipStorageClass: oneOf(
        AIP_STORAGE_CLASSES,
        "Storage class AIPs move to after aipTransitionDays; only classes the Storage Service reads without a restore.",
    ).default("INTELLIGENT_TIERING"),
    aipTransitionDays: integer({
        description: "Days before an AIP moves to aipStorageClass (STANDARD_IA needs at least 30).",
        min: 0,
        max: 3650,
    }).default(30),
    noncurrentVersionDays: integer({
        description: "Days an overwritten or deleted object version is kept in every archival bucket.",
        min: 1,
        max: 3650,
    }).default(90),
    aipObjectLockMode: oneOf(
        ["none", "GOVERNANCE", "COMPLIANCE"],
        "Object Lock (WORM) retention mode of the AIP store; switching it on replaces the bucket.",
    ).default("none"),
    aipObjectLockDays: integer({
        description: "Days each AIP version is locked when aipObjectLockMode is set.",
        min: 1,
        max: 36500,
    }).default(365),
    aipReplicaRegion: text({
        description: "Replicate the AIP store to a bucket in this region (empty: no replica).",
        pattern: /^([a-z]{2,4}(-[a-z]+)+-\d)?$/,
        valid: "empty, or an AWS region of aws:region's partition other than aws:region, such as eu-west-1",
        format: { kind: "region", otherThanStack: true },
    }).default(""),
    // --- operations: alarms and backups
    alarmEmail: email({
        description:
            "Address subscribed by e-mail to the stack's alarm topic (SNS sends a confirmation link first); empty: no subscription, subscribe a person or chat integration by hand.",
        optional: true,
        example: "digital-preservation@example.org",
    }).default(""),
    backupSchedule: schedule({
        description:
            "When AWS Backup copies EFS, RDS and the archival stores backupArchivalStores names into the stack's vault: a cron expression in UTC.",
        cronOnly: true,
        minimumMinutes: BACKUP_MINIMUM_MINUTES,
        example: "cron(0 3 * * ? *)",
    }).default("cron(0 3 * * ? *)"),
    backupRetentionDays: integer({
        description: "Days AWS Backup keeps each recovery point in the stack's vault.",
        min: 1,
        max: 36500,
    }).default(35),
    stallAlarmMinutes: integer({
        description:
            "Minutes of waiting work (gearman jobs, queued packages) without a completed task before the stall alarm; above your longest job (storing a large AIP).",
        min: 5,
        max: 1440,
    }).default(15),
    mcpClientJobErrorPercent: integer({
        description: "Share (%) of MCP client jobs failing within 15 minutes (of at least 10) that alarms.",
        min: 1,
        max: 100,
    }).default(25),
    backupVaultLock: flag(
        "Lock the backup vault (governance mode): no recovery point can be deleted before backupRetentionDays; needs protectData.",
    ).default(false),
    backupArchivalStores: oneOf(
        BACKUP_ARCHIVAL_STORES,
        "Archival stores AWS Backup also copies into the vault: none, dip (the DIP store, which has no replica), or aip-and-dip (a third copy of every AIP, billed per object and version).",
    ).default("dip"),
    // --- image registry and smoke test
    // ECR's pull-through cache reads the credentials secret from its own account and Region.
    dockerHubCredentialsSecretArn: arn({
        description:
            "Secrets Manager secret (named ecr-pullthroughcache/…, in the stack's region) with Docker Hub credentials: images are pulled through an ECR pull-through cache.",
        service: "secretsmanager",
        noun: "a secret named ecr-pullthroughcache/…",
        resource: /^secret:ecr-pullthroughcache\/[A-Za-z0-9/_+=.@-]+$/,
        resourceValid: "a secret named ecr-pullthroughcache/…",
        example: "arn:aws:secretsmanager:eu-west-2:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf",
        sameRegion: true,
        sameAccount: true,
    }).default(""),
    imageRegistry: text({
        description:
            "Registry prefix to pull every Docker Hub image from instead (your own mirror); not with dockerHubCredentialsSecretArn.",
        checks: [
            {
                ok: (v) => v === "" || registryPrefixProblem(v) === undefined,
                problem: (v) => `${show(v)} ${registryPrefixProblem(v) ?? ""}`,
            },
        ],
        valid: "empty, or a registry host (port 1-65535) with an optional path such as 123456789012.dkr.ecr.eu-west-2.amazonaws.com/docker-hub or registry.example.org/mirror",
    }).default(""),
    smokeTestSchedule: schedule({
        // The spacing depends on two other keys (lib/ingest-timing.ts smokeSpacingMinutes): config/rules.ts checks it.
        description: `When EventBridge Scheduler runs the smoke transfer (UTC); runs must be at least one run's budget apart, which follows ingestStartGraceMinutes and ingestMonitorSchedule (${smokeSpacingMinutes(DEFAULT_INGEST_TIMING)} minutes with their defaults).`,
        cronOnly: false,
        apart: `at least one smoke run's budget apart (${smokeSpacingMinutes(DEFAULT_INGEST_TIMING)} minutes with the default ingestStartGraceMinutes and ingestMonitorSchedule)`,
        example: "rate(1 day)",
    }).default("rate(1 day)"),

    // --- hands-off ingest and fixity
    ingestMonitorSchedule: text({
        description: "How often the ingest monitor follows started transfers to their end (EventBridge Scheduler rate).",
        pattern: MONITOR_RATE,
        valid: "rate(1 minute) or rate(<n> minutes) with n from 2 to 60",
    }).default(`rate(${DEFAULT_INGEST_TIMING.monitorMinutes} minutes)`),
    ingestStartGraceMinutes: integer({
        description:
            "Minutes a started transfer may stay without a job before it counts as never started (plus one minute per started GiB of the package, for the copy from S3).",
        min: 5,
        max: 1440,
    }).default(DEFAULT_INGEST_TIMING.startGraceMinutes),
    ingestUnfinishedAlarmHours: integer({
        description: "Hours a transfer may stay unfinished (transfer and ingest) before its alarm fires.",
        min: 1,
        max: 720,
    }).default(24),
    fixityWindowDays: integer({ description: "Every stored AIP's fixity is checked once in this many days.", min: 1, max: 3650 }).default(
        90,
    ),
    fixitySchedule: text({
        description: "How often the fixity task runs (each run checks its share of the AIPs); a rate in hours or days, in UTC.",
        pattern: /^rate\((1 (hour|day)|[1-9][0-9]* (hours|days))\)$/,
        valid: "rate(<n> hour[s]) or rate(<n> day[s]), at most fixityWindowDays",
    }).default("rate(1 day)"),
    fixityMaxRunHours: integer({
        description: "Longest a fixity run may check before it leaves the rest to the next run (shorter than fixitySchedule's interval).",
        min: 1,
        max: 168,
    }).default(6),
};

/** Every key of the stack, as one zod object: unknown keys are refused by the reader, not stripped. */
export const STACK_SCHEMA = z.object(KEYS);

/** The validated, typed values of every key (defaults applied): inferred, never written by hand. */
export type StackValues = z.output<typeof STACK_SCHEMA>;
export type StackKey = keyof typeof KEYS;
export const STACK_KEYS = Object.keys(KEYS).filter((k): k is StackKey => k in KEYS);

/** One key as the docs generator and the error lines see it. */
export interface KeySpec extends KeyDoc {
    key: StackKey;
    /** Absent for a required key. */
    default?: string | number | boolean | string[];
}

/** The registered docs of a key schema (`.default()` wraps the registered schema). */
function specOf(key: StackKey): KeySpec {
    const schema: z.ZodType = KEYS[key];
    const inner = schema instanceof z.ZodDefault ? schema.unwrap() : schema;
    const doc = KEY_DOCS.get(inner);
    if (!doc) throw new Error(`config/schema.ts: key ${key} has no docs`);
    const spec: KeySpec = { key, ...doc };
    if (schema instanceof z.ZodDefault) {
        const value: unknown = schema.def.defaultValue;
        if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") spec.default = value;
        else if (Array.isArray(value)) spec.default = value.map(String);
    }
    return spec;
}

/** Every key with its docs and default, in declaration order. */
export const CONFIG_KEYS: readonly KeySpec[] = STACK_KEYS.map(specOf);

/** The keys that override a component's image, each named after it (test/catalogue/meta.test.ts: every one names a component). */
export const IMAGE_OVERRIDE_KEYS: readonly StackKey[] = STACK_KEYS.filter((k) => {
    const schema: z.ZodType = KEYS[k];
    return IMAGE_SCHEMAS.has(schema instanceof z.ZodDefault ? schema.unwrap() : schema);
});
