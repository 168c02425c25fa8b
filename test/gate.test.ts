/**
 * The policy gate (tools/gate.ts, tools/policy-cli.ts): the real pack in policy/ driven over gRPC as the
 * engine drives it (the test process's pack: support/shared-pack.ts), and a pack whose rules throw,
 * started for this file and stopped at the end; the test checks that no pack process is left behind. The
 * command (`npm run policy`) is gate-cli.test.ts; the digest and the expected messages, gate-fixtures.ts.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { formatVerdicts, GateError, PolicyPackProcess, readPreviewFile, runGate, startPack } from "../tools/gate";
import { PACK_TEST_TIMEOUT, TEST_PACK_START } from "./harness";
import { sharedPack } from "./support/shared-pack";
import { NOT_EVALUATED_REMEDY } from "../tools/gate/report";
import { RecordedResource, SECRET_SIG, SIG_KEY, UNKNOWN } from "../tools/mock-runtime";
import { PreviewDigest } from "../tools/preview-json";
import {
    alive,
    CANNOT_RUN,
    cleanDigest,
    CLI_PREVIEW,
    container,
    EXPECTED,
    FS,
    lines,
    LOGS,
    plant,
    PREFIX,
    PROVIDER_REF,
    ROOT,
    STACK,
    step,
    TAGS,
    TD,
    TEST_CONFIG,
    THROWING_PACK,
    tmpFile,
} from "./gate-fixtures";

describe("policy gate", function () {
    let pack: PolicyPackProcess;
    let throwing: PolicyPackProcess;

    before(async function () {
        this.timeout(PACK_TEST_TIMEOUT);
        [pack, throwing] = await Promise.all([sharedPack(), startPack(THROWING_PACK, TEST_PACK_START)]);
    });

    after(async function () {
        const pid = throwing?.pid;
        await throwing?.close();
        if (typeof pid === "number") assert.equal(alive(pid), false, `pack process ${pid} still running`);
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
});
