/**
 * Amazon Resource Names: `arn:<partition>:<service>:<region>:<account>:<resource>` (IAM User Guide,
 * "IAM identifiers", ARN format), split so that a config check can hold an ARN to the stack's partition,
 * Region and account.
 */
import { Partition, regionFacts } from "./aws-regions";

/** The parts of an ARN. */
export interface Arn {
    partition: string;
    service: string;
    region: string;
    account: string;
    resource: string;
}

/** The parts of `text`, or undefined when it is not `arn:` and five more colon-separated parts. */
export function parseArn(text: string): Arn | undefined {
    const m = /^arn:([a-z-]+):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|):(.+)$/.exec(text);
    if (!m) return undefined;
    return { partition: m[1], service: m[2], region: m[3], account: m[4], resource: m[5] };
}

/** The partition a Region's ARNs carry, or undefined for an unknown Region. */
export function partitionOf(region: string): Partition | undefined {
    return regionFacts(region)?.partition;
}

/** An AWS account id: twelve digits. */
export const ACCOUNT_ID = /^\d{12}$/;

/** ACM certificate ids are UUIDs (ACM API reference, CertificateArn: `certificate/12345678-1234-1234-1234-123456789012`). */
export const ACM_CERTIFICATE_RESOURCE = /^certificate\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
