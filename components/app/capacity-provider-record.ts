/**
 * CapacityProviderRecord: a dynamic resource per ECS service that remembers its capacity provider and
 * tells this update whether it changes (lib/capacity-provider-record.ts says why). The service's
 * `forceNewDeployment` is the record's `changed`: true only in the `up` that moves the service to
 * another capacity provider, false in every other — the next `up` after such a move sets it back to
 * false, which changes nothing on the running service.
 */
import * as pulumi from "@pulumi/pulumi";
import { checkCapacityProviderRecord, RECORD_KIND } from "../../lib/capacity-provider-record";

/** The provider: its check decides; create and update keep the checked inputs as the state. */
const provider: pulumi.dynamic.ResourceProvider = {
    async check(olds: Record<string, unknown>, news: Record<string, unknown>) {
        return { inputs: checkCapacityProviderRecord(olds, news) };
    },
    async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
        return { changes: olds.capacityProvider !== news.capacityProvider || olds.changed !== news.changed };
    },
    async create(inputs: Record<string, unknown>) {
        return { id: RECORD_KIND, outs: inputs };
    },
    async update(_id: string, _olds: Record<string, unknown>, news: Record<string, unknown>) {
        return { outs: news };
    },
};

export class CapacityProviderRecord extends pulumi.dynamic.Resource {
    /** This update moves the service to another capacity provider. */
    declare readonly changed: pulumi.Output<boolean>;
    declare readonly capacityProvider: pulumi.Output<string>;

    constructor(name: string, capacityProvider: string, opts?: pulumi.CustomResourceOptions) {
        super(provider, name, { kind: RECORD_KIND, capacityProvider, changed: undefined }, opts);
    }
}
