/**
 * The other stacks of the project, for what must differ between stacks. `environment` names the
 * physical resources of a stack (the RDS identifier `archivematica-db-<environment>`, the ECR prefix
 * `dockerhub-<environment>`, task families, the Cloud Map namespace, the dashboard): two stacks with one
 * environment in one account would fight over the same names. Read from the stack files beside this one
 * (`Pulumi.<stack>.yaml`, the same under the Pulumi CLI and offline); a file that cannot be read is left
 * to its own stack's checks.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { PROJECT } from "./schema";

/** Another stack and the environment its file sets. */
export interface SiblingStack {
    stack: string;
    environment: string;
}

/**
 * The stacks in `root` other than `stack` that set an environment; none when `stack` has no stack file
 * there (a program run with config from elsewhere, as the tests run it, has no siblings to collide with).
 */
export function siblingStacks(stack: string, root: string): SiblingStack[] {
    let files: string[];
    try {
        files = fs.readdirSync(root);
    } catch {
        return [];
    }
    if (!files.includes(`Pulumi.${stack}.yaml`)) return [];
    const out: SiblingStack[] = [];
    for (const file of files.sort()) {
        const name = /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1];
        if (!name || name === stack) continue;
        try {
            const doc: unknown = parse(fs.readFileSync(path.join(root, file), "utf8"), { maxAliasCount: 100 });
            const config = (doc as { config?: Record<string, unknown> } | null)?.config;
            const environment = config?.[`${PROJECT}:environment`] ?? config?.environment;
            if (typeof environment === "string" || typeof environment === "number")
                out.push({ stack: name, environment: String(environment) });
        } catch {
            // Unreadable: that stack's own plan says why.
        }
    }
    return out;
}
