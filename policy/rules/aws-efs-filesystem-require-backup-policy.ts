/**
 * Every EFS file system is backed up: either EFS's automatic backups are on (an aws:efs/backupPolicy with
 * status ENABLED puts it in AWS Backup's default plan), or an AWS Backup selection of a plan in the stack
 * lists it among its `resources` (the stack's own vault, schedule and retention; with both, every file
 * would be stored twice, so a stack with the selection turns the automatic backups off).
 */
import { StackValidationPolicy } from "@pulumi/policy";
import { ControlId } from "../lib/controls";
import { ofTypes, referencedBy, referrersOf } from "../lib/links";
import { asRecord } from "../lib/values";

const FILE_SYSTEM = new Set(["aws:efs/fileSystem:FileSystem"]);
const BACKUP_POLICY = new Set(["aws:efs/backupPolicy:BackupPolicy"]);
const SELECTION = new Set(["aws:backup/selection:Selection"]);
const PLAN = new Set(["aws:backup/plan:Plan"]);

/** See the module comment. */
export const policy: StackValidationPolicy = {
    name: "aws-efs-filesystem-require-backup-policy",
    description:
        "Every EFS file system has an aws:efs/backupPolicy with status ENABLED, or is in the resources of an aws:backup/selection of a plan in the stack.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const policiesOf = referrersOf(ofTypes(args.resources, BACKUP_POLICY), "fileSystemId", FILE_SYSTEM);
        // A selection counts only when it belongs to a plan of this stack (planId refers to one).
        const planned = ofTypes(args.resources, SELECTION).filter((s) => referencedBy(s, "planId", PLAN).length > 0);
        const selectionsOf = referrersOf(planned, "resources", FILE_SYSTEM);
        for (const fs of ofTypes(args.resources, FILE_SYSTEM)) {
            if ((selectionsOf.get(fs) ?? []).length > 0) continue;
            const mine = policiesOf.get(fs) ?? [];
            if (!mine.some((p) => asRecord(p.props.backupPolicy).status === "ENABLED")) {
                reportViolation(
                    'file system has no aws:efs/backupPolicy with backupPolicy.status "ENABLED" and is in no aws:backup/selection of a plan',
                    fs.urn,
                );
            }
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["EFS.2"];
