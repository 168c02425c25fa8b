import * as assert from "assert";
import * as aws from "../../lib/aws";
import { Alarms } from "../../components/operations/alarms";
import { plan, testConfig } from "../harness";
import * as runningCountAlarm from "../../policy/rules/aws-ecs-service-require-running-count-alarm";
import { COMPONENTS, dependsOn, service, TAGS } from "./fixtures";
import { patch, ResourceSpec, runStack, UNKNOWN, unknownAdvisory, urnOf } from "./harness";

const SERVICE = "aws:ecs/service:Service";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const TOPIC = "arn:aws:sns:eu-west-2:123456789012:am-alarms";

/** The running-below-desired alarm the Alarms component registers for a service (name unknown in preview). */
function runningAlarm(component: string): ResourceSpec {
    const metric = (metricName: string) => ({
        namespace: "ECS/ContainerInsights",
        metricName,
        dimensions: { ClusterName: "am", ServiceName: UNKNOWN.string },
        period: 60,
        stat: "Average",
    });
    return {
        type: ALARM,
        name: `${component}-running`,
        props: {
            comparisonOperator: "GreaterThanThreshold",
            threshold: 0,
            evaluationPeriods: 15,
            metricQueries: [
                { id: "desired", metric: metric("DesiredTaskCount"), returnData: false },
                { id: "running", metric: metric("RunningTaskCount"), returnData: false },
                { id: "missing", expression: "desired - running", returnData: true },
            ],
            actionsEnabled: true,
            alarmActions: [TOPIC],
            okActions: [TOPIC],
            tags: TAGS,
        },
    };
}

/** Six services, each with its alarm depending on it through metricQueries. */
function stack(): ResourceSpec[] {
    return COMPONENTS.flatMap((c) => {
        const svc = service(c);
        return [svc, dependsOn(runningAlarm(c), "metricQueries", svc)];
    });
}

const MISSING =
    "ECS service has no CloudWatch alarm on its ECS/ContainerInsights RunningTaskCount; add one with an alarm action (components/operations/alarms.ts)";
const SILENT = "ECS service's RunningTaskCount alarm has no alarm action (or its actions are disabled); send it to the stack's alarm topic";

/** The stack with one alarm changed. */
function withAlarm(component: string, change: (a: ResourceSpec) => void): ResourceSpec[] {
    return stack().map((r) => (r.name === `${component}-running` ? patch(r, change) : r));
}

describe("aws-ecs-service-require-running-count-alarm", () => {
    const { policy } = runningCountAlarm;

    it("passes every service covered by a metric-math alarm on RunningTaskCount with an action", async () => {
        assert.deepStrictEqual(await runStack(policy, stack()), { messages: [], urns: [] });
    });
    it("passes an alarm on RunningTaskCount itself, referring to the service in its dimensions", async () => {
        const svc = service("gearmand");
        const alarm = {
            type: ALARM,
            name: "gearmand-running",
            props: {
                namespace: "ECS/ContainerInsights",
                metricName: "RunningTaskCount",
                dimensions: { ClusterName: "am", ServiceName: UNKNOWN.string },
                statistic: "Minimum",
                comparisonOperator: "LessThanThreshold",
                threshold: 1,
                evaluationPeriods: 5,
                alarmActions: [UNKNOWN.string],
            },
        };
        assert.deepStrictEqual(await runStack(policy, [svc, dependsOn(alarm, "dimensions", svc)]), { messages: [], urns: [] });
    });
    it("follows plain dependencies when the driver records no propertyDependencies", async () => {
        const resources = COMPONENTS.flatMap((c) => [service(c), { ...runningAlarm(c), dependencies: [urnOf(SERVICE, `${c}-service`)] }]);
        assert.deepStrictEqual(await runStack(policy, resources), { messages: [], urns: [] });
    });
    it("fails a service without an alarm, on that service", async () => {
        const out = await runStack(
            policy,
            stack().filter((r) => r.name !== "clamavd-running"),
        );
        assert.deepStrictEqual(out, { messages: [MISSING], urns: [urnOf(SERVICE, "clamavd-service")] });
    });
    it("fails an alarm that reads another metric", async () => {
        const out = await runStack(
            policy,
            withAlarm("mcp-server", (a) => {
                (a.props.metricQueries as { metric?: { metricName: string } }[])[1].metric!.metricName = "CPUUtilization";
            }),
        );
        assert.deepStrictEqual(out, { messages: [MISSING], urns: [urnOf(SERVICE, "mcp-server-service")] });
    });
    it("fails an alarm in another namespace", async () => {
        const out = await runStack(
            policy,
            withAlarm("mcp-server", (a) => {
                (a.props.metricQueries as { metric?: { namespace: string } }[])[1].metric!.namespace = "AWS/ECS";
            }),
        );
        assert.deepStrictEqual(out.messages, [MISSING]);
    });
    it("fails an alarm without alarm actions", async () => {
        const out = await runStack(
            policy,
            withAlarm("dashboard", (a) => delete a.props.alarmActions),
        );
        assert.deepStrictEqual(out, { messages: [SILENT], urns: [urnOf(SERVICE, "dashboard-service")] });
    });
    it("fails an alarm whose actions are disabled", async () => {
        const out = await runStack(
            policy,
            withAlarm("gearmand", (a) => (a.props.actionsEnabled = false)),
        );
        assert.deepStrictEqual(out, { messages: [SILENT], urns: [urnOf(SERVICE, "gearmand-service")] });
    });
    it("fails an alarm that refers to no service", async () => {
        const resources = stack().map((r) => (r.name === "storage-service-running" ? runningAlarm("storage-service") : r));
        const out = await runStack(policy, resources);
        assert.deepStrictEqual(out, { messages: [MISSING], urns: [urnOf(SERVICE, "storage-service-service")] });
    });
    it("defers an unknown list of alarm actions to the preview advisory", async () => {
        const out = await runStack(
            policy,
            withAlarm("dashboard", (a) => (a.props.alarmActions = UNKNOWN.array)),
        );
        assert.deepStrictEqual(out.messages, []);
        assert.strictEqual(out.unknown, unknownAdvisory(policy.name, "Array", "alarmActions"));
    });

    it("finds the Alarms component's alarms in a planned program through the recorded dependencies", async () => {
        const program = (withAlarms: boolean) => () => {
            const services = ["dashboard", "gearmand"].map((c) => new aws.ecs.Service(`am-${c}`, { cluster: "am", desiredCount: 1 }));
            if (!withAlarms) return;
            new Alarms("al", {
                tags: testConfig().tags,
                topicArn: TOPIC,
                cluster: { name: "am", arn: "arn:aws:ecs:eu-west-2:123456789012:cluster/am" },
                services: Object.fromEntries(
                    services.map((s, i) => [["dashboard", "gearmand"][i], { serviceName: s.name, serviceArn: s.id }]),
                ),
            });
        };
        const specs = async (withAlarms: boolean): Promise<ResourceSpec[]> =>
            (await plan(program(withAlarms))).resources.map((r) => ({
                type: r.type,
                name: r.name,
                urn: r.urn,
                props: r.props,
                dependencies: r.dependencies,
                propertyDependencies: r.propertyDependencies,
            }));
        const covered = await specs(true);
        assert.deepStrictEqual(await runStack(policy, covered), { messages: [], urns: [] });
        const bare = await specs(false);
        const out = await runStack(policy, bare);
        assert.deepStrictEqual(out.messages, [MISSING, MISSING]);
    });
});
