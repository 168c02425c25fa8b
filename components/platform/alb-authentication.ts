/**
 * The load balancer's own authentication of browsers (defence in depth in front of the apps' sign-in):
 * the listener-rule actions and the rules' layout, as pure functions the Ingress uses.
 *
 * Layout per host name: first a rule for `/api/*` that only forwards (API clients send
 * `Authorization: ApiKey user:key`, which both apps check themselves: `^api` is in their
 * LOGIN_EXEMPT_URLS; a load-balancer redirect to the provider would break every script), then the
 * host's rule that authenticates and then forwards. ELB API `Action`: exactly one routing action
 * (forward) and it is the last; an HTTPS listener's rule may put one authenticate action before it.
 * With `onUnauthenticatedRequest: authenticate` (the default) a browser without the load balancer's
 * session cookie is redirected to the provider; the provider sends it back to
 * `https://<host>/oauth2/idpresponse` (registered with the provider as a redirect URI). Health checks
 * do not pass listener rules. Sources: ELB guide, "Authenticate users using an Application Load
 * Balancer"; ELB API reference, `AuthenticateOidcActionConfig` / `AuthenticateCognitoActionConfig`
 * (SessionTimeout default 604800 s, Scope default `openid`).
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";

/** The load-balanced apps, as the catalogue names them. */
export type AuthTarget = "dashboard" | "storage-service";

/** Paths where the apps' API-key authentication applies: never sent to the provider. */
export const API_PATH_PATTERNS = ["/api/*"];

/** Name of the load balancer's session cookie (ELB's default, named here so operators can find it). */
export const SESSION_COOKIE = "AWSELBAuthSessionCookie";

/** What the authenticate actions share. */
interface Session {
    /** Seconds the load balancer's session lasts. */
    sessionTimeoutSeconds: number;
    /** Scopes requested from the provider. */
    scopes: string[];
}

/** An external OpenID Connect provider; one client serves both host names. */
export interface OidcAuthenticator extends Session {
    kind: "oidc";
    issuer: string;
    authorizationEndpoint: string;
    tokenEndpoint: string;
    userInfoEndpoint: string;
    clientId: pulumi.Input<string>;
    /** Secrets Manager secret whose plain-text value is the client secret; read at deploy time. */
    clientSecretArn: string;
}

/** The stack's Cognito user pool; each host name uses its app's client. */
export interface CognitoAuthenticator extends Session {
    kind: "cognito";
    userPoolArn: pulumi.Input<string>;
    /** The pool's domain prefix. */
    domain: pulumi.Input<string>;
    clientIds: Record<AuthTarget, pulumi.Input<string>>;
}

export type AlbAuthenticator = OidcAuthenticator | CognitoAuthenticator;

/**
 * The client secret the authenticate-oidc action needs, read from Secrets Manager when the stack is
 * deployed and kept a Pulumi secret (masked in previews, encrypted in state).
 */
export function readClientSecret(secretArn: string, parent: pulumi.Resource): pulumi.Output<string> {
    return pulumi.secret(aws.secretsmanager.getSecretVersionOutput({ secretId: secretArn }, { parent }).secretString);
}

/** The authenticate action of a host's rule (order 1; the forward follows as order 2). */
export function authenticateAction(
    auth: AlbAuthenticator,
    target: AuthTarget,
    clientSecret?: pulumi.Input<string>,
): aws.types.input.lb.ListenerRuleAction {
    const session = {
        onUnauthenticatedRequest: "authenticate",
        scope: auth.scopes.join(" "),
        sessionCookieName: SESSION_COOKIE,
        sessionTimeout: auth.sessionTimeoutSeconds,
    };
    if (auth.kind === "cognito") {
        return {
            type: "authenticate-cognito",
            order: 1,
            authenticateCognito: {
                userPoolArn: auth.userPoolArn,
                userPoolClientId: auth.clientIds[target],
                userPoolDomain: auth.domain,
                ...session,
            },
        };
    }
    if (clientSecret === undefined)
        throw new Error(`authenticateAction: the ${target} rule's authenticate-oidc action needs the client secret`);
    return {
        type: "authenticate-oidc",
        order: 1,
        authenticateOidc: {
            issuer: auth.issuer,
            authorizationEndpoint: auth.authorizationEndpoint,
            tokenEndpoint: auth.tokenEndpoint,
            userInfoEndpoint: auth.userInfoEndpoint,
            clientId: auth.clientId,
            clientSecret,
            ...session,
        },
    };
}

/** A host's actions: authenticate first when the load balancer authenticates, then forward. */
export function hostActions(
    targetGroupArn: pulumi.Input<string>,
    auth?: { authenticator: AlbAuthenticator; target: AuthTarget; clientSecret?: pulumi.Input<string> },
): aws.types.input.lb.ListenerRuleAction[] {
    if (auth === undefined) return [{ type: "forward", targetGroupArn }];
    return [authenticateAction(auth.authenticator, auth.target, auth.clientSecret), { type: "forward", order: 2, targetGroupArn }];
}
