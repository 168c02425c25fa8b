/**
 * Installs the stack's processing configurations into the pipeline's shared directory, mounted from
 * EFS through its access point (uid/gid 1000, as the Archivematica images run): each becomes
 * `sharedMicroServiceTasksConfigs/processingMCPConfigs/<name>ProcessingMCP.xml`, the file MCPServer
 * looks for when a transfer names the configuration (MCPServer server/processing_config.py) and
 * MCPClient copies into the transfer. Invoked by `pulumi up` whenever the set of files changes.
 *
 * Each file is written to a temporary name and renamed over the old one, so that a transfer starting
 * meanwhile reads the old or the new configuration, never half of one. A file whose content is already
 * the same is left alone. Files this does not ship (built-ins, ones made in the dashboard) are never
 * touched. Anything wrong (a bad name, a hash that does not match) fails the invocation, and with it
 * `pulumi up`, before anything is written.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

export interface ShippedConfig {
    name: string;
    xml: string;
    sha256: string;
}

export interface InstallResult {
    written: string[];
    unchanged: string[];
}

/** Where the configurations live under the shared directory (MCPServer server/shared_dirs.py). */
export const CONFIGS_SUBDIR = path.join("sharedMicroServiceTasksConfigs", "processingMCPConfigs");

const NAME = /^[A-Za-z0-9_]{1,16}$/;

/** Every problem with the event, or none. */
export function eventProblems(configs: unknown): string[] {
    if (!Array.isArray(configs)) return ["configs: not a list"];
    return configs.flatMap((c: Partial<ShippedConfig>, i) => {
        if (!c || typeof c.name !== "string" || !NAME.test(c.name))
            return [`configs[${i}].name: ${JSON.stringify(c?.name)} is not a configuration name`];
        if (typeof c.xml !== "string" || createHash("sha256").update(c.xml).digest("hex") !== c.sha256)
            return [`configs[${i}] (${c.name}): the XML does not match its sha256`];
        return [];
    });
}

export function install(sharedDirectory: string, configs: ShippedConfig[]): InstallResult {
    const problems = eventProblems(configs);
    if (problems.length) throw new Error(problems.join("; "));
    const dir = path.join(sharedDirectory, CONFIGS_SUBDIR);
    // MCPServer makes it at start with mode 0770; a deploy may come first.
    fs.mkdirSync(dir, { recursive: true, mode: 0o770 });
    const result: InstallResult = { written: [], unchanged: [] };
    for (const c of [...configs].sort((a, b) => a.name.localeCompare(b.name))) {
        const target = path.join(dir, `${c.name}ProcessingMCP.xml`);
        if (fs.existsSync(target) && fs.readFileSync(target, "utf8") === c.xml) {
            result.unchanged.push(c.name);
            continue;
        }
        const temporary = path.join(dir, `.${c.name}ProcessingMCP.xml.${process.pid}.tmp`);
        fs.writeFileSync(temporary, c.xml, { mode: 0o644 });
        fs.renameSync(temporary, target);
        result.written.push(c.name);
    }
    return result;
}

export const handler = async (event: { configs: ShippedConfig[] }): Promise<InstallResult> => {
    const result = install(process.env.SHARED_DIRECTORY_MOUNT ?? "/mnt/shared", event.configs);
    console.log(JSON.stringify(result));
    return result;
};
