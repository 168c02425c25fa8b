/**
 * The whole cluster in each sign-in mode: what the edge becomes (listener actions, WAF), and that no
 * client secret appears in any container environment, output or plan line. The mocks give every
 * invented secret value a recognisable mark (tools/mock-aws.ts MOCK_SECRET_MARK); a value the engine
 * receives wrapped as a secret is masked in previews and encrypted in state, so only unwrapped
 * occurrences count as leaks.
 */
import * as assert from "assert";
import { ArchivematicaCluster } from "../components/archivematica-cluster";
import { MOCK_SECRET_MARK } from "../tools/mock-aws";
import { ENTRA } from "./sign-in-fixtures";
import { plan, stackPlan, testConfig, TestPlan } from "./harness";

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
});
