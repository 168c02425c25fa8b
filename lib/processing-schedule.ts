/**
 * Processing hours for the MCP clients, as an operator writes them (`MON-FRI 07:00-19:00`), turned into
 * the two cron expressions of Application Auto Scaling scheduled actions (`cron(minutes hours
 * day-of-month month day-of-week year)`, Application Auto Scaling user guide, "Scheduled scaling":
 * day-of-month `?` when day-of-week is given). Outside the hours the clients are held at 0; at the
 * start the configured range applies again.
 */

/** Days of the week as cron names them. */
export const WEEKDAYS = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"] as const;

export interface ProcessingSchedule {
    /** The cron day-of-week field: `MON-FRI`, `MON,WED,FRI`, `*`. */
    days: string;
    start: { hour: number; minute: number };
    stop: { hour: number; minute: number };
}

/** What the schedule's value may look like, for error messages. */
export const SCHEDULE_FORMAT =
    "DAYS HH:MM-HH:MM, e.g. MON-FRI 07:00-19:00; DAYS is DAILY, a day (MON…SUN), a range MON-FRI or a list MON,WED,FRI";

const DAY = `(?:${WEEKDAYS.join("|")})`;
const DAYS = new RegExp(`^(?:DAILY|${DAY}(?:-${DAY})?(?:,${DAY}(?:-${DAY})?)*)$`);
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Why `text` is not a schedule, or undefined when it is one. */
export function scheduleProblem(text: string): string | undefined {
    const parts = text.trim().split(/\s+/);
    if (parts.length !== 2) return `${JSON.stringify(text)} is not "DAYS HH:MM-HH:MM"`;
    const [days, hours] = parts;
    if (!DAYS.test(days)) return `${JSON.stringify(days)} are not days`;
    for (const range of days === "DAILY" ? [] : days.split(",")) {
        const [from, to] = range.split("-");
        if (to && WEEKDAYS.indexOf(from as (typeof WEEKDAYS)[number]) >= WEEKDAYS.indexOf(to as (typeof WEEKDAYS)[number]))
            return `day range ${range} does not run forwards within a week`;
    }
    const times = hours.split("-");
    if (times.length !== 2 || !TIME.test(times[0]) || !TIME.test(times[1])) return `${JSON.stringify(hours)} is not HH:MM-HH:MM`;
    if (times[0] >= times[1]) return `${hours} does not start before it stops (hours within one day)`;
    return undefined;
}

/** The schedule of `text` (checked with {@link scheduleProblem} first). */
export function parseSchedule(text: string): ProcessingSchedule {
    const problem = scheduleProblem(text);
    if (problem) throw new Error(`processing schedule ${problem}; valid: ${SCHEDULE_FORMAT}`);
    const [days, hours] = text.trim().split(/\s+/);
    const [start, stop] = hours.split("-").map((t) => {
        const [h, m] = t.split(":").map(Number);
        return { hour: h, minute: m };
    });
    return { days: days === "DAILY" ? "*" : days, start, stop };
}

/** The Application Auto Scaling cron expression of a time on the schedule's days. */
export function cronAt(s: ProcessingSchedule, at: { hour: number; minute: number }): string {
    return `cron(${at.minute} ${at.hour} ? * ${s.days} *)`;
}
