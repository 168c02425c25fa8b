/**
 * Turns the stack's raw configuration into one typed, validated object before any resource is
 * registered. Every problem of a stack is reported at once, one line each:
 * `<namespace:key>: <what is wrong>; valid: <valid values>`.
 *
 * Order of the checks: namespaces and key names, secrecy, the YAML type of each value (when the stack
 * file was read offline), each key against its schema (config/schema.ts), then the rules between keys
 * (config/rules.ts) over the keys that passed.
 */
import * as path from "path";
import { parseSchedule, ProcessingSchedule } from "../lib/processing-schedule";
import * as pulumi from "@pulumi/pulumi";
import * as awsConfigVars from "@pulumi/aws/config/vars";
import { PolicyLimits, Problem, RULES } from "./rules";
import { showName } from "../lib/printable";
import { componentOfImageKey, KeyType, rateHours } from "./key-builders";
import { BACKUP_ARCHIVAL_STORES, CONFIG_KEYS, IMAGE_OVERRIDE_KEYS, KEYS, PROJECT, STACK_KEYS, STACK_SCHEMA, StackValues } from "./schema";
import { readPolicyLimits } from "./policy-limits";
import { providerKeyProblems, regionProblem } from "./provider-keys";
import { SiblingStack, siblingStacks } from "./sibling-stacks";
import { buildSignIn, buildWaf, SignInConfig, WafConfig } from "./sign-in";
import { readProcessingConfigs, type ProcessingConfigs } from "./processing-configs";

export { PROJECT, CONFIG_KEYS } from "./schema";
export { azCountOf, MIN_PROTECTED_BACKUP_DAYS, openSearchZoneCount } from "./rules";
export type { PolicyLimits } from "./rules";
export type { AlbAuthentication, OidcProvider, RoleClaims, SignInConfig, WafConfig } from "./sign-in";

/**
 * Configuration errors, one line each in `message`. It extends `pulumi.RunError` so that the real CLI
 * prints only the message, without a stack trace, and the offline plan prints each line.
 */
export class ConfigError extends pulumi.RunError {
    readonly lines: string[];
    constructor(lines: string | string[]) {
        const all = typeof lines === "string" ? [lines] : lines;
        super(all.join("\n"));
        this.name = "ConfigError";
        this.lines = all;
    }
}

export type ArchivematicaVersion = StackValues["archivematicaVersion"];
export type SizeProfile = StackValues["sizeProfile"];
type SearchIndexes = StackValues["searchIndexes"];

/** Network: create a VPC, or use an existing one. */
export type NetworkConfig =
    | { mode: "create"; cidr: string; azCount: number; natGateways: StackValues["natGateways"] }
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
    applyImmediately: boolean;
}

export type SearchConfig =
    | { mode: "disabled" }
    | { mode: "external"; url: pulumi.Output<string>; indexes: SearchIndexes }
    | {
          mode: "opensearch";
          indexes: SearchIndexes;
          instanceType: string;
          instanceCount: number;
          dedicatedMasters: boolean;
          volumeSizeGiB: number;
      };

export type QueueConfig = { backend: "builtin" } | { backend: "redis"; nodeType: string; multiAz: boolean; snapshotRetentionDays: number };

export interface IngressConfig {
    dashboardHostname: string;
    storageServiceHostname: string;
    /** Absent when the stack creates the certificate in `hostedZoneId`. */
    certificateArn?: string;
    /** Route 53 zone of both host names: certificate, validation and alias records as code. */
    hostedZoneId?: string;
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
    capacityProvider: StackValues["capacityProvider"];
    maxTransferSizeGiB: number;
    mcpClient: {
        desiredCount: number;
        minCount: number;
        maxCount: number;
        workers: number;
        maxTasksPerChild: number;
        /** Processing hours; absent: always. */
        processingSchedule?: ProcessingSchedule;
    };
    /** Image overrides by catalogue component name (from the `<component>Image` keys); absent means the catalogue default. */
    images: Partial<Record<string, string>>;
    /**
     * Where Docker Hub images are pulled from: an ECR pull-through cache (`dockerHubCredentialsSecretArn`),
     * a mirror prefix (`imageRegistry`), or, with neither, Docker Hub itself.
     */
    registry: { dockerHubCredentialsSecretArn?: string; mirror?: string };
    /** EventBridge Scheduler expression of the daily smoke transfer. */
    smokeTestSchedule: string;
}

/** Hands-off ingest and scheduled fixity (components/app/ingest.ts, fixity.ts). */
export interface IngestConfig {
    monitorSchedule: string;
    startGraceMinutes: number;
    unfinishedAlarmHours: number;
    fixity: { windowDays: number; schedule: string; intervalHours: number; maxRunHours: number };
}

/** The S3 buckets of the archive (components/data/archival-storage.ts). */
export interface ArchivalStorageConfig {
    aipTransition: { storageClass: StackValues["aipStorageClass"]; days: number };
    noncurrentVersionDays: number;
    /** Absent when `aipObjectLockMode` is `none`. */
    objectLock?: { mode: "GOVERNANCE" | "COMPLIANCE"; days: number };
    /** Absent when `aipReplicaRegion` is empty. */
    replicaRegion?: string;
}

/** Alarms, notifications and backups (components/notifications.ts, alarms.ts, backup.ts). */
export interface OperationsConfig {
    /** Subscribed to the alarm topic by e-mail; absent: no subscription. */
    alarmEmail?: string;
    backupSchedule: string;
    backupRetentionDays: number;
    /** Lock the vault with a minimum retention of backupRetentionDays (governance mode). */
    backupVaultLock: boolean;
    /** Which archival stores AWS Backup copies besides EFS and RDS. */
    backupArchivalStores: (typeof BACKUP_ARCHIVAL_STORES)[number];
    /** Minutes of waiting work without a completed task before the stall alarm. */
    stallAlarmMinutes: number;
    /** Share (%) of failed MCP client jobs that alarms. */
    mcpClientJobErrorPercent: number;
}

/** The whole program's configuration: the stack's keys grouped by the component that reads them. */
export interface AppConfig {
    project: string;
    stack: string;
    region: string;
    environment: string;
    archivematicaVersion: ArchivematicaVersion;
    logRetentionDays: number;
    protectData: boolean;
    containerInsights: StackValues["containerInsights"];
    /** Required tags, set explicitly on every taggable resource. */
    tags: Record<string, string>;
    network: NetworkConfig;
    database: DatabaseConfig;
    search: SearchConfig;
    queue: QueueConfig;
    ingress: IngressConfig;
    bootstrap: BootstrapConfig;
    services: ServicesConfig;
    archivalStorage: ArchivalStorageConfig;
    operations: OperationsConfig;
    /** How staff sign in (config/sign-in.ts). */
    signIn: SignInConfig;
    /** AWS WAF in front of the load balancer. */
    waf: WafConfig;
    /** The processing configurations shipped (processing-configs/) and every name ingest accepts. */
    processingConfigs: ProcessingConfigs;
    ingest: IngestConfig;
}

/** Inputs to {@link parseConfig}: the raw config map as the Pulumi runtime holds it. */
export interface RawConfig {
    project: string;
    stack: string;
    /** Fully qualified keys (`archivematica-infra:owner`, `aws:region`) to raw string values, as `PULUMI_CONFIG` holds them. */
    values: Record<string, string>;
    /** Fully qualified keys whose values are secrets. */
    secretKeys: string[];
    /** Problems the stack file reader found (what the Pulumi CLI refuses before the program runs): full error lines, listed first. */
    readerProblems?: string[];
    /** Keys the reader refused (what the Pulumi CLI refuses before the program runs), each with its line; listed in key order. */
    refusedKeys?: Record<string, string>;
    /** Per key, how the stack file's spelling reached the program when it changed (added to that key's error line). */
    notes?: Record<string, string>;
    /** Limits from the stack's policy config that the stack config must meet. */
    policy?: PolicyLimits;
    /** The project's other stacks (config/sibling-stacks.ts), for what must differ between stacks. */
    siblings?: SiblingStack[];
    /** The processing-configs/ folder as read (default: read from the project root). */
    processingConfigs?: ReturnType<typeof readProcessingConfigs>;
}

const ns = (key: string) => `${PROJECT}:${key}`;

/** The project root (config/..), where the stack files live. */
const PROJECT_ROOT = path.resolve(__dirname, "..");

/** Namespaces a stack file may use besides the project's: the AWS provider's and Pulumi's own. */
const AWS = "aws";
const OTHER_NAMESPACES = ["pulumi"];

/** The AWS provider's configuration keys, as @pulumi/aws itself declares them (its config/vars module). */
export const AWS_CONFIG_KEYS: readonly string[] = Object.keys(awsConfigVars).sort();

export function levenshtein(a: string, b: string): number {
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

/** The nearest candidate within 3 edits (case-insensitive), or undefined. */
function nearest(word: string, candidates: readonly string[]): string | undefined {
    let best: string | undefined;
    let bestDistance = 4;
    for (const c of candidates) {
        const d = levenshtein(word.toLowerCase(), c.toLowerCase());
        if (d < bestDistance) [best, bestDistance] = [c, d];
    }
    return best;
}

const didYouMean = (s: string | undefined) => (s ? ` (did you mean ${s}?)` : "");

/**
 * A namespace that is probably a misspelling of the project's: within 3 edits of it, or a part of it
 * (`archivematica`, `infra`) or it with more around it.
 */
function nearProject(namespace: string): boolean {
    const n = namespace.toLowerCase();
    return levenshtein(n, PROJECT) <= 3 || (n.length >= 5 && (PROJECT.includes(n) || n.includes(PROJECT)));
}

/** Problems with the keys themselves: unknown namespace, unknown project or provider key. Keys are shown escaped and cut. */
function keyProblems(fullKeys: string[]): string[] {
    const lines: string[] = [];
    const known: readonly string[] = STACK_KEYS;
    for (const full of [...fullKeys].sort()) {
        const colon = full.indexOf(":");
        const namespace = full.slice(0, colon);
        const key = full.slice(colon + 1);
        const shown = showName(full);
        if (namespace === PROJECT) {
            if (!known.includes(key)) lines.push(`${shown}: unknown key${didYouMean(nearest(key, known))}; valid: ${known.join(", ")}`);
        } else if (namespace === AWS) {
            if (!AWS_CONFIG_KEYS.includes(key))
                lines.push(
                    `${shown}: not a configuration key of the AWS provider${didYouMean(nearest(key, AWS_CONFIG_KEYS) && `aws:${nearest(key, AWS_CONFIG_KEYS)}`)}; valid: ${AWS_CONFIG_KEYS.join(", ")}`,
                );
        } else if (!OTHER_NAMESPACES.includes(namespace)) {
            const guess = nearProject(namespace)
                ? ns(key)
                : nearest(namespace, [AWS, ...OTHER_NAMESPACES]) && `${nearest(namespace, [AWS, ...OTHER_NAMESPACES])}:${key}`;
            lines.push(
                `${shown}: unknown namespace "${showName(namespace)}"${didYouMean(guess && showName(guess))}; valid: ${PROJECT}:<key>, aws:<provider key>, pulumi:<key>`,
            );
        }
    }
    return lines;
}

/** A raw Pulumi config string as the value its key's schema checks (every value reaches a program as a string). */
function fromPulumi(type: KeyType, raw: string | undefined): unknown {
    if (raw === undefined) return undefined;
    switch (type) {
        case "integer":
            return /^-?\d+$/.test(raw) ? Number(raw) : raw;
        case "boolean":
            return raw === "true" ? true : raw === "false" ? false : raw;
        case "array":
            try {
                const parsed: unknown = JSON.parse(raw);
                return Array.isArray(parsed) ? parsed : raw;
            } catch {
                return raw;
            }
        case "string":
            return raw;
    }
}

/** `aws:allowedAccountIds` / `aws:forbiddenAccountIds` as lists, when set and readable (else their own check reports them). */
function accountIds(raw: RawConfig): { allowedAccountIds?: string[]; forbiddenAccountIds?: string[] } {
    const read = (key: string): string[] | undefined => {
        const text = raw.values[key];
        if (text === undefined || raw.secretKeys.includes(key)) return undefined;
        try {
            const v: unknown = JSON.parse(text);
            return Array.isArray(v) && v.every((x) => typeof x === "string" && /^\d{12}$/.test(x)) ? v : undefined;
        } catch {
            return undefined;
        }
    };
    return { allowedAccountIds: read("aws:allowedAccountIds"), forbiddenAccountIds: read("aws:forbiddenAccountIds") };
}

const lineOf = (p: Problem) => `${p.key.includes(":") ? p.key : ns(p.key)}: ${p.problem}; valid: ${p.valid}`;

/**
 * Validates a raw config map and builds the typed configuration. Pure: no Pulumi runtime needed, so the
 * tests can drive it with tables of bad input.
 *
 * @throws ConfigError listing every problem, one line each.
 */
export function parseConfig(raw: RawConfig): AppConfig {
    const refusedLines = raw.refusedKeys ?? {};
    const refused = new Set(Object.keys(refusedLines));
    const lines = [...(raw.readerProblems ?? []), ...keyProblems(Object.keys(raw.values).filter((k) => !refused.has(k)))];
    // Refused keys that are not the project's come first, with the key-name problems.
    for (const k of [...refused].sort())
        if (!k.startsWith(`${PROJECT}:`) || !STACK_KEYS.some((s) => ns(s) === k)) lines.push(refusedLines[k]);
    const secretKeys = new Set(raw.secretKeys);
    const failed = new Set<string>([...refused].map((k) => (k.startsWith(`${PROJECT}:`) ? k.slice(PROJECT.length + 1) : k)));
    const noted = (full: string, line: string) =>
        raw.notes?.[full] ? `${line.replace(/; valid: /, ` (${raw.notes[full]}); valid: `)}` : line;
    const input: Record<string, unknown> = {};

    for (const spec of CONFIG_KEYS) {
        const full = ns(spec.key);
        const value = raw.values[full];
        if (refused.has(full)) {
            lines.push(refusedLines[full]);
            continue;
        }
        const refuse = (line: string) => {
            lines.push(noted(full, line));
            failed.add(spec.key);
        };
        if (secretKeys.has(full) && !spec.secret) {
            refuse(
                `${full}: is encrypted (secure:) but is not a secret; valid: a plain value, set with: pulumi config set ${spec.key} <value>`,
            );
            continue;
        }
        if (spec.secret && !secretKeys.has(full) && value !== undefined && value !== "") {
            refuse(`${full}: must be stored encrypted; valid: a secret set with: pulumi config set --secret ${spec.key} <value>`);
            continue;
        }
        input[spec.key] = fromPulumi(spec.type, value);
        const result = KEYS[spec.key].safeParse(input[spec.key], { reportInput: true });
        if (!result.success) refuse(`${full}: ${result.error.issues[0].message}; valid: ${spec.valid}`);
    }

    lines.push(...providerKeyProblems(raw.values, secretKeys));
    const region = raw.values["aws:region"];
    const regionOk = region !== undefined && !secretKeys.has("aws:region") && regionProblem(region) === undefined;
    const processing = raw.processingConfigs ?? readProcessingConfigs();
    lines.push(...processing.problems);

    // Rules run over the keys that passed; a failed optional key falls back to its default here, and
    // any rule reading it is skipped, so one mistake is reported once.
    const usable = Object.fromEntries(Object.entries(input).filter(([k]) => !failed.has(k)));
    const parsed = STACK_SCHEMA.safeParse(usable);
    if (parsed.success) {
        for (const rule of RULES) {
            if (rule.reads.some((k) => failed.has(k))) continue;
            if (!regionOk && rule.needsRegion) continue;
            lines.push(
                ...rule
                    .check(parsed.data, {
                        region: region ?? "",
                        policy: raw.policy,
                        failed,
                        siblings: raw.siblings,
                        stack: raw.stack,
                        ...accountIds(raw),
                    })
                    .map(lineOf),
            );
        }
    }
    // Each key passed on its own when there is no line, so the whole object parses too.
    if (lines.length || !parsed.success || !region) throw new ConfigError(lines);
    return { ...build(raw, region, parsed.data), processingConfigs: processing.configs };
}

function buildNetwork(v: StackValues): NetworkConfig {
    if (!v.vpcId) return { mode: "create", cidr: v.vpcCidr, azCount: v.availabilityZones, natGateways: v.natGateways };
    return { mode: "existing", vpcId: v.vpcId, publicSubnetIds: v.publicSubnetIds, privateSubnetIds: v.privateSubnetIds };
}

function buildDatabase(v: StackValues): DatabaseConfig {
    return {
        engineVersion: v.dbEngineVersion,
        instanceClass: v.dbInstanceClass,
        allocatedStorageGiB: v.dbAllocatedStorageGiB,
        maxAllocatedStorageGiB: v.dbMaxAllocatedStorageGiB,
        backupRetentionDays: v.dbBackupRetentionDays,
        multiAz: v.dbMultiAz,
        deletionProtection: v.dbDeletionProtection,
        finalSnapshot: v.dbFinalSnapshot,
        maxAllowedPacketMiB: v.dbMaxAllowedPacketMiB,
        applyImmediately: v.dbApplyImmediately,
    };
}

function buildSearch(v: StackValues): SearchConfig {
    switch (v.searchMode) {
        case "disabled":
            return { mode: "disabled" };
        case "external":
            return { mode: "external", indexes: v.searchIndexes, url: pulumi.secret(v.searchUrl) };
        case "opensearch":
            return {
                mode: "opensearch",
                indexes: v.searchIndexes,
                instanceType: v.openSearchInstanceType,
                instanceCount: v.openSearchInstanceCount,
                dedicatedMasters: v.openSearchDedicatedMasters,
                volumeSizeGiB: v.openSearchVolumeSizeGiB,
            };
    }
}

function buildQueue(v: StackValues): QueueConfig {
    if (v.queueBackend === "builtin") return { backend: "builtin" };
    return { backend: "redis", nodeType: v.redisNodeType, multiAz: v.redisMultiAz, snapshotRetentionDays: v.redisSnapshotRetentionDays };
}

function buildServices(v: StackValues): ServicesConfig {
    const images: ServicesConfig["images"] = {};
    for (const key of IMAGE_OVERRIDE_KEYS) {
        const image = v[key];
        if (typeof image === "string" && image) images[componentOfImageKey(key)] = image;
    }
    return {
        sizeProfile: v.sizeProfile,
        capacityProvider: v.capacityProvider,
        maxTransferSizeGiB: v.maxTransferSizeGiB,
        mcpClient: {
            desiredCount: v.mcpClientDesiredCount,
            minCount: v.mcpClientMinCount,
            maxCount: v.mcpClientMaxCount,
            workers: v.mcpClientWorkers,
            maxTasksPerChild: v.mcpClientMaxTasksPerChild,
            ...(v.processingSchedule ? { processingSchedule: parseSchedule(v.processingSchedule) } : {}),
        },
        images,
        registry: {
            dockerHubCredentialsSecretArn: v.dockerHubCredentialsSecretArn || undefined,
            mirror: v.imageRegistry || undefined,
        },
        smokeTestSchedule: v.smokeTestSchedule,
    };
}

function build(raw: RawConfig, region: string, v: StackValues): Omit<AppConfig, "processingConfigs"> {
    return {
        project: raw.project,
        stack: raw.stack,
        region,
        environment: v.environment,
        archivematicaVersion: v.archivematicaVersion,
        logRetentionDays: v.logRetentionDays,
        protectData: v.protectData,
        containerInsights: v.containerInsights,
        tags: {
            Project: "archivematica",
            Environment: v.environment,
            Owner: v.owner,
            CostCentre: v.costCentre,
            ManagedBy: "pulumi",
            PulumiStack: `${raw.project}/${raw.stack}`,
        },
        network: buildNetwork(v),
        database: buildDatabase(v),
        search: buildSearch(v),
        queue: buildQueue(v),
        ingress: {
            dashboardHostname: v.dashboardHostname,
            storageServiceHostname: v.storageServiceHostname,
            certificateArn: v.certificateArn || undefined,
            hostedZoneId: v.hostedZoneId || undefined,
            allowedCidrs: v.allowedCidrs,
            deletionProtection: v.albDeletionProtection,
            accessLogs: v.albAccessLogs,
        },
        bootstrap: {
            adminUsername: v.adminUsername,
            adminEmail: v.adminEmail,
            organisationName: v.organisationName,
            organisationId: v.organisationId,
            timeZone: v.timeZone,
        },
        services: buildServices(v),
        archivalStorage: buildArchivalStorage(v),
        operations: {
            alarmEmail: v.alarmEmail || undefined,
            backupSchedule: v.backupSchedule,
            backupRetentionDays: v.backupRetentionDays,
            backupVaultLock: v.backupVaultLock,
            backupArchivalStores: v.backupArchivalStores,
            stallAlarmMinutes: v.stallAlarmMinutes,
            mcpClientJobErrorPercent: v.mcpClientJobErrorPercent,
        },
        signIn: buildSignIn(v),
        waf: buildWaf(v),
        ingest: {
            monitorSchedule: v.ingestMonitorSchedule,
            startGraceMinutes: v.ingestStartGraceMinutes,
            unfinishedAlarmHours: v.ingestUnfinishedAlarmHours,
            fixity: {
                windowDays: v.fixityWindowDays,
                schedule: v.fixitySchedule,
                intervalHours: rateHours(v.fixitySchedule),
                maxRunHours: v.fixityMaxRunHours,
            },
        },
    };
}

function buildArchivalStorage(v: StackValues): ArchivalStorageConfig {
    return {
        aipTransition: { storageClass: v.aipStorageClass, days: v.aipTransitionDays },
        noncurrentVersionDays: v.noncurrentVersionDays,
        objectLock: v.aipObjectLockMode === "none" ? undefined : { mode: v.aipObjectLockMode, days: v.aipObjectLockDays },
        replicaRegion: v.aipReplicaRegion || undefined,
    };
}

/** Reads the running stack's configuration from the Pulumi runtime (real engine or mocks). */
export function loadConfig(): AppConfig {
    const values = pulumi.runtime.allConfig();
    // The language host lists secret keys in PULUMI_CONFIG_SECRET_KEYS; the SDK's reader for it,
    // runtime.isConfigSecret, is exported but not declared in its typings.
    const isConfigSecret: unknown = Reflect.get(pulumi.runtime, "isConfigSecret");
    const secretKeys = typeof isConfigSecret === "function" ? Object.keys(values).filter((k) => isConfigSecret(k) === true) : [];
    const stack = pulumi.getStack();
    return parseConfig({
        project: pulumi.getProject(),
        stack,
        values,
        secretKeys,
        policy: readPolicyLimits(stack),
        siblings: siblingStacks(stack, PROJECT_ROOT),
    });
}
