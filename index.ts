/**
 * archivematica-infra: Archivematica on AWS. This file only composes: config in, one
 * ArchivematicaCluster, stack outputs out (what operators need; secrets only as ARNs).
 */
import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "./config";
import { ArchivematicaCluster } from "./components/archivematica-cluster";

const config = loadConfig();
const am = new ArchivematicaCluster("archivematica", { config });
const services = am.services;

// Where to go
export const dashboardUrl = am.ingress.dashboardUrl;
export const storageServiceUrl = am.ingress.storageServiceUrl;
/** Point both host names (CNAME or alias) here. */
export const loadBalancerDnsName = am.ingress.dnsName;
/** The records to create by hand when there is no hostedZoneId (empty when the stack manages them). */
export const dnsRecords = am.ingress.dnsRecords;
/** The certificate the HTTPS listener serves: certificateArn, or the one created in hostedZoneId. */
export const certificateArn = am.ingress.certificateArn;
export const adminUsername = services.adminUsername;
/** Secrets Manager ARNs of the generated admin password and API keys (read them with `aws secretsmanager get-secret-value`). */
export const adminSecretArns = services.adminSecretArns;

// What runs
export const region = config.region;
export const clusterName = am.ecs.clusterName;
export const clusterArn = am.ecs.clusterArn;
export const serviceNames = services.serviceNames;
export const taskDefinitionFamilies = services.taskDefinitionFamilies;
export const logGroupNames = services.logGroupNames;
export const ecsExecLogGroup = am.ecs.execLogGroupName;
export const serviceDiscoveryNamespace = services.namespace;
/** Ready to paste: find a running task of the service and open a shell in its container. */
export const execCommands = services.execCommands;
/** Ready to paste: manage.py commands run in a dashboard task (migrate, index rebuilds, …). */
export const dashboardManageCommands = services.dashboardManageCommands;

// Data
export const vpcId = am.network.vpcId;
export const publicSubnetIds = am.network.publicSubnetIds;
export const privateSubnetIds = am.network.privateSubnetIds;
export const fileSystemId = am.storage.fileSystemId;
export const accessPointIds = {
    sharedDirectory: am.storage.accessPoints.sharedDirectory.id,
    storageServiceStaging: am.storage.accessPoints.storageServiceStaging.id,
    transferSource: am.storage.accessPoints.transferSource.id,
};
export const dbEndpoint = am.database.address;
export const dbPort = am.database.port;
export const dbIdentifier = am.database.identifier;
export const dbNames = { mcp: am.database.mcpDatabaseName, storageService: am.database.ssDatabaseName };
export const dbMasterSecretArn = am.database.masterUserSecretArn;
/** Secrets the services read: the application user's password and the Storage Service's SS_DB_URL. */
export const dbAppSecretArns = { appPassword: am.database.appPasswordSecretArn, ssDbUrl: am.database.ssDbUrlSecretArn };
export const searchEnabled = am.search.searchEnabled;

// Archival storage (S3): transfers go in, AIPs and DIPs are kept
export const transferBucketName = am.archivalStorage.transferSourceBucket;
export const aipBucketName = am.archivalStorage.aipStoreBucket;
export const dipBucketName = am.archivalStorage.dipStoreBucket;
/** The AIP store's replica in `aipReplicaRegion`; null without one. */
export const aipReplicaBucketName = am.archivalStorage.aipReplicaBucket ?? null;
/**
 * Ready to paste (after renaming `my-transfer`): upload a transfer directory under the S3 transfer
 * source's `transfers/` prefix; then start it in the dashboard (Transfer tab, the "Transfer source (S3)" location).
 */
export const uploadTransferCommand = pulumi.interpolate`aws s3 sync ./my-transfer s3://${am.archivalStorage.transferSourceBucket}/transfers/my-transfer/ --region ${config.region}`;

// Operations: alarms, the dashboard, backups (docs/operations.md uses each of these)
/** SNS topic every alarm and ECS event rule sends to (subscribe more people or a chat integration to it). */
export const alarmTopicArn = am.notifications.topicArn;
/** The CloudWatch dashboard to open first: alarms, services, MCP client scaling, RDS, EFS, ALB. */
export const operationsDashboardUrl = am.dashboard.url;
/** AWS Backup vault holding the daily recovery points of EFS and RDS. */
export const backupVaultName = am.backup.vaultName;
/** Role to pass to `aws backup start-backup-job` / `start-restore-job --iam-role-arn`. */
export const backupRoleArn = am.backup.roleArn;
/** Days each recovery point is kept: the `--lifecycle DeleteAfterDays` of an on-demand backup (the vault lock refuses fewer). */
export const backupRetentionDays = config.operations.backupRetentionDays;

// Images and the smoke transfer
/** Where images come from: `cache` (ECR pull-through cache), `mirror` or `docker-hub`. */
export const imageSource = am.registry.source;
/** Ready to paste: run the smoke transfer once and wait for its one-line result (exit 0 when the AIP is stored). */
export const smokeTestCommand = am.smokeTest.runCommand;
export const smokeTestLogGroup = am.smokeTest.logGroupName;

// Sign-in and the public edge (README, "Signing in")
/** How staff sign in: local, oidc or cognito. */
export const signInMode = config.signIn.mode;
/** The Cognito user pool staff are invited to (`aws cognito-idp admin-create-user --user-pool-id …`); null unless signInMode is cognito. */
export const cognitoUserPoolId = am.identity?.userPoolId ?? null;
/** The Cognito hosted sign-in page; null unless signInMode is cognito. */
export const cognitoSignInDomain = am.identity
    ? pulumi.interpolate`https://${am.identity.domain}.auth.${config.region}.amazoncognito.com`
    : null;
/** Where AWS WAF logs requests (Authorization and Cookie redacted); null when wafMode is off. */
export const wafLogGroupName = am.waf?.logGroupName ?? null;

// Hands-off ingest and fixity (README "Drop a package"; docs/operations.md "Ingest and fixity")
/** The prefixes uploads may use: one per processing configuration (built-ins and processing-configs/). */
export const acceptedProcessingConfigs = am.ingest.acceptedConfigs;
/**
 * Ready to paste (after renaming `my-package.zip`): drop a package; it starts with the `automated`
 * configuration, and its outcome appears as `feedback/automated/my-package.zip.<outcome>.json`.
 */
export const dropPackageCommand = pulumi.interpolate`aws s3 cp ./my-package.zip s3://${am.archivalStorage.transferSourceBucket}/automated/my-package.zip --region ${config.region}`;
/** Lists the feedback files: what became of each upload. */
export const feedbackCommand = pulumi.interpolate`aws s3 ls s3://${am.archivalStorage.transferSourceBucket}/feedback/ --recursive --region ${config.region}`;
export const ingestQueueUrl = am.ingest.queueUrl;
/** Uploads whose start kept failing wait here (14 days) for an operator. */
export const ingestDeadLetterQueueUrl = am.ingest.deadLetterQueueUrl;
export const ingestTableName = am.ingest.tableName;
export const ingestStarterLogGroup = am.ingest.starterLogGroupName;
export const ingestMonitorLogGroup = am.ingest.monitorLogGroupName;
/** Starts one fixity run now (it reports like a scheduled one). */
export const fixityRunCommand = am.fixity.runCommand;
export const fixityLogGroup = am.fixity.logGroupName;
/** One JSON report per fixity run, and the run state. */
export const fixityReports = pulumi.interpolate`s3://${am.archivalStorage.aipStoreBucket}/reports/fixity/`;
