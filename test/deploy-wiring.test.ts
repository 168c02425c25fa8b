/**
 * How ArchivematicaCluster maps config onto the fresh-deploy parts (issue 11): DNS onto Ingress, the
 * image registry onto every service, the deploy order and waits in the real stacks' plans, and the
 * smoke test's arguments.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "../config";
import { imageRegistryArgs, ingressArgs, smokeTestArgs } from "../components/archivematica-cluster";
import type { Network } from "../components/platform/network";
import { COMPONENTS } from "../components/app/catalogue";
import { createServices } from "../components/app/services";
import { SmokeTest } from "../components/app/smoke-test";
import { unwrapSecrets } from "../tools/mock-runtime";
import { plan, stackPlan, testConfig } from "./harness";
import { FAKE, FakeCluster, fakeDeps } from "./service-deps";

const ZONE = "Z0123456789ABCDEFGHIJ";
const NETWORK = { vpcId: pulumi.output("vpc-1"), vpcCidr: pulumi.output("10.40.0.0/16"), publicSubnetIds: [], privateSubnetIds: [] };

describe("cluster wiring: DNS", () => {
    it("hostedZoneId reaches Ingress, and the certificate ARN becomes optional", () => {
        const zone = ingressArgs(testConfig({ certificateArn: undefined, hostedZoneId: ZONE }), NETWORK as unknown as Network);
        assert.deepStrictEqual([zone.hostedZoneId, zone.certificateArn], [ZONE, undefined]);
        const manual = ingressArgs(testConfig(), NETWORK as unknown as Network);
        assert.deepStrictEqual(
            [manual.hostedZoneId, manual.certificateArn],
            [undefined, "arn:aws:acm:eu-west-2:123456789012:certificate/6f1c9a52-3b7e-4d0a-9c21-8e4f5b2d7a10"],
        );
    });

    it("prod (hostedZoneId): certificate, validation and alias records as code, no record left to the operator", async () => {
        const run = (await stackPlan("prod")).run;
        const named = (n: string) => run.resources.find((r) => r.name === n);
        for (const n of [
            "archivematica-ingress-cert",
            "archivematica-ingress-cert-validation",
            "archivematica-ingress-dashboard-validation",
            "archivematica-ingress-storage-service-validation",
        ])
            assert.ok(named(n), n);
        const alias = unwrapSecrets(named("archivematica-ingress-dashboard-a")!.inputs) as Record<string, unknown>;
        assert.deepStrictEqual([alias.zoneId, alias.name, alias.type], [ZONE, "archivematica.example.org", "A"]);
        const outputs = unwrapSecrets(run.outputs) as Record<string, unknown>;
        assert.deepStrictEqual(outputs.dnsRecords, []);
    });

    it("staging (certificateArn, no zone): no Route 53 record; dnsRecords lists the two CNAMEs; certificateArn is the configured one", async () => {
        const run = (await stackPlan("staging")).run;
        assert.deepStrictEqual(
            run.resources.filter((r) => r.type.startsWith("aws:route53/") || r.type.startsWith("aws:acm/")).map((r) => r.name),
            [],
        );
        const outputs = unwrapSecrets(run.outputs) as Record<string, any>;
        const alb = outputs.loadBalancerDnsName as string;
        assert.deepStrictEqual(outputs.dnsRecords, [
            { name: "archivematica.staging.example.org", type: "CNAME", value: alb },
            { name: "storage.archivematica.staging.example.org", type: "CNAME", value: alb },
        ]);
        assert.strictEqual(outputs.certificateArn, "arn:aws:acm:eu-west-2:123456789012:certificate/6f1c9a52-3b7e-4d0a-9c21-8e4f5b2d7a10");
    });
});

describe("cluster wiring: images", () => {
    it("imageRegistryArgs: the cache per environment, or the mirror, or neither", () => {
        assert.deepStrictEqual(imageRegistryArgs(testConfig({ dockerHubCredentialsSecretArn: FAKE.dockerHubSecret })), {
            dockerHubCredentialsSecretArn: FAKE.dockerHubSecret,
            mirror: undefined,
            repositoryPrefix: "dockerhub-staging",
            ecrPublicPrefix: "ecr-public-staging",
        });
        assert.deepStrictEqual(imageRegistryArgs(testConfig({ imageRegistry: "registry.example.org/mirror" })), {
            dockerHubCredentialsSecretArn: undefined,
            mirror: "registry.example.org/mirror",
            repositoryPrefix: "dockerhub-staging",
            ecrPublicPrefix: "ecr-public-staging",
        });
    });

    it("staging: the pull-through cache rule with the stack file's secret; the dashboard's containers pull from it", async () => {
        const run = (await stackPlan("staging")).run;
        const rule = run.resources.find((r) => r.name === "archivematica-images-docker-hub")!;
        assert.deepStrictEqual(unwrapSecrets(rule.inputs), {
            ecrRepositoryPrefix: "dockerhub-staging",
            upstreamRegistryUrl: "registry-1.docker.io",
            credentialArn: "arn:aws:secretsmanager:eu-west-2:123456789012:secret:ecr-pullthroughcache/docker-hub-Xy12Ab",
        });
        const td = unwrapSecrets(run.resources.find((r) => r.name === "archivematica-dashboard-task-definition")!.inputs) as Record<
            string,
            any
        >;
        const images = [...new Set(JSON.parse(td.containerDefinitions).map((c: { image: string }) => c.image))];
        assert.deepStrictEqual(images, [
            "123456789012.dkr.ecr.eu-west-2.amazonaws.com/dockerhub-staging/artefactual/archivematica-dashboard:v1.18.0",
        ]);
    });
});

describe("cluster wiring: deploy order in the real plan", () => {
    it("staging: services after capacity providers, mount targets and their rules; MCP after the dashboard; dashboard and SS waited for", async () => {
        const run = (await stackPlan("staging")).run;
        const urn = (n: string) => run.resources.find((r) => r.name === n)!.urn;
        const service = (c: string) => run.resources.find((r) => r.name === `archivematica-${c}-service`)!;
        for (const c of COMPONENTS) {
            const deps = service(c).dependencies;
            assert.ok(deps.includes(urn("archivematica-ecs-capacity")), c);
            const mounts = !["gearmand", "clamavd"].includes(c);
            assert.strictEqual(
                deps.includes(urn("archivematica-storage-mount-0")) && deps.includes(urn("archivematica-storage-mount-1")),
                mounts,
                c,
            );
            assert.strictEqual(deps.includes(urn("archivematica-ingress-dashboard-rule")), c === "dashboard", c);
            assert.strictEqual(deps.includes(urn("archivematica-ingress-storage-service-rule")), c === "storage-service", c);
            assert.strictEqual(deps.includes(urn("archivematica-dashboard-service")), c === "mcp-server" || c === "mcp-client", c);
        }
        assert.deepStrictEqual(service("dashboard").customTimeouts, { create: "65m", update: "65m" });
        assert.deepStrictEqual(service("storage-service").customTimeouts, { create: "40m", update: "40m" });
        assert.strictEqual(service("mcp-server").customTimeouts, undefined);
    });
});

describe("cluster wiring: smoke test", () => {
    it("smokeTestArgs: the Storage Service image through the registry, its internal URL, its API key secret, the buckets, the schedule", async () => {
        const p = await plan(
            () => {
                const config = loadConfig();
                const deps = fakeDeps({}, { registry: true });
                const services = createServices("am", new FakeCluster("am"), deps);
                const buckets = { transferSourceBucket: pulumi.output("am-transfers"), aipStoreBucket: pulumi.output("am-aips") };
                const at = {
                    network: { vpcId: pulumi.output(FAKE.vpcId), privateSubnetIds: FAKE.subnets.map((s) => pulumi.output(s)) },
                    ecs: { clusterArn: pulumi.output(FAKE.clusterArn) },
                    registry: deps.registry,
                };
                const ingest = { startGraceMinutes: 45, monitorMinutes: 10 };
                const smoke = new SmokeTest("am-smoke-test", smokeTestArgs("am", config, at, services, buckets, ingest));
                return { family: smoke.taskDefinitionFamily };
            },
            { smokeTestSchedule: "cron(0 6 * * ? *)" },
        );
        assert.strictEqual(p.outputs.family, "am-staging-smoke-test");
        const [container] = JSON.parse(p.named("am-smoke-test-task-definition").props.containerDefinitions);
        assert.strictEqual(
            container.image,
            "123456789012.dkr.ecr.eu-west-2.amazonaws.com/docker-hub/artefactual/archivematica-storage-service:v0.24.0",
        );
        const env = Object.fromEntries(container.environment.map((e: { name: string; value: string }) => [e.name, e.value]));
        assert.deepStrictEqual(
            [env.SMOKE_DASHBOARD_URL, env.SMOKE_SS_URL, env.SMOKE_USERNAME, env.SMOKE_TRANSFER_BUCKET, env.SMOKE_AIP_BUCKET],
            [undefined, "http://storage-service.staging.archivematica.internal:8000", "admin", "am-transfers", "am-aips"],
        );
        // The polls follow the ingest pace handed in: 60 + 900 + (45 + 1) × 60 + 10 × 60 + 300 = 4620 s → 464 polls of 10 s.
        assert.deepStrictEqual([env.SMOKE_POLL_ATTEMPTS, env.SMOKE_POLL_SECONDS], ["464", "10"]);
        const secrets = Object.fromEntries(container.secrets.map((e: { name: string; valueFrom: string }) => [e.name, e.valueFrom]));
        assert.deepStrictEqual(Object.keys(secrets), ["SMOKE_SS_API_KEY"]);
        assert.match(secrets.SMOKE_SS_API_KEY, /:secret:am-storage-service-api-key-/);
        assert.strictEqual(p.named("am-smoke-test-schedule").props.scheduleExpression, "cron(0 6 * * ? *)");
        const pulls = JSON.parse(p.named("am-smoke-test-execution-policy").props.policy).Statement.filter((s: { Sid: string }) =>
            ["EcrAuthorization", "PullStackImages", "FillPullThroughCache"].includes(s.Sid),
        );
        assert.deepStrictEqual(
            pulls.map((s: { Resource: unknown }) => s.Resource),
            [
                "*",
                ["arn:aws:ecr:eu-west-2:123456789012:repository/docker-hub/artefactual/archivematica-storage-service"],
                ["arn:aws:ecr:eu-west-2:123456789012:repository/docker-hub/artefactual/archivematica-storage-service"],
            ],
        );
        // The Storage Service admits the task on its port; the dashboard no longer needs to (the ingest functions start transfers).
        assert.ok(p.named("am-storage-service-from-am-smoke-test"));
        assert.deepStrictEqual(
            p.resources.filter((r) => r.name === "am-dashboard-from-am-smoke-test"),
            [],
        );
    });

    it("the cluster runs the smoke test on the archival buckets; its command and log group are stack outputs", async () => {
        const run = (await stackPlan("staging")).run;
        const outputs = unwrapSecrets(run.outputs) as Record<string, unknown>;
        assert.ok(run.resources.find((r) => r.name === "archivematica-smoke-test"));
        assert.strictEqual(outputs.smokeTestLogGroup, "/ecs/archivematica-staging-smoke-test");
        assert.match(outputs.smokeTestCommand as string, /--task-definition archivematica-staging-smoke-test /);
        assert.strictEqual(outputs.imageSource, "cache");
    });
});
