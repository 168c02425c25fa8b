/**
 * Finding the resource another resource refers to, in stack rules. References are followed through the
 * engine's dependency data (`propertyDependencies[property]`, else `dependencies`), never through property
 * values, because those values (ids, ARNs) are unknown during a preview of new resources.
 */
import { PolicyResource } from "@pulumi/policy";

/** Resource types by the engine's type token. */
export type TypeSet = ReadonlySet<string>;

/**
 * Resources of `types` that `resource` references in `property`. Uses the property's dependencies when
 * the driver recorded them, otherwise all of the resource's dependencies filtered by type.
 */
export function referencedBy(resource: PolicyResource, property: string, types: TypeSet): PolicyResource[] {
    const byProperty = resource.propertyDependencies?.[property] ?? [];
    const candidates = byProperty.length > 0 ? byProperty : (resource.dependencies ?? []);
    return candidates.filter((r) => types.has(r.type));
}

/** All resources of `types` in the stack. */
export function ofTypes(resources: PolicyResource[], types: TypeSet): PolicyResource[] {
    return resources.filter((r) => types.has(r.type));
}

/**
 * For each resource of `types` that some resource of `referrers` references in `property` (as
 * {@link referencedBy} finds it), the referrers that do, in `referrers` order, each once. One pass, so a
 * stack rule that asks "who refers to X?" for every X stays linear in the size of the stack.
 */
export function referrersOf(referrers: PolicyResource[], property: string, types: TypeSet): Map<PolicyResource, PolicyResource[]> {
    const result = new Map<PolicyResource, PolicyResource[]>();
    for (const referrer of referrers) {
        for (const target of new Set(referencedBy(referrer, property, types))) {
            const list = result.get(target);
            if (list) list.push(referrer);
            else result.set(target, [referrer]);
        }
    }
    return result;
}
