/**
 * The queue model (lib/queue-model.ts) on each stack's own platform: its MCP client size and price (the
 * cost tool's price table, the stack's region), workers per client, concurrent packages and client
 * range from its stack file. `npm run bench` prints the tables and judges the goal; the README shows
 * the same tables (test/queue-model.test.ts keeps them equal).
 *
 * The goal, per stack: with queue scaling as configured, processing costs nothing while idle when
 * `mcpClientMinCount` is 0, and a backlog of {@link BACKLOG} reference transfers drains at least as fast
 * as with a fixed four clients.
 */
import { parseConfig } from "../config";
import { mcpClient as mcpClientEntry } from "../components/app/catalogue/mcp-client";
import { CONCURRENCY } from "../components/app/catalogue/versions";
import {
    formatModelTable,
    ModelPlatform,
    modelTable,
    QUEUE_SCALING,
    REFERENCE_TRANSFER,
    simulate,
    TASK_START_SECONDS,
} from "../lib/queue-model";
import { PRICES } from "./cost/prices";
import { listStacks, loadStackConfig } from "./stack-files";

/** Transfers in the backlog the tables show. */
export const BACKLOG = 20;

export interface StackQueue {
    stack: string;
    platform: ModelPlatform;
    minCount: number;
    maxCount: number;
}

/** The model's platform and client range of a stack, from its stack file. */
export function stackQueue(stack: string): StackQueue {
    const config = parseConfig(loadStackConfig(stack));
    const { sizeProfile, mcpClient } = config.services;
    const size = mcpClientEntry.sizes[sizeProfile];
    const prices = PRICES[config.region];
    if (!prices)
        throw new Error(`queue model: region ${config.region} of stack ${stack} has no prices; valid: ${Object.keys(PRICES).join(", ")}`);
    const { vcpuHour, gbHour } = prices.fargate.x86;
    return {
        stack,
        platform: {
            workersPerClient: mcpClient.workers,
            concurrentPackages: CONCURRENCY[sizeProfile].concurrentPackages,
            taskStartSeconds: TASK_START_SECONDS,
            taskPricePerHour: (size.cpu / 1024) * vcpuHour + (size.memory / 1024) * gbHour,
        },
        minCount: mcpClient.minCount,
        maxCount: mcpClient.maxCount,
    };
}

/** The smallest `maxCount` (with `minCount` 0) that drains the backlog at least as fast as a fixed four. */
export function smallestMaxMeetingGoal(platform: ModelPlatform): number {
    const fixed4 = simulate(BACKLOG, REFERENCE_TRANSFER, platform, { kind: "fixed", clients: 4 }).drainMinutes;
    for (let maxCount = 1; maxCount <= 50; maxCount++) {
        const o = simulate(BACKLOG, REFERENCE_TRANSFER, platform, { kind: "queue", minCount: 0, maxCount, ...QUEUE_SCALING });
        if (o.drainMinutes <= fixed4) return maxCount;
    }
    throw new Error("queue model: no maxCount up to 50 drains as fast as a fixed four clients");
}

export interface QueueReport {
    stack: string;
    table: string;
    /** The goal's verdicts, one line each. */
    verdicts: { ok: boolean; why: string }[];
}

/** A stack's table and verdicts. */
export function queueReport(q: StackQueue): QueueReport {
    const rows = modelTable(BACKLOG, REFERENCE_TRANSFER, q.platform, [{ minCount: q.minCount, maxCount: q.maxCount }]);
    const fixed4 = rows.find((r) => r.policy === "fixed 4 clients")!.outcome;
    const scaling = rows[rows.length - 1].outcome;
    const needed = smallestMaxMeetingGoal(q.platform);
    return {
        stack: q.stack,
        table: formatModelTable(rows),
        verdicts: [
            {
                ok: scaling.drainMinutes <= fixed4.drainMinutes,
                why: `drains in ${scaling.drainMinutes.toFixed(0)} min with clients ${q.minCount}–${q.maxCount}, fixed 4 in ${fixed4.drainMinutes.toFixed(0)} min (the model's smallest maxCount for that: ${needed})`,
            },
            {
                ok: q.minCount > 0 || scaling.idleMonthlyCost === 0,
                why: `idle cost $${scaling.idleMonthlyCost.toFixed(2)} a month (minCount ${q.minCount})`,
            },
            { ok: scaling.interruptedBatches === 0, why: `${scaling.interruptedBatches} batches killed by scale-in` },
        ],
    };
}

/** Every stack's report. */
export function queueReports(): QueueReport[] {
    return listStacks().map((stack) => queueReport(stackQueue(stack)));
}

/** Prints every stack's table and verdicts (for `npm run bench`); true when a goal was missed. */
export function printQueueModel(log: (line: string) => void = console.log): boolean {
    let missed = false;
    log(
        `Queue model (lib/queue-model.ts): a backlog of ${BACKLOG} reference transfers on each stack's MCP clients; queue scaling with ${JSON.stringify(QUEUE_SCALING)}.`,
    );
    for (const r of queueReports()) {
        log("");
        log(`${r.stack}:`);
        log(r.table);
        for (const v of r.verdicts) {
            missed ||= !v.ok;
            log(`- ${v.ok ? "ok" : "MISSED"}: ${v.why}`);
        }
    }
    log("");
    return missed;
}
