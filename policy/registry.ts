/**
 * Every rule of the pack, once. `index.ts` hands `POLICIES` to `PolicyPack`; the meta-tests check that
 * each file under `rules/` appears here exactly once, named by convention, described and mapped to a
 * control. Order is the order the CLI lists them in.
 */
import { ArchivematicaPolicy, RuleModule } from "./lib/types";
import * as cloudwatchLoggroupRequireRetention from "./rules/aws-cloudwatch-loggroup-require-retention";
import * as dynamodbTableRequirePointInTimeRecovery from "./rules/aws-dynamodb-table-require-point-in-time-recovery";
import * as ec2DefaultsecuritygroupRestrictAllTraffic from "./rules/aws-ec2-defaultsecuritygroup-restrict-all-traffic";
import * as ec2SecuritygroupRestrictRuleCount from "./rules/aws-ec2-securitygroup-restrict-rule-count";
import * as ec2SecuritygroupRestrictPublicIngress from "./rules/aws-ec2-securitygroup-restrict-public-ingress";
import * as ec2VpcRequireFlowLogs from "./rules/aws-ec2-vpc-require-flow-logs";
import * as ecsClusterRequireContainerInsights from "./rules/aws-ecs-cluster-require-container-insights";
import * as ecsServiceProhibitPublicIp from "./rules/aws-ecs-service-prohibit-public-ip";
import * as ecsServiceRequireCircuitBreaker from "./rules/aws-ecs-service-require-circuit-breaker";
import * as ecsServiceRequireOnePerComponent from "./rules/aws-ecs-service-require-one-per-component";
import * as ecsServiceRequireOwnTaskFamily from "./rules/aws-ecs-service-require-own-task-family";
import * as ecsServiceRequireRunningCountAlarm from "./rules/aws-ecs-service-require-running-count-alarm";
import * as ecsServiceRequireSingletonDeployment from "./rules/aws-ecs-service-require-singleton-deployment";
import * as ecsTaskdefinitionProhibitHostAccess from "./rules/aws-ecs-taskdefinition-prohibit-host-access";
import * as ecsTaskdefinitionProhibitSecretEnvironment from "./rules/aws-ecs-taskdefinition-prohibit-secret-environment";
import * as ecsTaskdefinitionRequireAwslogs from "./rules/aws-ecs-taskdefinition-require-awslogs";
import * as ecsTaskdefinitionRequireAwsvpcNetworkMode from "./rules/aws-ecs-taskdefinition-require-awsvpc-network-mode";
import * as ecsTaskdefinitionRequireEfsTransitEncryption from "./rules/aws-ecs-taskdefinition-require-efs-transit-encryption";
import * as ecsTaskdefinitionRequireNonrootUser from "./rules/aws-ecs-taskdefinition-require-nonroot-user";
import * as ecsTaskdefinitionRequireReadonlyRootFilesystem from "./rules/aws-ecs-taskdefinition-require-readonly-root-filesystem";
import * as ecsTaskdefinitionRequireSingleEssentialContainer from "./rules/aws-ecs-taskdefinition-require-single-essential-container";
import * as ecsTaskdefinitionRequireValidFargateSize from "./rules/aws-ecs-taskdefinition-require-valid-fargate-size";
import * as ecsTaskdefinitionRestrictSidecar from "./rules/aws-ecs-taskdefinition-restrict-sidecar";
import * as efsAccesspointRequirePosixIdentity from "./rules/aws-efs-accesspoint-require-posix-identity";
import * as efsFilesystemRequireBackupPolicy from "./rules/aws-efs-filesystem-require-backup-policy";
import * as efsFilesystemRequireEncryption from "./rules/aws-efs-filesystem-require-encryption";
import * as efsMounttargetProhibitPublicSubnet from "./rules/aws-efs-mounttarget-prohibit-public-subnet";
import * as elasticacheReplicationgroupRequireEncryption from "./rules/aws-elasticache-replicationgroup-require-encryption";
import * as elasticacheReplicationgroupRequireResilience from "./rules/aws-elasticache-replicationgroup-require-resilience";
import * as lambdaFunctionProhibitSecretEnvironment from "./rules/aws-lambda-function-prohibit-secret-environment";
import * as lambdaFunctionRequireLogRetention from "./rules/aws-lambda-function-require-log-retention";
import * as lbListenerRequireHttps from "./rules/aws-lb-listener-require-https";
import * as lbListenerruleRequireAuthentication from "./rules/aws-lb-listenerrule-require-authentication";
import * as lbListenerruleProhibitHttpForward from "./rules/aws-lb-listenerrule-prohibit-http-forward";
import * as lbLoadbalancerRequireSecureSettings from "./rules/aws-lb-loadbalancer-require-secure-settings";
import * as opensearchDomainRequireAccessControl from "./rules/aws-opensearch-domain-require-access-control";
import * as opensearchDomainRequireEncryption from "./rules/aws-opensearch-domain-require-encryption";
import * as rdsDatabaseRequireStorageEncryption from "./rules/aws-rds-database-require-storage-encryption";
import * as rdsInstanceProhibitPublicAccess from "./rules/aws-rds-instance-prohibit-public-access";
import * as rdsInstanceRequireDataProtection from "./rules/aws-rds-instance-require-data-protection";
import * as rdsInstanceRequireMinorVersionUpgrade from "./rules/aws-rds-instance-require-minor-version-upgrade";
import * as resourceRequireTags from "./rules/aws-resource-require-tags";
import * as s3BucketRequireEncryption from "./rules/aws-s3-bucket-require-encryption";
import * as s3BucketRequirePublicAccessBlock from "./rules/aws-s3-bucket-require-public-access-block";
import * as s3BucketRequireAipCopyOrLock from "./rules/aws-s3-bucket-require-aip-copy-or-lock";
import * as s3BucketRequireAipLifecycle from "./rules/aws-s3-bucket-require-aip-lifecycle";
import * as s3BucketRequireSecureTransport from "./rules/aws-s3-bucket-require-secure-transport";
import * as s3BucketRequireVersioning from "./rules/aws-s3-bucket-require-versioning";
import * as sqsQueueRequireEncryption from "./rules/aws-sqs-queue-require-encryption";

/** All rule modules. */
export const RULES: readonly RuleModule[] = [
    // Tagging
    resourceRequireTags,
    // Encryption at rest and in transit
    efsFilesystemRequireEncryption,
    ecsTaskdefinitionRequireEfsTransitEncryption,
    rdsDatabaseRequireStorageEncryption,
    elasticacheReplicationgroupRequireEncryption,
    opensearchDomainRequireEncryption,
    lbListenerRequireHttps,
    lbListenerruleProhibitHttpForward,
    s3BucketRequireEncryption,
    s3BucketRequirePublicAccessBlock,
    s3BucketRequireSecureTransport,
    sqsQueueRequireEncryption,
    cloudwatchLoggroupRequireRetention,
    lambdaFunctionRequireLogRetention,
    // One task per service
    ecsTaskdefinitionRequireSingleEssentialContainer,
    ecsTaskdefinitionRestrictSidecar,
    ecsServiceRequireOwnTaskFamily,
    ecsServiceRequireOnePerComponent,
    // No public data stores
    rdsInstanceProhibitPublicAccess,
    ec2SecuritygroupRestrictPublicIngress,
    ec2SecuritygroupRestrictRuleCount,
    ec2DefaultsecuritygroupRestrictAllTraffic,
    ecsServiceProhibitPublicIp,
    opensearchDomainRequireAccessControl,
    efsMounttargetProhibitPublicSubnet,
    // Sign-in at the edge
    lbListenerruleRequireAuthentication,
    // Containers
    ecsTaskdefinitionProhibitSecretEnvironment,
    lambdaFunctionProhibitSecretEnvironment,
    ecsTaskdefinitionRequireAwslogs,
    ecsTaskdefinitionProhibitHostAccess,
    ecsTaskdefinitionRequireAwsvpcNetworkMode,
    ecsTaskdefinitionRequireNonrootUser,
    ecsTaskdefinitionRequireReadonlyRootFilesystem,
    ecsTaskdefinitionRequireValidFargateSize,
    // Services and deployments
    ecsServiceRequireSingletonDeployment,
    ecsServiceRequireCircuitBreaker,
    ecsClusterRequireContainerInsights,
    ecsServiceRequireRunningCountAlarm,
    // Data protection and operations
    rdsInstanceRequireDataProtection,
    rdsInstanceRequireMinorVersionUpgrade,
    elasticacheReplicationgroupRequireResilience,
    efsFilesystemRequireBackupPolicy,
    dynamodbTableRequirePointInTimeRecovery,
    s3BucketRequireVersioning,
    s3BucketRequireAipLifecycle,
    s3BucketRequireAipCopyOrLock,
    efsAccesspointRequirePosixIdentity,
    lbLoadbalancerRequireSecureSettings,
    ec2VpcRequireFlowLogs,
];

/** The policy objects, in registry order. */
export const POLICIES: ArchivematicaPolicy[] = RULES.map((r) => r.policy);
