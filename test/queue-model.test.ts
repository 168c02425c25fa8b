/**
 * The queue model (lib/queue-model.ts): its semantics on cases small enough to work out by hand, the
 * parameters the stack deploys being the model's own choice, the goal on each stack, and the README's
 * tables being the model's. Deterministic; nothing here is timed (`npm run bench` prints the tables).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import {
    chooseScaling,
    ClientPolicy,
    METRIC_DELAY_SECONDS,
    QUEUE_SCALING,
    REFERENCE_TRANSFER,
    referenceScenarios,
    SCALE_OUT_COOLDOWN_SECONDS,
    simulate,
    transferJobs,
    TransferProfile,
} from "../lib/queue-model";
import { PRICES } from "../tools/cost/prices";
import { queueReport, queueReports, smallestMaxMeetingGoal, stackQueue } from "../tools/queue-report";
import { listStacks } from "../tools/stack-files";

/** Two batches of 128 s, then a 10 s job; 2 s of server work before each job. */
const TINY: TransferProfile = {
    files: 256,
    batchSize: 128,
    packageJobs: { count: 0, seconds: 5 },
    fileJobSecondsPerFile: [1],
    storeSeconds: 10,
    serverGapSeconds: 2,
};
const platform = (workersPerClient: number) => ({ workersPerClient, concurrentPackages: 1, taskStartSeconds: 120, taskPricePerHour: 0.36 });
const queue = (minCount: number, maxCount: number, scaleInIdleMinutes: number): ClientPolicy => ({
    kind: "queue",
    minCount,
    maxCount,
    metricDelaySeconds: 130,
    scaleOutCooldownSeconds: 60,
    scaleInIdleMinutes,
});

describe("queue model", () => {
    it("a reference transfer is 80 package jobs, six per-file jobs of eight batches and the store job", () => {
        const jobs = transferJobs(REFERENCE_TRANSFER);
        assert.equal(jobs.length, 87);
        assert.deepEqual(jobs[40], [64, 64, 64, 64, 64, 64, 64, 52]);
        assert.deepEqual(jobs[45], [768, 768, 768, 768, 768, 768, 768, 624]);
        assert.deepEqual(jobs[86], [600]);
        assert.equal(
            jobs.flat().reduce((a, b) => a + b, 0),
            80 * 5 + 1000 * 12.5 + 600,
        );
    });

    it("fixed clients, worked out by hand: 2 s gap, 2 × 128 s, 2 s gap, 10 s", () => {
        assert.deepEqual(simulate(1, TINY, platform(1), { kind: "fixed", clients: 1 }), {
            drainMinutes: 270 / 60,
            clientHours: 270 / 3600,
            cost: (270 / 3600) * 0.36,
            peakClients: 1,
            interruptedBatches: 0,
            idleMonthlyCost: 730 * 0.36,
        });
        // Two workers run both batches at once: 2 + 128 + 2 + 10.
        assert.equal(simulate(1, TINY, platform(2), { kind: "fixed", clients: 1 }).drainMinutes, 142 / 60);
    });

    it("queue scaling from zero, worked out by hand: the 60 s sample is seen at 190 s, acted on at 240 s, clients take work at 360 s", () => {
        // Batches 360–488, gap, store 490–500; the idle sample of 540 s is seen at 670 s and acted on
        // at 720 s: two clients billed from 240 s to 720 s.
        const o = simulate(1, TINY, platform(1), queue(0, 2, 1));
        assert.equal(o.drainMinutes, 500 / 60);
        assert.equal(o.clientHours, (2 * 480) / 3600);
        assert.equal(o.peakClients, 2);
        assert.equal(o.interruptedBatches, 0);
        assert.equal(o.idleMonthlyCost, 0);
    });

    it("a transfer started within the metric delay before a scale-in loses its running batches; a longer idle wait skips that scale-in", () => {
        // The second transfer arrives 100 s after the first ends (600 s): its batches run from 602 s on
        // the two clients that the alarm, still seeing the idle sample of 540 s, stops at 720 s.
        const race = simulate(2, TINY, platform(1), queue(0, 2, 1), { kind: "after-previous", minutes: 100 / 60 });
        assert.equal(race.interruptedBatches, 2);
        assert.equal(simulate(2, TINY, platform(1), queue(0, 2, 2), { kind: "after-previous", minutes: 100 / 60 }).interruptedBatches, 0);
    });

    it("arrivals: one every N minutes", () => {
        const o = simulate(2, TINY, platform(1), { kind: "fixed", clients: 1 }, { kind: "every", minutes: 10 });
        assert.equal(o.drainMinutes, (600 + 270) / 60);
    });

    it("the stack's parameters are the model's choice on the reference scenarios (idle wait 20 min, cooldown 60 s, delay 130 s)", () => {
        const eu = PRICES["eu-west-2"].fargate.x86;
        const scenarios = referenceScenarios({
            small: 2 * eu.vcpuHour + 4 * eu.gbHour,
            large: 4 * eu.vcpuHour + 16 * eu.gbHour,
        });
        assert.equal(scenarios.length, 68);
        assert.deepEqual(QUEUE_SCALING, { metricDelaySeconds: 130, scaleOutCooldownSeconds: 60, scaleInIdleMinutes: 20 });
        assert.deepEqual(chooseScaling(scenarios), QUEUE_SCALING);
        assert.equal(QUEUE_SCALING.metricDelaySeconds, METRIC_DELAY_SECONDS);
        assert.equal(QUEUE_SCALING.scaleOutCooldownSeconds, SCALE_OUT_COOLDOWN_SECONDS);
    });

    it("the goal on each stack: no slower than a fixed four clients, nothing spent idle with minCount 0, no batch killed", () => {
        for (const r of queueReports()) for (const v of r.verdicts) assert.ok(v.ok, `${r.stack}: ${v.why}`);
    });

    it("each stack file's mcpClientMaxCount is the model's smallest maxCount that drains as fast as a fixed four (5 on both platforms)", () => {
        const stacks = listStacks().map(stackQueue);
        assert.deepEqual(
            stacks.map((q) => [q.stack, smallestMaxMeetingGoal(q.platform)]),
            [
                ["prod", 5],
                ["staging", 5],
            ],
        );
        for (const q of stacks)
            assert.equal(
                q.maxCount,
                smallestMaxMeetingGoal(q.platform),
                `Pulumi.${q.stack}.yaml: mcpClientMaxCount should be the model's choice for its platform`,
            );
    });

    it("the reference scenarios' production platform has the prod stack's client range", () => {
        const prod = stackQueue("prod");
        const large = referenceScenarios({ small: 0.1, large: 0.2 }).filter((s) => s.platform.taskPricePerHour === 0.2);
        assert.equal(large.length, 34);
        for (const s of large) assert.deepEqual([s.minCount, s.maxCount, s.platform.concurrentPackages], [prod.minCount, prod.maxCount, 4]);
        assert.deepEqual([prod.minCount, prod.maxCount, prod.platform.concurrentPackages], [1, 5, 4]);
    });

    it("a stack whose clients cannot beat a fixed four is named with the model's smallest sufficient maxCount", () => {
        const staging = stackQueue("staging");
        const slow = queueReport({ ...staging, minCount: 0, maxCount: 2 });
        assert.equal(slow.verdicts[0].ok, false);
        assert.match(
            slow.verdicts[0].why,
            /^drains in \d+ min with clients 0–2, fixed 4 in \d+ min \(the model's smallest maxCount for that: \d+\)$/,
        );
    });

    it("the README shows each stack's table as the model computes it", () => {
        const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
        for (const r of queueReports())
            assert.ok(
                readme.includes(`${r.stack}:\n\n${r.table}\n`),
                `README.md lacks the current queue model table of ${r.stack}; copy it from \`npm run bench\` (or tools/queue-report.ts queueReports())`,
            );
    });
});
