/**
 * How the cluster wires sign-in and the public edge from the stack configuration: the Cognito user pool
 * (signInMode cognito), the load balancer's authenticator, each app's resolved OIDC sign-in (client,
 * endpoints, roles) with the Secrets Manager ARN of its client secret, and the WAF args. Pure mapping,
 * like the `…Args` functions of archivematica-cluster.ts; the components create the resources.
 */
import * as pulumi from "@pulumi/pulumi";
import type { AppConfig } from "../config";
import { redirectUris, type AppSignIn } from "./app/catalogue/sign-in";
import type { AlbAuthenticator } from "./platform/alb-authentication";
import { Identity, IdentityArgs, IdentityApp } from "./platform/identity";
import type { WafArgs } from "./platform/waf";

/** Each app's sign-in and the secret its client secret is read from; empty for local sign-in. */
export interface AppSignIns {
    apps: Partial<Record<IdentityApp, AppSignIn>>;
    /** Secrets Manager ARNs by the logical secret names the catalogue uses. */
    secretArns: Partial<Record<"dashboardOidcClientSecret" | "storageServiceOidcClientSecret", pulumi.Input<string>>>;
}

/** The Cognito user pool's args, when signInMode is cognito. */
export function identityArgs(config: AppConfig): IdentityArgs | undefined {
    const s = config.signIn;
    if (s.mode !== "cognito") return undefined;
    const r = s.roles;
    const client = (host: string) => ({ callbackUrls: redirectUris(host, s.alb !== undefined), logoutUrls: [`https://${host}/`] });
    return {
        domainPrefix: s.domainPrefix,
        clients: { dashboard: client(config.ingress.dashboardHostname), "storage-service": client(config.ingress.storageServiceHostname) },
        region: config.region,
        tags: config.tags,
        // The role claim is cognito:groups: a group per claim value the apps map, when roles come from it.
        groups: r.fromClaims ? [...new Set([r.admin, r.user, r.manager, r.reviewer, r.reader])] : [],
        protect: config.protectData,
    };
}

/** The load balancer's authenticator, when signIn is not local and signInAlbAuthentication is on. */
export function albAuthenticator(config: AppConfig, identity?: Identity): AlbAuthenticator | undefined {
    const s = config.signIn;
    if (s.mode === "local" || s.alb === undefined) return undefined;
    const session = { sessionTimeoutSeconds: s.alb.sessionTimeoutSeconds, scopes: s.alb.scopes };
    if (s.mode === "cognito") {
        if (!identity) throw new Error("albAuthenticator: signInMode cognito needs the Identity component");
        return {
            kind: "cognito",
            userPoolArn: identity.userPoolArn,
            domain: identity.domain,
            clientIds: { dashboard: identity.clients.dashboard.clientId, "storage-service": identity.clients["storage-service"].clientId },
            ...session,
        };
    }
    const p = s.provider;
    return {
        kind: "oidc",
        issuer: p.issuer,
        authorizationEndpoint: p.authorizationEndpoint,
        tokenEndpoint: p.tokenEndpoint,
        userInfoEndpoint: p.userInfoEndpoint,
        clientId: p.clientId,
        clientSecretArn: p.clientSecretArn,
        ...session,
    };
}

/**
 * Each app's resolved sign-in. An external provider serves both apps with one client; the Cognito pool
 * has a client per app. Cognito's logout endpoint wants `client_id` and `logout_uri`, not the
 * `id_token_hint` and `post_logout_redirect_uri` the apps send (dashboard components/accounts/views.py
 * get_oidc_logout_url), so with Cognito signing out ends the app's session only.
 */
export function appSignIns(config: AppConfig, identity?: Identity): AppSignIns {
    const s = config.signIn;
    if (s.mode === "local") return { apps: {}, secretArns: {} };
    const common = { roles: s.roles, localLogin: s.localLogin };
    if (s.mode === "oidc") {
        const p = s.provider;
        const endpoints = {
            authorization: p.authorizationEndpoint,
            token: p.tokenEndpoint,
            userInfo: p.userInfoEndpoint,
            jwks: p.jwksEndpoint,
            ...(p.logoutEndpoint ? { logout: p.logoutEndpoint } : {}),
        };
        const app: AppSignIn = { clientId: p.clientId, endpoints, ...common };
        return {
            apps: { dashboard: app, "storage-service": app },
            secretArns: { dashboardOidcClientSecret: p.clientSecretArn, storageServiceOidcClientSecret: p.clientSecretArn },
        };
    }
    if (!identity) throw new Error("appSignIns: signInMode cognito needs the Identity component");
    const endpoints = {
        authorization: identity.authorizationEndpoint,
        token: identity.tokenEndpoint,
        userInfo: identity.userInfoEndpoint,
        jwks: identity.jwksEndpoint,
    };
    const client = (app: IdentityApp): AppSignIn => ({ clientId: identity.clients[app].clientId, endpoints, ...common });
    return {
        apps: { dashboard: client("dashboard"), "storage-service": client("storage-service") },
        secretArns: {
            dashboardOidcClientSecret: identity.clients.dashboard.clientSecretArn,
            storageServiceOidcClientSecret: identity.clients["storage-service"].clientSecretArn,
        },
    };
}

/** The web ACL's args, unless wafMode is off. */
export function wafArgs(config: AppConfig, loadBalancerArn: pulumi.Input<string>): WafArgs | undefined {
    const w = config.waf;
    if (w.mode === "off") return undefined;
    return {
        loadBalancerArn,
        mode: w.mode,
        rateLimit: w.rateLimit,
        largeBodyPaths: w.largeBodyPaths,
        logRetentionDays: config.logRetentionDays,
        tags: config.tags,
    };
}
