/**
 * The cluster wires issue 13's parts into both real stacks: every ECS service alarmed, init-container
 * failures reported per service, the database, file system and load balancer watched, the dashboard
 * named per environment, and AWS Backup covering EFS and RDS in place of EFS's automatic backups.
 */
import * as assert from "assert";
import { COMPONENTS } from "../components/app/catalogue";
import { ArchivematicaCluster } from "../components/archivematica-cluster";
import { RecordedResource, unwrapSecrets } from "../tools/mock-runtime";
import { PlanResult } from "../tools/plan";
import { plan, stackPlan, testConfig } from "./harness";

/** Init containers per component, as the catalogue runs them (components with none get no stopped-task rule). */
const INIT: Record<string, string[]> = {
    dashboard: ["create-databases", "migrate", "wait-for-storage-defaults", "install", "rotate-credentials", "configure-storage"],
    "storage-service": ["create-databases", "migrate", "create-user", "rotate-credentials"],
    "mcp-server": ["wait-for-mcp-database"],
    "mcp-client": ["wait-for-mcp-database"],
};

type Props = Record<string, any>;
const props = (r: RecordedResource): Props => unwrapSecrets(r.inputs) as Props;

function finder(resources: RecordedResource[]) {
    const named = (name: string) => {
        const found = resources.filter((r) => r.name === name);
        assert.strictEqual(found.length, 1, `one resource named ${name}, found ${found.length}`);
        return found[0];
    };
    const ofType = (type: string) => resources.filter((r) => r.type === type);
    return { named, ofType };
}

describe("operations wiring: both stacks", () => {
    const plans = new Map<string, PlanResult>();
    before(async function () {
        this.timeout(120000);
        for (const stack of ["staging", "prod"]) plans.set(stack, await stackPlan(stack));
    });
    const get = (stack: string) => finder(plans.get(stack)!.run.resources);

    for (const stack of ["staging", "prod"]) {
        it(`${stack}: every ECS service has a running-count alarm to the topic, with an OK action`, () => {
            const { named, ofType } = get(stack);
            const topic = named("archivematica-notifications-topic");
            assert.deepStrictEqual(
                ofType("aws:ecs/service:Service")
                    .map((s) => s.name)
                    .sort(),
                COMPONENTS.map((c) => `archivematica-${c}-service`).sort(),
            );
            for (const c of COMPONENTS) {
                const alarm = named(`archivematica-alarms-${c}-running`);
                assert.deepStrictEqual(
                    alarm.propertyDependencies.metricQueries?.includes(named(`archivematica-${c}-service`).urn),
                    true,
                    c,
                );
                assert.ok(alarm.propertyDependencies.alarmActions.includes(topic.urn), c);
                assert.ok(alarm.propertyDependencies.okActions.includes(topic.urn), c);
            }
        });

        it(`${stack}: a stopped-task rule per service with init containers, naming them`, () => {
            const { named, ofType } = get(stack);
            const rules = ofType("aws:cloudwatch/eventRule:EventRule").map((r) => r.name);
            assert.deepStrictEqual(
                rules.filter((n) => n.endsWith("-task-failed")).sort(),
                Object.keys(INIT)
                    .map((c) => `archivematica-alarms-${c}-task-failed`)
                    .sort(),
            );
            for (const [c, init] of Object.entries(INIT)) {
                const pattern = JSON.parse(props(named(`archivematica-alarms-${c}-task-failed`)).eventPattern);
                assert.deepStrictEqual(
                    [...pattern.detail.containers.name].sort(),
                    [...init].sort(),
                    `${c}: the rule matches its init containers`,
                );
            }
            assert.ok(rules.includes("archivematica-alarms-deployment-failed"));
        });

        it(`${stack}: database, file system and both target groups watched`, () => {
            const { named } = get(stack);
            const db = props(named("archivematica-alarms-db-connections"));
            assert.deepStrictEqual(db.dimensions, {
                DBInstanceIdentifier: `archivematica-db-${stack === "prod" ? "production" : "staging"}`,
            });
            assert.deepStrictEqual(Object.keys(props(named("archivematica-alarms-efs-storage")).dimensions), [
                "FileSystemId",
                "StorageClass",
            ]);
            for (const tg of ["dashboard", "storage-service"]) {
                const d = props(named(`archivematica-alarms-${tg}-unhealthy`)).dimensions;
                assert.match(d.TargetGroup, new RegExp(`^targetgroup/archivematica-ingress-${tg}-tg/`));
                assert.match(d.LoadBalancer, /^app\/archivematica-ingress-alb/);
            }
        });

        it(`${stack}: EFS automatic backups off; the AWS Backup selection covers the file system, the database, the AIP and DIP stores`, () => {
            const { named } = get(stack);
            assert.deepStrictEqual(props(named("archivematica-storage-backup")).backupPolicy, { status: "DISABLED" });
            const selection = named("archivematica-backup-selection");
            const covered = [
                "archivematica-storage-efs",
                "archivematica-db-instance",
                "archivematica-archive-aip-store",
                "archivematica-archive-dip-store",
            ];
            assert.deepStrictEqual([...selection.propertyDependencies.resources].sort(), covered.map((n) => named(n).urn).sort());
            assert.strictEqual(props(selection).resources.length, 4);
        });
    }

    it("staging: daily at 03:00 UTC, 7 days, no lock, e-mail subscription, thresholds of the small profile", () => {
        const { named, ofType } = get("staging");
        const rule = props(named("archivematica-backup-plan")).rules[0];
        assert.deepStrictEqual([rule.schedule, rule.lifecycle], ["cron(0 3 * * ? *)", { deleteAfter: 7 }]);
        assert.deepStrictEqual(ofType("aws:backup/vaultLockConfiguration:VaultLockConfiguration"), []);
        assert.strictEqual(named("archivematica-backup-vault").protect, false);
        const email = props(named("archivematica-notifications-email"));
        assert.deepStrictEqual([email.protocol, email.endpoint], ["email", "digital-preservation@example.org"]);
        assert.strictEqual(props(named("archivematica-alarms-dashboard-running")).evaluationPeriods, 15);
        assert.strictEqual(props(named("archivematica-operations-dashboard")).dashboardName, "archivematica-staging");
    });

    it("prod: 35 days in a vault locked for 35 days, protected; thresholds of the large profile", () => {
        const { named } = get("prod");
        assert.deepStrictEqual(props(named("archivematica-backup-plan")).rules[0].lifecycle, { deleteAfter: 35 });
        const lock = props(named("archivematica-backup-lock"));
        assert.deepStrictEqual([lock.minRetentionDays, lock.maxRetentionDays, lock.changeableForDays], [35, undefined, undefined]);
        assert.strictEqual(named("archivematica-backup-vault").protect, true);
        assert.strictEqual(props(named("archivematica-alarms-dashboard-running")).evaluationPeriods, 5);
        assert.strictEqual(props(named("archivematica-operations-dashboard")).dashboardName, "archivematica-production");
    });

    it("outputs: topic, dashboard URL, vault, role and retention", () => {
        const o = plans.get("staging")!.run.outputs as Record<string, unknown>;
        assert.strictEqual(o.alarmTopicArn, "arn:aws:sns:eu-west-2:123456789012:sns/archivematica-notifications-topic");
        assert.strictEqual(
            o.operationsDashboardUrl,
            "https://eu-west-2.console.aws.amazon.com/cloudwatch/home?region=eu-west-2#dashboards/dashboard/archivematica-staging",
        );
        assert.strictEqual(o.backupVaultName, "archivematica-backup-vault");
        assert.strictEqual(o.backupRoleArn, "arn:aws:iam::123456789012:role/archivematica-backup-role");
        assert.strictEqual(o.backupRetentionDays, 7);
    });
});

describe("operations wiring: an empty alarmEmail", () => {
    it("creates the topic without a subscription", async function () {
        this.timeout(60000);
        const p = await plan(() => {
            new ArchivematicaCluster("archivematica", { config: testConfig() });
        });
        assert.strictEqual(p.ofType("aws:sns/topic:Topic").length, 1);
        assert.deepStrictEqual(p.ofType("aws:sns/topicSubscription:TopicSubscription"), []);
    });
});
