/**
 * CloudWatch log groups set a retention period (at least the stack's minimum) instead of keeping logs
 * forever.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { configWithDefaults } from "../lib/config";
import { ControlId } from "../lib/controls";
import { num, show } from "../lib/values";

/** Config of this rule. */
export interface LogRetentionConfig {
    /** Smallest acceptable `retentionInDays`. */
    minimumRetentionDays: number;
}

/** Defaults, also declared in the config schema. */
export const DEFAULTS: LogRetentionConfig = { minimumRetentionDays: 1 };

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-cloudwatch-loggroup-require-retention",
    description: "CloudWatch log groups set retentionInDays, at least the stack's minimumRetentionDays.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            minimumRetentionDays: {
                type: "integer",
                minimum: 1,
                default: DEFAULTS.minimumRetentionDays,
                description: "Smallest acceptable retentionInDays.",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:cloudwatch/logGroup:LogGroup") return;
        const { minimumRetentionDays } = configWithDefaults(args, DEFAULTS);
        const raw = args.props.retentionInDays;
        const days = num(raw, "retentionInDays");
        // 0 (or unset) means "never expire".
        if (days === undefined || days <= 0) {
            reportViolation(
                `retentionInDays is ${show(raw)}, so logs never expire; set retentionInDays to ${minimumRetentionDays} or more`,
            );
        } else if (days < minimumRetentionDays) {
            reportViolation(`retentionInDays is ${days}; at least ${minimumRetentionDays} days required`);
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["CloudWatch.16"];
