/**
 * When staff sign in with an identity provider, the load balancer authenticates browsers too (defence
 * in depth): every listener rule (and listener default) that forwards to a target group starts with an
 * `authenticate-oidc` or `authenticate-cognito` action, except rules limited to the apps' API paths,
 * where the apps' own API-key authentication applies. A stack rule: "signs in with a provider" is read
 * from the stack itself, as a task definition whose container turns on the dashboard's or the Storage
 * Service's OIDC sign-in (`ARCHIVEMATICA_DASHBOARD_DASHBOARD_OIDC_AUTHENTICATION`,
 * `SS_OIDC_AUTHENTICATION`: Archivematica 1.18 settings/base.py, Storage Service 0.24 settings/base.py),
 * or a Cognito user pool. A stack that signs in with local passwords only is not concerned.
 */
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { configWithDefaults } from "../lib/config";
import { environmentOf, readContainers } from "../lib/containers";
import { ControlId } from "../lib/controls";
import { ofTypes } from "../lib/links";
import { asArray, asRecord, isRecord, list } from "../lib/values";

const LISTENER_RULE = new Set(["aws:lb/listenerRule:ListenerRule", "aws:alb/listenerRule:ListenerRule"]);
const LISTENER = new Set(["aws:lb/listener:Listener", "aws:alb/listener:Listener"]);
const TASK_DEFINITION = new Set(["aws:ecs/taskDefinition:TaskDefinition"]);
const USER_POOL = new Set(["aws:cognito/userPool:UserPool"]);

/** The apps' switches for OIDC sign-in. */
export const OIDC_SWITCHES = ["ARCHIVEMATICA_DASHBOARD_DASHBOARD_OIDC_AUTHENTICATION", "SS_OIDC_AUTHENTICATION"];

/** Values both apps read as true (configparser getboolean; storage_service common/helpers is_true). */
const TRUE = new Set(["1", "yes", "true", "on"]);

const AUTHENTICATE = new Set(["authenticate-oidc", "authenticate-cognito"]);

/** Config of this rule. */
export interface ListenerAuthenticationConfig {
    /** Path patterns a forwarding rule may be limited to and still skip authentication. */
    unauthenticatedPathPatterns: string[];
}

/** Defaults, also declared in the config schema: the apps' API, where API keys apply. */
export const DEFAULTS: ListenerAuthenticationConfig = { unauthenticatedPathPatterns: ["/api/*"] };

/** The provider sign-in the stack turns on, or undefined for local passwords only. */
function singleSignOn(resources: PolicyResource[]): string | undefined {
    if (ofTypes(resources, USER_POOL).length > 0) return "a Cognito user pool signs staff in";
    for (const task of ofTypes(resources, TASK_DEFINITION)) {
        const parsed = readContainers(task.props);
        if (!parsed.ok) continue;
        for (const container of parsed.containers)
            for (const variable of environmentOf(container))
                if (OIDC_SWITCHES.includes(variable.name ?? "") && TRUE.has(String(variable.value).toLowerCase()))
                    return `${variable.name} is true`;
    }
    return undefined;
}

/** True when the actions forward without authenticating first. */
function forwardsUnauthenticated(actions: unknown): boolean {
    const list = asArray(actions).filter(isRecord);
    return list.some((a) => a.type === "forward") && !list.some((a) => AUTHENTICATE.has(String(a.type)));
}

/** The rule's path patterns, when a path-pattern condition limits it; undefined when none does. */
function pathPatterns(rule: PolicyResource): string[] | undefined {
    const conditions = asArray(rule.props.conditions).filter(isRecord);
    const paths = conditions.flatMap((c) => asArray(asRecord(c.pathPattern).values).map(String));
    return paths.length > 0 ? paths : undefined;
}

/** See the module comment. */
export const policy: StackValidationPolicy = {
    name: "aws-lb-listenerrule-require-authentication",
    description:
        "When the apps sign staff in with an identity provider, load-balancer rules that forward browsers authenticate first (authenticate-oidc/-cognito); only the apps' API paths are exempt.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            unauthenticatedPathPatterns: {
                type: "array",
                items: { type: "string", minLength: 1 },
                uniqueItems: true,
                default: DEFAULTS.unauthenticatedPathPatterns,
                description: "Path patterns a forwarding rule may be limited to and skip authentication (the apps' API-key paths).",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const why = singleSignOn(args.resources);
        if (why === undefined) return;
        const { unauthenticatedPathPatterns } = configWithDefaults(args, DEFAULTS);
        const fix = `add an authenticate-oidc or authenticate-cognito action before the forward (signInAlbAuthentication), or limit the rule to ${list(unauthenticatedPathPatterns)}`;
        for (const rule of ofTypes(args.resources, LISTENER_RULE)) {
            if (!forwardsUnauthenticated(rule.props.actions)) continue;
            const paths = pathPatterns(rule);
            if (paths?.every((p) => unauthenticatedPathPatterns.includes(p))) continue;
            reportViolation(`listener rule forwards without authenticating although ${why}; ${fix}`, rule.urn);
        }
        for (const listener of ofTypes(args.resources, LISTENER)) {
            if (forwardsUnauthenticated(listener.props.defaultActions))
                reportViolation(`listener's default action forwards without authenticating although ${why}; ${fix}`, listener.urn);
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["AM.9"];
