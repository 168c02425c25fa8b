/**
 * Calling the pack's analyzer service: one promise per RPC with a deadline, and reading the errors it
 * returns (which rule threw, on one line).
 */
import * as grpc from "@grpc/grpc-js";
import * as analyzerRpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { firstLine } from "./errors";

/** Deadline for one RPC (ms): a rule stuck in a loop fails the gate instead of hanging it. */
export const RPC_DEADLINE_MS = 60_000;

/** A unary client method, as grpc-js generates them. */
type UnaryMethod<Req, Res> = (
    req: Req,
    meta: grpc.Metadata,
    opts: Partial<grpc.CallOptions>,
    cb: (err: grpc.ServiceError | null, res: Res) => void,
) => unknown;

/** Calls `fn` on `client` with the RPC deadline. */
export function call<Req, Res>(fn: UnaryMethod<Req, Res>, client: analyzerRpc.AnalyzerClient, req: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
        fn.call(client, req, new grpc.Metadata(), { deadline: Date.now() + RPC_DEADLINE_MS }, (err, res) =>
            err ? reject(err) : resolve(res),
        );
    });
}

/** True for a gRPC status error. */
export function isServiceError(e: unknown): e is grpc.ServiceError {
    return !!e && typeof e === "object" && typeof (e as grpc.ServiceError).code === "number" && "details" in (e as object);
}

/** True when the pack does not implement the RPC (the Node.js server leaves some out; the engine carries on). */
export function isUnimplemented(e: unknown): boolean {
    return isServiceError(e) && e.code === grpc.status.UNIMPLEMENTED;
}

/**
 * The rule a pack error names, and the error on one line. The policy server reports a rule that threw
 * as `Error validating <what> with policy '<rule>' from policy pack '<pack>':\n<stack>`; that becomes
 * `Error validating <what> with policy '<rule>' from policy pack '<pack>': <first line of the stack>`.
 * Any other error: its status name and first line.
 */
export function ruleFailure(e: unknown): { policy?: string; text: string } {
    const details = isServiceError(e) ? e.details : e instanceof Error ? e.message : String(e);
    const m = /with policy '([^']+)' from policy pack '[^']*':\n([^\n]*)/.exec(details);
    if (m) {
        const header = details.slice(0, details.indexOf(":\n"));
        return { policy: m[1], text: `${header}: ${m[2].trim()}` };
    }
    return { text: isServiceError(e) ? `${grpc.status[e.code] ?? e.code}: ${firstLine(details)}` : firstLine(details) };
}
