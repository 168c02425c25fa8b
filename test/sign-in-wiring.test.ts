/**
 * The whole cluster in each sign-in mode: what the edge becomes (listener actions, WAF), and that no
 * client secret appears in any container environment, output or plan line. The mocks give every
 * invented secret value a recognisable mark (tools/mock-aws.ts MOCK_SECRET_MARK); a value the engine
 * receives wrapped as a secret is masked in previews and encrypted in state, so only unwrapped
 * occurrences count as leaks.
 */
import * as assert from "assert";
import { createHash } from "crypto";
import { ArchivematicaCluster } from "../components/archivematica-cluster";
import { MOCK_SECRET_MARK } from "../tools/mock-aws";
import { toPreviewDigest } from "../tools/preview-json";
import { runGate } from "../tools/gate";
import { policy as listenerAuthentication } from "../policy/rules/aws-lb-listenerrule-require-authentication";
import { ENTRA } from "./sign-in-fixtures";
import { planStackRunWith } from "./support/plan-diff";
import { PACK_TEST_TIMEOUT, plan, stackPlan, testConfig, TestPlan } from "./harness";
import { sharedPack } from "./support/shared-pack";

const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** Every string reachable in `value` outside a secret wrapper, with its path. */
function plainStrings(value: unknown, path = ""): [string, string][] {
    if (typeof value === "string") return [[path, value]];
    if (Array.isArray(value)) return value.flatMap((v, i) => plainStrings(v, `${path}[${i}]`));
    if (value && typeof value === "object") {
        if (SECRET_SIG in value) return [];
        return Object.entries(value).flatMap(([k, v]) => plainStrings(v, `${path}.${k}`));
    }
    return [];
}

/** Where a secret value appears unwrapped in the plan: resource inputs, container environments, outputs. */
function leaks(p: { resources: { name: string; inputs: unknown }[]; outputs: unknown }): string[] {
    const found: string[] = [];
    for (const r of p.resources)
        for (const [path, s] of plainStrings(r.inputs)) if (s.includes(MOCK_SECRET_MARK)) found.push(`${r.name}${path}`);
    for (const [path, s] of plainStrings(p.outputs)) if (s.includes(MOCK_SECRET_MARK)) found.push(`outputs${path}`);
    return found;
}

/** Every container's environment names, by task definition. */
function environmentNames(p: TestPlan): string[] {
    return p
        .ofType("aws:ecs/taskDefinition:TaskDefinition")
        .flatMap((t) =>
            (JSON.parse(t.props.containerDefinitions) as { environment?: { name: string; value: string }[] }[]).flatMap((c) =>
                (c.environment ?? []).map((e) => `${e.name}=${e.value}`),
            ),
        );
}

interface Container {
    name: string;
    environment?: { name: string; value: string }[];
    secrets?: { name: string; valueFrom: string }[];
}

/** The containers of a component's task definition. */
function containers(p: TestPlan, component: string): Container[] {
    return JSON.parse(p.named(`archivematica-${component}-task-definition`).props.containerDefinitions) as Container[];
}

/** The sign-in variables of a container: every OIDC one, and its OIDC secret. */
function signInOf(c: Container): { environment: Record<string, string>; secrets: Record<string, string> } {
    return {
        environment: Object.fromEntries((c.environment ?? []).filter((e) => /OIDC/.test(e.name)).map((e) => [e.name, e.value])),
        secrets: Object.fromEntries((c.secrets ?? []).filter((e) => /OIDC/.test(e.name)).map((e) => [e.name, e.valueFrom])),
    };
}

/** The mock runtime's ARN of a secret the stack creates (tools/mock-aws.ts arnFor). */
const secretArn = (name: string) =>
    `arn:aws:secretsmanager:eu-west-2:123456789012:secret:${name}-${createHash("sha256").update(name).digest("hex").slice(0, 6)}`;

const MODES: [string, Record<string, string>][] = [
    ["local", {}],
    ["oidc", ENTRA],
    ["cognito", { signInMode: "cognito", signInCognitoDomain: "example-archives-test", signInRolesFromClaims: "true" }],
];

const plans = new Map<string, Promise<TestPlan>>();
function planMode(mode: string): Promise<TestPlan> {
    if (!plans.has(mode)) {
        const overrides = MODES.find(([m]) => m === mode)![1];
        plans.set(
            mode,
            plan(() => {
                new ArchivematicaCluster("archivematica", { config: testConfig(overrides) });
            }),
        );
    }
    return plans.get(mode)!;
}

const ruleActions = (p: TestPlan) =>
    Object.fromEntries(
        p
            .ofType("aws:lb/listenerRule:ListenerRule")
            .map((r) => [r.name, (r.props.actions as { type: string }[]).map((a) => a.type).join(" → ")]),
    );

describe("sign-in wiring: the whole cluster in each mode", function () {
    this.timeout(300000);

    it("the leak check finds an unwrapped secret value and ignores a wrapped one", () => {
        const value = `${MOCK_SECRET_MARK}-0123456789abcdef`;
        assert.deepStrictEqual(
            leaks({
                resources: [
                    { name: "r", inputs: { a: [{ b: `x=${value}` }], c: { [SECRET_SIG]: "1b47061264138c4ac30d75fd1eb44270", value } } },
                ],
                outputs: { o: value },
            }),
            ["r.a[0].b", "outputs.o"],
        );
    });

    it("local: forwarding rules as before, no identity resources, WAF blocking", async () => {
        const p = await planMode("local");
        assert.deepStrictEqual(ruleActions(p), {
            "archivematica-ingress-dashboard-rule": "forward",
            "archivematica-ingress-storage-service-rule": "forward",
        });
        assert.deepStrictEqual(p.ofType("aws:cognito/userPool:UserPool"), []);
        assert.deepStrictEqual(
            p
                .named("archivematica-waf-acl")
                .props.rules.map((r: { name: string; action?: object; overrideAction?: object }) => [r.name, r.action ?? r.overrideAction]),
            [
                ["rate-limit", { block: {} }],
                ["aws-ip-reputation", { none: {} }],
                ["aws-known-bad-inputs", { none: {} }],
                ["aws-common", { none: {} }],
                ["large-body-outside-upload-paths", { block: {} }],
                ["aws-sqli", { none: {} }],
            ],
        );
        assert.deepStrictEqual(
            environmentNames(p).filter((e) => /OIDC/.test(e)),
            [],
        );
    });

    it("oidc: /api/* forwards, host rules authenticate with the provider; the secret is read, never shown", async () => {
        const p = await planMode("oidc");
        assert.deepStrictEqual(ruleActions(p), {
            "archivematica-ingress-dashboard-api-rule": "forward",
            "archivematica-ingress-storage-service-api-rule": "forward",
            "archivematica-ingress-dashboard-rule": "authenticate-oidc → forward",
            "archivematica-ingress-storage-service-rule": "authenticate-oidc → forward",
        });
        assert.strictEqual(
            p.named("archivematica-ingress-dashboard-rule").props.actions[0].authenticateOidc.clientId,
            ENTRA.signInClientId,
        );
    });

    it("cognito: the pool, its groups and clients; each host authenticates with its own client", async () => {
        const p = await planMode("cognito");
        assert.deepStrictEqual(
            p.ofType("aws:cognito/userGroup:UserGroup").map((g) => g.props.name),
            ["admin", "default", "manager", "reviewer", "reader"],
        );
        assert.deepStrictEqual(ruleActions(p), {
            "archivematica-ingress-dashboard-api-rule": "forward",
            "archivematica-ingress-storage-service-api-rule": "forward",
            "archivematica-ingress-dashboard-rule": "authenticate-cognito → forward",
            "archivematica-ingress-storage-service-rule": "authenticate-cognito → forward",
        });
        assert.strictEqual(
            p.named("archivematica-ingress-storage-service-rule").props.actions[0].authenticateCognito.userPoolClientId,
            "archivematica-identity-storage-service-id",
        );
    });

    it("oidc: each app's container has exactly its OIDC settings and the secret by ARN; the init containers have none", async () => {
        const p = await planMode("oidc");
        const provider = {
            OIDC_RP_CLIENT_ID: ENTRA.signInClientId,
            OIDC_OP_AUTHORIZATION_ENDPOINT: ENTRA.signInAuthorizationEndpoint,
            OIDC_OP_TOKEN_ENDPOINT: ENTRA.signInTokenEndpoint,
            OIDC_OP_USER_ENDPOINT: ENTRA.signInUserInfoEndpoint,
            OIDC_OP_JWKS_ENDPOINT: ENTRA.signInJwksEndpoint,
            OIDC_RP_SIGN_ALGO: "RS256",
            OIDC_USE_PKCE: "true",
            OIDC_OP_SET_ROLES_FROM_CLAIMS: "false",
        };
        const split = (component: string) => {
            const all = containers(p, component);
            return { app: all.find((c) => c.name === component)!, init: all.filter((c) => c.name !== component) };
        };
        const { app: dashboard, init: dashboardInit } = split("dashboard");
        assert.deepStrictEqual(signInOf(dashboard), {
            environment: {
                ARCHIVEMATICA_DASHBOARD_DASHBOARD_OIDC_AUTHENTICATION: "true",
                ARCHIVEMATICA_DASHBOARD_DASHBOARD_OIDC_ALLOW_LOCAL_AUTHENTICATION: "false",
                ...provider,
            },
            secrets: { OIDC_RP_CLIENT_SECRET: ENTRA.signInClientSecretArn },
        });
        const { app: ss, init: ssInit } = split("storage-service");
        assert.deepStrictEqual(signInOf(ss), {
            environment: { SS_OIDC_AUTHENTICATION: "true", SS_OIDC_ALLOW_LOCAL_AUTHENTICATION: "false", ...provider },
            secrets: { OIDC_RP_CLIENT_SECRET: ENTRA.signInClientSecretArn },
        });
        assert.ok(dashboardInit.length > 0 && ssInit.length > 0);
        for (const init of [...dashboardInit, ...ssInit])
            assert.deepStrictEqual(signInOf(init), { environment: {}, secrets: {} }, init.name);
        // The execution role may read the client secret (and the policy names it exactly).
        const execution = JSON.parse(p.named("archivematica-dashboard-execution-policy").props.policy);
        assert.ok(
            JSON.stringify(execution).includes(ENTRA.signInClientSecretArn.replace(/-[A-Za-z0-9]{6}$/, "")),
            JSON.stringify(execution),
        );
    });

    it("cognito: each app its own client, the pool's endpoints, roles from cognito:groups, the secret the stack made", async () => {
        const p = await planMode("cognito");
        const host = "https://example-archives-test.auth.eu-west-2.amazoncognito.com";
        const issuer = "https://cognito-idp.eu-west-2.amazonaws.com/archivematica-identity-pool-id";
        const provider = (app: string) => ({
            OIDC_RP_CLIENT_ID: `archivematica-identity-${app}-id`,
            OIDC_OP_AUTHORIZATION_ENDPOINT: `${host}/oauth2/authorize`,
            OIDC_OP_TOKEN_ENDPOINT: `${host}/oauth2/token`,
            OIDC_OP_USER_ENDPOINT: `${host}/oauth2/userInfo`,
            OIDC_OP_JWKS_ENDPOINT: `${issuer}/.well-known/jwks.json`,
            OIDC_RP_SIGN_ALGO: "RS256",
            OIDC_USE_PKCE: "true",
            OIDC_OP_SET_ROLES_FROM_CLAIMS: "true",
            OIDC_OP_ROLE_CLAIM_PATH: "cognito:groups",
            OIDC_ACCESS_ATTRIBUTE_MAP: '{"given_name":"first_name","family_name":"last_name","cognito:groups":"cognito:groups"}',
            OIDC_ROLE_CLAIM_ADMIN: "admin",
        });
        const app = (component: string) => containers(p, component).find((c) => c.name === component)!;
        assert.deepStrictEqual(signInOf(app("dashboard")), {
            environment: {
                ARCHIVEMATICA_DASHBOARD_DASHBOARD_OIDC_AUTHENTICATION: "true",
                ARCHIVEMATICA_DASHBOARD_DASHBOARD_OIDC_ALLOW_LOCAL_AUTHENTICATION: "false",
                ...provider("dashboard"),
                OIDC_ROLE_CLAIM_DEFAULT: "default",
            },
            secrets: { OIDC_RP_CLIENT_SECRET: secretArn("archivematica-identity-dashboard-client-secret") },
        });
        assert.deepStrictEqual(signInOf(app("storage-service")), {
            environment: {
                SS_OIDC_AUTHENTICATION: "true",
                SS_OIDC_ALLOW_LOCAL_AUTHENTICATION: "false",
                ...provider("storage-service"),
                OIDC_ROLE_CLAIM_MANAGER: "manager",
                OIDC_ROLE_CLAIM_REVIEWER: "reviewer",
                OIDC_ROLE_CLAIM_READER: "reader",
            },
            secrets: { OIDC_RP_CLIENT_SECRET: secretArn("archivematica-identity-storage-service-client-secret") },
        });
        // The other components know nothing of sign-in.
        for (const c of ["mcp-server", "mcp-client", "gearmand", "clamavd"])
            for (const container of containers(p, c)) assert.deepStrictEqual(signInOf(container), { environment: {}, secrets: {} }, c);
    });

    for (const [mode] of MODES) {
        it(`${mode}: no client secret in any container environment, resource input, or output`, async () => {
            const p = await planMode(mode);
            assert.deepStrictEqual(leaks(p), []);
            assert.deepStrictEqual(
                environmentNames(p).filter((e) => e.startsWith("OIDC_RP_CLIENT_SECRET") || e.includes(MOCK_SECRET_MARK)),
                [],
            );
        });
    }

    for (const stack of ["staging", "prod"]) {
        it(`the ${stack} stack file: no client secret in any plan line, resource input or output`, async () => {
            const result = await stackPlan(stack);
            const resources = result.run.resources.map((r) => ({ name: r.name, inputs: r.inputs }));
            assert.deepStrictEqual(leaks({ resources, outputs: result.run.outputs }), []);
            assert.ok(!JSON.stringify(result.digest).includes(MOCK_SECRET_MARK), "the preview JSON carries no secret value");
        });
    }

    it("the gate fails prod when its apps sign in with a provider but the load balancer forwards browsers unauthenticated", async function () {
        this.timeout(PACK_TEST_TIMEOUT);
        // The process's pack (support/shared-pack.ts), started while the stack plans if it is not up yet.
        const [pack, { run, values, secretKeys }] = await Promise.all([
            sharedPack(),
            planStackRunWith("prod", { signInAlbAuthentication: "false" }),
        ]);
        const gate = await runGate(toPreviewDigest(run, values, secretKeys), { stack: "prod", recorded: run.resources, pack });
        const verdicts = gate.verdicts.filter((v) => v.policyName === "aws-lb-listenerrule-require-authentication");
        assert.deepStrictEqual(
            verdicts.map((v) => [v.enforcementLevel, v.urn?.split("::").pop(), v.message]),
            ["dashboard", "storage-service"].map((c) => [
                "mandatory",
                `archivematica-ingress-${c}-rule`,
                `${listenerAuthentication.description}\nlistener rule forwards without authenticating although ARCHIVEMATICA_DASHBOARD_DASHBOARD_OIDC_AUTHENTICATION is true; add an authenticate-oidc or authenticate-cognito action before the forward (signInAlbAuthentication), or limit the rule to /api/*`,
            ]),
        );
        assert.strictEqual(gate.passed, false);
    });
});
