/**
 * Stack names, as Pulumi accepts them (sdk/go/common/tokens/stack_name.go `ParseStackName`: 1 to 100
 * characters, letters, digits, `_`, `.` and `-`), and one rule of ours: since a stack name names files
 * (`Pulumi.<stack>.yaml`, `policy/config/<stack>.json`), it may not begin with a dot.
 */
import { showValue } from "../lib/printable";

/** A stack name that may name a file. */
export const STACK_NAME = /^(?!\.)[A-Za-z0-9_.-]{1,100}$/;

/** What is wrong with a stack name, as one line, or undefined. */
export function stackNameProblem(stack: string): string | undefined {
    if (STACK_NAME.test(stack)) return undefined;
    return `stack name ${showValue(stack)} is not valid; valid: 1-100 letters, digits, _, . or -, not starting with a dot`;
}
