/**
 * Serverless ingest (issue 17's types), driven by the transfers and by their schedules: Lambda, SQS,
 * DynamoDB; and the sign-in front: the WAF web ACL and the Cognito user pool.
 */
import type { RegionPrices } from "../prices";
import { arr, Context, CostResource, num, obj, Part, plural, Pricer, q, rate, refs } from "./kit";
import { runsPerMonth } from "./operations";

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

export const lambdaFunction: Pricer = (r, ctx) => {
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

export const sqsQueue: Pricer = (r, ctx) => {
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

export const dynamodbTable: Pricer = (r, ctx) => {
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

export const webAcl: Pricer = (r, ctx) => {
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

export const userPool: Pricer = (r, ctx) => {
    const tier = String(r.inputs.userPoolTier ?? "ESSENTIALS") as keyof RegionPrices["cognito"];
    const price = ctx.prices.cognito[tier];
    if (price === undefined) return { unpriced: `feature plan ${tier} is not in the price table` };
    const users = ctx.usage.staffUsers;
    return {
        monthly: users * price,
        basis: `staffUsers ${users} monthly active users × ${rate(price)} (${tier}; the account's free allowance${tier === "PLUS" ? "" : ", 10,000 a month on Lite and Essentials,"} not subtracted)`,
    };
};
