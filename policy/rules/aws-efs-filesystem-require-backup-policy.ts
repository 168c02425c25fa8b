/**
 * Every EFS file system has automatic backups on (an aws:efs/backupPolicy with status ENABLED puts it in
 * AWS Backup's default plan).
 */
import { StackValidationPolicy } from "@pulumi/policy";
import { ControlId } from "../lib/controls";
import { ofTypes, referrersOf } from "../lib/links";
import { asRecord } from "../lib/values";

const FILE_SYSTEM = new Set(["aws:efs/fileSystem:FileSystem"]);
const BACKUP_POLICY = new Set(["aws:efs/backupPolicy:BackupPolicy"]);

/** See the module comment. */
export const policy: StackValidationPolicy = {
    name: "aws-efs-filesystem-require-backup-policy",
    description: "Every EFS file system has an aws:efs/backupPolicy with status ENABLED.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const policiesOf = referrersOf(ofTypes(args.resources, BACKUP_POLICY), "fileSystemId", FILE_SYSTEM);
        for (const fs of ofTypes(args.resources, FILE_SYSTEM)) {
            const mine = policiesOf.get(fs) ?? [];
            if (!mine.some((p) => asRecord(p.props.backupPolicy).status === "ENABLED")) {
                reportViolation('file system has no aws:efs/backupPolicy with backupPolicy.status "ENABLED"', fs.urn);
            }
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["EFS.2"];
