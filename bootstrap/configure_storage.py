"""Storage Service spaces and locations as code: S3 transfer source, AIP store and DIP store.

Modes (the first argument; secrets only ever come from the environment):
  wait-for-defaults  wait until the Storage Service has created its default locations, so that the
                     dashboard's `install` registers the pipeline with them (gate `install` on this).
  configure          wait-for-defaults, find the pipeline, then create or converge one S3 space per
                     bucket and, on each, a location registered with the pipeline as its default;
                     then, for hands-off ingest, one more transfer source location per processing
                     configuration in BOOTSTRAP_INGEST_CONFIGS (comma-separated; none when unset):
                     relative path `<name>` on the transfer bucket's space (the uploads' key prefix
                     `<name>/`), registered with the pipeline, not a default. The ingest starter
                     finds it by purpose TS and relative path and names it in the package path.

Exit codes: 0 done; 1 the Storage Service holds a state this script must not or cannot change (the
reason says what to do); 2 bad configuration; 3 a bounded wait expired; 4 the API refused a request.

Facts from artefactual/archivematica-storage-service: locations/api/resources.py and
locations/models/s3.py and common/startup.py read in the src/archivematica/storage_service layout
(commits 226f5e46, 0f1f8f97, 3c5f4570); the same API and models, plus locations/models/{location,
space,pipeline}.py, read in the 0.23 layout storage_service/... at f91baa8f:
- locations/api/resources.py: SpaceResource and PipelineResource allow GET/POST on the list and only
  GET on a detail; LocationResource allows GET/POST on the list, and POST on a detail only moves
  files. No PUT/PATCH: a space or location cannot be changed through the API, only created.
  SpaceResource.obj_create reads every S3 field from the body (endpoint_url, access_key_id,
  secret_access_key, region, bucket), so all five are sent. LocationResource.obj_create accepts
  `default` (archivematica/Issues#37); `location/default/<PURPOSE>/` redirects to the default.
- locations/models/location.py: the default is the global setting `default_<PURPOSE>_location`,
  replaced when a location is saved with default=True, so the EFS AIP store stops being the default.
- locations/models/s3.py: blank access keys make boto3 use the task role; the bucket is a field of
  the space, so each bucket is its own space. S3 allows the purposes AS, DS, RP and TS.
- common/startup.py: each worker creates the default local locations (TS, AS, DS, BL, SS, AR, in
  that order) under MySQL GET_LOCK(..., 0) while other workers already answer the API.
"""

import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

OK, REFUSED_STATE, BAD_CONFIG, TIMED_OUT, API_ERROR = 0, 1, 2, 3, 4

# Purposes startup.populate_default_locations creates; all present means it has finished.
DEFAULT_PURPOSES = ("TS", "AS", "DS", "BL", "SS", "AR")
# Object storage needs no space path (models/space.py Space.clean); "/" keeps full paths absolute like
# the local ones, and the S3 model strips the leading slash from every key.
SPACE_PATH = "/"
STORES = (
    # purpose, bucket variable, relative path (the key prefix), description
    ("TS", "BOOTSTRAP_TRANSFER_BUCKET", "transfers", "Transfer source (S3)"),
    ("AS", "BOOTSTRAP_AIP_BUCKET", "aips", "AIP store (S3)"),
    ("DS", "BOOTSTRAP_DIP_BUCKET", "dips", "DIP store (S3)"),
)


class Stop(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


class NotYet(Exception):
    """Raised by a probe whose condition does not hold yet."""


def env(name, default=None):
    value = os.environ.get(name, default)
    if value is None or value == "":
        raise Stop(BAD_CONFIG, f"{name}: missing; set it in the task definition")
    return value


def env_int(name, minimum):
    raw = env(name)
    if not re.fullmatch(r"[0-9]+", raw) or int(raw) < minimum:
        raise Stop(BAD_CONFIG, f"{name}: {raw!r} is not an integer >= {minimum}")
    return int(raw)


def env_url(name):
    value = env(name).rstrip("/")
    if not re.fullmatch(r"https?://[^/\s]+(/\S*)?", value):
        raise Stop(BAD_CONFIG, f"{name}: {value!r} is not an http(s) URL")
    return value


def env_bucket(name):
    value = env(name)
    if not re.fullmatch(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", value):
        raise Stop(BAD_CONFIG, f"{name}: {value!r} is not an S3 bucket name")
    return value


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Api:
    def __init__(self, base, username, key):
        self.base = base
        self.auth = f"ApiKey {username}:{key}"
        self.opener = urllib.request.build_opener(NoRedirect)

    def call(self, method, path, body=None):
        """Returns (status, headers, parsed JSON or None); raises Stop(API_ERROR) when unreachable."""
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Authorization", self.auth)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with self.opener.open(request, timeout=30) as response:
                status, headers, raw = response.status, response.headers, response.read()
        except urllib.error.HTTPError as err:
            status, headers, raw = err.code, err.headers, err.read()
        except (urllib.error.URLError, OSError) as err:
            raise Stop(API_ERROR, f"{method} {path}: Storage Service unreachable: {err}")
        try:
            parsed = json.loads(raw.decode("utf-8")) if raw else None
        except ValueError:
            parsed = raw.decode("utf-8", "replace")
        return status, headers, parsed

    def expect(self, method, path, body=None, ok=(200,)):
        status, _, parsed = self.call(method, path, body)
        if status not in ok:
            detail = "(no body)" if parsed is None else parsed if isinstance(parsed, str) else json.dumps(parsed)
            raise Stop(API_ERROR, f"{method} {path} answered HTTP {status}: {detail[:300]}")
        return parsed

    def objects(self, path):
        """Every object of a list: tastypie answers pages of at most 1,000 (`limit=0` means the cap)
        and `meta.next` is the next page's path with the same filters, or null on the last."""
        objects = []
        while path:
            parsed = self.expect("GET", path)
            if not isinstance(parsed, dict) or not isinstance(parsed.get("objects"), list):
                raise Stop(API_ERROR, f"GET {path} answered without an objects list")
            objects.extend(parsed["objects"])
            path = (parsed.get("meta") or {}).get("next")
        return objects


def wait(what, attempts, seconds, probe):
    """Calls probe() until it returns; NotYet or an API error (e.g. a worker still starting) means retry."""
    reason = "no answer"
    for attempt in range(1, attempts + 1):
        try:
            return probe()
        except NotYet as err:
            reason = str(err)
        except Stop as err:
            if err.code != API_ERROR:
                raise
            reason = str(err)
        print(f"waiting for {what} ({attempt}/{attempts}): {reason}", flush=True)
        if attempt < attempts:
            time.sleep(seconds)
    raise Stop(TIMED_OUT, f"{what}: not ready after {attempts} attempts of {seconds} s; last: {reason}")


def wait_for_defaults(api, attempts, seconds):
    def probe():
        purposes = {loc.get("purpose") for loc in api.objects("/api/v2/location/?limit=0")}
        missing = [p for p in DEFAULT_PURPOSES if p not in purposes]
        if missing:
            raise NotYet(f"no {', '.join(missing)} location yet")
        return True

    wait("the Storage Service's default locations", attempts, seconds, probe)
    print("the Storage Service's default locations exist", flush=True)


def find_pipeline(api, site_url, attempts, seconds):
    """The pipeline `install` registered: remote_name is the dashboard's --site-url (installer/steps.py)."""

    def probe():
        pipelines = [p for p in api.objects("/api/v2/pipeline/?limit=0") if (p.get("remote_name") or "").rstrip("/") == site_url]
        if len(pipelines) > 1:
            uuids = ", ".join(sorted(p["uuid"] for p in pipelines))
            raise Stop(REFUSED_STATE, f"several enabled pipelines have remote_name {site_url} ({uuids}); disable the stale ones in the Storage Service")
        if not pipelines:
            raise NotYet("install has not registered it yet")
        return pipelines[0]

    return wait(f"the pipeline registered for {site_url}", attempts, seconds, probe)


def space_differences(space, want):
    return [f"{k} {space.get(k)!r} (want {v!r})" for k, v in want.items() if k != "access_protocol" and space.get(k) != v]


def converge_space(api, spaces, want):
    on_bucket = [s for s in spaces if s.get("bucket") == want["bucket"]]
    exact = [s for s in on_bucket if not space_differences(s, want)]
    if exact:
        return exact[0], False
    if on_bucket:
        space = on_bucket[0]
        raise Stop(
            REFUSED_STATE,
            f"space {space.get('uuid')} on bucket {want['bucket']} differs: {'; '.join(space_differences(space, want))}; "
            "the Storage Service API cannot change a space (space detail allows GET only), "
            "so edit or delete it under Administration > Spaces and run again",
        )
    created = api.expect("POST", "/api/v2/space/", want, ok=(201,))
    print(f"created S3 space {created['uuid']} for bucket {want['bucket']}", flush=True)
    return created, True


def default_location_uuid(api, purpose):
    status, headers, parsed = api.call("GET", f"/api/v2/location/default/{purpose}/")
    if status == 404:
        return None
    target = headers.get("Location", "") if status in (301, 302) else ""
    match = re.search(r"/api/v2/location/([0-9a-fA-F-]{36})/?$", urllib.parse.urlparse(target).path)
    if not match:
        raise Stop(API_ERROR, f"GET /api/v2/location/default/{purpose}/ answered HTTP {status} without a location redirect")
    return match.group(1)


def converge_location(api, space, space_created, pipeline_uri, purpose, relative_path, description):
    space_uri = f"/api/v2/space/{space['uuid']}/"
    if not space_created:
        path = f"/api/v2/location/?space__uuid={space['uuid']}&purpose={purpose}&limit=0"
        ours = [loc for loc in api.objects(path) if loc.get("relative_path") == relative_path and pipeline_uri in (loc.get("pipeline") or [])]
        if ours:
            location = ours[0]
            default = default_location_uuid(api, purpose)
            if default != location["uuid"]:
                raise Stop(
                    REFUSED_STATE,
                    f"{purpose} location {location['uuid']} on bucket {space['bucket']} is registered with the pipeline "
                    f"but the default {purpose} location is {default}; the API sets a default only when it creates a "
                    "location, so tick Default on it under Administration > Locations (or delete it and run again)",
                )
            return "unchanged"
    body = {
        "space": space_uri,
        "purpose": purpose,
        "relative_path": relative_path,
        "description": description,
        "pipeline": [pipeline_uri],
        "default": True,
    }
    created = api.expect("POST", "/api/v2/location/", body, ok=(201,))
    print(f"created {purpose} location {created['uuid']} at s3://{space['bucket']}/{relative_path}/ as the default", flush=True)
    return "created"


def ingest_configs():
    raw = os.environ.get("BOOTSTRAP_INGEST_CONFIGS") or ""
    names = [n for n in raw.split(",") if n]
    bad = [n for n in names if not re.fullmatch(r"[A-Za-z0-9_]{1,16}", n)]
    if bad:
        raise Stop(BAD_CONFIG, f"BOOTSTRAP_INGEST_CONFIGS: {', '.join(repr(b) for b in bad)} is not a processing configuration name (1-16 letters, digits or _)")
    return sorted(set(names))


def converge_ingest_locations(api, space, pipeline_uri, configs):
    """One TS location per configuration on the transfer space; existing ones are left as they are."""
    if not configs:
        return []
    existing = api.objects(f"/api/v2/location/?space__uuid={space['uuid']}&purpose=TS&limit=0")
    results = []
    for name in configs:
        if any(loc.get("relative_path") == name and pipeline_uri in (loc.get("pipeline") or []) for loc in existing):
            results.append(f"ingest {name} unchanged")
            continue
        body = {
            "space": f"/api/v2/space/{space['uuid']}/",
            "purpose": "TS",
            "relative_path": name,
            "description": f"Ingest: {name} (S3)",
            "pipeline": [pipeline_uri],
            "default": False,
        }
        created = api.expect("POST", "/api/v2/location/", body, ok=(201,))
        print(f"created TS location {created['uuid']} at s3://{space['bucket']}/{name}/ for processing configuration {name}", flush=True)
        results.append(f"ingest {name} created")
    return results


def configure(api, attempts, seconds):
    site_url = env_url("BOOTSTRAP_SITE_URL")
    region = env("BOOTSTRAP_S3_REGION")
    if not re.fullmatch(r"[a-z]{2}(-[a-z]+)+-[0-9]", region):
        raise Stop(BAD_CONFIG, f"BOOTSTRAP_S3_REGION: {region!r} is not an AWS region")
    endpoint = os.environ.get("BOOTSTRAP_S3_ENDPOINT_URL") or f"https://s3.{region}.amazonaws.com"
    staging = os.environ.get("BOOTSTRAP_S3_STAGING_PATH") or "/var/archivematica/storage_service"
    if not staging.startswith("/"):
        raise Stop(BAD_CONFIG, f"BOOTSTRAP_S3_STAGING_PATH: {staging!r} is not an absolute path")
    buckets = {purpose: env_bucket(variable) for purpose, variable, _, _ in STORES}
    configs = ingest_configs()

    wait_for_defaults(api, attempts, seconds)
    pipeline = find_pipeline(api, site_url, attempts, seconds)
    pipeline_uri = f"/api/v2/pipeline/{pipeline['uuid']}/"
    spaces = api.objects("/api/v2/space/?access_protocol=S3&limit=0")
    results = []
    transfer_space = None
    for purpose, _, relative_path, description in STORES:
        want = {
            "access_protocol": "S3",
            "path": SPACE_PATH,
            "staging_path": staging,
            "endpoint_url": endpoint,
            "access_key_id": "",
            "secret_access_key": "",
            "region": region,
            "bucket": buckets[purpose],
        }
        space, created = converge_space(api, spaces, want)
        if created:
            spaces.append(space)
        if purpose == "TS":
            transfer_space = space
        results.append(f"{purpose} {converge_location(api, space, created, pipeline_uri, purpose, relative_path, description)}")
    results.extend(converge_ingest_locations(api, transfer_space, pipeline_uri, configs))
    print(f"storage configured for pipeline {pipeline['uuid']}: {', '.join(results)}", flush=True)


def main(argv):
    mode = argv[1] if len(argv) > 1 else ""
    if mode not in ("wait-for-defaults", "configure"):
        raise Stop(BAD_CONFIG, f"mode: {mode!r} is not known; valid: wait-for-defaults, configure")
    api = Api(env_url("BOOTSTRAP_SS_URL"), env("BOOTSTRAP_ADMIN_USERNAME"), env("BOOTSTRAP_SS_API_KEY"))
    attempts, seconds = env_int("BOOTSTRAP_WAIT_ATTEMPTS", 1), env_int("BOOTSTRAP_WAIT_SECONDS", 0)
    if mode == "wait-for-defaults":
        wait_for_defaults(api, attempts, seconds)
    else:
        configure(api, attempts, seconds)


if __name__ == "__main__":
    try:
        main(sys.argv)
    except Stop as stop:
        print(f"configure_storage: {stop}", file=sys.stderr, flush=True)
        sys.exit(stop.code)
