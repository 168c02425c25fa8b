/**
 * Every Archivematica component, once, in deploy order (the order services are created in). Adding a
 * component: a file beside this one exporting a {@link CatalogueEntry}, and one line here.
 * test/catalogue/meta.test.ts checks every entry.
 */
import { clamavd } from "./clamavd";
import { dashboard } from "./dashboard";
import { gearmand } from "./gearmand";
import { mcpClient } from "./mcp-client";
import { mcpServer } from "./mcp-server";
import { storageService } from "./storage-service";
import type { CatalogueContext, CatalogueEntry, ComponentService } from "./types";

/** The catalogue, by component name. */
export const CATALOGUE = {
    dashboard,
    "storage-service": storageService,
    "mcp-server": mcpServer,
    "mcp-client": mcpClient,
    gearmand,
    clamavd,
} satisfies Record<string, CatalogueEntry>;

/** A component name: the `ArchivematicaComponent` tag values. */
export type ComponentName = keyof typeof CATALOGUE;

/** Every component that runs as its own ECS service, in deploy order. */
export const COMPONENTS = Object.keys(CATALOGUE) as ComponentName[];

/** One component's service for one stack (secrets by logical name; image overrides from `ctx.images`). */
export function resolveComponent(component: ComponentName, ctx: CatalogueContext): ComponentService {
    const entry: CatalogueEntry = CATALOGUE[component];
    return entry.resolve({ ...ctx, image: ctx.images?.[component] ?? entry.images[ctx.version] });
}
