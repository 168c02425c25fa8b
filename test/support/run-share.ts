/**
 * One computation per `npm test` run, shared by mocha's worker processes: the first worker that asks
 * for a key computes it and leaves the result in the run's directory; a worker asking for the same key
 * meanwhile waits for that file instead of computing it again. `npm test` (tools/test.ts) names the
 * directory in {@link SHARE_DIR_ENV} and removes it when the run ends; without it (mocha run directly,
 * `npm run test:one`) each process computes for itself, as before.
 *
 * What is shared is what test/harness.ts computes once per process anyway — the plan of a real stack
 * and its policy verdicts — so a worker reads the same values another worker computed from the same
 * tree in the same run; values cross as V8's structured serialization (what `structuredClone` keeps).
 */
import * as fs from "fs";
import * as path from "path";
import * as v8 from "v8";

/** The environment variable naming the run's directory. */
export const SHARE_DIR_ENV = "AM_TEST_SHARE_DIR";

/** How long a worker waits for another worker's result before it gives up (a worker that died). */
const WAIT_LIMIT_MS = 300_000;
const POLL_MS = 25;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for the result (or the error) another process is writing under `file`. */
async function resultOf<T>(file: string, key: string): Promise<T> {
    const deadline = Date.now() + WAIT_LIMIT_MS;
    for (;;) {
        if (fs.existsSync(file)) return v8.deserialize(fs.readFileSync(file)) as T;
        if (fs.existsSync(`${file}.error`))
            throw new Error(`${key}: failed in another test process: ${fs.readFileSync(`${file}.error`, "utf8")}`);
        if (Date.now() > deadline) throw new Error(`${key}: another test process took it and wrote nothing in ${WAIT_LIMIT_MS / 1000} s`);
        await sleep(POLL_MS);
    }
}

/**
 * `compute()`, once per run for `key` (a file name: letters, digits, `-`): computed here when this
 * process is the first to ask, else read from the process that was.
 */
export async function sharedInRun<T>(key: string, compute: () => Promise<T>, dir = process.env[SHARE_DIR_ENV]): Promise<T> {
    if (!dir) return compute();
    const file = path.join(dir, `${key}.v8`);
    try {
        fs.writeFileSync(`${file}.lock`, String(process.pid), { flag: "wx" });
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "EEXIST") return resultOf<T>(file, key);
        throw e;
    }
    try {
        const value = await compute();
        fs.writeFileSync(`${file}.tmp`, v8.serialize(value));
        fs.renameSync(`${file}.tmp`, file);
        return value;
    } catch (e) {
        fs.writeFileSync(`${file}.error`, e instanceof Error ? e.message : String(e));
        throw e;
    }
}
