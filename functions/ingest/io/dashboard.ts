/**
 * The dashboard API calls of hands-off ingest (archivematica 1.18 dashboard/components/api/urls.py):
 * `POST /api/v2beta/package/`, `GET /api/{transfer,ingest}/status/<uuid>/`, `GET /api/v2beta/jobs/<uuid>/`.
 */
import type { Answer, UnitKind } from "../core/follow";
import type { TransferType } from "../core/archive-listing";
import type { ApiClient } from "./http";

/** The package request body (views.py `_package_create`; `path` is base64 of `<location uuid>:<path>`). */
export interface PackageRequest {
    name: string;
    type: TransferType;
    path: string;
    processing_config: string;
    auto_approve: true;
}

/**
 * The start request for `<config>/<file>` in the configuration's transfer source location, whose
 * path (`locationPath`, e.g. `/automated`) is the key prefix `<config>/` on the bucket.
 */
export function packageRequest(
    name: string,
    type: TransferType,
    locationUuid: string,
    locationPath: string,
    config: string,
    fileName: string,
): PackageRequest {
    const full = `${locationPath.replace(/\/+$/, "")}/${fileName}`;
    return {
        name,
        type,
        path: Buffer.from(`${locationUuid}:${full}`, "utf8").toString("base64"),
        processing_config: config,
        auto_approve: true,
    };
}

export type StartAnswer = { kind: "started"; transferUuid: string } | { kind: "not-started"; detail: string };

/** 202 `{"id"}` is a start; any other answer means the dashboard did not start one (it answered). */
export async function startPackage(dashboard: ApiClient, body: PackageRequest): Promise<StartAnswer> {
    const answer = await dashboard.postJson("/api/v2beta/package/", body);
    const id = answer.body && typeof answer.body === "object" ? (answer.body as { id?: unknown }).id : undefined;
    if (answer.http === 202 && typeof id === "string" && id) return { kind: "started", transferUuid: id };
    const text = typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
    return { kind: "not-started", detail: `POST /api/v2beta/package/ answered HTTP ${answer.http}: ${text.slice(0, 300)}` };
}

export async function unitStatus(dashboard: ApiClient, kind: UnitKind, uuid: string): Promise<Answer> {
    const answer = await dashboard.get(`/api/${kind}/status/${uuid}/`);
    return { http: answer.http, body: answer.body };
}

export async function unitJobs(dashboard: ApiClient, uuid: string): Promise<Answer> {
    const answer = await dashboard.get(`/api/v2beta/jobs/${uuid}/`);
    return { http: answer.http, body: answer.body };
}
