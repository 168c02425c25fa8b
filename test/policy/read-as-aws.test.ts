/**
 * Issue 20, class 7 in the pack: rules read what AWS reads. Container definitions are decoded as the AWS
 * provider decodes them (Go encoding/json: member names matched case-insensitively, the last of a repeated
 * field wins), ambiguous ones refused; a value in the wrong JSON type is "not evaluated", never passed;
 * cluster instances and clusters get the instances' rules; listener rules on HTTP listeners may not
 * forward. Each case changes one thing in a passing fixture.
 */
import * as assert from "assert";
import * as hostAccess from "../../policy/rules/aws-ecs-taskdefinition-prohibit-host-access";
import * as nonRoot from "../../policy/rules/aws-ecs-taskdefinition-require-nonroot-user";
import * as secretEnv from "../../policy/rules/aws-ecs-taskdefinition-prohibit-secret-environment";
import * as essential from "../../policy/rules/aws-ecs-taskdefinition-require-single-essential-container";
import * as rdsPublic from "../../policy/rules/aws-rds-instance-prohibit-public-access";
import * as dataProtection from "../../policy/rules/aws-rds-instance-require-data-protection";
import * as minorUpgrade from "../../policy/rules/aws-rds-instance-require-minor-version-upgrade";
import * as storageEncryption from "../../policy/rules/aws-rds-database-require-storage-encryption";
import * as listenerRule from "../../policy/rules/aws-lb-listenerrule-prohibit-http-forward";
import { decodeContainerDefinitions, foldName } from "../../policy/lib/container-decoding";
import { dashboardContainers, dependsOn, resource, taskDefinition, TAGS } from "./fixtures";
import { runResource, runStack, urnOf } from "./harness";

const PACK = "'archivematica@v0.1.0'";
const wrongType = (policy: string, path: string, shown: string, expected: string) =>
    `can't run policy '${policy}' from policy pack ${PACK} during preview: ${path} is ${shown} in the wrong JSON type, not ${expected}`;

/** The dashboard task with its container JSON text replaced. */
const withText = (text: string) => {
    const t = taskDefinition();
    t.props.containerDefinitions = text;
    return t;
};
/** The dashboard task's JSON with the essential container's `"name":"dashboard"` member followed by `extra`. */
const withMember = (extra: string) =>
    withText(JSON.stringify(dashboardContainers()).replace('"name":"dashboard"', `"name":"dashboard",${extra}`));

describe("container definitions are read as the AWS provider reads them", () => {
    it("passes the baseline under every container rule", async () => {
        for (const p of [hostAccess.policy, nonRoot.policy, secretEnv.policy, essential.policy])
            assert.deepStrictEqual((await runResource(p, taskDefinition())).messages, [], p.name);
    });
    it('"Privileged": true is privileged (member names match case-insensitively)', async () => {
        assert.deepStrictEqual((await runResource(hostAccess.policy, withMember('"Privileged":true'))).messages, [
            'container "dashboard" is privileged; remove privileged: true',
        ]);
    });
    it('"USER": "0" is the user, and "ENVIRONMENT" the environment', async () => {
        const text = JSON.stringify(dashboardContainers())
            .replace('"user":"1000:1000"', '"USER":"0"')
            .replace('"environment":[', '"ENVIRONMENT":[{"name":"DB_PASSWORD","value":"x"},');
        assert.deepStrictEqual((await runResource(nonRoot.policy, withText(text))).messages, [
            'container "dashboard" runs as root (user "0"); set a non-root user, e.g. "1000:1000"',
        ]);
        assert.deepStrictEqual((await runResource(secretEnv.policy, withText(text))).messages, [
            'container "dashboard" sets DB_PASSWORD in environment; pass it in secrets (valueFrom a Secrets Manager ARN)',
        ]);
    });
    it("Go's Unicode folding: eſſential (long s) is essential", async () => {
        assert.strictEqual(foldName("eſſential"), foldName("ESSENTIAL"));
        const text = JSON.stringify(dashboardContainers()).replace('"essential":false', '"eſſential":true');
        assert.deepStrictEqual((await runResource(essential.policy, withText(text))).messages, [
            '2 essential containers (container "dashboard", container "migrate"); exactly one may be essential, the others must be init containers or sidecars with essential: false',
        ]);
    });
    it("a field given twice, in two cases or in one, is refused: a reader would see the first, AWS reads the last", async () => {
        assert.deepStrictEqual((await runResource(hostAccess.policy, withMember('"privileged":false,"Privileged":true'))).messages, [
            'container #1 sets privileged twice ("privileged" and "Privileged"); the AWS provider reads the last, a reader may see the first: keep one',
        ]);
        assert.deepStrictEqual((await runResource(hostAccess.policy, withMember('"privileged":false,"privileged":true'))).messages, [
            'container #1 sets privileged twice ("privileged" and "privileged"); the AWS provider reads the last, a reader may see the first: keep one',
        ]);
    });
    it("a value of the wrong JSON type is refused as the provider refuses it, never read as false", async () => {
        assert.deepStrictEqual((await runResource(hostAccess.policy, withMember('"privileged":"true"'))).messages, [
            'container #1.privileged is the string "true", not a boolean (the AWS provider refuses it)',
        ]);
    });
    it("two JSON values in one text are refused", async () => {
        const one = JSON.stringify(dashboardContainers());
        assert.deepStrictEqual((await runResource(hostAccess.policy, withText(`${one} ${one}`))).messages, [
            "containerDefinitions holds 2 JSON values, which the AWS provider decodes one over the other; give one array",
        ]);
    });
    it("members that name no field are dropped, as encoding/json ignores them", () => {
        assert.deepStrictEqual(decodeContainerDefinitions('[{"name":"a","privilegedd":true,"Essential":false}]'), [
            { name: "a", essential: false },
        ]);
    });
});

describe("values in the wrong JSON type are not evaluated, never passed", () => {
    const db = (props: Record<string, unknown>) => resource("aws:rds/instance:Instance", "database-db", props);
    it('publiclyAccessible "true" (a string) cannot be judged', async () => {
        const out = await runResource(rdsPublic.policy, db({ publiclyAccessible: "true" }));
        assert.deepStrictEqual(out.messages, []);
        assert.strictEqual(out.unknown, wrongType(rdsPublic.policy.name, "publiclyAccessible", 'the string "true"', "a boolean"));
    });
    it('backupRetentionPeriod "NaN" cannot be judged', async () => {
        const out = await runResource(dataProtection.policy, db({ deletionProtection: true, backupRetentionPeriod: "NaN" }));
        assert.strictEqual(out.unknown, wrongType(dataProtection.policy.name, "backupRetentionPeriod", 'the string "NaN"', "a number"));
    });
});

describe("Aurora and Multi-AZ DB clusters get the instances' rules", () => {
    const clusterInstance = (props: Record<string, unknown>) =>
        resource("aws:rds/clusterInstance:ClusterInstance", "db-1", { ...props, tags: TAGS });
    const goodCluster = {
        engine: "aurora-mysql",
        storageEncrypted: true,
        deletionProtection: true,
        backupRetentionPeriod: 14,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: "archivematica-final",
        tags: TAGS,
    };
    const cluster = (props: Record<string, unknown>) => resource("aws:rds/cluster:Cluster", "db", props);
    it("passes a private, upgraded cluster instance and a protected, encrypted cluster", async () => {
        assert.deepStrictEqual((await runResource(rdsPublic.policy, clusterInstance({ publiclyAccessible: false }))).messages, []);
        assert.deepStrictEqual((await runResource(minorUpgrade.policy, clusterInstance({}))).messages, []);
        assert.deepStrictEqual((await runResource(dataProtection.policy, cluster(goodCluster))).messages, []);
        assert.deepStrictEqual((await runResource(storageEncryption.policy, cluster(goodCluster))).messages, []);
    });
    it("fails a public cluster instance", async () => {
        assert.deepStrictEqual((await runResource(rdsPublic.policy, clusterInstance({ publiclyAccessible: true }))).messages, [
            "publiclyAccessible is true; databases must only be reachable inside the VPC",
        ]);
    });
    it("fails a cluster instance without minor upgrades", async () => {
        assert.deepStrictEqual((await runResource(minorUpgrade.policy, clusterInstance({ autoMinorVersionUpgrade: false }))).messages, [
            "autoMinorVersionUpgrade is false; leave it unset or true so security fixes are applied",
        ]);
    });
    it("fails an unprotected cluster: deletion protection, backups, final snapshot", async () => {
        assert.deepStrictEqual(
            (
                await runResource(
                    dataProtection.policy,
                    cluster({ ...goodCluster, deletionProtection: false, backupRetentionPeriod: 1, skipFinalSnapshot: true }),
                )
            ).messages,
            [
                "deletionProtection is not true; set deletionProtection: true",
                "backupRetentionPeriod is 1; at least 7 days required",
                "skipFinalSnapshot is true; set skipFinalSnapshot: false with a finalSnapshotIdentifier",
            ],
        );
    });
    it("fails an unencrypted cluster", async () => {
        assert.deepStrictEqual(
            (await runResource(storageEncryption.policy, cluster({ ...goodCluster, storageEncrypted: false }))).messages,
            ["storageEncrypted is not true; set storageEncrypted: true"],
        );
    });
});

describe("aws-lb-listenerrule-prohibit-http-forward", () => {
    const { policy } = listenerRule;
    const LISTENER = "aws:lb/listener:Listener";
    const RULE = "aws:lb/listenerRule:ListenerRule";
    const https = resource(LISTENER, "ingress-https", {
        protocol: "HTTPS",
        port: 443,
        sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    });
    const http = resource(LISTENER, "ingress-http", {
        protocol: "HTTP",
        port: 80,
        defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
    });
    const rule = (name: string, listener: typeof http, actions: unknown[]) =>
        dependsOn(resource(RULE, name, { listenerArn: "arn", priority: 10, actions, tags: TAGS }), "listenerArn", listener);
    const FORWARD = [{ type: "forward", targetGroupArn: "arn" }];

    it("passes forwarding rules on the HTTPS listener, and redirects or fixed responses on the HTTP one", async () => {
        const specs = [
            https,
            http,
            rule("dashboard", https, FORWARD),
            rule("old-path", http, [{ type: "redirect", redirect: { protocol: "HTTPS", statusCode: "HTTP_301" } }]),
            rule("blocked", http, [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } }]),
        ];
        assert.deepStrictEqual(await runStack(policy, specs), { messages: [], urns: [] });
    });
    it("fails a rule that forwards on the HTTP listener, on the rule", async () => {
        const out = await runStack(policy, [https, http, rule("dashboard-http", http, FORWARD)]);
        assert.deepStrictEqual(out.messages, [
            'listener rule on the HTTP listener ingress-http has action "forward", which serves the application over plain HTTP; put the rule on the HTTPS listener, or make it redirect to HTTPS',
        ]);
        assert.deepStrictEqual(out.urns, [urnOf(RULE, "dashboard-http")]);
    });
    it("an ALB listener without a protocol is HTTP", async () => {
        const bare = resource(LISTENER, "bare", { port: 80 });
        assert.strictEqual((await runStack(policy, [bare, rule("r", bare, FORWARD)])).messages.length, 1);
    });
});
