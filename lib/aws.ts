/**
 * The modules of the AWS provider (@pulumi/aws) this program uses, under their usual names: import
 * this as `aws` and write `aws.ecs.Service` as with the package itself.
 *
 * `import * as aws from "@pulumi/aws"` loads every one of the provider's ~250 service modules — the
 * root index requires each (node_modules/@pulumi/aws/index.js) — and gives the type checker 31 MB of
 * declarations to read, where this program uses a few dozen modules. Each service module is a
 * package path of its own (`@pulumi/aws/ecs`, with its resources registered by its own index), so
 * `pulumi up`, the offline plan and the type check each read only these. A module the program starts
 * using gets one line here; TypeScript says so (`Property 'x' does not exist`) until it has it.
 */
export * as acm from "@pulumi/aws/acm";
export * as appautoscaling from "@pulumi/aws/appautoscaling";
export * as backup from "@pulumi/aws/backup";
export * as cloudwatch from "@pulumi/aws/cloudwatch";
export * as cognito from "@pulumi/aws/cognito";
export * as config from "@pulumi/aws/config";
export * as dynamodb from "@pulumi/aws/dynamodb";
export * as ec2 from "@pulumi/aws/ec2";
export * as ecr from "@pulumi/aws/ecr";
export * as ecs from "@pulumi/aws/ecs";
export * as efs from "@pulumi/aws/efs";
export * as elasticache from "@pulumi/aws/elasticache";
export * as elb from "@pulumi/aws/elb";
export * as iam from "@pulumi/aws/iam";
export * as kms from "@pulumi/aws/kms";
export * as lambda from "@pulumi/aws/lambda";
export * as lb from "@pulumi/aws/lb";
export * as opensearch from "@pulumi/aws/opensearch";
export * as rds from "@pulumi/aws/rds";
export * as route53 from "@pulumi/aws/route53";
export * as s3 from "@pulumi/aws/s3";
export * as scheduler from "@pulumi/aws/scheduler";
export * as secretsmanager from "@pulumi/aws/secretsmanager";
export * as servicediscovery from "@pulumi/aws/servicediscovery";
export * as sns from "@pulumi/aws/sns";
export * as sqs from "@pulumi/aws/sqs";
export * as types from "@pulumi/aws/types";
export * as vpc from "@pulumi/aws/vpc";
export * as wafv2 from "@pulumi/aws/wafv2";
export { getAvailabilityZonesOutput } from "@pulumi/aws/getAvailabilityZones";
export { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
export { getPartitionOutput } from "@pulumi/aws/getPartition";
export { getRegionOutput } from "@pulumi/aws/getRegion";
export { Region } from "@pulumi/aws/types/enums";
