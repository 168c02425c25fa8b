/**
 * Waf: an AWS WAF web ACL in front of the load balancer. AWS managed rule groups (Amazon IP reputation
 * list, known bad inputs, the core rule set, SQL injection), a rate-based rule per client address, and
 * logging to a CloudWatch log group with retention, with the headers that carry credentials redacted
 * (`Authorization`: the API keys of `/api/` calls; `Cookie`: the apps' and the load balancer's session
 * cookies).
 *
 * Archivematica's uploads and API calls carry bodies over 8 KB (processing configurations, FPR commands,
 * API requests). The core rule set's `SizeRestrictions_BODY` blocks every body over 8 KB: it is not
 * switched off but scoped down. The rule group only counts it (a rule action override), which labels
 * the request `awswaf:managed:aws:core-rule-set:SizeRestrictions_Body`; a rule after the group blocks a
 * labelled request unless its path starts with one of the large-body prefixes. The ALB forwards only the
 * first 8 KB of a body to WAF (fixed for ALBs), so the other rules inspect the first 8 KB of such bodies.
 *
 * `count` mode counts everything (rule group overrides and rule actions set to count) so a new stack can
 * be tuned from the logs before anything is refused; `block` lets the rules act.
 *
 * Sources: AWS WAF developer guide, "Baseline rule groups" (AWSManagedRulesCommonRuleSet, WCU 700; its
 * SizeRestrictions_BODY label), "IP reputation rule groups" (AWSManagedRulesAmazonIpReputationList, 25),
 * "Use-case specific rule groups" (AWSManagedRulesSQLiRuleSet, 200); WAF API `Body` ("For Application
 * Load Balancer … the limit is fixed at 8 KB"); `LoggingConfiguration` (the destination's name must
 * start with `aws-waf-logs-`; WAF adds the log group's resource policy itself).
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { mergeTags, Tags } from "../../lib/tags";

/** The label the core rule set puts on a request whose body is over 8 KB. */
export const SIZE_RESTRICTIONS_BODY_LABEL = "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body";

/** Required prefix of a WAF log destination's name. */
export const WAF_LOG_PREFIX = "aws-waf-logs-";

/** The managed rule groups, in evaluation order, with the priority each gets. */
export const MANAGED_GROUPS = [
    { rule: "aws-ip-reputation", group: "AWSManagedRulesAmazonIpReputationList", priority: 10 },
    { rule: "aws-known-bad-inputs", group: "AWSManagedRulesKnownBadInputsRuleSet", priority: 20 },
    { rule: "aws-common", group: "AWSManagedRulesCommonRuleSet", priority: 30 },
    { rule: "aws-sqli", group: "AWSManagedRulesSQLiRuleSet", priority: 50 },
] as const;

/** Path prefix characters WAF regexes treat specially. */
const REGEX_SPECIAL = /[.*+?^${}()|[\]\\]/g;

export interface WafArgs {
    /** The load balancer the web ACL protects. */
    loadBalancerArn: pulumi.Input<string>;
    /** `count`: every rule only counts; `block`: the rules act. */
    mode: "count" | "block";
    /**
     * Requests one client address may send in 5 minutes.
     * @default 5000
     */
    rateLimit?: number;
    /**
     * Path prefixes whose requests may carry bodies over 8 KB.
     * @default ["/api/"]
     */
    largeBodyPaths?: string[];
    /** Days the WAF log group keeps requests. */
    logRetentionDays: number;
    /** Required tags, set on every taggable child. */
    tags: Tags;
}

/** Throws the one-line error for a bad argument. */
function fail(name: string, field: string, problem: string, valid: string): never {
    throw new Error(`Waf "${name}": ${field} ${problem}; valid: ${valid}`);
}

/** {@link WafArgs} with every default applied. */
type Normalized = Required<WafArgs>;

function normalize(name: string, args: WafArgs): Normalized {
    const rateLimit = args.rateLimit ?? 5000;
    if (!Number.isInteger(rateLimit) || rateLimit < 100 || rateLimit > 2000000000)
        fail(name, "rateLimit", `${rateLimit} is out of range`, "an integer from 100 to 2000000000");
    const largeBodyPaths = args.largeBodyPaths ?? ["/api/"];
    const bad = largeBodyPaths.find((p) => !p.startsWith("/"));
    if (bad !== undefined)
        fail(name, "largeBodyPaths", `has ${JSON.stringify(bad)}, which does not start with /`, "path prefixes such as /api/");
    return { ...args, rateLimit, largeBodyPaths };
}

/** A regex matching a path that starts with any of the prefixes. */
export function prefixRegex(prefixes: string[]): string {
    return `^(${prefixes.map((p) => p.replace(REGEX_SPECIAL, "\\$&")).join("|")})`;
}

const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });

/** The web ACL's rules, in priority order. */
export function wafRules(a: Pick<Normalized, "mode" | "rateLimit" | "largeBodyPaths">): aws.types.input.wafv2.WebAclRule[] {
    const action = a.mode === "block" ? { block: {} } : { count: {} };
    const overrideAction = a.mode === "block" ? { none: {} } : { count: {} };
    const managed = (m: (typeof MANAGED_GROUPS)[number]): aws.types.input.wafv2.WebAclRule => ({
        name: m.rule,
        priority: m.priority,
        overrideAction,
        statement: {
            managedRuleGroupStatement: {
                vendorName: "AWS",
                name: m.group,
                // Counted here, decided by the large-body rule below.
                ...(m.group === "AWSManagedRulesCommonRuleSet"
                    ? { ruleActionOverrides: [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }] }
                    : {}),
            },
        },
        visibilityConfig: visibility(m.rule),
    });
    const [ipReputation, knownBadInputs, common, sqli] = MANAGED_GROUPS;
    return [
        {
            name: "rate-limit",
            priority: 0,
            action,
            statement: { rateBasedStatement: { limit: a.rateLimit, aggregateKeyType: "IP", evaluationWindowSec: 300 } },
            visibilityConfig: visibility("rate-limit"),
        },
        managed(ipReputation),
        managed(knownBadInputs),
        managed(common),
        {
            name: "large-body-outside-upload-paths",
            priority: 40,
            action,
            statement: {
                andStatement: {
                    statements: [
                        { labelMatchStatement: { scope: "LABEL", key: SIZE_RESTRICTIONS_BODY_LABEL } },
                        {
                            notStatement: {
                                statement: {
                                    regexMatchStatement: {
                                        regexString: prefixRegex(a.largeBodyPaths),
                                        fieldToMatch: { uriPath: {} },
                                        textTransformations: [{ priority: 0, type: "NONE" }],
                                    },
                                },
                            },
                        },
                    ],
                },
            },
            visibilityConfig: visibility("large-body-outside-upload-paths"),
        },
        managed(sqli),
    ];
}

export class Waf extends pulumi.ComponentResource {
    readonly webAclArn: pulumi.Output<string>;
    readonly logGroupName: pulumi.Output<string>;

    constructor(name: string, args: WafArgs, opts?: pulumi.ComponentResourceOptions) {
        const a = normalize(name, args);
        super("archivematica:index:Waf", name, {}, opts);
        const parent = { parent: this };

        const acl = new aws.wafv2.WebAcl(
            `${name}-acl`,
            {
                scope: "REGIONAL",
                description: `Archivematica load balancer (${a.mode})`,
                defaultAction: { allow: {} },
                rules: wafRules(a),
                visibilityConfig: visibility(`${name}-acl`),
                tags: mergeTags(a.tags, `${name}-acl`),
            },
            parent,
        );
        new aws.wafv2.WebAclAssociation(`${name}-association`, { resourceArn: a.loadBalancerArn, webAclArn: acl.arn }, parent);
        const logs = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            {
                // WAF only logs to a destination named aws-waf-logs-…; the provider's suffix keeps it unique.
                namePrefix: `${WAF_LOG_PREFIX}${name}-`,
                retentionInDays: a.logRetentionDays,
                tags: mergeTags(a.tags, `${name}-logs`),
            },
            parent,
        );
        new aws.wafv2.WebAclLoggingConfiguration(
            `${name}-logging`,
            {
                resourceArn: acl.arn,
                logDestinationConfigs: [logs.arn],
                redactedFields: [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }],
            },
            parent,
        );

        this.webAclArn = acl.arn;
        this.logGroupName = logs.name;
        this.registerOutputs({ webAclArn: this.webAclArn, logGroupName: this.logGroupName });
    }
}
