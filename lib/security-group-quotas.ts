/**
 * Security-group quotas a plan can exceed by itself (Amazon VPC User Guide, "Amazon VPC quotas",
 * amazon-vpc-limits.md in awsdocs/amazon-vpc-user-guide: "Inbound or outbound rules per security group:
 * 60 … enforced separately for IPv4 rules and IPv6 rules", adjustable; "Security groups per network
 * interface: 5"). Only the defaults are known offline; an account with a raised quota says so in the
 * policy config (aws-ec2-securitygroup-restrict-rule-count `maximumRulesPerDirection`).
 */

/** Default quota of inbound (and, separately, outbound) rules per security group, per IP version. */
export const DEFAULT_RULES_PER_DIRECTION = 60;

/** The ports the load balancer admits each allowed client network on (HTTPS, and HTTP that only redirects). */
export const ALB_CLIENT_PORTS = [443, 80] as const;

/** Inbound rules the load balancer's group gets for `allowedCidrs` IPv4 networks. */
export function albInboundRules(allowedCidrs: number): number {
    return allowedCidrs * ALB_CLIENT_PORTS.length;
}
