/**
 * Processing configurations as code: the XML files in `processing-configs/` (one `<name>.xml` each),
 * read and checked before any resource is registered. Each becomes
 * `<sharedDirectory>/sharedMicroServiceTasksConfigs/processingMCPConfigs/<name>ProcessingMCP.xml`,
 * where MCPServer looks for it when a transfer names it (MCPServer server/processing_config.py
 * `processing_configuration_file_exists`) and MCPClient copies it into the transfer. Archivematica's
 * own `automated` and `default` need no file: MCPServer installs them at start when missing
 * (server/shared_dirs.py `create` → `install_builtin_config`); a file of the same name replaces them.
 *
 * The names are the hands-off ingest prefixes (`<name>/<package>.<ext>` in the transfer bucket), so
 * they follow both Archivematica and S3: 1–16 ASCII letters, digits or `_` (the dashboard API reads
 * `processing-configuration/(?P<name>\w{1,16})`, its form allows `\w{1,50}`), and not a prefix the
 * stack uses for something else. The structure is the one Archivematica writes and reads
 * (archivematicaCommon processing.py, processing_config.py `load_preconfigured_choice`):
 * `<processingMCP><preconfiguredChoices><preconfiguredChoice><appliesTo>…</appliesTo><goToChain>…</goToChain>`.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { XMLParser, XMLValidator } from "fast-xml-parser";

/** The folder, relative to the project root. */
export const PROCESSING_CONFIGS_DIR = "processing-configs";

/** Configurations MCPServer installs itself (processing.py BUILTIN_CONFIGS): always allowed as prefixes. */
export const BUILTIN_PROCESSING_CONFIGS = ["automated", "default"] as const;

/** Prefixes of the transfer bucket that are taken (ingest feedback, the manual transfer source). */
export const RESERVED_PROCESSING_CONFIG_NAMES = ["feedback", "transfers"] as const;

export const PROCESSING_CONFIG_NAME = /^[A-Za-z0-9_]{1,16}$/;

/** The most a file may hold (Archivematica's own `automated` is about 10 KiB). */
export const MAX_PROCESSING_CONFIG_BYTES = 64 * 1024;

export interface ProcessingConfigFile {
    name: string;
    /** Relative to the project root, e.g. `processing-configs/ocr_only.xml`. */
    file: string;
    xml: string;
    /** Hex SHA-256 of the XML. */
    sha256: string;
}

export interface ProcessingConfigs {
    /** The shipped files, sorted by name. */
    files: ProcessingConfigFile[];
    /** Every name the stack accepts as an ingest prefix: the built-ins and the files, sorted. */
    names: string[];
}

const ROOT = path.resolve(__dirname, "..");
const VALID_NAME = "1-16 letters (A-Z, a-z), digits or _, not feedback or transfers";
const VALID_XML = "<processingMCP><preconfiguredChoices><preconfiguredChoice><appliesTo>UUID</appliesTo><goToChain>value</goToChain>…";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ENTITY = /&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/;

type Node = Record<string, unknown>;

/** The element children of a preserve-order node list (comments, text and declarations left out). */
function elements(nodes: unknown): { tag: string; children: unknown }[] {
    if (!Array.isArray(nodes)) return [];
    return nodes.flatMap((node: Node) => {
        const tag = Object.keys(node).find((k) => k !== ":@" && k !== "#text" && k !== "#comment" && !k.startsWith("?"));
        return tag ? [{ tag, children: node[tag] }] : [];
    });
}

function text(nodes: unknown): string {
    if (!Array.isArray(nodes)) return "";
    return nodes
        .map((n: Node) => (typeof n["#text"] === "string" || typeof n["#text"] === "number" ? String(n["#text"]) : ""))
        .join("")
        .trim();
}

/** The first structural problem of a parsed document, or undefined. */
function structureProblem(document: unknown): string | undefined {
    const roots = elements(document);
    if (roots.length !== 1 || roots[0].tag !== "processingMCP")
        return `its root element is ${roots.map((r) => `<${r.tag}>`).join(", ") || "missing"}, not <processingMCP>`;
    const sections = elements(roots[0].children);
    if (sections.length !== 1 || sections[0].tag !== "preconfiguredChoices")
        return "<processingMCP> must hold exactly one <preconfiguredChoices>";
    const seen = new Set<string>();
    for (const [i, choice] of elements(sections[0].children).entries()) {
        if (choice.tag !== "preconfiguredChoice") return `<preconfiguredChoices> holds a <${choice.tag}>`;
        const parts = elements(choice.children);
        const appliesTo = parts.filter((p) => p.tag === "appliesTo");
        const goToChain = parts.filter((p) => p.tag === "goToChain");
        if (appliesTo.length !== 1 || goToChain.length !== 1 || parts.length !== 2)
            return `choice ${i + 1} must hold exactly one <appliesTo> and one <goToChain>`;
        const link = text(appliesTo[0].children);
        if (!UUID.test(link)) return `choice ${i + 1}: <appliesTo> ${JSON.stringify(link)} is not a workflow link UUID`;
        if (seen.has(link)) return `choice ${i + 1}: <appliesTo> ${link} is decided twice`;
        seen.add(link);
        if (text(goToChain[0].children) === "") return `choice ${i + 1}: <goToChain> is empty`;
    }
    return undefined;
}

/** The problem with one file's XML, or undefined when MCPServer can use it. */
export function processingConfigProblem(xml: string): string | undefined {
    if (Buffer.byteLength(xml, "utf8") > MAX_PROCESSING_CONFIG_BYTES) return `is larger than ${MAX_PROCESSING_CONFIG_BYTES / 1024} KiB`;
    if (/<!DOCTYPE/i.test(xml)) return "has a DOCTYPE (no DTDs or custom entities)";
    const checked = XMLValidator.validate(xml);
    if (checked !== true) return `is not well-formed XML (line ${checked.err.line}, column ${checked.err.col}: ${checked.err.msg})`;
    if (ENTITY.test(xml)) return "uses an entity XML does not define (only &amp; &lt; &gt; &quot; &apos; and character references)";
    const document = new XMLParser({
        preserveOrder: true,
        ignoreAttributes: true,
        commentPropName: "#comment",
        processEntities: false,
    }).parse(xml);
    return structureProblem(document);
}

/** The problem with a file name, or undefined. */
function nameProblem(fileName: string): string | undefined {
    if (!fileName.endsWith(".xml")) return `is not a processing configuration; valid: <name>.xml files (and README.md)`;
    const name = fileName.slice(0, -".xml".length);
    if (!PROCESSING_CONFIG_NAME.test(name) || (RESERVED_PROCESSING_CONFIG_NAMES as readonly string[]).includes(name))
        return `${JSON.stringify(name)} cannot name a processing configuration; valid: ${VALID_NAME}`;
    return undefined;
}

/**
 * Reads and checks every file of `processing-configs/`. Returns the configurations and one line per
 * problem (`processing-configs/<file>: <problem>; valid: …`); no file at all is fine.
 */
export function readProcessingConfigs(root = ROOT): { configs: ProcessingConfigs; problems: string[] } {
    const dir = path.join(root, PROCESSING_CONFIGS_DIR);
    const entries = fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)) : [];
    const files: ProcessingConfigFile[] = [];
    const problems: string[] = [];
    for (const entry of entries) {
        const file = `${PROCESSING_CONFIGS_DIR}/${entry.name}`;
        if (entry.name === "README.md") continue;
        const badName = entry.isFile() ? nameProblem(entry.name) : "is not a file; valid: <name>.xml files (and README.md)";
        if (badName) {
            problems.push(`${file}: ${badName}`);
            continue;
        }
        const xml = fs.readFileSync(path.join(dir, entry.name), "utf8");
        const problem = processingConfigProblem(xml);
        if (problem) {
            problems.push(`${file}: ${problem}; valid: an Archivematica processing configuration, ${VALID_XML}`);
            continue;
        }
        files.push({ name: entry.name.slice(0, -".xml".length), file, xml, sha256: crypto.createHash("sha256").update(xml).digest("hex") });
    }
    const names = [...new Set([...BUILTIN_PROCESSING_CONFIGS, ...files.map((f) => f.name)])].sort();
    return { configs: { files, names }, problems };
}
