/**
 * The dashboard API's answers, exactly as archivematica 1.18 gives them
 * (dashboard/components/api/views.py: `_api_endpoint`, `_package_create`, `status`, `get_unit_status`,
 * `unit_jobs`), for fakes that script a dashboard, and a scripted dashboard for the ingest functions.
 */
import type { FakeResponse, RecordedRequest } from "./fake-http";

/** `_package_create`: 202 with the new transfer's id. */
export const packageAccepted = (id: string): FakeResponse => ({ status: 202, body: { id } });
/** `_package_create` when MCPServer's create_package raised (e.g. no name, unknown type). */
export const packageCannotBeCreated = (): FakeResponse => ({ status: 500, body: { error: true, message: "Package cannot be created" } });
/** `_api_endpoint` for a wrong or unknown API key. */
export const apiKeyNotValid = (): FakeResponse => ({ status: 403, body: { message: "API key not valid.", error: true } });
/** `status` when the unit row exists but has no job yet (IndexError in get_unit_status). */
export const noJobYet = (uuid: string): FakeResponse => ({
    status: 400,
    body: { error: true, message: `Unable to determine the status of the unit ${uuid}` },
});
/** `status` when no unit row exists. */
export const unitUnknown = (kind: "transfer" | "SIP", uuid: string): FakeResponse => ({
    status: 400,
    body: { type: kind, message: `Cannot fetch unit${kind === "SIP" ? "SIP" : "Transfer"} with UUID ${uuid}`, error: true },
});

/** A 200 status answer: `{type, path, directory, name, uuid, microservice, status, [sip_uuid], message}`. */
export function unitStatus(
    kind: "transfer" | "SIP",
    uuid: string,
    status: string,
    microservice: string,
    name: string,
    extra: Record<string, unknown> = {},
): FakeResponse {
    const directory = `${name}-${uuid}`;
    return {
        status: 200,
        body: {
            type: kind,
            path: `/var/archivematica/sharedDirectory/currentlyProcessing/${directory}/`,
            directory,
            name,
            uuid,
            microservice,
            status,
            ...extra,
            message: `Fetched status for ${uuid} successfully.`,
        },
    };
}

export interface FakeJob {
    name: string;
    status: "UNKNOWN" | "USER_INPUT" | "COMPLETE" | "PROCESSING" | "FAILED";
    microservice: string;
    exitCodes: number[];
}

/** `unit_jobs`: the jobs in creation order, each with its tasks' exit codes. */
export function jobsList(jobs: FakeJob[]): FakeResponse {
    return {
        status: 200,
        body: jobs.map((j, i) => ({
            uuid: `aaaaaaaa-0000-4000-8000-${String(i).padStart(12, "0")}`,
            name: j.name,
            status: j.status,
            microservice: j.microservice,
            link_uuid: `bbbbbbbb-0000-4000-8000-${String(i).padStart(12, "0")}`,
            tasks: j.exitCodes.map((code, t) => ({
                uuid: `cccccccc-${String(i).padStart(4, "0")}-4000-8000-${String(t).padStart(12, "0")}`,
                exit_code: code,
            })),
        })),
    };
}

export const noJobsFound = (uuid: string): FakeResponse => ({
    status: 400,
    body: { error: true, message: `No jobs found for unit: ${uuid}` },
});

/** A dashboard that checks the key, then answers each `METHOD path` from its queue (the last answer repeats). */
export function scriptedDashboard(credentials: string, script: Record<string, FakeResponse[]>): (req: RecordedRequest) => FakeResponse {
    return (req) => {
        if (req.headers.authorization !== `ApiKey ${credentials}`) return apiKeyNotValid();
        const queue = script[`${req.method} ${req.path}`];
        if (!queue) return { status: 500, body: `fake dashboard: no route for ${req.method} ${req.path}` };
        return queue.length > 1 ? queue.shift()! : queue[0];
    };
}
