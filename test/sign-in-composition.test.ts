import * as assert from "assert";
import { albAuthenticator, appSignIns, identityArgs, wafArgs } from "../components/sign-in";
import { testConfig } from "./harness";
import { ENTRA } from "./sign-in-fixtures";

const COGNITO = { signInMode: "cognito", signInCognitoDomain: "example-archives-test" };

describe("sign-in composition (components/sign-in.ts)", () => {
    it("local: no pool, no authenticator, no app sign-in", () => {
        const c = testConfig();
        assert.strictEqual(identityArgs(c), undefined);
        assert.strictEqual(albAuthenticator(c), undefined);
        assert.deepStrictEqual(appSignIns(c), { apps: {}, secretArns: {} });
    });

    it("cognito: each client's redirect URIs on its host name, the ALB's only when the ALB authenticates; groups from the role claims", () => {
        const args = identityArgs(
            testConfig({ ...COGNITO, signInRolesFromClaims: "true", signInUserClaim: "archivist", signInManagerClaim: "archivist" }),
        )!;
        assert.deepStrictEqual(args.clients, {
            dashboard: {
                callbackUrls: ["https://am.example.org/oidc/callback/", "https://am.example.org/oauth2/idpresponse"],
                logoutUrls: ["https://am.example.org/"],
            },
            "storage-service": {
                callbackUrls: ["https://ss.example.org/oidc/callback/", "https://ss.example.org/oauth2/idpresponse"],
                logoutUrls: ["https://ss.example.org/"],
            },
        });
        assert.deepStrictEqual(args.groups, ["admin", "archivist", "reviewer", "reader"]);
        const noAlb = identityArgs(testConfig({ ...COGNITO, signInAlbAuthentication: "false" }))!;
        assert.deepStrictEqual(noAlb.clients.dashboard.callbackUrls, ["https://am.example.org/oidc/callback/"]);
        assert.deepStrictEqual(noAlb.groups, []);
    });

    it("oidc: one client and secret for both apps; the authenticator reads the secret by ARN", () => {
        const c = testConfig(ENTRA);
        const s = appSignIns(c);
        assert.deepStrictEqual(s.secretArns, {
            dashboardOidcClientSecret: ENTRA.signInClientSecretArn,
            storageServiceOidcClientSecret: ENTRA.signInClientSecretArn,
        });
        assert.deepStrictEqual(s.apps.dashboard, {
            clientId: ENTRA.signInClientId,
            endpoints: {
                authorization: ENTRA.signInAuthorizationEndpoint,
                token: ENTRA.signInTokenEndpoint,
                userInfo: ENTRA.signInUserInfoEndpoint,
                jwks: ENTRA.signInJwksEndpoint,
            },
            roles: {
                fromClaims: false,
                claimPath: undefined,
                admin: "admin",
                user: "default",
                manager: "manager",
                reviewer: "reviewer",
                reader: "reader",
            },
            localLogin: false,
        });
        assert.strictEqual(s.apps["storage-service"], s.apps.dashboard);
        assert.deepStrictEqual(albAuthenticator(c), {
            kind: "oidc",
            issuer: ENTRA.signInIssuer,
            authorizationEndpoint: ENTRA.signInAuthorizationEndpoint,
            tokenEndpoint: ENTRA.signInTokenEndpoint,
            userInfoEndpoint: ENTRA.signInUserInfoEndpoint,
            clientId: ENTRA.signInClientId,
            clientSecretArn: ENTRA.signInClientSecretArn,
            sessionTimeoutSeconds: 28800,
            scopes: ["openid", "email", "profile"],
        });
        assert.strictEqual(albAuthenticator(testConfig({ ...ENTRA, signInAlbAuthentication: "false" })), undefined);
    });

    it("cognito without the Identity component is a programming error, named", () => {
        const c = testConfig(COGNITO);
        assert.throws(() => albAuthenticator(c), /^Error: albAuthenticator: signInMode cognito needs the Identity component$/);
        assert.throws(() => appSignIns(c), /^Error: appSignIns: signInMode cognito needs the Identity component$/);
    });

    it("WAF args follow the keys; off creates none", () => {
        assert.strictEqual(wafArgs(testConfig({ wafMode: "off" }), "arn:alb"), undefined);
        assert.deepStrictEqual(wafArgs(testConfig({ wafMode: "count", wafRateLimit: "2000" }), "arn:alb"), {
            loadBalancerArn: "arn:alb",
            mode: "count",
            rateLimit: 2000,
            largeBodyPaths: ["/api/", "/administration/", "/fpr/", "/filesystem/"],
            logRetentionDays: 30,
            tags: testConfig().tags,
        });
    });
});
