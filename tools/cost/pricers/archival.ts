/**
 * The archival stores: the S3 buckets by their ArchivalStore tag, priced in their own region, and
 * their replication; AWS Backup, whose storage is priced on the selection, one line per resource it
 * covers.
 */
import type { RegionPrices } from "../prices";
import {
    arr,
    Context,
    CostResource,
    DAYS_PER_MONTH,
    note,
    num,
    obj,
    Part,
    Pricer,
    pricesFor,
    q,
    rate,
    refs,
    regionOf,
    tagsOf,
} from "./kit";
import { noteEfs } from "./data-stores";

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

export const s3Bucket: Pricer = (r, ctx) => {
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
export const bucketReplication: Pricer = (r, ctx) => {
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
export function s3BackupPart(role: unknown, ctx: Context, item: string): Part {
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

export const backupSelection: Pricer = (r, ctx) => {
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
