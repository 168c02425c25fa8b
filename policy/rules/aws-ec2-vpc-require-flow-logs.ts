/**
 * Every VPC the stack creates has a flow log. A stack rule: the flow log is a separate resource that
 * refers to the VPC.
 */
import { StackValidationPolicy } from "@pulumi/policy";
import { ControlId } from "../lib/controls";
import { ofTypes, referrersOf } from "../lib/links";

const VPC = new Set(["aws:ec2/vpc:Vpc"]);
const FLOW_LOG = new Set(["aws:ec2/flowLog:FlowLog"]);

/** See the module comment. */
export const policy: StackValidationPolicy = {
    name: "aws-ec2-vpc-require-flow-logs",
    description: "Every VPC in the stack has an aws:ec2/flowLog referring to it.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const withFlowLog = referrersOf(ofTypes(args.resources, FLOW_LOG), "vpcId", VPC);
        for (const vpc of ofTypes(args.resources, VPC)) {
            if (!withFlowLog.has(vpc)) {
                reportViolation("VPC has no flow log; add an aws:ec2/flowLog with vpcId set to this VPC", vpc.urn);
            }
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["EC2.6"];
