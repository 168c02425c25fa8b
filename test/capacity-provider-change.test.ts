/**
 * Which services a `pulumi up` redeploys, on the staging stack, with each service's capacity-provider
 * record carried from the previous deployment (the mock runtime answers the records from the earlier
 * plan's inputs, as the dynamic provider's check does from the previous state): moving to Fargate Spot
 * forces a new deployment of exactly the services that move, and nothing else; an unrelated edit forces
 * none. gearmand and the MCP server always run on-demand: never touched by either.
 */
import { strict as assert } from "assert";
import { RecordedResource } from "../tools/mock-runtime";
import { diffPlans, formatSteps, planStackWith } from "./support/plan-diff";

/** The records' inputs of a plan, by resource name: what the next deployment's check sees as its olds. */
function recordsOf(resources: RecordedResource[]): Record<string, Record<string, unknown>> {
    return Object.fromEntries(
        resources.filter((r) => r.name.endsWith("-capacity") && r.type === "pulumi-nodejs:dynamic:Resource").map((r) => [r.name, r.inputs]),
    );
}

function forced(resources: RecordedResource[]): Record<string, unknown> {
    return Object.fromEntries(
        resources.filter((r) => r.type === "aws:ecs/service:Service").map((r) => [r.name, r.inputs.forceNewDeployment]),
    );
}

const SERVICES = ["clamavd", "dashboard", "gearmand", "mcp-client", "mcp-server", "storage-service"].map(
    (c) => `archivematica-${c}-service`,
);

describe("capacity provider: which services a pulumi up redeploys (staging)", () => {
    // Three deployments in a row: on-demand, then Spot, then the same again.
    let onDemand: RecordedResource[];
    let spot: RecordedResource[];
    let settled: RecordedResource[];
    before(async function () {
        this.timeout(600000);
        onDemand = await planStackWith("staging", { capacityProvider: "FARGATE" });
        spot = await planStackWith("staging", {}, recordsOf(onDemand));
        settled = await planStackWith("staging", {}, recordsOf(spot));
    });

    it("the first deployment records each service's capacity provider and forces nothing", () => {
        const records = recordsOf(onDemand);
        assert.deepEqual(Object.keys(records).sort(), SERVICES.map((s) => s.replace(/-service$/, "-capacity")).sort());
        assert.deepEqual(
            Object.values(records).map((r) => r.capacityProvider),
            ["FARGATE", "FARGATE", "FARGATE", "FARGATE", "FARGATE", "FARGATE"],
        );
        assert.deepEqual(forced(onDemand), Object.fromEntries(SERVICES.map((s) => [s, false])));
    });

    it("FARGATE → FARGATE_SPOT: the four services that move are redeployed once; gearmand and the MCP server are unchanged", () => {
        // The records' `changed` is their checked state, not an input: the services' flag shows it.
        assert.deepEqual(formatSteps(diffPlans(onDemand, spot)), [
            "update pulumi-nodejs:dynamic:Resource archivematica-clamavd-capacity: capacityProvider",
            "update aws:ecs/service:Service archivematica-clamavd-service: capacityProviderStrategies, forceNewDeployment",
            "update pulumi-nodejs:dynamic:Resource archivematica-dashboard-capacity: capacityProvider",
            "update aws:ecs/service:Service archivematica-dashboard-service: capacityProviderStrategies, forceNewDeployment",
            // The cluster's default strategy: no task runs on it (every service names its own).
            "update aws:ecs/clusterCapacityProviders:ClusterCapacityProviders archivematica-ecs-capacity: defaultCapacityProviderStrategies",
            "update pulumi-nodejs:dynamic:Resource archivematica-mcp-client-capacity: capacityProvider",
            "update aws:ecs/service:Service archivematica-mcp-client-service: capacityProviderStrategies, forceNewDeployment",
            "update pulumi-nodejs:dynamic:Resource archivematica-storage-service-capacity: capacityProvider",
            "update aws:ecs/service:Service archivematica-storage-service-service: capacityProviderStrategies, forceNewDeployment",
        ]);
        assert.deepEqual(forced(spot), {
            "archivematica-clamavd-service": true,
            "archivematica-dashboard-service": true,
            "archivematica-gearmand-service": false,
            "archivematica-mcp-client-service": true,
            "archivematica-mcp-server-service": false,
            "archivematica-storage-service-service": true,
        });

        // The next up with nothing changed: the records say "same", the flag goes back to false (which
        // the provider applies without a deployment: forceNewDeployment alone starts none).
        assert.deepEqual(forced(settled), Object.fromEntries(SERVICES.map((s) => [s, false])));
    });

    it("an unrelated edit (MCP client range, owner tag) forces no deployment anywhere", async function () {
        this.timeout(300000);
        const edited = await planStackWith("staging", { mcpClientMaxCount: "8", owner: "archive-ops@example.org" }, recordsOf(settled));
        const steps = formatSteps(diffPlans(settled, edited));
        assert.deepEqual(
            steps.filter((s) => / aws:ecs\/|capacity/.test(s)),
            [],
        );
        assert.ok(
            steps.includes("update aws:appautoscaling/target:Target archivematica-mcp-client-queue-target: maxCapacity"),
            steps.join("\n"),
        );
        assert.deepEqual(forced(edited), Object.fromEntries(SERVICES.map((s) => [s, false])));
    });
});
