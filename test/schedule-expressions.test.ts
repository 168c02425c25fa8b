/**
 * EventBridge cron and rate expressions parsed for real (lib/schedule-expressions.ts): every field's
 * range and wildcards, the day-field rules, and the evaluation — when a schedule next fires and how close
 * two runs come — at a fixed "now".
 */
import * as assert from "assert";
import fc from "fast-check";
import { fireTimes, nextFire, parseCron, parseSchedule, scheduleProblem, shortestInterval } from "../lib/schedule-expressions";

const NOW = new Date("2026-03-01T00:00:00Z");

describe("lib: schedule expressions", () => {
    const problems: [string, number, string | undefined][] = [
        ["rate(1 day)", 30, undefined],
        ["rate(30 minutes)", 30, undefined],
        ["rate(29 minutes)", 30, "fires 29 minutes apart, less than the 30 minutes needed between runs"],
        ["rate(0 minutes)", 30, "has a rate value that is not a positive integer"],
        ["rate(1 week)", 30, "is not rate(<positive integer> minute|minutes|hour|hours|day|days)"],
        ["cron(* * * * ? *)", 30, "fires 1 minute apart, less than the 30 minutes needed between runs"],
        ["cron(0,15 * * * ? *)", 30, "fires 15 minutes apart, less than the 30 minutes needed between runs"],
        ["cron(0 */2 * * ? *)", 60, undefined],
        ["cron(0 0,1 * * ? *)", 90, "fires 1 hour apart, less than the 90 minutes needed between runs"],
        ["cron(0 23 L * ? *)", 60, undefined],
        ["cron(0 9 ? * 6L *)", 60, undefined],
        ["cron(0 9 15W * ? *)", 60, undefined],
        ["cron(0 9 ? * MON#2 *)", 60, undefined],
        ["cron(0 3 * * ? 2020)", 60, "never fires after 2026-03-01"],
        ["cron(0 3 31 4,6,9,11 ? *)", 60, "never fires after 2026-03-01"],
        ["cron(0 3 29 2 ? *)", 60, undefined],
        ["cron(60 3 * * ? *)", 60, "has 60 in minutes, outside 0-59"],
        ["cron(0 24 * * ? *)", 60, "has 24 in hours, outside 0-23"],
        ["cron(0 3 0 * ? *)", 60, "has 0 in day-of-month, outside 1-31"],
        ["cron(0 3 * 13 ? *)", 60, "has 13 in month, outside 1-12"],
        ["cron(0 3 ? * 8 *)", 60, "has 8 in day-of-week, outside 1-7"],
        ["cron(0 3 * * ? 2200)", 60, "has 2200 in year, outside 1970-2199"],
        ["cron(0 3 * * ? 1969)", 60, "has 1969 in year, outside 1970-2199"],
        ["cron(0 3 * JANUARY ? *)", 60, 'has "JANUARY" in month, not a number or JAN-DEC'],
        ["cron(0 3 ? * FUN *)", 60, 'has "FUN" in day-of-week, not a number or SUN-SAT'],
        ["cron(0 ? * * ? *)", 60, 'has "?" in hours; ?, L, W and # are for the day fields'],
        ["cron(0 3 * * * *)", 60, "sets both day-of-month and day-of-week; one of them must be ?"],
        ["cron(0 3 ? * ? *)", 60, "has ? in both day-of-month and day-of-week; one of them must be a value"],
        ["cron(0 3 * * ?)", 60, "has 5 fields separated by single spaces, not 6 (minutes hours day-of-month month day-of-week year)"],
        ["cron(0  3 * * ? *)", 60, "has 6 fields separated by single spaces, not 6 (minutes hours day-of-month month day-of-week year)"],
        ["cron(10-5 3 * * ? *)", 60, "has the range 10-5 in minutes, which runs backwards"],
        ["cron(0/0 3 * * ? *)", 60, 'has the step "/0" in minutes, not a positive number'],
        ["cron(0 3 ? * 2#6 *)", 60, 'has "2#6" in day-of-week; the number after # is 1-5'],
        ["cron(0 3 3L * ? *)", 60, 'has "3L" in day-of-month; L, W and ? stand alone (L, LW, 15W, ?)'],
        ["every day", 60, "is not a cron(...) or rate(...) expression"],
        // A minimum of 0 checks the form and that it fires, not the spacing (a rule between keys does).
        ["cron(* * * * ? *)", 0, undefined],
        ["cron(0 3 * * ? 2020)", 0, "never fires after 2026-03-01"],
        ["cron(0 3 * * ?)", 0, "has 5 fields separated by single spaces, not 6 (minutes hours day-of-month month day-of-week year)"],
    ];
    for (const [expression, minimum, problem] of problems)
        it(`${expression} (at least ${minimum} min apart)`, () => assert.strictEqual(scheduleProblem(expression, minimum, NOW), problem));

    it("fires on the days the fields name: the second Monday, the last Friday, the weekday nearest the 1st", () => {
        const days = (expr: string, n: number) => [...take(fireTimes(parseCron(expr), NOW), n)].map((d) => d.toISOString().slice(0, 16));
        assert.deepStrictEqual(days("cron(0 9 ? * MON#2 *)", 2), ["2026-03-09T09:00", "2026-04-13T09:00"]);
        assert.deepStrictEqual(days("cron(30 17 ? * 6L *)", 2), ["2026-03-27T17:30", "2026-04-24T17:30"]);
        // 1 August 2026 is a Saturday: W moves to Monday 3 August, never back into July.
        assert.deepStrictEqual(days("cron(0 6 1W 8 ? *)", 1), ["2026-08-03T06:00"]);
        assert.deepStrictEqual(days("cron(0 0 L 2 ? 2028)", 1), ["2028-02-29T00:00"]);
    });

    it("property: a cron of one minute and one hour a day fires daily, 24 hours apart", () => {
        fc.assert(
            fc.property(fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 23 }), (m, h) => {
                const s = parseSchedule(`cron(${m} ${h} * * ? *)`);
                assert.strictEqual(shortestInterval(s, NOW, 0, 1), 1440);
                const next = nextFire(s, NOW)!;
                assert.deepStrictEqual([next.getUTCHours(), next.getUTCMinutes()], [h, m]);
            }),
            { numRuns: 50 },
        );
    });

    it("property: a step in the minutes field fires that many minutes apart", () => {
        fc.assert(
            fc.property(fc.integer({ min: 1, max: 59 }), (step) => {
                const got = shortestInterval(parseSchedule(`cron(0/${step} * * * ? *)`), NOW, 0, 1);
                // Within an hour runs are `step` apart; across the hour the gap is 60 - (the last minute), which may be shorter.
                const lastMinute = Math.floor(59 / step) * step;
                assert.strictEqual(got, Math.min(step, 60 - lastMinute));
            }),
            { numRuns: 59 },
        );
    });
});

function* take<T>(it: Iterable<T>, n: number): Generator<T> {
    let i = 0;
    for (const x of it) {
        if (i++ >= n) return;
        yield x;
    }
}
