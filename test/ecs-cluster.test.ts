import * as assert from "assert";
import { EcsCluster } from "../components/platform/ecs-cluster";
import { plan } from "./harness";

const tags = { Project: "archivematica", Environment: "staging", Owner: "dp@example.org", CostCentre: "DP-0042" };

describe("EcsCluster", () => {
    it("Container Insights on, ECS Exec sessions logged to their own group", async () => {
        const p = await plan(() => new EcsCluster("ecs", { tags, logRetentionDays: 90 }));
        const logs = p.named("ecs-exec-logs");
        assert.deepStrictEqual(logs.props, { retentionInDays: 90, tags: { ...tags, Name: "ecs-exec-logs" } });
        assert.deepStrictEqual(p.named("ecs-cluster").props, {
            settings: [{ name: "containerInsights", value: "enabled" }],
            configuration: {
                executeCommandConfiguration: {
                    logging: "OVERRIDE",
                    logConfiguration: { cloudWatchLogGroupName: "ecs-exec-logs", cloudWatchEncryptionEnabled: false },
                },
            },
            tags: { ...tags, Name: "ecs-cluster" },
        });
    });

    it("offers Fargate and Fargate Spot with the configured default", async () => {
        const p = await plan(() => {
            const ecs = new EcsCluster("ecs", { tags, containerInsights: "enhanced", defaultCapacityProvider: "FARGATE_SPOT" });
            // Exposed so that services can wait for the providers to be attached.
            return { capacityProvidersUrn: ecs.capacityProviders.urn };
        });
        assert.deepStrictEqual(p.named("ecs-cluster").props.settings, [{ name: "containerInsights", value: "enhanced" }]);
        assert.deepStrictEqual(p.named("ecs-capacity").props, {
            clusterName: "ecs-cluster",
            capacityProviders: ["FARGATE", "FARGATE_SPOT"],
            defaultCapacityProviderStrategies: [{ capacityProvider: "FARGATE_SPOT", weight: 1, base: 0 }],
        });
        assert.strictEqual(p.named("ecs-exec-logs").props.retentionInDays, 30);
        assert.deepStrictEqual(p.outputs, { capacityProvidersUrn: p.named("ecs-capacity").urn });
    });
});
