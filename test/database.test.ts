import * as assert from "assert";
import { Database, DatabaseArgs, parameterGroupFamily } from "../components/data/database";
import { mergeTags } from "../lib/tags";
import { maskSecrets, SECRET_SIG, SIG_KEY } from "../tools/mock-runtime";
import { plan, PlannedResource, TestPlan } from "./harness";

const SUBNETS = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"];
const VPC = "vpc-0a1b2c3d4e5f67890";
const SERVICE_SG = "sg-0123456789abcdef0";
const TAGS = { Project: "archivematica", Environment: "staging", Owner: "dp@example.org", CostCentre: "DP-0042" };
const PROD_TAGS = { ...TAGS, Environment: "production" };

/** Staging: every default but the required args. */
const STAGING: DatabaseArgs = { vpcId: VPC, subnetIds: SUBNETS, identifier: "archivematica-db-staging", tags: TAGS };
const PROD: DatabaseArgs = {
    ...STAGING,
    identifier: "archivematica-db-production",
    tags: PROD_TAGS,
    engineVersion: "8.4.3",
    instanceClass: "db.m7g.large",
    allocatedStorageGiB: 100,
    maxAllocatedStorageGiB: 1000,
    backupRetentionDays: 14,
    multiAz: true,
    deletionProtection: true,
    finalSnapshot: true,
    maxAllowedPacketMiB: 512,
    protect: true,
    logRetentionDays: 365,
};
/** Types whose AWS resource takes no tags. */
const UNTAGGABLE = new Set([
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:secretsmanager/secretVersion:SecretVersion",
    "random:index/randomPassword:RandomPassword",
    "random:index/randomId:RandomId",
]);

interface Planned {
    p: TestPlan;
    args: DatabaseArgs;
}

async function planDatabase(args: DatabaseArgs): Promise<Planned> {
    const p = await plan(() => {
        const db = new Database("archivematica-db", args);
        db.allowFrom("storage-service", SERVICE_SG);
        return {
            address: db.address,
            port: db.port,
            masterUserSecretArn: db.masterUserSecretArn,
            appPasswordSecretArn: db.appPasswordSecretArn,
            ssDbUrlSecretArn: db.ssDbUrlSecretArn,
            names: [db.appUsername, db.mcpDatabaseName, db.ssDatabaseName],
        };
    });
    return { p, args };
}

function children(p: TestPlan): PlannedResource[] {
    return p.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
}

describe("Database", () => {
    let staging: Planned;
    let prod: Planned;
    before(async () => {
        staging = await planDatabase(STAGING);
        prod = await planDatabase(PROD);
    });

    it("creates exactly the expected children, all named after the component and parented to it", () => {
        const names = (p: TestPlan) =>
            children(p)
                .map((r) => `${r.type} ${r.name}`)
                .sort();
        const common = [
            "aws:cloudwatch/logGroup:LogGroup archivematica-db-log-error",
            "aws:cloudwatch/logGroup:LogGroup archivematica-db-log-slowquery",
            "aws:ec2/securityGroup:SecurityGroup archivematica-db-sg",
            "aws:rds/instance:Instance archivematica-db-instance",
            "aws:rds/parameterGroup:ParameterGroup archivematica-db-params",
            "aws:rds/subnetGroup:SubnetGroup archivematica-db-subnets",
            "aws:secretsmanager/secret:Secret archivematica-db-app-password-secret",
            "aws:secretsmanager/secret:Secret archivematica-db-ss-db-url-secret",
            "aws:secretsmanager/secretVersion:SecretVersion archivematica-db-app-password-version",
            "aws:secretsmanager/secretVersion:SecretVersion archivematica-db-ss-db-url-version",
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule archivematica-db-from-storage-service",
            "random:index/randomPassword:RandomPassword archivematica-db-app-password",
        ];
        // db.t4g.small has no Performance Insights: enhanced monitoring with its own role instead.
        assert.deepStrictEqual(
            names(staging.p),
            [
                ...common,
                "aws:iam/role:Role archivematica-db-monitoring-role",
                "aws:iam/rolePolicyAttachment:RolePolicyAttachment archivematica-db-monitoring-policy",
            ].sort(),
        );
        // A final snapshot needs a unique identifier: a random suffix fixed when the database is created.
        assert.deepStrictEqual(names(prod.p), [...common, "random:index/randomId:RandomId archivematica-db-final-snapshot-id"].sort());
        const component = staging.p.named("archivematica-db");
        assert.strictEqual(component.type, "archivematica:index:Database");
        for (const r of children(staging.p)) assert.strictEqual(r.parent, component.urn, r.name);
    });

    it("staging instance (every default): MySQL 8.4, single-AZ, encrypted, private, no protection, enhanced monitoring", () => {
        const db = staging.p.named("archivematica-db-instance");
        const { tags, ...props } = db.props;
        assert.deepStrictEqual(props, {
            identifier: "archivematica-db-staging",
            engine: "mysql",
            engineVersion: "8.4",
            instanceClass: "db.t4g.small",
            allocatedStorage: 20,
            maxAllocatedStorage: 100,
            storageType: "gp3",
            storageEncrypted: true,
            dbSubnetGroupName: "archivematica-db-subnets",
            vpcSecurityGroupIds: [staging.p.named("archivematica-db-sg").id],
            publiclyAccessible: false,
            parameterGroupName: "archivematica-db-params",
            port: 3306,
            username: "admin",
            manageMasterUserPassword: true,
            iamDatabaseAuthenticationEnabled: false,
            multiAz: false,
            backupRetentionPeriod: 1,
            backupWindow: "02:00-03:00",
            maintenanceWindow: "sun:03:30-sun:04:30",
            autoMinorVersionUpgrade: true,
            allowMajorVersionUpgrade: true,
            applyImmediately: true,
            copyTagsToSnapshot: true,
            deletionProtection: false,
            skipFinalSnapshot: true,
            deleteAutomatedBackups: true,
            enabledCloudwatchLogsExports: ["error", "slowquery"],
            performanceInsightsEnabled: false,
            monitoringInterval: 60,
            monitoringRoleArn: "arn:aws:iam::123456789012:role/archivematica-db-monitoring-role",
        });
        assert.deepStrictEqual(tags, mergeTags(TAGS, "archivematica-db-instance"));
        assert.strictEqual(db.protect, false);
        assert.deepStrictEqual(db.customTimeouts, { create: "40m", update: "80m", delete: "60m" });
        // The log groups exist before RDS starts exporting to them.
        for (const log of ["error", "slowquery"])
            assert.ok(db.dependencies.includes(staging.p.named(`archivematica-db-log-${log}`).urn), log);
        assert.ok(!("password" in db.props));
    });

    it("prod instance: Multi-AZ, deletion protection, uniquely named final snapshot, Performance Insights, protect", () => {
        const db = prod.p.named("archivematica-db-instance");
        const { tags, ...props } = db.props;
        assert.deepStrictEqual(props, {
            identifier: "archivematica-db-production",
            engine: "mysql",
            engineVersion: "8.4.3",
            instanceClass: "db.m7g.large",
            allocatedStorage: 100,
            maxAllocatedStorage: 1000,
            storageType: "gp3",
            storageEncrypted: true,
            dbSubnetGroupName: "archivematica-db-subnets",
            vpcSecurityGroupIds: [prod.p.named("archivematica-db-sg").id],
            publiclyAccessible: false,
            parameterGroupName: "archivematica-db-params",
            port: 3306,
            username: "admin",
            manageMasterUserPassword: true,
            iamDatabaseAuthenticationEnabled: false,
            multiAz: true,
            backupRetentionPeriod: 14,
            backupWindow: "02:00-03:00",
            maintenanceWindow: "sun:03:30-sun:04:30",
            autoMinorVersionUpgrade: false,
            allowMajorVersionUpgrade: true,
            applyImmediately: true,
            copyTagsToSnapshot: true,
            deletionProtection: true,
            skipFinalSnapshot: false,
            finalSnapshotIdentifier: "archivematica-db-production-final-f7e6abd1",
            deleteAutomatedBackups: false,
            enabledCloudwatchLogsExports: ["error", "slowquery"],
            performanceInsightsEnabled: true,
            performanceInsightsRetentionPeriod: 7,
            monitoringInterval: 0,
        });
        assert.deepStrictEqual(tags, mergeTags(PROD_TAGS, "archivematica-db-instance"));
        assert.strictEqual(db.protect, true);
        assert.deepStrictEqual(db.customTimeouts, { create: "60m", update: "80m", delete: "60m" });
    });

    it("parameter group: family from the engine version, utf8mb4, max_allowed_packet in bytes, slow log to file", () => {
        const expected = (family: string, packet: string) => [
            family,
            [
                { applyMethod: "immediate", name: "character_set_server", value: "utf8mb4" },
                { applyMethod: "immediate", name: "collation_server", value: "utf8mb4_0900_ai_ci" },
                { applyMethod: "immediate", name: "log_output", value: "FILE" },
                { applyMethod: "immediate", name: "long_query_time", value: "2" },
                { applyMethod: "immediate", name: "max_allowed_packet", value: packet },
                { applyMethod: "immediate", name: "slow_query_log", value: "1" },
            ],
        ];
        const got = (p: TestPlan) => [p.named("archivematica-db-params").props.family, p.named("archivematica-db-params").props.parameters];
        assert.deepStrictEqual(got(staging.p), expected("mysql8.4", "268435456"));
        assert.deepStrictEqual(got(prod.p), expected("mysql8.4", "536870912"));
        assert.strictEqual(parameterGroupFamily("8.0.32"), "mysql8.0");
        assert.strictEqual(parameterGroupFamily("8.4"), "mysql8.4");
        assert.throws(() => parameterGroupFamily("8"), /engineVersion "8" is not a MySQL version/);
    });

    it("a stack still on 8.0 gets the mysql8.0 family; moving it to 8.4 replaces the auto-named group before the old one goes", async () => {
        const { p } = await planDatabase({ ...STAGING, engineVersion: "8.0" });
        const params = p.named("archivematica-db-params");
        assert.strictEqual(params.props.family, "mysql8.0");
        // No fixed name: the replacement of another family can exist beside the old group.
        assert.ok(!("name" in params.props) && !("namePrefix" in params.props), JSON.stringify(params.props));
        assert.strictEqual(params.deleteBeforeReplace, false);
        const instance = p.named("archivematica-db-instance").props;
        assert.deepStrictEqual(
            [instance.engineVersion, instance.allowMajorVersionUpgrade, instance.parameterGroupName],
            ["8.0", true, "archivematica-db-params"],
        );
    });

    it("the final-snapshot suffix: 4 random bytes behind the identifier, only when a final snapshot is wanted", () => {
        assert.deepStrictEqual(prod.p.named("archivematica-db-final-snapshot-id").props, {
            byteLength: 4,
            prefix: "archivematica-db-production-final-",
        });
        assert.strictEqual(staging.p.ofType("random:index/randomId:RandomId").length, 0);
        assert.ok(!("finalSnapshotIdentifier" in staging.p.named("archivematica-db-instance").props));
    });

    it("subnet group, log groups and monitoring role", () => {
        assert.deepStrictEqual(staging.p.named("archivematica-db-subnets").props.subnetIds, SUBNETS);
        for (const [p, env, days] of [
            [staging.p, "staging", 30],
            [prod.p, "production", 365],
        ] as const) {
            for (const log of ["error", "slowquery"]) {
                const g = p.named(`archivematica-db-log-${log}`).props;
                assert.deepStrictEqual([g.name, g.retentionInDays], [`/aws/rds/instance/archivematica-db-${env}/${log}`, days]);
            }
        }
        const role = staging.p.named("archivematica-db-monitoring-role").props;
        assert.deepStrictEqual(JSON.parse(role.assumeRolePolicy), {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "monitoring.rds.amazonaws.com" }, Action: "sts:AssumeRole" }],
        });
        assert.deepStrictEqual(staging.p.named("archivematica-db-monitoring-policy").props, {
            role: "archivematica-db-monitoring-role",
            policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
        });
    });

    it("security group has no inline rules; 3306 only from the sources allowFrom names", () => {
        const sg = staging.p.named("archivematica-db-sg");
        assert.deepStrictEqual(sg.props, {
            vpcId: VPC,
            description: "Archivematica MySQL: 3306 only from the services granted access",
            revokeRulesOnDelete: true,
            tags: mergeTags(TAGS, "archivematica-db-sg"),
        });
        assert.deepStrictEqual(
            staging.p.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map((r) => r.props),
            [
                {
                    securityGroupId: sg.id,
                    referencedSecurityGroupId: SERVICE_SG,
                    ipProtocol: "tcp",
                    fromPort: 3306,
                    toPort: 3306,
                    description: "MySQL from storage-service",
                    tags: mergeTags(TAGS, "archivematica-db-from-storage-service"),
                },
            ],
        );
        assert.strictEqual(staging.p.ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").length, 0);
    });

    it("app password and SS_DB_URL live in their own secrets, wrapped as secrets on the wire", () => {
        for (const { p, args } of [staging, prod]) {
            assert.deepStrictEqual(p.named("archivematica-db-app-password").props, {
                length: 32,
                special: true,
                overrideSpecial: "_-.",
                minLower: 1,
                minUpper: 1,
                minNumeric: 1,
            });
            const pwVersion = p.named("archivematica-db-app-password-version");
            const urlVersion = p.named("archivematica-db-ss-db-url-version");
            assert.strictEqual(pwVersion.props.secretId, p.named("archivematica-db-app-password-secret").id);
            assert.strictEqual(urlVersion.props.secretId, p.named("archivematica-db-ss-db-url-secret").id);
            const password = pwVersion.props.secretString as string;
            assert.match(password, /^[A-Za-z0-9_.-]{32}$/);
            const address = (p.outputs as Record<string, unknown>).address;
            assert.strictEqual(urlVersion.props.secretString, `mysql://archivematica:${password}@${address}:3306/SS`);
            for (const v of [pwVersion, urlVersion]) {
                const wire = v.inputs.secretString as Record<string, unknown>;
                assert.strictEqual(wire[SIG_KEY], SECRET_SIG, `${v.name} secretString is not marked secret`);
            }
            assert.deepStrictEqual(p.named("archivematica-db-app-password-secret").props, {
                description: `Password of the MySQL user archivematica on ${args.identifier} (whole value)`,
                tags: mergeTags(args.tags, "archivematica-db-app-password-secret"),
            });
            assert.deepStrictEqual(p.named("archivematica-db-ss-db-url-secret").props, {
                description: `Storage Service SS_DB_URL for ${args.identifier} (whole value)`,
                tags: mergeTags(args.tags, "archivematica-db-ss-db-url-secret"),
            });
        }
    });

    it("no plaintext password in any recorded input, component output or stack output (wire form)", () => {
        for (const { p } of [staging, prod]) {
            const password = p.named("archivematica-db-app-password-version").props.secretString as string;
            assert.strictEqual(password.length, 32);
            // maskSecrets replaces what is wrapped as a secret; anything left is in plain text.
            const plain = (x: unknown) => JSON.stringify(maskSecrets(x)).includes(password);
            assert.ok(
                JSON.stringify(p.named("archivematica-db-app-password-version").inputs).includes(password),
                "the check itself must see the wrapped value",
            );
            for (const r of p.resources) {
                assert.ok(!plain(r.inputs), `${r.name} inputs hold the password in plain text`);
                assert.ok(!plain(r.outputs ?? {}), `${r.name} outputs hold the password in plain text`);
            }
            assert.ok(!plain(p.outputs), "stack outputs hold the password");
        }
    });

    it("outputs: address, port, the three secret ARNs, user and database names", () => {
        const o = staging.p.outputs as Record<string, unknown>;
        assert.deepStrictEqual(o, {
            address: "archivematica-db-staging.c9bc233c22ca.eu-west-2.rds.amazonaws.com",
            port: 3306,
            masterUserSecretArn: "arn:aws:secretsmanager:eu-west-2:123456789012:secret:rds!db-9bc233c2-9bc2-9bc2-9bc233c22ca2-9bc233",
            appPasswordSecretArn: "arn:aws:secretsmanager:eu-west-2:123456789012:secret:archivematica-db-app-password-secret-c7dbca",
            ssDbUrlSecretArn: "arn:aws:secretsmanager:eu-west-2:123456789012:secret:archivematica-db-ss-db-url-secret-2dc502",
            names: ["archivematica", "MCP", "SS"],
        });
        const component = staging.p.named("archivematica-db").outputs!;
        // AWS Backup selects the instance by ARN (components/operations/backup.ts).
        // The instance's own ARN (the offline mock builds it from the instance's logical name).
        assert.strictEqual(component.instanceArn, "arn:aws:rds:eu-west-2:123456789012:db:archivematica-db-instance");
        assert.deepStrictEqual(Object.keys(component).sort(), [
            "address",
            "appPasswordSecretArn",
            "appUsername",
            "identifier",
            "instanceArn",
            "masterUserSecretArn",
            "mcpDatabaseName",
            "port",
            "securityGroupId",
            "ssDatabaseName",
            "ssDbUrlSecretArn",
        ]);
    });

    it("tags every taggable resource with the required tags and its own Name", () => {
        for (const { p, args } of [staging, prod]) {
            for (const r of children(p)) {
                if (UNTAGGABLE.has(r.type)) continue;
                assert.deepStrictEqual(r.props.tags, mergeTags(args.tags, r.name), r.name);
            }
        }
    });
});
