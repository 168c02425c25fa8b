/**
 * The policy gate (tools/gate.ts, tools/policy-cli.ts): the real pack in policy/ driven over gRPC as the
 * engine drives it. Each pack is started once per file (start-up costs about a second) and stopped at
 * the end; the tests check that no pack process is left behind.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { formatVerdicts, GateError, GateResult, PolicyPackProcess, readPreviewFile, runGate, startPack } from "../tools/gate";
import { PACK_TEST_TIMEOUT, TEST_PACK_START } from "./harness";
import { NOT_EVALUATED_REMEDY, WRONG_TYPE_REMEDY } from "../tools/gate/report";
import { HELP, main as policyCli } from "../tools/policy-cli";
import { RecordedResource, SECRET_SIG, SIG_KEY, UNKNOWN } from "../tools/mock-runtime";
import { PreviewDigest, PreviewStep } from "../tools/preview-json";

const ROOT = path.resolve(__dirname, "..");
const FIXTURES = path.join(__dirname, "fixtures");
const CLI_PREVIEW = path.join(FIXTURES, "cli-preview.json");
const THROWING_PACK = path.join(FIXTURES, "throwing-pack");
/** The test's policy config: the pack's defaults, with the stack rule scoped to the one component the fixture runs. */
const TEST_CONFIG = path.join(FIXTURES, "gate-policy.json");

const PREFIX = "urn:pulumi:staging::archivematica-infra::";
const STACK = `${PREFIX}pulumi:pulumi:Stack::archivematica-infra-staging`;
const PROVIDER = `${PREFIX}pulumi:providers:aws::default_7_48_0`;
const PROVIDER_REF = `${PROVIDER}::04b0e2a4-5a8c-4f7e-9d0b-3c6f1e2a7b90`;
const FS = `${PREFIX}aws:efs/fileSystem:FileSystem::shared`;
const BACKUP = `${PREFIX}aws:efs/backupPolicy:BackupPolicy::shared-backup`;
const AP = `${PREFIX}aws:efs/accessPoint:AccessPoint::shared-ap`;
const LOGS = `${PREFIX}aws:cloudwatch/logGroup:LogGroup::dashboard-logs`;
const TD = `${PREFIX}aws:ecs/taskDefinition:TaskDefinition::dashboard`;
const SVC = `${PREFIX}aws:ecs/service:Service::dashboard`;
const ALARM = `${PREFIX}aws:cloudwatch/metricAlarm:MetricAlarm::dashboard-running`;

const TAGS = { Project: "archivematica", Environment: "staging", Owner: "dp@example.org", CostCentre: "DP-0042", ManagedBy: "pulumi" };

function container(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        name,
        image: `artefactual/archivematica-${name}:v1.18.0`,
        essential: true,
        user: "1000:1000",
        readonlyRootFilesystem: true,
        logConfiguration: {
            logDriver: "awslogs",
            options: { "awslogs-group": "/am/staging/dashboard", "awslogs-region": "eu-west-2", "awslogs-stream-prefix": name },
        },
        environment: [{ name: "DJANGO_SETTINGS_MODULE", value: "archivematica.dashboard.settings.production" }],
        ...extra,
    };
}

function step(urn: string, type: string, inputs: Record<string, unknown>, extra: Record<string, unknown> = {}): PreviewStep {
    const custom = !type.startsWith("pulumi:pulumi:");
    const provider = custom && !type.startsWith("pulumi:providers:") ? PROVIDER_REF : undefined;
    return {
        op: "create",
        urn,
        ...(provider ? { provider } : {}),
        newState: {
            urn,
            custom,
            type,
            inputs,
            ...(provider ? { provider } : {}),
            ...(type === "pulumi:pulumi:Stack" ? {} : { parent: STACK }),
            ...extra,
        },
    };
}

/** A small stack every rule of the pack accepts (with TEST_CONFIG): one dashboard service and its parts. */
function cleanDigest(): PreviewDigest {
    const steps = [
        step(STACK, "pulumi:pulumi:Stack", {}),
        step(PROVIDER, "pulumi:providers:aws", { region: "eu-west-2", version: "7.48.0" }),
        step(FS, "aws:efs/fileSystem:FileSystem", {
            encrypted: true,
            performanceMode: "generalPurpose",
            throughputMode: "elastic",
            tags: TAGS,
        }),
        step(
            BACKUP,
            "aws:efs/backupPolicy:BackupPolicy",
            { fileSystemId: "fs-0a1b2c3d", backupPolicy: { status: "ENABLED" } },
            { dependencies: [FS], propertyDependencies: { fileSystemId: [FS] } },
        ),
        step(
            AP,
            "aws:efs/accessPoint:AccessPoint",
            {
                fileSystemId: "fs-0a1b2c3d",
                posixUser: { uid: 1000, gid: 1000 },
                rootDirectory: { path: "/shared", creationInfo: { ownerUid: 1000, ownerGid: 1000, permissions: "0750" } },
                tags: TAGS,
            },
            { dependencies: [FS], propertyDependencies: { fileSystemId: [FS] } },
        ),
        step(LOGS, "aws:cloudwatch/logGroup:LogGroup", { name: "/am/staging/dashboard", retentionInDays: 30, tags: TAGS }),
        step(
            TD,
            "aws:ecs/taskDefinition:TaskDefinition",
            {
                family: "am-staging-dashboard",
                networkMode: "awsvpc",
                requiresCompatibilities: ["FARGATE"],
                cpu: "512",
                memory: "1024",
                containerDefinitions: JSON.stringify([container("dashboard")]),
                volumes: [
                    {
                        name: "shared",
                        efsVolumeConfiguration: {
                            fileSystemId: "fs-0a1b2c3d",
                            transitEncryption: "ENABLED",
                            authorizationConfig: { accessPointId: "fsap-0a1b", iam: "ENABLED" },
                        },
                    },
                ],
                tags: TAGS,
            },
            { dependencies: [FS, AP, LOGS], propertyDependencies: { volumes: [FS, AP] }, customTimeouts: { create: "10m" } },
        ),
        step(
            SVC,
            "aws:ecs/service:Service",
            {
                taskDefinition: "arn:aws:ecs:eu-west-2:123456789012:task-definition/am-staging-dashboard:1",
                desiredCount: 1,
                launchType: "FARGATE",
                networkConfiguration: {
                    assignPublicIp: false,
                    subnets: ["subnet-0a1b2c3d4e5f67890"],
                    securityGroups: ["sg-0a1b2c3d4e5f67890"],
                },
                deploymentCircuitBreaker: { enable: true, rollback: true },
                tags: { ...TAGS, ArchivematicaComponent: "dashboard" },
            },
            { dependencies: [TD], propertyDependencies: { taskDefinition: [TD] } },
        ),
        step(
            ALARM,
            "aws:cloudwatch/metricAlarm:MetricAlarm",
            {
                comparisonOperator: "LessThanThreshold",
                threshold: 1,
                evaluationPeriods: 5,
                metricQueries: [
                    {
                        id: "running",
                        metric: {
                            namespace: "ECS/ContainerInsights",
                            metricName: "RunningTaskCount",
                            dimensions: { ClusterName: "am-staging", ServiceName: "dashboard" },
                            period: 60,
                            stat: "Average",
                        },
                        returnData: true,
                    },
                ],
                alarmActions: ["arn:aws:sns:eu-west-2:123456789012:am-staging-alarms"],
                tags: TAGS,
            },
            { dependencies: [SVC], propertyDependencies: { metricQueries: [SVC] } },
        ),
    ];
    return { config: { "aws:region": "eu-west-2" }, steps, diagnostics: [], changeSummary: { create: steps.length } };
}

/** The digest with one resource's inputs changed. */
function plant(digest: PreviewDigest, urn: string, change: (inputs: Record<string, unknown>) => void): PreviewDigest {
    const s = digest.steps.find((x) => x.urn === urn);
    assert.ok(s?.newState, `no step ${urn}`);
    change(s.newState.inputs);
    return digest;
}

/** Verdicts as `<urn name> | <level> | <policy> | <message>` lines, for exact comparison. */
function lines(r: GateResult): string[] {
    return [...r.errors, ...r.verdicts].map(
        (v) => `${v.urn ? v.urn.split("::").pop() : "-"} | ${v.error ? "error" : v.enforcementLevel} | ${v.policyName} | ${v.message}`,
    );
}

function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

function tmpFile(name: string, text: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gate-test-"));
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
}

describe("policy gate", function () {
    let pack: PolicyPackProcess;
    let throwing: PolicyPackProcess;

    before(async function () {
        this.timeout(PACK_TEST_TIMEOUT);
        [pack, throwing] = await Promise.all([
            startPack(path.join(ROOT, "policy"), TEST_PACK_START),
            startPack(THROWING_PACK, TEST_PACK_START),
        ]);
    });

    after(async function () {
        const pids = [pack?.pid, throwing?.pid].filter((p): p is number => typeof p === "number");
        await Promise.all([pack?.close(), throwing?.close()]);
        for (const pid of pids) assert.equal(alive(pid), false, `pack process ${pid} still running`);
    });

    describe("the real pack", function () {
        it("passes a clean digest, every resource analysed", async function () {
            const r = await runGate(cleanDigest(), { pack, configFile: TEST_CONFIG });
            assert.deepEqual(lines(r), []);
            assert.equal(r.passed, true);
            assert.equal(r.mandatoryViolations, 0);
            assert.equal(r.resourcesAnalyzed, 9);
            assert.equal(r.packName, "archivematica");
            assert.equal(r.packVersion, JSON.parse(fs.readFileSync(path.join(ROOT, "policy", "package.json"), "utf8")).version);
            // mocha runs from the repository root (.mocharc.json), so the config path is shown relative to it.
            assert.equal(
                formatVerdicts(r),
                `Policy pack archivematica v${r.packVersion} (config test/fixtures/gate-policy.json): passed — 0 mandatory violations, 0 advisory violations, 0 rule errors; 9 resources analysed`,
            );
        });

        it("fails planted violations, naming each resource and rule", async function () {
            const d = cleanDigest();
            plant(d, FS, (i) => (i.encrypted = false));
            plant(d, LOGS, (i) => delete i.tags);
            plant(d, TD, (i) => {
                i.containerDefinitions = JSON.stringify([
                    container("dashboard", { environment: [{ name: "ARCHIVEMATICA_DASHBOARD_CLIENT_PASSWORD", value: "hunter2" }] }),
                    container("dashboard-migrate"),
                ]);
            });
            const r = await runGate(d, { pack, configFile: TEST_CONFIG });
            assert.deepEqual(lines(r), [
                "dashboard | mandatory | aws-ecs-taskdefinition-prohibit-secret-environment | " + EXPECTED.secretEnv,
                "dashboard | mandatory | aws-ecs-taskdefinition-require-single-essential-container | " + EXPECTED.twoEssential,
                "shared | mandatory | aws-efs-filesystem-require-encryption | " + EXPECTED.efs,
                "dashboard-logs | mandatory | aws-resource-require-tags | " + EXPECTED.tags,
            ]);
            assert.equal(r.passed, false);
            assert.equal(r.mandatoryViolations, 4);
            const text = formatVerdicts(r);
            assert.ok(
                text.includes(
                    "  aws:efs/fileSystem:FileSystem (shared):\n    [mandatory]  archivematica v0.1.0  aws-efs-filesystem-require-encryption\n",
                ),
                text,
            );
            assert.ok(
                text.includes(
                    "  aws:cloudwatch/logGroup:LogGroup (dashboard-logs):\n    [mandatory]  archivematica v0.1.0  aws-resource-require-tags\n",
                ),
                text,
            );
            assert.ok(text.endsWith("FAILED — 4 mandatory violations, 0 advisory violations, 0 rule errors; 9 resources analysed"), text);
        });

        it("fails a mandatory rule that cannot read an unknown value as not evaluated; --allow-unevaluated makes it advisory", async function () {
            const d = plant(cleanDigest(), FS, (i) => (i.encrypted = UNKNOWN));
            const r = await runGate(d, { pack, configFile: TEST_CONFIG });
            assert.deepEqual(lines(r), [
                `shared | mandatory | aws-efs-filesystem-require-encryption | not evaluated: ${CANNOT_RUN("aws-efs-filesystem-require-encryption", "string value at .encrypted")}; ${NOT_EVALUATED_REMEDY}`,
            ]);
            assert.equal(r.passed, false);
            assert.equal(r.notEvaluated, 1);
            assert.ok(
                formatVerdicts(r).endsWith(
                    "FAILED — 1 mandatory violation (1 not evaluated), 0 advisory violations, 0 rule errors; 9 resources analysed",
                ),
            );
            const allowed = await runGate(d, { pack, configFile: TEST_CONFIG, allowUnevaluated: true });
            assert.deepEqual(lines(allowed), [
                `shared | advisory | aws-efs-filesystem-require-encryption | ${CANNOT_RUN("aws-efs-filesystem-require-encryption", "string value at .encrypted")}`,
            ]);
            assert.equal(allowed.passed, true);
        });

        it("leaves an advisory rule that cannot read a value advisory", async function () {
            const d = plant(cleanDigest(), TD, (i) => (i.containerDefinitions = UNKNOWN));
            const advisory = tmpFile(
                "c.json",
                JSON.stringify({
                    "aws-ecs-service-require-one-per-component": { components: ["dashboard"] },
                    // The clean digest has no alarms: this case is about unreadable values, not coverage.
                    "aws-ecs-service-require-running-count-alarm": "disabled",
                    all: "advisory",
                }),
            );
            const r = await runGate(d, { pack, configFile: advisory });
            assert.equal(r.notEvaluated, 0);
            assert.equal(r.passed, true);
            assert.ok(
                lines(r).length > 0 && lines(r).every((l) => l.includes(" | advisory | ") && l.includes("can't run policy")),
                lines(r).join("\n"),
            );
        });

        it("fails a preview whose every value is masked: each mandatory rule that reads one is not evaluated", async function () {
            const d = cleanDigest();
            const maskAll = (v: unknown): unknown =>
                Array.isArray(v)
                    ? v.map(maskAll)
                    : v && typeof v === "object"
                      ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskAll(x)]))
                      : "[secret]";
            for (const s of d.steps)
                if (s.newState && s.newState.custom) s.newState.inputs = maskAll(s.newState.inputs) as Record<string, unknown>;
            const r = await runGate(d, { pack, configFile: TEST_CONFIG });
            assert.equal(r.passed, false);
            assert.ok(r.notEvaluated >= 8, `${r.notEvaluated} not evaluated`);
            assert.ok(
                lines(r).includes(
                    `shared | mandatory | aws-efs-filesystem-require-encryption | not evaluated: ${CANNOT_RUN("aws-efs-filesystem-require-encryption", "string value at .encrypted")}; ${NOT_EVALUATED_REMEDY}`,
                ),
                lines(r).join("\n"),
            );
        });

        it("sends keys named constructor and prototype as plain properties: they hide nothing from a rule", async function () {
            const d = plant(cleanDigest(), FS, (i) => {
                delete i.encrypted;
                i["constructor"] = { encrypted: true };
                i.prototype = { encrypted: true };
            });
            const r = await runGate(d, { pack, configFile: TEST_CONFIG });
            assert.deepEqual(lines(r), ["shared | mandatory | aws-efs-filesystem-require-encryption | " + EXPECTED.efs]);
        });

        it("applies the policy config: levels, properties and `all`", async function () {
            const d = plant(cleanDigest(), LOGS, (i) => (i.tags = { Owner: "dp@example.org" }));
            const onlyOwner = tmpFile(
                "c.json",
                JSON.stringify({
                    "aws-resource-require-tags": { requiredTags: ["Owner"] },
                    "aws-ecs-service-require-one-per-component": { components: ["dashboard"] },
                }),
            );
            assert.deepEqual(lines(await runGate(d, { pack, configFile: onlyOwner })), []);
            const advisory = tmpFile(
                "c.json",
                JSON.stringify({
                    "aws-resource-require-tags": "advisory",
                    "aws-ecs-service-require-one-per-component": { components: ["dashboard"] },
                }),
            );
            const r = await runGate(d, { pack, configFile: advisory });
            assert.deepEqual(lines(r), ["dashboard-logs | advisory | aws-resource-require-tags | " + EXPECTED.tagsBut("Owner")]);
            assert.equal(r.passed, true);
            assert.equal(r.levels["aws-resource-require-tags"], "advisory");
            const allOff = tmpFile("c.json", JSON.stringify({ all: "disabled" }));
            const off = await runGate(
                plant(d, FS, (i) => (i.encrypted = false)),
                { pack, configFile: allOff },
            );
            assert.deepEqual(lines(off), []);
            assert.ok(Object.values(off.levels).every((l) => l === "disabled"));
        });

        it("uses policy/config/<stack>.json for --stack and lists the stacks for an unknown one", async function () {
            const r = await runGate(
                plant(cleanDigest(), FS, (i) => (i.encrypted = false)),
                { pack, stack: "staging" },
            );
            assert.equal(r.configFile, path.join(ROOT, "policy", "config", "staging.json"));
            assert.ok(lines(r).includes("shared | mandatory | aws-efs-filesystem-require-encryption | " + EXPECTED.efs));
            await assert.rejects(
                runGate(cleanDigest(), { pack, stack: "dev" }),
                new GateError('unknown stack "dev": policy config exists for prod, staging (policy/config/<stack>.json)'),
            );
            await assert.rejects(
                runGate(cleanDigest(), { pack, stack: "staging", configFile: TEST_CONFIG }),
                new GateError("give either a stack or a policy config file, not both"),
            );
        });

        it("refuses config for a policy the pack does not have, and config that fails the schema", async function () {
            const unknown = tmpFile("u.json", JSON.stringify({ "aws-efs-filesystem-require-encryptoin": "mandatory" }));
            await assert.rejects(
                runGate(cleanDigest(), { pack, configFile: unknown }),
                new GateError(
                    `policy config ${unknown}: no policy named "aws-efs-filesystem-require-encryptoin" in pack archivematica 0.1.0`,
                ),
            );
            const badType = tmpFile("b.json", JSON.stringify({ "aws-resource-require-tags": { requiredTags: "Owner" } }));
            await assert.rejects(
                runGate(cleanDigest(), { pack, configFile: badType }),
                new GateError(
                    "validating policy config: archivematica 0.1.0  aws-resource-require-tags: requiredTags: Invalid type. Expected: array, given: string",
                ),
            );
            const badLevel = tmpFile("l.json", JSON.stringify({ "aws-resource-require-tags": "strict" }));
            await assert.rejects(
                runGate(cleanDigest(), { pack, configFile: badLevel }),
                new GateError(
                    `policy config ${badLevel}: parsing enforcement level for "aws-resource-require-tags": "strict" is not a valid enforcement level`,
                ),
            );
        });

        it("sends a recorded run's secrets in clear, marked secret, as the engine does", async function () {
            // In the digest the whole containerDefinitions string is masked; the recorded run has the value.
            const d = cleanDigest();
            const td = d.steps.find((s) => s.urn === TD)!;
            const real = JSON.stringify([container("dashboard", { environment: [{ name: "DJANGO_SECRET_KEY", value: "not-so-secret" }] })]);
            const recorded: RecordedResource = {
                urn: TD,
                type: td.newState!.type,
                name: "dashboard",
                custom: true,
                parent: STACK,
                provider: PROVIDER_REF,
                inputs: { ...td.newState!.inputs, containerDefinitions: { [SIG_KEY]: SECRET_SIG, value: real } },
                dependencies: [],
                propertyDependencies: {},
                protect: false,
                retainOnDelete: false,
                deleteBeforeReplace: false,
                ignoreChanges: [],
            };
            td.newState!.inputs.containerDefinitions = "[secret]";
            const masked = await runGate(d, { pack, configFile: TEST_CONFIG });
            assert.equal(masked.maskedSecrets, 1);
            assert.deepEqual(
                lines(masked).filter((l) => l.includes("aws-ecs-taskdefinition-prohibit-secret-environment")),
                [
                    `dashboard | mandatory | aws-ecs-taskdefinition-prohibit-secret-environment | not evaluated: ${CANNOT_RUN("aws-ecs-taskdefinition-prohibit-secret-environment", "string value at .containerDefinitions")}; ${NOT_EVALUATED_REMEDY}`,
                ],
            );
            const clear = await runGate(d, { pack, configFile: TEST_CONFIG, recorded: [recorded] });
            assert.equal(clear.maskedSecrets, 0);
            assert.deepEqual(lines(clear), [
                "dashboard | mandatory | aws-ecs-taskdefinition-prohibit-secret-environment | " + EXPECTED.secretEnvKey,
            ]);
        });

        it("accepts a real CLI preview: analyses registrations, not reads or deletes; unknowns and masked secrets", async function () {
            const digest = readPreviewFile(CLI_PREVIEW);
            const r = await runGate(digest, { pack, configFile: TEST_CONFIG });
            // Stack, provider, component, updated EFS, access point, mount target, log group,
            // replaced task definition (one URN over three steps) and the secret version.
            assert.equal(r.resourcesAnalyzed, 9);
            assert.equal(r.maskedSecrets, 1);
            const all = lines(r);
            assert.ok(
                all.includes(
                    `storage-shared | mandatory | aws-resource-require-tags | not evaluated: ${CANNOT_RUN("aws-resource-require-tags", "string value at .tags")}; ${NOT_EVALUATED_REMEDY}`,
                ),
                all.join("\n"),
            );
            // The deleted bucket is not analysed; the read VPC only by stack rules (it has no flow log).
            assert.deepEqual(
                all.filter((l) => l.startsWith("old-artifacts")),
                [],
            );
            assert.deepEqual(
                all.filter((l) => l.startsWith("existing")),
                ["existing | mandatory | aws-ec2-vpc-require-flow-logs | " + EXPECTED.flowLogs],
            );
            // Provider defaultTags from the provider's inputs count: the EFS update carries only three tags itself.
            assert.deepEqual(
                all.filter((l) => l.startsWith("storage-fs") && l.includes("require-tags")),
                [],
            );
        });

        // Speed lives in `npm run bench` (ratios to a baseline in the same run), never in a timed test.
        it("analyses ~250 resources of one type in one run, every one clean", async function () {
            const d = cleanDigest();
            for (let i = 0; i < 241; i++) {
                const urn = `${PREFIX}aws:cloudwatch/logGroup:LogGroup::extra-${i}`;
                d.steps.push(
                    step(urn, "aws:cloudwatch/logGroup:LogGroup", { name: `/am/staging/extra-${i}`, retentionInDays: 30, tags: TAGS }),
                );
            }
            const r = await runGate(d, { pack, configFile: TEST_CONFIG });
            assert.equal(r.resourcesAnalyzed, 250);
            assert.deepEqual(lines(r), []);
        });
    });

    describe("a rule that throws", function () {
        it("is an error naming rule and resource; the resource's other rules still run", async function () {
            const d: PreviewDigest = {
                steps: [
                    step(STACK, "pulumi:pulumi:Stack", {}),
                    step(FS, "aws:efs/fileSystem:FileSystem", { encrypted: false }),
                    step(`${PREFIX}test:index:Boom::kaboom`, "test:index:Boom", {}),
                ],
                changeSummary: { create: 3 },
            };
            const r = await runGate(d, { pack: throwing });
            assert.deepEqual(lines(r), [
                "shared | error | fixture-throws-on-efs | Error validating resource with policy 'fixture-throws-on-efs' from policy pack 'gate-fixture@v0.0.1': Error: boom",
                "archivematica-infra-staging | error | fixture-stack-throws | Error validating resource with policy 'fixture-stack-throws' from policy pack 'gate-fixture@v0.0.1': TypeError: cannot judge kaboom",
                "shared | mandatory | fixture-efs-encrypted | EFS file systems are encrypted.\nnot encrypted",
            ]);
            assert.equal(r.passed, false);
            assert.equal(r.mandatoryViolations, 1);
            const text = formatVerdicts(r);
            assert.ok(
                text.includes(
                    "  aws:efs/fileSystem:FileSystem (shared):\n    [error]  gate-fixture v0.0.1  fixture-throws-on-efs\n    Error validating resource with policy 'fixture-throws-on-efs'",
                ),
                text,
            );
            assert.ok(text.endsWith("FAILED — 1 mandatory violation, 0 advisory violations, 2 rule errors; 3 resources analysed"), text);
        });

        it("fails the gate even when nothing else is wrong", async function () {
            const d: PreviewDigest = {
                steps: [step(STACK, "pulumi:pulumi:Stack", {}), step(FS, "aws:efs/fileSystem:FileSystem", { encrypted: true })],
                changeSummary: { create: 2 },
            };
            const r = await runGate(d, { pack: throwing });
            assert.deepEqual(lines(r), [
                "shared | error | fixture-throws-on-efs | Error validating resource with policy 'fixture-throws-on-efs' from policy pack 'gate-fixture@v0.0.1': Error: boom",
            ]);
            assert.equal(r.mandatoryViolations, 0);
            assert.equal(r.passed, false);
        });
    });

    describe("npm run policy", function () {
        async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
            let out = "";
            let err = "";
            const code = await policyCli(
                argv,
                (s) => (out += s),
                (s) => (err += s),
                pack,
            );
            return { code, out, err };
        }
        const USAGE = "usage: npm run policy -- --preview <file> [--stack <stack> | --config <file>] [--pack <dir>] [--allow-unevaluated]";

        it("gives one-line errors for bad files and flags, exit 2", async function () {
            const notJson = tmpFile("p.json", "nope\n");
            const array = tmpFile("p.json", "[1]");
            const noSteps = tmpFile("p.json", '{"changeSummary":{}}');
            const noNew = tmpFile("p.json", JSON.stringify({ steps: [{ op: "create", urn: STACK }] }));
            const badOp = tmpFile("p.json", JSON.stringify({ steps: [{ op: "frobnicate", urn: STACK }] }));
            const noUrn = tmpFile("p.json", JSON.stringify({ steps: [{ op: "same", newState: { type: "pulumi:pulumi:Stack" } }] }));
            const badInputs = tmpFile(
                "p.json",
                JSON.stringify({ steps: [{ op: "create", urn: FS, newState: { type: "aws:efs/fileSystem:FileSystem", inputs: [] } }] }),
            );
            const cases: [string[], string][] = [
                [["--preview", notJson], `error: ${notJson} is not JSON: Unexpected token 'o', "nope " is not valid JSON\n`],
                [["--preview", array], `error: ${array}: not a pulumi preview --json document: expected a JSON object, got array\n`],
                [["--preview", noSteps], `error: ${noSteps}: not a pulumi preview --json document: no "steps"\n`],
                [["--preview", noNew], `error: ${noNew}: steps[0] (op "create") has no "newState"\n`],
                [["--preview", badOp], `error: ${badOp}: steps[0] has unknown op "frobnicate"\n`],
                [["--preview", noUrn], `error: ${noUrn}: steps[0] has no "urn" (a urn:pulumi:... string)\n`],
                [["--preview", badInputs], `error: ${badInputs}: steps[0].newState.inputs must be an object, got array\n`],
                [["--preview", "/nonexistent/p.json"], "error: cannot read preview file /nonexistent/p.json: no such file\n"],
                [
                    ["--preview", CLI_PREVIEW, "--stack", "dev"],
                    'error: unknown stack "dev": policy config exists for prod, staging (policy/config/<stack>.json)\n',
                ],
                [
                    ["--preview", CLI_PREVIEW, "--stack", "staging", "--config", TEST_CONFIG],
                    `error: give --stack or --config, not both; ${USAGE}\n`,
                ],
                [
                    ["--preview", CLI_PREVIEW, "--verbose"],
                    `error: unknown option --verbose; valid: --preview, --stack, --config, --pack, --allow-unevaluated, --help; ${USAGE}\n`,
                ],
                [["--stack", "staging"], `error: no preview file given; ${USAGE}\n`],
                [["--preview"], `error: --preview needs a value; ${USAGE}\n`],
                [["--preview", CLI_PREVIEW, "extra"], `error: unexpected argument "extra"; ${USAGE}\n`],
            ];
            for (const [argv, expected] of cases) {
                const r = await cli(...argv);
                assert.deepEqual(r, { code: 2, out: "", err: expected }, argv.join(" "));
            }
        });

        it("refuses previews that would fail open, one line each, exit 2", async function () {
            const clean = cleanDigest();
            const proto = JSON.stringify(plant(cleanDigest(), FS, (i) => delete i.encrypted)).replace(
                '"inputs":{"performanceMode"',
                '"inputs":{"__proto__":{"encrypted":true},"performanceMode"',
            );
            assert.ok(proto.includes("__proto__"));
            const deep = JSON.stringify({ ...clean, extra: "@" }).replace('"@"', "[".repeat(20000) + "]".repeat(20000));
            const dup = JSON.stringify({ ...clean, steps: [...clean.steps, clean.steps[2]] });
            const json = JSON.stringify(clean);
            const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, "utf16le")]);
            const utf16beNoBom = Buffer.from(json, "utf16le").swap16();
            const latin1 = Buffer.concat([Buffer.from('{"steps": [], "x": "caf'), Buffer.from([0xe9]), Buffer.from('"}')]);
            const files = {
                proto: tmpFile("p.json", proto),
                deep: tmpFile("p.json", deep),
                dup: tmpFile("p.json", dup),
                utf16le: tmpFile("p.json", ""),
                utf16be: tmpFile("p.json", ""),
                latin1: tmpFile("p.json", ""),
            };
            fs.writeFileSync(files.utf16le, utf16le);
            fs.writeFileSync(files.utf16be, utf16beNoBom);
            fs.writeFileSync(files.latin1, latin1);
            const cases: [string, string][] = [
                [
                    files.proto,
                    `error: ${files.proto}: steps[2].newState.inputs.__proto__ is a "__proto__" key, which would change what the pack's rules read; remove it\n`,
                ],
                [
                    files.deep,
                    `error: ${files.deep}: extra[0][0][0][0][0][0][0]… is nested more than 100 levels deep; a preview is never that deep\n`,
                ],
                [
                    files.dup,
                    `error: ${files.dup}: steps[9] (op "create") repeats the URN of steps[2] (op "create"): ${FS}; a URN recurs only across the steps of one replacement\n`,
                ],
                [
                    files.utf16le,
                    `error: preview file ${files.utf16le} is UTF-16LE, not UTF-8; write it as UTF-8 (e.g. iconv -f UTF-16LE -t UTF-8)\n`,
                ],
                [
                    files.utf16be,
                    `error: preview file ${files.utf16be} is UTF-16BE, not UTF-8; write it as UTF-8 (e.g. iconv -f UTF-16BE -t UTF-8)\n`,
                ],
                [files.latin1, `error: preview file ${files.latin1} is not UTF-8: byte 0xe9 at offset 23 is not valid UTF-8\n`],
            ];
            for (const [file, expected] of cases) {
                const r = await cli("--preview", file, "--config", TEST_CONFIG);
                assert.deepEqual(r, { code: 2, out: "", err: expected }, file);
            }
        });

        it("refuses an unknown setting in a policy config file, naming it and the valid ones, exit 2", async function () {
            const file = tmpFile("p.json", JSON.stringify(cleanDigest()));
            const config = tmpFile(
                "c.json",
                JSON.stringify({
                    "aws-ecs-service-require-one-per-component": { components: ["dashboard"] },
                    "aws-elasticache-replicationgroup-require-encryption": { transitEncryptionExceptionz: [] },
                }),
            );
            const r = await cli("--preview", file, "--config", config);
            assert.deepEqual(r, {
                code: 2,
                out: "",
                err: `error: policy config ${config}: aws-elasticache-replicationgroup-require-encryption: unknown setting "transitEncryptionExceptionz"; valid: enforcementLevel, transitEncryptionExceptions\n`,
            });
            const utf16 = tmpFile("c.json", "");
            fs.writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("{}", "utf16le")]));
            assert.deepEqual(await cli("--preview", file, "--config", utf16), {
                code: 2,
                out: "",
                err: `error: policy config ${utf16} is UTF-16LE, not UTF-8; write it as UTF-8 (e.g. iconv -f UTF-16LE -t UTF-8)\n`,
            });
        });

        it("fails a masked value a mandatory rule needs (exit 1) unless --allow-unevaluated (exit 0)", async function () {
            const file = tmpFile("p.json", JSON.stringify(plant(cleanDigest(), FS, (i) => (i.encrypted = "[secret]"))));
            const failed = await cli("--preview", file, "--config", TEST_CONFIG);
            assert.equal(failed.code, 1);
            assert.equal(failed.err, "");
            assert.ok(
                failed.out.includes(
                    `    [mandatory]  archivematica v0.1.0  aws-efs-filesystem-require-encryption\n    not evaluated: ${CANNOT_RUN("aws-efs-filesystem-require-encryption", "string value at .encrypted")}; ${NOT_EVALUATED_REMEDY}\n`,
                ),
                failed.out,
            );
            const allowed = await cli("--preview", file, "--config", TEST_CONFIG, "--allow-unevaluated");
            assert.equal(allowed.code, 0);
            assert.ok(allowed.out.includes("passed — 0 mandatory violations, 1 advisory violation, 0 rule errors"), allowed.out);
        });

        it('issue 20: a boolean given as the string "true" fails as not evaluated, even with --allow-unevaluated (exit 1)', async function () {
            const file = tmpFile("p.json", JSON.stringify(plant(cleanDigest(), FS, (i) => (i.encrypted = "true"))));
            for (const extra of [[], ["--allow-unevaluated"]]) {
                const r = await cli("--preview", file, "--config", TEST_CONFIG, ...extra);
                assert.equal(r.code, 1, r.out);
                assert.ok(
                    r.out.includes(
                        `    not evaluated: can't run policy 'aws-efs-filesystem-require-encryption' from policy pack 'archivematica@v0.1.0' during preview: encrypted is the string "true" in the wrong JSON type, not a boolean; ${WRONG_TYPE_REMEDY}\n`,
                    ),
                    r.out,
                );
            }
        });

        it("issue 20: a number out of float64's range (1e400) fails as not evaluated (exit 1)", async function () {
            const text = JSON.stringify(plant(cleanDigest(), LOGS, (i) => (i.retentionInDays = 987654321987))).replace(
                "987654321987",
                "1e400",
            );
            const r = await cli("--preview", tmpFile("p.json", text), "--config", TEST_CONFIG);
            assert.equal(r.code, 1, r.out);
            assert.ok(
                r.out.includes("during preview: retentionInDays is a number out of float64's range in the wrong JSON type, not a number;"),
                r.out,
            );
        });

        it('issue 20: "Privileged": true in a container definition is seen by the pack, as AWS reads it (exit 1)', async function () {
            const digest = plant(cleanDigest(), TD, (i) => {
                i.containerDefinitions = String(i.containerDefinitions).replace(
                    '"name":"dashboard"',
                    '"name":"dashboard","Privileged":true',
                );
            });
            const r = await cli("--preview", tmpFile("p.json", JSON.stringify(digest)), "--config", TEST_CONFIG);
            assert.equal(r.code, 1, r.out);
            assert.ok(r.out.includes('    container "dashboard" is privileged; remove privileged: true\n'), r.out);
        });

        it("prints its usage for --help, exit 0", async function () {
            for (const argv of [["--help"], ["-h"], ["--preview", "x.json", "--help"], ["--bogus", "--help"]]) {
                const r = await cli(...argv);
                assert.deepEqual(r, { code: 0, out: HELP, err: "" }, argv.join(" "));
            }
            assert.ok(HELP.startsWith(`${USAGE}\n`));
        });

        it("exits 1 on a mandatory violation and prints it grouped by resource", async function () {
            const file = tmpFile("p.json", JSON.stringify(plant(cleanDigest(), FS, (i) => (i.encrypted = false))));
            const r = await cli("--preview", file, "--config", TEST_CONFIG);
            assert.equal(r.code, 1);
            assert.equal(r.err, "");
            assert.equal(
                r.out,
                [
                    "Policy Violations:",
                    "  aws:efs/fileSystem:FileSystem (shared):",
                    "    [mandatory]  archivematica v0.1.0  aws-efs-filesystem-require-encryption",
                    ...("    " + EXPECTED.efs.replace(/\n/g, "\n    ")).split("\n"),
                    "",
                    "Policy pack archivematica v0.1.0 (config test/fixtures/gate-policy.json): FAILED — 1 mandatory violation, 0 advisory violations, 0 rule errors; 9 resources analysed",
                    "",
                ].join("\n"),
            );
        });

        it("exits 0 on a clean preview", async function () {
            const file = tmpFile("p.json", JSON.stringify(cleanDigest()));
            const r = await cli(`--preview=${file}`, `--config=${TEST_CONFIG}`);
            assert.deepEqual(r, {
                code: 0,
                out: "Policy pack archivematica v0.1.0 (config test/fixtures/gate-policy.json): passed — 0 mandatory violations, 0 advisory violations, 0 rule errors; 9 resources analysed\n",
                err: "",
            });
        });
    });
});

/** What the pack says when a rule reads a value it cannot know (@pulumi/policy server.js). */
function CANNOT_RUN(policy: string, what: string): string {
    return `can't run policy '${policy}' from policy pack 'archivematica@v0.1.0' during preview: ${what} can't be known during preview`;
}

/** The pack's messages the gate must pass through unchanged (description, newline, detail). */
const TAGS_DESCRIPTION =
    "Every taggable AWS resource carries the required tags (Project, Environment, Owner, CostCentre, ManagedBy by default) with non-empty values; provider defaultTags count.";
const SECRET_ENV_DESCRIPTION =
    "Container environment holds no secrets: no variable named like PASSWORD/PASSWD/PASS/PWD/SECRET/TOKEN/KEY/CREDENTIAL (unless allow-listed) and no URL with credentials; use secrets with valueFrom.";
const REQUIRED = ["Project", "Environment", "Owner", "CostCentre", "ManagedBy"];
const EXPECTED = {
    efs: "EFS file systems are encrypted at rest (encrypted: true, with the AWS-managed or a customer KMS key).\nencrypted is not true; set encrypted: true (kmsKeyId optional)",
    tags: `${TAGS_DESCRIPTION}\nmissing or empty required tags: ${REQUIRED.join(", ")} (required: ${REQUIRED.join(", ")})`,
    tagsBut: (keep: string) =>
        `${TAGS_DESCRIPTION}\nmissing or empty required tags: ${REQUIRED.filter((t) => t !== keep).join(", ")} (required: ${REQUIRED.join(", ")})`,
    twoEssential:
        "An ECS task definition has exactly one essential container; every other container is non-essential (an init container it waits for, or a sidecar).\n" +
        '2 essential containers (container "dashboard", container "dashboard-migrate"); exactly one may be essential, the others must be init containers or sidecars with essential: false',
    secretEnv: `${SECRET_ENV_DESCRIPTION}\ncontainer "dashboard" sets ARCHIVEMATICA_DASHBOARD_CLIENT_PASSWORD in environment; pass it in secrets (valueFrom a Secrets Manager ARN)`,
    secretEnvKey: `${SECRET_ENV_DESCRIPTION}\ncontainer "dashboard" sets DJANGO_SECRET_KEY in environment; pass it in secrets (valueFrom a Secrets Manager ARN)`,
    flowLogs:
        "Every VPC in the stack has an aws:ec2/flowLog referring to it.\nVPC has no flow log; add an aws:ec2/flowLog with vpcId set to this VPC",
};
