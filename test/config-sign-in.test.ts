import * as assert from "assert";
import { ConfigError } from "../config";
import { PROJECT } from "../config/schema";
import { testConfig } from "./harness";
import { ENTRA } from "./sign-in-fixtures";

const ns = (key: string) => `${PROJECT}:${key}`;

function linesOf(overrides: Record<string, string | undefined>): string[] {
    try {
        testConfig(overrides);
    } catch (e) {
        assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${(e as Error).stack}`);
        return e.lines;
    }
    throw new Error("expected a ConfigError");
}

describe("config: sign-in and WAF", () => {
    it("defaults: local sign-in, WAF blocking with the rate rule and the large-body paths", () => {
        const c = testConfig();
        assert.deepStrictEqual(c.signIn, { mode: "local" });
        assert.deepStrictEqual(c.waf, {
            mode: "block",
            rateLimit: 5000,
            largeBodyPaths: ["/api/", "/administration/", "/fpr/", "/filesystem/"],
        });
    });

    it("oidc: the provider, roles and the load balancer's session from the keys", () => {
        const c = testConfig({
            ...ENTRA,
            signInLogoutEndpoint: "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/oauth2/v2.0/logout",
            signInRolesFromClaims: "true",
            signInRoleClaimPath: "roles",
            signInAdminClaim: "Archivematica.Admin",
            signInUserClaim: "Archivematica.User",
            signInManagerClaim: "Archivematica.User",
            signInSessionTimeoutSeconds: "3600",
        });
        assert.deepStrictEqual(c.signIn, {
            mode: "oidc",
            provider: {
                issuer: ENTRA.signInIssuer,
                clientId: ENTRA.signInClientId,
                clientSecretArn: ENTRA.signInClientSecretArn,
                authorizationEndpoint: ENTRA.signInAuthorizationEndpoint,
                tokenEndpoint: ENTRA.signInTokenEndpoint,
                userInfoEndpoint: ENTRA.signInUserInfoEndpoint,
                jwksEndpoint: ENTRA.signInJwksEndpoint,
                logoutEndpoint: "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/oauth2/v2.0/logout",
            },
            roles: {
                fromClaims: true,
                claimPath: "roles",
                admin: "Archivematica.Admin",
                user: "Archivematica.User",
                manager: "Archivematica.User",
                reviewer: "reviewer",
                reader: "reader",
            },
            localLogin: false,
            alb: { sessionTimeoutSeconds: 3600, scopes: ["openid", "email", "profile"] },
        });
    });

    it("cognito: the domain prefix, cognito:groups as the role claim, break-glass login and no ALB authentication", () => {
        const c = testConfig({
            signInMode: "cognito",
            signInCognitoDomain: "example-archives-staging",
            signInLocalLogin: "true",
            signInAlbAuthentication: "false",
            wafMode: "count",
        });
        assert.deepStrictEqual(c.signIn, {
            mode: "cognito",
            domainPrefix: "example-archives-staging",
            roles: {
                fromClaims: false,
                claimPath: "cognito:groups",
                admin: "admin",
                user: "default",
                manager: "manager",
                reviewer: "reviewer",
                reader: "reader",
            },
            localLogin: true,
            alb: undefined,
        });
        assert.strictEqual(c.waf.mode, "count");
        assert.deepStrictEqual(testConfig({ wafMode: "off" }).waf, { mode: "off" });
    });

    it("oidc without its endpoints: every missing key is named, one line each, in one run", () => {
        assert.deepStrictEqual(linesOf({ signInMode: "oidc" }), [
            `${ns("signInIssuer")}: required when signInMode is oidc (the offline plan cannot read the provider's discovery document, so each endpoint is a key; see the README, Signing in); valid: the provider's issuer URL (the discovery document's issuer)`,
            `${ns("signInClientId")}: required when signInMode is oidc (the offline plan cannot read the provider's discovery document, so each endpoint is a key; see the README, Signing in); valid: the client id of the application registered with the provider`,
            `${ns("signInClientSecretArn")}: required when signInMode is oidc (the offline plan cannot read the provider's discovery document, so each endpoint is a key; see the README, Signing in); valid: the ARN of a Secrets Manager secret holding the client secret`,
            `${ns("signInAuthorizationEndpoint")}: required when signInMode is oidc (the offline plan cannot read the provider's discovery document, so each endpoint is a key; see the README, Signing in); valid: the discovery document's authorization_endpoint`,
            `${ns("signInTokenEndpoint")}: required when signInMode is oidc (the offline plan cannot read the provider's discovery document, so each endpoint is a key; see the README, Signing in); valid: the discovery document's token_endpoint`,
            `${ns("signInUserInfoEndpoint")}: required when signInMode is oidc (the offline plan cannot read the provider's discovery document, so each endpoint is a key; see the README, Signing in); valid: the discovery document's userinfo_endpoint`,
            `${ns("signInJwksEndpoint")}: required when signInMode is oidc (the offline plan cannot read the provider's discovery document, so each endpoint is a key; see the README, Signing in); valid: the discovery document's jwks_uri`,
        ]);
    });

    it("a partial provider: only the missing keys are named, and a wrong key is named beside them", () => {
        assert.deepStrictEqual(
            linesOf({
                ...ENTRA,
                signInTokenEndpoint: undefined,
                signInJwksEndpoint: undefined,
                signInUserInfoEndpoint: "http://idp.example.org/userinfo",
            }),
            [
                `${ns("signInUserInfoEndpoint")}: "http://idp.example.org/userinfo" is not valid; valid: empty, or an https:// URL such as https://login.example.org/oauth2/token`,
                `${ns("signInTokenEndpoint")}: required when signInMode is oidc (the offline plan cannot read the provider's discovery document, so each endpoint is a key; see the README, Signing in); valid: the discovery document's token_endpoint`,
                `${ns("signInJwksEndpoint")}: required when signInMode is oidc (the offline plan cannot read the provider's discovery document, so each endpoint is a key; see the README, Signing in); valid: the discovery document's jwks_uri`,
            ],
        );
    });

    it("provider keys in another mode are refused rather than ignored", () => {
        assert.deepStrictEqual(linesOf({ signInClientId: "abc", signInIssuer: "https://idp.example.org" }), [
            `${ns("signInIssuer")}: is set but signInMode is local; valid: empty, or signInMode oidc`,
            `${ns("signInClientId")}: is set but signInMode is local; valid: empty, or signInMode oidc`,
        ]);
        assert.deepStrictEqual(
            linesOf({ signInMode: "cognito", signInCognitoDomain: "example-archives", signInJwksEndpoint: "https://idp.example.org/jwks" }),
            [
                `${ns("signInJwksEndpoint")}: is set but signInMode is cognito; valid: empty (the stack derives every endpoint from the Cognito user pool it creates)`,
            ],
        );
        assert.deepStrictEqual(linesOf({ signInCognitoDomain: "example-archives" }), [
            `${ns("signInCognitoDomain")}: is set but signInMode is local; valid: empty, or signInMode cognito`,
        ]);
        assert.deepStrictEqual(linesOf({ signInMode: "cognito", signInCognitoDomain: "example-archives", signInRoleClaimPath: "groups" }), [
            `${ns("signInRoleClaimPath")}: is set but signInMode is cognito; valid: empty (cognito reads cognito:groups)`,
        ]);
    });

    it("cognito needs its domain prefix, without the words Cognito reserves", () => {
        assert.deepStrictEqual(linesOf({ signInMode: "cognito" }), [
            `${ns("signInCognitoDomain")}: required when signInMode is cognito; valid: a domain prefix unique in the region, such as example-archives-staging`,
        ]);
        assert.deepStrictEqual(linesOf({ signInMode: "cognito", signInCognitoDomain: "archives-cognito" }), [
            `${ns("signInCognitoDomain")}: "archives-cognito" contains aws, amazon or cognito, which Cognito reserves; valid: empty, or 1-63 lower-case letters, digits or inner hyphens, without aws, amazon or cognito`,
        ]);
    });

    it("the client secret is in the stack's region; roles from claims need the claim's path", () => {
        assert.deepStrictEqual(
            linesOf({
                ...ENTRA,
                signInClientSecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:archivematica/oidc-client-AbCdEf",
                signInRolesFromClaims: "true",
            }),
            [
                `${ns("signInClientSecretArn")}: is in us-east-1 but the stack's region (aws:region) is eu-west-2; valid: a Secrets Manager secret in eu-west-2`,
                `${ns("signInRoleClaimPath")}: required when signInRolesFromClaims is true with signInMode oidc; valid: the claim's dot path in the access token, e.g. roles (Entra ID app roles) or realm_access.roles (Keycloak)`,
            ],
        );
    });

    it("the load balancer needs openid; two roles of one app cannot share a claim value", () => {
        assert.deepStrictEqual(linesOf({ ...ENTRA, signInScopes: '["email"]', signInReaderClaim: "admin", signInUserClaim: "admin" }), [
            `${ns("signInScopes")}: does not include openid, which OpenID Connect sign-in needs; valid: a list that includes openid`,
            `${ns("signInUserClaim")}: "admin" is also the value of signInAdminClaim; valid: a claim value no other role of the same app uses`,
            `${ns("signInReaderClaim")}: "admin" is also the value of signInAdminClaim; valid: a claim value no other role of the same app uses`,
        ]);
        // Without the load balancer's authentication the scopes are not used.
        assert.strictEqual(testConfig({ ...ENTRA, signInScopes: '["email"]', signInAlbAuthentication: "false" }).signIn.mode, "oidc");
    });

    it("WAF keys: the rate limit's range and path prefixes", () => {
        assert.deepStrictEqual(linesOf({ wafRateLimit: "50", wafLargeBodyPaths: '["api/"]', wafMode: "on" }), [
            `${ns("wafMode")}: "on" is not allowed; valid: off, count, block`,
            `${ns("wafRateLimit")}: 50 is out of range; valid: 100 to 10000000`,
            `${ns("wafLargeBodyPaths")}: item "api/" is not valid; valid: a list of URL path prefixes starting with /, such as /api/`,
        ]);
    });
});
