/**
 * The one copy of "follow a unit to the end": what an answer of the dashboard's status API (and, after
 * a failure, of its jobs API; after an ingest, of the Storage Service) means for a started transfer.
 * Pure: the monitor does the requests and applies the step. Upstream answers, read in
 * archivematica 1.18 `dashboard/components/api/views.py` (`status`, `get_unit_status`, `unit_jobs`):
 *
 * - 400 `{"error": true, "message": "Unable to determine the status of the unit <u>"}`: the unit has
 *   no job yet. After a 202 the Transfer row always exists (MCPServer `create_package` saves it before
 *   answering), so this means the copy from the transfer source still runs — or the start failed:
 *   MCPServer server/packages.py `_start_package_transfer_with_auto_approval` copies the package from
 *   the transfer source, moves it to the processing directory and only then schedules the first job,
 *   and `_capture_transfer_failure` only logs an exception there ("Exception occurred during transfer
 *   processing"), so the unit stays jobless forever and no API says why. Only time tells them apart:
 *   past the start grace, and when the jobs API (`unit_jobs`) also answers 400 `"No jobs found for
 *   unit: <u>"`, it is reported as never started, with both answers as the dashboard gave them.
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
    | { kind: "never-started"; minutes: number; status: Answer }
    | { kind: "error"; message: string };

// The start grace is computed in lib/ingest-timing.ts, beside the worst case it gives (the smoke test's budget).
export { startGraceMs, type Grace } from "../../../lib/ingest-timing";

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
        return { kind: "never-started", minutes, status: answer };
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
    /** Set for a unit that never started: the stage, for the uploader and the smoke test. */
    stage?: "never started";
    /** What the dashboard answered, request by request, when that is the whole evidence. */
    dashboard?: DashboardSaid[];
}

/** One answer of the dashboard, as it gave it: the request, the HTTP status and its message. */
export interface DashboardSaid {
    request: string;
    http: number;
    message: string;
}

function said(request: string, answer: Answer): DashboardSaid {
    const text = message(answer.body) ?? (typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body));
    return { request, http: answer.http, message: (text ?? "").slice(0, 300) };
}

/**
 * A unit jobless past its grace, once the jobs API is asked too: still waiting when a job has appeared
 * meanwhile (200 with a job), else never started, the message carrying the dashboard's own words.
 */
export function neverStarted(
    kind: UnitKind,
    unitUuid: string,
    step: { minutes: number; status: Answer },
    jobs: Answer,
): Failure | { kind: "wait"; note: string } {
    if (jobs.http === 200 && Array.isArray(jobs.body) && jobs.body.length > 0)
        return { kind: "wait", note: `its first job appeared after ${step.minutes} min` };
    const dashboard = [said(`GET /api/${kind}/status/${unitUuid}/`, step.status), said(`GET /api/v2beta/jobs/${unitUuid}/`, jobs)];
    const words = dashboard.map((d) => `HTTP ${d.http} ${JSON.stringify(d.message)}`).join(" and ");
    const why =
        kind === "transfer"
            ? "its start failed inside MCPServer before the first job (copying the package from the transfer source, or moving it to the processing directory)"
            : "MCPServer never began the SIP's first job";
    return {
        failedJob: null,
        microservice: null,
        stage: "never started",
        dashboard,
        message:
            `the ${kind} never started: ${step.minutes} min after it was handed over, MCPServer has no job for it ` +
            `(the dashboard answers ${words}), so ${why}; MCPServer logs the cause only, as "Exception occurred during transfer processing" ` +
            `with its traceback in the mcp-server log group`,
    };
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
