/**
 * IAM policy documents: the one statement type every role policy of the stack is written in (task
 * roles, execution roles, the image-pull and S3 statements parts hand each other, scheduler roles).
 */

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
