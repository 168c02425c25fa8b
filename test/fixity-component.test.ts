/**
 * Fixity on the mock runtime: its one container (the script, the settings, its one secret), its task
 * role's exact statements, its security group and the Storage Service's rule for it, its schedule, and
 * the one-line argument errors.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { Fixity, FixityArgs, FIXITY_SCRIPT } from "../components/app/fixity";
import type { Reachable } from "../components/interfaces";
import { ingressFrom } from "../lib/security-groups";
import { COMPONENT_TAGS, plan, TestPlan } from "./harness";

const SS_KEY = "arn:aws:secretsmanager:eu-west-2:123456789012:secret:ss-api-key-GhIjKl";
const SS_URL = "http://storage-service.test.archivematica.internal:8000";
const CLUSTER = "arn:aws:ecs:eu-west-2:123456789012:cluster/c1";

class FakeApp extends pulumi.ComponentResource implements Reachable {
    readonly securityGroupId = pulumi.output("sg-0storage");
    constructor() {
        super("test:index:FakeApp", "ss");
        this.registerOutputs({});
    }
    allowFrom(sourceName: string, sourceSecurityGroupId: pulumi.Input<string>): void {
        ingressFrom(this, `ss-from-${sourceName}`, {
            securityGroupId: this.securityGroupId,
            sourceSecurityGroupId,
            port: 8000,
            description: `ss from ${sourceName}`,
            tags: COMPONENT_TAGS,
        });
    }
}

function args(overrides: Partial<FixityArgs> = {}): FixityArgs {
    return {
        prefix: "t",
        clusterArn: CLUSTER,
        vpcId: "vpc-0a1b2c3d4e5f67890",
        subnetIds: ["subnet-01"],
        region: "eu-west-2",
        environment: "test",
        image: "artefactual/archivematica-storage-service:v0.24.0",
        storageService: { url: SS_URL, service: new FakeApp() },
        adminUsername: "admin",
        storageServiceApiKeySecretArn: SS_KEY,
        aipBucket: "am-test-aips",
        tags: COMPONENT_TAGS,
        ...overrides,
    };
}

describe("Fixity (component)", () => {
    let p: TestPlan;
    before(async function () {
        this.timeout(60000);
        p = await plan(() => new Fixity("fx", args()));
    });

    it("one container: python3 -c <the script>, its settings, the Storage Service key as its only secret", () => {
        const [def] = JSON.parse(p.named("fx-task-definition").props.containerDefinitions);
        assert.deepStrictEqual(
            [def.name, def.user, def.entryPoint, def.command, def.readonlyRootFilesystem],
            ["fixity", "1000:1000", ["python3", "-c"], [FIXITY_SCRIPT], true],
        );
        assert.deepStrictEqual(def.environment, [
            { name: "FIXITY_AIP_BUCKET", value: "am-test-aips" },
            { name: "FIXITY_ENVIRONMENT", value: "test" },
            { name: "FIXITY_MAX_RUN_MINUTES", value: "360" },
            { name: "FIXITY_RUN_INTERVAL_HOURS", value: "24" },
            { name: "FIXITY_SS_URL", value: SS_URL },
            { name: "FIXITY_USERNAME", value: "admin" },
            { name: "FIXITY_WINDOW_DAYS", value: "90" },
        ]);
        assert.deepStrictEqual(def.secrets, [{ name: "FIXITY_SS_API_KEY", valueFrom: SS_KEY }]);
    });

    it("task role: its reports and state, listing the AIP bucket, its metrics; nothing else", () => {
        assert.deepStrictEqual(JSON.parse(p.named("fx-task-policy").props.policy).Statement, [
            {
                Sid: "ReportsAndState",
                Effect: "Allow",
                Action: ["s3:GetObject", "s3:PutObject"],
                Resource: "arn:aws:s3:::am-test-aips/reports/fixity/*",
            },
            { Sid: "ListAipBucket", Effect: "Allow", Action: ["s3:ListBucket"], Resource: "arn:aws:s3:::am-test-aips" },
            {
                Sid: "PublishOwnMetrics",
                Effect: "Allow",
                Action: ["cloudwatch:PutMetricData"],
                Resource: "*",
                Condition: { StringEquals: { "cloudwatch:namespace": "Archivematica/Fixity" } },
            },
        ]);
        const execution = JSON.parse(p.named("fx-execution-policy").props.policy).Statement;
        assert.deepStrictEqual(execution.find((s: { Sid: string }) => s.Sid === "ReadOwnSecrets").Resource, [SS_KEY]);
    });

    it("its group reaches the Storage Service (which admits it) and HTTPS; a daily schedule on the cluster", () => {
        const sg = p.named("fx-sg");
        assert.deepStrictEqual(
            p
                .ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
                .map((r) => [r.name, r.props.fromPort, r.props.referencedSecurityGroupId ?? r.props.cidrIpv4])
                .sort(),
            [
                ["fx-to-https", 443, "0.0.0.0/0"],
                ["fx-to-storage-service", 8000, "sg-0storage"],
            ],
        );
        assert.strictEqual(p.named("ss-from-fx").props.referencedSecurityGroupId, sg.id);
        const schedule = p.named("fx-schedule").props;
        assert.deepStrictEqual([schedule.name, schedule.scheduleExpression, schedule.target.arn], ["t-fixity", "rate(1 day)", CLUSTER]);
    });

    const errors: [string, Partial<FixityArgs>, string][] = [
        [
            "a run as long as the interval",
            { maxRunHours: 24 },
            'Fixity "bad": maxRunHours 24 lets a run last until the next (every 24 h); valid: a whole number from 1 to 23',
        ],
        [
            "a schedule in minutes",
            { scheduleExpression: "rate(30 minutes)" },
            'Fixity "bad": scheduleExpression "rate(30 minutes)" is not a rate in hours or days; valid: rate(<n> hour[s]|day[s])',
        ],
        ["a zero window", { windowDays: 0 }, 'Fixity "bad": windowDays 0 is out of range; valid: a whole number from 1 to 3650'],
        ["root", { user: "0:0" }, 'Fixity "bad": user "0:0" is root or empty; valid: a non-root uid:gid'],
    ];
    for (const [what, overrides, message] of errors) {
        it(`refuses ${what} before anything is registered`, async () => {
            const run = await plan(() => assert.throws(() => new Fixity("bad", args(overrides)), { message }));
            assert.deepStrictEqual(
                run.resources.filter((r) => r.name.startsWith("bad")),
                [],
            );
        });
    }
});
