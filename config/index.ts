/**
 * Turns the stack's raw configuration into one typed, validated object before any resource is
 * registered. Errors are one line each: `<namespace:key>: <what is wrong>; valid: <valid values>`.
 */
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_KEYS, KeySpec, PROJECT } from "./schema";
import { isMysqlInstanceClass, MYSQL_INSTANCE_CLASS_HINT } from "./instance-classes";

export { PROJECT, CONFIG_KEYS } from "./schema";

/**
 * A configuration error. It extends `pulumi.RunError` so that the real CLI prints only the message,
 * without a stack trace, and the offline plan prints it as its one-line error.
 */
export class ConfigError extends pulumi.RunError {
    constructor(message: string) {
        super(message);
        this.name = "ConfigError";
    }
}

export type ArchivematicaVersion = "1.18" | "1.17";
export type SizeProfile = "small" | "large";

/** Network: create a VPC, or use an existing one. */
export type NetworkConfig =
    | { mode: "create"; cidr: string; azCount: number; natGateways: "single" | "perAz" }
    | { mode: "existing"; vpcId: string; publicSubnetIds: string[]; privateSubnetIds: string[] };

export interface DatabaseConfig {
    engineVersion: string;
    instanceClass: string;
    allocatedStorageGiB: number;
    maxAllocatedStorageGiB: number;
    backupRetentionDays: number;
    multiAz: boolean;
    deletionProtection: boolean;
    finalSnapshot: boolean;
    maxAllowedPacketMiB: number;
}

export type SearchConfig =
    | { mode: "disabled" }
    | { mode: "external"; url: pulumi.Output<string>; indexes: "aips" | "transfers" | "both" }
    | {
          mode: "opensearch";
          indexes: "aips" | "transfers" | "both";
          instanceType: string;
          instanceCount: number;
          dedicatedMasters: boolean;
          volumeSizeGiB: number;
      };

export type QueueConfig = { backend: "builtin" } | { backend: "redis"; nodeType: string; multiAz: boolean; snapshotRetentionDays: number };

export interface IngressConfig {
    dashboardHostname: string;
    storageServiceHostname: string;
    certificateArn: string;
    allowedCidrs: string[];
    deletionProtection: boolean;
    accessLogs: boolean;
}

export interface BootstrapConfig {
    adminUsername: string;
    adminEmail: string;
    organisationName: string;
    organisationId: string;
    timeZone: string;
}

export interface ServicesConfig {
    sizeProfile: SizeProfile;
    capacityProvider: "FARGATE" | "FARGATE_SPOT";
    maxTransferSizeGiB: number;
    mcpClient: {
        desiredCount: number;
        minCount: number;
        maxCount: number;
        cpuTarget: number;
        workers: number;
        maxTasksPerChild: number;
    };
    /** Image overrides by catalogue component name; absent means the catalogue default. */
    images: Partial<Record<"dashboard" | "storage-service" | "mcp-server" | "mcp-client", string>>;
}

/** The whole program's configuration. */
export interface AppConfig {
    project: string;
    stack: string;
    region: string;
    environment: string;
    archivematicaVersion: ArchivematicaVersion;
    logRetentionDays: number;
    protectData: boolean;
    containerInsights: "enabled" | "enhanced";
    /** Required tags, set explicitly on every taggable resource. */
    tags: Record<string, string>;
    network: NetworkConfig;
    database: DatabaseConfig;
    search: SearchConfig;
    queue: QueueConfig;
    ingress: IngressConfig;
    bootstrap: BootstrapConfig;
    services: ServicesConfig;
}

type Value = string | number | boolean | string[];

const ns = (key: string) => `${PROJECT}:${key}`;

function describeValid(spec: KeySpec): string {
    if (spec.values) return spec.values.join(", ");
    if (spec.oneOf) return spec.oneOf.join(", ");
    if (spec.type === "integer") return `${spec.min ?? "any"} to ${spec.max ?? "any"}`;
    if (spec.type === "boolean") return "true, false";
    if (spec.pattern) return spec.type === "array" ? `a list of ${spec.pattern.valid}` : spec.pattern.valid;
    return spec.type === "array" ? "a list of strings" : "any string";
}

function fail(key: string, problem: string, valid: string): never {
    throw new ConfigError(`${key}: ${problem}; valid: ${valid}`);
}

function show(raw: string): string {
    return JSON.stringify(raw.length > 60 ? `${raw.slice(0, 57)}...` : raw);
}

/** Parses and checks one raw value against its declaration. */
function parseValue(spec: KeySpec, raw: string, secret: boolean): Value {
    const key = ns(spec.key);
    const valid = describeValid(spec);
    // A secret is never echoed back in an error.
    const shown = secret ? "the secret value" : show(raw);
    switch (spec.type) {
        case "integer": {
            if (!/^-?\d+$/.test(raw.trim())) fail(key, `${shown} is not an integer`, valid);
            const n = Number(raw);
            if (spec.oneOf && !spec.oneOf.includes(n)) fail(key, `${n} is not allowed`, valid);
            if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
                fail(key, `${n} is out of range`, valid);
            }
            return n;
        }
        case "boolean":
            if (raw !== "true" && raw !== "false") fail(key, `${shown} is not a boolean`, valid);
            return raw === "true";
        case "array": {
            let list: unknown;
            try {
                list = JSON.parse(raw);
            } catch {
                list = undefined;
            }
            if (!Array.isArray(list) || !list.every((x) => typeof x === "string")) {
                fail(key, `${shown} is not a list of strings`, valid);
            }
            const items = list as string[];
            for (const item of items) {
                if (spec.pattern && !spec.pattern.regex.test(item)) fail(key, `item ${show(item)} is not valid`, valid);
            }
            if (new Set(items).size !== items.length) fail(key, "has duplicate items", valid);
            return items;
        }
        case "string":
            if (spec.values && !spec.values.includes(raw)) fail(key, `${shown} is not allowed`, valid);
            if (spec.pattern && !spec.pattern.regex.test(raw)) fail(key, `${shown} is not valid`, valid);
            return raw;
    }
}

function levenshtein(a: string, b: string): number {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        let prev = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const cur = row[j];
            row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
            prev = cur;
        }
    }
    return row[b.length];
}

function suggest(key: string): string {
    let best = "";
    let bestDistance = Infinity;
    for (const spec of CONFIG_KEYS) {
        const d = levenshtein(key.toLowerCase(), spec.key.toLowerCase());
        if (d < bestDistance) [best, bestDistance] = [spec.key, d];
    }
    return bestDistance <= 3 ? ` (did you mean ${best}?)` : "";
}

/** Inputs to {@link parseConfig}: the raw config map as the Pulumi runtime holds it. */
export interface RawConfig {
    project: string;
    stack: string;
    /** Fully qualified keys (`archivematica-infra:owner`, `aws:region`) to raw string values. */
    values: Record<string, string>;
    /** Fully qualified keys whose values are secrets. */
    secretKeys: string[];
}

/**
 * Validates a raw config map and builds the typed configuration. Pure: no Pulumi runtime needed,
 * so the tests can drive it with tables of bad input.
 *
 * @throws ConfigError with a one-line message for the first problem found.
 */
export function parseConfig(raw: RawConfig): AppConfig {
    const secretKeys = new Set(raw.secretKeys);
    const prefix = `${PROJECT}:`;
    const known = new Set(CONFIG_KEYS.map((s) => s.key));
    const projectKeys = Object.keys(raw.values)
        .filter((k) => k.startsWith(prefix))
        .sort();
    for (const full of projectKeys) {
        const key = full.slice(prefix.length);
        if (!known.has(key)) {
            fail(full, `unknown key${suggest(key)}`, CONFIG_KEYS.map((s) => s.key).join(", "));
        }
    }

    const v: Record<string, Value> = {};
    for (const spec of CONFIG_KEYS) {
        const full = ns(spec.key);
        const rawValue = raw.values[full];
        if (rawValue === undefined) {
            if (spec.default === undefined) fail(full, "required key is not set", describeValid(spec));
            v[spec.key] = spec.default;
            continue;
        }
        const isSecret = secretKeys.has(full);
        if (spec.secret && !isSecret && rawValue !== "") {
            fail(full, "must be stored encrypted", `a secret set with: pulumi config set --secret ${spec.key} <value>`);
        }
        v[spec.key] = parseValue(spec, rawValue, isSecret);
    }

    const region = raw.values["aws:region"];
    if (!region) fail("aws:region", "required key is not set", "an AWS region such as eu-west-2");
    if (!/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(region)) fail("aws:region", `${show(region)} is not valid`, "an AWS region such as eu-west-2");

    return build(raw, region, v);
}

const str = (v: Record<string, Value>, k: string) => v[k] as string;
const num = (v: Record<string, Value>, k: string) => v[k] as number;
const bool = (v: Record<string, Value>, k: string) => v[k] as boolean;
const list = (v: Record<string, Value>, k: string) => v[k] as string[];

function buildNetwork(v: Record<string, Value>): NetworkConfig {
    const vpcId = str(v, "vpcId");
    const publicSubnetIds = list(v, "publicSubnetIds");
    const privateSubnetIds = list(v, "privateSubnetIds");
    if (!vpcId) {
        if (publicSubnetIds.length || privateSubnetIds.length) {
            fail(ns("publicSubnetIds"), "subnet ids are only used with an existing VPC", `an empty list, or set ${ns("vpcId")}`);
        }
        const prefix = Number(str(v, "vpcCidr").split("/")[1]);
        if (prefix < 16 || prefix > 24) {
            fail(ns("vpcCidr"), `/${prefix} cannot hold the subnets (16 blocks of /${prefix + 4})`, "a CIDR from /16 to /24");
        }
        return {
            mode: "create",
            cidr: str(v, "vpcCidr"),
            azCount: num(v, "availabilityZones"),
            natGateways: str(v, "natGateways") as "single" | "perAz",
        };
    }
    for (const [key, ids] of [
        ["publicSubnetIds", publicSubnetIds],
        ["privateSubnetIds", privateSubnetIds],
    ] as const) {
        if (ids.length < 2)
            fail(ns(key), `${ids.length} subnet(s) given with vpcId`, "at least 2 subnet ids in different availability zones");
    }
    return { mode: "existing", vpcId, publicSubnetIds, privateSubnetIds };
}

function buildDatabase(v: Record<string, Value>, azCount: number): DatabaseConfig {
    const instanceClass = str(v, "dbInstanceClass");
    if (!isMysqlInstanceClass(instanceClass)) {
        fail(ns("dbInstanceClass"), `${show(instanceClass)} is not an RDS for MySQL instance class`, MYSQL_INSTANCE_CLASS_HINT);
    }
    if (num(v, "dbMaxAllocatedStorageGiB") < num(v, "dbAllocatedStorageGiB")) {
        fail(
            ns("dbMaxAllocatedStorageGiB"),
            `${num(v, "dbMaxAllocatedStorageGiB")} is below dbAllocatedStorageGiB (${num(v, "dbAllocatedStorageGiB")})`,
            `${num(v, "dbAllocatedStorageGiB")} to 65536`,
        );
    }
    if (bool(v, "dbMultiAz") && azCount < 2) {
        fail(
            ns("dbMultiAz"),
            `Multi-AZ needs at least 2 availability zones, the network has ${azCount}`,
            "false, or at least 2 availability zones",
        );
    }
    const backupDays = num(v, "dbBackupRetentionDays");
    if (bool(v, "protectData") && backupDays < MIN_PROTECTED_BACKUP_DAYS) {
        fail(
            ns("dbBackupRetentionDays"),
            `${backupDays} is too short for a stack whose data is protected (protectData is true)`,
            `${MIN_PROTECTED_BACKUP_DAYS} to 35`,
        );
    }
    return {
        engineVersion: str(v, "dbEngineVersion"),
        instanceClass,
        allocatedStorageGiB: num(v, "dbAllocatedStorageGiB"),
        maxAllocatedStorageGiB: num(v, "dbMaxAllocatedStorageGiB"),
        backupRetentionDays: num(v, "dbBackupRetentionDays"),
        multiAz: bool(v, "dbMultiAz"),
        deletionProtection: bool(v, "dbDeletionProtection"),
        finalSnapshot: bool(v, "dbFinalSnapshot"),
        maxAllowedPacketMiB: num(v, "dbMaxAllowedPacketMiB"),
    };
}

const SEARCH_URL = /^https?:\/\/[^:@/\s]+:[^@/\s]+@[A-Za-z0-9.-]+(:\d{1,5})?\/?$/;

/** Days of database backups a stack with `protectData` must keep at least. */
export const MIN_PROTECTED_BACKUP_DAYS = 7;

/**
 * Availability zones an OpenSearch domain spreads `instanceCount` data nodes over: 1 (no zone
 * awareness) for a single node; 3 when the network has 3 zones and the count divides by 3; else 2
 * when the count is even. `undefined` when the nodes cannot be spread evenly.
 */
export function openSearchZoneCount(instanceCount: number, azCount: number): 1 | 2 | 3 | undefined {
    if (instanceCount === 1) return 1;
    if (azCount >= 3 && instanceCount % 3 === 0) return 3;
    if (instanceCount % 2 === 0) return 2;
    return undefined;
}

function buildSearch(v: Record<string, Value>, version: ArchivematicaVersion, searchUrl: string, azCount: number): SearchConfig {
    const mode = str(v, "searchMode");
    const indexes = str(v, "searchIndexes") as "aips" | "transfers" | "both";
    if (mode !== "external" && searchUrl) {
        fail(ns("searchUrl"), `is set but searchMode is ${mode}`, "unset, or searchMode external");
    }
    if (mode === "disabled") return { mode };
    if (mode === "external") {
        if (!searchUrl) fail(ns("searchUrl"), "required when searchMode is external", "a secret https://user:password@host:9200 URL");
        if (!SEARCH_URL.test(searchUrl))
            fail(ns("searchUrl"), "the secret value is not a URL with credentials", "https://user:password@host:9200");
        return { mode, indexes, url: pulumi.secret(searchUrl) };
    }
    if (version === "1.18") {
        fail(
            ns("searchMode"),
            "opensearch is not possible with Archivematica 1.18, which needs Elasticsearch 8 and Amazon OpenSearch Service offers Elasticsearch only up to 7.10",
            "disabled, or external with an Elasticsearch 8 URL (e.g. Elastic Cloud); opensearch needs archivematicaVersion 1.17",
        );
    }
    const instanceType = str(v, "openSearchInstanceType");
    if (/^t2\./.test(instanceType)) {
        fail(
            ns("openSearchInstanceType"),
            `${show(instanceType)} supports neither encryption at rest nor fine-grained access control`,
            "a current instance type such as t3.medium.search or m6g.large.search",
        );
    }
    const instanceCount = num(v, "openSearchInstanceCount");
    if (openSearchZoneCount(instanceCount, azCount) === undefined) {
        fail(
            ns("openSearchInstanceCount"),
            `${instanceCount} data nodes cannot be spread evenly over the network's ${azCount} availability zones`,
            azCount >= 3 ? "1, an even number, or a multiple of 3" : "1 or an even number (or a multiple of 3 with availabilityZones 3)",
        );
    }
    if (bool(v, "openSearchDedicatedMasters") && instanceCount < 2) {
        fail(
            ns("openSearchDedicatedMasters"),
            "three dedicated masters for a single data node add cost and no resilience",
            "false, or openSearchInstanceCount 2 or more",
        );
    }
    return {
        mode: "opensearch",
        indexes,
        instanceType,
        instanceCount,
        dedicatedMasters: bool(v, "openSearchDedicatedMasters"),
        volumeSizeGiB: num(v, "openSearchVolumeSizeGiB"),
    };
}

function buildQueue(v: Record<string, Value>, azCount: number): QueueConfig {
    if (str(v, "queueBackend") === "builtin") return { backend: "builtin" };
    if (bool(v, "redisMultiAz") && azCount < 2) {
        fail(
            ns("redisMultiAz"),
            `Multi-AZ needs at least 2 availability zones, the network has ${azCount}`,
            "false, or at least 2 availability zones",
        );
    }
    return {
        backend: "redis",
        nodeType: str(v, "redisNodeType"),
        multiAz: bool(v, "redisMultiAz"),
        snapshotRetentionDays: num(v, "redisSnapshotRetentionDays"),
    };
}

function buildServices(v: Record<string, Value>): ServicesConfig {
    const [min, desired, max] = [num(v, "mcpClientMinCount"), num(v, "mcpClientDesiredCount"), num(v, "mcpClientMaxCount")];
    if (min > max) fail(ns("mcpClientMinCount"), `${min} is above mcpClientMaxCount (${max})`, `1 to ${max}`);
    if (desired < min || desired > max)
        fail(ns("mcpClientDesiredCount"), `${desired} is outside mcpClientMinCount..mcpClientMaxCount`, `${min} to ${max}`);
    const images: ServicesConfig["images"] = {};
    const overrides = [
        ["dashboardImage", "dashboard"],
        ["storageServiceImage", "storage-service"],
        ["mcpServerImage", "mcp-server"],
        ["mcpClientImage", "mcp-client"],
    ] as const;
    for (const [key, component] of overrides) {
        const image = str(v, key);
        if (!image) continue;
        if (!/^[a-z0-9][a-z0-9._/:-]*(@sha256:[0-9a-f]{64})?$/.test(image) || !/[:@]/.test(image.split("/").pop() ?? "")) {
            fail(
                ns(key),
                `${show(image)} is not a pinned image reference`,
                "an image with a tag or digest, such as artefactual/archivematica-dashboard:v1.18.0",
            );
        }
        images[component] = image;
    }
    return {
        sizeProfile: str(v, "sizeProfile") as SizeProfile,
        capacityProvider: str(v, "capacityProvider") as "FARGATE" | "FARGATE_SPOT",
        maxTransferSizeGiB: num(v, "maxTransferSizeGiB"),
        mcpClient: {
            desiredCount: desired,
            minCount: min,
            maxCount: max,
            cpuTarget: num(v, "mcpClientCpuTarget"),
            workers: num(v, "mcpClientWorkers"),
            maxTasksPerChild: num(v, "mcpClientMaxTasksPerChild"),
        },
        images,
    };
}

function build(raw: RawConfig, region: string, v: Record<string, Value>): AppConfig {
    const network = buildNetwork(v);
    const azCount = network.mode === "create" ? network.azCount : network.privateSubnetIds.length;
    const version = str(v, "archivematicaVersion") as ArchivematicaVersion;
    const environment = str(v, "environment");
    const hostnames = [str(v, "dashboardHostname"), str(v, "storageServiceHostname")];
    if (hostnames[0] === hostnames[1]) {
        fail(ns("storageServiceHostname"), "is the same as dashboardHostname", "a host name other than the dashboard's");
    }
    return {
        project: raw.project,
        stack: raw.stack,
        region,
        environment,
        archivematicaVersion: version,
        logRetentionDays: num(v, "logRetentionDays"),
        protectData: bool(v, "protectData"),
        containerInsights: str(v, "containerInsights") as "enabled" | "enhanced",
        tags: {
            Project: "archivematica",
            Environment: environment,
            Owner: str(v, "owner"),
            CostCentre: str(v, "costCentre"),
            ManagedBy: "pulumi",
            PulumiStack: `${raw.project}/${raw.stack}`,
        },
        network,
        database: buildDatabase(v, azCount),
        search: buildSearch(v, version, str(v, "searchUrl"), azCount),
        queue: buildQueue(v, azCount),
        ingress: {
            dashboardHostname: hostnames[0],
            storageServiceHostname: hostnames[1],
            certificateArn: str(v, "certificateArn"),
            allowedCidrs: list(v, "allowedCidrs"),
            deletionProtection: bool(v, "albDeletionProtection"),
            accessLogs: bool(v, "albAccessLogs"),
        },
        bootstrap: {
            adminUsername: str(v, "adminUsername"),
            adminEmail: str(v, "adminEmail"),
            organisationName: str(v, "organisationName"),
            organisationId: str(v, "organisationId"),
            timeZone: str(v, "timeZone"),
        },
        services: buildServices(v),
    };
}

/** Reads the running stack's configuration from the Pulumi runtime (real engine or mocks). */
export function loadConfig(): AppConfig {
    const values = pulumi.runtime.allConfig();
    // The language host lists secret keys in PULUMI_CONFIG_SECRET_KEYS; the SDK's reader for it is internal.
    const runtime = pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean };
    const secretKeys = Object.keys(values).filter((k) => runtime.isConfigSecret?.(k) ?? false);
    return parseConfig({ project: pulumi.getProject(), stack: pulumi.getStack(), values, secretKeys });
}
