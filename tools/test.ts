/**
 * `npm test`: the check (tools/check.ts: both TypeScript projects type-checked, ESLint, Prettier) and
 * the mocha suite (.mocharc.json), side by side. Each is single-threaded for most of its run, so on a
 * machine with two or more cores the pair takes about as long as the longer of the two instead of
 * their sum. Mocha prints as it runs (its spec reporter, closing with `N passing` / `N failing`); the
 * check's report follows once both are done. Exit 0 only when both pass. Arguments go to mocha
 * (`npm test -- --grep tags`); a few files alone: `npm run test:one -- test/tags.test.ts`.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import { availableParallelism, tmpdir } from "os";
import * as path from "path";
import { SHARE_DIR_ENV } from "../test/support/run-share";
import { runCheck } from "./check";
import { ROOT } from "./stack-files";

/**
 * Mocha's worker processes: one per core. The check runs beside them, so the machine is busy for the
 * whole run; each worker loads the program once and plans the stacks its files need once.
 */
export const MOCHA_JOBS = Math.max(2, availableParallelism());

/**
 * Runs mocha with the project's .mocharc.json, in parallel mode, and `args`; resolves with its exit
 * code. `shareDir`: the run's directory where the workers leave what one computes for all (the plans of
 * the stacks and their verdicts: test/support/run-share.ts).
 */
function runMocha(args: string[], shareDir: string): Promise<number> {
    return new Promise((resolve) => {
        const argv = [require.resolve("mocha/bin/mocha.js"), "--parallel", "--jobs", String(MOCHA_JOBS), ...args];
        const env = { ...process.env, [SHARE_DIR_ENV]: shareDir };
        const child = spawn(process.execPath, argv, { cwd: ROOT, stdio: "inherit", env });
        child.on("error", (e) => {
            process.stderr.write(`error: mocha did not start: ${e.message}\n`);
            resolve(2);
        });
        child.on("close", (code) => resolve(code ?? 1));
    });
}

async function main(args: string[]): Promise<number> {
    const shareDir = fs.mkdtempSync(path.join(tmpdir(), "am-test-run-"));
    try {
        return await checkAndTest(args, shareDir);
    } finally {
        fs.rmSync(shareDir, { recursive: true, force: true });
    }
}

async function checkAndTest(args: string[], shareDir: string): Promise<number> {
    const mocha = runMocha(args, shareDir);
    let report = "";
    const checked = await runCheck((t) => (report += t)).catch((e: unknown) => {
        report += `check: error: ${e instanceof Error ? e.message : String(e)}\n`;
        return 2;
    });
    const tested = await mocha;
    process.stdout.write(`\n${report}`);
    return checked === 0 && tested === 0 ? 0 : 1;
}

if (require.main === module) {
    void main(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    });
}
