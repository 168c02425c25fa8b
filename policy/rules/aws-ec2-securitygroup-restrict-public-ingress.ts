/**
 * No security group admits the internet except on the load balancer's listener ports (tcp 80 and 443 by
 * default). "The internet" is any CIDR that holds a public address (policy/lib/cidr.ts): 0.0.0.0/0 and
 * ::/0, but also 0.0.0.0/1, 8.0.0.0/5 or 2000::/3; a string that is not a CIDR counts as public too. Checks inline `ingress` on security groups and the separate rule resources
 * (aws:vpc/securityGroupIngressRule, aws:ec2/securityGroupRule of type ingress).
 *
 * Design choice: the rule judges each rule by port, not by which group it belongs to, so it works per
 * resource during `analyze` without stack context. Only tcp 80/443 may be public, wherever it appears;
 * data stores listen on other ports and so can never be opened to the internet.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { configWithDefaults } from "../lib/config";
import { ControlId } from "../lib/controls";
import { overlapsPublic } from "../lib/cidr";
import { asArray, isRecord, list, num, Props } from "../lib/values";

/** IANA protocol numbers AWS accepts in place of names. */
const PROTOCOL_NAMES: Record<string, string> = { "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6" };

/** Config of this rule. */
export interface PublicIngressConfig {
    /** TCP ports that may be open to the internet. */
    allowedPublicPorts: number[];
}

/** Defaults, also declared in the config schema. */
export const DEFAULTS: PublicIngressConfig = { allowedPublicPorts: [80, 443] };

/** One ingress permission, normalised across the three resource shapes. */
interface Ingress {
    cidrs: unknown[];
    protocol: unknown;
    fromPort: unknown;
    toPort: unknown;
}

function ingressesOf(type: string, props: Props): Ingress[] {
    switch (type) {
        case "aws:ec2/securityGroup:SecurityGroup":
            return asArray(props.ingress)
                .filter(isRecord)
                .map((r) => ({
                    cidrs: [...asArray(r.cidrBlocks), ...asArray(r.ipv6CidrBlocks)],
                    protocol: r.protocol,
                    fromPort: r.fromPort,
                    toPort: r.toPort,
                }));
        case "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":
            return [
                { cidrs: [props.cidrIpv4, props.cidrIpv6], protocol: props.ipProtocol, fromPort: props.fromPort, toPort: props.toPort },
            ];
        case "aws:ec2/securityGroupRule:SecurityGroupRule":
            if (props.type !== "ingress") return [];
            return [
                {
                    cidrs: [...asArray(props.cidrBlocks), ...asArray(props.ipv6CidrBlocks)],
                    protocol: props.protocol,
                    fromPort: props.fromPort,
                    toPort: props.toPort,
                },
            ];
        default:
            return [];
    }
}

/** What the permission opens, for the message. */
function describe(protocol: string, from: number | undefined, to: number | undefined): string {
    if (protocol === "-1" || protocol === "all") return "all traffic";
    if (from === undefined || to === undefined) return `${protocol} (all ports)`;
    return from === to ? `${protocol} port ${from}` : `${protocol} ports ${from}-${to}`;
}

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-ec2-securitygroup-restrict-public-ingress",
    description:
        "Security-group ingress from any CIDR that holds a public address (0.0.0.0/0, ::/0, 0.0.0.0/1, …) is allowed only on the load balancer's tcp ports (80 and 443 by default).",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowedPublicPorts: {
                type: "array",
                items: { type: "integer", minimum: 0, maximum: 65535 },
                uniqueItems: true,
                default: DEFAULTS.allowedPublicPorts,
                description: "TCP ports that may be open to the internet.",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        const ingresses = ingressesOf(args.type, args.props);
        if (ingresses.length === 0) return;
        const { allowedPublicPorts } = configWithDefaults(args, DEFAULTS);
        for (const ingress of ingresses) {
            const open = ingress.cidrs.filter((c): c is string => typeof c === "string" && overlapsPublic(c) !== false);
            if (open.length === 0) continue;
            const raw = String(ingress.protocol ?? "-1").toLowerCase();
            const protocol = PROTOCOL_NAMES[raw] ?? raw;
            const from = num(ingress.fromPort, "fromPort");
            const to = num(ingress.toPort, "toPort");
            if (protocol === "tcp" && from !== undefined && from === to && allowedPublicPorts.includes(from)) continue;
            reportViolation(
                `ingress from ${list(open)} opens ${describe(protocol, from, to)} to the internet; only tcp ports ${list(allowedPublicPorts)} (the load balancer's listeners) may be public`,
            );
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["EC2.18", "EC2.19"];
