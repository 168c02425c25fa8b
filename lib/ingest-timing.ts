/**
 * How long hands-off ingest may take to tell what became of an upload: the start grace, the ingest
 * functions' time limits, and the worst case they give. The one copy: the monitor
 * (functions/ingest/core/follow.ts) judges with `startGraceMs`, the Ingest component sets the
 * functions' limits from here, and whatever waits for an outcome (the smoke test, and the config rule
 * that spaces its runs) derives its budget from here instead of keeping a number of its own. Pure; in
 * lib/ so that config/ reads it too.
 */

export interface Grace {
    /** Minutes a unit may stay jobless after its phase began. */
    baseMinutes: number;
    /** Extra minutes per started GiB of the package (copying it from S3 takes time). */
    perGiBMinutes: number;
}

/** How long a unit of this size may answer 400 before it counts as never started, in milliseconds. */
export function startGraceMs(sizeBytes: number, grace: Grace): number {
    return (grace.baseMinutes + Math.ceil(sizeBytes / 2 ** 30) * grace.perGiBMinutes) * 60_000;
}

/** The starter's Lambda timeout: one message's handling, which may stream a whole .tar.gz to read its headers. */
export const STARTER_TIMEOUT_SECONDS = 900;
/** The monitor's Lambda timeout: one run, following up to its follow limit of transfers one after another. */
export const MONITOR_TIMEOUT_SECONDS = 300;
/** Extra start grace per started GiB: copying a package from S3 to the shared directory takes time. */
export const GRACE_PER_GIB_MINUTES = 1;
/**
 * An upload's way to the starter (S3 event, EventBridge rule, SQS, the Lambda poller): seconds in
 * practice and bounded by no setting of ours; a minute is allowed for it.
 */
export const DELIVERY_ALLOWANCE_SECONDS = 60;

/** The two settings of a stack the worst case depends on (config: ingestStartGraceMinutes, ingestMonitorSchedule). */
export interface IngestTiming {
    /** Minutes a started unit may stay jobless before it counts as never started (before the per-GiB part). */
    startGraceMinutes: number;
    /** Minutes between two monitor runs. */
    monitorMinutes: number;
}

/** The stack's defaults (config: ingestStartGraceMinutes 30, ingestMonitorSchedule rate(5 minutes)). */
export const DEFAULT_INGEST_TIMING: IngestTiming = { startGraceMinutes: 30, monitorMinutes: 5 };

/** The monitor schedules the stack accepts (config: ingestMonitorSchedule): `rate(1 minute)` or `rate(<2-60> minutes)`. */
export const MONITOR_RATE = /^rate\((1) minute\)$|^rate\(([2-9]|[1-5][0-9]|60) minutes\)$/;

/** The minutes of a monitor schedule, `rate(1 minute)` or `rate(<2-60> minutes)`; throws on anything else. */
export function monitorMinutes(schedule: string): number {
    const match = MONITOR_RATE.exec(schedule);
    if (!match) throw new Error(`"${schedule}" is not a monitor rate; valid: rate(1 minute) or rate(<2-60> minutes)`);
    return Number(match[1] ?? match[2]);
}

/**
 * The latest, counted from its upload, that the monitor has written `feedback/<key>.failed.json` for a
 * package of `sizeBytes` whose transfer never started, in seconds, when the starter takes it at its
 * first delivery (a start retried after an error comes later). Past the delivery allowance each term is
 * a bound the code keeps:
 * - the starter hands the package to the dashboard within one invocation (STARTER_TIMEOUT_SECONDS), and
 *   the transfer's phase clock starts within it (its `startedAt`);
 * - the dashboard answers 400 for the jobless unit through the start grace (core/follow.ts `judgeStatus` still waits at
 *   exactly the grace, `startGraceMs`: the base plus GRACE_PER_GIB_MINUTES per started GiB);
 * - the first monitor run after the grace comes within one interval (the schedule's flexible time
 *   window is OFF, components/app/ingest/schedule.ts);
 * - that run may reach the unit only at its very end (MONITOR_TIMEOUT_SECONDS; a run that times out
 *   writes nothing, and the next run is again within one interval of the grace, so it is covered).
 */
export function neverStartedWithinSeconds(sizeBytes: number, t: IngestTiming): number {
    const graceSeconds = startGraceMs(sizeBytes, { baseMinutes: t.startGraceMinutes, perGiBMinutes: GRACE_PER_GIB_MINUTES }) / 1000;
    return DELIVERY_ALLOWANCE_SECONDS + STARTER_TIMEOUT_SECONDS + graceSeconds + t.monitorMinutes * 60 + MONITOR_TIMEOUT_SECONDS;
}

/**
 * The smoke test's package (bootstrap/smoke_transfer.py `sample_zip`: one folder, two short text files)
 * is far below 1 GiB, so its start grace is the base plus one GiB's worth; any size up to this one gives
 * the same grace.
 */
export const SMOKE_PACKAGE_MAX_BYTES = 2 ** 30;

/** Seconds between two looks at the smoke package's feedback. */
export const SMOKE_POLL_SECONDS = 10;

/** The smoke test's polls and the time they span. */
export interface SmokeBudget {
    /** Polls of the feedback (`SMOKE_POLL_ATTEMPTS`); the first does not wait. */
    attempts: number;
    /** `attempts × pollSeconds`: how long a run may take, what runs must be spaced by. */
    seconds: number;
    /** The bound the polls outlast: `neverStartedWithinSeconds` for the smoke package. */
    outcomeWithinSeconds: number;
}

/**
 * Enough polls that the last one comes strictly after the monitor's worst case for the smoke package
 * ((attempts − 1) × pollSeconds > outcomeWithinSeconds, counted from the upload, which precedes the first
 * poll), so a transfer whose start failed ends the smoke test with the reason in its feedback, never
 * with the time-out.
 */
export function smokeBudget(t: IngestTiming, pollSeconds: number = SMOKE_POLL_SECONDS): SmokeBudget {
    const outcomeWithinSeconds = neverStartedWithinSeconds(SMOKE_PACKAGE_MAX_BYTES, t);
    const attempts = Math.floor(outcomeWithinSeconds / pollSeconds) + 2;
    return { attempts, seconds: attempts * pollSeconds, outcomeWithinSeconds };
}

/**
 * Minutes two smoke runs must be apart: one run's budget, rounded up (config/rules.ts checks
 * smokeTestSchedule against it; SmokeTest checks a rate against the same budget in seconds).
 */
export function smokeSpacingMinutes(t: IngestTiming, pollSeconds: number = SMOKE_POLL_SECONDS): number {
    return Math.ceil(smokeBudget(t, pollSeconds).seconds / 60);
}
