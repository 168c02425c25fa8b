/**
 * Security-group rules as separate resources (never inline), so that each part owns its group and
 * other parts add the rules that admit them. One helper for every "admit X on port P" rule.
 */
import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { mergeTags, Tags } from "./tags";

export interface IngressFromArgs {
    /** The group that admits. */
    securityGroupId: pulumi.Input<string>;
    /** The group of the callers. */
    sourceSecurityGroupId: pulumi.Input<string>;
    /** TCP port (a single port: every part here listens on one). */
    port: pulumi.Input<number>;
    description: string;
    tags: Tags;
}

/** One TCP ingress rule from a security group, named `ruleName` and parented to `parent`. */
export function ingressFrom(parent: pulumi.Resource, ruleName: string, args: IngressFromArgs): aws.vpc.SecurityGroupIngressRule {
    return new aws.vpc.SecurityGroupIngressRule(
        ruleName,
        {
            securityGroupId: args.securityGroupId,
            referencedSecurityGroupId: args.sourceSecurityGroupId,
            ipProtocol: "tcp",
            fromPort: args.port,
            toPort: args.port,
            description: args.description,
            tags: mergeTags(args.tags, ruleName),
        },
        { parent },
    );
}
