/**
 * The data stores: RDS, ElastiCache, OpenSearch and the EFS file system of the shared directory.
 */
import { amplification } from "../shared-directory";
import { arr, Context, CostResource, DAYS_PER_MONTH, note, num, obj, Part, plural, Pricer, q, rate } from "./kit";

export const rdsInstance: Pricer = (r, ctx) => {
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

export const elasticacheReplicationGroup: Pricer = (r, ctx) => {
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

export const elasticacheCluster: Pricer = (r, ctx) => {
    const nodeType = String(r.inputs.nodeType ?? "");
    const hourly = ctx.prices.elasticacheNodeHour[nodeType];
    if (hourly === undefined) return { unpriced: `no ElastiCache price for ${nodeType || "(no node type)"} in the table for this region` };
    const nodes = num(r.inputs.numCacheNodes) ?? 1;
    const h = ctx.a.hoursPerMonth;
    return { monthly: nodes * h * hourly, basis: `${plural(nodes, "node")} × ${h} h × ${rate(hourly)} (${nodeType})` };
};

export const opensearchDomain: Pricer = (r, ctx) => {
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

export function noteEfs(ctx: Context): void {
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

export const efsFileSystem: Pricer = (r, ctx) => {
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
