/**
 * DynamoDB tables keep point-in-time recovery on: the ingest table is the record of which upload
 * started which transfer, and a table restored to a point in time keeps replays from starting again.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { ControlId } from "../lib/controls";
import { asRecord, show } from "../lib/values";

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-dynamodb-table-require-point-in-time-recovery",
    description: "DynamoDB tables enable point-in-time recovery (pointInTimeRecovery.enabled: true).",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:dynamodb/table:Table") return;
        const enabled = asRecord(args.props.pointInTimeRecovery).enabled;
        if (enabled !== true)
            reportViolation(`pointInTimeRecovery.enabled is ${show(enabled)}; set pointInTimeRecovery: { enabled: true }`);
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["DynamoDB.2"];
