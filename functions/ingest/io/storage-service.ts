/**
 * The Storage Service API calls (archivematica-storage-service 0.24 locations/api/resources.py):
 * the ingest location of a processing configuration (a TS location on the transfer bucket whose
 * relative path is the configuration's name, which bootstrap/configure_storage.py creates), and where
 * a stored AIP is. Lists are tastypie pages of at most 1,000 objects: `meta.next` is followed.
 */
import type { Answer } from "../core/follow";
import type { ApiClient } from "./http";

export class NotReady extends Error {}

interface Page {
    meta?: { next?: unknown };
    objects?: unknown;
}

/** Every object of a tastypie list, following `meta.next` (a path with its query). */
export async function listAll(ss: ApiClient, firstPath: string): Promise<Record<string, unknown>[]> {
    const objects: Record<string, unknown>[] = [];
    let path: string | null = firstPath;
    for (let page = 0; path; page++) {
        if (page === 10_000) throw new NotReady(`GET ${firstPath}: more than 10,000 pages`);
        const answer = await ss.get(path);
        const body = answer.body as Page;
        if (answer.http !== 200 || !body || !Array.isArray(body.objects))
            throw new NotReady(`GET ${path} answered HTTP ${answer.http} without an objects list`);
        objects.push(...(body.objects as Record<string, unknown>[]));
        path = typeof body.meta?.next === "string" && body.meta.next ? body.meta.next : null;
    }
    return objects;
}

export interface Location {
    uuid: string;
    /** The location's full path (space path + relative path), e.g. `/automated`. */
    path: string;
}

/** The S3 bucket of a space, or undefined when it is not an S3 space. */
async function spaceBucket(ss: ApiClient, spaceUri: string): Promise<string | undefined> {
    const answer = await ss.get(spaceUri);
    const space = answer.body as { access_protocol?: unknown; bucket?: unknown } | null;
    if (answer.http !== 200 || !space) throw new NotReady(`GET ${spaceUri} answered HTTP ${answer.http}`);
    return space.access_protocol === "S3" && typeof space.bucket === "string" ? space.bucket : undefined;
}

/** The enabled TS location `<config>` on the transfer bucket; NotReady when configure_storage has not made it yet. */
export async function ingestLocation(ss: ApiClient, config: string, bucket: string): Promise<Location> {
    const candidates = await listAll(ss, `/api/v2/location/?purpose=TS&relative_path=${encodeURIComponent(config)}&limit=1000`);
    for (const location of candidates) {
        if (typeof location.space !== "string" || typeof location.uuid !== "string" || typeof location.path !== "string") continue;
        if ((await spaceBucket(ss, location.space)) === bucket) return { uuid: location.uuid, path: location.path };
    }
    throw new NotReady(
        `the Storage Service has no transfer source location "${config}" on s3://${bucket} yet (bootstrap/configure_storage.py creates it)`,
    );
}

export interface AipWhere {
    /** The package answer as it came. */
    file: Answer;
    /** Bucket and key of the AIP, when the package is on an S3 location. */
    bucket?: string;
    locationPath?: string;
    currentPath?: string;
}

export async function aipFile(ss: ApiClient, sipUuid: string): Promise<AipWhere> {
    const answer = await ss.get(`/api/v2/file/${sipUuid}/`);
    const file: Answer = { http: answer.http, body: answer.body };
    const pkg = answer.body as { current_location?: unknown; current_path?: unknown } | null;
    if (answer.http !== 200 || !pkg || typeof pkg.current_location !== "string" || typeof pkg.current_path !== "string") return { file };
    const location = await ss.get(pkg.current_location);
    const body = location.body as { path?: unknown; space?: unknown } | null;
    if (location.http !== 200 || !body || typeof body.path !== "string" || typeof body.space !== "string") return { file };
    return { file, bucket: await spaceBucket(ss, body.space), locationPath: body.path, currentPath: pkg.current_path };
}
