/** The one copy of the follow logic, fed with the dashboard's and Storage Service's exact answers. */
import * as assert from "assert";
import {
    aipObjectKey,
    failureFromJobs,
    judgeAip,
    judgeStatus,
    neverStarted,
    startGraceMs,
    type Answer,
} from "../../functions/ingest/core/follow";
import { jobsList, noJobsFound, noJobYet, unitStatus } from "../support/fake-dashboard";
import type { FakeResponse } from "../support/fake-http";

const T = "11111111-1111-4111-8111-111111111111";
const S = "22222222-2222-4222-8222-222222222222";
const answer = (r: FakeResponse): Answer => ({ http: r.status, body: r.body });
const MIN = 60_000;

describe("ingest: follow logic", () => {
    it("a jobless unit waits within the start grace, and is reported as never started after it", () => {
        assert.deepStrictEqual(judgeStatus("transfer", T, answer(noJobYet(T)), 29 * MIN, 30 * MIN), {
            kind: "wait",
            note: "no job yet after 29 min",
        });
        assert.deepStrictEqual(judgeStatus("transfer", T, answer(noJobYet(T)), 30 * MIN, 30 * MIN), {
            kind: "wait",
            note: "no job yet after 30 min",
        });
        assert.deepStrictEqual(judgeStatus("transfer", T, answer(noJobYet(T)), 31 * MIN, 30 * MIN), {
            kind: "never-started",
            minutes: 31,
            status: answer(noJobYet(T)),
        });
    });

    it("never started: the failure carries what the dashboard's status and jobs APIs answered, word for word", () => {
        const step = { minutes: 31, status: answer(noJobYet(T)) };
        assert.deepStrictEqual(neverStarted("transfer", T, step, answer(noJobsFound(T))), {
            failedJob: null,
            microservice: null,
            stage: "never started",
            dashboard: [
                { request: `GET /api/transfer/status/${T}/`, http: 400, message: `Unable to determine the status of the unit ${T}` },
                { request: `GET /api/v2beta/jobs/${T}/`, http: 400, message: `No jobs found for unit: ${T}` },
            ],
            message:
                `the transfer never started: 31 min after it was handed over, MCPServer has no job for it (the dashboard answers ` +
                `HTTP 400 "Unable to determine the status of the unit ${T}" and HTTP 400 "No jobs found for unit: ${T}"), so its start ` +
                `failed inside MCPServer before the first job (copying the package from the transfer source, or moving it to the ` +
                `processing directory); MCPServer logs the cause only, as "Exception occurred during transfer processing" with its ` +
                `traceback in the mcp-server log group`,
        });
    });

    it("never started, but a first job appeared between the two requests: still waiting", () => {
        const jobs = jobsList([
            { name: "Extract zipped bag transfer", status: "PROCESSING", microservice: "Extract zipped bag transfer", exitCodes: [] },
        ]);
        assert.deepStrictEqual(neverStarted("transfer", T, { minutes: 31, status: answer(noJobYet(T)) }, answer(jobs)), {
            kind: "wait",
            note: "its first job appeared after 31 min",
        });
    });

    it("never started, the jobs API unreadable: still reported, with that answer as given", () => {
        const failure = neverStarted("ingest", S, { minutes: 45, status: answer(noJobYet(S)) }, { http: 502, body: "Bad Gateway" });
        assert.ok(!("kind" in failure));
        assert.deepStrictEqual(failure.dashboard, [
            { request: `GET /api/ingest/status/${S}/`, http: 400, message: `Unable to determine the status of the unit ${S}` },
            { request: `GET /api/v2beta/jobs/${S}/`, http: 502, message: "Bad Gateway" },
        ]);
        assert.strictEqual(
            failure.message,
            `the ingest never started: 45 min after it was handed over, MCPServer has no job for it (the dashboard answers ` +
                `HTTP 400 "Unable to determine the status of the unit ${S}" and HTTP 502 "Bad Gateway"), so MCPServer never began ` +
                `the SIP's first job; MCPServer logs the cause only, as "Exception occurred during transfer processing" with its ` +
                `traceback in the mcp-server log group`,
        );
    });

    it("maps each status to a step", () => {
        const cases: [FakeResponse, "transfer" | "ingest", unknown][] = [
            [
                unitStatus("transfer", T, "PROCESSING", "Extract zipped bag transfer", "box-17"),
                "transfer",
                { kind: "wait", note: 'processing at "Extract zipped bag transfer"' },
            ],
            [
                unitStatus("transfer", T, "USER_INPUT", "Workflow decision - create transfer backup", "box-17"),
                "transfer",
                { kind: "decision", microservice: "Workflow decision - create transfer backup" },
            ],
            [
                unitStatus("transfer", T, "FAILED", "Move to the failed directory", "box-17"),
                "transfer",
                { kind: "failed", status: "FAILED", microservice: "Move to the failed directory" },
            ],
            [
                unitStatus("transfer", T, "REJECTED", "Move to the rejected directory", "box-17"),
                "transfer",
                { kind: "failed", status: "REJECTED", microservice: "Move to the rejected directory" },
            ],
            [
                unitStatus("transfer", T, "COMPLETE", "Create SIP from transfer objects", "box-17", { sip_uuid: S }),
                "transfer",
                { kind: "to-ingest", sipUuid: S },
            ],
            [
                unitStatus("transfer", T, "COMPLETE", "Move transfer to backlog", "box-17", { sip_uuid: "BACKLOG" }),
                "transfer",
                { kind: "backlog" },
            ],
            [unitStatus("SIP", S, "COMPLETE", "Remove the processing directory", "box-17"), "ingest", { kind: "ingest-complete" }],
            [
                { status: 500, body: "<html>Server Error (500)</html>" },
                "ingest",
                { kind: "error", message: `GET /api/ingest/status/${S}/ answered HTTP 500 "<html>Server Error (500)</html>"` },
            ],
            [
                unitStatus("transfer", T, "COMPLETE", "Create SIP from transfer objects", "box-17"),
                "transfer",
                { kind: "error", message: `transfer ${T} is COMPLETE without a sip_uuid` },
            ],
        ];
        for (const [r, kind, step] of cases)
            assert.deepStrictEqual(judgeStatus(kind, kind === "transfer" ? T : S, answer(r), 0, MIN), step);
    });

    it("names the first failed job, its microservice and its tasks' exit codes", () => {
        const jobs = jobsList([
            { name: "Extract zipped bag transfer", status: "COMPLETE", microservice: "Extract zipped bag transfer", exitCodes: [0] },
            {
                name: "Verify bag, and restructure for compliance",
                status: "FAILED",
                microservice: "Verify transfer compliance",
                exitCodes: [1, 1, 0],
            },
            { name: "Move to the failed directory", status: "COMPLETE", microservice: "Failed transfer", exitCodes: [0] },
        ]);
        assert.deepStrictEqual(
            failureFromJobs("transfer", T, { status: "FAILED", microservice: "Move to the failed directory" }, answer(jobs)),
            {
                failedJob: "Verify bag, and restructure for compliance",
                microservice: "Verify transfer compliance",
                message: `job "Verify bag, and restructure for compliance" (microservice "Verify transfer compliance") failed; 2 task(s) exited non-zero (1); see the transfer ${T} in the dashboard (task output under each job)`,
            },
        );
    });

    it("falls back to the status's microservice when the jobs list has no failed job or cannot be read, and says so for a rejection", () => {
        const step = { status: "FAILED" as const, microservice: "Move to the failed directory" };
        assert.deepStrictEqual(
            failureFromJobs("ingest", S, step, { http: 400, body: { error: true, message: `No jobs found for unit: ${S}` } }),
            {
                failedJob: null,
                microservice: "Move to the failed directory",
                message: `the ingest failed; the last job was "Move to the failed directory"; see the ingest ${S} in the dashboard (task output under each job)`,
            },
        );
        assert.deepStrictEqual(failureFromJobs("ingest", S, { status: "REJECTED", microservice: "Reject SIP" }, answer(jobsList([]))), {
            failedJob: null,
            microservice: "Reject SIP",
            message: `the ingest was rejected at "Reject SIP"; see the ingest ${S} in the dashboard (task output under each job)`,
        });
    });

    it("judges the Storage Service's package answer", () => {
        assert.deepStrictEqual(judgeAip(S, { http: 404, body: "" }), { kind: "wait", note: "not known to the Storage Service yet" });
        assert.deepStrictEqual(judgeAip(S, { http: 200, body: { status: "STAGING", package_type: "AIP" } }), {
            kind: "wait",
            note: "AIP status STAGING",
        });
        assert.deepStrictEqual(judgeAip(S, { http: 200, body: { status: "UPLOADED", package_type: "AIP" } }), {
            kind: "stored",
            aipUuid: S,
        });
        assert.deepStrictEqual(judgeAip(S, { http: 200, body: { status: "VERIFIED", package_type: "AIP" } }), {
            kind: "stored",
            aipUuid: S,
        });
        assert.deepStrictEqual(judgeAip(S, { http: 200, body: { status: "FAIL", package_type: "AIP" } }), {
            kind: "failed",
            message: `the Storage Service marked AIP ${S} as FAIL`,
        });
        assert.deepStrictEqual(judgeAip(S, { http: 200, body: { status: "UPLOADED", package_type: "DIP" } }), {
            kind: "failed",
            message: `package ${S} is a DIP, not an AIP`,
        });
    });

    it("builds the AIP's S3 key from the location path and the package's current path", () => {
        assert.strictEqual(aipObjectKey("/aips", "2222/2222/box-17-2222.7z"), "aips/2222/2222/box-17-2222.7z");
        assert.strictEqual(aipObjectKey("/aips/", "/2222/x.7z"), "aips/2222/x.7z");
    });

    it("gives bigger packages more start grace: base plus minutes per started GiB", () => {
        const grace = { baseMinutes: 30, perGiBMinutes: 2 };
        assert.deepStrictEqual(
            [1, 2 ** 30, 2 ** 30 + 1, 10 * 2 ** 30].map((b) => startGraceMs(b, grace) / MIN),
            [32, 32, 34, 50],
        );
    });
});
