import * as assert from "assert";
import * as singleEssential from "../../policy/rules/aws-ecs-taskdefinition-require-single-essential-container";
import * as secretEnv from "../../policy/rules/aws-ecs-taskdefinition-prohibit-secret-environment";
import * as awslogs from "../../policy/rules/aws-ecs-taskdefinition-require-awslogs";
import * as hostAccess from "../../policy/rules/aws-ecs-taskdefinition-prohibit-host-access";
import * as awsvpc from "../../policy/rules/aws-ecs-taskdefinition-require-awsvpc-network-mode";
import * as nonroot from "../../policy/rules/aws-ecs-taskdefinition-require-nonroot-user";
import * as readonlyRoot from "../../policy/rules/aws-ecs-taskdefinition-require-readonly-root-filesystem";
import * as fargate from "../../policy/rules/aws-ecs-taskdefinition-require-valid-fargate-size";
import * as sidecar from "../../policy/rules/aws-ecs-taskdefinition-restrict-sidecar";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { Container, dashboardContainers, metricsSidecar, taskDefinition } from "./fixtures";
import { patch, runResource, secret, UNKNOWN, unknownAdvisory } from "./harness";

/** The baseline task definition with its containers changed. */
function withContainers(change: (cs: Container[]) => void) {
    return taskDefinition(patch(dashboardContainers(), change));
}

const UNREADABLE = "containerDefinitions is not a JSON array of container definitions";

/** Shared checks for every rule that reads container definitions. */
function containerDocumentCases(policy: ResourceValidationPolicy): void {
    it("reports unreadable container definitions", async () => {
        for (const bad of ["not json", '{"name":"x"}', "[1, 2]"]) {
            const out = await runResource(
                policy,
                patch(taskDefinition(), (t) => (t.props.containerDefinitions = bad)),
            );
            assert.deepStrictEqual(out.messages, [UNREADABLE], bad);
        }
    });
    it("defers unknown container definitions to the preview advisory", async () => {
        const out = await runResource(
            policy,
            patch(taskDefinition(), (t) => (t.props.containerDefinitions = UNKNOWN.string)),
        );
        assert.deepStrictEqual(out.messages, []);
        assert.strictEqual(out.unknown, unknownAdvisory(policy.name, "string", "containerDefinitions"));
    });
    it("reads secret-wrapped container definitions as the server unwraps them", async () => {
        const base = taskDefinition();
        const out = await runResource(
            policy,
            patch(base, (t) => (t.props.containerDefinitions = secret(base.props.containerDefinitions))),
        );
        assert.deepStrictEqual(out.messages, []);
    });
    it("ignores other resource types", async () => {
        assert.deepStrictEqual(
            (await runResource(policy, { type: "aws:ecs/service:Service", name: "s", props: { containerDefinitions: "x" } })).messages,
            [],
        );
    });
}

describe("aws-ecs-taskdefinition-require-single-essential-container", () => {
    const { policy } = singleEssential;
    it("passes one essential container that waits for its init container", async () => {
        assert.deepStrictEqual((await runResource(policy, taskDefinition())).messages, []);
        const complete = withContainers((cs) => (cs[0].dependsOn = [{ containerName: "migrate", condition: "COMPLETE" }]));
        assert.deepStrictEqual((await runResource(policy, complete)).messages, []);
        assert.deepStrictEqual(
            (
                await runResource(
                    policy,
                    withContainers((cs) => cs.splice(1, 1)),
                )
            ).messages,
            [],
        );
    });
    it("fails a second essential container (essential defaults to true)", async () => {
        const out = await runResource(
            policy,
            withContainers((cs) => delete cs[1].essential),
        );
        assert.deepStrictEqual(out.messages, [
            '2 essential containers (container "dashboard", container "migrate"); exactly one may be essential, the others must be init containers or sidecars with essential: false',
        ]);
    });
    it("fails no essential container", async () => {
        const out = await runResource(
            policy,
            withContainers((cs) => (cs[0].essential = false)),
        );
        assert.deepStrictEqual(out.messages, ["no essential container; exactly one container (the service's process) must be essential"]);
    });
    it("leaves a non-essential container the essential one does not wait for to the sidecar rule", async () => {
        const missing = withContainers((cs) => delete cs[0].dependsOn);
        assert.deepStrictEqual((await runResource(policy, missing)).messages, []);
        assert.deepStrictEqual(
            (
                await runResource(
                    policy,
                    withContainers((cs) => cs.push(metricsSidecar())),
                )
            ).messages,
            [],
        );
    });
    containerDocumentCases(policy);
});

describe("aws-ecs-taskdefinition-restrict-sidecar", () => {
    const { policy } = sidecar;
    const withSidecar = (change: (s: Container) => void = () => {}) => withContainers((cs) => cs.push(patch(metricsSidecar(), change)));
    const SIDECAR =
        'container "metrics" is a sidecar (not essential, and container "dashboard" does not dependsOn it with SUCCESS or COMPLETE)';

    it("passes init containers and a sidecar with its own log group, a read-only root and no secrets", async () => {
        assert.deepStrictEqual((await runResource(policy, taskDefinition())).messages, []);
        assert.deepStrictEqual((await runResource(policy, withSidecar())).messages, []);
    });
    it("fails a sidecar that shares a log group", async () => {
        const out = await runResource(
            policy,
            withSidecar((s) => (s.logConfiguration!.options!["awslogs-group"] = "/archivematica/staging/dashboard")),
        );
        assert.deepStrictEqual(out.messages, [
            `${SIDECAR} but shares the log group "/archivematica/staging/dashboard" with container "dashboard", container "migrate"; give it its own log group (an init container needs container "dashboard" to dependsOn it with SUCCESS)`,
        ]);
    });
    it("fails a sidecar without an awslogs log group", async () => {
        const out = await runResource(
            policy,
            withSidecar((s) => delete s.logConfiguration),
        );
        assert.deepStrictEqual(out.messages, [`${SIDECAR} but writes no awslogs log group; give it its own log group`]);
    });
    it("fails a sidecar with a writable root filesystem", async () => {
        const out = await runResource(
            policy,
            withSidecar((s) => delete s.readonlyRootFilesystem),
        );
        assert.deepStrictEqual(out.messages, [`${SIDECAR} but its root filesystem is writable; set readonlyRootFilesystem: true`]);
    });
    it("fails a sidecar that reads a secret", async () => {
        const out = await runResource(
            policy,
            withSidecar(
                (s) => (s.secrets = [{ name: "DB_PASSWORD", valueFrom: "arn:aws:secretsmanager:eu-west-2:123456789012:secret:am-db-app" }]),
            ),
        );
        assert.deepStrictEqual(out.messages, [`${SIDECAR} but reads 1 secret; a sidecar gets no secrets`]);
    });
    it("treats an init container the essential one does not wait for (or waits for with START) as a sidecar", async () => {
        const missing = withContainers((cs) => delete cs[0].dependsOn);
        const start = withContainers((cs) => (cs[0].dependsOn = [{ containerName: "migrate", condition: "START" }]));
        for (const spec of [missing, start]) {
            assert.deepStrictEqual((await runResource(policy, spec)).messages, [
                'container "migrate" is a sidecar (not essential, and container "dashboard" does not dependsOn it with SUCCESS or COMPLETE) but shares the log group "/archivematica/staging/dashboard" with container "dashboard"; give it its own log group (an init container needs container "dashboard" to dependsOn it with SUCCESS)',
            ]);
        }
    });
    it("says nothing without exactly one essential container (the single-essential rule reports that)", async () => {
        const out = await runResource(
            policy,
            withContainers((cs) => {
                cs.push(patch(metricsSidecar(), (s) => delete s.readonlyRootFilesystem));
                cs[0].essential = false;
            }),
        );
        assert.deepStrictEqual(out.messages, []);
    });
    containerDocumentCases(policy);
});

describe("aws-ecs-taskdefinition-prohibit-secret-environment", () => {
    const { policy } = secretEnv;
    const env = (name: string, value: string) => withContainers((cs) => cs[0].environment!.push({ name, value }));
    const VIA_SECRETS = "pass it in secrets (valueFrom a Secrets Manager ARN)";

    it("passes plain settings and secrets passed by reference", async () => {
        assert.deepStrictEqual((await runResource(policy, taskDefinition())).messages, []);
        assert.deepStrictEqual(
            (await runResource(policy, env("ARCHIVEMATICA_MCPCLIENT_ELASTICSEARCHSERVER", "https://search.internal:9200"))).messages,
            [],
        );
    });
    it("fails secret-looking names, case-insensitively", async () => {
        for (const name of [
            "ARCHIVEMATICA_DASHBOARD_CLIENT_PASSWORD",
            "DJANGO_SECRET_KEY",
            "SS_API_KEY",
            "github_token",
            "AWS_CREDENTIALS",
        ]) {
            assert.deepStrictEqual((await runResource(policy, env(name, "x"))).messages, [
                `container "dashboard" sets ${name} in environment; ${VIA_SECRETS}`,
            ]);
        }
    });
    it("fails URLs with credentials under any name, without echoing the value", async () => {
        const out = await runResource(policy, env("SS_DB_URL", "mysql://archivematica:hunter2@db.internal:3306/SS"));
        assert.deepStrictEqual(out.messages, [
            `container "dashboard" sets SS_DB_URL in environment to a URL with credentials; ${VIA_SECRETS}`,
        ]);
        assert.ok(!out.messages[0].includes("hunter2"));
        const search = await runResource(policy, env("ES_URL", "https://elastic:pw@search:9243"));
        assert.deepStrictEqual(search.messages, [
            `container "dashboard" sets ES_URL in environment to a URL with credentials; ${VIA_SECRETS}`,
        ]);
    });
    it("fails names ending in the short password words, not names that merely contain them", async () => {
        for (const name of ["DB_PASS", "MYSQL_PWD", "ROOT_PASSWD", "PASS", "smtp-pass", "LDAP.PWD"]) {
            assert.deepStrictEqual(
                (await runResource(policy, env(name, "x"))).messages,
                [`container "dashboard" sets ${name} in environment; ${VIA_SECRETS}`],
                name,
            );
        }
        for (const name of [
            "PASSENGER_COUNT",
            "BYPASS_CACHE",
            "COMPASS_URL",
            "PWDX",
            "ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_CLAMAV_PASS_BY_STREAM",
            "PWD_FILE",
        ]) {
            assert.deepStrictEqual((await runResource(policy, env(name, "x"))).messages, [], name);
        }
    });
    it("fails a URL with credentials anywhere in the value, with or without a user name", async () => {
        for (const value of ["--url=mysql://archivematica:hunter2@db:3306/SS", "redis://:hunter2@cache:6379/0", "x amqp://u:p@mq y"]) {
            assert.deepStrictEqual(
                (await runResource(policy, env("CONNECTION", value))).messages,
                [`container "dashboard" sets CONNECTION in environment to a URL with credentials; ${VIA_SECRETS}`],
                value,
            );
        }
        for (const value of ["https://search.internal:9200/x", "https://user@host/", "ssh://git@host:22/repo"]) {
            assert.deepStrictEqual((await runResource(policy, env("CONNECTION", value))).messages, [], value);
        }
    });
    it("checks init containers too", async () => {
        const out = await runResource(
            policy,
            withContainers((cs) => cs[1].environment!.push({ name: "DB_PASSWORD", value: "x" })),
        );
        assert.deepStrictEqual(out.messages, [`container "migrate" sets DB_PASSWORD in environment; ${VIA_SECRETS}`]);
    });
    it("allows configured names", async () => {
        const spec = env("AWS_KMS_KEY_ID", "alias/archivematica");
        assert.deepStrictEqual((await runResource(policy, spec, { allowedNames: ["AWS_KMS_KEY_ID"] })).messages, []);
        assert.deepStrictEqual((await runResource(policy, spec)).messages, [
            `container "dashboard" sets AWS_KMS_KEY_ID in environment; ${VIA_SECRETS}`,
        ]);
    });
    it("flags a credential URL even under an allow-listed name", async () => {
        const out = await runResource(policy, env("SEARCH_KEY_URL", "https://u:p@h"), { allowedNames: ["SEARCH_KEY_URL"] });
        assert.deepStrictEqual(out.messages, [
            `container "dashboard" sets SEARCH_KEY_URL in environment to a URL with credentials; ${VIA_SECRETS}`,
        ]);
    });
    containerDocumentCases(policy);
});

describe("aws-ecs-taskdefinition-require-awslogs", () => {
    const { policy } = awslogs;
    it("passes awslogs with a group", async () => {
        assert.deepStrictEqual((await runResource(policy, taskDefinition())).messages, []);
    });
    it("fails a container without logging or with another driver", async () => {
        assert.deepStrictEqual(
            (
                await runResource(
                    policy,
                    withContainers((cs) => delete cs[1].logConfiguration),
                )
            ).messages,
            ['container "migrate" has logDriver not set; set logConfiguration.logDriver "awslogs"'],
        );
        assert.deepStrictEqual(
            (
                await runResource(
                    policy,
                    withContainers((cs) => (cs[0].logConfiguration = { logDriver: "json-file" })),
                )
            ).messages,
            ['container "dashboard" has logDriver "json-file"; set logConfiguration.logDriver "awslogs"'],
        );
    });
    it("fails awslogs without a group", async () => {
        assert.deepStrictEqual(
            (
                await runResource(
                    policy,
                    withContainers((cs) => (cs[0].logConfiguration = { logDriver: "awslogs", options: {} })),
                )
            ).messages,
            ['container "dashboard" logs with awslogs but sets no awslogs-group option'],
        );
    });
    containerDocumentCases(policy);
});

describe("aws-ecs-taskdefinition-prohibit-host-access", () => {
    const { policy } = hostAccess;
    it("passes the baseline", async () => {
        assert.deepStrictEqual((await runResource(policy, taskDefinition())).messages, []);
    });
    it("fails privileged containers, host PID and host IPC", async () => {
        assert.deepStrictEqual(
            (
                await runResource(
                    policy,
                    withContainers((cs) => (cs[1].privileged = true)),
                )
            ).messages,
            ['container "migrate" is privileged; remove privileged: true'],
        );
        assert.deepStrictEqual(
            (
                await runResource(
                    policy,
                    patch(taskDefinition(), (t) => (t.props.pidMode = "host")),
                )
            ).messages,
            ['pidMode is "host"; tasks must not share the host\'s process namespace'],
        );
        assert.deepStrictEqual(
            (
                await runResource(
                    policy,
                    patch(taskDefinition(), (t) => (t.props.ipcMode = "host")),
                )
            ).messages,
            ['ipcMode is "host"; tasks must not share the host\'s IPC namespace'],
        );
        assert.deepStrictEqual(
            (
                await runResource(
                    policy,
                    patch(taskDefinition(), (t) => (t.props.pidMode = "task")),
                )
            ).messages,
            [],
        );
    });
    it("defers an unknown pidMode", async () => {
        const out = await runResource(
            policy,
            patch(taskDefinition(), (t) => (t.props.pidMode = UNKNOWN.string)),
        );
        assert.strictEqual(out.unknown, unknownAdvisory(policy.name, "string", "pidMode"));
        assert.deepStrictEqual(out.messages, []);
    });
    containerDocumentCases(policy);
});

describe("aws-ecs-taskdefinition-require-awsvpc-network-mode", () => {
    const { policy } = awsvpc;
    it("passes awsvpc", async () => {
        assert.deepStrictEqual((await runResource(policy, taskDefinition())).messages, []);
    });
    it("fails host, bridge and unset", async () => {
        for (const [mode, shown] of [
            ["host", '"host"'],
            ["bridge", '"bridge"'],
            [undefined, "not set"],
        ] as const) {
            const spec = patch(taskDefinition(), (t) => (mode === undefined ? delete t.props.networkMode : (t.props.networkMode = mode)));
            assert.deepStrictEqual((await runResource(policy, spec)).messages, [`networkMode is ${shown}; set networkMode: "awsvpc"`]);
        }
    });
    it("defers an unknown value", async () => {
        const out = await runResource(
            policy,
            patch(taskDefinition(), (t) => (t.props.networkMode = UNKNOWN.string)),
        );
        assert.strictEqual(out.unknown, unknownAdvisory(policy.name, "string", "networkMode"));
    });
});

describe("aws-ecs-taskdefinition-require-nonroot-user", () => {
    const { policy } = nonroot;
    it("passes explicit non-root users", async () => {
        assert.deepStrictEqual((await runResource(policy, taskDefinition())).messages, []);
        assert.deepStrictEqual(
            (
                await runResource(
                    policy,
                    withContainers((cs) => (cs[0].user = "archivematica")),
                )
            ).messages,
            [],
        );
    });
    it("fails a missing user", async () => {
        assert.deepStrictEqual(
            (
                await runResource(
                    policy,
                    withContainers((cs) => delete cs[1].user),
                )
            ).messages,
            ['container "migrate" sets no user, so it runs as the image\'s user (often root); set user, e.g. "1000:1000"'],
        );
    });
    it("fails root in every spelling", async () => {
        for (const user of ["root", "0", "0:0", "root:root", "0:1000"]) {
            assert.deepStrictEqual(
                (
                    await runResource(
                        policy,
                        withContainers((cs) => (cs[0].user = user)),
                    )
                ).messages,
                [`container "dashboard" runs as root (user "${user}"); set a non-root user, e.g. "1000:1000"`],
            );
        }
    });
    containerDocumentCases(policy);
});

describe("aws-ecs-taskdefinition-require-readonly-root-filesystem", () => {
    const { policy } = readonlyRoot;
    it("is advisory by default", () => assert.strictEqual(policy.enforcementLevel, "advisory"));
    it("passes read-only root filesystems", async () => {
        assert.deepStrictEqual((await runResource(policy, taskDefinition())).messages, []);
    });
    it("reports a writable root filesystem", async () => {
        assert.deepStrictEqual(
            (
                await runResource(
                    policy,
                    withContainers((cs) => delete cs[0].readonlyRootFilesystem),
                )
            ).messages,
            ['container "dashboard" has a writable root filesystem; set readonlyRootFilesystem: true and mount writable paths as volumes'],
        );
    });
    it("reports several containers in one message", async () => {
        const out = await runResource(
            policy,
            withContainers((cs) => cs.forEach((c) => (c.readonlyRootFilesystem = false))),
        );
        assert.deepStrictEqual(out.messages, [
            'containers "dashboard", "migrate" have writable root filesystems; set readonlyRootFilesystem: true and mount writable paths as volumes',
        ]);
    });
    containerDocumentCases(policy);
});

describe("aws-ecs-taskdefinition-require-valid-fargate-size", () => {
    const { policy } = fargate;
    const sized = (cpu: unknown, memory: unknown) => patch(taskDefinition(), (t) => ((t.props.cpu = cpu), (t.props.memory = memory)));

    it("passes every boundary of the Fargate table", async () => {
        const valid: [number, number][] = [
            [256, 512],
            [256, 2048],
            [512, 1024],
            [512, 4096],
            [1024, 2048],
            [1024, 8192],
            [2048, 4096],
            [2048, 16384],
            [4096, 8192],
            [4096, 30720],
            [8192, 16384],
            [8192, 61440],
            [16384, 32768],
            [16384, 122880],
        ];
        for (const [cpu, memory] of valid) {
            assert.deepStrictEqual((await runResource(policy, sized(String(cpu), String(memory)))).messages, [], `${cpu}/${memory}`);
        }
        assert.deepStrictEqual((await runResource(policy, sized(4096, 12288))).messages, [], "numbers as well as strings");
    });
    it("fails memory outside the range or off the step", async () => {
        const cases: [number, number, string][] = [
            [256, 4096, "512, 1024, 2048 MiB"],
            [1024, 1024, "2048–8192 MiB in steps of 1024"],
            [4096, 31744, "8192–30720 MiB in steps of 1024"],
            [8192, 18432, "16384–61440 MiB in steps of 4096"],
            [16384, 36864, "32768–122880 MiB in steps of 8192"],
        ];
        for (const [cpu, memory, valid] of cases) {
            assert.deepStrictEqual((await runResource(policy, sized(String(cpu), String(memory)))).messages, [
                `memory "${memory}" does not fit cpu ${cpu} on Fargate; valid memory for cpu ${cpu}: ${valid}`,
            ]);
        }
    });
    it("fails an unsupported or missing cpu", async () => {
        assert.deepStrictEqual((await runResource(policy, sized("768", "2048"))).messages, [
            'cpu is "768"; Fargate accepts 256, 512, 1024, 2048, 4096, 8192, 16384',
        ]);
        assert.deepStrictEqual((await runResource(policy, sized(undefined, "2048"))).messages, [
            "cpu is not set; Fargate accepts 256, 512, 1024, 2048, 4096, 8192, 16384",
        ]);
    });
    it("checks ephemeral storage", async () => {
        const storage = (gib: number) => patch(taskDefinition(), (t) => (t.props.ephemeralStorage = { sizeInGib: gib }));
        assert.deepStrictEqual((await runResource(policy, storage(21))).messages, []);
        assert.deepStrictEqual((await runResource(policy, storage(200))).messages, []);
        for (const gib of [20, 201]) {
            assert.deepStrictEqual((await runResource(policy, storage(gib))).messages, [
                `ephemeralStorage.sizeInGib is ${gib}; Fargate accepts 21–200 GiB`,
            ]);
        }
    });
    it("ignores task definitions that are not for Fargate", async () => {
        const ec2 = patch(sized("768", "100"), (t) => (t.props.requiresCompatibilities = ["EC2"]));
        assert.deepStrictEqual((await runResource(policy, ec2)).messages, []);
    });
    it("defers unknown sizes", async () => {
        const out = await runResource(policy, sized(UNKNOWN.string, "2048"));
        assert.strictEqual(out.unknown, unknownAdvisory(policy.name, "string", "cpu"));
        assert.deepStrictEqual(out.messages, []);
    });
});
