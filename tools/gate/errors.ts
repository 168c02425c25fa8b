/**
 * The gate's one error type, and the helpers that keep every message on one line.
 */

/** The one-line error and the whitespace helper live with the policy config's parse, which config/ uses too. */
export { collapseWhitespace, GateError } from "../../lib/policy-config";

/** The first non-blank line of `text`, trimmed. */
export function firstLine(text: string): string {
    const lines = text
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l);
    return lines[0] ?? "";
}
