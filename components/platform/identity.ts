/**
 * Identity: the Amazon Cognito user pool staff sign in with when the archive has no identity provider
 * of its own yet (`signInMode: cognito`). One pool with multi-factor authentication required (TOTP
 * apps), no self sign-up (administrators invite users), a Cognito-hosted sign-in domain, and one app
 * client per app (dashboard, Storage Service) with a client secret, the authorization-code flow and
 * the apps' (and the load balancer's) redirect URIs. Each client secret is copied into a Secrets
 * Manager secret, from which ECS hands it to the app: it is never in an environment or an output.
 *
 * Federation: a SAML or OIDC provider (Entra ID, Google Workspace, Shibboleth) can be added to the pool
 * later (`aws.cognito.IdentityProvider`) and named in `identityProviders`; the apps keep talking to
 * Cognito. README, "Signing in".
 *
 * Sources: @pulumi/aws 7.48 cognito schema (UserPool `mfaConfiguration` ON needs a second-factor
 * configuration; `userPoolTier`; UserPoolDomain `managedLoginVersion` 1 = the classic hosted UI, which
 * needs no branding resources); Amazon Cognito developer guide, "Identity provider and relying party
 * endpoints" (`/oauth2/authorize`, `/oauth2/token`, `/oauth2/userInfo` on the domain; the issuer
 * `https://cognito-idp.<region>.amazonaws.com/<pool id>` and its `/.well-known/jwks.json`).
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { mergeTags, Tags } from "../../lib/tags";

/** The apps that get a client. */
export const IDENTITY_APPS = ["dashboard", "storage-service"] as const;
export type IdentityApp = (typeof IDENTITY_APPS)[number];

/** Scopes the clients may request: the apps ask for `openid email`, the load balancer also `profile`. */
export const CLIENT_SCOPES = ["openid", "email", "profile"];

/** A Cognito group name (CreateGroup API: `[\p{L}\p{M}\p{S}\p{N}\p{P}]+`, 1-128 characters). */
const GROUP_NAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u;

/** A Cognito prefix domain (CreateUserPoolDomain), without the words Cognito reserves. */
const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export interface IdentityArgs {
    /**
     * Prefix of the hosted sign-in domain, `<prefix>.auth.<region>.amazoncognito.com`; unique in the region.
     * @example "example-archives-staging"
     */
    domainPrefix: string;
    /**
     * Each app's client: the redirect URIs Cognito may send codes to (the app's `/oidc/callback/`, and the
     * load balancer's `/oauth2/idpresponse` when it authenticates too) and the URLs it may return to
     * after signing out.
     * @example { callbackUrls: ["https://am.example.org/oidc/callback/"], logoutUrls: ["https://am.example.org/"] }
     */
    clients: Record<IdentityApp, { callbackUrls: string[]; logoutUrls: string[] }>;
    /** The stack's region (the endpoints' host names). */
    region: string;
    /** Required tags, set on every taggable child. */
    tags: Tags;
    /**
     * Groups to create, named by the role claim values the apps map (their members get the role).
     * @default [] (no groups)
     */
    groups?: string[];
    /**
     * Further identity providers of the pool the clients offer (the `providerName` of each
     * `aws.cognito.IdentityProvider` federated into the pool).
     * @default [] (only the pool's own users)
     */
    identityProviders?: string[];
    /**
     * Cognito deletion protection on the pool (and Pulumi `protect`).
     * @default false
     */
    protect?: boolean;
}

/** One app's client: its id and the Secrets Manager secret holding its secret. */
export interface IdentityClient {
    clientId: pulumi.Output<string>;
    clientSecretArn: pulumi.Output<string>;
}

/** Throws the one-line error for a bad argument. */
function fail(name: string, field: string, problem: string, valid: string): never {
    throw new Error(`Identity "${name}": ${field} ${problem}; valid: ${valid}`);
}

function validate(name: string, args: IdentityArgs): void {
    if (!DOMAIN_PREFIX.test(args.domainPrefix) || /aws|amazon|cognito/.test(args.domainPrefix))
        fail(
            name,
            "domainPrefix",
            `${JSON.stringify(args.domainPrefix)} is not a Cognito domain prefix`,
            "1-63 lower-case letters, digits or inner hyphens, without aws, amazon or cognito",
        );
    for (const group of args.groups ?? [])
        if (!GROUP_NAME.test(group))
            fail(
                name,
                "groups",
                `has ${JSON.stringify(group)}, which is not a Cognito group name`,
                "1-128 letters, digits, marks or punctuation, no spaces",
            );
}

export class Identity extends pulumi.ComponentResource {
    readonly userPoolId: pulumi.Output<string>;
    readonly userPoolArn: pulumi.Output<string>;
    /** The domain prefix, as the load balancer's authenticate-cognito action takes it. */
    readonly domain: pulumi.Output<string>;
    /** The pool's OpenID Connect issuer. */
    readonly issuer: pulumi.Output<string>;
    readonly authorizationEndpoint: string;
    readonly tokenEndpoint: string;
    readonly userInfoEndpoint: string;
    readonly jwksEndpoint: pulumi.Output<string>;
    readonly clients: Record<IdentityApp, IdentityClient>;

    private readonly name: string;

    constructor(name: string, args: IdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        validate(name, args);
        super("archivematica:index:Identity", name, {}, opts);
        this.name = name;

        const pool = this.createUserPool(args);
        const domain = new aws.cognito.UserPoolDomain(
            `${name}-domain`,
            { domain: args.domainPrefix, userPoolId: pool.id, managedLoginVersion: 1 },
            { parent: this },
        );
        for (const group of [...new Set(args.groups ?? [])]) this.createGroup(pool, group);
        this.clients = {
            dashboard: this.createClient(args, pool, "dashboard"),
            "storage-service": this.createClient(args, pool, "storage-service"),
        };

        const host = `https://${args.domainPrefix}.auth.${args.region}.amazoncognito.com`;
        this.userPoolId = pool.id;
        this.userPoolArn = pool.arn;
        this.domain = domain.domain;
        this.issuer = pulumi.interpolate`https://cognito-idp.${args.region}.amazonaws.com/${pool.id}`;
        this.authorizationEndpoint = `${host}/oauth2/authorize`;
        this.tokenEndpoint = `${host}/oauth2/token`;
        this.userInfoEndpoint = `${host}/oauth2/userInfo`;
        this.jwksEndpoint = pulumi.interpolate`${this.issuer}/.well-known/jwks.json`;

        this.registerOutputs({
            userPoolId: this.userPoolId,
            userPoolArn: this.userPoolArn,
            domain: this.domain,
            issuer: this.issuer,
            authorizationEndpoint: this.authorizationEndpoint,
            tokenEndpoint: this.tokenEndpoint,
            userInfoEndpoint: this.userInfoEndpoint,
            jwksEndpoint: this.jwksEndpoint,
            clients: this.clients,
        });
    }

    /** The pool: TOTP required, invitations only, e-mail as the user name, a strong password policy. */
    private createUserPool(args: IdentityArgs): aws.cognito.UserPool {
        const protect = args.protect ?? false;
        return new aws.cognito.UserPool(
            `${this.name}-pool`,
            {
                // Essentials: the plan for hosted sign-in with MFA; Plus adds threat protection.
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
                deletionProtection: protect ? "ACTIVE" : "INACTIVE",
                tags: mergeTags(args.tags, `${this.name}-pool`),
            },
            { parent: this, protect },
        );
    }

    /** A group whose name is a role claim value: `cognito:groups` in its members' tokens carries it. */
    private createGroup(pool: aws.cognito.UserPool, group: string): void {
        const slug = group.toLowerCase().replace(/[^a-z0-9]+/g, "-");
        new aws.cognito.UserGroup(
            `${this.name}-group-${slug}`,
            { userPoolId: pool.id, name: group, description: `Archivematica role claim ${group}` },
            { parent: this },
        );
    }

    /** One app's confidential client and the secret that holds its client secret. */
    private createClient(args: IdentityArgs, pool: aws.cognito.UserPool, app: IdentityApp): IdentityClient {
        const parent = { parent: this };
        const urls = args.clients[app];
        const client = new aws.cognito.UserPoolClient(
            `${this.name}-${app}`,
            {
                userPoolId: pool.id,
                generateSecret: true,
                allowedOauthFlowsUserPoolClient: true,
                allowedOauthFlows: ["code"],
                allowedOauthScopes: CLIENT_SCOPES,
                callbackUrls: urls.callbackUrls,
                logoutUrls: urls.logoutUrls,
                supportedIdentityProviders: ["COGNITO", ...(args.identityProviders ?? [])],
                // Sign-in happens on the hosted pages only.
                explicitAuthFlows: ["ALLOW_REFRESH_TOKEN_AUTH"],
                preventUserExistenceErrors: "ENABLED",
                enableTokenRevocation: true,
                accessTokenValidity: 60,
                idTokenValidity: 60,
                refreshTokenValidity: 12,
                tokenValidityUnits: { accessToken: "minutes", idToken: "minutes", refreshToken: "hours" },
            },
            parent,
        );
        const secretName = `${this.name}-${app}-client-secret`;
        const secret = new aws.secretsmanager.Secret(
            secretName,
            {
                description: `Client secret of the ${app}'s Cognito app client (OIDC_RP_CLIENT_SECRET)`,
                recoveryWindowInDays: 7,
                tags: mergeTags(args.tags, secretName),
            },
            parent,
        );
        new aws.secretsmanager.SecretVersion(
            `${secretName}-version`,
            { secretId: secret.id, secretString: pulumi.secret(client.clientSecret) },
            parent,
        );
        return { clientId: client.id, clientSecretArn: secret.arn };
    }
}
