import * as assert from "assert";
import * as listenerAuthentication from "../../policy/rules/aws-lb-listenerrule-require-authentication";
import { patch, ResourceSpec, runStack, urnOf } from "./harness";

const { policy } = listenerAuthentication;
const RULE = "aws:lb/listenerRule:ListenerRule";
const FORWARD = { type: "forward", targetGroupArn: "arn:tg" };
const AUTHENTICATE = {
    type: "authenticate-oidc",
    order: 1,
    authenticateOidc: {
        issuer: "https://idp.example.org",
        authorizationEndpoint: "https://idp.example.org/auth",
        tokenEndpoint: "https://idp.example.org/token",
        userInfoEndpoint: "https://idp.example.org/userinfo",
        clientId: "am",
        clientSecret: "x",
    },
};

const rule = (name: string, actions: unknown[], paths?: string[]): ResourceSpec => ({
    type: RULE,
    name,
    props: {
        listenerArn: "arn:listener",
        priority: 10,
        conditions: [{ hostHeader: { values: ["am.example.org"] } }, ...(paths ? [{ pathPattern: { values: paths } }] : [])],
        actions,
    },
});

const dashboardTask = (value: string): ResourceSpec => ({
    type: "aws:ecs/taskDefinition:TaskDefinition",
    name: "dashboard-task-definition",
    props: {
        family: "am-dashboard",
        containerDefinitions: JSON.stringify([
            { name: "dashboard", environment: [{ name: "ARCHIVEMATICA_DASHBOARD_DASHBOARD_OIDC_AUTHENTICATION", value }] },
        ]),
    },
});

/** The compliant stack: OIDC on, /api/* forwarded as it is, the host's rule authenticating first. */
const COMPLIANT: ResourceSpec[] = [
    dashboardTask("true"),
    rule("dashboard-api-rule", [FORWARD], ["/api/*"]),
    rule("dashboard-rule", [AUTHENTICATE, { ...FORWARD, order: 2 }]),
    {
        type: "aws:lb/listener:Listener",
        name: "https",
        props: { protocol: "HTTPS", defaultActions: [{ type: "fixed-response", fixedResponse: { statusCode: "404" } }] },
    },
];

const FIX =
    "add an authenticate-oidc or authenticate-cognito action before the forward (signInAlbAuthentication), or limit the rule to /api/*";

describe("aws-lb-listenerrule-require-authentication", () => {
    it("passes: provider sign-in with authenticated host rules and the unauthenticated API rule", async () => {
        assert.deepStrictEqual(await runStack(policy, COMPLIANT), { messages: [], urns: [] });
    });

    it("local sign-in only: forwarding rules need no authentication", async () => {
        const local = COMPLIANT.map((r) => (r.name === "dashboard-rule" ? rule("dashboard-rule", [FORWARD]) : r));
        assert.deepStrictEqual(await runStack(policy, [dashboardTask("false"), ...local.slice(1)]), { messages: [], urns: [] });
    });

    it("fails a host rule that forwards without authenticating, naming why the stack is concerned", async () => {
        const stack = COMPLIANT.map((r) => (r.name === "dashboard-rule" ? rule("dashboard-rule", [FORWARD]) : r));
        assert.deepStrictEqual(await runStack(policy, stack), {
            messages: [
                `listener rule forwards without authenticating although ARCHIVEMATICA_DASHBOARD_DASHBOARD_OIDC_AUTHENTICATION is true; ${FIX}`,
            ],
            urns: [urnOf(RULE, "dashboard-rule")],
        });
    });

    it("a Cognito user pool concerns the stack too; so does the Storage Service's switch", async () => {
        const open = rule("storage-service-rule", [FORWARD]);
        const pool: ResourceSpec = { type: "aws:cognito/userPool:UserPool", name: "pool", props: { mfaConfiguration: "ON" } };
        assert.deepStrictEqual((await runStack(policy, [pool, open])).messages, [
            `listener rule forwards without authenticating although a Cognito user pool signs staff in; ${FIX}`,
        ]);
        const ssTask = patch(dashboardTask("on"), (t) => {
            t.props.containerDefinitions = JSON.stringify([
                { name: "storage-service", environment: [{ name: "SS_OIDC_AUTHENTICATION", value: "On" }] },
            ]);
        });
        assert.deepStrictEqual((await runStack(policy, [ssTask, open])).messages, [
            `listener rule forwards without authenticating although SS_OIDC_AUTHENTICATION is true; ${FIX}`,
        ]);
    });

    it("an API rule must be limited to API paths only: a browser path beside /api/* is not exempt", async () => {
        const stack = [...COMPLIANT, rule("mixed", [FORWARD], ["/api/*", "/transfer/*"])];
        assert.deepStrictEqual((await runStack(policy, stack)).urns, [urnOf(RULE, "mixed")]);
        assert.deepStrictEqual(await runStack(policy, stack, { unauthenticatedPathPatterns: ["/api/*", "/transfer/*"] }), {
            messages: [],
            urns: [],
        });
    });

    it("fails a listener whose default action forwards without authenticating", async () => {
        const stack = COMPLIANT.map((r) => (r.name === "https" ? patch(r, (l) => (l.props.defaultActions = [FORWARD])) : r));
        assert.deepStrictEqual(await runStack(policy, stack), {
            messages: [
                `listener's default action forwards without authenticating although ARCHIVEMATICA_DASHBOARD_DASHBOARD_OIDC_AUTHENTICATION is true; ${FIX}`,
            ],
            urns: [urnOf("aws:lb/listener:Listener", "https")],
        });
    });
});
