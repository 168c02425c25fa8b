/**
 * `npm test`: the check (tools/check.ts: both TypeScript projects type-checked, ESLint, Prettier) and
 * the mocha suite (.mocharc.json), side by side. Each is single-threaded for most of its run, so on a
 * machine with two or more cores the pair takes about as long as the longer of the two instead of
 * their sum. Mocha prints as it runs (its spec reporter, closing with `N passing` / `N failing`); the
 * check's report follows once both are done. Exit 0 only when both pass. Arguments go to mocha
 * (`npm test -- --grep tags`); a few files alone: `npm run test:one -- test/tags.test.ts`.
 */
import { spawn } from "child_process";
import { availableParallelism } from "os";
import { runCheck } from "./check";
import { ROOT } from "./stack-files";

/**
 * Mocha's worker processes: one per core. The check runs beside them, so the machine is busy for the
 * whole run; each worker loads the program once and plans the stacks its files need once.
 */
export const MOCHA_JOBS = Math.max(2, availableParallelism());

/** Runs mocha with the project's .mocharc.json, in parallel mode, and `args`; resolves with its exit code. */
function runMocha(args: string[]): Promise<number> {
    return new Promise((resolve) => {
        const argv = [require.resolve("mocha/bin/mocha.js"), "--parallel", "--jobs", String(MOCHA_JOBS), ...args];
        const child = spawn(process.execPath, argv, { cwd: ROOT, stdio: "inherit" });
        child.on("error", (e) => {
            process.stderr.write(`error: mocha did not start: ${e.message}\n`);
            resolve(2);
        });
        child.on("close", (code) => resolve(code ?? 1));
    });
}

async function main(args: string[]): Promise<number> {
    const mocha = runMocha(args);
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
