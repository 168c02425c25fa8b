/**
 * Text from a stack file, a preview or a command line, made safe to print in a one-line error: what a
 * terminal would act on (control characters, ANSI escapes), what it would hide (zero-width and other
 * invisible format characters, odd spaces, lone surrogates, private-use and unassigned code points) and
 * what would pass for something else (a Cyrillic `а` among Latin letters) is written as `\uXXXX`, and a
 * long text is cut, saying how long it was.
 *
 * Mixed scripts follow the idea of Unicode TR39's "mixed-script" detection: Latin letters next to letters
 * of another script are the classic look-alike (`аws:region`), so such text shows every non-ASCII
 * character escaped; text in one script (`Zürich`, `東京`) is shown as written.
 */

/** What is never shown raw: Cc, Cf, Zl, Zp, Cs, Co, Cn, and every space but U+0020. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}\p{Cn}]|(?! )\p{Zs}/u;
const LATIN_LETTER = /\p{Script=Latin}/u;
const OTHER_SCRIPT_LETTER = /(?!\p{Script=Latin})\p{L}/u;

/** `\uXXXX` (two escapes for a character outside the BMP, as JSON writes it). */
function escapeChar(c: string): string {
    let out = "";
    for (let i = 0; i < c.length; i++) out += `\\u${c.charCodeAt(i).toString(16).padStart(4, "0")}`;
    return out;
}

/** True when `text` mixes Latin letters with letters of another script. */
export function mixesScripts(text: string): boolean {
    return LATIN_LETTER.test(text) && OTHER_SCRIPT_LETTER.test(text);
}

/** The first character `printable` would escape, as `U+XXXX`, or undefined. */
export function firstUnprintable(text: string): string | undefined {
    const m = INVISIBLE.exec(text);
    return m ? `U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}` : undefined;
}

/** `text` with the unsafe characters escaped (backslashes are left as they are). */
function escapeUnsafe(text: string, all: boolean): string {
    let out = "";
    for (const c of text) out += (all && !/^[\x20-\x7e]$/.test(c)) || INVISIBLE.test(c) ? escapeChar(c) : c;
    return out;
}

/**
 * `text` with everything unsafe escaped (and `\` doubled): invisible and control characters always;
 * every non-ASCII character when `asciiOnly` (names: keys, files, URNs) or when the text mixes Latin
 * with another script.
 */
export function printable(text: string, asciiOnly = false): string {
    return escapeUnsafe(text.replace(/\\/g, "\\\\"), asciiOnly || mixesScripts(text));
}

/** Longest name shown whole; longer ones are cut and their length given. */
export const MAX_SHOWN_NAME = 80;

/**
 * A name (config key, file, stack, URN) for an error line: ASCII only, cut after {@link MAX_SHOWN_NAME}
 * characters with its length, e.g. `aaaa…(1048576 characters)`.
 */
export function showName(name: string, max = MAX_SHOWN_NAME): string {
    const chars = [...name];
    if (chars.length <= max) return printable(name, true);
    return `${printable(chars.slice(0, max - 20).join(""), true)}…(${chars.length} characters)`;
}

/** A URN for an error line: as {@link showName}, but URNs are long by nature, so cut only after 400 characters. */
export function showUrn(urn: string): string {
    return showName(urn, 400);
}

/** A value for an error line: as JSON (quoted, control characters escaped), unsafe characters escaped, cut after 60 characters. */
export function showValue(value: unknown): string {
    if (typeof value !== "string") return JSON.stringify(value) ?? String(value);
    const chars = [...value];
    const text = chars.length > 60 ? `${chars.slice(0, 57).join("")}...` : value;
    return escapeUnsafe(JSON.stringify(text), mixesScripts(text));
}
