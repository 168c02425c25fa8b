/**
 * The policy gate: runs the policy pack over a preview exactly as the Pulumi engine does, with no
 * Pulumi CLI and no cloud credentials. This file is the public entry; the parts live in tools/gate/:
 *
 * | part | file |
 * |---|---|
 * | errors and one-line messages | `gate/errors.ts` |
 * | enforcement level names ↔ wire numbers | `gate/levels.ts` |
 * | the pack process (start, port, stop) | `gate/pack-process.ts` |
 * | RPC calls and the errors they return | `gate/rpc.ts` |
 * | policy config: which file, parse, reconcile | `gate/policy-config.ts`, `gate/json-schema.ts` |
 * | preview reading: encoding, JSON, shape, depth, URNs | `gate/text-file.ts`, `gate/preview-file.ts` |
 * | wire form: values as the engine marshals them | `gate/wire.ts`, `gate/resources.ts` |
 * | analysis: the RPC conversation | `gate/analyse.ts` |
 * | report: verdicts, "not evaluated", text | `gate/report.ts` |
 */
export { GateError } from "./gate/errors";
export type { EnforcementLevel } from "./gate/levels";
export { DEFAULT_PACK_DIR, startPack } from "./gate/pack-process";
export type { PolicyPackProcess, StartPackOptions } from "./gate/pack-process";
export { parsePolicyConfig, policyStacks, readPolicyConfigFile, reconcilePolicyConfig, resolveConfigFile } from "./gate/policy-config";
export type { PolicyConfigEntry, PolicyInfo } from "./gate/policy-config";
export { validateJsonSchema } from "./gate/json-schema";
export type { JsonSchema } from "./gate/json-schema";
export { checkPreviewDigest, parseUrn, readPreviewFile } from "./gate/preview-file";
export { timeoutSeconds, toWire } from "./gate/wire";
export { runGate } from "./gate/analyse";
export type { GateOptions } from "./gate/analyse";
export { formatVerdicts, policySection } from "./gate/report";
export type { GateResult } from "./gate/report";
