/**
 * A strict JSON reader that keeps every member of an object, in order, repeated names included
 * (`JSON.parse` keeps only the last of a repeated name, so `{"privileged": true, "privileged": false}`
 * would look like one setting). Objects come back as `{ members: [name, value][] }`; everything else as
 * JavaScript values. Numbers outside float64 (`1e400`) are refused, as Go's encoding/json refuses them.
 * Used for container definitions, which the AWS provider decodes with Go's encoding/json.
 */

/** A JSON object with its members in order. */
export interface JsonObject {
    members: [string, JsonTree][];
}

/** A JSON value, objects as member lists. */
export type JsonTree = null | boolean | number | string | JsonTree[] | JsonObject;

/** True for a member-list object. */
export function isJsonObject(v: JsonTree): v is JsonObject {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Reads one or more JSON values separated by whitespace (Go's json.Decoder reads a stream of them). */
export function parseJsonValues(text: string): JsonTree[] {
    let i = 0;
    const fail = (what: string): never => {
        throw new SyntaxError(`${what} at offset ${i}`);
    };
    const ws = () => {
        while (i < text.length && " \t\n\r".includes(text[i])) i++;
    };
    const value = (depth: number): JsonTree => {
        if (depth > 100) fail("nesting deeper than 100");
        ws();
        const c = text[i];
        if (c === "{") {
            i++;
            const members: [string, JsonTree][] = [];
            ws();
            if (text[i] === "}") {
                i++;
                return { members };
            }
            for (;;) {
                ws();
                if (text[i] !== '"') fail("expected a member name");
                const name = str();
                ws();
                if (text[i++] !== ":") fail("expected ':'");
                members.push([name, value(depth + 1)]);
                ws();
                if (text[i] === ",") {
                    i++;
                    continue;
                }
                if (text[i++] === "}") return { members };
                fail("expected ',' or '}'");
            }
        }
        if (c === "[") {
            i++;
            const items: JsonTree[] = [];
            ws();
            if (text[i] === "]") {
                i++;
                return items;
            }
            for (;;) {
                items.push(value(depth + 1));
                ws();
                if (text[i] === ",") {
                    i++;
                    continue;
                }
                if (text[i++] === "]") return items;
                fail("expected ',' or ']'");
            }
        }
        if (c === '"') return str();
        for (const [word, v] of [
            ["true", true],
            ["false", false],
            ["null", null],
        ] as const) {
            if (text.startsWith(word, i)) {
                i += word.length;
                return v;
            }
        }
        const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
        if (!m) return fail("expected a JSON value");
        i += m[0].length;
        const n = Number(m[0]);
        if (!Number.isFinite(n)) fail(`the number ${m[0]} is out of range`);
        return n;
    };
    const str = (): string => {
        const start = i;
        i++;
        for (;;) {
            const c = text[i];
            if (c === undefined) fail("unterminated string");
            if (c === '"') break;
            if (c === "\\") i++;
            else if (c < " ") fail("control character in a string");
            i++;
        }
        i++;
        return JSON.parse(text.slice(start, i)) as string;
    };
    const out: JsonTree[] = [];
    ws();
    while (i < text.length) {
        out.push(value(0));
        ws();
    }
    if (!out.length) fail("no JSON value");
    return out;
}
