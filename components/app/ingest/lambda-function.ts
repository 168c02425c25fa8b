/**
 * One Lambda function of the stack: its code bundled at plan time (lib/bundle.ts), its own log group
 * with the stack's retention (`/aws/lambda/<name>`, named in `loggingConfig`), its own role trusted by
 * Lambda for this account only, with exactly the statements given plus writing its log group and the
 * network interfaces a function in a VPC needs, and its place in the private subnets.
 */
import * as aws from "../../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { bundleFunction } from "../../../lib/bundle";
import { type IamStatement, trustPolicy } from "../../../lib/iam";
import { mergeTags, Tags } from "../../../lib/tags";

/** Lambda's runtime for every function here (the bundles target node22). */
export const LAMBDA_RUNTIME = "nodejs22.x";

export interface LambdaFunctionArgs {
    /** Account-wide function name (also its log group's). */
    functionName: string;
    description: string;
    /** The handler's TypeScript file, relative to the repository root; its `handler` export is called. */
    entry: string;
    memoryMb: number;
    timeoutSeconds: number;
    /**
     * Reserved concurrency (it lowers the account's unreserved pool: keep it for real needs).
     * @default none (the account's unreserved pool)
     */
    reservedConcurrency?: number;
    /** Plain settings only (never a secret: secrets are read at run time by ARN). */
    environment: Record<string, pulumi.Input<string>>;
    /** What the code does on AWS. */
    statements: pulumi.Input<IamStatement<pulumi.Input<string>>[]>;
    subnetIds: pulumi.Input<string>[];
    securityGroupId: pulumi.Input<string>;
    /** An EFS access point mounted at `localMountPath` (must start with /mnt/). @default none */
    fileSystem?: { accessPointArn: pulumi.Input<string>; localMountPath: string };
    /** Resources the function must wait for (e.g. EFS mount targets). @default none */
    dependsOn?: pulumi.Resource[];
    logRetentionDays: number;
    region: string;
    tags: Tags;
    componentTags: Tags;
}

export interface LambdaFunction {
    fn: aws.lambda.Function;
    role: aws.iam.Role;
    logGroup: aws.cloudwatch.LogGroup;
}

/** Network interfaces in the VPC: Lambda's documented minimum (AWSLambdaVPCAccessExecutionRole); EC2 gives these no resource ARNs. */
const VPC_ACCESS: IamStatement = {
    Sid: "ManageVpcInterfaces",
    Effect: "Allow",
    Action: [
        "ec2:AssignPrivateIpAddresses",
        "ec2:CreateNetworkInterface",
        "ec2:DeleteNetworkInterface",
        "ec2:DescribeNetworkInterfaces",
        "ec2:UnassignPrivateIpAddresses",
    ],
    Resource: "*",
};

/** The role's whole policy: its log group, the VPC interfaces, then the function's own statements. */
export function functionPolicy(logGroupArn: pulumi.Input<string>, statements: LambdaFunctionArgs["statements"]): pulumi.Output<string> {
    return pulumi.all([logGroupArn, pulumi.output(statements)]).apply(([arn, own]) =>
        JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${arn}:*` },
                VPC_ACCESS,
                ...own,
            ],
        }),
    );
}

export function createLambdaFunction(
    name: string,
    parent: pulumi.Resource,
    a: LambdaFunctionArgs,
    accountId: pulumi.Input<string>,
): LambdaFunction {
    const logGroup = new aws.cloudwatch.LogGroup(
        `${name}-logs`,
        {
            name: `/aws/lambda/${a.functionName}`,
            retentionInDays: a.logRetentionDays,
            tags: mergeTags(a.tags, `${name}-logs`, a.componentTags),
        },
        { parent },
    );
    const role = new aws.iam.Role(
        `${name}-role`,
        {
            description: `${a.description}: what the function may do`,
            assumeRolePolicy: trustPolicy("lambda.amazonaws.com", { "aws:SourceAccount": accountId }),
            tags: mergeTags(a.tags, `${name}-role`, a.componentTags),
        },
        { parent },
    );
    const policy = new aws.iam.RolePolicy(
        `${name}-role-policy`,
        { role: role.id, policy: functionPolicy(logGroup.arn, a.statements) },
        { parent },
    );
    const bundle = bundleFunction(a.entry);
    const fn = new aws.lambda.Function(
        `${name}-function`,
        {
            name: a.functionName,
            description: a.description,
            runtime: LAMBDA_RUNTIME,
            architectures: ["arm64"],
            handler: "index.handler",
            // One file, the same bytes for the same sources: the archive changes only with the code.
            code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(bundle.code) }),
            memorySize: a.memoryMb,
            timeout: a.timeoutSeconds,
            reservedConcurrentExecutions: a.reservedConcurrency,
            role: role.arn,
            environment: { variables: a.environment },
            vpcConfig: { subnetIds: a.subnetIds, securityGroupIds: [a.securityGroupId] },
            fileSystemConfig: a.fileSystem ? { arn: a.fileSystem.accessPointArn, localMountPath: a.fileSystem.localMountPath } : undefined,
            loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
            tags: mergeTags(a.tags, `${name}-function`, { ...a.componentTags, CodeSha256: bundle.sha256.slice(0, 16) }),
        },
        { parent, dependsOn: [policy, logGroup, ...(a.dependsOn ?? [])] },
    );
    return { fn, role, logGroup };
}
