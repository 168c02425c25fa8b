/**
 * A small in-memory Storage Service 0.24 for the bootstrap scripts' and the ingest functions' tests:
 * the Tastypie endpoints they call, answered the way artefactual's source does
 * (locations/api/resources.py): a list answers `{ meta, objects }` a page at a time (tastypie's
 * Paginator: `limit` defaults to 20, 0 or more than 1,000 means 1,000, `meta.next` is the path with
 * the other parameters kept and `limit`/`offset` last, or null); POST answers 201 with the object
 * (always_return_data); a wrong key answers 401 with no body; `location/default/<P>/` redirects (302)
 * to the default location; `file/` filters `package_type`, `status` and `status__in` (comma-separated, as
 * tastypie's `filter_value_to_python` splits it); pipelines and locations list only enabled ones (`Pipeline.active`,
 * `Location.active`); `file/<uuid>/check_fixity/` answers a report shaped like
 * `Package.get_fixity_check_report_send_signals`.
 */
import type { FakeResponse, RecordedRequest } from "../support/fake-http";

export interface SsSpace {
    uuid: string;
    access_protocol: string;
    path: string;
    staging_path: string;
    endpoint_url?: string;
    access_key_id?: string;
    secret_access_key?: string;
    region?: string;
    bucket?: string;
}
export interface SsLocation {
    uuid: string;
    purpose: string;
    relative_path: string;
    description: string;
    space: string;
    pipeline: string[];
    enabled: boolean;
}
export interface SsPipeline {
    uuid: string;
    description: string;
    remote_name: string;
    /** models/pipeline.py `enabled`; the API lists only enabled pipelines. @default true */
    enabled?: boolean;
}
export interface SsPackage {
    uuid: string;
    package_type: string;
    /** locations/models/package.py `Package.STATUS_CHOICES`: PENDING, STAGING, UPLOADED, VERIFIED, FAIL, DEL_REQ, DELETED, FINALIZE, MOVING, RECOVER_REQ. */
    status: string;
    current_location: string;
    current_path: string;
    size?: number;
    stored_date?: string;
}

/** A fixity report as `get_fixity_check_report_send_signals` builds it. */
export interface FixityReport {
    success: boolean | null;
    message: string;
    failures: { files: { missing: unknown[]; changed: unknown[]; untracked: unknown[] } };
    timestamp: string | null;
}

export function fixityReport(success: boolean | null, message = "", files: Partial<FixityReport["failures"]["files"]> = {}): FixityReport {
    return { success, message, failures: { files: { missing: [], changed: [], untracked: [], ...files } }, timestamp: null };
}

/** Deterministic UUIDs: version 4 shape, numbered. */
export function fakeUuid(n: number, prefix = "0000"): string {
    return `${prefix}${String(n).padStart(4, "0")}-0000-4000-8000-${String(n).padStart(12, "0")}`;
}

export class FakeStorageService {
    spaces: SsSpace[] = [];
    locations: SsLocation[] = [];
    pipelines: SsPipeline[] = [];
    packages: SsPackage[] = [];
    defaults: Record<string, string> = {};
    /** The answer of `check_fixity` per package UUID (a passing report when absent). */
    fixity: Record<string, FixityReport> = {};
    private created = 0;
    /** Answers to force, by `METHOD path` (checked before the model). */
    overrides: Record<string, FakeResponse> = {};

    constructor(
        readonly username: string,
        readonly apiKey: string,
    ) {}

    /** The local default locations as the SS's startup creates them (common/startup.py), and the pipeline. */
    static afterInstall(username: string, apiKey: string, siteUrl: string): FakeStorageService {
        const ss = new FakeStorageService(username, apiKey);
        const local = "/api/v2/space/aaaa0001-0000-4000-8000-000000000001/";
        ss.spaces.push({
            uuid: "aaaa0001-0000-4000-8000-000000000001",
            access_protocol: "FS",
            path: "/",
            staging_path: "/var/archivematica/storage_service",
        });
        ss.pipelines.push({
            uuid: "bbbb0001-0000-4000-8000-000000000001",
            description: "Archivematica on ip-10-0-1-5",
            remote_name: siteUrl,
        });
        const pipeline = "/api/v2/pipeline/bbbb0001-0000-4000-8000-000000000001/";
        const purposes: [string, string][] = [
            ["TS", "home"],
            ["AS", "var/archivematica/sharedDirectory/www/AIPsStore"],
            ["DS", "var/archivematica/sharedDirectory/www/DIPsStore"],
            ["BL", "var/archivematica/sharedDirectory/www/AIPsStore/transferBacklog"],
            ["SS", "var/archivematica/storage_service"],
            ["AR", "var/archivematica/storage_service/recover"],
        ];
        purposes.forEach(([purpose, relative_path], i) => {
            const uuid = fakeUuid(i + 1, "cccc");
            ss.locations.push({
                uuid,
                purpose,
                relative_path,
                description: `local ${purpose}`,
                space: local,
                pipeline: [pipeline],
                enabled: true,
            });
            if (["TS", "AS", "DS"].includes(purpose)) ss.defaults[purpose] = uuid;
        });
        return ss;
    }

    handle = (req: RecordedRequest): FakeResponse => {
        const forced = this.overrides[`${req.method} ${req.path}`];
        if (forced) return forced;
        if (req.headers.authorization !== `ApiKey ${this.username}:${this.apiKey}`) return { status: 401, body: "" };
        const url = new URL(req.path, "http://ss");
        const q = url.searchParams;
        const route = `${req.method} ${url.pathname}`;
        let m: RegExpMatchArray | null;
        if (route === "GET /api/v2/location/") {
            let objects = this.locations.filter((l) => l.enabled);
            if (q.has("space__uuid")) objects = objects.filter((l) => l.space === `/api/v2/space/${q.get("space__uuid")}/`);
            if (q.has("purpose")) objects = objects.filter((l) => l.purpose === q.get("purpose"));
            if (q.has("relative_path")) objects = objects.filter((l) => l.relative_path === q.get("relative_path"));
            return this.list(
                objects.map((l) => this.locationJson(l)),
                url,
            );
        }
        if ((m = route.match(/^GET \/api\/v2\/location\/default\/([A-Z]{2})\/$/))) {
            const uuid = this.defaults[m[1]];
            return uuid
                ? { status: 302, body: "", headers: { location: `/api/v2/location/${uuid}/` } }
                : { status: 404, body: "Default location not defined for this purpose." };
        }
        if ((m = route.match(/^GET \/api\/v2\/location\/([0-9a-f-]{36})\/$/))) {
            const location = this.locations.find((l) => l.uuid === m![1]);
            return location ? { status: 200, body: this.locationJson(location) } : { status: 404, body: "" };
        }
        if (route === "POST /api/v2/location/") {
            const body = JSON.parse(req.body);
            const uuid = this.nextUuid();
            this.locations.push({
                uuid,
                purpose: body.purpose,
                relative_path: body.relative_path,
                description: body.description,
                space: body.space,
                pipeline: body.pipeline,
                enabled: true,
            });
            if (body.default === true) this.defaults[body.purpose] = uuid;
            return { status: 201, body: this.locationJson(this.locations[this.locations.length - 1]) };
        }
        if (route === "GET /api/v2/pipeline/")
            return this.list(
                this.pipelines
                    .filter((p) => p.enabled !== false)
                    .map(({ enabled: _, ...p }) => ({ ...p, resource_uri: `/api/v2/pipeline/${p.uuid}/` })),
                url,
            );
        if (route === "GET /api/v2/space/") {
            const objects = this.spaces.filter((s) => !q.has("access_protocol") || s.access_protocol === q.get("access_protocol"));
            return this.list(
                objects.map((s) => this.spaceJson(s)),
                url,
            );
        }
        if ((m = route.match(/^GET \/api\/v2\/space\/([0-9a-f-]{36})\/$/))) {
            const space = this.spaces.find((s) => s.uuid === m![1]);
            return space ? { status: 200, body: this.spaceJson(space) } : { status: 404, body: "" };
        }
        if (route === "POST /api/v2/space/") {
            const space = { ...JSON.parse(req.body), uuid: this.nextUuid() } as SsSpace;
            this.spaces.push(space);
            return { status: 201, body: this.spaceJson(space) };
        }
        if (route === "GET /api/v2/file/") {
            let objects = this.packages;
            if (q.has("package_type")) objects = objects.filter((p) => p.package_type === q.get("package_type"));
            if (q.has("status")) objects = objects.filter((p) => p.status === q.get("status"));
            // tastypie's `__in` (PackageResource filtering "status": ALL): every value, each split on commas.
            if (q.has("status__in")) {
                const statuses = q.getAll("status__in").flatMap((v) => v.split(","));
                objects = objects.filter((p) => statuses.includes(p.status));
            }
            return this.list(
                objects.map((p) => ({ ...p, resource_uri: `/api/v2/file/${p.uuid}/` })),
                url,
            );
        }
        if ((m = route.match(/^GET \/api\/v2\/file\/([0-9a-f-]{36})\/check_fixity\/$/))) {
            const pkg = this.packages.find((p) => p.uuid === m![1]);
            if (!pkg) return { status: 404, body: "" };
            return { status: 200, body: this.fixity[pkg.uuid] ?? fixityReport(true) };
        }
        if ((m = route.match(/^GET \/api\/v2\/file\/([0-9a-f-]{36})\/$/))) {
            const pkg = this.packages.find((p) => p.uuid === m![1]);
            return pkg ? { status: 200, body: { ...pkg, resource_uri: `/api/v2/file/${pkg.uuid}/` } } : { status: 404, body: "" };
        }
        return { status: 500, body: `fake Storage Service: no route for ${req.method} ${req.path}` };
    };

    private nextUuid(): string {
        this.created += 1;
        return fakeUuid(this.created, "dddd");
    }

    private list(objects: unknown[], url: URL): FakeResponse {
        const q = url.searchParams;
        const requested = q.has("limit") ? Number(q.get("limit")) : 20;
        const limit = requested === 0 || requested > 1000 ? 1000 : requested;
        const offset = Number(q.get("offset") ?? 0);
        const uri = (at: number) => {
            const params = new URLSearchParams([...q].filter(([k]) => k !== "limit" && k !== "offset"));
            params.append("limit", String(limit));
            params.append("offset", String(at));
            return `${url.pathname}?${params}`;
        };
        return {
            status: 200,
            body: {
                meta: {
                    limit,
                    next: offset + limit < objects.length ? uri(offset + limit) : null,
                    offset,
                    previous: offset - limit >= 0 ? uri(offset - limit) : null,
                    total_count: objects.length,
                },
                objects: objects.slice(offset, offset + limit),
            },
        };
    }

    private spaceJson(space: SsSpace): Record<string, unknown> {
        return { ...space, size: null, used: 0, verified: false, last_verified: null, resource_uri: `/api/v2/space/${space.uuid}/` };
    }

    private locationJson(l: SsLocation): Record<string, unknown> {
        const space = this.spaces.find((s) => `/api/v2/space/${s.uuid}/` === l.space);
        const full = `${space?.path ?? ""}/${l.relative_path}`.replace(/\/+/g, "/");
        return { ...l, path: full, quota: null, used: 0, resource_uri: `/api/v2/location/${l.uuid}/` };
    }
}
