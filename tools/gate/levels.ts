/**
 * Enforcement levels: the names policy config files and verdicts use, and the numbers the analyzer
 * protocol carries (`pulumirpc.EnforcementLevel`: ADVISORY = 0, MANDATORY = 1, DISABLED = 2,
 * REMEDIATE = 3, in @pulumi/pulumi/proto/analyzer_pb). The one place the two are mapped.
 */
import { EnforcementLevel, LEVELS } from "../../lib/policy-config";

export { isLevel, LEVELS } from "../../lib/policy-config";
export type { EnforcementLevel } from "../../lib/policy-config";

/** Level name → wire number. */
const NUMBER_OF: Readonly<Record<EnforcementLevel, number>> = { advisory: 0, mandatory: 1, disabled: 2, remediate: 3 };

/** The wire number of a level. */
export function levelNumber(level: EnforcementLevel): number {
    return NUMBER_OF[level];
}

/** The level a wire number stands for; undefined for a number the protocol does not define. */
export function levelName(n: number): EnforcementLevel | undefined {
    return LEVELS.find((l) => NUMBER_OF[l] === n);
}
