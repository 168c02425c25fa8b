/**
 * EFS access points enforce a POSIX user and a root directory below the file system's root, so every
 * task writes as uid/gid 1000 inside its own tree.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { ControlId } from "../lib/controls";
import { asRecord, show } from "../lib/values";

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-efs-accesspoint-require-posix-identity",
    description: "EFS access points set posixUser (uid and gid) and a rootDirectory.path other than /.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:efs/accessPoint:AccessPoint") return;
        const user = asRecord(args.props.posixUser);
        if (user.uid === undefined || user.gid === undefined) {
            reportViolation("posixUser is not set with uid and gid; enforce the containers' user, e.g. { uid: 1000, gid: 1000 }");
        }
        const path = asRecord(args.props.rootDirectory).path;
        if (typeof path !== "string" || path === "" || path === "/") {
            reportViolation(`rootDirectory.path is ${show(path)}; enforce a directory below the file system's root`);
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["EFS.3", "EFS.4"];
