/**
 * RDS for MySQL 8 holding Archivematica's `MCP` and the Storage Service's `SS` databases, with the
 * secrets the services read: the RDS-managed master secret (for the bootstrap init container that
 * creates the databases and the application user), the application user's password, and the
 * Storage Service's whole `SS_DB_URL`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { DatabaseConfig } from "../config";
import { supportsPerformanceInsights } from "../config/instance-classes";
import { DatabaseOutputs } from "./interfaces";
import { ingressFrom } from "./security-groups";
import { mergeTags, Tags } from "./tags";

/** MySQL's port; RDS would let us move it, but nothing gains from that. */
export const MYSQL_PORT = 3306;
/** The application user the init container creates with grants on `MCP` and `SS`. */
export const APP_USERNAME = "archivematica";
/** The master user RDS creates; its password lives only in the RDS-managed secret. */
export const MASTER_USERNAME = "admin";
/** Logs RDS exports to CloudWatch. The slow query log needs `slow_query_log=1` and `log_output=FILE`. */
export const EXPORTED_LOGS = ["error", "slowquery"] as const;

export interface DatabaseArgs {
    /** Engine, size, backups and protection, validated by `parseConfig`. */
    config: DatabaseConfig;
    /** VPC of the database's security group. */
    vpcId: pulumi.Input<string>;
    /** Private subnets (at least two, in different availability zones) for the DB subnet group. */
    subnetIds: pulumi.Input<string>[];
    /**
     * RDS instance identifier; also names the log groups (`/aws/rds/instance/<identifier>/<log>`) and
     * the final snapshot (`<identifier>-final`). Must be unique in the account and region, so the
     * cluster passes one that includes the environment.
     * @example "archivematica-db-staging"
     */
    identifier: string;
    /** Pulumi `protect` on the instance: `pulumi destroy` refuses to delete it. @default false */
    protect?: boolean;
    /** Required tags (Project, Environment, Owner, CostCentre, …) merged onto every child. */
    tags: Tags;
    /** Retention of the exported MySQL log groups (days). @default 30 */
    logRetentionDays?: number;
    /**
     * Also allow IAM database authentication. Archivematica authenticates with a password, so this only
     * helps operators who want IAM-issued tokens.
     * @default false
     */
    iamAuthentication?: boolean;
    /** Daily backup window (UTC), outside the maintenance window. @default "02:00-03:00" */
    backupWindow?: string;
    /** Weekly maintenance window (UTC). @default "sun:03:30-sun:04:30" */
    maintenanceWindow?: string;
}

/** True for "8.0"/"8.4": RDS picks (and later upgrades) the minor version. */
export function isMajorVersion(engineVersion: string): boolean {
    return /^\d+\.\d+$/.test(engineVersion);
}

/** The parameter group family of an engine version such as 8.0, 8.0.40 or 8.4.3. */
export function parameterGroupFamily(engineVersion: string): string {
    const m = /^(\d+)\.(\d+)(\.|$)/.exec(engineVersion);
    if (!m) throw new Error(`Database: engineVersion ${JSON.stringify(engineVersion)} is not a MySQL version; valid: 8.0.x or 8.4.x`);
    return `mysql${m[1]}.${m[2]}`;
}

/** RDS MySQL 8 with its subnet group, security group, parameter group, log groups and secrets. */
export class Database extends pulumi.ComponentResource implements DatabaseOutputs {
    readonly securityGroupId: pulumi.Output<string>;
    readonly address: pulumi.Output<string>;
    readonly port: pulumi.Output<number>;
    readonly masterUserSecretArn: pulumi.Output<string>;
    readonly appUsername = APP_USERNAME;
    readonly appPasswordSecretArn: pulumi.Output<string>;
    readonly ssDbUrlSecretArn: pulumi.Output<string>;
    readonly mcpDatabaseName = "MCP";
    readonly ssDatabaseName = "SS";
    /** The RDS instance identifier. */
    readonly identifier: string;
    /** The exported MySQL log groups by log name. */
    readonly logGroupNames: Record<(typeof EXPORTED_LOGS)[number], pulumi.Output<string>>;

    private readonly name: string;
    private readonly tags: Tags;

    constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("archivematica:index:Database", name, {}, opts);
        const cfg = args.config;
        const protect = args.protect ?? false;
        const logRetentionDays = args.logRetentionDays ?? 30;
        const iamAuthentication = args.iamAuthentication ?? false;
        const backupWindow = args.backupWindow ?? "02:00-03:00";
        const maintenanceWindow = args.maintenanceWindow ?? "sun:03:30-sun:04:30";
        const performanceInsights = supportsPerformanceInsights(cfg.instanceClass);
        const family = parameterGroupFamily(cfg.engineVersion);
        this.name = name;
        this.tags = args.tags;
        this.identifier = args.identifier;

        const sg = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                description: "Archivematica MySQL: 3306 only from the services granted access",
                revokeRulesOnDelete: true,
                tags: mergeTags(args.tags, `${name}-sg`),
            },
            { parent: this },
        );

        const subnetGroup = new aws.rds.SubnetGroup(
            `${name}-subnets`,
            {
                description: "Archivematica MySQL: private subnets",
                subnetIds: args.subnetIds,
                tags: mergeTags(args.tags, `${name}-subnets`),
            },
            { parent: this },
        );

        const parameters: Record<string, string> = {
            character_set_server: "utf8mb4",
            collation_server: "utf8mb4_0900_ai_ci",
            // Large transfers fail with "MySQL server has gone away" below 256 MiB.
            max_allowed_packet: String(cfg.maxAllowedPacketMiB * 1024 * 1024),
            slow_query_log: "1",
            long_query_time: "2",
            // CloudWatch export reads the log files; TABLE output would export nothing.
            log_output: "FILE",
        };
        const parameterGroup = new aws.rds.ParameterGroup(
            `${name}-params`,
            {
                family,
                description: `Archivematica MySQL (${family}): utf8mb4, max_allowed_packet ${cfg.maxAllowedPacketMiB} MiB, slow query log`,
                parameters: Object.keys(parameters)
                    .sort()
                    .map((key) => ({ name: key, value: parameters[key], applyMethod: "immediate" })),
                tags: mergeTags(args.tags, `${name}-params`),
            },
            { parent: this },
        );

        // RDS creates these itself on first export, without retention; creating them first keeps ours.
        const logGroups = EXPORTED_LOGS.map(
            (log) =>
                [
                    log,
                    new aws.cloudwatch.LogGroup(
                        `${name}-log-${log}`,
                        {
                            name: `/aws/rds/instance/${args.identifier}/${log}`,
                            retentionInDays: logRetentionDays,
                            tags: mergeTags(args.tags, `${name}-log-${log}`),
                        },
                        { parent: this },
                    ),
                ] as const,
        );
        this.logGroupNames = Object.fromEntries(logGroups.map(([log, group]) => [log, group.name])) as Database["logGroupNames"];

        // Classes too small for Performance Insights get enhanced monitoring instead, which needs a role.
        let monitoringRole: aws.iam.Role | undefined;
        if (!performanceInsights) {
            monitoringRole = new aws.iam.Role(
                `${name}-monitoring-role`,
                {
                    description: "Lets RDS enhanced monitoring publish OS metrics of the Archivematica database",
                    assumeRolePolicy: JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [{ Effect: "Allow", Principal: { Service: "monitoring.rds.amazonaws.com" }, Action: "sts:AssumeRole" }],
                    }),
                    tags: mergeTags(args.tags, `${name}-monitoring-role`),
                },
                { parent: this },
            );
            const partition = aws.getPartitionOutput({}, { parent: this }).partition;
            new aws.iam.RolePolicyAttachment(
                `${name}-monitoring-policy`,
                {
                    role: monitoringRole.name,
                    policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
                },
                { parent: this },
            );
        }

        const instance = new aws.rds.Instance(
            `${name}-instance`,
            {
                identifier: args.identifier,
                engine: "mysql",
                engineVersion: cfg.engineVersion,
                instanceClass: cfg.instanceClass,
                allocatedStorage: cfg.allocatedStorageGiB,
                maxAllocatedStorage: cfg.maxAllocatedStorageGiB,
                storageType: "gp3",
                storageEncrypted: true,
                dbSubnetGroupName: subnetGroup.name,
                vpcSecurityGroupIds: [sg.id],
                publiclyAccessible: false,
                parameterGroupName: parameterGroup.name,
                port: MYSQL_PORT,
                username: MASTER_USERNAME,
                // RDS generates, stores and rotates the master password in Secrets Manager: it never
                // appears in config, code or state.
                manageMasterUserPassword: true,
                iamDatabaseAuthenticationEnabled: iamAuthentication,
                multiAz: cfg.multiAz,
                backupRetentionPeriod: cfg.backupRetentionDays,
                backupWindow,
                maintenanceWindow,
                // With a major version ("8.0") RDS applies minor upgrades and the program keeps
                // asking for "8.0", so state never drifts; a pinned full version would make the next
                // deploy try to downgrade an auto-upgraded instance, so pinning turns them off.
                autoMinorVersionUpgrade: isMajorVersion(cfg.engineVersion),
                allowMajorVersionUpgrade: false,
                copyTagsToSnapshot: true,
                deletionProtection: cfg.deletionProtection,
                skipFinalSnapshot: !cfg.finalSnapshot,
                finalSnapshotIdentifier: cfg.finalSnapshot ? `${args.identifier}-final` : undefined,
                // Keep automated backups after deletion whenever a final snapshot is wanted.
                deleteAutomatedBackups: !cfg.finalSnapshot,
                enabledCloudwatchLogsExports: [...EXPORTED_LOGS],
                performanceInsightsEnabled: performanceInsights,
                performanceInsightsRetentionPeriod: performanceInsights ? 7 : undefined,
                monitoringInterval: monitoringRole ? 60 : 0,
                monitoringRoleArn: monitoringRole?.arn,
                tags: mergeTags(args.tags, `${name}-instance`),
            },
            {
                parent: this,
                protect,
                dependsOn: logGroups.map(([, group]) => group),
                // Multi-AZ creates take up to ~40 minutes; modifications of storage or class longer.
                customTimeouts: { create: cfg.multiAz ? "60m" : "40m", update: "80m", delete: "60m" },
            },
        );

        // URL- and shell-safe: letters, digits and `_-.` only, so the password can sit in a URL's
        // user-info and in an unquoted shell word of the bootstrap script.
        const appPassword = new random.RandomPassword(
            `${name}-app-password`,
            { length: 32, special: true, overrideSpecial: "_-.", minLower: 1, minUpper: 1, minNumeric: 1 },
            { parent: this },
        );
        const appPasswordSecret = new aws.secretsmanager.Secret(
            `${name}-app-password-secret`,
            {
                description: `Password of the MySQL user ${APP_USERNAME} on ${args.identifier} (whole value)`,
                tags: mergeTags(args.tags, `${name}-app-password-secret`),
            },
            { parent: this },
        );
        new aws.secretsmanager.SecretVersion(
            `${name}-app-password-version`,
            { secretId: appPasswordSecret.id, secretString: appPassword.result },
            { parent: this },
        );

        const ssDbUrl = pulumi.secret(
            pulumi.interpolate`mysql://${APP_USERNAME}:${appPassword.result}@${instance.address}:${instance.port}/${this.ssDatabaseName}`,
        );
        const ssDbUrlSecret = new aws.secretsmanager.Secret(
            `${name}-ss-db-url-secret`,
            {
                description: `Storage Service SS_DB_URL for ${args.identifier} (whole value)`,
                tags: mergeTags(args.tags, `${name}-ss-db-url-secret`),
            },
            { parent: this },
        );
        new aws.secretsmanager.SecretVersion(
            `${name}-ss-db-url-version`,
            { secretId: ssDbUrlSecret.id, secretString: ssDbUrl },
            { parent: this },
        );

        this.securityGroupId = sg.id;
        this.address = instance.address;
        this.port = instance.port;
        this.masterUserSecretArn = instance.masterUserSecrets.apply((secrets) => {
            const arn = secrets?.[0]?.secretArn;
            if (!arn) throw new Error(`Database "${name}": RDS reported no managed master user secret`);
            return arn;
        });
        this.appPasswordSecretArn = appPasswordSecret.arn;
        this.ssDbUrlSecretArn = ssDbUrlSecret.arn;

        this.registerOutputs({
            securityGroupId: this.securityGroupId,
            address: this.address,
            port: this.port,
            masterUserSecretArn: this.masterUserSecretArn,
            appUsername: this.appUsername,
            appPasswordSecretArn: this.appPasswordSecretArn,
            ssDbUrlSecretArn: this.ssDbUrlSecretArn,
            mcpDatabaseName: this.mcpDatabaseName,
            ssDatabaseName: this.ssDatabaseName,
            identifier: this.identifier,
        });
    }

    /** Admits MySQL (3306) from `sourceSecurityGroupId`; one rule named `${name}-from-${sourceName}`. */
    allowFrom(sourceName: string, sourceSecurityGroupId: pulumi.Input<string>): void {
        ingressFrom(this, `${this.name}-from-${sourceName}`, {
            securityGroupId: this.securityGroupId,
            sourceSecurityGroupId,
            port: MYSQL_PORT,
            description: `MySQL from ${sourceName}`,
            tags: this.tags,
        });
    }
}
