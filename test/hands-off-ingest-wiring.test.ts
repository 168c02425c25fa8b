/**
 * Hands-off ingest and fixity in both real stacks: the parts exist, every new alarm sends to the
 * topic and shows on the operations dashboard with the ingest and fixity rows, the dashboard's
 * bootstrap makes a transfer source per accepted configuration, the fixity task reads exactly its one
 * secret and writes only its reports, and production protects the ingest table.
 */
import * as assert from "assert";
import { FIXITY_SCRIPT } from "../components/app/fixity";
import { RecordedResource, unwrapSecrets } from "../tools/mock-runtime";
import { PlanResult } from "../tools/plan";
import { stackPlan } from "./harness";

type Props = Record<string, any>;
const props = (r: RecordedResource): Props => unwrapSecrets(r.inputs) as Props;

const INGEST_ALARMS = [
    "transfer-failed",
    "start-unknown",
    "transfer-unfinished",
    "monitor-silent",
    "monitor-errors",
    "dead-letters",
    "starter-function-errors",
    "monitor-function-errors",
    "fixity-failed-alarm",
    "fixity-failing",
    "fixity-overdue",
];

describe("hands-off ingest wiring: both stacks", () => {
    const plans = new Map<string, PlanResult>();
    before(async function () {
        this.timeout(180000);
        for (const stack of ["staging", "prod"]) plans.set(stack, await stackPlan(stack));
    });
    const find = (stack: string) => {
        const resources = plans.get(stack)!.run.resources;
        const named = (name: string) => {
            const found = resources.filter((r) => r.name === name);
            assert.strictEqual(found.length, 1, `one resource named ${name}, found ${found.length}`);
            return found[0];
        };
        return { named, ofType: (type: string) => resources.filter((r) => r.type === type) };
    };

    for (const stack of ["staging", "prod"]) {
        const env = stack === "prod" ? "production" : "staging";

        it(`${stack}: every ingest and fixity alarm sends to the topic (alarm and OK) and shows on the dashboard, after the ingest and fixity rows`, () => {
            const { named } = find(stack);
            const topic = named("archivematica-notifications-topic");
            for (const suffix of INGEST_ALARMS) {
                const alarm = named(`archivematica-ingest-alarms-${suffix}`);
                assert.ok(alarm.propertyDependencies.alarmActions.includes(topic.urn), suffix);
                assert.ok(alarm.propertyDependencies.okActions.includes(topic.urn), suffix);
            }
            const body = JSON.parse(props(named("archivematica-operations-dashboard")).dashboardBody);
            const alarms: string[] = body.widgets.find((w: Props) => w.type === "alarm").properties.alarms;
            for (const suffix of INGEST_ALARMS)
                assert.ok(
                    alarms.some((arn) => arn.endsWith(`/archivematica-ingest-alarms-${suffix}`)),
                    suffix,
                );
            const headings = body.widgets.filter((w: Props) => w.type === "text").map((w: Props) => w.properties.markdown);
            assert.deepStrictEqual(headings.slice(-2), ["## Hands-off ingest", "## Fixity"]);
            const transfers = body.widgets.find((w: Props) => w.properties.title === "Ingest: transfers");
            assert.deepStrictEqual(transfers.properties.metrics[0], [
                "Archivematica/Ingest",
                "TransfersStarted",
                "Environment",
                env,
                { label: "started" },
            ]);
        });

        it(`${stack}: the fixity run's failure is caught from ECS's task events of its family, to the topic`, () => {
            const { named } = find(stack);
            const pattern = JSON.parse(props(named("archivematica-ingest-alarms-fixity-failed")).eventPattern);
            assert.deepStrictEqual(pattern.detail.group, [`family:archivematica-${env}-fixity`]);
            assert.deepStrictEqual(pattern.detail.lastStatus, ["STOPPED"]);
        });

        it(`${stack}: the dashboard's bootstrap makes a transfer source for each accepted configuration`, () => {
            const { named } = find(stack);
            const defs = JSON.parse(props(named("archivematica-dashboard-task-definition")).containerDefinitions);
            const configure = defs.find((d: Props) => d.name === "configure-storage");
            assert.deepStrictEqual(
                configure.environment.find((e: Props) => e.name === "BOOTSTRAP_INGEST_CONFIGS"),
                { name: "BOOTSTRAP_INGEST_CONFIGS", value: "automated,default" },
            );
        });

        it(`${stack}: the fixity task runs the script with its settings, reads exactly its one secret, writes only its reports`, () => {
            const { named } = find(stack);
            const [def] = JSON.parse(props(named("archivematica-fixity-task-definition")).containerDefinitions);
            assert.deepStrictEqual(def.command, [FIXITY_SCRIPT]);
            assert.deepStrictEqual(
                def.environment.map((e: Props) => e.name),
                [
                    "FIXITY_AIP_BUCKET",
                    "FIXITY_ENVIRONMENT",
                    "FIXITY_MAX_RUN_MINUTES",
                    "FIXITY_RUN_INTERVAL_HOURS",
                    "FIXITY_SS_URL",
                    "FIXITY_USERNAME",
                    "FIXITY_WINDOW_DAYS",
                ],
            );
            const value = (n: string) => def.environment.find((e: Props) => e.name === n).value;
            assert.deepStrictEqual(
                [value("FIXITY_WINDOW_DAYS"), value("FIXITY_RUN_INTERVAL_HOURS"), value("FIXITY_MAX_RUN_MINUTES")],
                ["90", "24", "360"],
            );
            assert.deepStrictEqual(
                def.secrets.map((s: Props) => s.name),
                ["FIXITY_SS_API_KEY"],
            );
            const execution = JSON.parse(props(named("archivematica-fixity-execution-policy")).policy);
            assert.deepStrictEqual(execution.Statement.find((s: Props) => s.Sid === "ReadOwnSecrets").Resource, [def.secrets[0].valueFrom]);
            const task = JSON.parse(props(named("archivematica-fixity-task-policy")).policy);
            assert.deepStrictEqual(
                task.Statement.map((s: Props) => [s.Sid, s.Action]),
                [
                    ["ReportsAndState", ["s3:GetObject", "s3:PutObject"]],
                    ["ListAipBucket", ["s3:ListBucket"]],
                    ["PublishOwnMetrics", ["cloudwatch:PutMetricData"]],
                ],
            );
            assert.match(task.Statement[0].Resource, /^arn:aws:s3:::[a-z0-9.-]+\/reports\/fixity\/\*$/);
            assert.strictEqual(props(named("archivematica-fixity-schedule")).scheduleExpression, "rate(1 day)");
            assert.ok(Buffer.byteLength(props(named("archivematica-fixity-task-definition")).containerDefinitions) < 32 * 1024);
        });

        it(`${stack}: the smoke test polls past the monitor's latest "never started" for its package, read from the planned functions`, () => {
            const { named } = find(stack);
            const starter = props(named("archivematica-ingest-starter-function"));
            const monitor = props(named("archivematica-ingest-monitor-function"));
            const rate = /^rate\((\d+) minutes?\)$/.exec(props(named("archivematica-ingest-monitor-schedule")).scheduleExpression)!;
            const env = monitor.environment.variables;
            // The smoke zip is under 1 GiB: one GiB's grace. Upload → starter (60 s delivery + its timeout) → grace → next run → its end.
            const bound =
                60 +
                starter.timeout +
                (Number(env.START_GRACE_MINUTES) + Number(env.START_GRACE_PER_GIB_MINUTES)) * 60 +
                Number(rate[1]) * 60 +
                monitor.timeout;
            assert.deepStrictEqual(
                [starter.timeout, monitor.timeout, env.START_GRACE_MINUTES, rate[1], bound],
                [900, 300, "30", "5", 3420],
            );
            const [def] = JSON.parse(props(named("archivematica-smoke-test-task-definition")).containerDefinitions);
            const value = (n: string) => Number(def.environment.find((e: Props) => e.name === n).value);
            assert.deepStrictEqual([value("SMOKE_POLL_ATTEMPTS"), value("SMOKE_POLL_SECONDS")], [344, 10]);
            // The first poll does not wait: the last comes (attempts − 1) × seconds after it, past the bound.
            assert.ok((value("SMOKE_POLL_ATTEMPTS") - 1) * value("SMOKE_POLL_SECONDS") > bound);
        });

        it(`${stack}: the ingest table is ${stack === "prod" ? "" : "not "}protected from deletion`, () => {
            const table = find(stack).named("archivematica-ingest-table");
            assert.strictEqual(props(table).deletionProtectionEnabled, stack === "prod");
            assert.strictEqual(table.protect, stack === "prod");
        });
    }
});
