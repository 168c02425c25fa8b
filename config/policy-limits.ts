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

/**
 * The limits of a stack's policy config, or undefined when the stack has none. A rule the file turns
 * off or down to advisory sets no limit: the gate would not fail on it either.
 *
 * @throws GateError (one line) when the file is not a valid policy config.
 */
export function readPolicyLimits(stack: string, root = ROOT): PolicyLimits | undefined {
    const file = policyConfigFile(stack, root);
    if (!fs.existsSync(file)) return undefined;
    const shown = path.relative(root, file);
    const config = parsePolicyConfig(fs.readFileSync(file, "utf8"), shown);
    const entry = config[LOG_RETENTION_RULE];
    const level = entry?.enforcementLevel ?? config.all?.enforcementLevel;
    const limits: PolicyLimits = { file: shown };
    if (level === "advisory" || level === "disabled") return limits;
    const days = entry?.properties?.minimumRetentionDays;
    if (days === undefined) return limits;
    if (typeof days !== "number" || !Number.isInteger(days))
        throw new GateError(
            `policy config ${shown}: ${LOG_RETENTION_RULE}.minimumRetentionDays is ${JSON.stringify(days)}; valid: a whole number of days`,
        );
    limits.minimumLogRetentionDays = days;
    return limits;
}
