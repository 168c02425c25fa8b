/**
 * What an uploaded object's key and size mean for ingest: ignored (our own or the manual area),
 * refused (with the one-line reason that goes into its feedback file) or accepted as one package.
 * Pure: no I/O, so every case is a table-driven test.
 *
 * The drop layout is `<processing configuration>/<name>.<ext>`. Archive extensions are the ones
 * MCPServer copies as one file (`_file_is_an_archive` in MCPServer/server/packages.py and
 * `ARCHIVE_EXTENSIONS` in archivematicaCommon/transfer_source_retrieval.py: .zip, .tgz, .tar.gz);
 * anything else would be taken as a directory, which one S3 object is not.
 */

/** Archive extensions, longest first so `.tar.gz` wins over a plain `.gz` check. */
export const ARCHIVE_EXTENSIONS = [".tar.gz", ".tgz", ".zip"] as const;
export type ArchiveExtension = (typeof ARCHIVE_EXTENSIONS)[number];

/** Prefixes the starter never treats as uploads: its own feedback, and the manual transfer-source area. */
export const IGNORED_PREFIXES = ["feedback/", "transfers/"] as const;

/** Names that can never be processing configurations, because their prefixes are taken. */
export const RESERVED_CONFIG_NAMES = IGNORED_PREFIXES.map((p) => p.slice(0, -1));

/** Where the reason for refusing an upload came from (a metric dimension and a test handle). */
export type RefusalCode =
    | "control-character"
    | "dot-segment"
    | "no-config-prefix"
    | "unknown-config"
    | "folder"
    | "unsupported-extension"
    | "no-name"
    | "empty"
    | "too-large"
    /** Found by the starter, not from the key: the archive cannot be read, or the version was deleted. */
    | "unreadable"
    | "gone";

export interface KeyRules {
    /** Processing configurations shipped with the stack (the allowed first segments), sorted. */
    configs: readonly string[];
    /** Largest object accepted, in bytes. */
    maxBytes: number;
}

export type KeyVerdict =
    | { kind: "ignore"; why: string }
    | {
          kind: "refuse";
          code: RefusalCode;
          reason: string;
          /**
           * What the refusal is about: the object itself, or (for a folder-shaped upload, many
           * objects) the folder `<first>/<second>/`, so a folder of 10,000 files gets one refusal.
           */
          subject: { kind: "object" } | { kind: "folder"; prefix: string };
      }
    | { kind: "accept"; config: string; fileName: string; name: string; extension: ArchiveExtension };

/** C0 controls, DEL and C1 controls: never in a key we act on or write. */
export function isControlCharacter(char: string): boolean {
    const code = char.codePointAt(0)!;
    return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
}

/** `U+000A` for the first control character in `text`, or undefined. */
function firstControlCharacter(text: string): string | undefined {
    const found = [...text].find(isControlCharacter);
    return found ? `U+${found.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}` : undefined;
}

function archiveExtension(fileName: string): ArchiveExtension | undefined {
    const lower = fileName.toLowerCase();
    return ARCHIVE_EXTENSIONS.find((ext) => lower.endsWith(ext));
}

/** "20 GiB", "1.5 GiB", "512 MiB", "300 bytes": sizes as an archivist reads them. */
export function humanBytes(bytes: number): string {
    const units: [number, string][] = [
        [2 ** 40, "TiB"],
        [2 ** 30, "GiB"],
        [2 ** 20, "MiB"],
        [2 ** 10, "KiB"],
    ];
    for (const [size, unit] of units) {
        if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
    }
    return `${bytes} bytes`;
}

function refuse(code: RefusalCode, reason: string, folder?: string): KeyVerdict {
    return { kind: "refuse", code, reason, subject: folder ? { kind: "folder", prefix: folder } : { kind: "object" } };
}

const VALID_EXTENSIONS = ARCHIVE_EXTENSIONS.slice().reverse().join(", ");

/** Classifies one created object; the checks run in the order an archivist would want to hear them. */
export function classifyKey(key: string, size: number, rules: KeyRules): KeyVerdict {
    const ignored = IGNORED_PREFIXES.find((p) => key.startsWith(p));
    if (ignored) return { kind: "ignore", why: `under ${ignored}` };
    const control = firstControlCharacter(key);
    if (control) return refuse("control-character", `the object key contains a control character (${control}); rename it without one`);
    const segments = key.split("/");
    if (segments.includes("..") || segments.includes("."))
        return refuse("dot-segment", 'the object key contains a "." or ".." path segment; rename it');
    const configs = rules.configs.join(", ");
    if (segments.length === 1)
        return refuse(
            "no-config-prefix",
            `the object is not under a processing configuration; upload it as <configuration>/${key}, configuration one of: ${configs}`,
        );
    const [config, second] = segments;
    if (segments.length === 2 && second === "") return { kind: "ignore", why: "a folder marker for a processing configuration" };
    const folder = segments.length > 2 ? `${config}/${second}/` : undefined;
    if (!rules.configs.includes(config))
        return refuse("unknown-config", `"${config}" is not a processing configuration of this stack; valid: ${configs}`, folder);
    if (folder)
        return refuse(
            "folder",
            `"${folder}" is a folder: upload each transfer as one archive (${VALID_EXTENSIONS}) directly under ${config}/, e.g. ${config}/${second}.zip`,
            folder,
        );
    const extension = archiveExtension(second);
    if (!extension)
        return refuse(
            "unsupported-extension",
            `"${second}" is not an archive Archivematica can start; valid extensions: ${VALID_EXTENSIONS}`,
        );
    const name = second.slice(0, second.length - extension.length);
    if (name === "") return refuse("no-name", `"${second}" has no name before its extension`);
    if (size === 0) return refuse("empty", "the object is empty (0 bytes)");
    if (size > rules.maxBytes)
        return refuse(
            "too-large",
            `the object is ${humanBytes(size)} (${size} bytes), more than this stack takes (maxTransferSizeGiB: ${humanBytes(rules.maxBytes)})`,
        );
    return { kind: "accept", config, fileName: second, name, extension };
}
