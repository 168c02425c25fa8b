/**
 * The one copy of "follow a unit to the end": what an answer of the dashboard's status API (and, after
 * a failure, of its jobs API; after an ingest, of the Storage Service) means for a started transfer.
 * Pure: the monitor does the requests and applies the step. Upstream answers, read in
 * archivematica 1.18 `dashboard/components/api/views.py` (`status`, `get_unit_status`, `unit_jobs`):
 *
 * - 400 `{"error": true, "message": "Unable to determine the status of the unit <u>"}`: the unit has
 *   no job yet. After a 202 the Transfer row always exists (MCPServer `create_package` saves it before
 *   answering), so this means the copy from the transfer source still runs — or the start failed:
 *   `_capture_transfer_failure` only logs, and the unit stays jobless forever. Only time tells them
 *   apart: past the start grace it is reported as never started.
 * - 200 `{status, microservice, sip_uuid?, …}`: PROCESSING, USER_INPUT (a decision is awaited),
 *   FAILED, REJECTED, COMPLETE (transfer: `sip_uuid`, or "BACKLOG"; ingest: the AIP was stored).
 */

export type UnitKind = "transfer" | "ingest";

/** An HTTP answer: status and parsed JSON body (or the text, or null). */
export interface Answer {
    http: number;
    body: unknown;
}

export type Step =
    | { kind: "wait"; note: string }
    | { kind: "decision"; microservice: string }
    | { kind: "to-ingest"; sipUuid: string }
    | { kind: "ingest-complete" }
    | { kind: "backlog" }
    | { kind: "failed"; status: "FAILED" | "REJECTED"; microservice: string }
    | { kind: "never-started"; message: string }
    | { kind: "error"; message: string };

export interface Grace {
    /** Minutes a unit may stay jobless after its phase began. */
    baseMinutes: number;
    /** Extra minutes per started GiB of the package (copying it from S3 takes time). */
    perGiBMinutes: number;
}

/** How long a unit of this size may answer 400 before it counts as never started, in milliseconds. */
export function startGraceMs(sizeBytes: number, grace: Grace): number {
    return (grace.baseMinutes + Math.ceil(sizeBytes / 2 ** 30) * grace.perGiBMinutes) * 60_000;
}

function message(body: unknown): string | undefined {
    return body && typeof body === "object" && typeof (body as { message?: unknown }).message === "string"
        ? (body as { message: string }).message
        : undefined;
}

function describe(answer: Answer): string {
    const text = message(answer.body) ?? (typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body));
    return `HTTP ${answer.http}${text ? ` ${JSON.stringify(text.slice(0, 200))}` : ""}`;
}

/** What one status answer means. `phaseAgeMs` is how long ago this phase began. */
export function judgeStatus(kind: UnitKind, unitUuid: string, answer: Answer, phaseAgeMs: number, graceMs: number): Step {
    if (answer.http === 400) {
        const minutes = Math.floor(phaseAgeMs / 60_000);
        if (phaseAgeMs <= graceMs) return { kind: "wait", note: `no job yet after ${minutes} min` };
        return {
            kind: "never-started",
            message:
                `the ${kind} never started: ${minutes} min after it was handed over the dashboard still answers ${describe(answer)}; ` +
                `MCPServer logs why ("Exception occurred during transfer processing") in the mcp-server log group`,
        };
    }
    if (answer.http !== 200 || !answer.body || typeof answer.body !== "object")
        return { kind: "error", message: `GET /api/${kind}/status/${unitUuid}/ answered ${describe(answer)}` };
    const body = answer.body as { status?: unknown; microservice?: unknown; sip_uuid?: unknown };
    const microservice = typeof body.microservice === "string" ? body.microservice : "(unknown)";
    switch (body.status) {
        case "PROCESSING":
            return { kind: "wait", note: `processing at "${microservice}"` };
        case "USER_INPUT":
            return { kind: "decision", microservice };
        case "FAILED":
        case "REJECTED":
            return { kind: "failed", status: body.status, microservice };
        case "COMPLETE":
            if (kind === "ingest") return { kind: "ingest-complete" };
            if (body.sip_uuid === "BACKLOG") return { kind: "backlog" };
            if (typeof body.sip_uuid === "string" && body.sip_uuid) return { kind: "to-ingest", sipUuid: body.sip_uuid };
            return { kind: "error", message: `transfer ${unitUuid} is COMPLETE without a sip_uuid` };
        default:
            return {
                kind: "error",
                message: `GET /api/${kind}/status/${unitUuid}/ answered an unknown status ${JSON.stringify(body.status)}`,
            };
    }
}

export interface Failure {
    failedJob: string | null;
    microservice: string | null;
    message: string;
}

interface Job {
    name?: unknown;
    status?: unknown;
    microservice?: unknown;
    tasks?: { exit_code?: unknown }[];
}

/**
 * The failed job from `/api/v2beta/jobs/<unit>/` (jobs in creation order; a job's `status` is FAILED
 * when MCPServer marked it so). The API has no task output, so the message names the job, its
 * microservice and the tasks' exit codes, and says where the output is.
 */
export function failureFromJobs(
    kind: UnitKind,
    unitUuid: string,
    step: { status: "FAILED" | "REJECTED"; microservice: string },
    jobs: Answer,
): Failure {
    const where = `the ${kind} ${unitUuid} in the dashboard (task output under each job)`;
    if (step.status === "REJECTED")
        return {
            failedJob: null,
            microservice: step.microservice,
            message: `the ${kind} was rejected at "${step.microservice}"; see ${where}`,
        };
    const list = jobs.http === 200 && Array.isArray(jobs.body) ? (jobs.body as Job[]) : [];
    const failed = list.find((j) => j.status === "FAILED");
    if (!failed || typeof failed.name !== "string")
        return {
            failedJob: null,
            microservice: step.microservice,
            message: `the ${kind} failed; the last job was "${step.microservice}"; see ${where}`,
        };
    const group = typeof failed.microservice === "string" ? failed.microservice : null;
    const codes = (failed.tasks ?? []).map((t) => t.exit_code).filter((c) => typeof c === "number" && c !== 0);
    const tasks = codes.length ? `; ${codes.length} task(s) exited non-zero (${[...new Set(codes)].join(", ")})` : "";
    return {
        failedJob: failed.name,
        microservice: group,
        message: `job "${failed.name}"${group ? ` (microservice "${group}")` : ""} failed${tasks}; see ${where}`,
    };
}

/** What the Storage Service says about the AIP of an ingest that completed. */
export type AipStep = { kind: "stored"; aipUuid: string } | { kind: "wait"; note: string } | { kind: "failed"; message: string };

/** `GET /api/v2/file/<sip uuid>/`: statuses from locations/models/package.py (UPLOADED, VERIFIED are stored). */
export function judgeAip(sipUuid: string, answer: Answer): AipStep {
    if (answer.http === 404) return { kind: "wait", note: "not known to the Storage Service yet" };
    if (answer.http !== 200 || !answer.body || typeof answer.body !== "object")
        return { kind: "wait", note: `the Storage Service answered ${describe(answer)}` };
    const pkg = answer.body as { status?: unknown; package_type?: unknown };
    if (pkg.status === "UPLOADED" || pkg.status === "VERIFIED") {
        if (pkg.package_type !== "AIP")
            return { kind: "failed", message: `package ${sipUuid} is a ${String(pkg.package_type)}, not an AIP` };
        return { kind: "stored", aipUuid: sipUuid };
    }
    if (pkg.status === "FAIL") return { kind: "failed", message: `the Storage Service marked AIP ${sipUuid} as FAIL` };
    return { kind: "wait", note: `AIP status ${String(pkg.status)}` };
}

/**
 * The S3 object of a stored AIP: the location's path (space path + relative path, e.g. `/aips`) joined
 * with the package's `current_path`, without the leading slash (the SS S3 space strips it from keys).
 */
export function aipObjectKey(locationPath: string, currentPath: string): string {
    return `${locationPath.replace(/^\/+|\/+$/g, "")}/${currentPath.replace(/^\/+/, "")}`.replace(/^\//, "");
}
