/**
 * A listener rule on a plain-HTTP listener only redirects to HTTPS (or answers with a fixed response):
 * a rule that forwards, or authenticates and forwards, would serve the application over HTTP however
 * the listener's default action is set. A stack rule, because a rule names its listener by ARN, which
 * is unknown during a preview: the link is the engine's dependency data (lib/links.ts).
 */
import { StackValidationPolicy } from "@pulumi/policy";
import { ControlId } from "../lib/controls";
import { ofTypes, referencedBy } from "../lib/links";
import { asArray, asRecord, isRecord, show } from "../lib/values";

const LISTENER = new Set(["aws:lb/listener:Listener", "aws:alb/listener:Listener"]);
const RULE = new Set(["aws:lb/listenerRule:ListenerRule", "aws:alb/listenerRule:ListenerRule"]);

/** An action that carries no application traffic over HTTP: a redirect to HTTPS, or a fixed response. */
function staysOffHttp(action: unknown): boolean {
    if (!isRecord(action)) return false;
    if (action.type === "fixed-response") return true;
    return action.type === "redirect" && asRecord(action.redirect).protocol === "HTTPS";
}

/** See the module comment. */
export const policy: StackValidationPolicy = {
    name: "aws-lb-listenerrule-prohibit-http-forward",
    description: "Listener rules on HTTP listeners only redirect to HTTPS or answer with a fixed response; they never forward.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        for (const rule of ofTypes(args.resources, RULE)) {
            const http = referencedBy(rule, "listenerArn", LISTENER).filter((l) => {
                // An ALB listener without a protocol is HTTP.
                const protocol = typeof l.props.protocol === "string" ? l.props.protocol.toUpperCase() : "HTTP";
                return protocol === "HTTP";
            });
            if (!http.length) continue;
            const actions = asArray(rule.props.actions);
            const carrying = actions.filter((a) => !staysOffHttp(a)).map((a) => show(asRecord(a).type));
            if (actions.length === 0 || carrying.length)
                reportViolation(
                    `listener rule on the HTTP listener ${http.map((l) => l.name).join(", ")} has action ${carrying.join(", ") || "none"}, which serves the application over plain HTTP; put the rule on the HTTPS listener, or make it redirect to HTTPS`,
                    rule.urn,
                );
        }
    },
};

/** Controls covered. */
export const controls: readonly ControlId[] = ["ELB.1"];
