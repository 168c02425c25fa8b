/**
 * Sign-in and the public edge, from the stack's keys: which identity provider signs staff in to the
 * dashboard and the Storage Service, how their roles follow from its claims, whether the load balancer
 * authenticates too, and what AWS WAF does in front of it. The keys are declared in schema.ts; the rules
 * between them are here (listed in rules.ts); the typed result is {@link SignInConfig} / {@link WafConfig}.
 *
 * The offline plan cannot fetch a provider's discovery document (`.well-known/openid-configuration`),
 * and Archivematica 1.18 / Storage Service 0.24 read each endpoint from its own variable
 * (settings/components/oidc_auth.py, storage_service/settings/base.py; facts in the README, "Signing
 * in"): so the endpoints are keys, and signInMode oidc refuses a stack that lacks any of them, naming
 * every missing key at once.
 */
import type { StackKey, StackValues } from "./schema";

/** One error line, as config/rules.ts's `Problem` (declared here so the two files do not import each other). */
interface Problem {
    key: StackKey;
    problem: string;
    valid: string;
}

/** A rule between keys, as config/rules.ts's `Rule` runs it (structurally the same). */
interface Rule {
    /** The keys the rule reads: the rule is skipped when one of them failed its own check. */
    reads: readonly StackKey[];
    check(v: StackValues, ctx: { region: string }): Problem[];
}

/** Who may hold which Archivematica role, read from the provider's access token. */
export interface RoleClaims {
    /**
     * Set roles from the claim at every sign-in (`OIDC_OP_SET_ROLES_FROM_CLAIMS`); without it new users
     * get the apps' default role and administrators assign roles by hand.
     */
    fromClaims: boolean;
    /** Dot path of the claim in the access token (`OIDC_OP_ROLE_CLAIM_PATH`); set when `fromClaims`. */
    claimPath?: string;
    /** Claim value of an administrator of both apps (`OIDC_ROLE_CLAIM_ADMIN`). */
    admin: string;
    /** Claim value of an ordinary dashboard user (`OIDC_ROLE_CLAIM_DEFAULT`). */
    user: string;
    /** Claim values of the Storage Service's other roles (`OIDC_ROLE_CLAIM_MANAGER`/`_REVIEWER`/`_READER`). */
    manager: string;
    reviewer: string;
    reader: string;
}

/** An external OpenID Connect provider, as the stack's keys give it. */
export interface OidcProvider {
    issuer: string;
    clientId: string;
    /** Secrets Manager secret holding the client secret as plain text. */
    clientSecretArn: string;
    authorizationEndpoint: string;
    tokenEndpoint: string;
    userInfoEndpoint: string;
    jwksEndpoint: string;
    /** End-session endpoint; absent: signing out ends the app's session only. */
    logoutEndpoint?: string;
}

/** The load balancer's own authentication of browsers (defence in depth). */
export interface AlbAuthentication {
    /** Seconds the load balancer's session lasts. */
    sessionTimeoutSeconds: number;
    /** Scopes the load balancer requests (space-separated in the action). */
    scopes: string[];
}

/** What single sign-on modes share. */
interface SingleSignOn {
    roles: RoleClaims;
    /** Password sign-in stays available beside the provider (the break-glass administrator). */
    localLogin: boolean;
    /** Absent: the load balancer forwards without authenticating. */
    alb?: AlbAuthentication;
}

export type SignInConfig =
    | { mode: "local" }
    | ({ mode: "oidc"; provider: OidcProvider } & SingleSignOn)
    | ({ mode: "cognito"; domainPrefix: string } & SingleSignOn);

/** AWS WAF on the load balancer. */
export type WafConfig =
    | { mode: "off" }
    | {
          /** `count`: every rule only counts (tuning); `block`: rules act. */
          mode: "count" | "block";
          /** Requests per client address per 5 minutes. */
          rateLimit: number;
          /** Path prefixes exempt from the core rule set's 8 KB body limit. */
          largeBodyPaths: string[];
      };

/** The keys signInMode oidc needs, in the order errors list them. */
export const OIDC_REQUIRED_KEYS = [
    "signInIssuer",
    "signInClientId",
    "signInClientSecretArn",
    "signInAuthorizationEndpoint",
    "signInTokenEndpoint",
    "signInUserInfoEndpoint",
    "signInJwksEndpoint",
] as const satisfies readonly StackKey[];

/** Keys only signInMode oidc reads: set in another mode they would silently do nothing. */
const OIDC_ONLY_KEYS = [...OIDC_REQUIRED_KEYS, "signInLogoutEndpoint"] as const satisfies readonly StackKey[];

/** Where each key required by signInMode oidc is found, for its error line. */
const OIDC_KEY_VALID: Record<(typeof OIDC_REQUIRED_KEYS)[number], string> = {
    signInIssuer: "the provider's issuer URL (the discovery document's issuer)",
    signInClientId: "the client id of the application registered with the provider",
    signInClientSecretArn: "the ARN of a Secrets Manager secret holding the client secret",
    signInAuthorizationEndpoint: "the discovery document's authorization_endpoint",
    signInTokenEndpoint: "the discovery document's token_endpoint",
    signInUserInfoEndpoint: "the discovery document's userinfo_endpoint",
    signInJwksEndpoint: "the discovery document's jwks_uri",
};

/** The role claim of a Cognito user pool's access token: the user's groups. */
export const COGNITO_GROUPS_CLAIM = "cognito:groups";

const one = (key: StackKey, problem: string, valid: string): Problem[] => [{ key, problem, valid }];
const DISCOVERY = "(the offline plan cannot read the provider's discovery document, so each endpoint is a key; see the README, Signing in)";

/** The rules between the sign-in and WAF keys, in the order their errors are listed. */
export const SIGN_IN_RULES: readonly Rule[] = [
    // One rule per key: a key that fails its own check (say an http:// URL) must not hide the others
    // that are missing, since a rule is skipped when a key it reads failed.
    ...OIDC_REQUIRED_KEYS.map((key): Rule => ({
        reads: ["signInMode", key],
        check: (v) =>
            v.signInMode === "oidc" && v[key] === "" ? one(key, `required when signInMode is oidc ${DISCOVERY}`, OIDC_KEY_VALID[key]) : [],
    })),
    ...OIDC_ONLY_KEYS.map((key): Rule => ({
        reads: ["signInMode", key],
        check: (v) =>
            v.signInMode !== "oidc" && v[key] !== ""
                ? one(
                      key,
                      `is set but signInMode is ${v.signInMode}`,
                      v.signInMode === "cognito"
                          ? "empty (the stack derives every endpoint from the Cognito user pool it creates)"
                          : "empty, or signInMode oidc",
                  )
                : [],
    })),
    {
        reads: ["signInMode", "signInCognitoDomain"],
        check: (v) => {
            if (v.signInMode === "cognito" && !v.signInCognitoDomain)
                return one(
                    "signInCognitoDomain",
                    "required when signInMode is cognito",
                    "a domain prefix unique in the region, such as example-archives-staging",
                );
            if (v.signInMode !== "cognito" && v.signInCognitoDomain)
                return one("signInCognitoDomain", `is set but signInMode is ${v.signInMode}`, "empty, or signInMode cognito");
            return [];
        },
    },
    {
        // ECS reads the secret for the tasks, and the deployment reads it for the load balancer's
        // authenticate-oidc action, both in the stack's region.
        reads: ["signInMode", "signInClientSecretArn"],
        check: (v, ctx) => {
            if (v.signInMode !== "oidc" || !v.signInClientSecretArn) return [];
            const secretRegion = v.signInClientSecretArn.split(":")[3];
            if (secretRegion === ctx.region) return [];
            return one(
                "signInClientSecretArn",
                `is in ${secretRegion} but the stack's region (aws:region) is ${ctx.region}`,
                `a Secrets Manager secret in ${ctx.region}`,
            );
        },
    },
    {
        reads: ["signInMode", "signInRolesFromClaims", "signInRoleClaimPath"],
        check: (v) =>
            v.signInMode === "oidc" && v.signInRolesFromClaims && !v.signInRoleClaimPath
                ? one(
                      "signInRoleClaimPath",
                      "required when signInRolesFromClaims is true with signInMode oidc",
                      "the claim's dot path in the access token, e.g. roles (Entra ID app roles) or realm_access.roles (Keycloak)",
                  )
                : [],
    },
    {
        reads: ["signInMode", "signInRoleClaimPath"],
        check: (v) =>
            v.signInMode !== "oidc" && v.signInRoleClaimPath
                ? one(
                      "signInRoleClaimPath",
                      `is set but signInMode is ${v.signInMode}`,
                      v.signInMode === "cognito" ? `empty (cognito reads ${COGNITO_GROUPS_CLAIM})` : "empty, or signInMode oidc",
                  )
                : [],
    },
    {
        reads: ["signInMode", "signInAlbAuthentication", "signInScopes"],
        check: (v) =>
            v.signInMode !== "local" && v.signInAlbAuthentication && !v.signInScopes.includes("openid")
                ? one("signInScopes", "does not include openid, which OpenID Connect sign-in needs", "a list that includes openid")
                : [],
    },
    {
        reads: ["signInAdminClaim", "signInUserClaim", "signInManagerClaim", "signInReviewerClaim", "signInReaderClaim"],
        check: (v) => {
            // Each app tells its roles apart by the claim's value alone; one value may serve a dashboard
            // user and a Storage Service role (one group of archivists), never two roles of one app.
            const apps: (readonly StackKey[])[] = [
                ["signInAdminClaim", "signInUserClaim"],
                ["signInAdminClaim", "signInManagerClaim", "signInReviewerClaim", "signInReaderClaim"],
            ];
            const problems: Problem[] = [];
            for (const keys of apps) {
                const seen = new Map<unknown, StackKey>();
                for (const key of keys) {
                    const first = seen.get(v[key]);
                    if (first && !problems.some((p) => p.key === key))
                        problems.push({
                            key,
                            problem: `${JSON.stringify(v[key])} is also the value of ${first}`,
                            valid: "a claim value no other role of the same app uses",
                        });
                    else if (!first) seen.set(v[key], key);
                }
            }
            return problems;
        },
    },
];

/** The sign-in configuration from the validated keys. */
export function buildSignIn(v: StackValues): SignInConfig {
    if (v.signInMode === "local") return { mode: "local" };
    const sso: SingleSignOn = {
        roles: {
            fromClaims: v.signInRolesFromClaims,
            claimPath: v.signInMode === "cognito" ? COGNITO_GROUPS_CLAIM : v.signInRoleClaimPath || undefined,
            admin: v.signInAdminClaim,
            user: v.signInUserClaim,
            manager: v.signInManagerClaim,
            reviewer: v.signInReviewerClaim,
            reader: v.signInReaderClaim,
        },
        localLogin: v.signInLocalLogin,
        alb: v.signInAlbAuthentication ? { sessionTimeoutSeconds: v.signInSessionTimeoutSeconds, scopes: v.signInScopes } : undefined,
    };
    if (v.signInMode === "cognito") return { mode: "cognito", domainPrefix: v.signInCognitoDomain, ...sso };
    return {
        mode: "oidc",
        provider: {
            issuer: v.signInIssuer,
            clientId: v.signInClientId,
            clientSecretArn: v.signInClientSecretArn,
            authorizationEndpoint: v.signInAuthorizationEndpoint,
            tokenEndpoint: v.signInTokenEndpoint,
            userInfoEndpoint: v.signInUserInfoEndpoint,
            jwksEndpoint: v.signInJwksEndpoint,
            logoutEndpoint: v.signInLogoutEndpoint || undefined,
        },
        ...sso,
    };
}

/** The WAF configuration from the validated keys. */
export function buildWaf(v: StackValues): WafConfig {
    if (v.wafMode === "off") return { mode: "off" };
    return { mode: v.wafMode, rateLimit: v.wafRateLimit, largeBodyPaths: v.wafLargeBodyPaths };
}
