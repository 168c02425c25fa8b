/**
 * How the tests start Python: `python3` on PATH, resolved once per test process to the executable it
 * really is (`sys.executable`), run with `-S`. A version manager's `python3` is often a shim — pyenv's
 * is a shell script that costs most of a second a start on a busy two-core machine — and the suite
 * starts Python a few hundred times, so the shim runs once instead of each time. `-S` leaves out
 * `site`: the scripts under test use the standard library only (their containers promise nothing
 * more), so site-packages and the `.pth` files a machine's Python carries have no business in a test —
 * and importing them was most of each start (certifi alone, from a `.pth`, 60 ms of 105 ms here).
 * PYTHONPATH still applies, which is how a test puts its fakes (a fake Django) in front.
 */
import { execFileSync } from "node:child_process";

let resolved: string | undefined;

/** The path of the interpreter `python3` on PATH runs. */
function interpreter(): string {
    resolved ??= execFileSync("python3", ["-c", "import sys; print(sys.executable)"], {
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
        encoding: "utf8",
    }).trim();
    return resolved;
}

/** The command and arguments that run `python3 -S <args>`: spread them into spawn/execFile. */
export function python(...args: string[]): [string, string[]] {
    return [interpreter(), ["-S", ...args]];
}
