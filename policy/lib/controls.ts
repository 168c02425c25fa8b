/**
 * The controls a rule can claim. Security Hub FSBP controls are the ones DESIGN.md §5 lists plus the few
 * our rules verifiably cover beyond it (tagging, security-group and S3 controls). Project controls (`AM.*`)
 * name requirements of this design that have no FSBP counterpart, so that every rule still traces to a
 * written requirement rather than to nothing.
 */

/** AWS Security Hub Foundational Security Best Practices controls, by id. */
export const SECURITY_HUB_CONTROLS = {
    "CloudWatch.16": "CloudWatch log groups should be retained for a specified time period",
    "DynamoDB.2": "DynamoDB tables should have point-in-time recovery enabled",
    "EC2.2": "VPC default security groups should not allow inbound or outbound traffic",
    "EC2.6": "VPC flow logging should be enabled in all VPCs",
    "EC2.18": "Security groups should only allow unrestricted incoming traffic for authorized ports",
    "EC2.19": "Security groups should not allow unrestricted access to ports with high risk",
    "ECS.1": "Amazon ECS task definitions should have secure networking modes and user definitions",
    "ECS.2": "ECS services should not have public IP addresses assigned to them automatically",
    "ECS.3": "ECS task definitions should not share the host's process namespace",
    "ECS.4": "ECS containers should run as non-privileged",
    "ECS.5": "ECS containers should be limited to read-only access to root filesystems",
    "ECS.8": "Secrets should not be passed as container environment variables",
    "ECS.9": "ECS task definitions should have a logging configuration",
    "ECS.12": "ECS clusters should use Container Insights",
    "ECS.13": "ECS services should be tagged",
    "ECS.14": "ECS clusters should be tagged",
    "ECS.15": "ECS task definitions should be tagged",
    "EFS.1": "Elastic File System should be configured to encrypt file data at-rest using AWS KMS",
    "EFS.2": "Amazon EFS volumes should be in backup plans",
    "EFS.3": "EFS access points should enforce a root directory",
    "EFS.4": "EFS access points should enforce a user identity",
    "EFS.5": "EFS access points should be tagged",
    "EFS.6": "EFS mount targets should not be associated with a public subnet",
    "ElastiCache.1": "ElastiCache (Redis OSS) clusters should have automatic backups enabled",
    "ElastiCache.2": "ElastiCache clusters should have automatic minor version upgrades enabled",
    "ElastiCache.3": "ElastiCache replication groups should have automatic failover enabled",
    "ElastiCache.4": "ElastiCache replication groups should be encrypted at rest",
    "ElastiCache.5": "ElastiCache replication groups should be encrypted in transit",
    "ELB.1": "Application Load Balancer should be configured to redirect all HTTP requests to HTTPS",
    "ELB.4": "Application Load Balancer should be configured to drop invalid http headers",
    "ELB.5": "Application and Classic Load Balancers logging should be enabled",
    "ELB.6": "Application, Gateway, and Network Load Balancers should have deletion protection enabled",
    "ELB.17": "Application and Network Load Balancers with listeners should use recommended security policies",
    "Opensearch.1": "OpenSearch domains should have encryption at rest enabled",
    "Opensearch.2": "OpenSearch domains should not be publicly accessible",
    "Opensearch.3": "OpenSearch domains should encrypt data sent between nodes",
    "Opensearch.7": "OpenSearch domains should have fine-grained access control enabled",
    "Opensearch.8": "Connections to OpenSearch domains should be encrypted using the latest TLS security policy",
    "RDS.2": "RDS DB Instances should prohibit public access",
    "RDS.3": "RDS DB instances should have encryption at-rest enabled",
    "RDS.5": "RDS DB instances should be configured with multiple Availability Zones",
    "RDS.8": "RDS DB instances should have deletion protection enabled",
    "RDS.11": "RDS instances should have automatic backups enabled",
    "RDS.13": "RDS automatic minor version upgrades should be enabled",
    "RDS.27": "RDS DB clusters should be encrypted at rest",
    "S3.5": "S3 general purpose buckets should require requests to use SSL",
    "S3.7": "S3 general purpose buckets should use cross-Region replication",
    "S3.8": "S3 general purpose buckets should block public access",
    "S3.13": "S3 general purpose buckets should have Lifecycle configurations",
    "S3.14": "S3 general purpose buckets should have versioning enabled",
    "S3.15": "S3 general purpose buckets should have Object Lock enabled",
    "SQS.1": "Amazon SQS queues should be encrypted at rest",
} as const;

/** Requirements of this design with no FSBP counterpart (DESIGN.md section in brackets). */
export const PROJECT_CONTROLS = {
    "AM.1": "One task per service: one essential container, init containers it depends on, one family per service, one service per component [§3]",
    "AM.2": "Fargate tasks use a valid cpu/memory pair and ephemeral storage size [§5]",
    "AM.3": "Singleton services (gearmand, mcp-server) never run two tasks, not even during a deployment [§5]",
    "AM.4": "Every ECS service deploys with a circuit breaker that rolls back [§5]",
    "AM.5": "ECS task volumes on EFS use transit encryption and IAM authorisation [§4]",
    "AM.6": "Production databases keep a final snapshot on deletion [§4]",
    "AM.7": "S3 buckets carry an explicit server-side encryption configuration [§5, @pulumi/aws v7]",
    "AM.8": "Every ECS service is covered by an alarm on its running task count, with an alarm action [issue 13]",
    "AM.9": "When staff sign in with an identity provider, the load balancer authenticates browsers before the apps; only API-key paths are exempt [issue 19]",
    "AM.10": "The stack stays within the per-resource AWS quotas that can be checked before deploying (security-group rules) [issue 20]",
    "AM.11": "A sidecar container is isolated from the application: its own log group, a read-only root filesystem, no secrets [issue 18]",
    "AM.12": "Every Lambda function logs to a log group of the stack, so its retention applies [issue 17]",
    "AM.13": "Lambda functions read secrets at run time by ARN, never from their environment [issue 17]",
} as const;

/** A control id a rule may claim. */
export type ControlId = keyof typeof SECURITY_HUB_CONTROLS | keyof typeof PROJECT_CONTROLS;

/** Title of a control, or undefined for an id in neither catalogue. */
export function controlTitle(id: string): string | undefined {
    return (SECURITY_HUB_CONTROLS as Record<string, string>)[id] ?? (PROJECT_CONTROLS as Record<string, string>)[id];
}

/** True for Security Hub FSBP ids, false for project controls. */
export function isSecurityHubControl(id: string): boolean {
    return id in SECURITY_HUB_CONTROLS;
}
