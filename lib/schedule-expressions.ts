/**
 * EventBridge schedule expressions, parsed and evaluated: `cron(minutes hours day-of-month month
 * day-of-week year)` and `rate(value unit)`, as EventBridge Scheduler and AWS Backup take them (UTC).
 *
 * Sources: EventBridge User Guide, "Cron expressions" (eb-scheduled-rule-pattern.html: six required
 * fields; minutes 0-59, hours 0-23, day-of-month 1-31, month 1-12 or JAN-DEC, day-of-week 1-7 or SUN-SAT,
 * year 1970-2199; wildcards `, - * /` everywhere, `?` and `L` in both day fields, `W` in day-of-month,
 * `#` in day-of-week; "You can't use * in both the Day-of-month and Day-of-week fields. If you use it in
 * one, you must use ? in the other"); EventBridge Scheduler User Guide, "Schedule types" (a rate is a
 * positive integer and one of minute | minutes | hour | hours | day | days). `L`, `W` and `#` follow the
 * guide's meaning: the last day of the month (or the last <weekday> of it), the weekday nearest a day of
 * the month (not crossing into another month), the n-th <weekday> of the month.
 *
 * Beyond parsing, a schedule is evaluated: when it fires next (a cron for 30 February, or for a year
 * gone by, never fires) and how close two runs can come (every minute is far too often for a transfer
 * that takes half an hour).
 */

/** Milliseconds in a minute. */
const MINUTE = 60_000;

interface FieldSpec {
    name: string;
    min: number;
    max: number;
    names?: readonly string[];
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] as const;
const WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] as const;

const FIELDS: readonly FieldSpec[] = [
    { name: "minutes", min: 0, max: 59 },
    { name: "hours", min: 0, max: 23 },
    { name: "day-of-month", min: 1, max: 31 },
    { name: "month", min: 1, max: 12, names: MONTHS },
    { name: "day-of-week", min: 1, max: 7, names: WEEKDAYS },
    { name: "year", min: 1970, max: 2199 },
];

/** A parsed cron expression: the values each plain field allows, and the day rules. */
export interface Cron {
    minutes: Set<number>;
    hours: Set<number>;
    months: Set<number>;
    years: Set<number>;
    /** Whether the day (UTC) matches the day-of-month and day-of-week fields. */
    dayMatches(date: Date): boolean;
}

/** A parsed schedule: a cron, or a fixed rate in minutes. */
export type Schedule = { kind: "cron"; cron: Cron } | { kind: "rate"; minutes: number };

/** A schedule that could not be parsed: the one-line reason. */
export class ScheduleError extends Error {}

function fail(message: string): never {
    throw new ScheduleError(message);
}

/** A number or a name of the field. */
function valueOf(text: string, f: FieldSpec): number {
    const upper = text.toUpperCase();
    const named = f.names?.indexOf(upper);
    if (named !== undefined && named >= 0) return named + 1;
    if (!/^\d{1,4}$/.test(text))
        fail(`has "${text}" in ${f.name}, not a number${f.names ? ` or ${f.names[0]}-${f.names[f.names.length - 1]}` : ""}`);
    const n = Number(text);
    if (n < f.min || n > f.max) fail(`has ${n} in ${f.name}, outside ${f.min}-${f.max}`);
    return n;
}

/** The values of a field made of `,`, `-`, `*` and `/` parts. */
function plainValues(text: string, f: FieldSpec): Set<number> {
    const out = new Set<number>();
    for (const part of text.split(",")) {
        if (part === "") fail(`has an empty item in ${f.name} "${text}"`);
        const [range, stepText, extra] = part.split("/");
        if (extra !== undefined) fail(`has more than one / in ${f.name} "${part}"`);
        let from: number;
        let to: number;
        if (range === "*") [from, to] = [f.min, f.max];
        else if (range.includes("-")) {
            const [a, b, more] = range.split("-");
            if (more !== undefined || a === "" || b === "") fail(`has "${part}" in ${f.name}, not a range`);
            [from, to] = [valueOf(a, f), valueOf(b, f)];
            if (from > to) fail(`has the range ${range} in ${f.name}, which runs backwards`);
        } else {
            from = valueOf(range, f);
            to = stepText === undefined ? from : f.max;
        }
        let step = 1;
        if (stepText !== undefined) {
            if (!/^\d{1,4}$/.test(stepText) || Number(stepText) < 1)
                fail(`has the step "/${stepText}" in ${f.name}, not a positive number`);
            step = Number(stepText);
        }
        for (let v = from; v <= to; v += step) out.add(v);
    }
    return out;
}

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The weekday (Monday to Friday) nearest `day` in the same month, as `W` means it. */
function nearestWeekday(year: number, month: number, day: number): number {
    const last = daysInMonth(year, month);
    const d = Math.min(day, last);
    const dow = new Date(Date.UTC(year, month - 1, d)).getUTCDay();
    if (dow >= 1 && dow <= 5) return d;
    if (dow === 6) return d === 1 ? 3 : d - 1; // Saturday: Friday before, or Monday after the 1st
    return d === last ? d - 2 : d + 1; // Sunday: Monday after, or Friday before the last day
}

/** The day-of-month test. */
function dayOfMonthTest(text: string): ((d: Date) => boolean) | undefined {
    const f = FIELDS[2];
    if (text === "?") return undefined;
    if (text === "L") return (d) => d.getUTCDate() === daysInMonth(d.getUTCFullYear(), d.getUTCMonth() + 1);
    if (text === "LW")
        return (d) =>
            d.getUTCDate() ===
            nearestWeekday(d.getUTCFullYear(), d.getUTCMonth() + 1, daysInMonth(d.getUTCFullYear(), d.getUTCMonth() + 1));
    const w = /^(\d{1,2})W$/.exec(text);
    if (w) {
        const day = valueOf(w[1], f);
        return (d) => d.getUTCDate() === nearestWeekday(d.getUTCFullYear(), d.getUTCMonth() + 1, day);
    }
    if (/[LW?#]/.test(text)) fail(`has "${text}" in day-of-month; L, W and ? stand alone (L, LW, 15W, ?)`);
    const days = plainValues(text, f);
    return (d) => days.has(d.getUTCDate());
}

/** The day-of-week test (1 = Sunday … 7 = Saturday). */
function dayOfWeekTest(text: string): ((d: Date) => boolean) | undefined {
    const f = FIELDS[4];
    const dow = (d: Date) => d.getUTCDay() + 1;
    if (text === "?") return undefined;
    if (text === "L") return (d) => dow(d) === 7;
    const last = /^([A-Za-z]{3}|\d)L$/.exec(text);
    if (last) {
        const day = valueOf(last[1], f);
        return (d) => dow(d) === day && d.getUTCDate() + 7 > daysInMonth(d.getUTCFullYear(), d.getUTCMonth() + 1);
    }
    const nth = /^([A-Za-z]{3}|\d)#(\d)$/.exec(text);
    if (nth) {
        const day = valueOf(nth[1], f);
        const k = Number(nth[2]);
        if (k < 1 || k > 5) fail(`has "${text}" in day-of-week; the number after # is 1-5`);
        return (d) => dow(d) === day && Math.ceil(d.getUTCDate() / 7) === k;
    }
    if (/[LW?#/]/.test(text)) fail(`has "${text}" in day-of-week, where only values, ranges, lists, L, 6L, 2#1 or ? go`);
    const days = plainValues(text, f);
    return (d) => days.has(dow(d));
}

/** Parses `cron(...)`; ScheduleError names the field and what is wrong with it. */
export function parseCron(expression: string): Cron {
    const m = /^cron\((.*)\)$/.exec(expression);
    if (!m) fail("is not cron(...)");
    const fields = m[1].split(" ");
    if (fields.length !== 6 || fields.some((x) => x === ""))
        fail(
            `has ${m[1].trim() === "" ? 0 : m[1].trim().split(/\s+/).length} fields separated by single spaces, not 6 (minutes hours day-of-month month day-of-week year)`,
        );
    const [min, hour, dom, month, dowText, year] = fields;
    for (const [i, text] of [min, hour, month, year].entries()) {
        const f = FIELDS[[0, 1, 3, 5][i]];
        if (/[?LW#]/i.test(text) && !(f.names && /^[A-Za-z,*/-]+$/.test(text)))
            fail(`has "${text}" in ${f.name}; ?, L, W and # are for the day fields`);
    }
    if ((dom === "?") === (dowText === "?"))
        fail(
            dom === "?"
                ? "has ? in both day-of-month and day-of-week; one of them must be a value"
                : "sets both day-of-month and day-of-week; one of them must be ?",
        );
    const domTest = dayOfMonthTest(dom);
    const dowTest = dayOfWeekTest(dowText);
    return {
        minutes: plainValues(min, FIELDS[0]),
        hours: plainValues(hour, FIELDS[1]),
        months: plainValues(month, FIELDS[3]),
        years: plainValues(year, FIELDS[5]),
        dayMatches: (d) => (domTest ? domTest(d) : dowTest!(d)),
    };
}

const RATE_UNITS: Record<string, number> = { minute: 1, minutes: 1, hour: 60, hours: 60, day: 1440, days: 1440 };

/** Parses `rate(value unit)`. */
export function parseRate(expression: string): number {
    const m = /^rate\((\d+) (minutes?|hours?|days?)\)$/.exec(expression);
    if (!m) fail("is not rate(<positive integer> minute|minutes|hour|hours|day|days)");
    const value = Number(m[1]);
    if (!Number.isSafeInteger(value) || value < 1) fail("has a rate value that is not a positive integer");
    return value * RATE_UNITS[m[2]];
}

/** Parses a cron or rate expression. */
export function parseSchedule(expression: string): Schedule {
    if (expression.startsWith("rate(")) return { kind: "rate", minutes: parseRate(expression) };
    if (expression.startsWith("cron(")) return { kind: "cron", cron: parseCron(expression) };
    return fail("is not a cron(...) or rate(...) expression");
}

/** The fire times of a cron from `from` (inclusive) onwards, in order, until the year 2199 ends. */
export function* fireTimes(cron: Cron, from: Date): Generator<Date> {
    const minutes = [...cron.minutes].sort((a, b) => a - b);
    const hours = [...cron.hours].sort((a, b) => a - b);
    const start = Math.ceil(from.getTime() / MINUTE) * MINUTE;
    const day = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
    while (day.getUTCFullYear() <= 2199) {
        const y = day.getUTCFullYear();
        if (!cron.years.has(y)) {
            // Skip to the next allowed year.
            const next = [...cron.years].filter((x) => x > y).sort((a, b) => a - b)[0];
            if (next === undefined) return;
            day.setTime(Date.UTC(next, 0, 1));
            continue;
        }
        if (cron.months.has(day.getUTCMonth() + 1) && cron.dayMatches(day)) {
            for (const h of hours)
                for (const m of minutes) {
                    const t = day.getTime() + (h * 60 + m) * MINUTE;
                    if (t >= start) yield new Date(t);
                }
        }
        day.setTime(day.getTime() + 1440 * MINUTE);
    }
}

/** When the schedule fires next at or after `now`, or undefined when it never will. */
export function nextFire(schedule: Schedule, now: Date): Date | undefined {
    if (schedule.kind === "rate") return now;
    return fireTimes(schedule.cron, now).next().value ?? undefined;
}

/**
 * The shortest time between two runs (minutes), looking at the runs of the coming `horizonYears` years
 * from `now` (a cron repeats within a few years; leap days within four), and stopping as soon as a gap
 * below `stopBelow` is seen. Undefined when the schedule fires less than twice in that time.
 */
export function shortestInterval(schedule: Schedule, now: Date, stopBelow = 0, horizonYears = 8): number | undefined {
    if (schedule.kind === "rate") return schedule.minutes;
    const end = Date.UTC(now.getUTCFullYear() + horizonYears, now.getUTCMonth(), now.getUTCDate());
    let previous: number | undefined;
    let shortest: number | undefined;
    for (const t of fireTimes(schedule.cron, now)) {
        const ms = t.getTime();
        if (ms > end) break;
        if (previous !== undefined) {
            const gap = (ms - previous) / MINUTE;
            if (shortest === undefined || gap < shortest) shortest = gap;
            if (shortest < stopBelow) break;
        }
        previous = ms;
    }
    return shortest;
}

/** `90 minutes`, `1 hour`, `2 days`. */
export function describeMinutes(minutes: number): string {
    const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
    if (minutes % 1440 === 0) return plural(minutes / 1440, "day");
    if (minutes % 60 === 0) return plural(minutes / 60, "hour");
    return plural(minutes, "minute");
}

/**
 * What is wrong with a schedule that must fire and leave `minimumMinutes` between runs, or undefined:
 * not parseable, never fires after `now`, or fires more often. A minimum of 0 checks no spacing (a rule
 * between keys checks it, with a minimum that depends on other keys).
 */
export function scheduleProblem(expression: string, minimumMinutes: number, now: Date): string | undefined {
    let schedule: Schedule;
    try {
        schedule = parseSchedule(expression);
    } catch (e) {
        if (e instanceof ScheduleError) return e.message;
        throw e;
    }
    if (!nextFire(schedule, now)) return `never fires after ${now.toISOString().slice(0, 10)}`;
    if (minimumMinutes <= 0) return undefined;
    const shortest = shortestInterval(schedule, now, minimumMinutes);
    if (shortest !== undefined && shortest < minimumMinutes)
        return `fires ${describeMinutes(shortest)} apart, less than the ${describeMinutes(minimumMinutes)} needed between runs`;
    return undefined;
}
