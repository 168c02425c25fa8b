/**
 * A deterministic model of Archivematica's processing queue on MCP client tasks: a backlog of
 * transfers, each a chain of workflow jobs whose tasks the MCP server sends to gearmand in batches of
 * up to 128 files; every MCP client runs `workers` batches at a time. It answers, for a client policy
 * (a fixed count, or scaling on the queue), how long the backlog takes to drain, how many task-hours
 * (and dollars) that costs, what processing costs a month when idle, and how many running batches a
 * scale-in would kill. The stack's queue-scaling parameters ({@link QUEUE_SCALING}) are the model's
 * choice ({@link chooseScaling}); `npm run bench` prints the table and test/queue-model.test.ts checks
 * the choice and the goal: idle cost 0 with `minCount` 0, and a backlog drained at least as fast as
 * by a fixed four clients.
 *
 * What is modelled, and where the numbers come from:
 * - A package runs one workflow job at a time (the chain); the MCP server runs at most
 *   `concurrentPackages` packages (`ARCHIVEMATICA_MCPSERVER_MCPSERVER_CONCURRENT_PACKAGES`); between two
 *   jobs the server does its own work for `serverGapSeconds` (nothing in gearmand for that package).
 * - A job's batches wait in gearmand in arrival order; a free worker takes the oldest.
 * - The queue metric is `mcpserver_gearman_active_jobs + mcpserver_gearman_pending_jobs` (batches queued
 *   or running), sampled once a minute by the sidecar and seen by CloudWatch alarms `metricDelaySeconds`
 *   later (scrape interval, the collector's batch, EMF extraction, alarm evaluation).
 * - Scale-out (step scaling, ExactCapacity): clients wanted = ⌈queue ÷ workers⌉, capped at `maxCount`,
 *   whenever that exceeds the desired count, at most once per `scaleOutCooldownSeconds`; a new task
 *   takes `taskStartSeconds` (Fargate placement, pull of the ~2 GB MCP client image, the init container)
 *   before it takes work, and is billed from its start (Fargate bills from the image pull).
 * - Scale-in (step scaling, ExactCapacity `minCount`): after `scaleInIdleMinutes` consecutive samples
 *   with nothing to do — no batch in gearmand and no package in flight or waiting
 *   (`mcpserver_active_packages` + `mcpserver_package_queue_length`; a package waiting for a user's
 *   decision is not active, MCPServer `server/queues.py` `await_decision`). The queue alone empties for
 *   seconds between any two jobs of a package while the server works. ECS chooses which tasks to stop,
 *   not by what they run: the model stops the newest first and counts every batch it kills (MCPClient
 *   does not finish a job on SIGTERM; gearmand runs the job again from its start on another worker).
 *   Because the alarm sees the samples `metricDelaySeconds` late, work that starts within that window
 *   before a scale-in can be killed, whatever the idle wait: the wait only makes scale-ins rarer.
 */

/** One transfer's work as the MCP clients see it. */
export interface TransferProfile {
    /** Files in the transfer. */
    files: number;
    /** Tasks per gearman batch (MCPServer `batch_size`). @default 128 */
    batchSize: number;
    /** Jobs of one batch that handle the package as a whole (moves, METS, database), and their seconds each. */
    packageJobs: { count: number; seconds: number };
    /** Seconds per file of each per-file job (virus scan, identification, characterisation, normalisation…). */
    fileJobSecondsPerFile: number[];
    /** Seconds of the job that compresses and stores the AIP. */
    storeSeconds: number;
    /** Seconds the MCP server works between two jobs of a package (nothing queued for it meanwhile). */
    serverGapSeconds: number;
}

/** The platform the backlog runs on. */
export interface ModelPlatform {
    /** Batches an MCP client runs at once (`ARCHIVEMATICA_MCPCLIENT_WORKERS`). */
    workersPerClient: number;
    /** Packages the MCP server processes at once. */
    concurrentPackages: number;
    /** Seconds from a task's start to its first batch. */
    taskStartSeconds: number;
    /** Dollars per MCP client task-hour. */
    taskPricePerHour: number;
}

/** The queue-scaling parameters the stack deploys. */
export interface QueueScalingParameters {
    /** Seconds from a queue sample to the alarm acting on it. */
    metricDelaySeconds: number;
    /** Seconds between two scale-outs. */
    scaleOutCooldownSeconds: number;
    /** Consecutive one-minute samples of an empty queue before clients go down to `minCount`. */
    scaleInIdleMinutes: number;
}

/** When the transfers arrive: all at once, one every `minutes`, or each `minutes` after the previous one finished. */
export type Arrivals = { kind: "at-once" } | { kind: "every"; minutes: number } | { kind: "after-previous"; minutes: number };

export type ClientPolicy =
    { kind: "fixed"; clients: number } | ({ kind: "queue"; minCount: number; maxCount: number } & QueueScalingParameters);

export interface Outcome {
    /** Minutes from the backlog's arrival to its last job's end. */
    drainMinutes: number;
    /** MCP client task-hours billed until the clients are back at their resting count. */
    clientHours: number;
    /** Dollars of those task-hours. */
    cost: number;
    /** Most clients at once. */
    peakClients: number;
    /** Batches killed by a scale-in (run again from their start). */
    interruptedBatches: number;
    /** Dollars a month of MCP clients with nothing to do (730 hours at the resting count). */
    idleMonthlyCost: number;
}

/** The reference transfer: 1,000 files through the standard workflow (assumed figures; see README). */
export const REFERENCE_TRANSFER: TransferProfile = {
    files: 1000,
    batchSize: 128,
    packageJobs: { count: 80, seconds: 5 },
    // assign UUIDs and checksums, virus scan, identify format, characterise, extract metadata, normalise
    fileJobSecondsPerFile: [0.5, 1.5, 1, 3, 0.5, 6],
    storeSeconds: 600,
    serverGapSeconds: 2,
};

/** Seconds from a queue sample to the alarm acting: 60 s scrape + 10 s collector batch + ≤ 60 s EMF and alarm evaluation. */
export const METRIC_DELAY_SECONDS = 130;
/** Seconds from a client task's start to its first batch (measured starts of the MCP client image are 1–2 minutes). */
export const TASK_START_SECONDS = 120;

/**
 * Minutes between one transfer's end and the next one's start in the follow-up scenarios: every
 * half-minute phase against the one-minute samples, up to a quarter of an hour (the assumption: an
 * archivist working through a list starts the next transfer within 15 minutes; later work meets clients
 * that have scaled in and waits for new ones, which costs minutes but kills nothing).
 */
export const FOLLOW_UP_MINUTES = Array.from({ length: 30 }, (_, i) => 0.5 + i * 0.5);

/** Candidates {@link chooseScaling} tries. */
export const CANDIDATES = { scaleInIdleMinutes: [1, 2, 3, 5, 10, 15, 20, 30] } as const;

/**
 * Seconds between two scale-outs: one alarm period. Scale-out sets the client count to what the queue
 * asks for (never adds on top of it), so acting on every period cannot overshoot; the model finds the
 * same costs and times for 60, 120 and 300 s, and the shortest lets a growing queue get its clients soonest.
 */
export const SCALE_OUT_COOLDOWN_SECONDS = 60;

/** The parameters the stack deploys: {@link chooseScaling}'s answer for the reference backlog (the test checks it). */
export const QUEUE_SCALING: QueueScalingParameters = {
    metricDelaySeconds: METRIC_DELAY_SECONDS,
    scaleOutCooldownSeconds: SCALE_OUT_COOLDOWN_SECONDS,
    scaleInIdleMinutes: 20,
};

interface Batch {
    pkg: number;
    seconds: number;
    /** Client the batch runs on, or -1 while it waits in gearmand. */
    client: number;
}

interface Client {
    id: number;
    readyAt: number;
    startedAt: number;
}

/** The jobs of a transfer, in order, each as the seconds of its batches. */
export function transferJobs(p: TransferProfile): number[][] {
    const batches = (perFile: number): number[] => {
        const out: number[] = [];
        for (let left = p.files; left > 0; left -= p.batchSize) out.push(Math.min(left, p.batchSize) * perFile);
        return out;
    };
    const packageJob = (): number[] => [p.packageJobs.seconds];
    const half = Math.floor(p.packageJobs.count / 2);
    return [
        ...Array.from({ length: half }, packageJob),
        ...p.fileJobSecondsPerFile.map(batches),
        ...Array.from({ length: p.packageJobs.count - half }, packageJob),
        [p.storeSeconds],
    ];
}

/** The second of the next thing that changes the state after `t` (at most the next whole minute). */
function nextEvent(
    t: number,
    running: Batch[],
    active: Map<number, { left: number; nextAt: number }>,
    clients: Client[],
    arrivalAt: number,
): number {
    let next = Math.min((Math.floor(t / 60) + 1) * 60, arrivalAt > t ? arrivalAt : Infinity);
    for (const b of running) next = Math.min(next, t + b.seconds);
    for (const state of active.values()) if (state.left === 0 && state.nextAt > t) next = Math.min(next, state.nextAt);
    for (const c of clients) if (c.readyAt > t) next = Math.min(next, c.readyAt);
    return next;
}

/** Simulates a backlog of `transfers` arriving at once, event by event (a batch, a gap, a task start, each minute's sample). */
export function simulate(
    transfers: number,
    profile: TransferProfile,
    platform: ModelPlatform,
    policy: ClientPolicy,
    arrivals: Arrivals = { kind: "at-once" },
): Outcome {
    const jobs = transferJobs(profile);
    const resting = policy.kind === "fixed" ? policy.clients : policy.minCount;
    let clients: Client[] = Array.from({ length: resting }, (_, id) => ({ id, readyAt: 0, startedAt: 0 }));
    let nextClientId = resting;
    const queue: Batch[] = [];
    const running: Batch[] = [];
    // Per active package: the index of its current job and the second its next job may start (gap).
    const active = new Map<number, { job: number; left: number; nextAt: number }>();
    let arrived = 0;
    let waiting = 0;
    let nextPkg = 0;
    let done = 0;
    let t = 0;
    let lastFinish = 0;
    let billedSeconds = 0;
    let peak = clients.length;
    let interrupted = 0;
    let lastScaleOut = -Infinity;
    // Each minute: gearman's batches (queued or running) and the packages in flight (mcpserver_active_packages).
    const samples: { at: number; queue: number; packages: number }[] = [];
    const limit = 14 * 24 * 3600;

    /** The second the next transfer arrives (Infinity: none, or not yet known). */
    const nextArrival = (): number => {
        if (arrived >= transfers) return Infinity;
        if (arrivals.kind === "at-once") return 0;
        if (arrivals.kind === "every") return arrived * arrivals.minutes * 60;
        if (arrived === 0) return 0;
        return done === arrived ? lastFinish + arrivals.minutes * 60 : Infinity;
    };

    const startJob = (pkg: number, state: { job: number; left: number; nextAt: number }) => {
        const batches = jobs[state.job];
        state.left = batches.length;
        for (const seconds of batches) queue.push({ pkg, seconds, client: -1 });
    };

    while (done < transfers || (policy.kind === "queue" && clients.length > resting)) {
        if (t > limit) throw new Error(`queue model: the backlog did not drain in ${limit / 86400} days`);
        // Packages enter free slots.
        // Transfers arrive and enter free slots.
        while (arrived < transfers && nextArrival() <= t) {
            arrived++;
            waiting++;
        }
        while (waiting > 0 && active.size < platform.concurrentPackages) {
            active.set(nextPkg++, { job: 0, left: 0, nextAt: t + profile.serverGapSeconds });
            waiting--;
        }
        // Packages whose gap ended queue their next job's batches.
        for (const [pkg, state] of active) if (state.left === 0 && state.nextAt <= t) startJob(pkg, state);
        // Free workers on ready clients take the oldest batches.
        if (queue.length > 0) {
            const busy = new Map<number, number>();
            for (const b of running) busy.set(b.client, (busy.get(b.client) ?? 0) + 1);
            for (const c of clients) {
                if (c.readyAt > t) continue;
                for (let n = busy.get(c.id) ?? 0; n < platform.workersPerClient && queue.length > 0; n++) {
                    const batch = queue.shift()!;
                    batch.client = c.id;
                    running.push(batch);
                }
            }
        }
        // One-minute queue samples, and the policy acting on what CloudWatch has seen by now.
        if (t % 60 === 0 && samples[samples.length - 1]?.at !== t) {
            samples.push({ at: t, queue: queue.length + running.length, packages: active.size + waiting });
            if (policy.kind === "queue") {
                const seen = samples.filter((s) => s.at + policy.metricDelaySeconds <= t);
                const latest = seen[seen.length - 1];
                if (latest) {
                    const wanted = Math.min(policy.maxCount, Math.ceil(latest.queue / platform.workersPerClient));
                    if (wanted > clients.length && t - lastScaleOut >= policy.scaleOutCooldownSeconds) {
                        for (let i = clients.length; i < wanted; i++)
                            clients.push({ id: nextClientId++, readyAt: t + platform.taskStartSeconds, startedAt: t });
                        lastScaleOut = t;
                    }
                    const recent = seen.slice(-policy.scaleInIdleMinutes);
                    if (
                        clients.length > policy.minCount &&
                        recent.length === policy.scaleInIdleMinutes &&
                        recent.every((s) => s.queue === 0 && s.packages === 0)
                    ) {
                        const stopping = clients.slice(policy.minCount);
                        clients = clients.slice(0, policy.minCount);
                        for (const c of stopping) {
                            for (let i = running.length - 1; i >= 0; i--) {
                                if (running[i].client !== c.id) continue;
                                const [batch] = running.splice(i, 1);
                                batch.client = -1;
                                queue.unshift(batch);
                                interrupted++;
                            }
                        }
                    }
                }
            }
            peak = Math.max(peak, clients.length);
        }
        // Work and billing up to the next event: a batch ends, a gap ends, a client is ready, a minute starts.
        const step = nextEvent(t, running, active, clients, nextArrival()) - t;
        billedSeconds += clients.length * step;
        t += step;
        for (let i = running.length - 1; i >= 0; i--) {
            const batch = running[i];
            batch.seconds -= step;
            if (batch.seconds > 1e-9) continue;
            running.splice(i, 1);
            const state = active.get(batch.pkg)!;
            state.left--;
            if (state.left > 0) continue;
            state.job++;
            if (state.job === jobs.length) {
                active.delete(batch.pkg);
                done++;
                lastFinish = t;
            } else state.nextAt = t + profile.serverGapSeconds;
        }
    }
    const clientHours = policy.kind === "fixed" ? (policy.clients * lastFinish) / 3600 : billedSeconds / 3600;
    return {
        drainMinutes: lastFinish / 60,
        clientHours,
        cost: clientHours * platform.taskPricePerHour,
        peakClients: peak,
        interruptedBatches: interrupted,
        idleMonthlyCost: resting * 730 * platform.taskPricePerHour,
    };
}

/** A backlog on a platform with a client range: one case {@link chooseScaling} weighs. */
export interface Scenario {
    transfers: number;
    arrivals: Arrivals;
    profile: TransferProfile;
    platform: ModelPlatform;
    minCount: number;
    maxCount: number;
}

/**
 * The cases the stack's parameters are chosen on, on staging's platform (small tasks, 2 concurrent
 * packages, clients 0–2) and production's (large tasks, 4 concurrent packages, clients 1–5), two
 * workers per client: one transfer; a backlog of twenty with 2 s and with 10 s of server work between
 * jobs; six transfers started 30 minutes apart (an archivist working through a day); and two
 * transfers, the second started {@link FOLLOW_UP_MINUTES} after the previous one finished (an archivist
 * checking the result, then starting the next), the case where a scale-in can meet new work.
 */
export function referenceScenarios(taskPricePerHour: { small: number; large: number }): Scenario[] {
    const platforms = [
        { size: "small" as const, concurrentPackages: 2, minCount: 0, maxCount: 2 },
        { size: "large" as const, concurrentPackages: 4, minCount: 1, maxCount: 5 },
    ];
    const loads: { transfers: number; serverGapSeconds: number; arrivals: Arrivals }[] = [
        { transfers: 1, serverGapSeconds: 2, arrivals: { kind: "at-once" } },
        { transfers: 20, serverGapSeconds: 2, arrivals: { kind: "at-once" } },
        { transfers: 20, serverGapSeconds: 10, arrivals: { kind: "at-once" } },
        { transfers: 6, serverGapSeconds: 10, arrivals: { kind: "every", minutes: 30 } },
        ...FOLLOW_UP_MINUTES.map((minutes) => ({
            transfers: 2,
            serverGapSeconds: 2,
            arrivals: { kind: "after-previous" as const, minutes },
        })),
    ];
    return platforms.flatMap((p) =>
        loads.map((load) => ({
            transfers: load.transfers,
            arrivals: load.arrivals,
            profile: { ...REFERENCE_TRANSFER, serverGapSeconds: load.serverGapSeconds },
            platform: {
                workersPerClient: 2,
                concurrentPackages: p.concurrentPackages,
                taskStartSeconds: TASK_START_SECONDS,
                taskPricePerHour: taskPricePerHour[p.size],
            },
            minCount: p.minCount,
            maxCount: p.maxCount,
        })),
    );
}

/**
 * The queue-scaling parameters for a set of scenarios: of the {@link CANDIDATES} that interrupt no
 * batch in any scenario, the cheapest in total, then the fastest; of equals, the shortest idle wait.
 */
export function chooseScaling(scenarios: Scenario[]): QueueScalingParameters {
    let best: { p: QueueScalingParameters; cost: number; minutes: number } | undefined;
    for (const scaleInIdleMinutes of CANDIDATES.scaleInIdleMinutes) {
        const p = { metricDelaySeconds: METRIC_DELAY_SECONDS, scaleOutCooldownSeconds: SCALE_OUT_COOLDOWN_SECONDS, scaleInIdleMinutes };
        const outcomes = scenarios.map((s) =>
            simulate(s.transfers, s.profile, s.platform, { kind: "queue", minCount: s.minCount, maxCount: s.maxCount, ...p }, s.arrivals),
        );
        if (outcomes.some((o) => o.interruptedBatches > 0)) continue;
        const cost = round(outcomes.reduce((sum, o) => sum + o.cost, 0));
        const minutes = outcomes.reduce((sum, o) => sum + o.drainMinutes, 0);
        if (!best || cost < best.cost || (cost === best.cost && minutes < best.minutes)) best = { p, cost, minutes };
    }
    if (!best) throw new Error("queue model: every candidate interrupts running batches");
    return best.p;
}

const round = (dollars: number) => Math.round(dollars * 100);

/** One row of the model's table. */
export interface ModelRow {
    policy: string;
    outcome: Outcome;
}

/** The scenarios the README's table shows: today's fixed counts, a fixed four, and queue scaling. */
export function modelTable(
    transfers: number,
    profile: TransferProfile,
    platform: ModelPlatform,
    queue: { minCount: number; maxCount: number }[],
): ModelRow[] {
    const fixed = [1, 2, 4].map((clients) => ({
        policy: `fixed ${clients} client${clients === 1 ? "" : "s"}`,
        outcome: simulate(transfers, profile, platform, { kind: "fixed", clients }),
    }));
    const scaling = queue.map(({ minCount, maxCount }) => ({
        policy: `queue scaling, min ${minCount}, max ${maxCount}`,
        outcome: simulate(transfers, profile, platform, { kind: "queue", minCount, maxCount, ...QUEUE_SCALING }),
    }));
    return [...fixed, ...scaling];
}

/** The table as Markdown (the README shows it; a test keeps the two equal). */
export function formatModelTable(rows: ModelRow[]): string {
    const lines = [
        "| clients | backlog drained in | task-hours | Fargate cost of the backlog | idle cost a month | batches killed by scale-in |",
        "|---|---:|---:|---:|---:|---:|",
    ];
    for (const { policy, outcome: o } of rows) {
        const h = Math.floor(o.drainMinutes / 60);
        const m = Math.round(o.drainMinutes - h * 60);
        lines.push(
            `| ${policy} | ${h} h ${String(m).padStart(2, "0")} min | ${o.clientHours.toFixed(1)} | $${o.cost.toFixed(2)} | $${o.idleMonthlyCost.toFixed(2)} | ${o.interruptedBatches} |`,
        );
    }
    return lines.join("\n");
}
