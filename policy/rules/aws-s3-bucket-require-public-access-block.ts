/**
 * Every S3 bucket in the stack has a public access block with all four settings on.
 */
import { StackValidationPolicy } from "@pulumi/policy";
import { ControlId } from "../lib/controls";
import { ofTypes } from "../lib/links";
import { bool, list } from "../lib/values";
import { attachmentIndex, BUCKET_TYPES } from "./aws-s3-bucket-require-encryption";

const PAB_TYPES: ReadonlySet<string> = new Set(["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"]);

/** The four settings, in the order AWS lists them. */
const SETTINGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];

/** See the module comment. */
export const policy: StackValidationPolicy = {
    name: "aws-s3-bucket-require-public-access-block",
    description:
        "Every S3 bucket has an aws:s3/bucketPublicAccessBlock with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const blocks = ofTypes(args.resources, PAB_TYPES);
        const blocksOf = attachmentIndex(blocks);
        for (const bucket of ofTypes(args.resources, BUCKET_TYPES)) {
            if (blocksOf(bucket).length === 0) {
                reportViolation("bucket has no aws:s3/bucketPublicAccessBlock; add one with all four settings true", bucket.urn);
            }
        }
        for (const block of blocks) {
            const off = SETTINGS.filter((s) => bool(block.props[s], s) !== true);
            if (off.length > 0) {
                reportViolation(`public access block leaves ${list(off)} not true; set all four settings to true`, block.urn);
            }
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["S3.8"];
