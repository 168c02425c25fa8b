/**
 * createServices on the mock runtime with fake parts: the six services, their exact essential
 * containers, the security-group matrix, secrets, autoscaling and the ops outputs.
 */
import { parseSchedule } from "../lib/processing-schedule";
import * as assert from "assert";
import { COMPONENTS } from "../components/app/catalogue";
import { SERVICES_DEFAULTS } from "../components/app/services";
import { ServiceParts, servicesArgs } from "../components/archivematica-cluster";
import { PlannedResource, testConfig, TestPlan } from "./harness";
import { ContainerDef, containers, FAKE, planServices, SETTINGS, TAGS } from "./service-deps";

const NS = "staging.archivematica.internal";

function essential(p: TestPlan, component: string): ContainerDef {
    const all = containers(p, component).filter((c) => c.essential);
    assert.strictEqual(all.length, 1, `${component}: ${all.length} essential containers`);
    return all[0];
}
const names = (list: { name: string }[]) => list.map((x) => x.name);

describe("createServices", () => {
    let p: TestPlan;
    before(async () => {
        p = await planServices();
    });

    it("six ECS services, each with its own family, one essential container and its component tag", () => {
        const services = p.ofType("aws:ecs/service:Service");
        assert.deepStrictEqual(services.map((s) => s.props.tags.ArchivematicaComponent).sort(), [...COMPONENTS].sort());
        const families = p
            .ofType("aws:ecs/taskDefinition:TaskDefinition")
            .map((t) => t.props.family)
            .sort();
        assert.deepStrictEqual(families, COMPONENTS.map((c) => `am-staging-${c}`).sort());
        for (const c of COMPONENTS) {
            essential(p, c);
            assert.strictEqual(p.named(`am-${c}-task-definition`).props.tags.ArchivematicaComponent, c);
            assert.strictEqual(p.named(`am-${c}`).type, "archivematica:index:ArchivematicaService");
            assert.strictEqual(p.named(`am-${c}`).parent, p.named("am").urn);
        }
        assert.deepStrictEqual(p.outputs.families, Object.fromEntries(COMPONENTS.map((c) => [c, `am-staging-${c}`])));
    });

    it("essential containers: image, user, ports, mounts, health checks, logging (staging, 1.18)", () => {
        const expected: Record<
            string,
            [string, string, number | undefined, [string, string][], string[] | undefined, number, number, number]
        > = {
            // image, user, port, mounts [volume, path], health command, stopTimeout, task cpu, memory
            dashboard: [
                "artefactual/archivematica-dashboard:v1.18.0",
                "1000:1000",
                8000,
                [["sharedDirectory", "/var/archivematica/sharedDirectory"]],
                ["CMD-SHELL", "bash -c 'exec 3<>/dev/tcp/127.0.0.1/8000' || exit 1"],
                60,
                1024,
                2048,
            ],
            "storage-service": [
                "artefactual/archivematica-storage-service:v0.24.0",
                "1000:1000",
                8000,
                [
                    ["transferSource", "/home"],
                    ["sharedDirectory", "/var/archivematica/sharedDirectory"],
                    ["storageServiceStaging", "/var/archivematica/storage_service"],
                ],
                ["CMD-SHELL", "curl --fail --silent --output /dev/null http://localhost:8000/ || exit 1"],
                60,
                1024,
                2048,
            ],
            "mcp-server": [
                "artefactual/archivematica-mcp-server:v1.18.0",
                "1000:1000",
                7999,
                [["sharedDirectory", "/var/archivematica/sharedDirectory"]],
                ["CMD-SHELL", "bash -c 'exec 3<>/dev/tcp/127.0.0.1/7999' || exit 1"],
                120,
                512,
                1024,
            ],
            "mcp-client": [
                "artefactual/archivematica-mcp-client:v1.18.0",
                "1000:1000",
                7999,
                [["sharedDirectory", "/var/archivematica/sharedDirectory"]],
                ["CMD-SHELL", "bash -c 'exec 3<>/dev/tcp/127.0.0.1/7999' || exit 1"],
                120,
                2048,
                4096,
            ],
            gearmand: ["artefactual/gearmand:1.1.22-alpine", "gearman", 4730, [], undefined, 30, 256, 512],
            clamavd: ["clamav/clamav-debian:1.5.3", "clamav", 3310, [], ["CMD-SHELL", "clamdcheck.sh"], 30, 1024, 4096],
        };
        for (const [c, [image, user, port, mounts, health, stopTimeout, cpu, memory]] of Object.entries(expected)) {
            const e = essential(p, c);
            assert.strictEqual(e.name, c);
            assert.strictEqual(e.image, image, c);
            assert.strictEqual(e.user, user, c);
            assert.deepStrictEqual(e.portMappings, [{ containerPort: port, hostPort: port, protocol: "tcp" }], c);
            assert.deepStrictEqual(
                e.mountPoints.map((m: ContainerDef) => [m.sourceVolume, m.containerPath]),
                mounts,
                c,
            );
            assert.ok(
                e.mountPoints.every((m: ContainerDef) => m.readOnly === false),
                c,
            );
            assert.deepStrictEqual(e.healthCheck?.command, health, c);
            assert.strictEqual(e.stopTimeout, stopTimeout, c);
            assert.strictEqual(e.readonlyRootFilesystem, false, c);
            assert.deepStrictEqual(
                e.logConfiguration,
                {
                    logDriver: "awslogs",
                    options: { "awslogs-group": `/ecs/am-staging-${c}`, "awslogs-region": "eu-west-2", "awslogs-stream-prefix": c },
                },
                c,
            );
            const td = p.named(`am-${c}-task-definition`).props;
            assert.deepStrictEqual([td.cpu, td.memory], [String(cpu), String(memory)], c);
            for (const other of containers(p, c)) assert.strictEqual(other.logConfiguration.logDriver, "awslogs", `${c}/${other.name}`);
        }
        assert.deepStrictEqual(essential(p, "gearmand").command, ["--queue-type=builtin"]);
        assert.deepStrictEqual(essential(p, "clamavd").entryPoint, ["/init-unprivileged"]);
        assert.strictEqual(p.named("am-clamavd-task-definition").props.volumes.length, 0);
        assert.deepStrictEqual(p.named("am-storage-service-task-definition").props.ephemeralStorage, { sizeInGib: 50 });
        assert.deepStrictEqual(p.named("am-mcp-client-task-definition").props.ephemeralStorage, { sizeInGib: 50 });
        assert.strictEqual(p.named("am-dashboard-task-definition").props.ephemeralStorage, undefined);
    });

    it("secrets by name, never in environment; discovery names and data-store outputs wired into the environment", () => {
        const secretsOf = (c: string) => Object.fromEntries(essential(p, c).secrets.map((s: ContainerDef) => [s.name, s.valueFrom]));
        const envOf = (c: string) => Object.fromEntries(essential(p, c).environment.map((s: ContainerDef) => [s.name, s.value]));
        const allRefs = COMPONENTS.flatMap((c) =>
            containers(p, c).flatMap((x) => x.secrets.map((s: ContainerDef) => s.valueFrom as string)),
        );
        const generatedArn = (suffix: string) => {
            const value = allRefs.find((v) => v.startsWith(`arn:aws:secretsmanager:eu-west-2:123456789012:secret:am-${suffix}-`));
            assert.ok(value, `no reference to am-${suffix}`);
            return value!;
        };
        assert.deepStrictEqual(secretsOf("dashboard"), {
            ARCHIVEMATICA_DASHBOARD_CLIENT_PASSWORD: FAKE.appPasswordSecret,
            ARCHIVEMATICA_DASHBOARD_DASHBOARD_DJANGO_SECRET_KEY: generatedArn("pipeline-django-secret-key"),
        });
        assert.deepStrictEqual(secretsOf("storage-service"), {
            DJANGO_SECRET_KEY: generatedArn("storage-service-django-secret-key"),
            SS_DB_URL: FAKE.ssDbUrlSecret,
        });
        assert.deepStrictEqual(secretsOf("mcp-server"), {
            ARCHIVEMATICA_MCPSERVER_CLIENT_PASSWORD: FAKE.appPasswordSecret,
            ARCHIVEMATICA_MCPSERVER_MCPSERVER_DJANGO_SECRET_KEY: generatedArn("pipeline-django-secret-key"),
        });
        assert.deepStrictEqual(secretsOf("mcp-client"), {
            ARCHIVEMATICA_MCPCLIENT_CLIENT_PASSWORD: FAKE.appPasswordSecret,
            ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_DJANGO_SECRET_KEY: generatedArn("pipeline-django-secret-key"),
        });
        assert.deepStrictEqual(secretsOf("gearmand"), {});
        assert.deepStrictEqual(secretsOf("clamavd"), {});

        const d = envOf("dashboard");
        assert.strictEqual(d.ARCHIVEMATICA_DASHBOARD_CLIENT_HOST, FAKE.dbAddress);
        assert.strictEqual(d.ARCHIVEMATICA_DASHBOARD_CLIENT_PORT, "3306");
        assert.strictEqual(d.ARCHIVEMATICA_DASHBOARD_CLIENT_USER, "archivematica");
        assert.strictEqual(d.ARCHIVEMATICA_DASHBOARD_CLIENT_DATABASE, "MCP");
        assert.strictEqual(d.ARCHIVEMATICA_DASHBOARD_DASHBOARD_GEARMAN_SERVER, `gearmand.${NS}:4730`);
        assert.strictEqual(d.ARCHIVEMATICA_DASHBOARD_DASHBOARD_DJANGO_ALLOWED_HOSTS, "*");
        assert.strictEqual(d.ARCHIVEMATICA_DASHBOARD_SEARCH_ENABLED, "false");
        assert.strictEqual(envOf("mcp-client").ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_CLAMAV_SERVER, `clamavd.${NS}:3310`);
        assert.strictEqual(envOf("mcp-client").ARCHIVEMATICA_MCPCLIENT_WORKERS, "2");
        assert.strictEqual(envOf("mcp-client").ARCHIVEMATICA_MCPCLIENT_MAX_TASKS_PER_CHILD, "10");
        assert.strictEqual(envOf("mcp-server").ARCHIVEMATICA_MCPSERVER_MCPSERVER_MCPARCHIVEMATICASERVER, `gearmand.${NS}:4730`);
        assert.strictEqual(envOf("storage-service").DJANGO_ALLOWED_HOSTS, "*");

        // No generated value appears anywhere in a task definition, and no plain variable is secret-like.
        const generatedValues = p.ofType("aws:secretsmanager/secretVersion:SecretVersion").map((r) => r.props.secretString as string);
        assert.strictEqual(generatedValues.length, 5);
        for (const c of COMPONENTS) {
            const text = p.named(`am-${c}-task-definition`).props.containerDefinitions as string;
            for (const v of generatedValues) assert.ok(!text.includes(v), `${c} task definition contains a generated secret`);
            for (const x of containers(p, c)) {
                for (const e of x.environment)
                    assert.ok(!/PASSWORD|SECRET|TOKEN|KEY/.test(e.name), `${c}/${x.name}: ${e.name} in environment`);
            }
        }
        // Generated values reach Secrets Manager as Pulumi secrets.
        for (const v of p.resources.filter((r) => r.type === "aws:secretsmanager/secretVersion:SecretVersion")) {
            assert.strictEqual(
                (v.inputs.secretString as Record<string, unknown>)["4dabf18193072939515e22adb298388d"],
                "1b47061264138c4ac30d75fd1eb44270",
                v.name,
            );
        }
    });

    it("security groups admit each port only from its callers", () => {
        const sgName = new Map<string, string>();
        for (const sg of p.ofType("aws:ec2/securityGroup:SecurityGroup")) sgName.set(sg.id!, sg.name.replace(/^am-|-sg$/g, ""));
        const fakes: Record<string, string> = {
            [FAKE.albSg]: "alb",
            [FAKE.dbSg]: "db",
            [FAKE.efsSg]: "efs",
            [FAKE.redisSg]: "queue",
            [FAKE.searchSg]: "search",
        };
        const label = (id: string) => sgName.get(id) ?? fakes[id] ?? id;
        const ingress = p
            .ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
            .map((r) => `${label(r.props.securityGroupId)}:${r.props.fromPort} <- ${label(r.props.referencedSecurityGroupId)}`)
            .sort();
        assert.deepStrictEqual(ingress, [
            "clamavd:3310 <- mcp-client",
            "dashboard:8000 <- alb",
            "dashboard:8000 <- storage-service",
            "db:3306 <- dashboard",
            "db:3306 <- mcp-client",
            "db:3306 <- mcp-server",
            "db:3306 <- storage-service",
            "efs:2049 <- dashboard",
            "efs:2049 <- mcp-client",
            "efs:2049 <- mcp-server",
            "efs:2049 <- storage-service",
            "gearmand:4730 <- dashboard",
            "gearmand:4730 <- mcp-client",
            "gearmand:4730 <- mcp-server",
            "storage-service:8000 <- alb",
            "storage-service:8000 <- dashboard",
            "storage-service:8000 <- mcp-client",
            "storage-service:8000 <- mcp-server",
        ]);
        const egress = p
            .ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
            .map(
                (r) =>
                    `${label(r.props.securityGroupId)} -> ${r.props.cidrIpv4 ?? label(r.props.referencedSecurityGroupId)}:${r.props.fromPort}${r.props.toPort !== r.props.fromPort ? `-${r.props.toPort}` : ""}`,
            )
            .sort();
        assert.deepStrictEqual(egress, [
            "clamavd -> 0.0.0.0/0:443",
            "dashboard -> 0.0.0.0/0:443",
            "dashboard -> db:3306",
            "dashboard -> efs:2049",
            "dashboard -> gearmand:4730",
            "dashboard -> storage-service:8000",
            "gearmand -> 0.0.0.0/0:443",
            "mcp-client -> 0.0.0.0/0:443",
            "mcp-client -> clamavd:3310",
            "mcp-client -> db:3306",
            "mcp-client -> efs:2049",
            "mcp-client -> gearmand:4730",
            "mcp-client -> storage-service:8000",
            "mcp-server -> 0.0.0.0/0:443",
            "mcp-server -> db:3306",
            "mcp-server -> efs:2049",
            "mcp-server -> gearmand:4730",
            "mcp-server -> storage-service:8000",
            "storage-service -> 0.0.0.0/0:443",
            "storage-service -> dashboard:8000",
            "storage-service -> db:3306",
            "storage-service -> efs:2049",
        ]);
        for (const r of [
            ...p.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"),
            ...p.ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"),
        ]) {
            assert.strictEqual(r.props.ipProtocol, "tcp", r.name);
        }
        for (const sg of p.ofType("aws:ec2/securityGroup:SecurityGroup")) {
            assert.strictEqual(sg.props.ingress, undefined);
            assert.strictEqual(sg.props.egress, undefined);
        }
    });

    it("deployment styles, capacity provider, discovery namespace, load balancers", () => {
        const svc = (c: string) => p.named(`am-${c}-service`).props;
        for (const c of ["gearmand", "mcp-server"]) {
            assert.deepStrictEqual(
                [svc(c).desiredCount, svc(c).deploymentMinimumHealthyPercent, svc(c).deploymentMaximumPercent],
                [1, 0, 100],
                c,
            );
        }
        for (const c of ["dashboard", "storage-service", "mcp-client", "clamavd"]) {
            assert.deepStrictEqual([svc(c).deploymentMinimumHealthyPercent, svc(c).deploymentMaximumPercent], [100, 200], c);
        }
        for (const c of COMPONENTS) {
            assert.deepStrictEqual(svc(c).capacityProviderStrategies, [{ capacityProvider: "FARGATE", weight: 1, base: 0 }]);
            assert.deepStrictEqual(svc(c).networkConfiguration.subnets, FAKE.subnets);
            assert.strictEqual(svc(c).networkConfiguration.assignPublicIp, false);
            assert.deepStrictEqual(svc(c).deploymentCircuitBreaker, { enable: true, rollback: true });
            // A first deployment: no capacity provider to move from, so no forced deployment.
            assert.strictEqual(svc(c).forceNewDeployment, false, c);
            assert.strictEqual(svc(c).enableExecuteCommand, true);
            assert.strictEqual(svc(c).propagateTags, "SERVICE");
            // Only the bootstrapping apps are waited for (see the ordering test below).
            assert.strictEqual(svc(c).waitForSteadyState, c === "dashboard" || c === "storage-service", c);
            assert.strictEqual(p.named(`am-${c}-discovery`).props.name, c);
            assert.strictEqual(p.named(`am-${c}-discovery`).props.dnsConfig.namespaceId, p.named("am-discovery-namespace").id);
        }
        assert.deepStrictEqual(p.named("am-discovery-namespace").props, {
            name: NS,
            vpc: FAKE.vpcId,
            description: "Archivematica services (Cloud Map, ECS service discovery)",
            tags: { ...TAGS, Name: "am-discovery-namespace" },
        });
        assert.deepStrictEqual(svc("dashboard").loadBalancers, [
            { targetGroupArn: FAKE.dashboardTg, containerName: "dashboard", containerPort: 8000 },
        ]);
        assert.deepStrictEqual(svc("storage-service").loadBalancers, [
            { targetGroupArn: FAKE.ssTg, containerName: "storage-service", containerPort: 8000 },
        ]);
        assert.deepStrictEqual(
            [svc("dashboard").healthCheckGracePeriodSeconds, svc("storage-service").healthCheckGracePeriodSeconds],
            [120, 240],
        );
        for (const c of ["mcp-server", "mcp-client", "gearmand", "clamavd"]) assert.strictEqual(svc(c).loadBalancers, undefined, c);
    });

    it("MCP clients: desired count, queue scaling and processing hours from config; both MCP components get a metrics sidecar", async () => {
        const q = await planServices({
            mcpClient: { desiredCount: 3, minCount: 2, maxCount: 6, processingSchedule: parseSchedule("MON-FRI 07:00-19:00") },
        });
        assert.strictEqual(q.named("am-mcp-client-service").props.desiredCount, 3);
        assert.deepStrictEqual(q.named("am-mcp-client-service").ignoreChanges, ["desiredCount"]);
        const t = q.named("am-mcp-client-queue-target").props;
        assert.deepStrictEqual([t.minCapacity, t.maxCapacity, t.resourceId], [2, 6, `service/${FAKE.clusterName}/am-mcp-client-service`]);
        assert.strictEqual(q.named("am-mcp-client-queue-out").props.stepScalingPolicyConfiguration.stepAdjustments.length, 6);
        assert.deepStrictEqual(q.named("am-mcp-client-queue-stop").props.scalableTargetAction, { minCapacity: 0, maxCapacity: 0 });
        assert.strictEqual(q.ofType("aws:appautoscaling/target:Target").length, 1);
        const sidecars = (c: string) =>
            (JSON.parse(q.named(`am-${c}-task-definition`).props.containerDefinitions) as { name: string; essential: boolean }[])
                .filter((d) => !d.essential && d.name === "metrics")
                .map((d) => d.name);
        for (const c of ["mcp-server", "mcp-client"]) assert.deepStrictEqual(sidecars(c), ["metrics"], c);
        for (const c of ["dashboard", "storage-service", "gearmand", "clamavd"]) assert.deepStrictEqual(sidecars(c), [], c);
    });

    it("stack config: Spot, large sizes, scratch storage, image override, search, Redis queue", async () => {
        const q = await planServices(
            {
                capacityProvider: "FARGATE_SPOT",
                sizeProfile: "large",
                maxTransferSizeGiB: 100,
                images: { dashboard: "registry.example.org/am/dashboard:1.18.0-1" },
            },
            { search: "opensearch", queue: true },
        );
        // The singletons (the MCP server and gearmand's queue) stay on-demand whatever the stack chooses.
        assert.deepStrictEqual(
            Object.fromEntries(COMPONENTS.map((c) => [c, q.named(`am-${c}-service`).props.capacityProviderStrategies])),
            {
                dashboard: [{ capacityProvider: "FARGATE_SPOT", weight: 1, base: 0 }],
                "storage-service": [{ capacityProvider: "FARGATE_SPOT", weight: 1, base: 0 }],
                "mcp-server": [{ capacityProvider: "FARGATE", weight: 1, base: 0 }],
                "mcp-client": [{ capacityProvider: "FARGATE_SPOT", weight: 1, base: 0 }],
                gearmand: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }],
                clamavd: [{ capacityProvider: "FARGATE_SPOT", weight: 1, base: 0 }],
            },
        );
        assert.deepStrictEqual(
            [q.named("am-mcp-client-task-definition").props.cpu, q.named("am-mcp-client-task-definition").props.memory],
            ["4096", "16384"],
        );
        assert.deepStrictEqual(q.named("am-storage-service-task-definition").props.ephemeralStorage, { sizeInGib: 200 });
        // The override applies to the init containers too: they run the component's own image.
        assert.deepStrictEqual(
            [...new Set(containers(q, "dashboard").map((c) => c.image))],
            ["registry.example.org/am/dashboard:1.18.0-1"],
        );
        const sec = (c: string) => essential(q, c).secrets.map((s: ContainerDef) => s.name);
        assert.ok(sec("dashboard").includes("ARCHIVEMATICA_DASHBOARD_DASHBOARD_ELASTICSEARCH_SERVER"));
        assert.ok(sec("mcp-client").includes("ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_ELASTICSEARCHSERVER"));
        assert.ok(!sec("mcp-server").some((n: string) => n.includes("ELASTICSEARCH")));
        assert.deepStrictEqual(ruleNames(q, /^search-from-/), ["search-from-dashboard", "search-from-mcp-client"]);
        assert.deepStrictEqual(ruleNames(q, /^queue-from-/), ["queue-from-gearmand"]);
        assert.deepStrictEqual(essential(q, "gearmand").command, [
            "--queue-type=redis",
            `--redis-server=${FAKE.redisEndpoint}`,
            "--redis-port=6379",
        ]);
        const toQueue = q.named("am-gearmand-to-queue").props;
        assert.deepStrictEqual([toQueue.referencedSecurityGroupId, toQueue.fromPort], [FAKE.redisSg, 6379]);
        const secretsOf = (c: string) =>
            JSON.parse(q.named(`am-${c}-execution-policy`).props.policy).Statement.find((s: ContainerDef) => s.Sid === "ReadOwnSecrets")
                .Resource;
        assert.ok(secretsOf("dashboard").includes(FAKE.searchUrlSecret));
        assert.ok(!secretsOf("mcp-server").includes(FAKE.searchUrlSecret));
    });

    it("external search: the Elasticsearch ports are reachable from the dashboard and the MCP clients only", async () => {
        const q = await planServices({}, { search: "external" });
        const rules = q.ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter((r) => r.name.endsWith("-to-search"));
        assert.deepStrictEqual(
            rules.map((r) => [r.name, r.props.cidrIpv4, r.props.fromPort, r.props.toPort]),
            [
                ["am-dashboard-to-search", "0.0.0.0/0", 9200, 9300],
                ["am-mcp-client-to-search", "0.0.0.0/0", 9200, 9300],
            ],
        );
    });

    it("execution roles read exactly their task's secrets", () => {
        const resources = (c: string) =>
            JSON.parse(p.named(`am-${c}-execution-policy`).props.policy).Statement.find((s: ContainerDef) => s.Sid === "ReadOwnSecrets")
                ?.Resource ?? [];
        const gen = (suffix: string) => `arn:aws:secretsmanager:eu-west-2:123456789012:secret:am-${suffix}-`;
        const shape = (list: string[]) => {
            assert.deepStrictEqual(list, [...list].sort(), "the policy lists secrets in a fixed order");
            return list.map((a) => a.replace(/-[0-9a-f]{6}$/, "-*")).sort();
        };
        assert.deepStrictEqual(
            shape(resources("dashboard")),
            [
                `${gen("admin-password")}*`,
                `${gen("dashboard-api-key")}*`,
                `${gen("pipeline-django-secret-key")}*`,
                `${gen("storage-service-api-key")}*`,
                FAKE.appPasswordSecret,
                FAKE.masterSecret,
            ].sort(),
        );
        assert.deepStrictEqual(
            shape(resources("storage-service")),
            [
                `${gen("admin-password")}*`,
                `${gen("dashboard-api-key")}*`,
                FAKE.appPasswordSecret,
                FAKE.ssDbUrlSecret,
                `${gen("storage-service-api-key")}*`,
                `${gen("storage-service-django-secret-key")}*`,
                FAKE.masterSecret,
            ].sort(),
        );
        assert.deepStrictEqual(shape(resources("mcp-server")), [`${gen("pipeline-django-secret-key")}*`, FAKE.appPasswordSecret].sort());
        assert.deepStrictEqual(shape(resources("mcp-client")), [`${gen("pipeline-django-secret-key")}*`, FAKE.appPasswordSecret].sort());
        assert.deepStrictEqual(resources("gearmand"), []);
        assert.deepStrictEqual(resources("clamavd"), []);
        // No registry given: Docker Hub, anonymously, so no ECR permission at all (nothing on "*").
        for (const c of COMPONENTS) {
            assert.deepStrictEqual(
                JSON.parse(p.named(`am-${c}-execution-policy`).props.policy).Statement.map((s: ContainerDef) => s.Sid),
                ["gearmand", "clamavd"].includes(c) ? ["WriteOwnLogs"] : ["WriteOwnLogs", "ReadOwnSecrets"],
                c,
            );
        }
        for (const c of COMPONENTS) {
            const task = JSON.parse(p.named(`am-${c}-task-policy`).props.policy);
            const actions = task.Statement.flatMap((s: ContainerDef) => s.Action);
            assert.ok(!actions.includes("elasticfilesystem:ClientRootAccess"), c);
            assert.strictEqual(
                task.Statement.some((s: ContainerDef) => s.Sid === "EfsThroughAccessPoints"),
                !["gearmand", "clamavd"].includes(c),
                c,
            );
        }
    });

    it("generated secrets: five random values in Secrets Manager, tagged, ARNs as outputs", () => {
        const secrets = p.ofType("aws:secretsmanager/secret:Secret");
        assert.deepStrictEqual(names(secrets).sort(), [
            "am-admin-password",
            "am-dashboard-api-key",
            "am-pipeline-django-secret-key",
            "am-storage-service-api-key",
            "am-storage-service-django-secret-key",
        ]);
        for (const s of secrets) {
            assert.strictEqual(s.props.tags.Name, s.name);
            assert.strictEqual(s.props.recoveryWindowInDays, 7);
        }
        const pw = p.named("am-admin-password-value").props;
        assert.deepStrictEqual([pw.length, pw.special], [32, false]);
        assert.deepStrictEqual(
            [p.named("am-pipeline-django-secret-key-value").props.length, p.named("am-pipeline-django-secret-key-value").props.special],
            [64, true],
        );
        const arns = p.outputs.adminSecretArns as Record<string, string>;
        assert.deepStrictEqual(Object.keys(arns).sort(), ["adminPassword", "dashboardApiKey", "storageServiceApiKey"]);
        assert.ok(arns.adminPassword.startsWith("arn:aws:secretsmanager:eu-west-2:123456789012:secret:am-admin-password-"));
        assert.strictEqual(p.outputs.adminUsername, "admin");
    });

    it("ops outputs: names, log groups, ready-to-paste ECS Exec and manage.py commands", () => {
        assert.deepStrictEqual(p.outputs.serviceNames, Object.fromEntries(COMPONENTS.map((c) => [c, `am-${c}-service`])));
        assert.deepStrictEqual(p.outputs.logGroupNames, Object.fromEntries(COMPONENTS.map((c) => [c, `/ecs/am-staging-${c}`])));
        assert.strictEqual(p.outputs.namespace, NS);
        const exec = p.outputs.exec as Record<string, string>;
        const find = (svc: string) =>
            `TASK_ID=$(aws ecs list-tasks --region eu-west-2 --cluster am-cluster --service-name ${svc} --query 'taskArns[0]' --output text) && `;
        assert.strictEqual(
            exec.dashboard,
            `${find("am-dashboard-service")}aws ecs execute-command --region eu-west-2 --cluster am-cluster --task "$TASK_ID" --container dashboard --interactive --command "/bin/bash"`,
        );
        assert.strictEqual(
            exec.gearmand,
            `${find("am-gearmand-service")}aws ecs execute-command --region eu-west-2 --cluster am-cluster --task "$TASK_ID" --container gearmand --interactive --command "/bin/sh"`,
        );
        assert.deepStrictEqual(Object.keys(exec).sort(), [...COMPONENTS].sort());
        const manage = p.outputs.manage as Record<string, string>;
        const inDashboard = (cmd: string) =>
            `${find("am-dashboard-service")}aws ecs execute-command --region eu-west-2 --cluster am-cluster --task "$TASK_ID" --container dashboard --interactive --command "python3 -m archivematica.dashboard.manage ${cmd}"`;
        assert.deepStrictEqual(manage, {
            migrate: inDashboard("migrate --noinput"),
            rebuild_aip_index_from_storage_service: inDashboard("rebuild_aip_index_from_storage_service"),
            rebuild_transfer_backlog: inDashboard("rebuild_transfer_backlog"),
            help: inDashboard("help"),
        });
    });

    it("1.17: manage.py file in the outputs and the 1.17 images", async () => {
        const q = await planServices({ archivematicaVersion: "1.17" });
        assert.strictEqual(essential(q, "dashboard").image, "artefactual/archivematica-dashboard:v1.17.0");
        assert.ok(
            (q.outputs.manage as Record<string, string>).migrate.endsWith(
                '--command "python3 /src/src/dashboard/src/manage.py migrate --noinput"',
            ),
        );
    });

    it("servicesArgs: a stack that sets none of the services' keys gets exactly SERVICES_DEFAULTS", () => {
        const { adminUsername, ...defaults } = SERVICES_DEFAULTS;
        assert.deepStrictEqual(servicesArgs(testConfig(), {} as ServiceParts), {
            ...SETTINGS,
            ...defaults,
            bootstrap: { ...SETTINGS.bootstrap, adminUsername },
            // Not a services key: the accepted processing configurations (built-ins, no processing-configs/ file).
            ingestConfigs: ["automated", "default"],
        });
    });

    it("every taggable child carries the required tags", () => {
        const required = TAGS;
        const untaggable = new Set([
            "aws:iam/rolePolicy:RolePolicy",
            "aws:secretsmanager/secretVersion:SecretVersion",
            "aws:appautoscaling/policy:Policy",
        ]);
        for (const r of p.resources.filter((x: PlannedResource) => x.custom && x.type.startsWith("aws:") && !untaggable.has(x.type))) {
            for (const [k, v] of Object.entries(required)) assert.strictEqual(r.props.tags?.[k], v, `${r.type} ${r.name}: ${k}`);
        }
    });
});

function ruleNames(p: TestPlan, pattern: RegExp): string[] {
    return p
        .ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
        .map((r) => r.name)
        .filter((n) => pattern.test(n))
        .sort();
}
