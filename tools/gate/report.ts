/**
 * The report: verdicts from the pack's diagnostics, mandatory rules that could not evaluate a value
 * turned into failures, the CLI's order, and the text and JSON forms.
 */
import * as path from "path";
import * as analyzerProto from "@pulumi/pulumi/proto/analyzer_pb";
import { PolicyVerdict } from "../preview-json";
import { EnforcementLevel, levelName } from "./levels";
import { WRONG_TYPE_MARKER } from "../../lib/wrong-json-type";
import { parseUrn } from "./preview-file";

/** What the gate found. */
export interface GateResult {
    /** Violations reported by the pack, in the order the CLI lists them. */
    verdicts: PolicyVerdict[];
    /** Rules that threw: `error: true`, naming rule and resource. Each fails the gate. */
    errors: PolicyVerdict[];
    mandatoryViolations: number;
    advisoryViolations: number;
    /** Of the mandatory violations, those of rules that could not read a value (masked or unknown). */
    notEvaluated: number;
    /** No mandatory violation and no rule error. */
    passed: boolean;
    packName: string;
    packVersion: string;
    /** The policy config file applied, or undefined for the pack's defaults. */
    configFile?: string;
    /** The enforcement level each policy ran at after reconciliation. */
    levels: Record<string, EnforcementLevel>;
    resourcesAnalyzed: number;
    /** URNs of the new state, in preview order (the order `formatVerdicts` lists resources in). */
    urns: string[];
    /** `"[secret]"` values of the preview sent as unknown secrets (none when a recorded run is given). */
    maskedSecrets: number;
    /** Wall time of the RPCs (configure → analyzeStack), excluding the pack's start-up (ms). */
    elapsedMs: number;
}

/** A diagnostic of the pack as a verdict; `version` (PulumiPolicy.yaml's) wins over the diagnostic's own. */
export function toVerdict(d: analyzerProto.AnalyzeDiagnostic, version: string, urn: string | undefined): PolicyVerdict {
    const v: PolicyVerdict = {
        policyPackName: d.getPolicypackname(),
        policyPackVersion: version || d.getPolicypackversion(),
        policyName: d.getPolicyname(),
        enforcementLevel: levelName(d.getEnforcementlevel()) ?? "mandatory",
        message: d.getMessage(),
    };
    if (urn) v.urn = urn;
    return v;
}

/**
 * What @pulumi/policy's server reports, always as advisory, when a rule read a value it cannot know
 * (server.js: `can't run ${policyFrom} during preview: ${e.message}`, for an UnknownValueError).
 */
const CANNOT_RUN = /^can't run policy '([^']+)' from policy pack '[^']*' during preview: /;

/** What a rule that read a value in the wrong JSON type is told: the engine never sends one. */
export const WRONG_TYPE_REMEDY =
    "the Pulumi engine sends every input in its schema's type, so this preview was edited or broken; write it again with pulumi preview --json";

/** What a rule that could not evaluate is told, after the pack's own reason. */
export const NOT_EVALUATED_REMEDY =
    'a mandatory rule that cannot read a value fails the gate; give it the value (pulumi preview --json --show-secrets for a masked "[secret]"), make the rule advisory in the policy config, or pass --allow-unevaluated';

/**
 * The verdict of a rule that could not read a value, when the rule runs at mandatory (or remediate)
 * level and `allowUnevaluated` is not set: a mandatory failure whose message begins "not evaluated:".
 * Every other verdict is returned unchanged.
 */
export function failUnevaluated(v: PolicyVerdict, levels: Record<string, EnforcementLevel>, allowUnevaluated: boolean): PolicyVerdict {
    if (v.error || !CANNOT_RUN.test(v.message)) return v;
    const level = levels[v.policyName];
    if (level !== "mandatory" && level !== "remediate") return v;
    // A value in the wrong JSON type ("true" for a boolean) is no unknown of a preview: it fails even
    // with --allow-unevaluated (policy/lib/values.ts WrongTypeError).
    if (v.message.includes(WRONG_TYPE_MARKER))
        return { ...v, enforcementLevel: "mandatory", message: `not evaluated: ${v.message}; ${WRONG_TYPE_REMEDY}`, notEvaluated: true };
    if (allowUnevaluated) return v;
    return { ...v, enforcementLevel: "mandatory", message: `not evaluated: ${v.message}; ${NOT_EVALUATED_REMEDY}`, notEvaluated: true };
}

/** `String.prototype.localeCompare` without arguments, built once (the same collation, much cheaper per call). */
const localeCompare = new Intl.Collator().compare;

/** The CLI's order: pack, version, enforcement level, policy, URN. */
export function cliOrder(a: PolicyVerdict, b: PolicyVerdict): number {
    return (
        localeCompare(a.policyPackName, b.policyPackName) ||
        localeCompare(a.policyPackVersion, b.policyPackVersion) ||
        localeCompare(a.enforcementLevel, b.enforcementLevel) ||
        localeCompare(a.policyName, b.policyName) ||
        localeCompare(a.urn ?? "", b.urn ?? "")
    );
}

/** `digest.policy` for `--json`: every violation and rule error, and whether the gate passed. */
export function policySection(result: GateResult): { passed: boolean; violations: PolicyVerdict[] } {
    return { passed: result.passed, violations: [...result.errors, ...result.verdicts] };
}

/** `1 rule error`, `2 rule errors`. */
function count(n: number, what: string): string {
    return `${n} ${what}${n === 1 ? "" : "s"}`;
}

/** The verdicts grouped by URN, groups in preview order (stack-wide ones first). */
function groupByResource(all: PolicyVerdict[], urns: string[]): [string, PolicyVerdict[]][] {
    const groups = new Map<string, PolicyVerdict[]>();
    for (const v of all) {
        const key = v.urn ?? "";
        if (!groups.has(key)) groups.set(key, []);
        groups.get(key)!.push(v);
    }
    const position = new Map<string, number>();
    urns.forEach((u, i) => {
        if (!position.has(u)) position.set(u, i + 1);
    });
    const rank = (urn: string) => (urn ? (position.get(urn) ?? urns.length + 1) : 0);
    return [...groups].sort((a, b) => rank(a[0]) - rank(b[0]));
}

/** The one-line summary: pack, config, verdict and counts. */
export function summaryLine(result: GateResult): string {
    const source = result.configFile ? `config ${path.relative(process.cwd(), result.configFile) || result.configFile}` : "pack defaults";
    const mandatory =
        count(result.mandatoryViolations, "mandatory violation") + (result.notEvaluated ? ` (${result.notEvaluated} not evaluated)` : "");
    return (
        `Policy pack ${result.packName} v${result.packVersion} (${source}): ${result.passed ? "passed" : "FAILED"} — ` +
        `${mandatory}, ${count(result.advisoryViolations, "advisory violation")}, ` +
        `${count(result.errors.length, "rule error")}; ${count(result.resourcesAnalyzed, "resource")} analysed`
    );
}

/**
 * The verdicts as text, grouped by resource like the CLI's diagnostics (`  <type> (<name>):`), each
 * violation in the CLI's policy line format (`[<level>]  <pack> v<version>  <policy>`) with its message
 * indented below; rule errors as `[error]`. Ends with a one-line summary.
 */
export function formatVerdicts(result: GateResult): string {
    const all = [...result.errors, ...result.verdicts];
    const lines: string[] = [];
    if (all.length) lines.push("Policy Violations:");
    for (const [urn, vs] of groupByResource(all, result.urns)) {
        const header = urn ? `${parseUrn(urn).type} (${parseUrn(urn).name})` : "stack";
        lines.push(`  ${header}:`);
        for (const v of vs) {
            lines.push(`    [${v.error ? "error" : v.enforcementLevel}]  ${v.policyPackName} v${v.policyPackVersion}  ${v.policyName}`);
            for (const l of v.message.split("\n")) lines.push(`    ${l}`);
        }
        lines.push("");
    }
    lines.push(summaryLine(result));
    if (result.maskedSecrets) {
        lines.push(
            `Note: ${count(result.maskedSecrets, "secret value")} masked as "[secret]" in the preview went to the pack as unknown; pulumi preview --json --show-secrets lets rules read them.`,
        );
    }
    return lines.join("\n");
}
