import * as assert from "assert";
import { createHash } from "crypto";
import { Identity, IdentityArgs } from "../components/platform/identity";
import { mergeTags } from "../lib/tags";
import { MOCK_SECRET_MARK } from "../tools/mock-aws";
import { plan, TestPlan } from "./harness";

/** The mock runtime's id hash (tools/mock-aws.ts). */
const sha = (seed: string) => createHash("sha256").update(seed).digest("hex");

const TAGS = { Project: "archivematica", Environment: "staging", Owner: "dp@example.org", CostCentre: "DP-0042" };
const ARGS: IdentityArgs = {
    domainPrefix: "example-archives-staging",
    clients: {
        dashboard: {
            callbackUrls: ["https://am.example.org/oidc/callback/", "https://am.example.org/oauth2/idpresponse"],
            logoutUrls: ["https://am.example.org/"],
        },
        "storage-service": {
            callbackUrls: ["https://ss.example.org/oidc/callback/", "https://ss.example.org/oauth2/idpresponse"],
            logoutUrls: ["https://ss.example.org/"],
        },
    },
    region: "eu-west-2",
    tags: TAGS,
    groups: ["admin", "default", "manager"],
};

async function planIdentity(args: IdentityArgs): Promise<TestPlan> {
    return plan(() => {
        const id = new Identity("archivematica-identity", args);
        return {
            issuer: id.issuer,
            authorizationEndpoint: id.authorizationEndpoint,
            tokenEndpoint: id.tokenEndpoint,
            userInfoEndpoint: id.userInfoEndpoint,
            jwksEndpoint: id.jwksEndpoint,
            userPoolArn: id.userPoolArn,
            domain: id.domain,
            dashboardClientId: id.clients.dashboard.clientId,
            dashboardSecretArn: id.clients.dashboard.clientSecretArn,
        };
    });
}

describe("Identity (Cognito user pool)", () => {
    it("a pool with TOTP required, invitations only, Essentials, and the hosted domain", async () => {
        const p = await planIdentity(ARGS);
        assert.deepStrictEqual(p.named("archivematica-identity-pool").props, {
            userPoolTier: "ESSENTIALS",
            mfaConfiguration: "ON",
            softwareTokenMfaConfiguration: { enabled: true },
            usernameAttributes: ["email"],
            autoVerifiedAttributes: ["email"],
            adminCreateUserConfig: { allowAdminCreateUserOnly: true },
            passwordPolicy: {
                minimumLength: 14,
                requireLowercase: true,
                requireUppercase: true,
                requireNumbers: true,
                requireSymbols: true,
                temporaryPasswordValidityDays: 3,
            },
            accountRecoverySetting: { recoveryMechanisms: [{ name: "verified_email", priority: 1 }] },
            deletionProtection: "INACTIVE",
            tags: mergeTags(TAGS, "archivematica-identity-pool"),
        });
        assert.deepStrictEqual(p.named("archivematica-identity-domain").props, {
            domain: "example-archives-staging",
            userPoolId: "archivematica-identity-pool-id",
            managedLoginVersion: 1,
        });
        assert.deepStrictEqual(
            p.ofType("aws:cognito/userGroup:UserGroup").map((g) => g.props.name),
            ["admin", "default", "manager"],
        );
    });

    it("one confidential client per app: code flow, the redirect and sign-out URLs given", async () => {
        const p = await planIdentity(ARGS);
        assert.deepStrictEqual(p.named("archivematica-identity-storage-service").props, {
            userPoolId: "archivematica-identity-pool-id",
            generateSecret: true,
            allowedOauthFlowsUserPoolClient: true,
            allowedOauthFlows: ["code"],
            allowedOauthScopes: ["openid", "email", "profile"],
            callbackUrls: ["https://ss.example.org/oidc/callback/", "https://ss.example.org/oauth2/idpresponse"],
            logoutUrls: ["https://ss.example.org/"],
            supportedIdentityProviders: ["COGNITO"],
            explicitAuthFlows: ["ALLOW_REFRESH_TOKEN_AUTH"],
            preventUserExistenceErrors: "ENABLED",
            enableTokenRevocation: true,
            accessTokenValidity: 60,
            idTokenValidity: 60,
            refreshTokenValidity: 12,
            tokenValidityUnits: { accessToken: "minutes", idToken: "minutes", refreshToken: "hours" },
        });
        const federated = await planIdentity({ ...ARGS, identityProviders: ["EntraID"] });
        assert.deepStrictEqual(federated.named("archivematica-identity-dashboard").props.supportedIdentityProviders, [
            "COGNITO",
            "EntraID",
        ]);
    });

    it("each client secret goes to Secrets Manager as a secret, and never to an output", async () => {
        const p = await planIdentity(ARGS);
        const version = p.named("archivematica-identity-dashboard-client-secret-version");
        assert.match(String(version.props.secretString), new RegExp(`^${MOCK_SECRET_MARK}-cognito-[0-9a-f]{16}$`));
        assert.ok(
            JSON.stringify(version.inputs).includes("4dabf18193072939515e22adb298388d"),
            "the secret version's value is marked secret",
        );
        assert.ok(!JSON.stringify(p.outputs).includes(MOCK_SECRET_MARK), "no output carries a client secret");
        assert.deepStrictEqual(p.outputs, {
            issuer: "https://cognito-idp.eu-west-2.amazonaws.com/archivematica-identity-pool-id",
            authorizationEndpoint: "https://example-archives-staging.auth.eu-west-2.amazoncognito.com/oauth2/authorize",
            tokenEndpoint: "https://example-archives-staging.auth.eu-west-2.amazoncognito.com/oauth2/token",
            userInfoEndpoint: "https://example-archives-staging.auth.eu-west-2.amazoncognito.com/oauth2/userInfo",
            jwksEndpoint: "https://cognito-idp.eu-west-2.amazonaws.com/archivematica-identity-pool-id/.well-known/jwks.json",
            userPoolArn: "arn:aws:cognito-idp:eu-west-2:123456789012:userpool/archivematica-identity-pool-id",
            domain: "example-archives-staging",
            dashboardClientId: "archivematica-identity-dashboard-id",
            dashboardSecretArn: `arn:aws:secretsmanager:eu-west-2:123456789012:secret:archivematica-identity-dashboard-client-secret-${sha("archivematica-identity-dashboard-client-secret").slice(0, 6)}`,
        });
        assert.deepStrictEqual(p.named("archivematica-identity-dashboard-client-secret").props, {
            description: "Client secret of the dashboard's Cognito app client (OIDC_RP_CLIENT_SECRET)",
            recoveryWindowInDays: 7,
            tags: mergeTags(TAGS, "archivematica-identity-dashboard-client-secret"),
        });
    });

    it("protect turns on Cognito's deletion protection", async () => {
        const p = await planIdentity({ ...ARGS, protect: true });
        assert.strictEqual(p.named("archivematica-identity-pool").props.deletionProtection, "ACTIVE");
    });

    it("refuses a reserved domain prefix and a group name with a space, before any child", () => {
        assert.throws(
            () => new Identity("x", { ...ARGS, domainPrefix: "my-cognito" }),
            /^Error: Identity "x": domainPrefix "my-cognito" is not a Cognito domain prefix; valid: 1-63 lower-case letters, digits or inner hyphens, without aws, amazon or cognito$/,
        );
        assert.throws(
            () => new Identity("x", { ...ARGS, groups: ["Archive admins"] }),
            /^Error: Identity "x": groups has "Archive admins", which is not a Cognito group name; valid: 1-128 letters, digits, marks or punctuation, no spaces$/,
        );
    });
});
