/**
 * How long hands-off ingest may take to report a transfer that never started, and the smoke test's
 * polls derived from it: exact values for the defaults and the extremes the config allows, and the
 * bound checked against the monitor's own judgement (judgeStatus) rather than restated.
 */
import * as assert from "assert";
import { judgeStatus, startGraceMs } from "../../functions/ingest/core/follow";
import {
    DEFAULT_INGEST_TIMING,
    GRACE_PER_GIB_MINUTES,
    monitorMinutes,
    neverStartedWithinSeconds,
    SMOKE_PACKAGE_MAX_BYTES,
    smokeBudget,
    smokeSpacingMinutes,
} from "../../lib/ingest-timing";
import { noJobYet } from "../support/fake-dashboard";

const T = "11111111-1111-4111-8111-111111111111";

describe("ingest: timing", () => {
    it("reads the monitor's rate in minutes, and refuses any other form", () => {
        assert.deepStrictEqual(["rate(1 minute)", "rate(5 minutes)", "rate(60 minutes)"].map(monitorMinutes), [1, 5, 60]);
        for (const bad of ["rate(1 minutes)", "rate(61 minutes)", "rate(1 hour)", "cron(0/5 * * * ? *)"])
            assert.throws(
                () => monitorMinutes(bad),
                new Error(`"${bad}" is not a monitor rate; valid: rate(1 minute) or rate(<2-60> minutes)`),
            );
    });

    it("the latest never-started outcome, from the upload: delivery 60 s + starter 900 s + grace + one interval + one monitor run 300 s", () => {
        const defaults = { startGraceMinutes: 30, monitorMinutes: 5 };
        // (30 + 1 GiB × 1) min grace = 1860 s; 60 + 900 + 1860 + 300 + 300.
        assert.strictEqual(neverStartedWithinSeconds(SMOKE_PACKAGE_MAX_BYTES, defaults), 3420);
        // One byte more is a second started GiB: one more minute of grace.
        assert.strictEqual(neverStartedWithinSeconds(SMOKE_PACKAGE_MAX_BYTES + 1, defaults), 3480);
        assert.strictEqual(neverStartedWithinSeconds(1, { startGraceMinutes: 5, monitorMinutes: 1 }), 1680);
        assert.strictEqual(GRACE_PER_GIB_MINUTES, 1);
    });

    it("the smoke test's polls: the last strictly after that bound (the first does not wait)", () => {
        assert.deepStrictEqual(smokeBudget({ startGraceMinutes: 30, monitorMinutes: 5 }), {
            attempts: 344,
            seconds: 3440,
            outcomeWithinSeconds: 3420,
        });
        assert.deepStrictEqual(smokeBudget({ startGraceMinutes: 5, monitorMinutes: 1 }), {
            attempts: 170,
            seconds: 1700,
            outcomeWithinSeconds: 1680,
        });
        // 60 + 900 + (1440 + 1) × 60 + 3600 + 300 = 91320 s; floor(91320 / 7) + 2 = 13047 polls of 7 s.
        assert.deepStrictEqual(smokeBudget({ startGraceMinutes: 1440, monitorMinutes: 60 }, 7), {
            attempts: 13047,
            seconds: 91329,
            outcomeWithinSeconds: 91320,
        });
        for (const startGraceMinutes of [5, 17, 30, 1440])
            for (const monitor of [1, 5, 7, 60])
                for (const pollSeconds of [1, 7, 10, 300]) {
                    const b = smokeBudget({ startGraceMinutes, monitorMinutes: monitor }, pollSeconds);
                    assert.ok((b.attempts - 1) * pollSeconds > b.outcomeWithinSeconds, `${startGraceMinutes}/${monitor}/${pollSeconds}`);
                    assert.ok((b.attempts - 2) * pollSeconds <= b.outcomeWithinSeconds, "no more polls than needed");
                }
    });

    it("smoke runs are spaced by one run's budget in whole minutes: 58 with the stack's defaults", () => {
        assert.deepStrictEqual(DEFAULT_INGEST_TIMING, { startGraceMinutes: 30, monitorMinutes: 5 });
        assert.strictEqual(smokeSpacingMinutes(DEFAULT_INGEST_TIMING), 58); // 3440 s
        assert.strictEqual(smokeSpacingMinutes({ startGraceMinutes: 120, monitorMinutes: 10 }), 153); // 9140 s
        assert.strictEqual(smokeSpacingMinutes({ startGraceMinutes: 5, monitorMinutes: 1 }), 29); // 1700 s
    });

    it("the bound holds the monitor's own judgement: at the grace it still waits, the first run after it reports never started", () => {
        const t = { startGraceMinutes: 30, monitorMinutes: 5 };
        const grace = startGraceMs(SMOKE_PACKAGE_MAX_BYTES, { baseMinutes: t.startGraceMinutes, perGiBMinutes: GRACE_PER_GIB_MINUTES });
        const status = { http: noJobYet(T).status, body: noJobYet(T).body };
        assert.strictEqual(judgeStatus("transfer", T, status, grace, grace).kind, "wait");
        // The worst run: it starts just short of one interval after the grace and ends at the Lambda timeout.
        const worstRunStart = grace + t.monitorMinutes * 60_000;
        assert.strictEqual(judgeStatus("transfer", T, status, worstRunStart, grace).kind, "never-started");
        const latestWriteAfterUpload = 60 + 900 + worstRunStart / 1000 + 300;
        assert.strictEqual(latestWriteAfterUpload, neverStartedWithinSeconds(SMOKE_PACKAGE_MAX_BYTES, t));
    });
});
