/**
 * The words that mark a policy verdict about a value in the wrong JSON type (`"true"` for a boolean):
 * the policy pack writes them (policy/lib/values.ts WrongTypeError) and the gate recognises them
 * (tools/gate/report.ts), which fails such a verdict even with --allow-unevaluated.
 */
export const WRONG_TYPE_MARKER = "in the wrong JSON type";
