import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import {
    Alarms,
    AlarmsArgs,
    DEPLOYMENT_FAILURE_TEMPLATE,
    instanceClassMemoryGiB,
    mysqlMaxConnections,
    resolveThresholds,
    THRESHOLDS,
} from "../components/operations/alarms";
import { plan, testConfig } from "./harness";

const tags = testConfig().tags;
const TOPIC = "arn:aws:sns:eu-west-2:123456789012:am-alarms";
const CLUSTER_ARN = "arn:aws:ecs:eu-west-2:123456789012:cluster/am";
const TAGGABLE = new Set<string>(JSON.parse(fs.readFileSync(path.join(__dirname, "../policy/data/taggable-types.json"), "utf8")).types);
const svcArn = (s: string) => `arn:aws:ecs:eu-west-2:123456789012:service/am/am-${s}`;

function args(overrides: Partial<AlarmsArgs> = {}): AlarmsArgs {
    return {
        tags,
        topicArn: TOPIC,
        cluster: { name: "am", arn: CLUSTER_ARN },
        services: {
            dashboard: {
                serviceName: "am-dashboard",
                serviceArn: svcArn("dashboard"),
                initContainers: ["create-databases", "migrate", "install"],
            },
            gearmand: { serviceName: pulumi.output("am-gearmand"), serviceArn: svcArn("gearmand") },
        },
        database: { identifier: "am-db-staging", instanceClass: "db.t4g.small" },
        fileSystemId: "fs-0123456789abcdef0",
        loadBalancer: {
            arnSuffix: "app/am-alb/0123456789abcdef",
            targetGroups: { dashboard: "targetgroup/am-dash/0123", "storage-service": "targetgroup/am-ss/4567" },
        },
        ...overrides,
    };
}

const ACTIONS = { actionsEnabled: true, alarmActions: [TOPIC], okActions: [TOPIC] };

describe("Alarms", () => {
    it("each service: tasks below desired for N minutes, as metric math on Container Insights", async () => {
        const p = await plan(() => new Alarms("al", args()));
        const dims = { ClusterName: "am", ServiceName: "am-dashboard" };
        assert.deepStrictEqual(p.named("al-dashboard-running").props, {
            ...ACTIONS,
            alarmDescription: "Archivematica dashboard: fewer tasks running than desired for 15 minutes",
            comparisonOperator: "GreaterThanThreshold",
            threshold: 0,
            evaluationPeriods: 15,
            datapointsToAlarm: 15,
            metricQueries: [
                {
                    id: "desired",
                    metric: {
                        namespace: "ECS/ContainerInsights",
                        metricName: "DesiredTaskCount",
                        dimensions: dims,
                        period: 60,
                        stat: "Average",
                    },
                    returnData: false,
                },
                {
                    id: "running",
                    metric: {
                        namespace: "ECS/ContainerInsights",
                        metricName: "RunningTaskCount",
                        dimensions: dims,
                        period: 60,
                        stat: "Average",
                    },
                    returnData: false,
                },
                { id: "missing", expression: "desired - running", label: "Tasks below desired", returnData: true },
            ],
            treatMissingData: "breaching",
            tags: { ...tags, Name: "al-dashboard-running" },
        });
        assert.strictEqual(p.named("al-gearmand-running").props.metricQueries[1].metric.dimensions.ServiceName, "am-gearmand");
    });

    it("a deployment-failure rule over all services, with a readable message naming the service", async () => {
        const p = await plan(() => new Alarms("al", args()));
        const rule = p.named("al-deployment-failed");
        assert.deepStrictEqual(JSON.parse(rule.props.eventPattern), {
            source: ["aws.ecs"],
            "detail-type": ["ECS Deployment State Change"],
            resources: [svcArn("dashboard"), svcArn("gearmand")],
            detail: { eventName: ["SERVICE_DEPLOYMENT_FAILED"] },
        });
        assert.strictEqual(rule.props.description, "Archivematica: an ECS service deployment failed (circuit breaker)");
        assert.deepStrictEqual(rule.props.tags, { ...tags, Name: "al-deployment-failed" });
        assert.deepStrictEqual(p.named("al-deployment-failed-to-topic").props, {
            rule: "al-deployment-failed",
            arn: TOPIC,
            inputTransformer: {
                inputPaths: { deployment: "$.detail.deploymentId", reason: "$.detail.reason", service: "$.resources[0]" },
                inputTemplate:
                    '"Archivematica: ECS deployment <deployment> of service <service> failed: <reason>. The circuit breaker rolls back to the last working task definition, if there is one. The init containers\' log streams say why the tasks did not become healthy."',
            },
        });
        assert.strictEqual(p.named("al-deployment-failed-to-topic").props.inputTransformer.inputTemplate, DEPLOYMENT_FAILURE_TEMPLATE);
    });

    it("a stopped-task rule only for services with init containers, naming the component and its init containers", async () => {
        const p = await plan(() => new Alarms("al", args()));
        assert.deepStrictEqual(
            p.ofType("aws:cloudwatch/eventRule:EventRule").map((r) => r.name),
            ["al-deployment-failed", "al-dashboard-task-failed"],
        );
        assert.deepStrictEqual(JSON.parse(p.named("al-dashboard-task-failed").props.eventPattern), {
            source: ["aws.ecs"],
            "detail-type": ["ECS Task State Change"],
            detail: {
                clusterArn: [CLUSTER_ARN],
                group: ["service:am-dashboard"],
                lastStatus: ["STOPPED"],
                stopCode: ["TaskFailedToStart", "EssentialContainerExited"],
                containers: { name: ["create-databases", "migrate", "install"], exitCode: [{ "anything-but": 0 }] },
            },
        });
        assert.deepStrictEqual(p.named("al-dashboard-task-failed-to-topic").props, {
            rule: "al-dashboard-task-failed",
            arn: TOPIC,
            inputTransformer: {
                inputPaths: {
                    cluster: "$.detail.clusterArn",
                    group: "$.detail.group",
                    reason: "$.detail.stoppedReason",
                    stopCode: "$.detail.stopCode",
                    task: "$.detail.taskArn",
                },
                inputTemplate:
                    "\"Archivematica dashboard: a task of ECS service <group> stopped (<stopCode>: <reason>) with a container that exited non-zero. Its init containers are create-databases, migrate, install. Exit code per container: aws ecs describe-tasks --cluster <cluster> --tasks <task> --query 'tasks[0].containers[].[name,exitCode,reason]'\"",
            },
        });
    });

    it("RDS: CPU, free storage, free memory, and connections against the class's max_connections", async () => {
        const p = await plan(() => new Alarms("al", args()));
        const rds = {
            namespace: "AWS/RDS",
            dimensions: { DBInstanceIdentifier: "am-db-staging" },
            period: 300,
            treatMissingData: "missing",
            ...ACTIONS,
        };
        assert.deepStrictEqual(p.named("al-db-cpu").props, {
            ...rds,
            alarmDescription: "Archivematica database: CPU above 90% for 15 minutes",
            metricName: "CPUUtilization",
            statistic: "Average",
            comparisonOperator: "GreaterThanThreshold",
            threshold: 90,
            evaluationPeriods: 3,
            tags: { ...tags, Name: "al-db-cpu" },
        });
        assert.deepStrictEqual(p.named("al-db-free-storage").props, {
            ...rds,
            alarmDescription: "Archivematica database: less than 2 GiB of storage free",
            metricName: "FreeStorageSpace",
            statistic: "Minimum",
            comparisonOperator: "LessThanThreshold",
            threshold: 2147483648,
            evaluationPeriods: 1,
            tags: { ...tags, Name: "al-db-free-storage" },
        });
        assert.deepStrictEqual(p.named("al-db-free-memory").props, {
            ...rds,
            alarmDescription: "Archivematica database: less than 128 MiB of memory free for 15 minutes",
            metricName: "FreeableMemory",
            statistic: "Average",
            comparisonOperator: "LessThanThreshold",
            threshold: 134217728,
            evaluationPeriods: 3,
            tags: { ...tags, Name: "al-db-free-memory" },
        });
        // db.t4g.small: 2 GiB = 2147483648 / 12582880 = 170.67 → 170; 80 % → 136.
        assert.deepStrictEqual(p.named("al-db-connections").props, {
            ...rds,
            alarmDescription: "Archivematica database: more than 136 connections (80% of 170, the default max_connections of db.t4g.small)",
            metricName: "DatabaseConnections",
            statistic: "Maximum",
            comparisonOperator: "GreaterThanThreshold",
            threshold: 136,
            evaluationPeriods: 2,
            tags: { ...tags, Name: "al-db-connections" },
        });
    });

    it("max_connections per class: {DBInstanceClassMemory/12582880} on the nominal memory, capped at 100000", () => {
        const table: [string, number, number][] = [
            ["db.t4g.micro", 1, 85], // 1073741824 / 12582880 = 85.33
            ["db.t3.small", 2, 170],
            ["db.t4g.medium", 4, 341], // 4294967296 / 12582880 = 341.33
            ["db.t4g.2xlarge", 32, 2730], // 34359738368 / 12582880 = 2730.66
            ["db.m7g.large", 8, 682], // 8589934592 / 12582880 = 682.66
            ["db.m6i.32xlarge", 512, 43690], // 549755813888 / 12582880 = 43690.6
            ["db.r7g.large", 16, 1365], // 17179869184 / 12582880 = 1365.33
            ["db.r6g.16xlarge", 512, 43690],
            ["db.r7i.48xlarge", 1536, 100000], // 131071.9 → MySQL's maximum
        ];
        for (const [cls, gib, max] of table) {
            assert.strictEqual(instanceClassMemoryGiB(cls), gib, cls);
            assert.strictEqual(mysqlMaxConnections(cls), max, cls);
        }
        assert.throws(() => mysqlMaxConnections("db.t2.small"), {
            message: 'instanceClass "db.t2.small" is not an RDS for MySQL class; valid: db.<family>.<size> such as db.t4g.small',
        });
    });

    it("EFS: stored bytes and throughput utilisation (metered bytes per second over the permitted throughput)", async () => {
        const p = await plan(() => new Alarms("al", args()));
        assert.deepStrictEqual(p.named("al-efs-storage").props, {
            ...ACTIONS,
            alarmDescription: "Archivematica shared storage: more than 200 GiB stored (transfers piling up?)",
            namespace: "AWS/EFS",
            metricName: "StorageBytes",
            dimensions: { FileSystemId: "fs-0123456789abcdef0", StorageClass: "Total" },
            period: 900,
            statistic: "Maximum",
            comparisonOperator: "GreaterThanThreshold",
            threshold: 214748364800,
            evaluationPeriods: 1,
            treatMissingData: "missing",
            tags: { ...tags, Name: "al-efs-storage" },
        });
        const efs = (id: string, metricName: string, stat: string) => ({
            id,
            metric: { namespace: "AWS/EFS", metricName, dimensions: { FileSystemId: "fs-0123456789abcdef0" }, period: 300, stat },
            returnData: false,
        });
        assert.deepStrictEqual(p.named("al-efs-throughput").props, {
            ...ACTIONS,
            alarmDescription: "Archivematica shared storage: throughput above 90% of the permitted throughput for 15 minutes",
            comparisonOperator: "GreaterThanThreshold",
            threshold: 90,
            evaluationPeriods: 3,
            metricQueries: [
                efs("metered", "MeteredIOBytes", "Sum"),
                efs("permitted", "PermittedThroughput", "Average"),
                {
                    id: "utilisation",
                    expression: "(metered / PERIOD(metered)) / permitted * 100",
                    label: "Throughput utilisation (%)",
                    returnData: true,
                },
            ],
            treatMissingData: "missing",
            tags: { ...tags, Name: "al-efs-throughput" },
        });
    });

    it("ALB: ELB and target 5xx, p95 response time, unhealthy targets per target group", async () => {
        const p = await plan(() => new Alarms("al", args()));
        const alb = {
            namespace: "AWS/ApplicationELB",
            dimensions: { LoadBalancer: "app/am-alb/0123456789abcdef" },
            period: 300,
            ...ACTIONS,
        };
        assert.deepStrictEqual(p.named("al-alb-elb-5xx").props, {
            ...alb,
            alarmDescription: "Archivematica: more than 20 5xx responses from the load balancer in 5 minutes",
            metricName: "HTTPCode_ELB_5XX_Count",
            statistic: "Sum",
            comparisonOperator: "GreaterThanThreshold",
            threshold: 20,
            evaluationPeriods: 1,
            treatMissingData: "notBreaching",
            tags: { ...tags, Name: "al-alb-elb-5xx" },
        });
        assert.deepStrictEqual(p.named("al-alb-target-5xx").props, {
            ...alb,
            alarmDescription: "Archivematica: more than 20 5xx responses from the dashboard and Storage Service in 5 minutes",
            metricName: "HTTPCode_Target_5XX_Count",
            statistic: "Sum",
            comparisonOperator: "GreaterThanThreshold",
            threshold: 20,
            evaluationPeriods: 1,
            treatMissingData: "notBreaching",
            tags: { ...tags, Name: "al-alb-target-5xx" },
        });
        assert.deepStrictEqual(p.named("al-alb-response-time").props, {
            ...alb,
            alarmDescription: "Archivematica: p95 response time above 10 s for 15 minutes",
            metricName: "TargetResponseTime",
            extendedStatistic: "p95",
            comparisonOperator: "GreaterThanThreshold",
            threshold: 10,
            evaluationPeriods: 3,
            treatMissingData: "notBreaching",
            tags: { ...tags, Name: "al-alb-response-time" },
        });
        assert.deepStrictEqual(p.named("al-storage-service-unhealthy").props, {
            ...ACTIONS,
            alarmDescription: "Archivematica storage-service: an unhealthy target for 15 minutes",
            namespace: "AWS/ApplicationELB",
            metricName: "UnHealthyHostCount",
            dimensions: { TargetGroup: "targetgroup/am-ss/4567", LoadBalancer: "app/am-alb/0123456789abcdef" },
            period: 60,
            statistic: "Maximum",
            comparisonOperator: "GreaterThanThreshold",
            threshold: 0,
            evaluationPeriods: 15,
            datapointsToAlarm: 15,
            treatMissingData: "missing",
            tags: { ...tags, Name: "al-storage-service-unhealthy" },
        });
        assert.strictEqual(p.named("al-dashboard-unhealthy").props.dimensions.TargetGroup, "targetgroup/am-dash/0123");
    });

    it("the smoke transfer: a rule on its task stopping badly, and an alarm on the rule's matches", async () => {
        const p = await plan(
            () => new Alarms("al", args({ smokeTest: { taskDefinitionFamily: "am-staging-smoke-test", clusterArn: CLUSTER_ARN } })),
        );
        assert.deepStrictEqual(JSON.parse(p.named("al-smoke-failed").props.eventPattern), {
            source: ["aws.ecs"],
            "detail-type": ["ECS Task State Change"],
            detail: {
                clusterArn: [CLUSTER_ARN],
                group: ["family:am-staging-smoke-test"],
                lastStatus: ["STOPPED"],
                $or: [{ containers: { exitCode: [{ "anything-but": 0 }] } }, { stopCode: ["TaskFailedToStart"] }],
            },
        });
        assert.strictEqual(
            p.named("al-smoke-failed-to-topic").props.inputTransformer.inputTemplate,
            "\"Archivematica smoke transfer (am-staging-smoke-test) failed: task <task> stopped (<stopCode>: <reason>). Its log holds the one-line result; exit codes: aws ecs describe-tasks --cluster <cluster> --tasks <task> --query 'tasks[0].containers[].[name,exitCode,reason]'\"",
        );
        assert.deepStrictEqual(p.named("al-smoke-failed-alarm").props, {
            ...ACTIONS,
            alarmDescription: "Archivematica: the smoke transfer (am-staging-smoke-test) failed within the last hour",
            namespace: "AWS/Events",
            metricName: "TriggeredRules",
            dimensions: { RuleName: "al-smoke-failed" },
            period: 3600,
            statistic: "Sum",
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            threshold: 1,
            evaluationPeriods: 1,
            treatMissingData: "notBreaching",
            tags: { ...tags, Name: "al-smoke-failed-alarm" },
        });
    });

    it("the large profile's thresholds, and single overrides on top", async () => {
        const p = await plan(() => new Alarms("al", args({ sizeProfile: "large", thresholds: { dbCpuPercent: 70 } })));
        assert.strictEqual(p.named("al-db-cpu").props.threshold, 70);
        assert.strictEqual(p.named("al-db-free-storage").props.threshold, 10 * 1024 ** 3);
        assert.strictEqual(p.named("al-dashboard-running").props.evaluationPeriods, 5);
        assert.deepStrictEqual(resolveThresholds("x", "large"), THRESHOLDS.large);
    });

    it("without database, file system, load balancer or smoke test: only the service alarms and rules", async () => {
        const p = await plan(() => {
            new Alarms("al", args({ database: undefined, fileSystemId: undefined, loadBalancer: undefined }));
        });
        assert.deepStrictEqual(
            p.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").map((r) => r.name),
            ["al-dashboard-running", "al-gearmand-running"],
        );
    });

    it("every child is named al-…, parented to the component, tagged when taggable; alarmArns lists every alarm", async () => {
        let alarms: Alarms | undefined;
        const p = await plan(() => {
            alarms = new Alarms("al", args({ smokeTest: { taskDefinitionFamily: "smoke", clusterArn: CLUSTER_ARN } }));
        });
        const component = p.named("al");
        const children = p.resources.filter((r) => r !== component && r.type.startsWith("aws:"));
        assert.strictEqual(children.length, 2 + 4 + 2 + 3 + 2 + 1 + 3 * 2);
        for (const r of children) {
            assert.ok(r.name.startsWith("al-"), r.name);
            assert.strictEqual(r.parent, component.urn, r.name);
            if (TAGGABLE.has(r.type)) assert.deepStrictEqual(r.props.tags, { ...tags, Name: r.name }, r.name);
        }
        assert.strictEqual(alarms!.alarmArns.length, p.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").length);
        assert.strictEqual(alarms!.maxConnections, 170);
    });

    describe("refuses bad arguments in one line", () => {
        const cases: [string, Partial<AlarmsArgs>, string][] = [
            [
                "an unknown size profile",
                { sizeProfile: "medium" as never },
                'Alarms "al": sizeProfile "medium" is not a size profile; valid: small, large',
            ],
            [
                "a threshold out of range",
                { thresholds: { dbCpuPercent: 150 } },
                'Alarms "al": thresholds.dbCpuPercent 150 is out of range; valid: a number from 1 to 100',
            ],
            [
                "a fractional minute count",
                { thresholds: { runningBelowDesiredMinutes: 2.5 } },
                'Alarms "al": thresholds.runningBelowDesiredMinutes 2.5 is out of range; valid: an integer from 1 to 1440',
            ],
            [
                "an unknown threshold",
                { thresholds: { diskPercent: 5 } as never },
                'Alarms "al": thresholds.diskPercent is not a threshold; valid: runningBelowDesiredMinutes, ',
            ],
            ["no services", { services: {} }, 'Alarms "al": services is empty; valid: at least one ECS service by component name'],
            [
                "a bad init container name",
                { services: { dashboard: { serviceName: "d", serviceArn: "a", initContainers: ["mig rate"] } } },
                'Alarms "al": services.dashboard.initContainers "mig rate" is not a container name; valid: 1-255 letters, digits, - or _',
            ],
            [
                "an instance class RDS MySQL does not offer",
                { database: { identifier: "db", instanceClass: "db.t2.small" } },
                'Alarms "al": database.instanceClass "db.t2.small" is not an RDS for MySQL class; valid: db.<family>.<size> such as db.t4g.small',
            ],
            [
                "a bad smoke-test family",
                { smokeTest: { taskDefinitionFamily: "smoke:1", clusterArn: CLUSTER_ARN } },
                'Alarms "al": smokeTest.taskDefinitionFamily "smoke:1" is not a task-definition family; valid: 1-255 letters, digits, - or _',
            ],
        ];
        for (const [what, overrides, message] of cases) {
            it(what, async () => {
                await assert.rejects(
                    plan(() => new Alarms("al", args(overrides))),
                    (e: Error) => {
                        assert.ok(e.message.includes(message), e.message);
                        return true;
                    },
                );
                assert.throws(
                    () => new Alarms("al", args(overrides)),
                    (e: Error) => e.message.startsWith(message) && !e.message.includes("\n"),
                );
            });
        }
    });
});
