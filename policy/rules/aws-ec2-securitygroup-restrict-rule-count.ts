/**
 * No security group holds more inbound (or outbound) rules than AWS allows per group: 60 by default,
 * counted separately for IPv4 and IPv6 (Amazon VPC User Guide, "Amazon VPC quotas": "Inbound or outbound
 * rules per security group"). AWS counts one rule per source or destination: each CIDR, security group
 * or prefix list of an inline rule or an aws:ec2/securityGroupRule, and each
 * aws:vpc/securityGroup{Ingress,Egress}Rule. A plan over the quota fails at `pulumi up`, rule by rule,
 * after half the stack exists; this rule refuses it before. An account with a raised quota says so in
 * `maximumRulesPerDirection`.
 */
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { configWithDefaults } from "../lib/config";
import { ControlId } from "../lib/controls";
import { ofTypes, referencedBy } from "../lib/links";
import { asArray, bool, isRecord } from "../lib/values";
import { DEFAULT_RULES_PER_DIRECTION } from "../../lib/security-group-quotas";

const SG = new Set(["aws:ec2/securityGroup:SecurityGroup"]);
const INGRESS = new Set(["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"]);
const EGRESS = new Set(["aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"]);
const RULE = new Set(["aws:ec2/securityGroupRule:SecurityGroupRule"]);

/** Config of this rule. */
export interface RuleLimitConfig {
    /** The account's quota of inbound (and of outbound) rules per security group, per IP version. */
    maximumRulesPerDirection: number;
}

/** Defaults, also declared in the config schema. */
export const DEFAULTS: RuleLimitConfig = { maximumRulesPerDirection: DEFAULT_RULES_PER_DIRECTION };

type Direction = "inbound" | "outbound";
type Counts = Record<Direction, { ipv4: number; ipv6: number }>;

const length = (v: unknown) => asArray(v).length;

/** The rules one inline rule or aws:ec2/securityGroupRule entry counts as, by IP version. */
function entryRules(entry: Record<string, unknown>): { ipv4: number; ipv6: number } {
    const ipv4 =
        length(entry.cidrBlocks) + length(entry.securityGroups) + length(entry.prefixListIds) + (bool(entry.self, "self") === true ? 1 : 0);
    const ipv6 = length(entry.ipv6CidrBlocks);
    return { ipv4: ipv4 || (ipv6 ? 0 : 1), ipv6 };
}

/** See the module comment. */
export const policy: StackValidationPolicy = {
    name: "aws-ec2-securitygroup-restrict-rule-count",
    description: "Security groups hold no more inbound or outbound rules (per IP version) than the account's quota, 60 by default.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            maximumRulesPerDirection: {
                type: "integer",
                minimum: 1,
                maximum: 1000,
                default: DEFAULTS.maximumRulesPerDirection,
                description: "The account's quota of inbound (and of outbound) rules per security group, per IP version.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const { maximumRulesPerDirection: max } = configWithDefaults(args, DEFAULTS);
        const groups = ofTypes(args.resources, SG);
        const counts = new Map<PolicyResource, Counts>(
            groups.map((g) => [g, { inbound: { ipv4: 0, ipv6: 0 }, outbound: { ipv4: 0, ipv6: 0 } }]),
        );
        const add = (group: PolicyResource, direction: Direction, n: { ipv4: number; ipv6: number }) => {
            const c = counts.get(group);
            if (!c) return;
            c[direction].ipv4 += n.ipv4;
            c[direction].ipv6 += n.ipv6;
        };
        for (const g of groups) {
            for (const entry of asArray(g.props.ingress).filter(isRecord)) add(g, "inbound", entryRules(entry));
            for (const entry of asArray(g.props.egress).filter(isRecord)) add(g, "outbound", entryRules(entry));
        }
        for (const r of args.resources) {
            if (INGRESS.has(r.type) || EGRESS.has(r.type)) {
                const one = typeof r.props.cidrIpv6 === "string" ? { ipv4: 0, ipv6: 1 } : { ipv4: 1, ipv6: 0 };
                for (const g of referencedBy(r, "securityGroupId", SG)) add(g, INGRESS.has(r.type) ? "inbound" : "outbound", one);
            } else if (RULE.has(r.type)) {
                const direction: Direction = r.props.type === "egress" ? "outbound" : "inbound";
                for (const g of referencedBy(r, "securityGroupId", SG)) add(g, direction, entryRules(r.props));
            }
        }
        for (const [group, c] of counts) {
            for (const direction of ["inbound", "outbound"] as const) {
                for (const version of ["ipv4", "ipv6"] as const) {
                    const n = c[direction][version];
                    if (n > max)
                        reportViolation(
                            `security group has ${n} ${direction} ${version === "ipv4" ? "IPv4" : "IPv6"} rules, more than the ${max} AWS allows per group; merge sources into fewer rules (wider CIDRs, a prefix list), or raise the quota and set maximumRulesPerDirection`,
                            group.urn,
                        );
                }
            }
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["AM.10"];
