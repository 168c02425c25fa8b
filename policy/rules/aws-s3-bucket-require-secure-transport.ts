/**
 * Every S3 bucket in the stack refuses plain HTTP: an aws:s3/bucketPolicy attached to it has a statement
 * that denies every principal every S3 action (`s3:*` or `*`) on the bucket and its objects when
 * `aws:SecureTransport` is false (Security Hub S3.5's remediation). A stack rule, because the bucket and
 * its policy are two resources. The policy document usually embeds the bucket's ARN, so it is unknown in
 * a preview of a new bucket and the rule defers to the update.
 */
import { StackValidationPolicy } from "@pulumi/policy";
import { ControlId } from "../lib/controls";
import { ofTypes } from "../lib/links";
import { asRecord, isRecord, Props } from "../lib/values";
import { attachmentIndex, BUCKET_TYPES } from "./aws-s3-bucket-require-encryption";

const POLICY_TYPES: ReadonlySet<string> = new Set(["aws:s3/bucketPolicy:BucketPolicy"]);

/** A policy document from a `policy` input: a JSON string or an object; undefined when unreadable. */
export function policyDocument(value: unknown): Props | undefined {
    if (isRecord(value)) return value;
    if (typeof value !== "string") return undefined;
    try {
        const parsed: unknown = JSON.parse(value);
        return isRecord(parsed) ? parsed : undefined;
    } catch {
        return undefined;
    }
}

const strings = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

/** True for a statement that denies everyone everything on the bucket and its objects without TLS. */
export function deniesInsecureTransport(statement: unknown): boolean {
    const s = asRecord(statement);
    const principal = s.Principal;
    const everyone = principal === "*" || (isRecord(principal) && strings(principal.AWS).includes("*"));
    const actions = strings(s.Action);
    const resources = strings(s.Resource).filter((r): r is string => typeof r === "string");
    const insecure = asRecord(asRecord(s.Condition).Bool)["aws:SecureTransport"];
    return (
        s.Effect === "Deny" &&
        everyone &&
        (actions.includes("s3:*") || actions.includes("*")) &&
        resources.some((r) => !r.endsWith("/*")) &&
        resources.some((r) => r.endsWith("/*")) &&
        (insecure === "false" || insecure === false)
    );
}

const FIX =
    'add a statement { "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [bucket ARN, bucket ARN + "/*"], "Condition": { "Bool": { "aws:SecureTransport": "false" } } }';

/** See the module comment. */
export const policy: StackValidationPolicy = {
    name: "aws-s3-bucket-require-secure-transport",
    description:
        "Every S3 bucket has an aws:s3/bucketPolicy that denies all S3 actions on the bucket and its objects to every principal when aws:SecureTransport is false.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const policiesOf = attachmentIndex(ofTypes(args.resources, POLICY_TYPES));
        for (const bucket of ofTypes(args.resources, BUCKET_TYPES)) {
            const policies = policiesOf(bucket);
            if (policies.length === 0) {
                reportViolation(`bucket has no aws:s3/bucketPolicy; attach one and ${FIX}`, bucket.urn);
                continue;
            }
            for (const attached of policies) {
                const document = policyDocument(attached.props.policy);
                if (!document) {
                    reportViolation(`policy is not a JSON policy document; write one and ${FIX}`, attached.urn);
                } else if (!strings(document.Statement).some(deniesInsecureTransport)) {
                    reportViolation(`policy does not deny requests without TLS; ${FIX}`, attached.urn);
                }
            }
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["S3.5"];
