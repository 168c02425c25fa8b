/**
 * Secrets reach containers through `secrets` (valueFrom a Secrets Manager ARN), never through plain
 * `environment`: those values are readable by anyone who can describe the task definition. Flags names
 * that look like secrets and values that are URLs with credentials (`scheme://user:pass@host`, e.g.
 * SS_DB_URL or a search URL with basic auth). Names that merely look secret can be allowed in config.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { environmentOf, forEachContainer } from "../lib/containers";
import { configWithDefaults } from "../lib/config";
import { ControlId } from "../lib/controls";

/**
 * Names that suggest a secret, case-insensitive: a substring (`..._API_KEY`, `DB_PASSWORD`, `AUTHTOKEN`)
 * or, for the short forms that are also parts of other words and phrases, the last word after `_`,
 * `-` or `.` (`DB_PASS`, `MYSQL_PWD`, `PASS`, but not `PASSENGER_COUNT`, `BYPASS_CACHE` or Archivematica's
 * own `ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_CLAMAV_PASS_BY_STREAM`, a boolean).
 */
export const SECRET_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|KEY|CREDENTIAL|(^|[_.-])(PASS|PWD)$/i;

/**
 * A URL carrying a password in its user-info part, anywhere in the value (`--url=mysql://u:p@db`), with
 * or without a user name (`redis://:p@cache`).
 */
export const CREDENTIAL_URL = /(^|[^a-z0-9+.-])[a-z][a-z0-9+.-]*:\/\/[^\s/@:]*:[^\s/@]+@/i;

/** Config of this rule. */
export interface SecretEnvironmentConfig {
    /** Exact variable names that match the secret-name pattern but hold no secret (e.g. a KMS key id). */
    allowedNames: string[];
}

/**
 * Defaults, also declared in the config schema: `OIDC_OP_TOKEN_ENDPOINT` is the identity provider's
 * public token URL, which Archivematica 1.18 and Storage Service 0.24 read under that name
 * (settings/components/oidc_auth.py, storage_service/settings/base.py).
 */
export const DEFAULTS: SecretEnvironmentConfig = { allowedNames: ["OIDC_OP_TOKEN_ENDPOINT"] };

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-ecs-taskdefinition-prohibit-secret-environment",
    description:
        "Container environment holds no secrets: no variable named like PASSWORD/PASSWD/PASS/PWD/SECRET/TOKEN/KEY/CREDENTIAL (unless allow-listed) and no URL with credentials; use secrets with valueFrom.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowedNames: {
                type: "array",
                items: { type: "string", minLength: 1 },
                uniqueItems: true,
                default: DEFAULTS.allowedNames,
                description: "Exact environment variable names that look secret but are not.",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:ecs/taskDefinition:TaskDefinition") return;
        const { allowedNames } = configWithDefaults(args, DEFAULTS);
        forEachContainer(args.props, reportViolation, (container, label) => {
            for (const variable of environmentOf(container)) {
                const name = typeof variable.name === "string" ? variable.name : "";
                // The value itself is never echoed: the message would leak it into CI logs.
                if (SECRET_NAME.test(name) && !allowedNames.includes(name)) {
                    reportViolation(`${label} sets ${name} in environment; pass it in secrets (valueFrom a Secrets Manager ARN)`);
                } else if (typeof variable.value === "string" && CREDENTIAL_URL.test(variable.value)) {
                    reportViolation(
                        `${label} sets ${name} in environment to a URL with credentials; pass it in secrets (valueFrom a Secrets Manager ARN)`,
                    );
                }
            }
        });
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["ECS.8"];
