/**
 * How the dashboard and the Storage Service sign staff in with an OpenID Connect provider: the
 * environment and ECS secrets each app reads, as pure functions of the resolved sign-in (the catalogue
 * entries add them to their containers). Names and meanings are Archivematica 1.18's and Storage
 * Service 0.24's own, read in their source (the test lists the file and line of each):
 *
 * - dashboard: `ARCHIVEMATICA_DASHBOARD_DASHBOARD_OIDC_AUTHENTICATION` and `…_OIDC_ALLOW_LOCAL_AUTHENTICATION`
 *   (settings/base.py CONFIG_MAPPING; the env name is prefix_section_option), then the `OIDC_*`
 *   variables of settings/components/oidc_auth.py;
 * - Storage Service: `SS_OIDC_AUTHENTICATION`, `SS_OIDC_ALLOW_LOCAL_AUTHENTICATION` and the same `OIDC_*`
 *   names in storage_service/settings/base.py.
 *
 * Choices that depend on upstream:
 * - `OIDC_RP_SIGN_ALGO` is RS256: the default HS256 would verify ID tokens with the client secret, and
 *   every provider here (Entra ID, Google, Keycloak, Cognito) signs with RS256 keys from the JWKS URI.
 * - `OIDC_USE_PKCE` is on (S256 is the upstream default method, so it is not set).
 * - `AZURE_TENANT_ID` is never set: it would override the endpoints with Microsoft's.
 * - Roles: both apps decode the *access token* and keep only the claims named in
 *   `OIDC_ACCESS_ATTRIBUTE_MAP`, then look the role claim path up in what they kept (CustomOIDCBackend
 *   get_userinfo / get_user_role). So with roles from claims the map also copies the claim path's first
 *   name to itself (upstream install/README.md: "realm_access": "realm_access" for Keycloak).
 * - The client secret only ever travels as an ECS secret (`OIDC_RP_CLIENT_SECRET` from Secrets Manager).
 * - Callbacks are `https://<host>/oidc/callback/` (mozilla_django_oidc.urls under `oidc/` in both apps).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { RoleClaims } from "../../../config";

/** The claims both apps copy from the access token by default (oidc_auth.py DEFAULT_OIDC_CLAIMS). */
export const DEFAULT_OIDC_CLAIMS: Readonly<Record<string, string>> = { given_name: "first_name", family_name: "last_name" };

/** Path both apps serve the provider's redirect on. */
export const OIDC_CALLBACK_PATH = "/oidc/callback/";

/** The provider's endpoints as the apps need them. */
export interface OidcEndpoints {
    authorization: pulumi.Input<string>;
    token: pulumi.Input<string>;
    userInfo: pulumi.Input<string>;
    jwks: pulumi.Input<string>;
    /** End-session endpoint that accepts `id_token_hint` and `post_logout_redirect_uri`; absent: none. */
    logout?: pulumi.Input<string>;
}

/** One app's sign-in, resolved for a stack: its own client id, the provider's endpoints, the roles. */
export interface AppSignIn {
    clientId: pulumi.Input<string>;
    endpoints: OidcEndpoints;
    roles: RoleClaims;
    /** Password sign-in stays available beside the provider. */
    localLogin: boolean;
}

/** The logical secret an app reads its client secret from (services map it to a Secrets Manager ARN). */
export type OidcSecretName = "dashboardOidcClientSecret" | "storageServiceOidcClientSecret";

/** What a catalogue entry adds to its container. */
export interface SignInSettings<S extends OidcSecretName> {
    environment: Record<string, pulumi.Input<string>>;
    secrets: Record<string, S>;
}

const bool = (b: boolean) => (b ? "true" : "false");

/** `OIDC_ACCESS_ATTRIBUTE_MAP`: the default claims, plus the role claim's first name when roles come from claims. */
export function accessAttributeMap(roles: RoleClaims): string | undefined {
    if (!roles.fromClaims || !roles.claimPath) return undefined;
    const root = roles.claimPath.split(".")[0];
    return JSON.stringify({ ...DEFAULT_OIDC_CLAIMS, [root]: root });
}

/** The `OIDC_*` variables both apps read under the same names. */
function providerEnvironment(s: AppSignIn): Record<string, pulumi.Input<string>> {
    const attributeMap = accessAttributeMap(s.roles);
    return {
        OIDC_RP_CLIENT_ID: s.clientId,
        OIDC_OP_AUTHORIZATION_ENDPOINT: s.endpoints.authorization,
        OIDC_OP_TOKEN_ENDPOINT: s.endpoints.token,
        OIDC_OP_USER_ENDPOINT: s.endpoints.userInfo,
        OIDC_OP_JWKS_ENDPOINT: s.endpoints.jwks,
        ...(s.endpoints.logout !== undefined ? { OIDC_OP_LOGOUT_ENDPOINT: s.endpoints.logout } : {}),
        OIDC_RP_SIGN_ALGO: "RS256",
        OIDC_USE_PKCE: "true",
        OIDC_OP_SET_ROLES_FROM_CLAIMS: bool(s.roles.fromClaims),
        ...(attributeMap !== undefined && s.roles.claimPath
            ? { OIDC_OP_ROLE_CLAIM_PATH: s.roles.claimPath, OIDC_ACCESS_ATTRIBUTE_MAP: attributeMap, OIDC_ROLE_CLAIM_ADMIN: s.roles.admin }
            : {}),
    };
}

/** The dashboard's sign-in settings; none for local sign-in (today's behaviour, no variable set). */
export function dashboardSignIn(s: AppSignIn | undefined): SignInSettings<"dashboardOidcClientSecret"> {
    if (s === undefined) return { environment: {}, secrets: {} };
    const provider = providerEnvironment(s);
    return {
        environment: {
            ARCHIVEMATICA_DASHBOARD_DASHBOARD_OIDC_AUTHENTICATION: "true",
            ARCHIVEMATICA_DASHBOARD_DASHBOARD_OIDC_ALLOW_LOCAL_AUTHENTICATION: bool(s.localLogin),
            ...provider,
            ...("OIDC_ROLE_CLAIM_ADMIN" in provider ? { OIDC_ROLE_CLAIM_DEFAULT: s.roles.user } : {}),
        },
        secrets: { OIDC_RP_CLIENT_SECRET: "dashboardOidcClientSecret" },
    };
}

/** The Storage Service's sign-in settings; none for local sign-in. */
export function storageServiceSignIn(s: AppSignIn | undefined): SignInSettings<"storageServiceOidcClientSecret"> {
    if (s === undefined) return { environment: {}, secrets: {} };
    const provider = providerEnvironment(s);
    return {
        environment: {
            SS_OIDC_AUTHENTICATION: "true",
            SS_OIDC_ALLOW_LOCAL_AUTHENTICATION: bool(s.localLogin),
            ...provider,
            ...("OIDC_ROLE_CLAIM_ADMIN" in provider
                ? {
                      OIDC_ROLE_CLAIM_MANAGER: s.roles.manager,
                      OIDC_ROLE_CLAIM_REVIEWER: s.roles.reviewer,
                      OIDC_ROLE_CLAIM_READER: s.roles.reader,
                  }
                : {}),
        },
        secrets: { OIDC_RP_CLIENT_SECRET: "storageServiceOidcClientSecret" },
    };
}

/** The redirect URIs one app's client registration must allow: the app's own and the load balancer's. */
export function redirectUris(hostname: string, albAuthenticates: boolean): string[] {
    const base = `https://${hostname}`;
    return albAuthenticates ? [`${base}${OIDC_CALLBACK_PATH}`, `${base}/oauth2/idpresponse`] : [`${base}${OIDC_CALLBACK_PATH}`];
}

/**
 * The app's essential container with its sign-in settings added. Only the app's own container gets
 * them: the bootstrap's init containers (migrate, install, create_user) sign nobody in, so they never
 * receive the client secret.
 */
export function withSignIn<C extends SignInTarget>(container: C, settings: SignInSettings<OidcSecretName & SecretOf<C>>): C {
    return {
        ...container,
        environment: { ...container.environment, ...settings.environment },
        secrets: { ...container.secrets, ...settings.secrets },
    };
}

/** A container the settings can be added to (the catalogue's AppContainer, without importing it). */
interface SignInTarget {
    environment?: Record<string, pulumi.Input<string>>;
    secrets?: Record<string, string>;
}

/** The logical secret names a container's `secrets` may hold. */
type SecretOf<C extends SignInTarget> = NonNullable<C["secrets"]>[string];
