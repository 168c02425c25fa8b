import * as assert from "assert";
import { AlbAuthenticator, authenticateAction } from "../components/platform/alb-authentication";
import { Ingress, IngressArgs } from "../components/platform/ingress";
import { mergeTags } from "../lib/tags";
import { MOCK_SECRET_MARK } from "../tools/mock-aws";
import { plan, PlannedResource, TestPlan } from "./harness";

const TAGS = { Project: "archivematica", Environment: "staging", Owner: "dp@example.org", CostCentre: "DP-0042" };
const SECRET_ARN = "arn:aws:secretsmanager:eu-west-2:123456789012:secret:archivematica/oidc-client-AbCdEf";
const TENANT = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001";
const BASE: IngressArgs = {
    dashboardHostname: "am.example.org",
    storageServiceHostname: "ss.example.org",
    certificateArn: "arn:aws:acm:eu-west-2:123456789012:certificate/6f1c9a52-3b7e-4d0a-9c21-8e4f5b2d7a10",
    allowedCidrs: ["203.0.113.0/24"],
    vpcId: "vpc-0a1b2c3d4e5f67890",
    vpcCidr: "10.40.0.0/16",
    publicSubnetIds: ["subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2"],
    tags: TAGS,
};
const OIDC: AlbAuthenticator = {
    kind: "oidc",
    issuer: `${TENANT}/v2.0`,
    authorizationEndpoint: `${TENANT}/oauth2/v2.0/authorize`,
    tokenEndpoint: `${TENANT}/oauth2/v2.0/token`,
    userInfoEndpoint: "https://graph.microsoft.com/oidc/userinfo",
    clientId: "11111111-2222-3333-4444-555555555555",
    clientSecretArn: SECRET_ARN,
    sessionTimeoutSeconds: 28800,
    scopes: ["openid", "email", "profile"],
};
const COGNITO: AlbAuthenticator = {
    kind: "cognito",
    userPoolArn: "arn:aws:cognito-idp:eu-west-2:123456789012:userpool/eu-west-2_AbCdEf123",
    domain: "example-archives-staging",
    clientIds: { dashboard: "dashclient", "storage-service": "ssclient" },
    sessionTimeoutSeconds: 3600,
    scopes: ["openid", "email"],
};

async function planIngress(args: IngressArgs): Promise<TestPlan> {
    return plan(() => {
        new Ingress("archivematica-ingress", args);
    });
}

const rules = (p: TestPlan): PlannedResource[] =>
    p.ofType("aws:lb/listenerRule:ListenerRule").sort((a, b) => Number(a.props.priority) - Number(b.props.priority));

describe("the load balancer authenticates (ALB authenticate-oidc / authenticate-cognito)", () => {
    it("without authentication: one forwarding rule per host, as before", async () => {
        const p = await planIngress(BASE);
        assert.deepStrictEqual(
            rules(p).map((r) => [r.name, r.props.priority, r.props.conditions, r.props.actions.map((a: { type: string }) => a.type)]),
            [
                ["archivematica-ingress-dashboard-rule", 10, [{ hostHeader: { values: ["am.example.org"] } }], ["forward"]],
                ["archivematica-ingress-storage-service-rule", 20, [{ hostHeader: { values: ["ss.example.org"] } }], ["forward"]],
            ],
        );
    });

    it("oidc: /api/* of each host forwards first, without authentication; the host's rule authenticates, then forwards", async () => {
        const p = await planIngress({ ...BASE, authentication: OIDC });
        const [dashApi, dash, ssApi, ss] = rules(p);
        const dashTg = dash.props.actions[1].targetGroupArn;
        assert.deepStrictEqual(dashApi.props, {
            listenerArn: dash.props.listenerArn,
            priority: 5,
            conditions: [{ hostHeader: { values: ["am.example.org"] } }, { pathPattern: { values: ["/api/*"] } }],
            actions: [{ type: "forward", targetGroupArn: dashTg }],
            tags: mergeTags(TAGS, "archivematica-ingress-dashboard-api-rule"),
        });
        assert.deepStrictEqual(dash.props.actions, [
            {
                type: "authenticate-oidc",
                order: 1,
                authenticateOidc: {
                    issuer: `${TENANT}/v2.0`,
                    authorizationEndpoint: `${TENANT}/oauth2/v2.0/authorize`,
                    tokenEndpoint: `${TENANT}/oauth2/v2.0/token`,
                    userInfoEndpoint: "https://graph.microsoft.com/oidc/userinfo",
                    clientId: "11111111-2222-3333-4444-555555555555",
                    clientSecret: dash.props.actions[0].authenticateOidc.clientSecret,
                    onUnauthenticatedRequest: "authenticate",
                    scope: "openid email profile",
                    sessionCookieName: "AWSELBAuthSessionCookie",
                    sessionTimeout: 28800,
                },
            },
            { type: "forward", order: 2, targetGroupArn: dashTg },
        ]);
        assert.deepStrictEqual(
            [ssApi.props.priority, ssApi.props.conditions, ss.props.priority, ss.props.actions[0].type],
            [15, [{ hostHeader: { values: ["ss.example.org"] } }, { pathPattern: { values: ["/api/*"] } }], 20, "authenticate-oidc"],
        );
    });

    it("oidc: the client secret is read from Secrets Manager at deploy time and stays a Pulumi secret", async () => {
        const p = await planIngress({ ...BASE, authentication: OIDC });
        const dash = p.named("archivematica-ingress-dashboard-rule");
        assert.match(dash.props.actions[0].authenticateOidc.clientSecret, new RegExp(`^${MOCK_SECRET_MARK}-[0-9a-f]{16}$`));
        // In the registered inputs the value is wrapped as a secret, never plain.
        const raw = JSON.stringify(dash.inputs);
        assert.ok(raw.includes("4dabf18193072939515e22adb298388d"));
        assert.ok(!/"clientSecret":"mock-secret-value/.test(raw), raw);
    });

    it("cognito: each host authenticates with its own app client of the stack's user pool", async () => {
        const p = await planIngress({ ...BASE, authentication: COGNITO });
        assert.deepStrictEqual(p.named("archivematica-ingress-storage-service-rule").props.actions[0], {
            type: "authenticate-cognito",
            order: 1,
            authenticateCognito: {
                userPoolArn: "arn:aws:cognito-idp:eu-west-2:123456789012:userpool/eu-west-2_AbCdEf123",
                userPoolClientId: "ssclient",
                userPoolDomain: "example-archives-staging",
                onUnauthenticatedRequest: "authenticate",
                scope: "openid email",
                sessionCookieName: "AWSELBAuthSessionCookie",
                sessionTimeout: 3600,
            },
        });
        assert.strictEqual(
            p.named("archivematica-ingress-dashboard-rule").props.actions[0].authenticateCognito.userPoolClientId,
            "dashclient",
        );
    });

    it("an authenticate-oidc action without its client secret is a programming error, named", () => {
        assert.throws(
            () => authenticateAction(OIDC, "dashboard"),
            /^Error: authenticateAction: the dashboard rule's authenticate-oidc action needs the client secret$/,
        );
    });
});
