/**
 * `npm test`: the check (tools/check.ts: both TypeScript projects type-checked, ESLint, Prettier) and
 * the mocha suite (.mocharc.json), side by side. Each is single-threaded for most of its run, so on a
 * machine with two or more cores the pair takes about as long as the longer of the two instead of
 * their sum. Mocha prints as it runs (its spec reporter, closing with `N passing` / `N failing`); the
 * check's report follows once both are done. Exit 0 only when both pass. Arguments go to mocha
 * (`npm test -- --grep tags`); a few files alone: `npm run test:one -- test/tags.test.ts`.
 */
import { spawn } from "child_process";
import { runCheck } from "./check";
import { ROOT } from "./stack-files";

/** Runs mocha with the project's .mocharc.json and `args`; resolves with its exit code. */
function runMocha(args: string[]): Promise<number> {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, [require.resolve("mocha/bin/mocha.js"), ...args], { cwd: ROOT, stdio: "inherit" });
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
