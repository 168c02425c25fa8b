/**
 * Lambda functions read secrets at run time (Secrets Manager, by ARN), never from their environment,
 * which anyone who may read the function's configuration sees. A variable named like a secret must
 * hold an ARN (e.g. `DASHBOARD_API_KEY_SECRET_ARN`); no value may be a URL with credentials.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { ControlId } from "../lib/controls";
import { asRecord } from "../lib/values";
import { CREDENTIAL_URL, SECRET_NAME } from "./aws-ecs-taskdefinition-prohibit-secret-environment";

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-lambda-function-prohibit-secret-environment",
    description:
        "Lambda environment variables hold no secrets: a variable named like a secret holds an ARN (read at run time), and no value is a URL with credentials.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:lambda/function:Function") return;
        const variables = asRecord(asRecord(args.props.environment).variables);
        for (const [name, value] of Object.entries(variables)) {
            // The value itself is never echoed: the message would leak it into CI logs.
            if (SECRET_NAME.test(name) && !(typeof value === "string" && value.startsWith("arn:"))) {
                reportViolation(
                    `environment sets ${name} to something other than an ARN; keep the secret in Secrets Manager and pass its ARN`,
                );
            } else if (typeof value === "string" && CREDENTIAL_URL.test(value)) {
                reportViolation(`environment sets ${name} to a URL with credentials; keep it in Secrets Manager and pass its ARN`);
            }
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["AM.13"];
