/**
 * RDS for MySQL 8 holding Archivematica's `MCP` and the Storage Service's `SS` databases, with the
 * secrets the services read: the RDS-managed master secret (for the bootstrap init container that
 * creates the databases and the application user), the application user's password, and the
 * Storage Service's whole `SS_DB_URL`.
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { supportsPerformanceInsights } from "../../lib/instance-classes";
import { DatabaseOutputs } from "../interfaces";
import { ingressFrom } from "../../lib/security-groups";
import { mergeTags, Tags } from "../../lib/tags";
import { DEFAULT_LOG_RETENTION_DAYS } from "../../lib/cloudwatch-logs";

/** MySQL's port; RDS would let us move it, but nothing gains from that. */
export const MYSQL_PORT = 3306;
/** The application user the init container creates with grants on `MCP` and `SS`. */
export const APP_USERNAME = "archivematica";
/** The master user RDS creates; its password lives only in the RDS-managed secret. */
export const MASTER_USERNAME = "admin";
/** Logs RDS exports to CloudWatch. The slow query log needs `slow_query_log=1` and `log_output=FILE`. */
export const EXPORTED_LOGS = ["error", "slowquery"] as const;

export interface DatabaseArgs {
    /** VPC of the database's security group. */
    vpcId: pulumi.Input<string>;
    /** Private subnets (at least two, in different availability zones) for the DB subnet group. */
    subnetIds: pulumi.Input<string>[];
    /**
     * RDS instance identifier; also names the log groups (`/aws/rds/instance/<identifier>/<log>`) and
     * prefixes the final snapshot (`<identifier>-final-<8 hex digits>`). Must be unique in the account and region, so the
     * cluster passes one that includes the environment.
     * @example "archivematica-db-staging"
     */
    identifier: string;
    /** Required tags (Project, Environment, Owner, CostCentre, …) merged onto every child. */
    tags: Tags;
    /**
     * MySQL engine version: a major version ("8.0", "8.4") lets RDS apply minor upgrades; a full
     * version ("8.4.3") pins it and turns them off. Changing the major (8.0 → 8.4) upgrades the
     * instance in place: the parameter group of the new family is created first, and the instance
     * allows major upgrades. MySQL 8.0 left RDS standard support on 2026-07-31 (paid Extended
     * Support after); Archivematica 1.18's own compose file runs MySQL 8.4.
     * @default "8.4"
     */
    engineVersion?: string;
    /** RDS instance class; classes without Performance Insights get enhanced monitoring instead. @default "db.t4g.small" */
    instanceClass?: string;
    /** Initial gp3 storage (GiB). @default 20 */
    allocatedStorageGiB?: number;
    /** Storage autoscaling limit (GiB). @default 100 */
    maxAllocatedStorageGiB?: number;
    /** Days of automated backups. @default 1 */
    backupRetentionDays?: number;
    /** Run the instance Multi-AZ (a standby in another zone). @default false */
    multiAz?: boolean;
    /** RDS deletion protection. @default false */
    deletionProtection?: boolean;
    /** Take a final snapshot when the instance is deleted. @default false */
    finalSnapshot?: boolean;
    /** MySQL `max_allowed_packet` (MiB); large transfers fail below 256. @default 256 */
    maxAllowedPacketMiB?: number;
    /** Pulumi `protect` on the instance: `pulumi destroy` refuses to delete it. @default false */
    protect?: boolean;
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
    /**
     * Apply instance changes (class, storage, Multi-AZ, engine version, parameter group) in the
     * `pulumi up` that makes them, and wait for them: the AWS provider calls ModifyDBInstance and then
     * waits until the instance is available again (terraform-provider-aws `dbInstanceModify`). Without
     * it RDS queues them for the maintenance window while `up` reports success, and an engine family
     * change fails: the update ends by deleting the old parameter group, which is still attached, and the
     * provider retries `InvalidDBParameterGroupState` for 3 minutes only (`resourceParameterGroupDelete`).
     * Turn it off only to move class or Multi-AZ changes into the maintenance window on purpose.
     * @default true
     */
    applyImmediately?: boolean;
}

/** {@link DatabaseArgs} with every default applied, plus what follows from them. */
interface NormalizedDatabaseArgs extends Required<Omit<DatabaseArgs, "vpcId" | "subnetIds">> {
    vpcId: pulumi.Input<string>;
    subnetIds: pulumi.Input<string>[];
    /** The parameter group family of the engine version (`mysql8.0`, `mysql8.4`). */
    family: string;
    /** Performance Insights when the class offers it, else enhanced monitoring. */
    performanceInsights: boolean;
}

/** Applies the defaults of {@link DatabaseArgs}; throws on an engine version that is not MySQL 8. */
export function normalizeDatabaseArgs(args: DatabaseArgs): NormalizedDatabaseArgs {
    const engineVersion = args.engineVersion ?? "8.4";
    const instanceClass = args.instanceClass ?? "db.t4g.small";
    return {
        ...args,
        engineVersion,
        instanceClass,
        allocatedStorageGiB: args.allocatedStorageGiB ?? 20,
        maxAllocatedStorageGiB: args.maxAllocatedStorageGiB ?? 100,
        backupRetentionDays: args.backupRetentionDays ?? 1,
        multiAz: args.multiAz ?? false,
        deletionProtection: args.deletionProtection ?? false,
        finalSnapshot: args.finalSnapshot ?? false,
        maxAllowedPacketMiB: args.maxAllowedPacketMiB ?? 256,
        protect: args.protect ?? false,
        logRetentionDays: args.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
        iamAuthentication: args.iamAuthentication ?? false,
        backupWindow: args.backupWindow ?? "02:00-03:00",
        maintenanceWindow: args.maintenanceWindow ?? "sun:03:30-sun:04:30",
        applyImmediately: args.applyImmediately ?? true,
        family: parameterGroupFamily(engineVersion),
        performanceInsights: supportsPerformanceInsights(instanceClass),
    };
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
    /** The RDS instance's ARN (what AWS Backup selects). */
    readonly instanceArn: pulumi.Output<string>;
    /** The exported MySQL log groups by log name. */
    readonly logGroupNames: Record<(typeof EXPORTED_LOGS)[number], pulumi.Output<string>>;

    private readonly name: string;
    private readonly tags: Tags;

    constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("archivematica:index:Database", name, {}, opts);
        const a = normalizeDatabaseArgs(args);
        this.name = name;
        this.tags = a.tags;
        this.identifier = a.identifier;

        const sg = this.createSecurityGroup(a);
        const subnetGroup = this.createSubnetGroup(a);
        const parameterGroup = this.createParameterGroup(a);
        const logGroups = this.createLogGroups(a);
        const monitoringRole = a.performanceInsights ? undefined : this.createMonitoringRole();
        const finalSnapshotIdentifier = a.finalSnapshot ? this.createFinalSnapshotIdentifier(a) : undefined;
        const instance = this.createInstance(a, { sg, subnetGroup, parameterGroup, logGroups, monitoringRole, finalSnapshotIdentifier });
        const appPassword = this.createAppPassword();
        this.appPasswordSecretArn = this.storeSecret(
            "app-password",
            `Password of the MySQL user ${APP_USERNAME} on ${a.identifier} (whole value)`,
            appPassword.result,
        );
        this.ssDbUrlSecretArn = this.storeSecret(
            "ss-db-url",
            `Storage Service SS_DB_URL for ${a.identifier} (whole value)`,
            pulumi.secret(
                pulumi.interpolate`mysql://${APP_USERNAME}:${appPassword.result}@${instance.address}:${instance.port}/${this.ssDatabaseName}`,
            ),
        );

        this.logGroupNames = Object.fromEntries(logGroups.map((group, i) => [EXPORTED_LOGS[i], group.name])) as Database["logGroupNames"];
        this.securityGroupId = sg.id;
        this.address = instance.address;
        this.port = instance.port;
        this.instanceArn = instance.arn;
        this.masterUserSecretArn = instance.masterUserSecrets.apply((secrets) => {
            const arn = secrets?.[0]?.secretArn;
            if (!arn) throw new Error(`Database "${name}": RDS reported no managed master user secret`);
            return arn;
        });

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
            instanceArn: this.instanceArn,
        });
    }

    /** The database's own group, with no inline rules: sources are admitted one by one with allowFrom(). */
    private createSecurityGroup(a: NormalizedDatabaseArgs): aws.ec2.SecurityGroup {
        return new aws.ec2.SecurityGroup(
            `${this.name}-sg`,
            {
                vpcId: a.vpcId,
                description: "Archivematica MySQL: 3306 only from the services granted access",
                revokeRulesOnDelete: true,
                tags: mergeTags(a.tags, `${this.name}-sg`),
            },
            { parent: this },
        );
    }

    private createSubnetGroup(a: NormalizedDatabaseArgs): aws.rds.SubnetGroup {
        return new aws.rds.SubnetGroup(
            `${this.name}-subnets`,
            {
                description: "Archivematica MySQL: private subnets",
                subnetIds: a.subnetIds,
                tags: mergeTags(a.tags, `${this.name}-subnets`),
            },
            { parent: this },
        );
    }

    /**
     * The family follows the engine's major version, and a family cannot change in place (`family` and
     * `description` are ForceNew: terraform-provider-aws internal/service/rds/parameter_group.go):
     * 8.0 → 8.4 replaces the group. It has no fixed name (Pulumi auto-names it with a random suffix), so
     * Pulumi's default create-before-delete replacement applies: the new group is created, the instance
     * is updated to the new engine version and group (and, with `applyImmediately`, waited for), and the
     * old group is deleted last, when nothing uses it. `deleteBeforeReplace` must stay off: deleting
     * first would fail on the attached group.
     */
    private createParameterGroup(a: NormalizedDatabaseArgs): aws.rds.ParameterGroup {
        const parameters: Record<string, string> = {
            character_set_server: "utf8mb4",
            collation_server: "utf8mb4_0900_ai_ci",
            // Large transfers fail with "MySQL server has gone away" below 256 MiB.
            max_allowed_packet: String(a.maxAllowedPacketMiB * 1024 * 1024),
            slow_query_log: "1",
            long_query_time: "2",
            // CloudWatch export reads the log files; TABLE output would export nothing.
            log_output: "FILE",
        };
        return new aws.rds.ParameterGroup(
            `${this.name}-params`,
            {
                family: a.family,
                description: `Archivematica MySQL (${a.family}): utf8mb4, max_allowed_packet ${a.maxAllowedPacketMiB} MiB, slow query log`,
                parameters: Object.keys(parameters)
                    .sort()
                    .map((key) => ({ name: key, value: parameters[key], applyMethod: "immediate" })),
                tags: mergeTags(a.tags, `${this.name}-params`),
            },
            { parent: this, deleteBeforeReplace: false },
        );
    }

    /** RDS creates these itself on first export, without retention; creating them first keeps ours. */
    private createLogGroups(a: NormalizedDatabaseArgs): aws.cloudwatch.LogGroup[] {
        return EXPORTED_LOGS.map(
            (log) =>
                new aws.cloudwatch.LogGroup(
                    `${this.name}-log-${log}`,
                    {
                        name: `/aws/rds/instance/${a.identifier}/${log}`,
                        retentionInDays: a.logRetentionDays,
                        tags: mergeTags(a.tags, `${this.name}-log-${log}`),
                    },
                    { parent: this },
                ),
        );
    }

    /** Classes too small for Performance Insights get enhanced monitoring instead, which needs a role. */
    private createMonitoringRole(): aws.iam.Role {
        const role = new aws.iam.Role(
            `${this.name}-monitoring-role`,
            {
                description: "Lets RDS enhanced monitoring publish OS metrics of the Archivematica database",
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { Service: "monitoring.rds.amazonaws.com" }, Action: "sts:AssumeRole" }],
                }),
                tags: mergeTags(this.tags, `${this.name}-monitoring-role`),
            },
            { parent: this },
        );
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        new aws.iam.RolePolicyAttachment(
            `${this.name}-monitoring-policy`,
            {
                role: role.name,
                policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
            },
            { parent: this },
        );
        return role;
    }

    private createInstance(
        a: NormalizedDatabaseArgs,
        parts: {
            sg: aws.ec2.SecurityGroup;
            subnetGroup: aws.rds.SubnetGroup;
            parameterGroup: aws.rds.ParameterGroup;
            logGroups: aws.cloudwatch.LogGroup[];
            monitoringRole?: aws.iam.Role;
            finalSnapshotIdentifier?: pulumi.Output<string>;
        },
    ): aws.rds.Instance {
        return new aws.rds.Instance(
            `${this.name}-instance`,
            {
                identifier: a.identifier,
                engine: "mysql",
                engineVersion: a.engineVersion,
                instanceClass: a.instanceClass,
                allocatedStorage: a.allocatedStorageGiB,
                maxAllocatedStorage: a.maxAllocatedStorageGiB,
                storageType: "gp3",
                storageEncrypted: true,
                dbSubnetGroupName: parts.subnetGroup.name,
                vpcSecurityGroupIds: [parts.sg.id],
                publiclyAccessible: false,
                parameterGroupName: parts.parameterGroup.name,
                port: MYSQL_PORT,
                username: MASTER_USERNAME,
                // RDS generates, stores and rotates the master password in Secrets Manager: it never
                // appears in config, code or state.
                manageMasterUserPassword: true,
                iamDatabaseAuthenticationEnabled: a.iamAuthentication,
                multiAz: a.multiAz,
                backupRetentionPeriod: a.backupRetentionDays,
                backupWindow: a.backupWindow,
                maintenanceWindow: a.maintenanceWindow,
                applyImmediately: a.applyImmediately,
                // With a major version ("8.0") RDS applies minor upgrades and the program keeps
                // asking for "8.0", so state never drifts; a pinned full version would make the next
                // deploy try to downgrade an auto-upgraded instance, so pinning turns them off.
                autoMinorVersionUpgrade: isMajorVersion(a.engineVersion),
                // RDS refuses an engine version of another major unless major upgrades are allowed
                // (ModifyDBInstance, AllowMajorVersionUpgrade); allowing it never upgrades by itself:
                // only a changed engineVersion here does. Without it 8.0 → 8.4 could not be deployed.
                allowMajorVersionUpgrade: true,
                copyTagsToSnapshot: true,
                deletionProtection: a.deletionProtection,
                skipFinalSnapshot: !a.finalSnapshot,
                finalSnapshotIdentifier: parts.finalSnapshotIdentifier,
                // Keep automated backups after deletion whenever a final snapshot is wanted.
                deleteAutomatedBackups: !a.finalSnapshot,
                enabledCloudwatchLogsExports: [...EXPORTED_LOGS],
                performanceInsightsEnabled: a.performanceInsights,
                performanceInsightsRetentionPeriod: a.performanceInsights ? 7 : undefined,
                monitoringInterval: parts.monitoringRole ? 60 : 0,
                monitoringRoleArn: parts.monitoringRole?.arn,
                tags: mergeTags(a.tags, `${this.name}-instance`),
            },
            {
                parent: this,
                protect: a.protect,
                dependsOn: parts.logGroups,
                // Multi-AZ creates take up to ~40 minutes; modifications of storage or class longer.
                customTimeouts: { create: a.multiAz ? "60m" : "40m", update: "80m", delete: "60m" },
            },
        );
    }

    /**
     * `<identifier>-final-<8 hex digits>`: random once, when the stack first creates the database, and
     * stable across updates; a database re-created after a delete gets a new one, so its final snapshot
     * never collides with the last one's (DBSnapshotAlreadyExists).
     */
    private createFinalSnapshotIdentifier(a: NormalizedDatabaseArgs): pulumi.Output<string> {
        return new random.RandomId(`${this.name}-final-snapshot-id`, { byteLength: 4, prefix: `${a.identifier}-final-` }, { parent: this })
            .hex;
    }

    /**
     * The application user's password: URL- and shell-safe (letters, digits and `_-.` only), so it can
     * sit in a URL's user-info and in an unquoted shell word of the bootstrap script.
     */
    private createAppPassword(): random.RandomPassword {
        return new random.RandomPassword(
            `${this.name}-app-password`,
            { length: 32, special: true, overrideSpecial: "_-.", minLower: 1, minUpper: 1, minNumeric: 1 },
            { parent: this },
        );
    }

    /** A secret `${name}-${key}-secret` whose whole value is `value`; returns its ARN. */
    private storeSecret(key: string, description: string, value: pulumi.Input<string>): pulumi.Output<string> {
        const secret = new aws.secretsmanager.Secret(
            `${this.name}-${key}-secret`,
            { description, tags: mergeTags(this.tags, `${this.name}-${key}-secret`) },
            { parent: this },
        );
        new aws.secretsmanager.SecretVersion(`${this.name}-${key}-version`, { secretId: secret.id, secretString: value }, { parent: this });
        return secret.arn;
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
