/**
 * A caller's security group: no ingress, one egress rule per place it calls (an app's group on its
 * port, or HTTPS out for AWS APIs), each a separate resource named `${name}-to-<target>`. The apps
 * admit the group with their own `allowFrom` rules.
 */
import * as aws from "../../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { mergeTags, Tags } from "../../../lib/tags";

export interface Egress {
    /** Short name of what is called: the rule's name and description. */
    target: string;
    port: number;
    /** The callee's group, or… */
    referencedSecurityGroupId?: pulumi.Input<string>;
    /** …a CIDR (HTTPS to AWS APIs through the NAT gateway or endpoints). */
    cidrIpv4?: string;
}

export function createCallerGroup(
    name: string,
    parent: pulumi.Resource,
    a: { vpcId: pulumi.Input<string>; description: string; egress: Egress[]; tags: Tags; componentTags: Tags },
): aws.ec2.SecurityGroup {
    const group = new aws.ec2.SecurityGroup(
        `${name}-sg`,
        { vpcId: a.vpcId, description: a.description, revokeRulesOnDelete: true, tags: mergeTags(a.tags, `${name}-sg`, a.componentTags) },
        { parent },
    );
    for (const e of a.egress) {
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-to-${e.target}`,
            {
                securityGroupId: group.id,
                referencedSecurityGroupId: e.referencedSecurityGroupId,
                cidrIpv4: e.cidrIpv4,
                ipProtocol: "tcp",
                fromPort: e.port,
                toPort: e.port,
                description: `${name} to ${e.target}`,
                tags: mergeTags(a.tags, `${name}-to-${e.target}`),
            },
            { parent },
        );
    }
    return group;
}
