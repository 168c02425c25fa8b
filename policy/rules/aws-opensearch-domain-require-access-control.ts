/**
 * OpenSearch domains live in the VPC and use fine-grained access control (the Archivematica client has no
 * SigV4: it authenticates with an internal user's basic-auth URL).
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { ControlId } from "../lib/controls";
import { asArray, asRecord, bool } from "../lib/values";
import { DOMAIN_TYPES } from "./aws-opensearch-domain-require-encryption";

/** See the module comment. */
export const policy: ResourceValidationPolicy = {
    name: "aws-opensearch-domain-require-access-control",
    description: "OpenSearch domains are placed in VPC subnets (not publicly accessible) and enable fine-grained access control.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (!DOMAIN_TYPES.has(args.type)) return;
        if (asArray(asRecord(args.props.vpcOptions).subnetIds).length === 0) {
            reportViolation("vpcOptions.subnetIds is empty, so the domain has a public endpoint; place it in private subnets");
        }
        if (bool(asRecord(args.props.advancedSecurityOptions).enabled, "advancedSecurityOptions.enabled") !== true) {
            reportViolation("advancedSecurityOptions.enabled is not true; enable fine-grained access control with an internal user");
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["Opensearch.2", "Opensearch.7"];
