/**
 * The decision behind an ECS service's `forceNewDeployment`, made where the previous deployment is
 * visible. The AWS provider (terraform-provider-aws `capacityProviderStrategyCustomizeDiff`, since
 * PR #43533) refuses to change a service's capacity provider strategy unless `force_new_deployment`
 * is true, and with it true sends ForceNewDeployment on every UpdateService, so any edit of the service
 * restarts its tasks — for gearmand that loses its in-memory queue. A Pulumi program cannot read its
 * previous state, but a dynamic provider's `check` receives the resource's previous inputs: a small
 * record resource per service carries the capacity provider from one deployment to the next, and its
 * check says whether this update changes it. In a preview the engine hands a provider without preview
 * support its checked inputs back as state (pulumi pkg/resource/plugin/provider_plugin.go), so the
 * decision is known in `pulumi preview` as in `pulumi up`.
 */

/** Marks the record's inputs (the dynamic resource type is generic). */
export const RECORD_KIND = "capacity-provider-record";

/** The record's inputs after its check. */
export interface CapacityProviderRecordState {
    kind: typeof RECORD_KIND;
    capacityProvider: string;
    /** This update moves the service to another capacity provider. */
    changed: boolean;
}

/**
 * The check: `changed` when a previous deployment recorded another capacity provider. The first
 * deployment of the record (a new service, or a stack adopting it) has nothing to compare with: not
 * changed; should that same update also change an existing service's capacity provider, the provider
 * refuses it in the preview, and the next `up` (with the record in place) does it.
 */
export function checkCapacityProviderRecord(
    olds: Record<string, unknown> | undefined,
    news: Record<string, unknown>,
): CapacityProviderRecordState {
    const next = String(news.capacityProvider);
    const previous = typeof olds?.capacityProvider === "string" ? olds.capacityProvider : undefined;
    return { kind: RECORD_KIND, capacityProvider: next, changed: previous !== undefined && previous !== next };
}
