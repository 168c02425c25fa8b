/**
 * The apps' OIDC settings against upstream's expectations: every variable we set is one Archivematica
 * 1.18 / Storage Service 0.24 reads (the table gives the upstream file and line), and every variable a
 * working sign-in needs is set. Lines are those of the upstream versions read for this work: dashboard
 * settings/base.py at 0376c704; settings/components/oidc_auth.py as stored with the later
 * LOGOUT_REDIRECT_URL block (5 lines more than 1.18.0's: subtract 5); Storage Service
 * settings/base.py at 115b2b41. Variables newer than 1.18.0 (LOGOUT_REDIRECT_URL, OIDC_OP_ISSUER) are
 * deliberately absent from the tables, so setting one fails here.
 */
import * as assert from "assert";
import { accessAttributeMap, AppSignIn, dashboardSignIn, redirectUris, storageServiceSignIn } from "../components/app/catalogue/sign-in";

const DASH_OIDC = "src/archivematica/dashboard/settings/components/oidc_auth.py";
const DASH_BASE = "src/archivematica/dashboard/settings/base.py";
const SS_BASE = "src/archivematica/storage_service/storage_service/settings/base.py";

/** Every variable the dashboard reads for OIDC sign-in, where it reads it. */
const DASHBOARD_READS: Record<string, string> = {
    // CONFIG_MAPPING["oidc_authentication"], section Dashboard: env prefix_section_option (env_configparser.py _get_envvar).
    ARCHIVEMATICA_DASHBOARD_DASHBOARD_OIDC_AUTHENTICATION: `${DASH_BASE}:123`,
    ARCHIVEMATICA_DASHBOARD_DASHBOARD_OIDC_ALLOW_LOCAL_AUTHENTICATION: `${DASH_BASE}:128`,
    OIDC_RP_CLIENT_ID: `${DASH_OIDC}:13`,
    OIDC_RP_CLIENT_SECRET: `${DASH_OIDC}:14`,
    OIDC_OP_AUTHORIZATION_ENDPOINT: `${DASH_OIDC}:37`,
    OIDC_OP_TOKEN_ENDPOINT: `${DASH_OIDC}:40`,
    OIDC_OP_USER_ENDPOINT: `${DASH_OIDC}:41`,
    OIDC_OP_JWKS_ENDPOINT: `${DASH_OIDC}:42`,
    OIDC_OP_LOGOUT_ENDPOINT: `${DASH_OIDC}:43`,
    OIDC_OP_SET_ROLES_FROM_CLAIMS: `${DASH_OIDC}:45`,
    OIDC_OP_ROLE_CLAIM_PATH: `${DASH_OIDC}:53`,
    OIDC_ROLE_CLAIM_ADMIN: `${DASH_OIDC}:56`,
    OIDC_ROLE_CLAIM_DEFAULT: `${DASH_OIDC}:57`,
    OIDC_RP_SIGN_ALGO: `${DASH_OIDC}:76`,
    OIDC_USE_PKCE: `${DASH_OIDC}:78`,
    OIDC_ACCESS_ATTRIBUTE_MAP: `${DASH_OIDC}:100`,
};

/** Every variable the Storage Service reads for OIDC sign-in, where it reads it. */
const STORAGE_SERVICE_READS: Record<string, string> = {
    SS_OIDC_AUTHENTICATION: `${SS_BASE}:582`,
    SS_OIDC_ALLOW_LOCAL_AUTHENTICATION: `${SS_BASE}:617`,
    OIDC_RP_CLIENT_ID: `${SS_BASE}:629`,
    OIDC_RP_CLIENT_SECRET: `${SS_BASE}:630`,
    OIDC_OP_AUTHORIZATION_ENDPOINT: `${SS_BASE}:654`,
    OIDC_OP_TOKEN_ENDPOINT: `${SS_BASE}:657`,
    OIDC_OP_USER_ENDPOINT: `${SS_BASE}:658`,
    OIDC_OP_JWKS_ENDPOINT: `${SS_BASE}:659`,
    OIDC_OP_LOGOUT_ENDPOINT: `${SS_BASE}:660`,
    OIDC_OP_SET_ROLES_FROM_CLAIMS: `${SS_BASE}:662`,
    OIDC_OP_ROLE_CLAIM_PATH: `${SS_BASE}:665`,
    OIDC_ROLE_CLAIM_ADMIN: `${SS_BASE}:668`,
    OIDC_ROLE_CLAIM_MANAGER: `${SS_BASE}:669`,
    OIDC_ROLE_CLAIM_REVIEWER: `${SS_BASE}:670`,
    OIDC_ROLE_CLAIM_READER: `${SS_BASE}:671`,
    OIDC_RP_SIGN_ALGO: `${SS_BASE}:690`,
    OIDC_USE_PKCE: `${SS_BASE}:692`,
    OIDC_ACCESS_ATTRIBUTE_MAP: `${SS_BASE}:706`,
};

/**
 * What a working sign-in needs from the environment. Neither app refuses to start without these (an
 * unset endpoint defaults to ""); sign-in fails at the provider instead, so the test stands in for it.
 */
const NEEDED_BY_BOTH = [
    "OIDC_RP_CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET",
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT",
    // Default HS256 checks ID tokens against the client secret; the providers sign with RS256.
    "OIDC_RP_SIGN_ALGO",
];
const NEEDED = {
    dashboard: ["ARCHIVEMATICA_DASHBOARD_DASHBOARD_OIDC_AUTHENTICATION", ...NEEDED_BY_BOTH],
    storageService: ["SS_OIDC_AUTHENTICATION", ...NEEDED_BY_BOTH],
};

const ENDPOINTS = {
    authorization: "https://idp.example.org/realms/archives/protocol/openid-connect/auth",
    token: "https://idp.example.org/realms/archives/protocol/openid-connect/token",
    userInfo: "https://idp.example.org/realms/archives/protocol/openid-connect/userinfo",
    jwks: "https://idp.example.org/realms/archives/protocol/openid-connect/certs",
};

const ROLES_OFF = {
    fromClaims: false,
    admin: "admin",
    user: "default",
    manager: "manager",
    reviewer: "reviewer",
    reader: "reader",
};

/** Keycloak with roles from realm_access.roles and a logout endpoint; break-glass login on. */
const KEYCLOAK: AppSignIn = {
    clientId: "archivematica",
    endpoints: { ...ENDPOINTS, logout: "https://idp.example.org/realms/archives/protocol/openid-connect/logout" },
    roles: { ...ROLES_OFF, fromClaims: true, claimPath: "realm_access.roles", admin: "am-admin", user: "am-user", reader: "am-reader" },
    localLogin: true,
};

/** The cases every table check runs over. */
const CASES: [string, AppSignIn][] = [
    ["roles off, no logout, no local login", { clientId: "archivematica", endpoints: ENDPOINTS, roles: ROLES_OFF, localLogin: false }],
    ["Keycloak roles, logout, break-glass login", KEYCLOAK],
    [
        "Cognito groups",
        {
            clientId: "abc123",
            endpoints: ENDPOINTS,
            roles: { ...ROLES_OFF, fromClaims: true, claimPath: "cognito:groups" },
            localLogin: false,
        },
    ],
];

describe("sign-in settings of the apps, against upstream", () => {
    for (const [label, signIn] of CASES) {
        it(`${label}: every variable is one the app reads, and none it needs is missing`, () => {
            for (const [app, settings, reads] of [
                ["dashboard", dashboardSignIn(signIn), DASHBOARD_READS],
                ["storageService", storageServiceSignIn(signIn), STORAGE_SERVICE_READS],
            ] as const) {
                const names = [...Object.keys(settings.environment), ...Object.keys(settings.secrets)];
                assert.deepStrictEqual(
                    names.filter((n) => !(n in reads)),
                    [],
                    `${app} sets variables its upstream settings never read`,
                );
                assert.deepStrictEqual(
                    NEEDED[app].filter((n) => !names.includes(n)),
                    [],
                    `${app} misses variables a working sign-in needs`,
                );
                // The client secret never rides in the environment.
                assert.deepStrictEqual(Object.keys(settings.secrets), ["OIDC_RP_CLIENT_SECRET"]);
                assert.ok(!("OIDC_RP_CLIENT_SECRET" in settings.environment));
            }
        });
    }

    it("the dashboard's exact settings with Keycloak roles", () => {
        assert.deepStrictEqual(dashboardSignIn(KEYCLOAK), {
            environment: {
                ARCHIVEMATICA_DASHBOARD_DASHBOARD_OIDC_AUTHENTICATION: "true",
                ARCHIVEMATICA_DASHBOARD_DASHBOARD_OIDC_ALLOW_LOCAL_AUTHENTICATION: "true",
                OIDC_RP_CLIENT_ID: "archivematica",
                OIDC_OP_AUTHORIZATION_ENDPOINT: ENDPOINTS.authorization,
                OIDC_OP_TOKEN_ENDPOINT: ENDPOINTS.token,
                OIDC_OP_USER_ENDPOINT: ENDPOINTS.userInfo,
                OIDC_OP_JWKS_ENDPOINT: ENDPOINTS.jwks,
                OIDC_OP_LOGOUT_ENDPOINT: "https://idp.example.org/realms/archives/protocol/openid-connect/logout",
                OIDC_RP_SIGN_ALGO: "RS256",
                OIDC_USE_PKCE: "true",
                OIDC_OP_SET_ROLES_FROM_CLAIMS: "true",
                OIDC_OP_ROLE_CLAIM_PATH: "realm_access.roles",
                OIDC_ACCESS_ATTRIBUTE_MAP: '{"given_name":"first_name","family_name":"last_name","realm_access":"realm_access"}',
                OIDC_ROLE_CLAIM_ADMIN: "am-admin",
                OIDC_ROLE_CLAIM_DEFAULT: "am-user",
            },
            secrets: { OIDC_RP_CLIENT_SECRET: "dashboardOidcClientSecret" },
        });
    });

    it("the Storage Service's exact settings without roles from claims: no role variables at all", () => {
        assert.deepStrictEqual(
            storageServiceSignIn({ clientId: "archivematica", endpoints: ENDPOINTS, roles: ROLES_OFF, localLogin: false }),
            {
                environment: {
                    SS_OIDC_AUTHENTICATION: "true",
                    SS_OIDC_ALLOW_LOCAL_AUTHENTICATION: "false",
                    OIDC_RP_CLIENT_ID: "archivematica",
                    OIDC_OP_AUTHORIZATION_ENDPOINT: ENDPOINTS.authorization,
                    OIDC_OP_TOKEN_ENDPOINT: ENDPOINTS.token,
                    OIDC_OP_USER_ENDPOINT: ENDPOINTS.userInfo,
                    OIDC_OP_JWKS_ENDPOINT: ENDPOINTS.jwks,
                    OIDC_RP_SIGN_ALGO: "RS256",
                    OIDC_USE_PKCE: "true",
                    OIDC_OP_SET_ROLES_FROM_CLAIMS: "false",
                },
                secrets: { OIDC_RP_CLIENT_SECRET: "storageServiceOidcClientSecret" },
            },
        );
        assert.deepStrictEqual(storageServiceSignIn(KEYCLOAK).environment.OIDC_ROLE_CLAIM_READER, "am-reader");
    });

    it("local sign-in sets nothing: today's environment", () => {
        assert.deepStrictEqual(dashboardSignIn(undefined), { environment: {}, secrets: {} });
        assert.deepStrictEqual(storageServiceSignIn(undefined), { environment: {}, secrets: {} });
    });

    it("the access attribute map copies the role claim's first name (upstream README); Cognito's colon is one name", () => {
        assert.strictEqual(
            accessAttributeMap({ ...ROLES_OFF, fromClaims: true, claimPath: "cognito:groups" }),
            '{"given_name":"first_name","family_name":"last_name","cognito:groups":"cognito:groups"}',
        );
        assert.strictEqual(accessAttributeMap({ ...ROLES_OFF, fromClaims: false, claimPath: "cognito:groups" }), undefined);
    });

    it("redirect URIs: the app's /oidc/callback/, plus the load balancer's /oauth2/idpresponse when it authenticates", () => {
        assert.deepStrictEqual(redirectUris("archivematica.example.org", true), [
            "https://archivematica.example.org/oidc/callback/",
            "https://archivematica.example.org/oauth2/idpresponse",
        ]);
        assert.deepStrictEqual(redirectUris("storage.example.org", false), ["https://storage.example.org/oidc/callback/"]);
    });
});
