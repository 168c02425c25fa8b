import * as assert from "assert";
import * as ownFamily from "../../policy/rules/aws-ecs-service-require-own-task-family";
import * as onePerComponent from "../../policy/rules/aws-ecs-service-require-one-per-component";
import * as publicIp from "../../policy/rules/aws-ecs-service-prohibit-public-ip";
import * as singleton from "../../policy/rules/aws-ecs-service-require-singleton-deployment";
import * as circuitBreaker from "../../policy/rules/aws-ecs-service-require-circuit-breaker";
import * as insights from "../../policy/rules/aws-ecs-cluster-require-container-insights";
import { COMPONENTS, dependsOn, service, taskDefinition } from "./fixtures";
import { patch, ResourceSpec, runResource, runStack, UNKNOWN, unknownAdvisory, urnOf } from "./harness";

const SERVICE = "aws:ecs/service:Service";

/** One task definition and one service per component, each service depending on its task definition. */
function cluster(): ResourceSpec[] {
    return COMPONENTS.flatMap((c) => {
        const td = taskDefinition(undefined, `${c}-task`);
        return [td, dependsOn({ ...service(c), props: { ...service(c).props, taskDefinition: UNKNOWN.string } }, "taskDefinition", td)];
    });
}

describe("aws-ecs-service-require-own-task-family", () => {
    const { policy } = ownFamily;

    it("passes one family per service, without reading the (unknown) task-definition ARNs", async () => {
        const out = await runStack(policy, cluster());
        assert.deepStrictEqual(out, { messages: [], urns: [] });
    });
    it("fails two services on one family, on each service", async () => {
        const resources = cluster().map((r) =>
            r.name === "mcp-client-task" ? patch(r, (t) => (t.props.family = "archivematica-staging-mcp-server")) : r,
        );
        const out = await runStack(policy, resources);
        const message =
            'task-definition family "archivematica-staging-mcp-server" is shared by ECS services mcp-server-service, mcp-client-service; give each service its own family';
        assert.deepStrictEqual(out.messages, [message, message]);
        assert.deepStrictEqual(out.urns, [urnOf(SERVICE, "mcp-server-service"), urnOf(SERVICE, "mcp-client-service")]);
    });
    it("fails two services on one task definition", async () => {
        const td = taskDefinition(undefined, "shared-task");
        const a = dependsOn(service("dashboard"), "taskDefinition", td);
        const b = dependsOn(service("storage-service"), "taskDefinition", td);
        const out = await runStack(policy, [td, a, b]);
        assert.strictEqual(out.messages.length, 2);
        assert.strictEqual(
            out.messages[0],
            'task-definition family "archivematica-staging-shared" is shared by ECS services dashboard-service, storage-service-service; give each service its own family',
        );
    });
    it("follows plain dependencies when the driver records no propertyDependencies", async () => {
        const td = taskDefinition(undefined, "shared-task");
        const a = { ...service("dashboard"), dependencies: [urnOf(td.type, td.name)] };
        const b = { ...service("storage-service"), dependencies: [urnOf(td.type, td.name)] };
        assert.strictEqual((await runStack(policy, [td, a, b])).messages.length, 2);
    });
    it("reads families from literal task-definition references", async () => {
        const a = patch(
            service("dashboard"),
            (s) => (s.props.taskDefinition = "arn:aws:ecs:eu-west-2:123456789012:task-definition/am-dashboard:3"),
        );
        const b = patch(service("storage-service"), (s) => (s.props.taskDefinition = "am-dashboard:4"));
        const out = await runStack(policy, [a, b]);
        assert.deepStrictEqual(out.messages.length, 2);
        assert.strictEqual(
            out.messages[0],
            'task-definition family "am-dashboard" is shared by ECS services dashboard-service, storage-service-service; give each service its own family',
        );
        assert.strictEqual(ownFamily.familyFromReference("arn:aws:ecs:eu-west-2:1:task-definition/x-y_z:12"), "x-y_z");
    });
    it("defers an unknown family to the preview advisory", async () => {
        const resources = cluster().map((r) => (r.name === "gearmand-task" ? patch(r, (t) => (t.props.family = UNKNOWN.string)) : r));
        const out = await runStack(policy, resources);
        assert.deepStrictEqual(out.messages, []);
        assert.strictEqual(out.unknown, unknownAdvisory(policy.name, "string", "family"));
    });
});

describe("aws-ecs-service-require-one-per-component", () => {
    const { policy } = onePerComponent;
    const ALL = "dashboard, storage-service, mcp-server, mcp-client, gearmand, clamavd";

    it("passes exactly one service per component", async () => {
        assert.deepStrictEqual(await runStack(policy, cluster()), { messages: [], urns: [] });
    });
    it("fails a component with two services, on each", async () => {
        const out = await runStack(policy, [...cluster(), service("mcp-client", "mcp-client-2")]);
        const message =
            'component "mcp-client" is served by 2 ECS services (mcp-client-service, mcp-client-2); each component maps to exactly one service';
        assert.deepStrictEqual(out.messages, [message, message]);
        assert.deepStrictEqual(out.urns, [urnOf(SERVICE, "mcp-client-service"), urnOf(SERVICE, "mcp-client-2")]);
    });
    it("fails a missing component on the stack", async () => {
        const out = await runStack(
            policy,
            cluster().filter((r) => r.name !== "clamavd-service"),
        );
        assert.deepStrictEqual(out.messages, ['component "clamavd" has no ECS service; each component maps to exactly one service']);
        assert.deepStrictEqual(out.urns, [undefined]);
    });
    it("fails an untagged service and an unknown component", async () => {
        const untagged = patch(
            service("x", "nginx-service"),
            (s) => delete (s.props.tags as Record<string, string>).ArchivematicaComponent,
        );
        const stray = service("fits", "fits-service");
        const out = await runStack(policy, [...cluster(), untagged, stray]);
        assert.deepStrictEqual(out.messages, [
            `ECS service has no ArchivematicaComponent tag; tag it with one of: ${ALL}`,
            `ArchivematicaComponent "fits" is not a known component; expected one of: ${ALL}`,
        ]);
        assert.deepStrictEqual(out.urns, [urnOf(SERVICE, "nginx-service"), urnOf(SERVICE, "fits-service")]);
    });
    it("applies the configured component set", async () => {
        const out = await runStack(
            policy,
            cluster().filter((r) => !r.name.startsWith("clamavd")),
            { components: COMPONENTS.filter((c) => c !== "clamavd") },
        );
        assert.deepStrictEqual(out.messages, []);
    });
    it("defers an unknown tag value", async () => {
        const out = await runStack(policy, [
            patch(service("dashboard"), (s) => ((s.props.tags as Record<string, string>).ArchivematicaComponent = UNKNOWN.string)),
        ]);
        assert.deepStrictEqual(out.messages, []);
        assert.strictEqual(out.unknown, unknownAdvisory(policy.name, "string", "tags.ArchivematicaComponent"));
    });
});

describe("aws-ecs-service-prohibit-public-ip", () => {
    const { policy } = publicIp;
    it("passes false and absent", async () => {
        assert.deepStrictEqual((await runResource(policy, service("dashboard"))).messages, []);
        assert.deepStrictEqual(
            (
                await runResource(
                    policy,
                    patch(service("dashboard"), (s) => delete s.props.networkConfiguration),
                )
            ).messages,
            [],
        );
    });
    it("fails assignPublicIp true", async () => {
        const out = await runResource(
            policy,
            patch(service("dashboard"), (s) => ((s.props.networkConfiguration as Record<string, unknown>).assignPublicIp = true)),
        );
        assert.deepStrictEqual(out.messages, [
            "networkConfiguration.assignPublicIp is true; run tasks in private subnets with assignPublicIp: false",
        ]);
    });
    it("defers an unknown value", async () => {
        const out = await runResource(
            policy,
            patch(
                service("dashboard"),
                (s) => ((s.props.networkConfiguration as Record<string, unknown>).assignPublicIp = UNKNOWN.boolean),
            ),
        );
        assert.strictEqual(out.unknown, unknownAdvisory(policy.name, "boolean", "networkConfiguration.assignPublicIp"));
    });
});

describe("aws-ecs-service-require-singleton-deployment", () => {
    const { policy } = singleton;
    it("passes singletons that stop before they start, and leaves other components alone", async () => {
        for (const c of COMPONENTS) assert.deepStrictEqual((await runResource(policy, service(c))).messages, [], c);
        const scaled = patch(service("mcp-client"), (s) => (s.props.desiredCount = 6));
        assert.deepStrictEqual((await runResource(policy, scaled)).messages, []);
    });
    it("fails two gearmand tasks", async () => {
        const out = await runResource(
            policy,
            patch(service("gearmand"), (s) => (s.props.desiredCount = 2)),
        );
        assert.deepStrictEqual(out.messages, ['singleton component "gearmand" has desiredCount 2; at most 1 task may run']);
    });
    it("fails ECS's default deployment percentages", async () => {
        const out = await runResource(
            policy,
            patch(service("mcp-server"), (s) => (delete s.props.deploymentMaximumPercent, delete s.props.deploymentMinimumHealthyPercent)),
        );
        assert.deepStrictEqual(out.messages, [
            'singleton component "mcp-server" has deploymentMaximumPercent not set (ECS default 200); set 100 so no second task starts during a deployment',
            'singleton component "mcp-server" has deploymentMinimumHealthyPercent not set (ECS default 100); set 0 so the old task stops before the new one starts',
        ]);
        const explicit = await runResource(
            policy,
            patch(service("gearmand"), (s) => ((s.props.deploymentMaximumPercent = 200), (s.props.deploymentMinimumHealthyPercent = 50))),
        );
        assert.deepStrictEqual(explicit.messages, [
            'singleton component "gearmand" has deploymentMaximumPercent 200 (ECS default 200); set 100 so no second task starts during a deployment',
            'singleton component "gearmand" has deploymentMinimumHealthyPercent 50 (ECS default 100); set 0 so the old task stops before the new one starts',
        ]);
    });
    it("applies the configured singleton set", async () => {
        const dashboard = patch(service("dashboard"), (s) => (s.props.desiredCount = 2));
        assert.deepStrictEqual((await runResource(policy, dashboard, { singletonComponents: ["dashboard"] })).messages, [
            'singleton component "dashboard" has desiredCount 2; at most 1 task may run',
            'singleton component "dashboard" has deploymentMaximumPercent 200 (ECS default 200); set 100 so no second task starts during a deployment',
            'singleton component "dashboard" has deploymentMinimumHealthyPercent 100 (ECS default 100); set 0 so the old task stops before the new one starts',
        ]);
    });
    it("defers an unknown desiredCount", async () => {
        const out = await runResource(
            policy,
            patch(service("gearmand"), (s) => (s.props.desiredCount = UNKNOWN.number)),
        );
        assert.strictEqual(out.unknown, unknownAdvisory(policy.name, "number", "desiredCount"));
        assert.deepStrictEqual(out.messages, []);
    });
});

describe("aws-ecs-service-require-circuit-breaker", () => {
    const { policy } = circuitBreaker;
    it("passes enable + rollback", async () => {
        assert.deepStrictEqual((await runResource(policy, service("dashboard"))).messages, []);
    });
    it("fails a missing breaker or one without rollback", async () => {
        assert.deepStrictEqual(
            (
                await runResource(
                    policy,
                    patch(service("dashboard"), (s) => delete s.props.deploymentCircuitBreaker),
                )
            ).messages,
            [
                "deploymentCircuitBreaker has enable not set and rollback not set; set deploymentCircuitBreaker: { enable: true, rollback: true }",
            ],
        );
        assert.deepStrictEqual(
            (
                await runResource(
                    policy,
                    patch(service("dashboard"), (s) => (s.props.deploymentCircuitBreaker = { enable: true, rollback: false })),
                )
            ).messages,
            ["deploymentCircuitBreaker has enable true and rollback false; set deploymentCircuitBreaker: { enable: true, rollback: true }"],
        );
    });
    it("defers an unknown breaker", async () => {
        const out = await runResource(
            policy,
            patch(service("dashboard"), (s) => (s.props.deploymentCircuitBreaker = UNKNOWN.object)),
        );
        assert.strictEqual(out.unknown, unknownAdvisory(policy.name, "Object", "deploymentCircuitBreaker"));
    });
});

describe("aws-ecs-cluster-require-container-insights", () => {
    const { policy } = insights;
    const clusterWith = (settings?: unknown) => ({
        type: "aws:ecs/cluster:Cluster",
        name: "ecs",
        props: settings === undefined ? {} : { settings },
    });
    it("passes enabled and enhanced", async () => {
        for (const value of ["enabled", "enhanced"]) {
            assert.deepStrictEqual((await runResource(policy, clusterWith([{ name: "containerInsights", value }]))).messages, []);
        }
    });
    it("fails disabled and absent", async () => {
        assert.deepStrictEqual((await runResource(policy, clusterWith([{ name: "containerInsights", value: "disabled" }]))).messages, [
            'containerInsights is "disabled"; set settings: [{ name: "containerInsights", value: "enabled" }] (or "enhanced")',
        ]);
        assert.deepStrictEqual((await runResource(policy, clusterWith())).messages, [
            'containerInsights is not set; set settings: [{ name: "containerInsights", value: "enabled" }] (or "enhanced")',
        ]);
    });
    it("defers unknown settings", async () => {
        const out = await runResource(policy, clusterWith(UNKNOWN.array));
        assert.strictEqual(out.unknown, unknownAdvisory(policy.name, "Array", "settings"));
    });
});
