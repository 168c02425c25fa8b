/**
 * Where the stack config and the stack's policy config must agree: the limits a policy config sets that
 * a config key has to meet, read from `policy/config/<stack>.json` with the policy gate's own parser, so
 * that a value the policy pack would refuse later is refused by the config check, naming the config key.
 */
import * as fs from "fs";
import * as path from "path";
import { GateError, parsePolicyConfig } from "../lib/policy-config";
import type { PolicyLimits } from "./rules";

/** The project root (config/..), where `policy/config/<stack>.json` lives. */
const ROOT = path.resolve(__dirname, "..");

/** The policy config file of a stack. */
export function policyConfigFile(stack: string, root = ROOT): string {
    return path.join(root, "policy", "config", `${stack}.json`);
}

const LOG_RETENTION_RULE = "aws-cloudwatch-loggroup-require-retention";
const MINOR_UPGRADE_RULE = "aws-rds-instance-require-minor-version-upgrade";
const SG_RULES_RULE = "aws-ec2-securitygroup-restrict-rule-count";

/**
 * The limits of a stack's policy config, or undefined when the stack has none. A rule the file turns
 * off or down to advisory sets no limit: the gate would not fail on it either. (A rule the file does not
 * name runs at the pack's level, mandatory.)
 *
 * @throws GateError (one line) when the file is not a valid policy config.
 */
export function readPolicyLimits(stack: string, root = ROOT): PolicyLimits | undefined {
    const file = policyConfigFile(stack, root);
    if (!fs.existsSync(file)) return undefined;
    const shown = path.relative(root, file);
    const config = parsePolicyConfig(fs.readFileSync(file, "utf8"), shown);
    const enforced = (rule: string) => {
        const level = config[rule]?.enforcementLevel ?? config.all?.enforcementLevel;
        return level !== "advisory" && level !== "disabled";
    };
    const wholeNumber = (rule: string, property: string): number | undefined => {
        const value = config[rule]?.properties?.[property];
        if (value === undefined) return undefined;
        if (typeof value !== "number" || !Number.isInteger(value))
            throw new GateError(`policy config ${shown}: ${rule}.${property} is ${JSON.stringify(value)}; valid: a whole number`);
        return value;
    };
    const limits: PolicyLimits = { file: shown };
    if (enforced(LOG_RETENTION_RULE)) {
        const days = wholeNumber(LOG_RETENTION_RULE, "minimumRetentionDays");
        if (days !== undefined) limits.minimumLogRetentionDays = days;
    }
    if (enforced(MINOR_UPGRADE_RULE)) limits.minorVersionUpgradeRequired = true;
    if (enforced(SG_RULES_RULE)) {
        const quota = wholeNumber(SG_RULES_RULE, "maximumRulesPerDirection");
        if (quota !== undefined) limits.maximumRulesPerDirection = quota;
    }
    return limits;
}
