/**
 * The gate's one error type, and the helpers that keep every message on one line.
 */

/**
 * A problem with the gate's input (flags, preview file, policy config, pack): one line, no stack trace.
 * The CLIs print `error: <message>` and exit 2.
 */
export class GateError extends Error {}

/** `text` with every run of whitespace (newlines included) collapsed to one space: a parser's message on one line. */
export function collapseWhitespace(text: string): string {
    return text.replace(/\s+/g, " ").trim();
}

/** The first non-blank line of `text`, trimmed. */
export function firstLine(text: string): string {
    const lines = text
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l);
    return lines[0] ?? "";
}
