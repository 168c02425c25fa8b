/**
 * Every Lambda function logs to a log group the stack creates (`loggingConfig.logGroup` refers to it),
 * so that the log-group retention rule governs its logs. Without one, Lambda creates
 * `/aws/lambda/<name>` on first use and keeps its logs forever. A stack rule: the log group is found
 * through the engine's dependency data, as names are unknown during a preview of new resources.
 */
import { StackValidationPolicy } from "@pulumi/policy";
import { ControlId } from "../lib/controls";
import { ofTypes, referencedBy } from "../lib/links";

const FUNCTION = new Set(["aws:lambda/function:Function"]);
const LOG_GROUP = new Set(["aws:cloudwatch/logGroup:LogGroup"]);

/** See the module comment. */
export const policy: StackValidationPolicy = {
    name: "aws-lambda-function-require-log-retention",
    description:
        "Every Lambda function names a log group of the stack in loggingConfig.logGroup, so its logs expire with that group's retention.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        for (const fn of ofTypes(args.resources, FUNCTION)) {
            if (referencedBy(fn, "loggingConfig", LOG_GROUP).length > 0) continue;
            reportViolation(
                "Lambda function logs to a log group the stack does not create, whose logs never expire; create one with retentionInDays and name it in loggingConfig.logGroup",
                fn.urn,
            );
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["CloudWatch.16", "AM.12"];
