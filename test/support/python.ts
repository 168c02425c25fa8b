/**
 * The Python interpreter the tests run: `python3` on PATH, resolved once per test process to the
 * executable it really is (`sys.executable`). A version manager's `python3` is often a shim — pyenv's
 * is a shell script that costs most of a second a start on a busy two-core machine — and the suite
 * starts Python a few hundred times, so the shim runs once instead of each time. Same interpreter,
 * same scripts; the answer is the one the shim would have chosen.
 */
import { execFileSync } from "node:child_process";

let resolved: string | undefined;

/** The path of the interpreter `python3` on PATH runs. */
export function python3(): string {
    resolved ??= execFileSync("python3", ["-c", "import sys; print(sys.executable)"], {
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
        encoding: "utf8",
    }).trim();
    return resolved;
}
