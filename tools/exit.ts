/**
 * Ending a command without losing what it printed. On Linux, process.stdout and process.stderr are
 * asynchronous when they are pipes (Node.js, "A note on process I/O"), so `process.exit()` right after a
 * large write drops whatever the pipe has not taken yet: a 101 KB error line came out cut at 64 KiB in
 * CI. These helpers exit only once both streams have handed everything to the operating system.
 */

/** The longest a command waits for a reader that never drains its pipe before exiting anyway (ms). */
const FLUSH_TIMEOUT_MS = 30_000;

/** Exits with `code` once stdout and stderr are flushed (or after {@link FLUSH_TIMEOUT_MS}). */
export function exitAfterFlush(code: number): void {
    process.exitCode = code;
    let waiting = 2;
    const done = () => {
        if (--waiting === 0) process.exit(code);
    };
    setTimeout(() => process.exit(code), FLUSH_TIMEOUT_MS).unref();
    process.stdout.write("", done);
    process.stderr.write("", done);
}

/** Writes `text` to stderr, then exits with `code` once everything is flushed. */
export function failAfterFlush(text: string, code: number): void {
    process.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
    exitAfterFlush(code);
}
