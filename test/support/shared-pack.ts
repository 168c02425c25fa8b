/**
 * The repository's policy pack, started once per test process and shared by every test that runs the
 * gate over a plan (the stacks' gates, the Redis exception, sign-in, the bench's previews, the gate's
 * own tests and `npm run policy` in process). A pack start costs a Node process loading
 * @pulumi/pulumi and the pack (about 3 s of CPU); the suite used to start eight.
 *
 * Sharing is sound because a gate run configures the pack afresh each time, in the engine's order
 * (`Configure` with the run's policy config, `ConfigureStack` with its stack, project and tags:
 * tools/gate/analyse.ts), and neither the pack's rules nor @pulumi/policy's server keep anything else
 * between runs or read the stack from the environment (`PULUMI_STACK`, which a runGate-started pack
 * gets). Tests of starting and stopping a pack (test/gate.test.ts) start their own.
 *
 * This file is also a mocha root-hook file (.mocharc.json): run serially (`npm run test:one`), the pack
 * is stopped after the last file. In a parallel run's worker (`MOCHA_WORKER_ID` set) root hooks run
 * after every file, so the pack stays up for the worker's next files and dies with the worker
 * (startPack kills its pack when the process exits).
 */
import { PolicyPackProcess, startPack, StartPackOptions } from "../../tools/gate/pack-process";

/**
 * The start-up bound for a policy pack a test starts (startPack's `timeoutMs`). The pack's own 30 s is
 * a limit for users; on a test machine shared with other work a pack has taken longer to start, and
 * a test's bound is mocha's timeout (speed is judged by `npm run bench`, never by a timed test). The
 * pack is transpiled with SWC, as the tests are.
 */
export const TEST_PACK_START: StartPackOptions = { timeoutMs: 150_000, swc: true };

/** How long a test or hook that starts a pack may take (mocha's `this.timeout`). */
export const PACK_TEST_TIMEOUT = 240_000;

let started: Promise<PolicyPackProcess> | undefined;

/** The process's policy pack (policy/), started on first use; never close it (see the file's comment). */
export function sharedPack(): Promise<PolicyPackProcess> {
    started ??= startPack(undefined, TEST_PACK_START);
    return started;
}

/** Stops the shared pack if one was started; the next {@link sharedPack} starts a new one. */
export async function stopSharedPack(): Promise<void> {
    const pack = started;
    started = undefined;
    await pack?.then(
        (p) => p.close(),
        () => undefined,
    );
}

export const mochaHooks = {
    async afterAll(): Promise<void> {
        if (process.env.MOCHA_WORKER_ID === undefined) await stopSharedPack();
    },
};
