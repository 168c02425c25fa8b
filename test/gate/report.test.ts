/** tools/gate/report.ts: "not evaluated", the CLI's order, the text form. */
import { strict as assert } from "assert";
import { cliOrder, failUnevaluated, formatVerdicts, GateResult, NOT_EVALUATED_REMEDY, summaryLine } from "../../tools/gate/report";
import { PolicyVerdict } from "../../tools/preview-json";

const FS = "urn:pulumi:staging::archivematica-infra::aws:efs/fileSystem:FileSystem::shared";
const LOGS = "urn:pulumi:staging::archivematica-infra::aws:cloudwatch/logGroup:LogGroup::logs";
const CANNOT = "can't run policy 'enc' from policy pack 'p@v1' during preview: string value at .encrypted can't be known during preview";

function verdict(policyName: string, enforcementLevel: PolicyVerdict["enforcementLevel"], message: string, urn?: string): PolicyVerdict {
    return { policyPackName: "p", policyPackVersion: "1", policyName, enforcementLevel, message, ...(urn ? { urn } : {}) };
}

function result(verdicts: PolicyVerdict[], extra: Partial<GateResult> = {}): GateResult {
    const mandatory = verdicts.filter((v) => v.enforcementLevel === "mandatory").length;
    return {
        verdicts,
        errors: [],
        mandatoryViolations: mandatory,
        advisoryViolations: verdicts.length - mandatory,
        notEvaluated: verdicts.filter((v) => v.notEvaluated).length,
        passed: mandatory === 0,
        packName: "p",
        packVersion: "1",
        levels: {},
        resourcesAnalyzed: 2,
        urns: [FS, LOGS],
        maskedSecrets: 0,
        elapsedMs: 1,
        ...extra,
    };
}

describe("gate: report", function () {
    it("fails a rule that could not read a value when it runs mandatory, unless allowed", function () {
        const unknown = verdict("enc", "advisory", CANNOT, FS);
        const failed = {
            ...unknown,
            enforcementLevel: "mandatory" as const,
            message: `not evaluated: ${CANNOT}; ${NOT_EVALUATED_REMEDY}`,
            notEvaluated: true,
        };
        const cases: [string, boolean, PolicyVerdict][] = [
            ["mandatory", false, failed],
            ["remediate", false, failed],
            ["mandatory", true, unknown],
            ["advisory", false, unknown],
            ["disabled", false, unknown],
        ];
        for (const [level, allow, expected] of cases) {
            assert.deepEqual(
                failUnevaluated(unknown, { enc: level as PolicyVerdict["enforcementLevel"] }, allow),
                expected,
                `${level} ${allow}`,
            );
        }
        const plain = verdict("enc", "advisory", "encrypted is not true", FS);
        assert.equal(failUnevaluated(plain, { enc: "mandatory" }, false), plain);
        const error = { ...verdict("enc", "mandatory", CANNOT, FS), error: true };
        assert.equal(failUnevaluated(error, { enc: "mandatory" }, false), error);
    });

    it("orders verdicts as the CLI: pack, version, level, policy, URN", function () {
        const vs = [
            verdict("b", "mandatory", "m", LOGS),
            verdict("a", "mandatory", "m", LOGS),
            verdict("a", "advisory", "m", FS),
            verdict("a", "mandatory", "m", FS),
        ];
        assert.deepEqual(
            [...vs].sort(cliOrder).map((v) => `${v.enforcementLevel} ${v.policyName} ${v.urn!.split("::").pop()}`),
            ["advisory a shared", "mandatory a logs", "mandatory a shared", "mandatory b logs"],
        );
    });

    it("summarises, counting the not evaluated among the mandatory violations", function () {
        const cases: [GateResult, string][] = [
            [
                result([]),
                "Policy pack p v1 (pack defaults): passed — 0 mandatory violations, 0 advisory violations, 0 rule errors; 2 resources analysed",
            ],
            [
                result([
                    { ...verdict("enc", "mandatory", "not evaluated: x", FS), notEvaluated: true },
                    verdict("tags", "mandatory", "m", LOGS),
                    verdict("r", "advisory", "m", FS),
                ]),
                "Policy pack p v1 (pack defaults): FAILED — 2 mandatory violations (1 not evaluated), 1 advisory violation, 0 rule errors; 2 resources analysed",
            ],
        ];
        for (const [r, line] of cases) assert.equal(summaryLine(r), line);
    });

    it("groups the text by resource in preview order, stack-wide verdicts first", function () {
        const r = result(
            [
                verdict("tags", "mandatory", "missing\ntags", LOGS),
                verdict("enc", "mandatory", "not encrypted", FS),
                verdict("stack", "advisory", "s"),
            ],
            {
                maskedSecrets: 1,
            },
        );
        assert.equal(
            formatVerdicts(r),
            [
                "Policy Violations:",
                "  stack:",
                "    [advisory]  p v1  stack",
                "    s",
                "",
                "  aws:efs/fileSystem:FileSystem (shared):",
                "    [mandatory]  p v1  enc",
                "    not encrypted",
                "",
                "  aws:cloudwatch/logGroup:LogGroup (logs):",
                "    [mandatory]  p v1  tags",
                "    missing",
                "    tags",
                "",
                "Policy pack p v1 (pack defaults): FAILED — 2 mandatory violations, 1 advisory violation, 0 rule errors; 2 resources analysed",
                'Note: 1 secret value masked as "[secret]" in the preview went to the pack as unknown; pulumi preview --json --show-secrets lets rules read them.',
            ].join("\n"),
        );
    });
});
