/**
 * Upgrades as a second `pulumi up` would make them, from two offline plans (test/support/plan-diff.ts):
 * the database's engine family 8.0 → 8.4, and Archivematica 1.17 → 1.18 on the staging stack.
 */
import { strict as assert } from "assert";
import { Database, DatabaseArgs } from "../components/data/database";
import { RecordedResource } from "../tools/mock-runtime";
import { plan, stackPlan } from "./harness";
import { diffPlans, formatSteps, planStackWith } from "./support/plan-diff";

const ARGS: DatabaseArgs = {
    vpcId: "vpc-0a1b2c3d4e5f67890",
    subnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"],
    identifier: "archivematica-db-staging",
    tags: { Project: "archivematica", Environment: "staging", Owner: "dp@example.org", CostCentre: "DP-0042" },
};

async function planDatabase(args: DatabaseArgs): Promise<RecordedResource[]> {
    return (await plan(() => new Database("archivematica-db", args))).resources;
}

describe("upgrades: what a second pulumi up does", () => {
    it("MySQL 8.0 → 8.4: the parameter group is replaced (created first), the instance updated in place onto it, applied immediately", async () => {
        const before = await planDatabase({ ...ARGS, engineVersion: "8.0" });
        const after = await planDatabase({ ...ARGS, engineVersion: "8.4" });
        assert.deepEqual(formatSteps(diffPlans(before, after)), [
            "replace aws:rds/parameterGroup:ParameterGroup archivematica-db-params: description, family",
            "update aws:rds/instance:Instance archivematica-db-instance: engineVersion, parameterGroupName (new archivematica-db-params)",
        ]);
        const params = after.find((r) => r.name === "archivematica-db-params")!;
        const instance = after.find((r) => r.name === "archivematica-db-instance")!;
        // Create-before-delete: the old group goes last, after the instance left it.
        assert.equal(params.deleteBeforeReplace, false);
        assert.deepEqual([params.inputs.family, instance.inputs.engineVersion], ["mysql8.4", "8.4"]);
        assert.deepEqual([instance.inputs.applyImmediately, instance.inputs.allowMajorVersionUpgrade], [true, true]);
        assert.deepEqual(instance.propertyDependencies.parameterGroupName, [params.urn]);
    });

    it("applyImmediately follows the argument (false: changes wait for the maintenance window)", async () => {
        const deferred = await planDatabase({ ...ARGS, applyImmediately: false });
        const instance = deferred.find((r) => r.name === "archivematica-db-instance")!;
        assert.deepEqual([instance.inputs.applyImmediately, instance.inputs.maintenanceWindow], [false, "sun:03:30-sun:04:30"]);
    });

    it("the staging stack's database is applied immediately (the config default), production's explicitly", async () => {
        const instance = (await stackPlan("staging")).run.resources.find((r) => r.type === "aws:rds/instance:Instance")!;
        assert.equal(instance.inputs.applyImmediately, true);
        const prodInstance = (await stackPlan("prod")).run.resources.find((r) => r.type === "aws:rds/instance:Instance")!;
        assert.equal(prodInstance.inputs.applyImmediately, true);
    });

    it("Archivematica 1.17 → 1.18 on staging: new task definitions for the images that changed (the fixity and smoke tasks run the Storage Service image), their services and schedules follow, nothing else", async () => {
        const before = await planStackWith("staging", { archivematicaVersion: "1.17" });
        const after = (await stackPlan("staging")).run.resources;
        assert.deepEqual(formatSteps(diffPlans(before, after)), [
            "replace aws:ecs/taskDefinition:TaskDefinition archivematica-dashboard-task-definition: containerDefinitions",
            "replace aws:ecs/taskDefinition:TaskDefinition archivematica-fixity-task-definition: containerDefinitions",
            "replace aws:ecs/taskDefinition:TaskDefinition archivematica-mcp-client-task-definition: containerDefinitions",
            "replace aws:ecs/taskDefinition:TaskDefinition archivematica-mcp-server-task-definition: containerDefinitions",
            "replace aws:ecs/taskDefinition:TaskDefinition archivematica-smoke-test-task-definition: containerDefinitions",
            "replace aws:ecs/taskDefinition:TaskDefinition archivematica-storage-service-task-definition: containerDefinitions",
            "update aws:ecs/service:Service archivematica-dashboard-service: taskDefinition (new archivematica-dashboard-task-definition)",
            "update aws:scheduler/schedule:Schedule archivematica-fixity-schedule: target (new archivematica-fixity-task-definition)",
            "update aws:iam/rolePolicy:RolePolicy archivematica-fixity-scheduler-policy: policy (new archivematica-fixity-task-definition)",
            "update aws:ecs/service:Service archivematica-mcp-client-service: taskDefinition (new archivematica-mcp-client-task-definition)",
            "update aws:ecs/service:Service archivematica-mcp-server-service: taskDefinition (new archivematica-mcp-server-task-definition)",
            "update aws:scheduler/schedule:Schedule archivematica-smoke-test-schedule: target (new archivematica-smoke-test-task-definition)",
            "update aws:iam/rolePolicy:RolePolicy archivematica-smoke-test-scheduler-policy: policy (new archivematica-smoke-test-task-definition)",
            "update aws:ecs/service:Service archivematica-storage-service-service: taskDefinition (new archivematica-storage-service-task-definition)",
        ]);
        // The migrations run in the new tasks before the apps start: the init containers use 1.18's modules.
        const containers = (name: string) =>
            JSON.parse(after.find((r) => r.name === name)!.inputs.containerDefinitions as string) as {
                name: string;
                entryPoint?: string[];
            }[];
        const migrate = (name: string) => containers(name).find((c) => c.name === "migrate")!.entryPoint;
        assert.deepEqual(migrate("archivematica-dashboard-task-definition"), [
            "python3",
            "-m",
            "archivematica.dashboard.manage",
            "migrate",
            "--noinput",
        ]);
        assert.deepEqual(migrate("archivematica-storage-service-task-definition"), [
            "python3",
            "-m",
            "archivematica.storage_service.manage",
            "migrate",
            "--noinput",
        ]);
        const beforeMigrate = (
            JSON.parse(before.find((r) => r.name === "archivematica-dashboard-task-definition")!.inputs.containerDefinitions as string) as {
                name: string;
                entryPoint?: string[];
            }[]
        ).find((c) => c.name === "migrate")!.entryPoint;
        assert.deepEqual(beforeMigrate, ["python3", "/src/src/dashboard/src/manage.py", "migrate", "--noinput"]);
    });
});
