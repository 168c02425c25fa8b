/**
 * Where a service sits on the network: its security group (rules added by its callers and by
 * ArchivematicaService.allowFrom / allowTo), one egress rule per target, and its Cloud Map record.
 */
import * as aws from "../../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { mergeTags } from "../../../lib/tags";
import type { Scope } from "./args";

/** The tasks' security group, without inline rules: allowFrom/allowTo (and other parts) add theirs. */
export function createSecurityGroup({ name, a, parent, componentTags }: Scope): aws.ec2.SecurityGroup {
    return new aws.ec2.SecurityGroup(
        `${name}-sg`,
        {
            vpcId: a.vpcId,
            description: `Archivematica ${a.component} tasks`,
            revokeRulesOnDelete: true,
            tags: mergeTags(a.tags, `${name}-sg`, componentTags),
        },
        { parent },
    );
}

/** The Cloud Map service: `<discovery.name>.<namespace>`, an A record per task. */
export function createDiscovery({ name, a, parent, componentTags }: Scope): aws.servicediscovery.Service {
    return new aws.servicediscovery.Service(
        `${name}-discovery`,
        {
            name: a.discovery.name,
            dnsConfig: {
                namespaceId: a.discovery.namespaceId,
                dnsRecords: [{ type: "A", ttl: 10 }],
                routingPolicy: "MULTIVALUE",
            },
            // Lets `pulumi destroy` remove the record set even if ECS left an instance behind.
            forceDestroy: true,
            tags: mergeTags(a.tags, `${name}-discovery`, componentTags),
        },
        { parent },
    );
}

/** A target of an egress rule: a security group or a CIDR, on a port (through `toPort`). */
export interface EgressTarget {
    securityGroupId?: pulumi.Input<string>;
    cidrIpv4?: string;
    port: pulumi.Input<number>;
    toPort?: number;
    description: string;
}

/** One egress rule of the service's group, `${name}-to-${targetName}`. */
export function createEgressRule(
    { name, parent }: Pick<Scope, "name" | "parent">,
    tags: Record<string, string>,
    securityGroupId: pulumi.Input<string>,
    targetName: string,
    target: EgressTarget,
): void {
    const ruleName = `${name}-to-${targetName}`;
    new aws.vpc.SecurityGroupEgressRule(
        ruleName,
        {
            securityGroupId,
            referencedSecurityGroupId: target.securityGroupId,
            cidrIpv4: target.cidrIpv4,
            ipProtocol: "tcp",
            fromPort: target.port,
            toPort: target.toPort ?? target.port,
            description: target.description,
            tags: mergeTags(tags, ruleName),
        },
        { parent },
    );
}
