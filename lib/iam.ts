/**
 * IAM policy documents: the one statement type every role policy of the stack is written in (task
 * roles, execution roles, the image-pull and S3 statements parts hand each other, scheduler roles),
 * and the trust policy of a role a service of this account assumes.
 */
import * as pulumi from "@pulumi/pulumi";

/**
 * One statement of an IAM policy. `S` is how a value is given: plain strings in a finished document,
 * or `pulumi.Input<string>` while ARNs are still outputs.
 */
export interface IamStatement<S = string> {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Action: string | string[];
    Resource: S | S[];
    Condition?: Record<string, Record<string, S | S[]>>;
}

/** An IAM policy document (the only policy language version IAM has). */
export interface PolicyDocument<S = string> {
    Version: "2012-10-17";
    Statement: IamStatement<S>[];
}

/**
 * Trust for a service principal of this account only (confused-deputy guard), with further
 * conditions when a service documents them (EventBridge Scheduler: the schedule group's ARN).
 */
export function trustPolicy(service: string, conditions: Record<string, pulumi.Input<string>>): pulumi.Output<string> {
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            { Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole", Condition: { StringEquals: conditions } },
        ],
    });
}
