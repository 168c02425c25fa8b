/**
 * A small in-memory Storage Service 0.24 for the bootstrap scripts' tests: the Tastypie endpoints the
 * scripts call, answered the way artefactual's source does (locations/api/resources.py): list
 * answers `{ meta, objects }`, POST answers 201 with the object (always_return_data), a wrong key
 * answers 401 with no body, `location/default/<P>/` redirects (302) to the default location.
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
}
export interface SsPackage {
    uuid: string;
    package_type: string;
    status: string;
    current_location: string;
    current_path: string;
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
            return this.list(objects.map((l) => this.locationJson(l)));
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
            return this.list(this.pipelines.map((p) => ({ ...p, resource_uri: `/api/v2/pipeline/${p.uuid}/` })));
        if (route === "GET /api/v2/space/") {
            const objects = this.spaces.filter((s) => !q.has("access_protocol") || s.access_protocol === q.get("access_protocol"));
            return this.list(objects.map((s) => this.spaceJson(s)));
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

    private list(objects: unknown[]): FakeResponse {
        return {
            status: 200,
            body: { meta: { limit: 1000, next: null, offset: 0, previous: null, total_count: objects.length }, objects },
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
