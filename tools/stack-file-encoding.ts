/**
 * The text of a stack file as the Pulumi CLI reads it: loaders.go `readFileStripUTF8BOM` drops a UTF-8
 * byte-order mark, and yaml.v3's reader (readerc.go `yaml_parser_determine_encoding`,
 * `yaml_parser_update_buffer`) decodes UTF-16 when the file starts with its byte-order mark, takes
 * everything else as UTF-8, and refuses invalid UTF-8 and characters YAML does not allow (control
 * characters other than tab, line feed and carriage return). Each refusal names the file, the encoding
 * or the character, and the line.
 */
import { StackFileError } from "./stack-file-error";

function wideEncoding(bytes: Uint8Array): string | undefined {
    if (bytes.length < 4) return undefined;
    const [a, b, c, d] = bytes;
    if (a === 0xff && b === 0xfe && c === 0 && d === 0) return "UTF-32LE";
    if (a === 0 && b === 0 && c === 0xfe && d === 0xff) return "UTF-32BE";
    if (a !== 0 && b === 0 && c === 0 && d === 0) return "UTF-32LE";
    if (a === 0 && b === 0 && c === 0 && d !== 0) return "UTF-32BE";
    if (a !== 0 && b === 0) return "UTF-16LE";
    if (a === 0 && b !== 0) return "UTF-16BE";
    return undefined;
}

/** Characters YAML 1.2 allows in a stream (yaml.v3 readerc.go: "control characters are not allowed"). */
const NOT_ALLOWED = /[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

/**
 * The file's text; StackFileError (one line) for an encoding or character the CLI cannot read. `reader`
 * names who refuses it in the line (another file read by the same rules, such as a usage file, names its command).
 */
export function decodeStackFileText(bytes: Uint8Array, shown: string, reader = "the Pulumi CLI"): string {
    let text: string;
    if (bytes[0] === 0xff && bytes[1] === 0xfe && !(bytes[2] === 0 && bytes[3] === 0)) {
        text = new TextDecoder("utf-16le", { fatal: true }).decode(bytes.subarray(2));
    } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
        const swapped = Buffer.from(bytes.subarray(2));
        swapped.swap16();
        text = new TextDecoder("utf-16le", { fatal: true }).decode(swapped);
    } else {
        const wide = wideEncoding(bytes);
        if (wide)
            throw new StackFileError(
                `${shown}: is ${wide}${wide.startsWith("UTF-16") ? " without a byte-order mark" : ""}, which ${reader} reads as UTF-8 and refuses; valid: UTF-8 (e.g. iconv -f ${wide} -t UTF-8)`,
            );
        const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
        try {
            text = new TextDecoder("utf-8", { fatal: true }).decode(body);
        } catch {
            const lenient = new TextDecoder("utf-8").decode(body);
            const at = lenient.indexOf("\ufffd");
            const line = lenient.slice(0, Math.max(0, at)).split("\n").length;
            throw new StackFileError(`${shown} line ${line}: is not UTF-8 (invalid byte sequence); valid: UTF-8 text`);
        }
    }
    const bad = NOT_ALLOWED.exec(text);
    if (bad) {
        const line = text.slice(0, bad.index).split("\n").length;
        const code = `U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
        throw new StackFileError(
            `${shown} line ${line}: contains the control character ${code}, which YAML does not allow (${reader} refuses the file); valid: printable text (write it as an escape inside double quotes)`,
        );
    }
    return text;
}
