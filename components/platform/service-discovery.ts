/**
 * ServiceDiscovery: the Cloud Map private DNS namespace the services register in, so that connection
 * strings use names (`gearmand.<namespace>:4730`) rather than addresses that change with every task.
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { mergeTags } from "../../lib/tags";

export interface ServiceDiscoveryArgs {
    /** VPC whose resolver answers for the namespace. */
    vpcId: pulumi.Input<string>;
    /** DNS name of the namespace, e.g. `staging.archivematica.internal`. */
    namespace: string;
    /** Required tags, set on every taggable child. */
    tags: Record<string, string>;
}

/** DNS names of up to 253 characters made of 1–63 character labels. */
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;

export class ServiceDiscovery extends pulumi.ComponentResource {
    readonly namespaceId: pulumi.Output<string>;
    readonly namespaceArn: pulumi.Output<string>;
    /** The namespace's DNS name (known before deploy, so it can go into container environments). */
    readonly namespace: string;

    constructor(name: string, args: ServiceDiscoveryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("archivematica:index:ServiceDiscovery", name, {}, opts);
        if (!DNS_NAME.test(args.namespace)) {
            throw new Error(
                `ServiceDiscovery "${name}": namespace "${args.namespace}" is not a DNS name; valid: lower-case labels joined by dots, such as staging.archivematica.internal`,
            );
        }
        this.namespace = args.namespace;
        const ns = new aws.servicediscovery.PrivateDnsNamespace(
            `${name}-namespace`,
            {
                name: args.namespace,
                vpc: args.vpcId,
                description: "Archivematica services (Cloud Map, ECS service discovery)",
                tags: mergeTags(args.tags, `${name}-namespace`),
            },
            { parent: this },
        );
        this.namespaceId = ns.id;
        this.namespaceArn = ns.arn;
        this.registerOutputs({ namespaceId: this.namespaceId, namespace: this.namespace });
    }

    /** `<service>.<namespace>`. */
    hostname(service: string): string {
        return `${service}.${this.namespace}`;
    }
}
