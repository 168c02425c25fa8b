/**
 * One pricer per priced resource type, a list of the types AWS does not charge for, and the
 * estimate that runs every resource through them. A resource gives one or more lines, each one of
 * three things: a priced line (with the arithmetic in its basis), a no-charge line (with the reason),
 * or a not-priced line (monthly `null`, with what is missing). Nothing is silently zero.
 *
 * Every line has a kind: `fixed` (the platform: runs whatever the archive holds), `per-tb-held`
 * (scales with the AIPs kept: storage, their replica and backups) or `per-tb-ingested` (scales with
 * the ingest: processing, the shared directory, requests, replication traffic). The quantities come
 * from the usage file (tools/cost/usage.ts); those derived from it are computed once
 * ({@link deriveUsage}) and each line names the formula it used, which the estimate prints.
 */
import { Assumptions, DEFAULT_ASSUMPTIONS } from "./assumptions";
import { CURRENCY, PRICES, pricedRegions, RegionPrices } from "./prices";
import { amplification } from "./shared-directory";
import { DEFAULT_USAGE, Usage } from "./usage";

/** What the estimate reads of a planned resource (a recorded registration or a preview step's state). */
export interface CostResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    inputs: Record<string, unknown>;
    propertyDependencies?: Record<string, string[]>;
    parent?: string;
}

/** What a line's cost follows. */
export const LINE_KINDS = ["fixed", "per-tb-held", "per-tb-ingested"] as const;
export type LineKind = (typeof LINE_KINDS)[number];

/** One part of one resource's monthly cost: a number (0 for no charge), or `null` when it is not priced. */
export interface CostLine {
    urn: string;
    type: string;
    /** Which part of the resource's cost ("" when the resource has one line). */
    item: string;
    kind: LineKind;
    monthly: number | null;
    basis: string;
}

export interface Estimate {
    currency: string;
    region: string;
    /** Sum of the priced lines, to the cent. */
    total: number;
    lines: CostLine[];
    /** The derived quantities the lines used, each with its formula, in the order first used. */
    derived: string[];
}

/** The region has no prices in the table: the estimate refuses rather than guess. */
export class UnpricedRegionError extends Error {}

/** Quantities that follow from the usage file (per month unless said). */
export interface Derived {
    aipGbHeld: number;
    aipGbPerMonth: number;
    dipGbHeld: number;
    /** Average size of one AIP, GB. */
    aipGb: number;
    /** AIPs held, and their S3 objects. */
    aipsHeld: number;
    aipObjects: number;
    /** DIP objects held (one access copy per file) and their average size, GB. */
    dipObjects: number;
    dipObjectGb: number;
    efsReadsGb: number;
    efsWritesGb: number;
    /** GB resident in the shared directory because of the ingest (the rest is sharedDirectoryBaseGb). */
    efsWorkingGb: number;
    transferSourceGb: number;
    /** Files ingested a month. */
    filesPerMonth: number;
}

interface Context {
    region: string;
    prices: RegionPrices;
    a: Assumptions;
    usage: Usage;
    d: Derived;
    byUrn: Map<string, CostResource>;
    resources: CostResource[];
    /** URNs of log groups a VPC flow log writes to. */
    flowLogGroups: Set<string>;
    /** Derived-quantity formulas used, by name, in first-use order. */
    notes: Map<string, string>;
    /** Custom metrics already priced on an earlier alarm. */
    claimedMetrics: Set<string>;
}

type Part = ({ monthly: number; basis: string } | { unpriced: string }) & { item?: string; kind?: LineKind };
type Pricer = (r: CostResource, ctx: Context) => Part | Part[];

/** Rounds to the cent (half up), robust to binary fractions such as 0.045 × 730. */
export function cents(x: number): number {
    return Math.round(Number((x * 100).toFixed(6))) / 100;
}

const usd = (x: number) => `$${cents(x).toFixed(2)}`;
/** A unit price as written in the table, with no rounding. */
const rate = (x: number) => `$${x}`;
/** A quantity as shown in a basis: at most three decimals. */
const q = (x: number) => String(Math.round(x * 1000) / 1000);

function num(v: unknown): number | undefined {
    if (typeof v === "number" && Number.isFinite(v)) return v;
    if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
    return undefined;
}

function obj(v: unknown): Record<string, unknown> | undefined {
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function arr(v: unknown): unknown[] {
    return Array.isArray(v) ? v : [];
}

function plural(n: number, one: string, many = `${one}s`): string {
    return `${q(n)} ${n === 1 ? one : many}`;
}

/** Records a derived quantity's formula for the printed assumptions (once). */
function note(ctx: Context, name: string, formula: string): void {
    if (!ctx.notes.has(name)) ctx.notes.set(name, `${name} = ${formula}`);
}

/** Days in the 730-hour month. */
const DAYS_PER_MONTH = 730 / 24;

/** The quantities that follow from the usage file. */
export function deriveUsage(u: Usage): Derived {
    const aipGbHeld = u.aipTbHeld * 1000;
    const aipGbPerMonth = u.ingestGbPerMonth * u.aipSizeRatio;
    const aipGb = u.transfersPerMonth > 0 ? aipGbPerMonth / u.transfersPerMonth : aipGbPerMonth;
    const aipsHeld = aipGb > 0 ? aipGbHeld / aipGb : 0;
    const amp = amplification(u.aipSizeRatio, u.dipShare);
    const dipObjects = aipsHeld * u.filesPerTransfer;
    const dipGbHeld = aipGbHeld * u.dipShare;
    return {
        aipGbHeld,
        aipGbPerMonth,
        dipGbHeld,
        aipGb,
        aipsHeld,
        aipObjects: aipsHeld * u.objectsPerAip,
        dipObjects,
        dipObjectGb: dipObjects > 0 ? dipGbHeld / dipObjects : 0,
        efsReadsGb: u.ingestGbPerMonth * amp.readsPerGb,
        efsWritesGb: u.ingestGbPerMonth * amp.writesPerGb,
        efsWorkingGb: (u.ingestGbPerMonth / DAYS_PER_MONTH) * u.daysInSharedDirectory * 2 * u.aipSizeRatio,
        transferSourceGb: (u.ingestGbPerMonth / DAYS_PER_MONTH) * u.transferSourceDaysKept,
        filesPerMonth: u.transfersPerMonth * u.filesPerTransfer,
    };
}

/** The region's prices, or undefined when the table has none. */
function pricesFor(region: string): RegionPrices | undefined {
    return PRICES[region];
}

/** A resource's region: its own `region` input (provider v7), else the stack's. */
function regionOf(r: CostResource, ctx: Context): string {
    return typeof r.inputs.region === "string" && r.inputs.region ? r.inputs.region : ctx.region;
}

/** The planned resources a property refers to (by recorded dependency). */
function refs(r: CostResource, property: string, ctx: Context): CostResource[] {
    return (r.propertyDependencies?.[property] ?? []).map((u) => ctx.byUrn.get(u)).filter((x): x is CostResource => !!x);
}

function tagsOf(r: CostResource): Record<string, unknown> {
    return obj(r.inputs.tags) ?? {};
}

// ---------------------------------------------------------------------------------------------
// Fargate

function taskDefinitionOf(service: CostResource, ctx: Context): CostResource | undefined {
    const dep = refs(service, "taskDefinition", ctx).find((t) => t.type === "aws:ecs/taskDefinition:TaskDefinition");
    if (dep) return dep;
    const arn = service.inputs.taskDefinition;
    if (typeof arn !== "string") return undefined;
    const family = /task-definition\/([^:]+)/.exec(arn)?.[1] ?? arn;
    return ctx.resources.find(
        (r) => r.type === "aws:ecs/taskDefinition:TaskDefinition" && (r.inputs.family === family || r.name === family),
    );
}

/** Share of the service's tasks on FARGATE_SPOT (by strategy weight), or a reason it is not Fargate. */
function spotShare(service: CostResource): number | string {
    const strategies = service.inputs.capacityProviderStrategies;
    if (Array.isArray(strategies) && strategies.length) {
        let total = 0;
        let spot = 0;
        for (const s of strategies.map(obj)) {
            const provider = s?.capacityProvider;
            if (provider !== "FARGATE" && provider !== "FARGATE_SPOT") return `capacity provider ${String(provider)} is not Fargate`;
            const weight = num(s?.weight) ?? 0;
            total += weight;
            if (provider === "FARGATE_SPOT") spot += weight;
        }
        return total > 0 ? spot / total : 0;
    }
    if (service.inputs.launchType === "FARGATE") return 0;
    return `launch type ${String(service.inputs.launchType ?? "(cluster default)")} is not Fargate`;
}

/** The autoscaling target of an ECS service, if one scales it. */
function scalingOf(service: CostResource, ctx: Context): { min: number; max: number } | undefined {
    const name = String(service.inputs.name ?? service.name);
    const target = ctx.resources.find(
        (r) =>
            r.type === "aws:appautoscaling/target:Target" &&
            r.inputs.scalableDimension === "ecs:service:DesiredCount" &&
            String(r.inputs.resourceId ?? "").endsWith(`/${name}`),
    );
    const min = num(target?.inputs.minCapacity);
    const max = num(target?.inputs.maxCapacity);
    return min !== undefined && max !== undefined ? { min, max } : undefined;
}

/** One Fargate task's hourly price and how it was reached, or why it cannot be priced. */
function taskHour(td: CostResource, ctx: Context, spot: number): { hourly: number; formula: string } | string {
    const cpu = num(td.inputs.cpu);
    const memory = num(td.inputs.memory);
    if (cpu === undefined || memory === undefined) return `task definition ${td.name} has no task-level cpu and memory`;
    const platform = obj(td.inputs.runtimePlatform);
    const os = platform?.operatingSystemFamily ?? "LINUX";
    if (os !== "LINUX") return `operating system ${String(os)} is not in the price table`;
    const arch = platform?.cpuArchitecture === "ARM64" ? "arm" : "x86";
    const p = ctx.prices.fargate[arch];
    const vcpu = cpu / 1024;
    const gb = memory / 1024;
    const extra = Math.max(0, (num(obj(td.inputs.ephemeralStorage)?.sizeInGib) ?? 20) - 20);
    const factor = 1 - spot * ctx.a.fargateSpotDiscount;
    return {
        hourly: (vcpu * p.vcpuHour + gb * p.gbHour + extra * ctx.prices.fargate.ephemeralGbHour) * factor,
        formula:
            `(${vcpu} vCPU × ${rate(p.vcpuHour)} + ${gb} GB × ${rate(p.gbHour)}` +
            (extra ? ` + ${extra} GB ephemeral above 20 × ${rate(ctx.prices.fargate.ephemeralGbHour)}` : "") +
            `) per hour, Linux/${arch === "arm" ? "ARM" : "x86"}`,
    };
}

function spotNote(share: number, ctx: Context): string | undefined {
    if (share <= 0) return undefined;
    const pct = Math.round(ctx.a.fargateSpotDiscount * 100);
    return share === 1 ? `FARGATE_SPOT: − ${pct} % (assumed)` : `${Math.round(share * 100)} % on FARGATE_SPOT at − ${pct} % (assumed)`;
}

/** Average tasks of an autoscaled service: the usage file's figure, else from processing hours, else the desired count. */
function averageTasks(scaling: { min: number; max: number }, desired: number, ctx: Context): { tasks: number; how: string } {
    const u = ctx.usage;
    let tasks: number;
    let how: string;
    if (u.mcpClientsAverage !== undefined) {
        tasks = u.mcpClientsAverage;
        how = `mcpClientsAverage ${u.mcpClientsAverage}`;
    } else if (u.processingHoursPerDay !== undefined) {
        tasks = scaling.min + ((scaling.max - scaling.min) * u.processingHoursPerDay) / 24;
        how = `${scaling.min} + (${scaling.max} − ${scaling.min}) × processingHoursPerDay ${u.processingHoursPerDay} / 24`;
    } else {
        tasks = desired;
        how = "its desired count (no mcpClientsAverage or processingHoursPerDay)";
    }
    const clamped = Math.min(scaling.max, Math.max(scaling.min, tasks));
    if (clamped !== tasks) how += `, held to the scaling range ${scaling.min}–${scaling.max}`;
    return { tasks: clamped, how };
}

const fargateService: Pricer = (r, ctx) => {
    const share = spotShare(r);
    if (typeof share === "string") return { unpriced: share };
    const td = taskDefinitionOf(r, ctx);
    if (!td) return { unpriced: "its task definition is not in the plan" };
    const task = taskHour(td, ctx, share);
    if (typeof task === "string") return { unpriced: task };
    const h = ctx.a.hoursPerMonth;
    const desired = num(r.inputs.desiredCount) ?? 1;
    const spot = spotNote(share, ctx);
    const basis = (count: number, extra?: string) =>
        [`${plural(count, "task")} × ${h} h × ${task.formula}`, spot, extra].filter(Boolean).join("; ");
    const scaling = scalingOf(r, ctx);
    if (!scaling) return { monthly: desired * h * task.hourly, basis: basis(desired) };
    const avg = averageTasks(scaling, desired, ctx);
    const parts: Part[] = [
        {
            item: "minimum tasks",
            kind: "fixed",
            monthly: scaling.min * h * task.hourly,
            // A service queue scaling may leave at zero (npm run bench: the queue model) costs nothing idle.
            basis: `${scaling.min === 0 ? "no charge while idle: " : ""}${basis(
                scaling.min,
                `autoscales ${scaling.min}–${scaling.max} tasks: ${usd(scaling.max * h * task.hourly)} at ${scaling.max}`,
            )}`,
        },
    ];
    const above = avg.tasks - scaling.min;
    if (above > 0)
        parts.push({
            item: "tasks above the minimum",
            kind: "per-tb-ingested",
            monthly: above * h * task.hourly,
            basis: basis(above, `average ${q(avg.tasks)} tasks from ${avg.how}`),
        });
    return parts;
};

// ---------------------------------------------------------------------------------------------
// Data stores

const rdsInstance: Pricer = (r, ctx) => {
    const engine = String(r.inputs.engine ?? "");
    if (engine !== "mysql") return { unpriced: `engine ${engine || "(none)"} is not in the price table (RDS for MySQL is)` };
    const cls = String(r.inputs.instanceClass ?? "");
    const hourly = ctx.prices.rds.mysqlInstanceHour[cls];
    if (hourly === undefined) return { unpriced: `no RDS for MySQL price for ${cls || "(no class)"} in the table for this region` };
    const storageType = r.inputs.storageType;
    if (storageType !== "gp3")
        return { unpriced: `storage type ${String(storageType ?? "(provider default)")} is not in the price table (gp3 is)` };
    const gb = num(r.inputs.allocatedStorage) ?? 0;
    const multiAz = r.inputs.multiAz === true;
    const az = multiAz ? 2 : 1;
    const h = ctx.a.hoursPerMonth;
    const backupGb = ctx.a.dbBackupGbBeyondFree;
    const secret = r.inputs.manageMasterUserPassword === true ? ctx.prices.secretMonth : 0;
    const monthly = az * (h * hourly + gb * ctx.prices.rds.gp3GbMonth) + backupGb * ctx.prices.rds.backupGbMonth + secret;
    const parts = [
        `${multiAz ? "Multi-AZ (×2): " : ""}${cls} ${h} h × ${rate(hourly)} + ${gb} GB gp3 × ${rate(ctx.prices.rds.gp3GbMonth)}`,
        `backups ${backupGb} GB beyond the free amount (assumed) × ${rate(ctx.prices.rds.backupGbMonth)}`,
    ];
    if (secret) parts.push(`the master-user secret RDS manages in Secrets Manager ${rate(secret)}`);
    if ((num(r.inputs.monitoringInterval) ?? 0) > 0) parts.push("Enhanced Monitoring's CloudWatch Logs not priced");
    return { monthly, basis: parts.join("; ") };
};

const elasticacheReplicationGroup: Pricer = (r, ctx) => {
    const nodeType = String(r.inputs.nodeType ?? "");
    const hourly = ctx.prices.elasticacheNodeHour[nodeType];
    if (hourly === undefined) return { unpriced: `no ElastiCache price for ${nodeType || "(no node type)"} in the table for this region` };
    const nodes = num(r.inputs.numCacheClusters) ?? (num(r.inputs.numNodeGroups) ?? 1) * (1 + (num(r.inputs.replicasPerNodeGroup) ?? 0));
    const h = ctx.a.hoursPerMonth;
    return {
        monthly: nodes * h * hourly,
        basis: `${plural(nodes, "node")} × ${h} h × ${rate(hourly)} (${nodeType}); snapshots within the free amount`,
    };
};

const elasticacheCluster: Pricer = (r, ctx) => {
    const nodeType = String(r.inputs.nodeType ?? "");
    const hourly = ctx.prices.elasticacheNodeHour[nodeType];
    if (hourly === undefined) return { unpriced: `no ElastiCache price for ${nodeType || "(no node type)"} in the table for this region` };
    const nodes = num(r.inputs.numCacheNodes) ?? 1;
    const h = ctx.a.hoursPerMonth;
    return { monthly: nodes * h * hourly, basis: `${plural(nodes, "node")} × ${h} h × ${rate(hourly)} (${nodeType})` };
};

const opensearchDomain: Pricer = (r, ctx) => {
    const cluster = obj(r.inputs.clusterConfig) ?? {};
    const type = String(cluster.instanceType ?? "");
    const count = num(cluster.instanceCount) ?? 1;
    const p = ctx.prices.opensearch;
    const dataHourly = p.instanceHour[type];
    if (dataHourly === undefined)
        return { unpriced: `no OpenSearch price for ${type || "(no instance type)"} in the table for this region` };
    const h = ctx.a.hoursPerMonth;
    let monthly = count * h * dataHourly;
    const parts = [`${plural(count, "data node")} × ${h} h × ${rate(dataHourly)} (${type})`];
    if (cluster.dedicatedMasterEnabled === true) {
        const masterType = String(cluster.dedicatedMasterType ?? "");
        const masters = num(cluster.dedicatedMasterCount) ?? 3;
        const masterHourly = p.instanceHour[masterType];
        if (masterHourly === undefined)
            return { unpriced: `no OpenSearch price for master type ${masterType || "(none)"} in the table for this region` };
        monthly += masters * h * masterHourly;
        parts.push(`${plural(masters, "dedicated master")} × ${h} h × ${rate(masterHourly)} (${masterType})`);
    }
    const ebs = obj(r.inputs.ebsOptions);
    if (ebs?.ebsEnabled === true) {
        const volumeType = String(ebs.volumeType ?? "gp2");
        const gbMonth = p.ebsGbMonth[volumeType];
        if (gbMonth === undefined) return { unpriced: `no OpenSearch ${volumeType} storage price in the table for this region` };
        const gb = num(ebs.volumeSize) ?? 0;
        monthly += count * gb * gbMonth;
        parts.push(`${count} × ${gb} GB ${volumeType} × ${rate(gbMonth)}`);
    }
    return { monthly, basis: parts.join("; ") };
};

/** True when the file system's lifecycle moves unread files to Infrequent Access. */
function efsHasIa(r: CostResource): boolean {
    return arr(r.inputs.lifecyclePolicies).some((p) => typeof obj(p)?.transitionToIa === "string");
}

function noteEfs(ctx: Context): void {
    const u = ctx.usage;
    const amp = amplification(u.aipSizeRatio, u.dipShare);
    note(ctx, "EFS amplification", amp.formula);
    note(
        ctx,
        "EFS GB read and written a month",
        `ingestGbPerMonth ${u.ingestGbPerMonth} × ${q(amp.readsPerGb)} = ${q(ctx.d.efsReadsGb)} GB read, × ${q(amp.writesPerGb)} = ${q(ctx.d.efsWritesGb)} GB written`,
    );
    note(
        ctx,
        "EFS GB resident for the ingest",
        `ingestGbPerMonth ${u.ingestGbPerMonth} / ${q(DAYS_PER_MONTH)} days × daysInSharedDirectory ${u.daysInSharedDirectory} × 2 × aipSizeRatio ${u.aipSizeRatio} = ${q(ctx.d.efsWorkingGb)} GB (a transfer holds about 2 × A on average: half its peak of transfer, SIP, bag and compressed AIP)`,
    );
}

const efsFileSystem: Pricer = (r, ctx) => {
    noteEfs(ctx);
    const p = ctx.prices.efs;
    const base = ctx.usage.sharedDirectoryBaseGb;
    const ia = efsHasIa(r);
    const baseRate = ia ? p.iaGbMonth : p.standardGbMonth;
    const storage: Part = {
        item: "storage",
        kind: "per-tb-ingested",
        monthly: ctx.d.efsWorkingGb * p.standardGbMonth + base * baseRate,
        basis:
            `${q(ctx.d.efsWorkingGb)} GB resident for the ingest (derived) × ${rate(p.standardGbMonth)} Standard + sharedDirectoryBaseGb ${base} GB × ${rate(baseRate)}` +
            (ia ? " Infrequent Access (the lifecycle moves files unread for 30 days; their read charges not priced)" : " Standard"),
    };
    const mode = String(r.inputs.throughputMode ?? "bursting");
    if (mode === "bursting")
        return [storage, { item: "throughput", kind: "per-tb-ingested", monthly: 0, basis: "no charge: bursting throughput" }];
    if (mode !== "elastic")
        return [storage, { item: "throughput", kind: "fixed", unpriced: `${mode} throughput is not in the price table` }];
    return [
        storage,
        {
            item: "elastic throughput",
            kind: "per-tb-ingested",
            monthly: ctx.d.efsReadsGb * p.elasticReadGb + ctx.d.efsWritesGb * p.elasticWriteGb,
            basis: `${q(ctx.d.efsReadsGb)} GB read × ${rate(p.elasticReadGb)} + ${q(ctx.d.efsWritesGb)} GB written × ${rate(p.elasticWriteGb)} (derived from the shared directory's amplification; metadata operations not priced)`,
        },
    ];
};

// ---------------------------------------------------------------------------------------------
// S3: the archival stores by their ArchivalStore tag, priced in their own region

/** boto3's default multipart part size (TransferConfig.multipart_chunksize, 8 MiB): each part is one PUT. */
const MULTIPART_PART_GB = (8 * 1024 * 1024) / 1e9;

/** PUT requests to upload one object of `gb` (multipart above the part size). */
function putsFor(gb: number): number {
    return Math.max(1, Math.ceil(gb / MULTIPART_PART_GB));
}

/** The transition the bucket's lifecycle configuration makes, if any. */
function transitionOf(bucket: CostResource, ctx: Context): { days: number; storageClass: string } | undefined {
    const config = ctx.resources.find(
        (x) =>
            (x.type === "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration" ||
                x.type === "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2") &&
            (x.propertyDependencies?.bucket ?? []).includes(bucket.urn),
    );
    for (const rule of arr(config?.inputs.rules).map(obj)) {
        if (rule?.status !== "Enabled") continue;
        const t = obj(arr(rule.transitions)[0]);
        const days = num(t?.days);
        if (t && days !== undefined && typeof t.storageClass === "string") return { days, storageClass: t.storageClass };
    }
    return undefined;
}

function noteAips(ctx: Context): void {
    const u = ctx.usage;
    const d = ctx.d;
    note(ctx, "AIP GB held", `aipTbHeld ${u.aipTbHeld} × 1000 = ${q(d.aipGbHeld)} GB`);
    note(ctx, "AIP GB added a month", `ingestGbPerMonth ${u.ingestGbPerMonth} × aipSizeRatio ${u.aipSizeRatio} = ${q(d.aipGbPerMonth)} GB`);
    note(
        ctx,
        "AIPs held",
        `AIP GB held ${q(d.aipGbHeld)} / (AIP GB added a month / transfersPerMonth ${u.transfersPerMonth} = ${q(d.aipGb)} GB an AIP) = ${q(d.aipsHeld)} AIPs, ${q(d.aipObjects)} objects (objectsPerAip ${u.objectsPerAip})`,
    );
}

/** Storage of the AIPs (store or replica) in the tiers its lifecycle gives them. */
function aipStorage(bucket: CostResource, p: RegionPrices["s3"], ctx: Context, where: string): Part {
    noteAips(ctx);
    const d = ctx.d;
    const u = ctx.usage;
    const held = d.aipGbHeld;
    const t = transitionOf(bucket, ctx);
    if (!t)
        return {
            item: "storage",
            kind: "per-tb-held",
            monthly: held * p.standardGbMonth,
            basis: `${q(held)} GB S3 Standard × ${rate(p.standardGbMonth)}${where}`,
        };
    const standard = Math.min(held, (d.aipGbPerMonth * t.days) / 30);
    const rest = held - standard;
    const lead = `${q(standard)} GB S3 Standard (the last ${t.days} days' AIPs) × ${rate(p.standardGbMonth)}`;
    const reads = u.aipReadSharePerMonth;
    if (t.storageClass === "INTELLIGENT_TIERING") {
        const it = p.intelligentTiering;
        const f0 = Math.min(rest, d.aipGbPerMonth);
        const ia0 = Math.min(rest - f0, 2 * d.aipGbPerMonth);
        const aia0 = rest - f0 - ia0;
        const frequent = f0 + reads * (ia0 + aia0);
        const infrequent = (1 - reads) * ia0;
        const archive = (1 - reads) * aia0;
        const objects = held > 0 ? (d.aipObjects * rest) / held : 0;
        return {
            item: "storage",
            kind: "per-tb-held",
            monthly:
                standard * p.standardGbMonth +
                frequent * it.frequentGbMonth +
                infrequent * it.infrequentGbMonth +
                archive * it.archiveInstantGbMonth +
                (objects / 1000) * it.monitoringPer1000,
            basis:
                `${lead}; Intelligent-Tiering: ${q(frequent)} GB Frequent (a month's AIPs and the aipReadSharePerMonth ${reads} read back) × ${rate(it.frequentGbMonth)} + ` +
                `${q(infrequent)} GB Infrequent (days 30–90) × ${rate(it.infrequentGbMonth)} + ${q(archive)} GB Archive Instant (older) × ${rate(it.archiveInstantGbMonth)} + ` +
                `monitoring ${q(objects)} objects × ${rate(it.monitoringPer1000)} per 1,000${where}`,
        };
    }
    const cls =
        t.storageClass === "GLACIER_IR"
            ? { name: "Glacier Instant Retrieval", gb: p.glacierIrGbMonth, read: p.glacierIrRetrievalGb }
            : t.storageClass === "STANDARD_IA"
              ? { name: "Standard-IA", gb: p.standardIaGbMonth, read: p.standardIaRetrievalGb }
              : undefined;
    if (!cls) return { item: "storage", kind: "per-tb-held", unpriced: `storage class ${t.storageClass} is not in the price table` };
    const readGb = reads * rest;
    return {
        item: "storage",
        kind: "per-tb-held",
        monthly: standard * p.standardGbMonth + rest * cls.gb + readGb * cls.read,
        basis: `${lead}; ${q(rest)} GB ${cls.name} × ${rate(cls.gb)} + ${q(readGb)} GB read back (aipReadSharePerMonth ${reads}) × ${rate(cls.read)}${where}`,
    };
}

function aipRequests(p: RegionPrices["s3"], ctx: Context): Part {
    const u = ctx.usage;
    const puts = u.transfersPerMonth * u.objectsPerAip * putsFor(ctx.d.aipGb / u.objectsPerAip);
    return {
        item: "requests",
        kind: "per-tb-ingested",
        monthly: (puts / 1000) * p.putPer1000,
        basis: `${q(puts)} PUT requests (transfersPerMonth ${u.transfersPerMonth} × objectsPerAip ${u.objectsPerAip} × 8 MiB multipart parts of ${q(ctx.d.aipGb / u.objectsPerAip)} GB) × ${rate(p.putPer1000)} per 1,000; GETs for reads not priced`,
    };
}

const s3Bucket: Pricer = (r, ctx) => {
    const region = regionOf(r, ctx);
    const prices = pricesFor(region);
    if (!prices) return { unpriced: `region ${region} has no prices in the table` };
    const p = prices.s3;
    const where = region === ctx.region ? "" : ` (${region} prices)`;
    const role = tagsOf(r).ArchivalStore;
    const u = ctx.usage;
    const d = ctx.d;
    switch (role) {
        case "aip-store":
            return [aipStorage(r, p, ctx, where), aipRequests(p, ctx)];
        case "aip-replica":
            return aipStorage(r, p, ctx, where);
        case "dip-store": {
            note(
                ctx,
                "DIP GB held",
                `AIP GB held ${q(d.aipGbHeld)} × dipShare ${u.dipShare} = ${q(d.dipGbHeld)} GB in ${q(d.dipObjects)} objects (one access copy per file: filesPerTransfer ${u.filesPerTransfer} × AIPs held)`,
            );
            const puts = d.filesPerMonth;
            return [
                {
                    item: "storage",
                    kind: "per-tb-held",
                    monthly: d.dipGbHeld * p.standardGbMonth,
                    basis: `${q(d.dipGbHeld)} GB S3 Standard × ${rate(p.standardGbMonth)}${where}`,
                },
                {
                    item: "requests",
                    kind: "per-tb-ingested",
                    monthly: (puts / 1000) * p.putPer1000,
                    basis: `${q(puts)} PUT requests (one per access copy: transfersPerMonth ${u.transfersPerMonth} × filesPerTransfer ${u.filesPerTransfer}) × ${rate(p.putPer1000)} per 1,000`,
                },
            ];
        }
        case "transfer-source": {
            note(
                ctx,
                "transfer-source GB",
                `ingestGbPerMonth ${u.ingestGbPerMonth} / ${q(DAYS_PER_MONTH)} days × transferSourceDaysKept ${u.transferSourceDaysKept} = ${q(d.transferSourceGb)} GB`,
            );
            const transferGb = u.transfersPerMonth > 0 ? u.ingestGbPerMonth / u.transfersPerMonth : 0;
            const puts = u.transfersPerMonth * putsFor(transferGb);
            return [
                {
                    item: "storage",
                    kind: "per-tb-ingested",
                    monthly: d.transferSourceGb * p.standardGbMonth,
                    basis: `${q(d.transferSourceGb)} GB S3 Standard (derived) × ${rate(p.standardGbMonth)}${where}`,
                },
                {
                    item: "requests",
                    kind: "per-tb-ingested",
                    monthly: (puts / 1000) * p.putPer1000,
                    basis: `${q(puts)} PUT requests (transfersPerMonth ${u.transfersPerMonth} uploads in 8 MiB parts) × ${rate(p.putPer1000)} per 1,000`,
                },
            ];
        }
        default:
            return {
                monthly: u.otherBucketGb * p.standardGbMonth,
                basis: `otherBucketGb ${u.otherBucketGb} GB S3 Standard × ${rate(p.standardGbMonth)}${where}`,
            };
    }
};

/** Replication: every new AIP crosses to the replica's region once, and is PUT there. */
const bucketReplication: Pricer = (r, ctx) => {
    const destination = refs(r, "rules", ctx).find((b) => b.type.startsWith("aws:s3/bucket"));
    const destRegion = destination ? regionOf(destination, ctx) : undefined;
    if (!destination || !destRegion) return { kind: "per-tb-ingested", unpriced: "its destination bucket is not in the plan" };
    if (destRegion === ctx.region)
        return {
            kind: "per-tb-ingested",
            monthly: 0,
            basis: "no charge for transfer: same-region replication (the replica's PUTs not priced)",
        };
    const dest = pricesFor(destRegion);
    if (!dest) return { kind: "per-tb-ingested", unpriced: `the replica's region ${destRegion} has no prices in the table` };
    noteAips(ctx);
    const u = ctx.usage;
    const gb = ctx.d.aipGbPerMonth;
    const objects = u.transfersPerMonth * u.objectsPerAip;
    note(
        ctx,
        "replication transfer",
        `AIP GB added a month ${q(gb)} GB, from ${ctx.region} to ${destRegion} once (deletes replicate as markers: none assumed)`,
    );
    return {
        kind: "per-tb-ingested",
        monthly: gb * ctx.prices.interRegionTransferGb + (objects / 1000) * dest.s3.putPer1000,
        basis: `${q(gb)} GB of new AIPs × ${rate(ctx.prices.interRegionTransferGb)} inter-region transfer (${ctx.region} → ${destRegion}) + ${q(objects)} replicated objects × ${rate(dest.s3.putPer1000)} per 1,000 PUTs in ${destRegion}`,
    };
};

// ---------------------------------------------------------------------------------------------
// AWS Backup: storage is priced on the selection, one line per resource it covers

/** The AWS Backup minimum billed size of an S3 object or delete marker (AWS Backup pricing, footnote). */
const S3_BACKUP_MIN_GB = 128 / 1e6;

function retentionOf(selection: CostResource, ctx: Context): number | undefined {
    const plan = refs(selection, "planId", ctx).find((x) => x.type === "aws:backup/plan:Plan");
    const days = arr(plan?.inputs.rules)
        .map((rule) => num(obj(obj(rule)?.lifecycle)?.deleteAfter))
        .filter((d): d is number => d !== undefined);
    return days.length ? Math.max(...days) : undefined;
}

/** The S3 backup of one archival store: every object and version, each billed as at least 128 KB. */
function s3BackupPart(role: unknown, ctx: Context, item: string): Part {
    const d = ctx.d;
    const p = ctx.prices.backup.s3GbMonth;
    const [objects, objectGb, what] =
        role === "aip-store"
            ? [d.aipObjects, d.aipObjects > 0 ? d.aipGbHeld / d.aipObjects : 0, "AIP"]
            : role === "dip-store"
              ? [d.dipObjects, d.dipObjectGb, "DIP"]
              : [undefined, undefined, undefined];
    if (objects === undefined || objectGb === undefined) {
        const gb = ctx.usage.otherBucketGb;
        return { item, kind: "fixed", monthly: gb * p, basis: `otherBucketGb ${gb} GB × ${rate(p)} S3 backup` };
    }
    const billedGb = objects * Math.max(objectGb, S3_BACKUP_MIN_GB);
    return {
        item,
        kind: "per-tb-held",
        monthly: billedGb * p,
        basis: `${q(objects)} ${what} objects × max(${q(objectGb * 1e6)} KB, 128 KB minimum) = ${q(billedGb)} GB × ${rate(p)} S3 backup (every version and delete marker is kept: none assumed beyond the current objects; GET/LIST requests and EventBridge events not priced)`,
    };
}

const backupSelection: Pricer = (r, ctx) => {
    const retention = retentionOf(r, ctx);
    if (retention === undefined) return { unpriced: "its backup plan and retention are not in the plan" };
    const covered = refs(r, "resources", ctx);
    if (!covered.length) return { unpriced: "the resources it selects are not in the plan" };
    const u = ctx.usage;
    const d = ctx.d;
    return covered.map((res): Part => {
        const item = `backup of ${res.name}`;
        if (res.type === "aws:efs/fileSystem:FileSystem") {
            noteEfs(ctx);
            const churn = (d.efsWorkingGb / Math.max(u.daysInSharedDirectory, 1)) * retention;
            const gb = d.efsWorkingGb + u.sharedDirectoryBaseGb + churn;
            note(
                ctx,
                "EFS backup GB",
                `resident ${q(d.efsWorkingGb + u.sharedDirectoryBaseGb)} GB + the ingest's resident GB captured daily (${q(d.efsWorkingGb)} / max(daysInSharedDirectory, 1)) × ${retention} days kept = ${q(gb)} GB`,
            );
            return {
                item,
                kind: "per-tb-ingested",
                monthly: gb * ctx.prices.backup.efsWarmGbMonth,
                basis: `${q(gb)} GB warm backup (derived) × ${rate(ctx.prices.backup.efsWarmGbMonth)}`,
            };
        }
        if (res.type === "aws:rds/instance:Instance") {
            const growth = (d.filesPerMonth * 4) / 1e6;
            const gb = u.databaseGb + (growth * retention) / DAYS_PER_MONTH;
            return {
                item,
                kind: "fixed",
                monthly: gb * ctx.prices.rds.backupGbMonth,
                basis: `databaseGb ${u.databaseGb} + daily increments (4 KB a file ingested) over ${retention} days = ${q(gb)} GB snapshots × ${rate(ctx.prices.rds.backupGbMonth)} (not reduced by RDS's free backup allowance, which the automated backups use)`,
            };
        }
        if (res.type === "aws:s3/bucket:Bucket" || res.type === "aws:s3/bucketV2:BucketV2")
            return s3BackupPart(tagsOf(res).ArchivalStore, ctx, item);
        return { item, kind: "fixed", unpriced: `backups of ${res.type} are not in the price table` };
    });
};

// ---------------------------------------------------------------------------------------------
// Network

const natGateway: Pricer = (_r, ctx) => {
    const h = ctx.a.hoursPerMonth;
    const p = ctx.prices.natGateway;
    const gb = ctx.usage.natGbPerGatewayPerMonth;
    return {
        monthly: h * p.hour + gb * p.gbProcessed,
        basis: `${h} h × ${rate(p.hour)} + natGbPerGatewayPerMonth ${gb} GB processed × ${rate(p.gbProcessed)}`,
    };
};

const eip: Pricer = (_r, ctx) => ({
    monthly: ctx.a.hoursPerMonth * ctx.prices.publicIpv4Hour,
    basis: `public IPv4 address ${ctx.a.hoursPerMonth} h × ${rate(ctx.prices.publicIpv4Hour)}`,
});

const loadBalancer: Pricer = (r, ctx) => {
    const kind = r.inputs.loadBalancerType ?? "application";
    if (kind !== "application") return { unpriced: `${String(kind)} load balancers are not in the price table (ALBs are)` };
    const h = ctx.a.hoursPerMonth;
    const p = ctx.prices.alb;
    const lcus = ctx.usage.albLcus;
    let monthly = h * (p.hour + lcus * p.lcuHour);
    const parts = [`${h} h × (${rate(p.hour)} + albLcus ${lcus} LCU × ${rate(p.lcuHour)})`];
    if (r.inputs.internal !== true) {
        const subnets = Array.isArray(r.inputs.subnets)
            ? r.inputs.subnets.length
            : Array.isArray(r.inputs.subnetMappings)
              ? r.inputs.subnetMappings.length
              : 0;
        if (!subnets) return { unpriced: "internet-facing with no subnets in the plan: its public IPv4 addresses cannot be counted" };
        monthly += subnets * h * ctx.prices.publicIpv4Hour;
        parts.push(
            `${plural(subnets, "public IPv4 address", "public IPv4 addresses")} (one per subnet) × ${h} h × ${rate(ctx.prices.publicIpv4Hour)}`,
        );
    }
    return { monthly, basis: parts.join("; ") };
};

const vpcEndpoint: Pricer = (r) =>
    r.inputs.vpcEndpointType === "Gateway"
        ? { monthly: 0, basis: "no charge: gateway endpoint" }
        : { unpriced: `${String(r.inputs.vpcEndpointType ?? "Interface")} endpoints are not in the price table` };

const flowLog: Pricer = (r, ctx) => {
    const destination = r.inputs.logDestinationType ?? "cloud-watch-logs";
    if (destination !== "cloud-watch-logs") return { unpriced: `flow logs to ${String(destination)} are not in the price table` };
    const gb = ctx.usage.flowLogGbPerMonth;
    const p = ctx.prices.cloudwatch.vendedLogIngestGb;
    return {
        monthly: gb * p,
        basis: `flowLogGbPerMonth ${gb} GB × ${rate(p)} vended-log ingestion (storage on its log group's line)`,
    };
};

// ---------------------------------------------------------------------------------------------
// Observability, keys, secrets

/** Log groups of the Archivematica services and the smoke test: they share serviceLogGbPerMonth. */
function isServiceLogGroup(r: CostResource): boolean {
    return /archivematica:index:(ArchivematicaService|SmokeTest)\$aws:cloudwatch\/logGroup:LogGroup::/.test(r.urn);
}

const logGroup: Pricer = (r, ctx) => {
    const retention = num(r.inputs.retentionInDays) ?? 0;
    const months = retention > 0 ? retention / 30 : 12;
    const p = ctx.prices.cloudwatch;
    const kept = retention > 0 ? `kept ${retention} d` : "never expires: 12 months kept (assumed)";
    if (ctx.flowLogGroups.has(r.urn)) {
        const gb = ctx.usage.flowLogGbPerMonth;
        return {
            monthly: gb * months * p.logStorageGbMonth,
            basis: `flow-log destination: flowLogGbPerMonth ${gb} GB ${kept} = ${q(gb * months)} GB stored × ${rate(p.logStorageGbMonth)} (ingestion on the flow log's line)`,
        };
    }
    const name = String(r.inputs.name ?? r.name);
    if (name.startsWith("aws-waf-logs-")) {
        const gb = ctx.usage.requestsPerMonth / 1e6;
        return {
            monthly: gb * p.vendedLogIngestGb + gb * months * p.logStorageGbMonth,
            basis: `web ACL logs: requestsPerMonth ${ctx.usage.requestsPerMonth} × 1 KB a record = ${q(gb)} GB × ${rate(p.vendedLogIngestGb)} vended-log ingestion + ${kept} = ${q(gb * months)} GB stored × ${rate(p.logStorageGbMonth)}`,
        };
    }
    if (isServiceLogGroup(r)) {
        const groups = ctx.resources.filter(isServiceLogGroup).length;
        const gb = ctx.usage.serviceLogGbPerMonth / groups;
        return {
            kind: "per-tb-ingested",
            monthly: gb * p.logIngestGb + gb * months * p.logStorageGbMonth,
            basis: `serviceLogGbPerMonth ${ctx.usage.serviceLogGbPerMonth} / ${groups} service log groups = ${q(gb)} GB ingested × ${rate(p.logIngestGb)} + ${kept} = ${q(gb * months)} GB stored × ${rate(p.logStorageGbMonth)}`,
        };
    }
    const gb = ctx.usage.otherLogGbPerGroupPerMonth;
    return {
        monthly: gb * p.logIngestGb + gb * months * p.logStorageGbMonth,
        basis: `otherLogGbPerGroupPerMonth ${gb} GB ingested × ${rate(p.logIngestGb)} + ${kept} = ${q(gb * months)} GB stored × ${rate(p.logStorageGbMonth)}`,
    };
};

/**
 * Namespaces AWS services publish to outside `AWS/`: their metrics are billed with the service
 * (Container Insights on the ECS cluster's line), not as metrics of ours.
 */
const SERVICE_NAMESPACES = ["ECS/ContainerInsights", "ContainerInsights"];

/** The custom metrics (a namespace of ours, not AWS/) an alarm watches, as keys. */
function customMetricsOf(r: CostResource): string[] {
    const metrics: Record<string, unknown>[] = [];
    if (typeof r.inputs.metricName === "string")
        metrics.push({ namespace: r.inputs.namespace, metricName: r.inputs.metricName, dimensions: r.inputs.dimensions });
    for (const query of arr(r.inputs.metricQueries).map(obj)) {
        const m = obj(query?.metric);
        if (m) metrics.push(m);
    }
    return metrics
        .filter((m) => typeof m.namespace === "string" && !m.namespace.startsWith("AWS/") && !SERVICE_NAMESPACES.includes(m.namespace))
        .map((m) => `${String(m.namespace)}|${String(m.metricName)}|${JSON.stringify(m.dimensions ?? {})}`);
}

const metricAlarm: Pricer = (r, ctx) => {
    const queries = arr(r.inputs.metricQueries).map(obj);
    const metrics = Math.max(1, queries.filter((x) => x?.metric).length);
    const p = ctx.prices.cloudwatch;
    const fresh = customMetricsOf(r).filter((k) => !ctx.claimedMetrics.has(k));
    for (const k of fresh) ctx.claimedMetrics.add(k);
    const basis = `${plural(metrics, "metric")} × ${rate(p.alarmMonth)} (standard-resolution alarm)`;
    return fresh.length
        ? {
              monthly: metrics * p.alarmMonth + fresh.length * p.customMetricMonth,
              basis: `${basis} + ${plural(fresh.length, "custom metric")} it is the first to watch × ${rate(p.customMetricMonth)}`,
          }
        : { monthly: metrics * p.alarmMonth, basis };
};

const dashboard: Pricer = (_r, ctx) => ({
    monthly: ctx.prices.cloudwatch.dashboardMonth,
    basis: `${rate(ctx.prices.cloudwatch.dashboardMonth)} a dashboard (the account's 3 free dashboards assumed used)`,
});

const scalingPolicy: Pricer = (r, ctx) => {
    if (r.inputs.policyType !== "TargetTrackingScaling") return { monthly: 0, basis: "no charge: Application Auto Scaling" };
    const p = ctx.prices.cloudwatch.alarmMonth;
    return { monthly: 2 * p, basis: `target tracking: the 2 CloudWatch alarms AWS creates for it × ${rate(p)}` };
};

const kmsKey: Pricer = (r, ctx) => {
    const k = ctx.prices.kms;
    if (r.inputs.enableKeyRotation !== true) return { monthly: k.keyMonth, basis: `${rate(k.keyMonth)} a key-month (requests not priced)` };
    return {
        monthly: k.keyMonth + k.rotationsCharged * k.rotationMonth,
        basis: `${rate(k.keyMonth)} a key-month + yearly rotation: ${rate(k.rotationMonth)} for each of the first ${k.rotationsCharged} rotations (priced from the third year on: $${k.keyMonth} in the first year, $${k.keyMonth + k.rotationMonth} in the second; requests not priced)`,
    };
};

const secret: Pricer = (_r, ctx) => ({
    monthly: ctx.prices.secretMonth,
    basis: `${rate(ctx.prices.secretMonth)} a secret-month (API calls not priced)`,
});

/**
 * Cloud Map creates a Route 53 private hosted zone for a namespace found by DNS in a VPC
 * (https://docs.aws.amazon.com/cloud-map/latest/dg/namespaces-values.html); the zone is the
 * namespace's fixed monthly charge. Its DNS queries are usage and not priced.
 */
const privateDnsNamespace: Pricer = (_r, ctx) => ({
    monthly: ctx.prices.route53HostedZoneMonth,
    basis: `the Route 53 private hosted zone Cloud Map creates for it: ${rate(ctx.prices.route53HostedZoneMonth)} a hosted zone-month (DNS queries not priced)`,
});

/** A discovery service: one registered instance per running task of the ECS service that registers in it. */
const discoveryService: Pricer = (r, ctx) => {
    const service = ctx.resources.find(
        (s) => s.type === "aws:ecs/service:Service" && (s.propertyDependencies?.serviceRegistries ?? []).includes(r.urn),
    );
    const tasks = service ? (num(service.inputs.desiredCount) ?? 1) : 1;
    const p = ctx.prices.cloudMapInstanceMonth;
    if (tasks === 0) return { monthly: 0, basis: `no charge while idle: no registered instance at ${service!.name}'s desired count of 0` };
    return {
        monthly: tasks * p,
        basis: `${plural(tasks, "registered instance")} (${service ? `the desired count of ${service.name}` : "no ECS service found: 1 assumed"}) × ${rate(p)} (DNS queries not priced)`,
    };
};

/** ECS Container Insights (standard), counted from the metrics table in the CloudWatch user guide. */
export const CONTAINER_INSIGHTS_METRICS = {
    /** ClusterName: Cpu/Memory Utilized and Reserved, Network Rx/Tx, Storage Read/Write, TaskCount, ServiceCount. */
    cluster: 10,
    /** ClusterName+ServiceName: the eight above less the counts, plus Desired/Running/Pending task, deployment and task-set counts. */
    service: 13,
    /** ClusterName+TaskDefinitionFamily: Cpu/Memory Utilized and Reserved, Network Rx/Tx, Storage Read/Write. */
    taskFamily: 8,
    /** One performance log event per task and per container each minute, about 1 KB each. */
    eventKb: 1,
};

function containerInsightsStandard(ctx: Context): { monthly: number; basis: string } {
    const services = ctx.resources.filter((x) => x.type === "aws:ecs/service:Service");
    const families = ctx.resources.filter((x) => x.type === "aws:ecs/taskDefinition:TaskDefinition");
    const m = CONTAINER_INSIGHTS_METRICS;
    const metrics = m.cluster + m.service * services.length + m.taskFamily * families.length;
    let tasks = 0;
    let containers = 0;
    for (const s of services) {
        const count = num(s.inputs.desiredCount) ?? 1;
        const td = taskDefinitionOf(s, ctx);
        const defs =
            typeof td?.inputs.containerDefinitions === "string"
                ? (JSON.parse(td.inputs.containerDefinitions) as unknown[])
                : arr(td?.inputs.containerDefinitions);
        tasks += count;
        containers += count * Math.max(1, defs.length);
    }
    const p = ctx.prices.cloudwatch;
    const gb = ((tasks + containers) * ctx.a.hoursPerMonth * 60 * m.eventKb) / 1e6;
    return {
        monthly: metrics * p.customMetricMonth + gb * p.logIngestGb + gb * p.logStorageGbMonth,
        basis: `${metrics} metrics (${m.cluster} cluster + ${m.service} × ${services.length} services + ${m.taskFamily} × ${families.length} task families; count from the CloudWatch user guide, unconfirmed) × ${rate(p.customMetricMonth)} + performance logs (${tasks} tasks + ${containers} containers) × ${ctx.a.hoursPerMonth * 60} minutes × ${m.eventKb} KB = ${q(gb)} GB × (${rate(p.logIngestGb)} + a month kept × ${rate(p.logStorageGbMonth)})`,
    };
}

const ecsCluster: Pricer = (r, ctx) => {
    const settings = arr(r.inputs.settings).map(obj);
    const insights = settings.find((s) => s?.name === "containerInsights")?.value;
    if (!insights || insights === "disabled") return { monthly: 0, basis: "no charge: ECS cluster" };
    const standard = containerInsightsStandard(ctx);
    if (insights === "enhanced")
        return {
            item: "Container Insights",
            unpriced: `Container Insights with enhanced observability is billed per observation, and no per-observation price was found; standard Container Insights would be ${usd(standard.monthly)}: ${standard.basis}`,
        };
    return { item: "Container Insights", ...standard };
};

const efsBackupPolicy: Pricer = (r) =>
    obj(r.inputs.backupPolicy)?.status === "ENABLED"
        ? {
              unpriced:
                  "EFS automatic backups go to the default vault; their storage is not priced (this stack's own plan is priced on its selection)",
          }
        : { monthly: 0, basis: "no charge: backups off" };

const pullThroughCache: Pricer = (_r, ctx) => ({
    monthly: ctx.usage.cachedImageGb * ctx.prices.ecrStorageGbMonth,
    basis: `cachedImageGb ${ctx.usage.cachedImageGb} GB of cached images × ${rate(ctx.prices.ecrStorageGbMonth)} ECR storage`,
});

/** Runs a month of a schedule expression: rate(n unit) or a cron (days in its day-of-month and day-of-week fields). */
export function runsPerMonth(expression: string): number | undefined {
    const rateMatch = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expression);
    if (rateMatch) {
        const minutes = { minute: 1, hour: 60, day: 1440 }[rateMatch[2] as "minute" | "hour" | "day"] * Number(rateMatch[1]);
        return (730 * 60) / minutes;
    }
    const cron = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$/.exec(expression);
    if (!cron) return undefined;
    const [, minute, hour, dom, , dow] = cron;
    const count = (field: string, all: number) =>
        field === "*" ? all : field.includes("/") ? all / Number(field.split("/")[1]) : field.split(",").length;
    const perDay = count(minute, 60) * count(hour, 24);
    const days =
        dom !== "?" && dom !== "*"
            ? count(dom, DAYS_PER_MONTH)
            : dow !== "?" && dow !== "*"
              ? (count(dow, 7) * DAYS_PER_MONTH) / 7
              : DAYS_PER_MONTH;
    return perDay * days;
}

const schedule: Pricer = (r, ctx) => {
    const expression = String(r.inputs.scheduleExpression ?? "");
    const runs = runsPerMonth(expression);
    if (runs === undefined) return { unpriced: `schedule ${expression || "(none)"} cannot be counted` };
    const invocations: Part = {
        item: "invocations",
        monthly: (runs / 1e6) * ctx.prices.schedulerPerMillion,
        basis: `${q(runs)} invocations (${expression}) × ${rate(ctx.prices.schedulerPerMillion)} per million (the account's first 14 million a month are free: not subtracted)`,
    };
    const ecs = obj(obj(r.inputs.target)?.ecsParameters);
    if (!ecs) return invocations;
    const td = refs(r, "target", ctx).find((x) => x.type === "aws:ecs/taskDefinition:TaskDefinition");
    if (!td) return [invocations, { item: "the task it starts", unpriced: "its task definition is not in the plan" }];
    const task = taskHour(td, ctx, 0);
    if (typeof task === "string") return [invocations, { item: "the task it starts", unpriced: task }];
    const minutes = ctx.usage.scheduledTaskMinutes;
    return [
        invocations,
        {
            item: "the task it starts",
            monthly: (runs * minutes * task.hourly) / 60,
            basis: `${q(runs)} runs × scheduledTaskMinutes ${minutes} min × ${task.formula} (Fargate on demand; plus one run after each deploy, not priced)`,
        },
    ];
};

// ---------------------------------------------------------------------------------------------
// Serverless ingest (issue 17's types): driven by the transfers and by their schedules

/** Invocations a month of a function: from transfers (an event source or permission) and schedules that target it. */
function functionInvocations(fn: CostResource, ctx: Context): { event: number; scheduled: number; how: string[] } {
    const u = ctx.usage;
    const targets = (x: CostResource) => Object.values(x.propertyDependencies ?? {}).some((urns) => urns.includes(fn.urn));
    const eventDriven = ctx.resources.some(
        (x) =>
            (x.type === "aws:lambda/eventSourceMapping:EventSourceMapping" && targets(x)) ||
            (x.type === "aws:lambda/permission:Permission" && targets(x) && /s3|sqs|events/.test(String(x.inputs.principal ?? ""))),
    );
    const how: string[] = [];
    let scheduled = 0;
    for (const x of ctx.resources) {
        const expression =
            x.type === "aws:scheduler/schedule:Schedule"
                ? x.inputs.scheduleExpression
                : x.type === "aws:cloudwatch/eventTarget:EventTarget"
                  ? refs(x, "rule", ctx)[0]?.inputs.scheduleExpression
                  : undefined;
        if (typeof expression !== "string" || !targets(x)) continue;
        const runs = runsPerMonth(expression);
        if (runs !== undefined) {
            scheduled += runs;
            how.push(`${q(runs)} from ${x.name} (${expression})`);
        }
    }
    const event = eventDriven ? u.transfersPerMonth : 0;
    if (eventDriven) how.unshift(`${u.transfersPerMonth} from transfersPerMonth (one event a transfer)`);
    return { event, scheduled, how };
}

const lambdaFunction: Pricer = (r, ctx) => {
    const inv = functionInvocations(r, ctx);
    if (inv.event + inv.scheduled === 0)
        return { unpriced: "no event source or schedule in the plan invokes it: its invocations cannot be derived" };
    const memoryGb = (num(r.inputs.memorySize) ?? 128) / 1024;
    const arm = arr(r.inputs.architectures)[0] === "arm64";
    const p = ctx.prices.lambda;
    const gbSecond = arm ? p.armGbSecond : p.x86GbSecond;
    const seconds = ctx.usage.functionSecondsPerInvocation;
    const each = p.requestPerMillion / 1e6 + memoryGb * seconds * gbSecond;
    const formula = `× (${rate(p.requestPerMillion)} per million + ${q(memoryGb)} GB × functionSecondsPerInvocation ${seconds} s × ${rate(gbSecond)} per GB-second, ${arm ? "Arm" : "x86"}; the account's free allowance not subtracted)`;
    const parts: Part[] = [];
    if (inv.event)
        parts.push({
            item: "invocations from transfers",
            kind: "per-tb-ingested",
            monthly: inv.event * each,
            basis: `${q(inv.event)} invocations (${inv.how[0]}) ${formula}`,
        });
    if (inv.scheduled)
        parts.push({
            item: "scheduled invocations",
            kind: "fixed",
            monthly: inv.scheduled * each,
            basis: `${q(inv.scheduled)} invocations (${inv.how.slice(inv.event ? 1 : 0).join(", ")}) ${formula}`,
        });
    return parts;
};

const sqsQueue: Pricer = (r, ctx) => {
    const isDeadLetter = ctx.resources.some(
        (x) => x.type === "aws:sqs/queue:Queue" && x !== r && (x.propertyDependencies?.redrivePolicy ?? []).includes(r.urn),
    );
    if (isDeadLetter)
        return {
            kind: "per-tb-ingested",
            monthly: 0,
            basis: "no charge expected: a dead-letter queue (requests only when a message fails)",
        };
    const fifo = r.inputs.fifoQueue === true || String(r.inputs.name ?? "").endsWith(".fifo");
    const price = fifo ? ctx.prices.sqs.fifoPerMillion : ctx.prices.sqs.standardPerMillion;
    const requests = ctx.usage.transfersPerMonth * 3;
    return {
        kind: "per-tb-ingested",
        monthly: (requests / 1e6) * price,
        basis: `${q(requests)} requests (transfersPerMonth ${ctx.usage.transfersPerMonth} × send, receive, delete) × ${rate(price)} per million${fifo ? " (FIFO)" : ""}; empty receives of idle long polling not priced`,
    };
};

/** Request units per transfer a ledger table takes: a conditional write at start and updates as it progresses; reads by the monitor. */
export const DYNAMODB_UNITS_PER_TRANSFER = { writes: 4, reads: 20, itemKb: 1 };

const dynamodbTable: Pricer = (r, ctx) => {
    if (r.inputs.billingMode !== "PAY_PER_REQUEST")
        return { unpriced: `billing mode ${String(r.inputs.billingMode ?? "PROVISIONED")} is not in the price table (on demand is)` };
    const p = ctx.prices.dynamodb;
    const u = ctx.usage;
    const k = DYNAMODB_UNITS_PER_TRANSFER;
    const writes = u.transfersPerMonth * k.writes;
    const reads = u.transfersPerMonth * k.reads;
    const gb = (ctx.d.aipsHeld * k.itemKb) / 1e6;
    const pitr = obj(r.inputs.pointInTimeRecovery)?.enabled === true;
    return {
        kind: "per-tb-ingested",
        monthly:
            (writes / 1e6) * p.writePerMillion + (reads / 1e6) * p.readPerMillion + gb * (p.storageGbMonth + (pitr ? p.pitrGbMonth : 0)),
        basis: `transfersPerMonth ${u.transfersPerMonth} × (${k.writes} writes × ${rate(p.writePerMillion)} + ${k.reads} reads × ${rate(p.readPerMillion)}) per million + ${q(gb)} GB (${k.itemKb} KB an AIP held) × ${rate(p.storageGbMonth)}${pitr ? ` + point-in-time recovery × ${rate(p.pitrGbMonth)}` : ""}`,
    };
};

/** Managed rule groups with a subscription fee of their own (AWS WAF pricing: intelligent threat mitigation). */
const PAID_RULE_GROUPS = [
    "AWSManagedRulesBotControlRuleSet",
    "AWSManagedRulesATPRuleSet",
    "AWSManagedRulesACFPRuleSet",
    "AWSManagedRulesAntiDDoSRuleSet",
];

const webAcl: Pricer = (r, ctx) => {
    const rules = arr(r.inputs.rules).map(obj);
    const p = ctx.prices.waf;
    const requests = ctx.usage.requestsPerMonth;
    const paid = rules
        .map((x) => String(obj(obj(x?.statement)?.managedRuleGroupStatement)?.name ?? ""))
        .filter((n) => PAID_RULE_GROUPS.includes(n));
    return {
        monthly: p.aclMonth + rules.length * p.ruleMonth + (requests / 1e6) * p.requestsPerMillion,
        basis:
            `${rate(p.aclMonth)} a web ACL + ${plural(rules.length, "rule")} × ${rate(p.ruleMonth)} (a managed rule group counts as one) + requestsPerMonth ${requests} × ${rate(p.requestsPerMillion)} per million` +
            (paid.length ? `; the subscription fees of ${paid.join(", ")} not priced` : ""),
    };
};

const userPool: Pricer = (r, ctx) => {
    const tier = String(r.inputs.userPoolTier ?? "ESSENTIALS") as keyof RegionPrices["cognito"];
    const price = ctx.prices.cognito[tier];
    if (price === undefined) return { unpriced: `feature plan ${tier} is not in the price table` };
    const users = ctx.usage.staffUsers;
    return {
        monthly: users * price,
        basis: `staffUsers ${users} monthly active users × ${rate(price)} (${tier}; the account's free allowance${tier === "PLUS" ? "" : ", 10,000 a month on Lite and Essentials,"} not subtracted)`,
    };
};

/** The priced types. */
export const PRICERS: Record<string, Pricer> = {
    "aws:ecs/service:Service": fargateService,
    "aws:rds/instance:Instance": rdsInstance,
    "aws:elasticache/replicationGroup:ReplicationGroup": elasticacheReplicationGroup,
    "aws:elasticache/cluster:Cluster": elasticacheCluster,
    "aws:opensearch/domain:Domain": opensearchDomain,
    "aws:efs/fileSystem:FileSystem": efsFileSystem,
    "aws:s3/bucket:Bucket": s3Bucket,
    "aws:s3/bucketV2:BucketV2": s3Bucket,
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": bucketReplication,
    "aws:backup/selection:Selection": backupSelection,
    "aws:ec2/natGateway:NatGateway": natGateway,
    "aws:ec2/eip:Eip": eip,
    "aws:lb/loadBalancer:LoadBalancer": loadBalancer,
    "aws:ec2/vpcEndpoint:VpcEndpoint": vpcEndpoint,
    "aws:ec2/flowLog:FlowLog": flowLog,
    "aws:cloudwatch/logGroup:LogGroup": logGroup,
    "aws:cloudwatch/metricAlarm:MetricAlarm": metricAlarm,
    "aws:cloudwatch/dashboard:Dashboard": dashboard,
    "aws:appautoscaling/policy:Policy": scalingPolicy,
    "aws:kms/key:Key": kmsKey,
    "aws:secretsmanager/secret:Secret": secret,
    "aws:ecs/cluster:Cluster": ecsCluster,
    "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": privateDnsNamespace,
    "aws:servicediscovery/service:Service": discoveryService,
    "aws:efs/backupPolicy:BackupPolicy": efsBackupPolicy,
    "aws:ecr/pullThroughCacheRule:PullThroughCacheRule": pullThroughCache,
    "aws:scheduler/schedule:Schedule": schedule,
    "aws:lambda/function:Function": lambdaFunction,
    "aws:sqs/queue:Queue": sqsQueue,
    "aws:dynamodb/table:Table": dynamodbTable,
    "aws:wafv2/webAcl:WebAcl": webAcl,
    "aws:cognito/userPool:UserPool": userPool,
};

const VPC_FREE = "no charge: VPC component (https://aws.amazon.com/vpc/pricing/ lists the charged ones)";
const S3_CONFIG = "no charge: S3 configuration";

/** Types AWS does not charge for by themselves, with why. */
export const NO_CHARGE: Record<string, string> = {
    "aws:iam/role:Role": "no charge: IAM",
    "aws:iam/rolePolicy:RolePolicy": "no charge: IAM",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "no charge: IAM",
    "aws:iam/policy:Policy": "no charge: IAM",
    "aws:ec2/vpc:Vpc": VPC_FREE,
    "aws:ec2/subnet:Subnet": VPC_FREE,
    "aws:ec2/routeTable:RouteTable": VPC_FREE,
    "aws:ec2/routeTableAssociation:RouteTableAssociation": VPC_FREE,
    "aws:ec2/route:Route": VPC_FREE,
    "aws:ec2/internetGateway:InternetGateway": `${VPC_FREE}; data transfer not priced`,
    "aws:ec2/securityGroup:SecurityGroup": VPC_FREE,
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": VPC_FREE,
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": VPC_FREE,
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": VPC_FREE,
    "aws:ecs/taskDefinition:TaskDefinition": "no charge: billed through the ECS service or schedule that runs it",
    "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": "no charge: ECS configuration",
    "aws:appautoscaling/target:Target": "no charge: Application Auto Scaling",
    "aws:appautoscaling/scheduledAction:ScheduledAction": "no charge: Application Auto Scaling",
    "aws:efs/mountTarget:MountTarget": "no charge: EFS bills storage and throughput (on the file system's lines)",
    "aws:efs/accessPoint:AccessPoint": "no charge: EFS bills storage and throughput (on the file system's lines)",
    "aws:efs/fileSystemPolicy:FileSystemPolicy": "no charge: EFS configuration",
    "aws:rds/parameterGroup:ParameterGroup": "no charge: RDS configuration",
    "aws:rds/subnetGroup:SubnetGroup": "no charge: RDS configuration",
    "aws:elasticache/subnetGroup:SubnetGroup": "no charge: ElastiCache configuration",
    "aws:elasticache/parameterGroup:ParameterGroup": "no charge: ElastiCache configuration",
    "aws:opensearch/domainPolicy:DomainPolicy": "no charge: OpenSearch configuration",
    "aws:lb/listener:Listener": "no charge: billed through its load balancer",
    "aws:lb/listenerRule:ListenerRule": "no charge: billed through its load balancer",
    "aws:lb/targetGroup:TargetGroup": "no charge: billed through its load balancer",
    "aws:lb/listenerCertificate:ListenerCertificate": "no charge: billed through its load balancer",
    // https://aws.amazon.com/certificate-manager/pricing/: public certificates ACM issues (not exportable) are free.
    "aws:acm/certificate:Certificate": "no charge: public ACM certificates are free",
    "aws:acm/certificateValidation:CertificateValidation": "no charge: ACM validation (its DNS record is a Route 53 record)",
    "aws:route53/record:Record":
        "no charge: a DNS record (the hosted zone bills; alias queries to AWS resources are free, other queries not priced)",
    "aws:secretsmanager/secretVersion:SecretVersion": "no charge: billed with its secret",
    "aws:kms/alias:Alias": "no charge: billed with its key",
    "aws:s3/bucketPolicy:BucketPolicy": S3_CONFIG,
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": S3_CONFIG,
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": S3_CONFIG,
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": S3_CONFIG,
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": S3_CONFIG,
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration":
        "no charge: S3 configuration (its transitions shape the bucket's storage line)",
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2":
        "no charge: S3 configuration (its transitions shape the bucket's storage line)",
    "aws:s3/bucketVersioning:BucketVersioning": "no charge: S3 configuration (old versions are stored bytes)",
    "aws:s3/bucketVersioningV2:BucketVersioningV2": "no charge: S3 configuration (old versions are stored bytes)",
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": "no charge: S3 configuration (locked versions are stored bytes)",
    "aws:s3/bucketNotification:BucketNotification": "no charge: S3 event notifications are free",
    "aws:s3/bucketObjectv2:BucketObjectv2": "no charge: a few KB, billed with its bucket's storage",
    "aws:s3/bucketObject:BucketObject": "no charge: a few KB, billed with its bucket's storage",
    "aws:backup/vault:Vault": "no charge: the vault itself (backup storage is priced on the backup selection's lines)",
    "aws:backup/plan:Plan": "no charge: the plan itself (backup storage is priced on the backup selection's lines)",
    "aws:backup/vaultLockConfiguration:VaultLockConfiguration": "no charge: AWS Backup configuration",
    "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate":
        "no charge: ECR configuration (cached images are priced on the pull-through cache rule)",
    "aws:cloudwatch/eventRule:EventRule": "no charge: EventBridge does not charge for AWS service events or scheduled rules",
    "aws:cloudwatch/eventTarget:EventTarget": "no charge: EventBridge does not charge for AWS service events or scheduled rules",
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": "no charge: CloudWatch Logs configuration",
    "aws:sns/topic:Topic": "no charge for the topic; alarm notifications assumed within SNS's free requests and e-mails",
    "aws:sns/topicPolicy:TopicPolicy": "no charge: SNS configuration",
    "aws:sns/topicSubscription:TopicSubscription": "no charge: SNS configuration",
    "aws:lambda/permission:Permission": "no charge: Lambda configuration",
    "aws:lambda/eventSourceMapping:EventSourceMapping": "no charge: Lambda configuration (its queue's requests are on the queue's line)",
    "aws:sqs/queuePolicy:QueuePolicy": "no charge: SQS configuration",
    "aws:wafv2/webAclAssociation:WebAclAssociation": "no charge: billed through its web ACL",
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration":
        "no charge: WAF configuration (its logs are priced on their log group)",
    "aws:cognito/userPoolClient:UserPoolClient": "no charge: billed through its user pool's active users",
    "aws:cognito/userPoolDomain:UserPoolDomain": "no charge: billed through its user pool's active users",
};

/** Why a resource that is not an AWS resource costs nothing. */
function notACloudResource(r: CostResource): string | undefined {
    if (r.type === "pulumi:pulumi:Stack") return "no charge: the Pulumi stack";
    if (r.type.startsWith("pulumi:providers:")) return "no charge: a Pulumi provider";
    if (r.type.startsWith("random:")) return "no charge: generated by the Pulumi random provider";
    if (!r.custom) return "no charge: a component (its children are priced)";
    return undefined;
}

function priceOne(r: CostResource, ctx: Context): CostLine[] {
    const line = (p: Partial<CostLine> & Pick<CostLine, "monthly" | "basis">): CostLine => ({
        urn: r.urn,
        type: r.type,
        item: p.item ?? "",
        kind: p.kind ?? "fixed",
        monthly: p.monthly,
        basis: p.basis,
    });
    const free = notACloudResource(r) ?? NO_CHARGE[r.type];
    if (free) return [line({ monthly: 0, basis: free })];
    const pricer = PRICERS[r.type];
    if (!pricer) return [line({ monthly: null, basis: "not priced: type not in the price table" })];
    const parts = [pricer(r, ctx)].flat();
    return parts.map((p) =>
        "unpriced" in p
            ? line({ item: p.item, kind: p.kind, monthly: null, basis: `not priced: ${p.unpriced}` })
            : line({
                  item: p.item,
                  kind: p.kind,
                  monthly: cents(p.monthly),
                  // A real charge that rounds to nothing says so, rather than pass for no charge.
                  basis: p.monthly > 0 && cents(p.monthly) === 0 ? `under a cent a month: ${p.basis}` : p.basis,
              }),
    );
}

function flowLogDestinations(resources: CostResource[], byUrn: Map<string, CostResource>): Set<string> {
    const groups = new Set<string>();
    for (const r of resources) {
        if (r.type !== "aws:ec2/flowLog:FlowLog") continue;
        const deps = r.propertyDependencies?.logDestination ?? [];
        const dep = deps.find((u) => byUrn.get(u)?.type === "aws:cloudwatch/logGroup:LogGroup");
        if (dep) {
            groups.add(dep);
            continue;
        }
        // No recorded link: match the destination ARN's log-group name.
        const name = /:log-group:([^:*]+)/.exec(String(r.inputs.logDestination ?? ""))?.[1];
        const group = resources.find((g) => g.type === "aws:cloudwatch/logGroup:LogGroup" && (g.inputs.name ?? g.name) === name);
        if (group) groups.add(group.urn);
    }
    return groups;
}

export interface EstimateOptions {
    usage?: Usage;
    assumptions?: Assumptions;
}

function context(resources: CostResource[], region: string, options: EstimateOptions): Context {
    const prices = PRICES[region];
    if (!prices)
        throw new UnpricedRegionError(`region ${region} has no prices in tools/cost/prices.ts; priced: ${pricedRegions().join(", ")}`);
    const usage = options.usage ?? DEFAULT_USAGE;
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    return {
        region,
        prices,
        a: options.assumptions ?? DEFAULT_ASSUMPTIONS,
        usage,
        d: deriveUsage(usage),
        byUrn,
        resources,
        flowLogGroups: flowLogDestinations(resources, byUrn),
        notes: new Map(),
        claimedMetrics: new Set(),
    };
}

/** Sum of lines in cents, back to dollars (each line is already rounded to the cent). */
export function sumLines(lines: { monthly: number | null }[]): number {
    return lines.reduce((sum, l) => sum + Math.round((l.monthly ?? 0) * 100), 0) / 100;
}

/** Prices every resource for `region`; throws {@link UnpricedRegionError} when the region has no prices. */
export function estimate(resources: CostResource[], region: string, options: EstimateOptions = {}): Estimate {
    const ctx = context(resources, region, options);
    const lines = resources.flatMap((r) => priceOne(r, ctx));
    return { currency: CURRENCY, region, total: sumLines(lines), lines, derived: [...ctx.notes.values()] };
}

/**
 * What backing up the archival stores costs a month, by store, whatever the stack's selection holds:
 * the figure behind the `backupArchivalStores` setting (README, "Backups of the archival stores").
 */
export function archivalBackupCosts(
    resources: CostResource[],
    region: string,
    options: EstimateOptions = {},
): { aip: number; dip: number } {
    const ctx = context(resources, region, options);
    const stores = resources.filter((r) => r.type === "aws:s3/bucket:Bucket" || r.type === "aws:s3/bucketV2:BucketV2");
    const cost = (role: string) =>
        stores.some((b) => tagsOf(b).ArchivalStore === role) ? cents((s3BackupPart(role, ctx, role) as { monthly: number }).monthly) : 0;
    return { aip: cost("aip-store"), dip: cost("dip-store") };
}
