/**
 * Every ECS service is watched: some CloudWatch alarm reads the service's Container Insights
 * RunningTaskCount (directly, or inside a metric-math query) and has an alarm action, so a service that
 * cannot keep its tasks running tells somebody. A stack rule: the alarm is found through the engine's
 * dependency data (its `metricQueries` or `dimensions` refer to the service), since the service's name
 * is unknown during a preview of a new stack.
 */
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { ControlId } from "../lib/controls";
import { ofTypes, referencedBy } from "../lib/links";
import { asArray, asRecord, bool } from "../lib/values";

const SERVICE = new Set(["aws:ecs/service:Service"]);
const ALARM = new Set(["aws:cloudwatch/metricAlarm:MetricAlarm"]);

/** The namespace and metric that count a service's running tasks. */
export const RUNNING_METRIC = { namespace: "ECS/ContainerInsights", metricName: "RunningTaskCount" } as const;

/** True when the alarm reads RunningTaskCount, as its own metric or in one of its metric queries. */
function readsRunningCount(alarm: PolicyResource): boolean {
    const props = alarm.props;
    const own = props.namespace === RUNNING_METRIC.namespace && props.metricName === RUNNING_METRIC.metricName;
    return (
        own ||
        asArray(props.metricQueries).some((q) => {
            const metric = asRecord(asRecord(q).metric);
            return metric.namespace === RUNNING_METRIC.namespace && metric.metricName === RUNNING_METRIC.metricName;
        })
    );
}

/** True when the alarm notifies: actions enabled (the default) and at least one alarm action. */
function notifies(alarm: PolicyResource): boolean {
    return bool(alarm.props.actionsEnabled, "actionsEnabled") !== false && asArray(alarm.props.alarmActions).length > 0;
}

/** See the module comment. */
export const policy: StackValidationPolicy = {
    name: "aws-ecs-service-require-running-count-alarm",
    description:
        "Every ECS service is covered by a CloudWatch alarm on its ECS/ContainerInsights RunningTaskCount that has an alarm action.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const covered = new Set<PolicyResource>();
        const silent = new Set<PolicyResource>();
        for (const alarm of ofTypes(args.resources, ALARM)) {
            if (!readsRunningCount(alarm)) continue;
            const services = [...referencedBy(alarm, "metricQueries", SERVICE), ...referencedBy(alarm, "dimensions", SERVICE)];
            for (const service of services) (notifies(alarm) ? covered : silent).add(service);
        }
        for (const service of ofTypes(args.resources, SERVICE)) {
            if (covered.has(service)) continue;
            reportViolation(
                silent.has(service)
                    ? "ECS service's RunningTaskCount alarm has no alarm action (or its actions are disabled); send it to the stack's alarm topic"
                    : `ECS service has no CloudWatch alarm on its ${RUNNING_METRIC.namespace} ${RUNNING_METRIC.metricName}; add one with an alarm action (components/operations/alarms.ts)`,
                service.urn,
            );
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["AM.8"];
