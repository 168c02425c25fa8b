/**
 * The ECS task builder (components/app/task/) on its own, for what ArchivematicaService and SmokeTest
 * do not exercise: a sidecar beside the essential container (non-essential, read-only root, its own
 * log group), a task without ECS Exec, and the checks of sidecars. The services' and the smoke test's
 * tasks are checked exactly in their own specs.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { checkTask, createTask, failer, TaskArgs } from "../components/app/task";
import { COMPONENT_TAGS, plan } from "./harness";

const SECRET = "arn:aws:secretsmanager:eu-west-2:123456789012:secret:fixity-key-AbCdEf";
const ACCOUNT = { accountId: "123456789012", partition: "aws" };

class Holder extends pulumi.ComponentResource {
    constructor() {
        super("test:index:Holder", "holder", {});
    }
}

function args(overrides: Partial<TaskArgs> = {}): TaskArgs {
    return {
        family: "am-test-fixity",
        region: "eu-west-2",
        cpu: 512,
        memory: 1024,
        logRetentionDays: 14,
        containers: {
            essential: {
                name: "fixity",
                image: "example/fixity:1.0",
                user: "1000:1000",
                command: ["check"],
                secrets: { API_KEY: SECRET },
            },
            sidecars: [
                {
                    name: "metrics",
                    image: "example/exporter:2.0",
                    user: "65534:65534",
                    port: 9100,
                    logGroup: "own",
                    healthCheck: { command: ["CMD", "/bin/exporter", "--check"] },
                },
            ],
        },
        descriptions: { task: "fixity: what it may do", execution: "fixity: what ECS may do" },
        ...overrides,
    };
}

async function planTask(a: TaskArgs) {
    return plan(() =>
        createTask(
            { name: "fx", parent: new Holder(), tags: COMPONENT_TAGS, componentTags: { ArchivematicaComponent: "fixity" } },
            a,
            ACCOUNT,
        ),
    );
}

describe("task builder: a task with a sidecar", function () {
    let p: Awaited<ReturnType<typeof planTask>>;
    before(async () => {
        p = await planTask(args());
    });

    it("container definitions: the essential container, and a non-essential, read-only sidecar logging to its own group", () => {
        const logs = (group: string, prefix: string) => ({
            logDriver: "awslogs",
            options: { "awslogs-group": group, "awslogs-region": "eu-west-2", "awslogs-stream-prefix": prefix },
        });
        assert.deepStrictEqual(JSON.parse(p.named("fx-task-definition").props.containerDefinitions), [
            {
                command: ["check"],
                environment: [],
                essential: true,
                image: "example/fixity:1.0",
                logConfiguration: logs("/ecs/am-test-fixity", "fixity"),
                name: "fixity",
                readonlyRootFilesystem: true,
                secrets: [{ name: "API_KEY", valueFrom: SECRET }],
                user: "1000:1000",
            },
            {
                environment: [],
                essential: false,
                healthCheck: { command: ["CMD", "/bin/exporter", "--check"], interval: 30, timeout: 5, retries: 3, startPeriod: 0 },
                image: "example/exporter:2.0",
                logConfiguration: logs("/ecs/am-test-fixity/metrics", "metrics"),
                name: "metrics",
                portMappings: [{ containerPort: 9100, hostPort: 9100, protocol: "tcp" }],
                readonlyRootFilesystem: true,
                secrets: [],
                user: "65534:65534",
            },
        ]);
    });

    it("log groups: /ecs/<family> and /ecs/<family>/<sidecar>, with the retention and the component's tags", () => {
        assert.deepStrictEqual(
            p
                .ofType("aws:cloudwatch/logGroup:LogGroup")
                .map((g) => [g.name, g.props.name, g.props.retentionInDays, g.props.tags.ArchivematicaComponent]),
            [
                ["fx-logs", "/ecs/am-test-fixity", 14, "fixity"],
                ["fx-metrics-logs", "/ecs/am-test-fixity/metrics", 14, "fixity"],
            ],
        );
    });

    it("execution role: both log groups, exactly the one secret; task role: nothing without Exec, EFS or statements (the trust policy is the services' and the smoke test's, checked there)", () => {
        assert.deepStrictEqual(JSON.parse(p.named("fx-execution-policy").props.policy), {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "WriteOwnLogs",
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                    Resource: [
                        "arn:aws:logs:eu-west-2:123456789012:log-group:/ecs/am-test-fixity:*",
                        "arn:aws:logs:eu-west-2:123456789012:log-group:/ecs/am-test-fixity/metrics:*",
                    ],
                },
                { Sid: "ReadOwnSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [SECRET] },
            ],
        });
        assert.deepStrictEqual(JSON.parse(p.named("fx-task-policy").props.policy), { Version: "2012-10-17", Statement: [] });
    });

    it("no mounts declared: no volumes listed", () => {
        assert.strictEqual(p.named("fx-task-definition").props.volumes, undefined);
    });
});

describe("task builder: checks", () => {
    const fail = failer("FixityTask", "fx");
    const check = (a: TaskArgs) => () => checkTask(a, fail);
    const withSidecar = (sidecar: Partial<NonNullable<TaskArgs["containers"]["sidecars"]>[number]>) =>
        args({ containers: { ...args().containers, sidecars: [{ ...args().containers.sidecars![0], ...sidecar }] } });

    it("passes the example", () => {
        check(args())();
    });

    for (const [what, a, message] of [
        [
            "a sidecar as root",
            withSidecar({ user: "root" }),
            'container "metrics" user "root" is root or empty; valid: a non-root uid:gid or user name',
        ],
        [
            "a sidecar named like the essential container",
            withSidecar({ name: "fixity" }),
            'sidecars repeat a container name; valid: names distinct from each other and from "fixity"',
        ],
        [
            "a sidecar's stop timeout",
            withSidecar({ stopTimeout: 300 }),
            "sidecars[metrics].stopTimeout 300 is out of range; valid: 2 to 120 seconds",
        ],
        [
            "a sidecar mounting without a file system",
            withSidecar({ mounts: [{ volume: "shared", containerPath: "/data" }] }),
            "fileSystem is required by the mount of shared; valid: the EFS file system and its access points",
        ],
        ["memory with cpu 512", args({ memory: 512 }), "memory 512 MiB is not valid with cpu 512; valid: 1024 to 4096 MiB (4 values)"],
        [
            "a retention CloudWatch does not offer",
            args({ logRetentionDays: 10 }),
            /^Error: FixityTask "fx": logRetentionDays 10 is not a CloudWatch retention; valid: 1, 3, 5,/,
        ],
    ] as const) {
        it(`refuses ${what}`, () => {
            if (typeof message === "string") assert.throws(check(a as TaskArgs), { message: `FixityTask "fx": ${message}` });
            else assert.throws(check(a as TaskArgs), message);
        });
    }
});
