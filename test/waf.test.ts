import * as assert from "assert";
import { prefixRegex, Waf, WafArgs, wafRules } from "../components/platform/waf";
import { mergeTags } from "../lib/tags";
import { plan, TestPlan } from "./harness";

const TAGS = { Project: "archivematica", Environment: "staging", Owner: "dp@example.org", CostCentre: "DP-0042" };
const ALB = "arn:aws:elasticloadbalancing:eu-west-2:123456789012:loadbalancer/app/am-1234/0123456789abcdef";
const ARGS = {
    loadBalancerArn: ALB,
    mode: "block" as "block" | "count",
    rateLimit: 5000,
    largeBodyPaths: ["/api/", "/administration/", "/fpr/", "/filesystem/"],
    logRetentionDays: 365,
    tags: TAGS,
} satisfies WafArgs;

const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });

async function planWaf(args: WafArgs): Promise<TestPlan> {
    return plan(() => {
        const waf = new Waf("archivematica-waf", args);
        return { webAclArn: waf.webAclArn, logGroupName: waf.logGroupName };
    });
}

describe("Waf", () => {
    it("block mode: the rate rule, the managed groups, and SizeRestrictions_BODY scoped down to the non-upload paths", () => {
        assert.deepStrictEqual(wafRules(ARGS), [
            {
                name: "rate-limit",
                priority: 0,
                action: { block: {} },
                statement: { rateBasedStatement: { limit: 5000, aggregateKeyType: "IP", evaluationWindowSec: 300 } },
                visibilityConfig: visibility("rate-limit"),
            },
            {
                name: "aws-ip-reputation",
                priority: 10,
                overrideAction: { none: {} },
                statement: { managedRuleGroupStatement: { vendorName: "AWS", name: "AWSManagedRulesAmazonIpReputationList" } },
                visibilityConfig: visibility("aws-ip-reputation"),
            },
            {
                name: "aws-known-bad-inputs",
                priority: 20,
                overrideAction: { none: {} },
                statement: { managedRuleGroupStatement: { vendorName: "AWS", name: "AWSManagedRulesKnownBadInputsRuleSet" } },
                visibilityConfig: visibility("aws-known-bad-inputs"),
            },
            {
                name: "aws-common",
                priority: 30,
                overrideAction: { none: {} },
                statement: {
                    managedRuleGroupStatement: {
                        vendorName: "AWS",
                        name: "AWSManagedRulesCommonRuleSet",
                        ruleActionOverrides: [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }],
                    },
                },
                visibilityConfig: visibility("aws-common"),
            },
            {
                name: "large-body-outside-upload-paths",
                priority: 40,
                action: { block: {} },
                statement: {
                    andStatement: {
                        statements: [
                            { labelMatchStatement: { scope: "LABEL", key: "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body" } },
                            {
                                notStatement: {
                                    statement: {
                                        regexMatchStatement: {
                                            regexString: "^(/api/|/administration/|/fpr/|/filesystem/)",
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
            {
                name: "aws-sqli",
                priority: 50,
                overrideAction: { none: {} },
                statement: { managedRuleGroupStatement: { vendorName: "AWS", name: "AWSManagedRulesSQLiRuleSet" } },
                visibilityConfig: visibility("aws-sqli"),
            },
        ]);
    });

    it("count mode counts every rule and every group", () => {
        const rules = wafRules({ ...ARGS, mode: "count" });
        assert.deepStrictEqual(
            rules.map((r) => [r.name, r.action ?? r.overrideAction]),
            [
                ["rate-limit", { count: {} }],
                ["aws-ip-reputation", { count: {} }],
                ["aws-known-bad-inputs", { count: {} }],
                ["aws-common", { count: {} }],
                ["large-body-outside-upload-paths", { count: {} }],
                ["aws-sqli", { count: {} }],
            ],
        );
    });

    it("the exempt path regex escapes what a regex would read as syntax", () => {
        assert.strictEqual(prefixRegex(["/api/", "/a.b+c/"]), "^(/api/|/a\\.b\\+c/)");
        assert.ok(new RegExp(prefixRegex(["/api/"])).test("/api/v2beta/package"));
        assert.ok(!new RegExp(prefixRegex(["/api/"])).test("/transfer/api/"));
    });

    it("a regional web ACL on the load balancer, logged to aws-waf-logs-… with retention and credentials redacted", async () => {
        const p = await planWaf(ARGS);
        const acl = p.named("archivematica-waf-acl").props;
        assert.strictEqual(acl.scope, "REGIONAL");
        assert.deepStrictEqual(acl.defaultAction, { allow: {} });
        assert.deepStrictEqual(acl.rules, wafRules(ARGS));
        assert.deepStrictEqual(acl.tags, mergeTags(TAGS, "archivematica-waf-acl"));
        assert.deepStrictEqual(p.named("archivematica-waf-association").props, { resourceArn: ALB, webAclArn: p.outputs.webAclArn });
        const logs = p.named("archivematica-waf-logs").props;
        assert.deepStrictEqual(logs, {
            namePrefix: "aws-waf-logs-archivematica-waf-",
            retentionInDays: 365,
            tags: mergeTags(TAGS, "archivematica-waf-logs"),
        });
        assert.match(String(p.outputs.logGroupName), /^aws-waf-logs-archivematica-waf-[0-9a-f]{26}$/);
        assert.deepStrictEqual(p.named("archivematica-waf-logging").props, {
            resourceArn: p.outputs.webAclArn,
            logDestinationConfigs: [`arn:aws:logs:eu-west-2:123456789012:log-group:${String(p.outputs.logGroupName)}`],
            redactedFields: [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }],
        });
    });

    it("refuses a rate limit out of range and a path that is not a prefix, before any child", () => {
        assert.throws(
            () => new Waf("w", { ...ARGS, rateLimit: 10 }),
            /^Error: Waf "w": rateLimit 10 is out of range; valid: an integer from 100 to 2000000000$/,
        );
        assert.throws(
            () => new Waf("w", { ...ARGS, largeBodyPaths: ["api/"] }),
            /^Error: Waf "w": largeBodyPaths has "api\/", which does not start with \/; valid: path prefixes such as \/api\/$/,
        );
    });
});
