/**
 * createServices on the mock runtime with fake parts: where each container's image comes from (the
 * registry, an override, the ECR Public cache) and the statements to pull exactly those, the deploy
 * order, and the steady-state waits.
 */
import * as assert from "assert";
import { COMPONENTS } from "../components/app/catalogue";
import { namesRegistry } from "../components/app/image-pull";
import { STEADY_STATE_MINUTES } from "../components/app/services";
import type { TestPlan } from "./harness";
import { ContainerDef, containers, planServices } from "./service-deps";

/** The execution-role statements for the metrics collector through the ECR Public cache. */
const COLLECTOR_REPO = "arn:aws:ecr:eu-west-2:123456789012:repository/ecr-public/aws-observability/aws-otel-collector";
const COLLECTOR_PULLS = [
    {
        Sid: "PullPublicImages",
        Effect: "Allow",
        Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        Resource: [COLLECTOR_REPO],
    },
    {
        Sid: "FillPublicCache",
        Effect: "Allow",
        Action: ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"],
        Resource: [COLLECTOR_REPO],
    },
];

describe("createServices: images, deploy order, steady state", () => {
    const ECR = "123456789012.dkr.ecr.eu-west-2.amazonaws.com";
    const repo = (r: string) => `arn:aws:ecr:eu-west-2:123456789012:repository/docker-hub/${r}`;
    let p: TestPlan;
    before(async () => {
        p = await planServices({}, { registry: true, ordering: true });
    });

    it("every image, init containers included, comes through the pull-through cache", () => {
        const expected: Record<string, string> = {
            dashboard: `${ECR}/docker-hub/artefactual/archivematica-dashboard:v1.18.0`,
            "storage-service": `${ECR}/docker-hub/artefactual/archivematica-storage-service:v0.24.0`,
            "mcp-server": `${ECR}/docker-hub/artefactual/archivematica-mcp-server:v1.18.0`,
            "mcp-client": `${ECR}/docker-hub/artefactual/archivematica-mcp-client:v1.18.0`,
            gearmand: `${ECR}/docker-hub/artefactual/gearmand:1.1.22-alpine`,
            clamavd: `${ECR}/docker-hub/clamav/clamav-debian:1.5.3`,
        };
        // The MCP components' metrics sidecar: the collector through the ECR Public cache.
        const collector = `${ECR}/ecr-public/aws-observability/aws-otel-collector:v0.49.0`;
        for (const c of COMPONENTS)
            assert.deepStrictEqual(
                [...new Set(containers(p, c).map((x) => x.image))],
                c.startsWith("mcp-") ? [expected[c], collector] : [expected[c]],
                c,
            );
    });

    it("each execution role may pull exactly its own repository, and nothing on * but the ECR token", () => {
        const repositories: Record<string, string> = {
            dashboard: "artefactual/archivematica-dashboard",
            "storage-service": "artefactual/archivematica-storage-service",
            "mcp-server": "artefactual/archivematica-mcp-server",
            "mcp-client": "artefactual/archivematica-mcp-client",
            gearmand: "artefactual/gearmand",
            clamavd: "clamav/clamav-debian",
        };
        for (const c of COMPONENTS) {
            const statements = JSON.parse(p.named(`am-${c}-execution-policy`).props.policy).Statement;
            assert.deepStrictEqual(
                statements.filter((s: ContainerDef) => !["WriteOwnLogs", "ReadOwnSecrets"].includes(s.Sid)),
                [
                    { Sid: "EcrAuthorization", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
                    {
                        Sid: "PullStackImages",
                        Effect: "Allow",
                        Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                        Resource: [repo(repositories[c])],
                    },
                    {
                        Sid: "FillPullThroughCache",
                        Effect: "Allow",
                        Action: ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"],
                        Resource: [repo(repositories[c])],
                    },
                    ...(c.startsWith("mcp-") ? COLLECTOR_PULLS : []),
                ],
                c,
            );
        }
    });

    it("an override naming its own registry is pulled as it is; one in ECR gets pull rights on its repository only", async () => {
        const q = await planServices(
            {
                images: { dashboard: "registry.example.org/am/dashboard:1.18.0-1", "mcp-client": `${ECR}/am/mcp-client:1.18.0-1` },
            },
            { registry: true },
        );
        assert.deepStrictEqual(
            [...new Set(containers(q, "dashboard").map((x) => x.image))],
            ["registry.example.org/am/dashboard:1.18.0-1"],
        );
        assert.deepStrictEqual(
            [...new Set(containers(q, "mcp-client").map((x) => x.image))],
            [`${ECR}/am/mcp-client:1.18.0-1`, `${ECR}/ecr-public/aws-observability/aws-otel-collector:v0.49.0`],
        );
        const pulls = (c: string) =>
            JSON.parse(q.named(`am-${c}-execution-policy`).props.policy).Statement.filter(
                (s: ContainerDef) => !["WriteOwnLogs", "ReadOwnSecrets"].includes(s.Sid),
            );
        assert.deepStrictEqual(pulls("dashboard"), []);
        assert.deepStrictEqual(pulls("mcp-client"), [
            { Sid: "EcrAuthorization", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
            ...COLLECTOR_PULLS,
            {
                Sid: "PullOverrideImages",
                Effect: "Allow",
                Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                Resource: ["arn:aws:ecr:eu-west-2:123456789012:repository/am/mcp-client"],
            },
        ]);
    });

    it("an image names its registry when its first part is a host (a dot, a port or localhost)", () => {
        assert.strictEqual(namesRegistry("artefactual/archivematica-dashboard:v1.18.0"), false);
        assert.strictEqual(namesRegistry("mysql:8.4"), false);
        assert.strictEqual(namesRegistry("registry.example.org/am/dashboard:1"), true);
        assert.strictEqual(namesRegistry("localhost:5000/am/dashboard:1"), true);
        assert.strictEqual(namesRegistry("localhost/am/dashboard:1"), true);
    });

    it("dependsOn: capacity providers, mount targets, listener rules, own role policies, the pull-through cache; MCP server and clients after the dashboard", () => {
        const urn = (n: string) => p.resources.find((r) => r.name === n)!.urn;
        const deps = (c: string) => p.named(`am-${c}-service`).dependencies;
        const mounts = ["fake-mount-target-0", "fake-mount-target-1"].map(urn);
        for (const c of COMPONENTS) {
            const d = deps(c);
            assert.ok(d.includes(urn("fake-capacity")), `${c}: capacity providers`);
            assert.ok(d.includes(urn(`am-${c}-task-policy`)) && d.includes(urn(`am-${c}-execution-policy`)), `${c}: role policies`);
            const mountsEfs = !["gearmand", "clamavd"].includes(c);
            assert.deepStrictEqual(
                mounts.map((m) => d.includes(m)),
                [mountsEfs, mountsEfs],
                `${c}: mount targets`,
            );
            assert.strictEqual(d.includes(urn("fake-dashboard-rule")), c === "dashboard", `${c}: dashboard rule`);
            assert.strictEqual(d.includes(urn("fake-storage-service-rule")), c === "storage-service", `${c}: storage-service rule`);
            assert.strictEqual(
                d.includes(urn("am-dashboard-service")),
                ["mcp-server", "mcp-client"].includes(c),
                `${c}: after the dashboard`,
            );
            // Images come through the pull-through cache: its rule and repository template exist first.
            assert.ok(d.includes(urn("img-docker-hub")) && d.includes(urn("img-template")), `${c}: pull-through cache`);
        }
    });

    it("the dashboard and the Storage Service are waited for, with timeouts from the bootstrap's bounds", () => {
        assert.deepStrictEqual({ ...STEADY_STATE_MINUTES }, { dashboard: 65, "storage-service": 40 });
        for (const c of COMPONENTS) {
            const service = p.named(`am-${c}-service`);
            const minutes = STEADY_STATE_MINUTES[c];
            assert.strictEqual(service.props.waitForSteadyState, minutes !== undefined, c);
            assert.deepStrictEqual(service.customTimeouts, minutes ? { create: `${minutes}m`, update: `${minutes}m` } : undefined, c);
        }
    });
});
