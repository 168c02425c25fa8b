/**
 * The usage-aware estimate (issue 21): usage files refused line by line, the per-TB arithmetic worked
 * by hand on a small plan, each usage-driven price (AWS Backup with S3's 128 KB minimum, EFS elastic
 * throughput and tiers, S3 Intelligent-Tiering, the replica in its own region, replication, the
 * serverless types), the backup setting's sentence, the exact --json document, the price refresh
 * from offer-file excerpts, and the age of the price table against a clock you can set
 * (`COST_TODAY=2027-12-03 npm test` shows the failure).
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { backupSettingLine, costDocument, estimateStack, runCostCommand } from "../tools/cost";
import { CostDocument } from "../tools/cost/comment";
import { CostLine, CostResource, estimate } from "../tools/cost/pricing";
import { applyOfferPrices, PRICES, PRICES_DATE, PRICES_MAX_AGE_DAYS, priceTableAgeProblem } from "../tools/cost/prices";
import { parseRefreshArgs, refresh, runRefresh } from "../tools/cost/refresh-prices";
import { amplification } from "../tools/cost/shared-directory";
import { byKind, sizePoints } from "../tools/cost/summary";
import { DEFAULT_USAGE, loadUsage, Usage } from "../tools/cost/usage";
import { costFiguresTable, readmeWithCostFigures } from "../tools/cost/readme-figures";
import { listStacks, loadStackConfig, ROOT } from "../tools/stack-files";
import { stackPlan } from "./harness";
import { commandArgs } from "./support/cli";

const P = "urn:pulumi:t::p::";

function res(type: string, name: string, inputs: Record<string, unknown>, propertyDependencies?: Record<string, string[]>): CostResource {
    return { urn: `${P}${type}::${name}`, type, name, custom: true, inputs, propertyDependencies };
}

function line(lines: CostLine[], name: string, item = ""): CostLine {
    const found = lines.find((l) => l.urn.endsWith(`::${name}`) && l.item === item);
    assert.ok(found, `line for ${name} ${item}`);
    return found;
}

const usage = (u: Partial<Usage>): Usage => ({ ...DEFAULT_USAGE, ...u });
const bucket = (name: string, role: string, extra: Record<string, unknown> = {}) =>
    res("aws:s3/bucket:Bucket", name, { ...extra, tags: { ArchivalStore: role } });

async function run(argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCostCommand(argv, { out: (t) => out.push(t), err: (t) => err.push(t) }, ROOT, stackPlan);
    return { code, out, err };
}

describe("cost: usage files", () => {
    const valid =
        "aipTbHeld, ingestGbPerMonth, aipSizeRatio, dipShare, transfersPerMonth, filesPerTransfer, objectsPerAip, aipReadSharePerMonth, transferSourceDaysKept, mcpClientsAverage, processingHoursPerDay, daysInSharedDirectory, sharedDirectoryBaseGb, databaseGb, serviceLogGbPerMonth, otherLogGbPerGroupPerMonth, flowLogGbPerMonth, natGbPerGatewayPerMonth, albLcus, requestsPerMonth, staffUsers, otherBucketGb, cachedImageGb, scheduledTaskMinutes, functionSecondsPerInvocation";
    const cases: [string, string][] = [
        ["unknown-key", `test/fixtures/usage/unknown-key.yaml: aipTbHold: unknown key (did you mean aipTbHeld?); valid: ${valid}`],
        ["not-a-number", 'test/fixtures/usage/not-a-number.yaml: aipTbHeld: "forty" is not a number; valid: a number from 0 to 100,000'],
        [
            "not-whole",
            "test/fixtures/usage/not-whole.yaml: transfersPerMonth: 2.5 is not a whole number; valid: a whole number from 0 to 1,000,000",
        ],
        ["out-of-range", "test/fixtures/usage/out-of-range.yaml: dipShare: 3 is out of range; valid: a number from 0 to 2"],
        [
            "both-averages",
            "test/fixtures/usage/both-averages.yaml: processingHoursPerDay: cannot be set together with mcpClientsAverage; valid: one of mcpClientsAverage, processingHoursPerDay",
        ],
        [
            "not-yaml",
            "test/fixtures/usage/not-yaml.yaml: is not valid YAML (Flow sequence in block collection must be sufficiently indented and end with a ])",
        ],
        ["a-list", `test/fixtures/usage/a-list.yaml: is not a map of usage keys; valid: ${valid}`],
        ["scalar", `test/fixtures/usage/scalar.yaml: is not a map of usage keys; valid: ${valid}`],
        [
            "alias-bomb",
            "test/fixtures/usage/alias-bomb.yaml: document contains excessive aliasing, which the Pulumi CLI's YAML reader refuses (an alias bomb); valid: a usage file without nested aliases",
        ],
        ["ansi-key", `test/fixtures/usage/ansi-key.yaml: aip\\u001b[31mTb: unknown key; valid: ${valid}`],
        [
            "control-character",
            "test/fixtures/usage/control-character.yaml line 1: contains the control character U+001B, which YAML does not allow (npm run cost refuses the file); valid: printable text (write it as an escape inside double quotes)",
        ],
        ["nan", "test/fixtures/usage/nan.yaml: aipTbHeld: .nan is not a finite number; valid: a number from 0 to 100,000"],
        ["too-large", "test/fixtures/usage/too-large.yaml: aipTbHeld: 1e400 is not a finite number; valid: a number from 0 to 100,000"],
        [
            "null",
            "test/fixtures/usage/null.yaml: aipTbHeld: has no value (a YAML null); valid: a number from 0 to 100,000, or no aipTbHeld line for its default (1)",
        ],
        [
            "binary",
            "test/fixtures/usage/binary.yaml line 1: aipTbHeld: the YAML tag !!binary is not read in a usage file; valid: a number written plainly, such as aipTbHeld: 40",
        ],
        ["duplicate", "test/fixtures/usage/duplicate.yaml: aipTbHeld: is set 2 times (lines 1, 3); valid: one value per key"],
        [
            "utf16-no-bom",
            "test/fixtures/usage/utf16-no-bom.yaml: is UTF-16LE without a byte-order mark, which npm run cost reads as UTF-8 and refuses; valid: UTF-8 (e.g. iconv -f UTF-16LE -t UTF-8)",
        ],
    ];
    for (const [file, message] of cases) {
        it(`refuses ${file}: one line naming the file, the key and the valid values; exit 2 before planning`, async () => {
            const result = await run(["staging", "--usage", `test/fixtures/usage/${file}.yaml`]);
            assert.deepEqual(result, { code: 2, out: [], err: [`error: ${message}`] });
        });
    }

    it("refuses a usage file that does not exist", async () => {
        assert.deepEqual(await run(["prod", "--usage", "usage/nosuch.yaml"]), {
            code: 2,
            out: [],
            err: ["error: usage/nosuch.yaml: cannot be read (no such file?); valid: a usage file such as usage/prod.yaml"],
        });
    });

    it("reads a file with a UTF-8 or UTF-16 byte-order mark as the stack files are read, YAML's numbers as yaml.v3 reads them", () => {
        assert.deepEqual(loadUsage("prod", ROOT, "test/fixtures/usage/utf16-bom.yaml"), {
            usage: { ...DEFAULT_USAGE, aipTbHeld: 40, ingestGbPerMonth: 16 },
            source: { file: "test/fixtures/usage/utf16-bom.yaml", set: ["aipTbHeld", "ingestGbPerMonth"] },
        });
        assert.deepEqual(loadUsage("prod", ROOT, "test/fixtures/usage/utf8-bom.yaml"), {
            usage: { ...DEFAULT_USAGE, aipTbHeld: 40 },
            source: { file: "test/fixtures/usage/utf8-bom.yaml", set: ["aipTbHeld"] },
        });
    });

    it("the real process: an alias bomb is one line on stderr naming the file, nothing on stdout, exit 2", () => {
        const r = spawnSync(
            process.execPath,
            commandArgs(path.join(ROOT, "tools/cost.ts"), ["staging", "--usage", "test/fixtures/usage/alias-bomb.yaml"]),
            { cwd: ROOT, encoding: "utf8" },
        );
        assert.deepEqual(
            [r.status, r.stdout, r.stderr],
            [
                2,
                "",
                "error: test/fixtures/usage/alias-bomb.yaml: document contains excessive aliasing, which the Pulumi CLI's YAML reader refuses (an alias bomb); valid: a usage file without nested aliases\n",
            ],
        );
    });

    it("reads usage/<stack>.yaml by default, keeps the defaults for keys left out, and says which is which", () => {
        const loaded = loadUsage("prod", ROOT);
        assert.equal(loaded.source.file, "usage/prod.yaml");
        assert.equal(loaded.usage.aipTbHeld, 40);
        assert.equal(loaded.usage.objectsPerAip, 1);
        assert.ok(loaded.source.set.includes("aipTbHeld") && !loaded.source.set.includes("objectsPerAip"));
        const none = loadUsage("nosuch", ROOT);
        assert.deepEqual(none, { usage: DEFAULT_USAGE, source: { set: [] } });
    });
});

describe("cost: per TB preserved, by hand on a small plan", () => {
    // One Fargate task (fixed), an AIP store (per TB held) and a transfer source (per TB ingested), us-east-1.
    const td = res("aws:ecs/taskDefinition:TaskDefinition", "app-td", { cpu: "512", memory: "1024" });
    const plan = [
        td,
        res("aws:ecs/service:Service", "app", { desiredCount: 1, launchType: "FARGATE" }, { taskDefinition: [td.urn] }),
        bucket("aips", "aip-store"),
        bucket("incoming", "transfer-source"),
    ];
    const u = usage({ aipTbHeld: 2, ingestGbPerMonth: 100, transfersPerMonth: 10 });

    it("each line, its kind, and the totals by kind", () => {
        const est = estimate(plan, "us-east-1", { usage: u });
        const priced = est.lines.filter((l) => l.monthly).map((l) => [l.urn.split("::").pop(), l.item, l.kind, l.monthly]);
        assert.deepEqual(priced, [
            // 730 × (0.5 × 0.04048 + 1 × 0.004445) = 730 × 0.024685 = 18.02005
            ["app", "", "fixed", 18.02],
            // 2 TB = 2000 GB × 0.023 = 46.00
            ["aips", "storage", "per-tb-held", 46],
            // 10 AIPs of 100 × 1.2 / 10 = 12 GB in 8 MiB parts: ceil(12 / 0.008388608) = 1431 PUTs each: 14,310 × 0.005 / 1000 = 0.07155
            ["aips", "requests", "per-tb-ingested", 0.07],
            // 100 GB / (730 / 24) days × 30 days kept = 98.630 GB × 0.023 = 2.26849
            ["incoming", "storage", "per-tb-ingested", 2.27],
            // 10 uploads of 10 GB: ceil(10 / 0.008388608) = 1193 PUTs each: 11,930 × 0.005 / 1000 = 0.05965
            ["incoming", "requests", "per-tb-ingested", 0.06],
        ]);
        // 18.02 + 46.00 + 0.07 + 2.27 + 0.06
        assert.equal(est.total, 66.42);
        assert.deepEqual(byKind(est.lines), { fixed: 18.02, "per-tb-held": 46, "per-tb-ingested": 2.4 });
    });

    it("the cost per TB preserved a year at the stated size and at 1, 10 and 100 TB", () => {
        const stated = estimate(plan, "us-east-1", { usage: u });
        const points = sizePoints(plan, "us-east-1", u, stated).map((p) => [p.tbHeld, p.stated, p.monthly, p.perTbYear]);
        assert.deepEqual(points, [
            // 66.42 × 12 / 2 = 398.52
            [2, true, 66.42, 398.52],
            // the AIP store alone changes: 1000 GB × 0.023 = 23.00 → 43.42; × 12 / 1 = 521.04
            [1, false, 43.42, 521.04],
            // 10,000 GB × 0.023 = 230.00 → 250.42; × 12 / 10 = 300.504
            [10, false, 250.42, 300.5],
            // 100,000 GB × 0.023 = 2,300.00 → 2,320.42; × 12 / 100 = 278.4504
            [100, false, 2320.42, 278.45],
        ]);
    });
});

describe("cost: usage-driven prices", () => {
    it("EFS: the shared directory's amplification, elastic reads and writes, the working set and the IA base", () => {
        const amp = amplification(1.2, 0.1);
        // reads 6 + 5 × 1.2 + 1 × 0.12 = 12.12; writes 3 + 0.2 + 3 × 1.2 + 1 × 0.12 = 6.92
        assert.deepEqual([Number(amp.readsPerGb.toFixed(6)), Number(amp.writesPerGb.toFixed(6))], [12.12, 6.92]);
        const efs = res("aws:efs/fileSystem:FileSystem", "efs", {
            throughputMode: "elastic",
            lifecyclePolicies: [{ transitionToIa: "AFTER_30_DAYS" }],
        });
        const est = estimate([efs], "us-east-1");
        // 100 GB ingested: 1212 GB read × 0.03 + 692 GB written × 0.06 = 36.36 + 41.52 = 77.88
        assert.equal(line(est.lines, "efs", "elastic throughput").monthly, 77.88);
        // 100 / 30.4167 × 2 days × 2 × 1.2 = 15.781 GB × 0.3 = 4.734 + 5 GB in IA × 0.016 = 0.08 → 4.814
        assert.equal(line(est.lines, "efs", "storage").monthly, 4.81);
        assert.ok(
            est.derived.some((d) =>
                d.startsWith("EFS amplification = reads 6 + 5 × A + 1 × A·D = 12.12, writes 3 + (A − 1) + 3 × A + 1 × A·D = 6.92"),
            ),
        );
        const bursting = estimate([res("aws:efs/fileSystem:FileSystem", "b", {})], "us-east-1");
        assert.deepEqual(line(bursting.lines, "b", "throughput").basis, "no charge: bursting throughput");
    });

    it("S3 Intelligent-Tiering after the lifecycle's transition: the tiers by age and the monitoring fee", () => {
        const aips = bucket("aips", "aip-store");
        const lifecycle = res(
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            "aips-lifecycle",
            { rules: [{ status: "Enabled", transitions: [{ days: 30, storageClass: "INTELLIGENT_TIERING" }] }] },
            { bucket: [aips.urn] },
        );
        const est = estimate([aips, lifecycle], "us-east-1", {
            usage: usage({ aipTbHeld: 10, ingestGbPerMonth: 100, transfersPerMonth: 10 }),
        });
        // 120 GB a month of AIPs: 120 Standard × 0.023 = 2.76; INT: 120 Frequent × 0.023 = 2.76, 240 Infrequent × 0.0125 = 3.00,
        // 9,520 Archive Instant × 0.004 = 38.08; monitoring 833.333 AIPs × 9,880 / 10,000 = 823.333 objects × 0.0025 / 1000 = 0.002 → 46.602
        assert.equal(line(est.lines, "aips", "storage").monthly, 46.6);
    });

    it("the replica is priced in its own region, replication as inter-region transfer plus the replica's PUTs", () => {
        const source = bucket("aips", "aip-store");
        const replica = bucket("replica", "aip-replica", { region: "eu-west-1" });
        const replication = res(
            "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
            "repl",
            {},
            { bucket: [source.urn], rules: [replica.urn] },
        );
        const est = estimate([source, replica, replication], "eu-west-2", { usage: usage({ aipTbHeld: 1 }) });
        // 1000 GB × 0.023 (eu-west-1, not London's 0.024)
        assert.deepEqual(
            [line(est.lines, "replica", "storage").monthly, line(est.lines, "replica", "storage").basis],
            [23, "1000 GB S3 Standard × $0.023 (eu-west-1 prices)"],
        );
        // 120 GB × 0.02 + 20 objects × 0.005 / 1000 = 2.4 + 0.0001
        assert.deepEqual([line(est.lines, "repl").kind, line(est.lines, "repl").monthly], ["per-tb-ingested", 2.4]);
    });

    it("AWS Backup: S3 objects under 128 KB are billed as 128 KB; EFS and RDS from the plan's retention", () => {
        const dips = bucket("dips", "dip-store");
        const efs = res("aws:efs/fileSystem:FileSystem", "efs", {});
        const plan = res("aws:backup/plan:Plan", "plan", { rules: [{ lifecycle: { deleteAfter: 35 } }] });
        const selection = res("aws:backup/selection:Selection", "sel", {}, { planId: [plan.urn], resources: [efs.urn, dips.urn] });
        const u = usage({ aipTbHeld: 1, ingestGbPerMonth: 100, transfersPerMonth: 10, filesPerTransfer: 1000, dipShare: 0.001 });
        const est = estimate([dips, efs, plan, selection], "us-east-1", { usage: u });
        // 83.333 AIPs × 1000 files = 83,333.333 DIP objects of 1 GB / 83,333.333 = 12 KB each, billed as 128 KB:
        // 83,333.333 × 0.000128 = 10.667 GB × 0.05 = 0.5333 (without the minimum: 1 GB × 0.05 = 0.05)
        const dip = line(est.lines, "sel", "backup of dips");
        assert.deepEqual([dip.kind, dip.monthly], ["per-tb-held", 0.53]);
        assert.match(dip.basis, /^83333\.333 DIP objects × max\(12 KB, 128 KB minimum\) = 10\.667 GB × \$0\.05 S3 backup/);
        // EFS: resident 15.781 + 5 GB, plus 15.781 / 2 days × 35 days = 276.164 → 296.945 GB × 0.05 = 14.847
        assert.equal(line(est.lines, "sel", "backup of efs").monthly, 14.85);
        assert.equal(
            line(est.lines, "plan").basis,
            "no charge: the plan itself (backup storage is priced on the backup selection's lines)",
        );
    });

    it("serverless ingest: Lambda from transfers and schedules, SQS, its dead-letter queue, DynamoDB on demand", () => {
        const fn = res("aws:lambda/function:Function", "starter", { memorySize: 512, architectures: ["arm64"] });
        const queue = res("aws:sqs/queue:Queue", "events", {});
        const dlq = res("aws:sqs/queue:Queue", "events-dlq", {});
        const mainQueue = { ...queue, propertyDependencies: { redrivePolicy: [dlq.urn] } };
        const mapping = res(
            "aws:lambda/eventSourceMapping:EventSourceMapping",
            "map",
            {},
            { eventSourceArn: [queue.urn], functionName: [fn.urn] },
        );
        const schedule = res(
            "aws:scheduler/schedule:Schedule",
            "monitor",
            { scheduleExpression: "rate(5 minutes)", target: {} },
            { target: [fn.urn] },
        );
        const daily = res("aws:scheduler/schedule:Schedule", "daily", { scheduleExpression: "rate(1 day)", target: {} });
        const table = res("aws:dynamodb/table:Table", "ledger", { billingMode: "PAY_PER_REQUEST", pointInTimeRecovery: { enabled: true } });
        const u = usage({ transfersPerMonth: 100_000 });
        const est = estimate([fn, mainQueue, dlq, mapping, schedule, daily, table], "us-east-1", { usage: u });
        // each invocation: 0.2 / 1e6 + 0.5 GB × 2 s × 0.0000133334 = 0.0000135334; 100,000 × = 1.35334
        assert.deepEqual(
            [
                line(est.lines, "starter", "invocations from transfers").kind,
                line(est.lines, "starter", "invocations from transfers").monthly,
            ],
            ["per-tb-ingested", 1.35],
        );
        // 730 × 60 / 5 = 8,760 invocations × 0.0000135334 = 0.11855
        assert.deepEqual(
            [line(est.lines, "starter", "scheduled invocations").kind, line(est.lines, "starter", "scheduled invocations").monthly],
            ["fixed", 0.12],
        );
        // 300,000 requests × 0.40 / 1e6 = 0.12
        assert.equal(line(est.lines, "events").monthly, 0.12);
        assert.deepEqual(
            [line(est.lines, "events-dlq").monthly, line(est.lines, "events-dlq").basis],
            [0, "no charge expected: a dead-letter queue (requests only when a message fails)"],
        );
        // 400,000 writes × 0.625 / 1e6 = 0.25; 2,000,000 reads × 0.125 / 1e6 = 0.25;
        // 1000 GB / (120 GB / 100,000) = 833,333.333 items × 1 KB = 0.833 GB × (0.25 + 0.20) = 0.375 → 0.875
        assert.equal(line(est.lines, "ledger").monthly, 0.88);
        assert.equal(line(est.lines, "map").basis, "no charge: Lambda configuration (its queue's requests are on the queue's line)");
        // 8,760 invocations × 1.00 / 1e6 = 0.00876
        assert.equal(line(est.lines, "monitor", "invocations").monthly, 0.01);
        // 730 / 24 = 30.417 invocations × 1.00 / 1e6: less than a cent, and said so rather than shown as no charge
        assert.deepEqual(
            [line(est.lines, "daily", "invocations").monthly, line(est.lines, "daily", "invocations").basis],
            [
                0,
                "under a cent a month: 30.417 invocations (rate(1 day)) × $1 per million (the account's first 14 million a month are free: not subtracted)",
            ],
        );
    });

    it("the edge: a web ACL per ACL, rule and request (paid rule groups named), Cognito per active user and plan", () => {
        const acl = res("aws:wafv2/webAcl:WebAcl", "acl", {
            rules: [
                { name: "common", statement: { managedRuleGroupStatement: { name: "AWSManagedRulesCommonRuleSet" } } },
                { name: "bots", statement: { managedRuleGroupStatement: { name: "AWSManagedRulesBotControlRuleSet" } } },
                { name: "rate", statement: { rateBasedStatement: { limit: 1000 } } },
            ],
        });
        const pool = res("aws:cognito/userPool:UserPool", "pool", {});
        const plus = res("aws:cognito/userPool:UserPool", "plus", { userPoolTier: "PLUS" });
        const est = estimate([acl, pool, plus], "eu-west-2");
        // 5 + 3 × 1 + 1,000,000 × 0.60 / 1e6 = 8.60
        assert.equal(line(est.lines, "acl").monthly, 8.6);
        assert.match(line(est.lines, "acl").basis, /; the subscription fees of AWSManagedRulesBotControlRuleSet not priced$/);
        // 10 users × 0.015 (Essentials, the default plan); × 0.02 (Plus)
        assert.deepEqual([line(est.lines, "pool").monthly, line(est.lines, "plus").monthly], [0.15, 0.2]);
    });

    it("the backup setting's sentence: what it costs, and what each other setting would", () => {
        assert.equal(
            backupSettingLine({ setting: "dip", aipStore: 2000, dipStore: 200 }, 40),
            'backupArchivalStores = dip: AWS Backup\'s copies of the archival stores cost $200.00 a month of the total (AIP store $2,000.00, DIP store $200.00 if backed up); aip-and-dip would add $2,000.00 a month ($600.00 per TB a year); none would save $200.00 (README, "Backups of the archival stores")',
        );
        assert.equal(
            backupSettingLine({ setting: "none", aipStore: 10, dipStore: 1 }, 0),
            'backupArchivalStores = none: AWS Backup\'s copies of the archival stores cost $0.00 a month of the total (AIP store $10.00, DIP store $1.00 if backed up); aip-and-dip would add $11.00 a month; dip would add $1.00 (README, "Backups of the archival stores")',
        );
    });
});

describe("cost: the real stacks with their usage files", function () {
    this.timeout(120_000);

    it("--json is exactly { currency, region, stack, usageFile, usage, total, byKind, tbHeld, ingestGbPerMonth, perTbYear, atSizes, backupArchivalStores, assumptions, lines: [{ urn, type, item, kind, monthly, basis }] }", async () => {
        const { code, out } = await run(["staging", "--json"]);
        assert.equal(code, 0);
        const doc = JSON.parse(out.join("\n")) as CostDocument;
        assert.deepEqual(Object.keys(doc), [
            "currency",
            "region",
            "stack",
            "usageFile",
            "usage",
            "total",
            "byKind",
            "tbHeld",
            "ingestGbPerMonth",
            "perTbYear",
            "atSizes",
            "backupArchivalStores",
            "assumptions",
            "lines",
        ]);
        assert.deepEqual(
            [doc.currency, doc.region, doc.stack, doc.usageFile, doc.tbHeld, doc.ingestGbPerMonth],
            ["USD", "eu-west-2", "staging", "usage/staging.yaml", 0.5, 50],
        );
        for (const l of doc.lines) assert.deepEqual(Object.keys(l), ["urn", "type", "item", "kind", "monthly", "basis"]);
        const cents = (x: number) => Math.round(x * 100);
        assert.equal(
            cents(doc.total),
            doc.lines.reduce((s, l) => s + cents(l.monthly ?? 0), 0),
        );
        assert.equal(cents(doc.total), cents(doc.byKind.fixed) + cents(doc.byKind["per-tb-held"]) + cents(doc.byKind["per-tb-ingested"]));
        assert.equal(doc.perTbYear, Math.round(doc.total * 12 * 2 * 100) / 100);
        assert.deepEqual(
            doc.atSizes.map((p) => [p.tbHeld, p.stated, Object.keys(p)]),
            [0.5, 1, 10, 100].map((tb, i) => [tb, i === 0, ["tbHeld", "stated", "monthly", "byKind", "perTbYear"]]),
        );
        assert.equal(doc.atSizes[0].monthly, doc.total);
        assert.deepEqual(Object.keys(doc.backupArchivalStores), ["setting", "aipStore", "dipStore"]);
        assert.equal(doc.backupArchivalStores.setting, "dip");
        assert.ok(doc.assumptions.includes("usage: aipTbHeld = 0.5 TB (from usage/staging.yaml)"));
        assert.ok(doc.assumptions.includes("usage: objectsPerAip = 1 S3 objects per AIP (default)"));
        assert.ok(
            doc.assumptions.some((a) =>
                a.startsWith("derived: EFS GB read and written a month = ingestGbPerMonth 50 × 12.12 = 606 GB read"),
            ),
        );
        assert.ok(doc.assumptions.some((a) => a.startsWith("backupArchivalStores = dip: ")));
    });

    it("prod: every line the issue names is priced in the right region, or listed with its reason", async () => {
        const s = await estimateStack("prod", ROOT, "usage/prod.yaml", stackPlan);
        const doc = costDocument(s);
        const find = (name: string, item = "") => doc.lines.find((l) => l.urn.endsWith(`::${name}`) && l.item === item);
        const kinds = (name: string, item = "") => [find(name, item)?.kind, (find(name, item)?.monthly ?? 0) > 0];
        assert.deepEqual(kinds("archivematica-backup-selection", "backup of archivematica-archive-dip-store"), ["per-tb-held", true]);
        assert.equal(find("archivematica-backup-selection", "backup of archivematica-archive-aip-store"), undefined);
        assert.deepEqual(kinds("archivematica-backup-selection", "backup of archivematica-storage-efs"), ["per-tb-ingested", true]);
        assert.deepEqual(kinds("archivematica-backup-selection", "backup of archivematica-db-instance"), ["fixed", true]);
        assert.deepEqual(kinds("archivematica-storage-efs", "elastic throughput"), ["per-tb-ingested", true]);
        assert.deepEqual(kinds("archivematica-archive-aip-store", "storage"), ["per-tb-held", true]);
        assert.match(find("archivematica-archive-aip-replica", "storage")!.basis, /Intelligent-Tiering: .* \(eu-west-1 prices\)$/);
        assert.deepEqual(kinds("archivematica-archive-aip-replication"), ["per-tb-ingested", true]);
        assert.deepEqual(kinds("archivematica-mcp-client-service", "tasks above the minimum"), ["per-tb-ingested", true]);
        assert.match(find("archivematica-backup-key")!.basis, /yearly rotation: \$1 for each of the first 2 rotations/);
        assert.match(
            find("archivematica-ecs-cluster", "Container Insights")!.basis,
            /^not priced: Container Insights with enhanced observability is billed per observation/,
        );
        // The per-TB figure at the stated 40 TB, and falling with size.
        const per = doc.atSizes.map((p) => p.perTbYear!);
        assert.equal(per[0], Math.round(((doc.total * 12) / 40) * 100) / 100);
        assert.ok(per[1] > per[2] && per[2] > per[3], String(per));
        assert.ok(s.archivalBackup.aipStore > s.archivalBackup.dipStore && s.archivalBackup.dipStore > 0);
    });
});

describe("cost: the README's figures", function () {
    this.timeout(120_000);

    it("the README's cost table is today's (both stacks, as stated and for the small and large archive)", async () => {
        const stacks = [];
        for (const stack of listStacks()) {
            const loaded = loadUsage(stack, ROOT);
            const { run } = await stackPlan(stack);
            stacks.push({
                stack,
                region: loadStackConfig(stack).values["aws:region"],
                usageFile: loaded.source.file ?? "(defaults)",
                usage: loaded.usage,
                resources: run.resources,
            });
        }
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        assert.ok(
            readme === readmeWithCostFigures(readme, costFiguresTable(stacks)),
            "the README's cost figures are not today's: run `npm run sync-docs -- --cost` and commit README.md",
        );
    });
});

describe("cost: the price table's refresh and age", () => {
    const excerpts = ["test/fixtures/offers/AmazonS3-eu-west-2-excerpt.json", "test/fixtures/offers/AmazonRDS-eu-west-2-excerpt.json"];

    it("rebuilds the offer-file figures from excerpts in the documented format: first tier, MySQL Single-AZ only, conflicts never taken", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "refresh-"));
        try {
            const out = path.join(dir, "offer-prices.json");
            const { document, report } = refresh({ files: excerpts, out, date: "2026-12-02" });
            const values = Object.fromEntries(Object.entries(document.regions["eu-west-2"]).map(([k, v]) => [k, v.value]));
            assert.deepEqual(values, {
                "s3.standardGbMonth": 0.025,
                "s3.putPer1000": 0.0053,
                "s3.getPer1000": 0.00042,
                "rds.mysqlInstanceHour.db.t4g.small": 0.037,
            });
            assert.equal(document.date, "2026-12-02");
            assert.deepEqual(
                document.files.map((f) => [f.offerCode, f.publicationDate]),
                [
                    ["AmazonS3", "2026-11-01T00:00:00Z"],
                    ["AmazonRDS", "2026-11-02T00:00:00Z"],
                ],
            );
            assert.deepEqual(report, [
                "eu-west-2 s3.standardGbMonth: $0.024 → $0.025 (AmazonS3 EUW2-TimedStorage-ByteHrs, published 2026-11-01T00:00:00Z)",
                "eu-west-2 s3.putPer1000: $0.005 → $0.0053 (AmazonS3 EUW2-Requests-Tier1, published 2026-11-01T00:00:00Z)",
                "eu-west-2 s3.getPer1000: $0.0004 → $0.00042 (AmazonS3 EUW2-Requests-Tier2, published 2026-11-01T00:00:00Z)",
                "eu-west-2 rds.mysqlInstanceHour.db.t4g.small: $0.036 → $0.037 (AmazonRDS EUW2-InstanceUsage:db.t4g.small, published 2026-11-02T00:00:00Z)",
                "eu-west-2 AmazonRDS: not in the file, kept: rds.mysqlInstanceHour.db.t4g.medium, rds.mysqlInstanceHour.db.t4g.large, rds.mysqlInstanceHour.db.m6g.large, rds.mysqlInstanceHour.db.m7g.large, rds.gp3GbMonth, rds.backupGbMonth",
                "conflict: eu-west-2 rds.mysqlInstanceHour.db.t4g.micro: EUW2-InstanceUsage:db.t4g.micro has 2 prices (0.018, 0.019); not taken",
            ]);
            // Applied over the table: the figures change and each is listed as confirmed by its offer file.
            const applied = applyOfferPrices(PRICES, document)["eu-west-2"];
            assert.deepEqual(
                [applied.s3.standardGbMonth, applied.rds.mysqlInstanceHour["db.t4g.small"], applied.rds.mysqlInstanceHour["db.t4g.micro"]],
                [0.025, 0.037, 0.018],
            );
            assert.ok(
                applied.corroborated.includes(
                    "rds.mysqlInstanceHour.db.t4g.small $0.037: https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonRDS/current/eu-west-2/index.json EUW2-InstanceUsage:db.t4g.small (SKU MYSMALL, published 2026-11-02T00:00:00Z), read by npm run refresh-prices",
                ),
            );
            // The command writes the document; bad input is one line and exit 2.
            const io = {
                lines: [] as string[],
                out(t: string) {
                    this.lines.push(t);
                },
                err(t: string) {
                    this.lines.push(t);
                },
            };
            assert.equal(runRefresh([...excerpts, "--out", out, "--date", "2026-12-02"], io), 0);
            assert.deepEqual(JSON.parse(fs.readFileSync(out, "utf8")).regions, document.regions);
            const errors: string[] = [];
            const sink = { out: () => undefined, err: (t: string) => errors.push(t) };
            assert.equal(runRefresh([], sink), 2);
            assert.equal(runRefresh(["package.json", "--out", out], sink), 2);
            assert.deepEqual(errors, [
                "error: no offer file given; usage: npm run refresh-prices -- <offer-file>… [--out <file>] [--date YYYY-MM-DD]",
                "error: package.json: not an AWS Price List offer file (offerCode: Invalid input: expected string, received undefined); valid: the JSON of https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<service>/current/<region>/index.json",
            ]);
            assert.throws(() => parseRefreshArgs(["x.json", "--date", "soon"]), /--date "soon" is not a date; valid: YYYY-MM-DD/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it(`the table is at most ${PRICES_MAX_AGE_DAYS} days old today (set the clock with COST_TODAY=YYYY-MM-DD)`, () => {
        const today = process.env.COST_TODAY ? new Date(`${process.env.COST_TODAY}T12:00:00Z`) : new Date();
        assert.equal(priceTableAgeProblem(today), undefined);
    });

    it("the age check, against a clock set by hand", () => {
        assert.equal(PRICES_DATE, "2026-12-02");
        assert.equal(priceTableAgeProblem(new Date("2026-12-02T09:00:00Z")), undefined);
        assert.equal(priceTableAgeProblem(new Date("2027-12-02T23:00:00Z")), undefined);
        assert.equal(
            priceTableAgeProblem(new Date("2027-12-03T00:00:00Z")),
            "the price table (tools/cost/prices.ts) is dated 2026-12-02, 366 days before 2027-12-03: older than 365 days; refresh it (npm run refresh-prices -- <offer files>) and update PRICES_DATE",
        );
    });
});
