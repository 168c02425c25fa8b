/**
 * The project's configuration keys: one table that the program, `Pulumi.yaml`, the README and the
 * tests all read. Each key is a flat Pulumi config key in the `archivematica-infra` namespace, so that
 * `pulumi config set <key> <value>` works without `--path`, and so `Pulumi.yaml` can declare each one
 * with a type, a description and a default (project-level config only knows string, integer, boolean
 * and array).
 */

/** The Pulumi project name; also the config namespace. */
export const PROJECT = "archivematica-infra";

/** How a raw config string is parsed before validation. */
export type KeyType = "string" | "integer" | "boolean" | "array";

/** One declared configuration key. */
export interface KeySpec {
    /** The key, without the `archivematica-infra:` namespace. */
    key: string;
    type: KeyType;
    /** One sentence for `Pulumi.yaml` and the README. */
    description: string;
    /** Used when the stack file does not set the key. Keys without a default are required. */
    default?: string | number | boolean | string[];
    /** The value must be set with `pulumi config set --secret`. */
    secret?: boolean;
    /** Allowed values for an enumerated string key. */
    values?: readonly string[];
    /** Inclusive bounds for an integer key. */
    min?: number;
    max?: number;
    /** A regular expression a string key (or each array item) must match, with a human description. */
    pattern?: { regex: RegExp; valid: string };
    /** An explicit list of allowed integers (e.g. CloudWatch retention periods). */
    oneOf?: readonly number[];
}

/** Retention periods CloudWatch Logs accepts (days). */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Archivematica releases this program knows how to run. */
export const ARCHIVEMATICA_VERSIONS = ["1.18", "1.17"] as const;

const CIDR = {
    regex: /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/,
    valid: "an IPv4 CIDR such as 10.40.0.0/16",
};
const HOSTNAME = {
    regex: /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    valid: "a lower-case DNS name such as archivematica.example.org",
};
const TAG_VALUE = {
    regex: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u,
    valid: "1-256 letters, digits, spaces or _.:/=+-@",
};

/**
 * Every key the program reads. Order is the order of `Pulumi.yaml` and the README table.
 */
export const CONFIG_KEYS: readonly KeySpec[] = [
    // --- identity and tags
    {
        key: "environment",
        type: "string",
        description: "Environment name, used in the Environment tag and resource names (e.g. staging, production).",
        pattern: {
            regex: /^[a-z](-?[a-z0-9]){1,19}$/,
            valid: "2-20 lower-case letters, digits or single hyphens, starting with a letter and not ending with a hyphen",
        },
    },
    { key: "owner", type: "string", description: "Team or person answerable for the stack; the Owner tag.", pattern: TAG_VALUE },
    { key: "costCentre", type: "string", description: "Cost centre the spend is charged to; the CostCentre tag.", pattern: TAG_VALUE },
    {
        key: "archivematicaVersion",
        type: "string",
        description: "Archivematica release to run; selects images, settings modules and search support.",
        default: "1.18",
        values: ARCHIVEMATICA_VERSIONS,
    },
    {
        key: "sizeProfile",
        type: "string",
        description: "Default task sizes from the service catalogue: small (staging) or large (production).",
        default: "small",
        values: ["small", "large"],
    },
    {
        key: "logRetentionDays",
        type: "integer",
        description: "Retention of every CloudWatch log group the stack creates (days).",
        default: 30,
        oneOf: LOG_RETENTION_DAYS,
    },
    {
        key: "protectData",
        type: "boolean",
        description: "Protect stateful resources (EFS, RDS, OpenSearch) from `pulumi destroy` with the `protect` option.",
        default: false,
    },

    // --- network
    {
        key: "vpcId",
        type: "string",
        description: "Use this existing VPC instead of creating one (then set publicSubnetIds and privateSubnetIds).",
        default: "",
        pattern: { regex: /^(vpc-[0-9a-f]{8,17})?$/, valid: "empty, or a VPC id such as vpc-0a1b2c3d4e5f67890" },
    },
    {
        key: "publicSubnetIds",
        type: "array",
        description: "Public subnets of the existing VPC (for the load balancer).",
        default: [],
        pattern: { regex: /^subnet-[0-9a-f]{8,17}$/, valid: "subnet ids such as subnet-0a1b2c3d4e5f67890" },
    },
    {
        key: "privateSubnetIds",
        type: "array",
        description: "Private subnets of the existing VPC (for tasks, EFS and data stores).",
        default: [],
        pattern: { regex: /^subnet-[0-9a-f]{8,17}$/, valid: "subnet ids such as subnet-0a1b2c3d4e5f67890" },
    },
    { key: "vpcCidr", type: "string", description: "CIDR block of the VPC the stack creates.", default: "10.40.0.0/16", pattern: CIDR },
    {
        key: "availabilityZones",
        type: "integer",
        description: "Number of availability zones to spread subnets across.",
        default: 2,
        min: 2,
        max: 3,
    },
    {
        key: "natGateways",
        type: "string",
        description: "NAT strategy for private subnets: one shared gateway, or one per availability zone.",
        default: "single",
        values: ["single", "perAz"],
    },

    // --- ECS
    {
        key: "containerInsights",
        type: "string",
        description: "CloudWatch Container Insights level for the ECS cluster.",
        default: "enabled",
        values: ["enabled", "enhanced"],
    },
    {
        key: "capacityProvider",
        type: "string",
        description: "Fargate capacity for the services: on-demand, or Spot (cheaper, interruptible).",
        default: "FARGATE",
        values: ["FARGATE", "FARGATE_SPOT"],
    },

    // --- database
    {
        key: "dbEngineVersion",
        type: "string",
        description:
            "RDS MySQL engine version: a major version (8.0, 8.4) gets automatic minor upgrades; a full version pins it and turns them off.",
        default: "8.0",
        pattern: { regex: /^8\.(0(\.(3[2-9]|4[0-9]))?|4(\.[1-9][0-9]?)?)$/, valid: "8.0 or 8.4, or a pinned 8.0.32 to 8.0.49 or 8.4.x" },
    },
    { key: "dbInstanceClass", type: "string", description: "RDS instance class.", default: "db.t4g.small" },
    {
        key: "dbAllocatedStorageGiB",
        type: "integer",
        description: "Initial gp3 storage of the database (GiB).",
        default: 20,
        min: 20,
        max: 65536,
    },
    {
        key: "dbMaxAllocatedStorageGiB",
        type: "integer",
        description: "Storage autoscaling limit of the database (GiB).",
        default: 100,
        min: 20,
        max: 65536,
    },
    { key: "dbBackupRetentionDays", type: "integer", description: "Days of automated database backups.", default: 1, min: 1, max: 35 },
    { key: "dbMultiAz", type: "boolean", description: "Run the database Multi-AZ.", default: false },
    { key: "dbDeletionProtection", type: "boolean", description: "Turn on RDS deletion protection.", default: false },
    { key: "dbFinalSnapshot", type: "boolean", description: "Take a final snapshot when the database is deleted.", default: false },
    {
        key: "dbMaxAllowedPacketMiB",
        type: "integer",
        description: "MySQL max_allowed_packet (MiB); large transfers need at least 256.",
        default: 256,
        min: 256,
        max: 1024,
    },

    // --- search
    {
        key: "searchMode",
        type: "string",
        description: "Search tier: none, an external Elasticsearch URL, or an OpenSearch domain (Archivematica 1.17 and older).",
        default: "disabled",
        values: ["disabled", "external", "opensearch"],
    },
    {
        key: "searchUrl",
        type: "string",
        description: "Elasticsearch URL with credentials (https://user:pass@host:9200) when searchMode is external.",
        default: "",
        secret: true,
    },
    {
        key: "searchIndexes",
        type: "string",
        description: "Which indexes Archivematica writes when search is on.",
        default: "both",
        values: ["aips", "transfers", "both"],
    },
    {
        key: "openSearchInstanceType",
        type: "string",
        description: "OpenSearch data node instance type.",
        default: "t3.small.search",
        pattern: {
            regex: /^[a-z][a-z0-9]*\.(medium|small|large|[0-9]*xlarge)\.search$/,
            valid: "an OpenSearch instance type such as m6g.large.search",
        },
    },
    { key: "openSearchInstanceCount", type: "integer", description: "OpenSearch data nodes.", default: 1, min: 1, max: 10 },
    {
        key: "openSearchDedicatedMasters",
        type: "boolean",
        description: "Add three dedicated master nodes to the OpenSearch domain.",
        default: false,
    },
    {
        key: "openSearchVolumeSizeGiB",
        type: "integer",
        description: "EBS volume per OpenSearch data node (GiB).",
        default: 20,
        min: 10,
        max: 1024,
    },

    // --- queue
    {
        key: "queueBackend",
        type: "string",
        description: "Gearman job queue persistence: in memory, or ElastiCache Redis.",
        default: "builtin",
        values: ["builtin", "redis"],
    },
    {
        key: "redisNodeType",
        type: "string",
        description: "ElastiCache node type when queueBackend is redis.",
        default: "cache.t4g.micro",
        pattern: { regex: /^cache\.[a-z0-9]+\.[a-z0-9]+$/, valid: "an ElastiCache node type such as cache.t4g.small" },
    },
    { key: "redisMultiAz", type: "boolean", description: "Run a Redis replica in another AZ with automatic failover.", default: false },
    { key: "redisSnapshotRetentionDays", type: "integer", description: "Days of Redis snapshots.", default: 1, min: 1, max: 35 },

    // --- ingress
    { key: "dashboardHostname", type: "string", description: "Public host name of the Archivematica dashboard.", pattern: HOSTNAME },
    { key: "storageServiceHostname", type: "string", description: "Public host name of the Storage Service.", pattern: HOSTNAME },
    {
        key: "certificateArn",
        type: "string",
        description: "ACM certificate covering both host names.",
        pattern: {
            regex: /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/,
            valid: "an ACM certificate ARN such as arn:aws:acm:eu-west-2:123456789012:certificate/<uuid>",
        },
    },
    { key: "allowedCidrs", type: "array", description: "Client networks allowed to reach the load balancer.", pattern: CIDR },
    { key: "albDeletionProtection", type: "boolean", description: "Turn on load balancer deletion protection.", default: false },
    {
        key: "albAccessLogs",
        type: "boolean",
        description: "Write load balancer access logs to an encrypted, private S3 bucket.",
        default: false,
    },

    // --- bootstrap
    {
        key: "adminUsername",
        type: "string",
        description: "Name of the dashboard and Storage Service administrator created at bootstrap.",
        default: "admin",
        pattern: { regex: /^[A-Za-z0-9@.+_-]{1,150}$/, valid: "1-150 letters, digits or @.+-_" },
    },
    {
        key: "adminEmail",
        type: "string",
        description: "E-mail of the administrator created at bootstrap.",
        pattern: { regex: /^[^@\s]+@[^@\s]+\.[^@\s]+$/, valid: "an e-mail address" },
    },
    {
        key: "organisationName",
        type: "string",
        description: "Organisation name given to the dashboard installer.",
        pattern: { regex: /^.{1,255}$/, valid: "1-255 characters" },
    },
    {
        key: "organisationId",
        type: "string",
        description: "Short organisation identifier given to the dashboard installer.",
        pattern: { regex: /^[A-Za-z0-9_-]{1,64}$/, valid: "1-64 letters, digits, _ or -" },
    },
    {
        key: "timeZone",
        type: "string",
        description: "Time zone of the Storage Service.",
        default: "UTC",
        pattern: { regex: /^[A-Za-z_]+(\/[A-Za-z_+-]+)*$/, valid: "an IANA time zone such as Europe/London" },
    },

    // --- services
    {
        key: "maxTransferSizeGiB",
        type: "integer",
        description: "Largest transfer you expect; sizes task ephemeral storage of the Storage Service and MCP clients.",
        default: 20,
        min: 1,
        max: 180,
    },
    { key: "mcpClientDesiredCount", type: "integer", description: "MCP client tasks at deploy time.", default: 1, min: 1, max: 50 },
    {
        key: "mcpClientMinCount",
        type: "integer",
        description: "Fewest MCP client tasks autoscaling may leave.",
        default: 1,
        min: 1,
        max: 50,
    },
    { key: "mcpClientMaxCount", type: "integer", description: "Most MCP client tasks autoscaling may start.", default: 2, min: 1, max: 50 },
    {
        key: "mcpClientCpuTarget",
        type: "integer",
        description: "Average CPU (%) that MCP client autoscaling keeps.",
        default: 70,
        min: 10,
        max: 95,
    },
    {
        key: "mcpClientWorkers",
        type: "integer",
        description: "Worker processes per MCP client task (ARCHIVEMATICA_MCPCLIENT_WORKERS).",
        default: 2,
        min: 1,
        max: 16,
    },
    {
        key: "mcpClientMaxTasksPerChild",
        type: "integer",
        description: "Jobs a worker runs before it is replaced (ARCHIVEMATICA_MCPCLIENT_MAX_TASKS_PER_CHILD).",
        default: 10,
        min: 1,
        max: 1000,
    },
    {
        key: "dashboardImage",
        type: "string",
        description: "Override the dashboard image (default: the catalogue's image for archivematicaVersion).",
        default: "",
    },
    { key: "storageServiceImage", type: "string", description: "Override the Storage Service image.", default: "" },
    { key: "mcpServerImage", type: "string", description: "Override the MCP server image.", default: "" },
    { key: "mcpClientImage", type: "string", description: "Override the MCP client image.", default: "" },
];
