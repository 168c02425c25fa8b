/**
 * The two children every alarm component of operations/ makes, written once: a CloudWatch alarm with
 * alarm and OK actions to the stack's topic, and an EventBridge rule whose target is the topic with a
 * readable message. Each is named `${baseName}-${suffix}`, parented to the component and tagged.
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { mergeTags, Tags } from "../../lib/tags";

/** An alarm's own inputs: the actions, the tags and `actionsEnabled` are the scope's. */
export type MetricAlarmInputs = Omit<aws.cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions" | "tags" | "actionsEnabled">;

/** Where an alarm component's alarms and rules go, and whom they tell. */
export interface TopicScope {
    /** The component's name: its children are `${baseName}-${suffix}`. */
    baseName: string;
    parent: pulumi.Resource;
    /** Required tags, set on every alarm and rule. */
    tags: Tags;
    /** The topic every alarm and rule sends to. */
    topicArn: pulumi.Input<string>;
    /** The component's list of alarm ARNs: each alarm made here is added to it. */
    alarmArns: pulumi.Output<string>[];
}

/** What a rule matches and the message it sends. */
export interface TopicRuleArgs {
    description: string;
    eventPattern: pulumi.Input<string>;
    /** EventBridge input paths, by the placeholder the template names. */
    inputPaths: Record<string, string>;
    /** The message: a JSON string with `<placeholders>`. */
    inputTemplate: string;
}

/** One alarm, tagged, with alarm and OK actions to the topic; its ARN joins `scope.alarmArns`. */
export function topicAlarm(scope: TopicScope, suffix: string, inputs: MetricAlarmInputs): aws.cloudwatch.MetricAlarm {
    const n = `${scope.baseName}-${suffix}`;
    const alarm = new aws.cloudwatch.MetricAlarm(
        n,
        {
            ...inputs,
            actionsEnabled: true,
            alarmActions: [scope.topicArn],
            okActions: [scope.topicArn],
            tags: mergeTags(scope.tags, n),
        },
        { parent: scope.parent },
    );
    scope.alarmArns.push(alarm.arn);
    return alarm;
}

/** One rule, tagged, with the topic as its target (`${name}-to-topic`) and a readable message. */
export function topicRule(scope: TopicScope, suffix: string, a: TopicRuleArgs): aws.cloudwatch.EventRule {
    const n = `${scope.baseName}-${suffix}`;
    const rule = new aws.cloudwatch.EventRule(
        n,
        { description: a.description, eventPattern: a.eventPattern, tags: mergeTags(scope.tags, n) },
        { parent: scope.parent },
    );
    new aws.cloudwatch.EventTarget(
        `${n}-to-topic`,
        { rule: rule.name, arn: scope.topicArn, inputTransformer: { inputPaths: a.inputPaths, inputTemplate: a.inputTemplate } },
        { parent: scope.parent },
    );
    return rule;
}
