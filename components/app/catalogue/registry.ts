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

/**
 * One component's service for one stack (secrets by logical name; image overrides from `ctx.images`),
 * with what the entries that name it in `calledBy` add: their names in its calls, their variables in
 * its environment.
 */
export function resolveComponent(component: ComponentName, ctx: CatalogueContext): ComponentService {
    return resolveEntry(CATALOGUE[component], Object.values(CATALOGUE), ctx);
}

/** {@link resolveComponent} over any set of entries (the registry's, or a test's). */
export function resolveEntry(entry: CatalogueEntry, entries: readonly CatalogueEntry[], ctx: CatalogueContext): ComponentService {
    const service = entry.resolve({ ...ctx, image: ctx.images?.[entry.name] ?? entry.images[ctx.version] });
    const callees = entries.filter((e) => e.calledBy?.[entry.name]);
    if (!callees.length) return service;
    return {
        ...service,
        container: {
            ...service.container,
            environment: Object.assign({}, service.container.environment, ...callees.map((e) => e.calledBy![entry.name](ctx))),
        },
        calls: [...service.calls, ...callees.map((e) => e.name).filter((n) => !service.calls.includes(n))],
    };
}

/**
 * The order services are created in: the registry's, except that a component comes after every
 * component it `startsAfter` (by depth: those that wait for nobody first, then those that wait for
 * them, …; the registry's order within each depth).
 */
export function creationOrder(entries: Readonly<Record<string, CatalogueEntry>> = CATALOGUE): string[] {
    const depth = (name: string, seen: string[] = []): number => {
        if (seen.includes(name))
            throw new Error(`catalogue: ${[...seen, name].join(" → ")} start after each other; valid: no cycle in startsAfter`);
        const after = entries[name]?.startsAfter ?? [];
        return after.length ? 1 + Math.max(...after.map((a) => depth(a, [...seen, name]))) : 0;
    };
    const names = Object.keys(entries);
    return names
        .map((n, i) => ({ n, i, d: depth(n) }))
        .sort((x, y) => x.d - y.d || x.i - y.i)
        .map((x) => x.n);
}
