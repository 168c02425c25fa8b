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
    const candidates = byProperty.length > 0 ? byProperty : resource.dependencies ?? [];
    return candidates.filter((r) => types.has(r.type));
}

/** All resources of `types` in the stack. */
export function ofTypes(resources: PolicyResource[], types: TypeSet): PolicyResource[] {
    return resources.filter((r) => types.has(r.type));
}
