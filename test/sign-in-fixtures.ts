/** Sign-in config shared by the sign-in tests. */

/** A complete external provider (Entra ID's endpoint shapes, example tenant). */
export const ENTRA = {
    signInMode: "oidc",
    signInIssuer: "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/v2.0",
    signInClientId: "11111111-2222-3333-4444-555555555555",
    signInClientSecretArn: "arn:aws:secretsmanager:eu-west-2:123456789012:secret:archivematica/oidc-client-AbCdEf",
    signInAuthorizationEndpoint: "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/oauth2/v2.0/authorize",
    signInTokenEndpoint: "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/oauth2/v2.0/token",
    signInUserInfoEndpoint: "https://graph.microsoft.com/oidc/userinfo",
    signInJwksEndpoint: "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/discovery/v2.0/keys",
};
