"""Smoke transfer: proves the pipeline turns a transfer from the S3 transfer source into an AIP in the
S3 AIP store, through the same APIs a user's tools drive. A one-off task on the Storage Service image.

Steps: ask the Storage Service for the default transfer source (it must be the transfer bucket); write a
tiny transfer (two text files) under `<its path>/smoke-tests/<name>/` with boto3; start it with the
dashboard's package API (auto-approved; approved through the API if it still waits); poll transfer then
ingest status; ask the Storage Service that the AIP is UPLOADED (or VERIFIED) in a location on the AIP bucket.

Exit codes: 0 AIP stored; 1 the transfer failed, was rejected, waits for a decision, went to backlog,
or the AIP is missing or not in the AIP bucket; 2 bad configuration; 3 timed out (attempts x interval
for the whole run); 4 an API refused a request (wrong key: 401/403) or could not be reached.

Sources (artefactual/archivematica 1.18, src/archivematica/dashboard/components/api/, commit 4f8e551f):
urls.py routes `v2beta/package`, `transfer/status/<uuid>`, `ingest/status/<uuid>`, `transfer/approve`;
views.py: `_package_create` takes JSON {name, type, path, processing_config, auto_approve} where path is
base64 of `<location uuid>:<path>` and answers 202 {"id": ...}; a bad key answers 403 "API key not
valid."; `status` answers 400 until the unit exists, else status PROCESSING, USER_INPUT, FAILED,
REJECTED or COMPLETE (with sip_uuid; "BACKLOG" when sent to backlog). archivematicaCommon/processing.py:
the built-in "automated" config decides every choice and stores at location/default/AS/ and /DS/.
artefactual-labs/archivematica-acceptance-tests (features/steps/utils.py, 5e87b468) and amclient's
create_package start transfers the same way. The Storage Service image ships boto3 (its S3 space uses
it: locations/models/s3.py); the dashboard image does not (pyproject.toml has no boto3). ECS sets
AWS_REGION in every task, and boto3 takes the task role's credentials from the container endpoint.
"""

import base64
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

OK, FAILED, BAD_CONFIG, TIMED_OUT, API_ERROR = 0, 1, 2, 3, 4
SAMPLE = {
    "README.txt": "Archivematica smoke transfer: a tiny sample written by the stack's smoke test.\n",
    "sample.txt": "Hello from the smoke test.\n",
}


class Stop(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def env(name, default=None):
    value = os.environ.get(name) or default
    if not value:
        raise Stop(BAD_CONFIG, f"{name}: missing; set it in the task definition")
    return value


def env_match(name, pattern, what, default=None):
    value = env(name, default)
    if not re.fullmatch(pattern, value):
        raise Stop(BAD_CONFIG, f"{name}: {value!r} is not {what}")
    return value


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Api:
    def __init__(self, name, base, username, key):
        self.name, self.base = name, base.rstrip("/")
        self.auth = f"ApiKey {username}:{key}"
        self.opener = urllib.request.build_opener(NoRedirect)

    def call(self, method, path, json_body=None, form=None):
        data, content_type = None, None
        if json_body is not None:
            data, content_type = json.dumps(json_body).encode("utf-8"), "application/json"
        elif form is not None:
            data, content_type = urllib.parse.urlencode(form).encode("utf-8"), "application/x-www-form-urlencoded"
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Authorization", self.auth)
        request.add_header("Accept", "application/json")
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            with self.opener.open(request, timeout=60) as response:
                status, headers, raw = response.status, response.headers, response.read()
        except urllib.error.HTTPError as err:
            status, headers, raw = err.code, err.headers, err.read()
        except (urllib.error.URLError, OSError) as err:
            raise Stop(API_ERROR, f"{method} {self.name}{path}: unreachable: {err}")
        try:
            parsed = json.loads(raw.decode("utf-8")) if raw else None
        except ValueError:
            parsed = raw.decode("utf-8", "replace")
        if status in (401, 403):
            message = parsed.get("message") if isinstance(parsed, dict) else None
            raise Stop(API_ERROR, f"{method} {self.name}{path}: HTTP {status}, the {self.name} refused the API key{': ' + message if message else ''}")
        return status, headers, parsed

    def expect(self, method, path, ok, **kwargs):
        status, _, parsed = self.call(method, path, **kwargs)
        if status not in ok:
            detail = "(no body)" if parsed is None else parsed if isinstance(parsed, str) else json.dumps(parsed)
            raise Stop(API_ERROR, f"{method} {self.name}{path} answered HTTP {status}: {detail[:300]}")
        return parsed


def uri_path(uri, kind):
    match = re.search(rf"/api/v2/{kind}/([0-9a-fA-F-]{{36}})/?$", urllib.parse.urlparse(uri or "").path)
    if not match:
        raise Stop(FAILED, f"expected a {kind} URI, got {uri!r}")
    return f"/api/v2/{kind}/{match.group(1)}/"


def location_on_bucket(ss, location_path, bucket, role):
    """GETs a location and its space; returns the location if the space is S3 on `bucket`."""
    location = ss.expect("GET", location_path, (200,))
    space = ss.expect("GET", uri_path(location.get("space"), "space"), (200,))
    if space.get("access_protocol") != "S3" or space.get("bucket") != bucket:
        on = f"{space.get('access_protocol')} space {space.get('uuid')}" + (f" (bucket {space.get('bucket')})" if space.get("bucket") else "")
        raise Stop(FAILED, f"{role} {location.get('uuid')} is on {on}, not on s3://{bucket}; run configure_storage.py configure")
    return location


def default_transfer_source(ss, bucket):
    status, headers, _ = ss.call("GET", "/api/v2/location/default/TS/")
    if status not in (301, 302):
        raise Stop(FAILED, f"the Storage Service has no default transfer source (HTTP {status}); run configure_storage.py configure")
    return location_on_bucket(ss, uri_path(headers.get("Location"), "location"), bucket, "the default transfer source")


def upload_sample(bucket, prefix):
    try:
        import boto3  # the Storage Service image ships it
    except ImportError:
        raise Stop(BAD_CONFIG, "boto3: not importable here; run this task on the Storage Service image, which ships it")
    s3 = boto3.client("s3")
    for name, text in SAMPLE.items():
        key = f"{prefix}/{name}"
        try:
            s3.put_object(Bucket=bucket, Key=key, Body=text.encode("utf-8"), ContentType="text/plain")
        except Exception as err:
            raise Stop(API_ERROR, f"S3 PutObject s3://{bucket}/{key} failed: {err}")
    print(f"wrote {len(SAMPLE)} sample files under s3://{bucket}/{prefix}/", flush=True)


class Clock:
    """One budget of polls for the whole run: attempts x interval bounds it."""

    def __init__(self, attempts, seconds):
        self.left, self.seconds, self.total = attempts, seconds, attempts

    def tick(self, waiting_for):
        if self.left == 0:
            raise Stop(TIMED_OUT, f"gave up after {self.total} polls of {self.seconds} s: {waiting_for}")
        self.left -= 1
        if self.left < self.total - 1:
            time.sleep(self.seconds)


def follow_unit(dashboard, clock, kind, unit_uuid, name):
    """Polls transfer or ingest status; returns the final status dict (COMPLETE)."""
    approved = False
    last = "not known to the dashboard yet"
    while True:
        clock.tick(f"{kind} {unit_uuid} {last}")
        status, _, body = dashboard.call("GET", f"/api/{kind}/status/{unit_uuid}/")
        if status == 400:  # the unit row does not exist yet, or has no job yet
            continue
        if status != 200 or not isinstance(body, dict):
            raise Stop(API_ERROR, f"GET dashboard/api/{kind}/status/{unit_uuid}/ answered HTTP {status}")
        state, microservice = body.get("status"), body.get("microservice")
        last = f"{state} at {microservice!r}"
        if state == "COMPLETE":
            return body
        if state in ("FAILED", "REJECTED"):
            raise Stop(FAILED, f"smoke transfer {name}: {kind} {unit_uuid} {state} at {microservice!r}")
        if state == "USER_INPUT":
            if kind == "transfer" and not approved and str(microservice).startswith("Approve"):
                dashboard.expect("POST", "/api/transfer/approve/", (200,), form={"type": "standard", "directory": body.get("directory", "")})
                approved = True
                print(f"approved transfer {unit_uuid}", flush=True)
                continue
            raise Stop(FAILED, f"smoke transfer {name}: {kind} {unit_uuid} waits for a decision at {microservice!r}; the processing config must decide it")


def stored_aip(ss, clock, sip_uuid, bucket):
    last = "not known to the Storage Service yet"
    while True:
        clock.tick(f"AIP {sip_uuid} {last}")
        status, _, package = ss.call("GET", f"/api/v2/file/{sip_uuid}/")
        if status == 404:
            continue
        if status != 200 or not isinstance(package, dict):
            raise Stop(API_ERROR, f"GET storage-service/api/v2/file/{sip_uuid}/ answered HTTP {status}")
        last = f"status {package.get('status')}"
        if package.get("status") == "FAIL" or package.get("package_type") != "AIP":
            raise Stop(FAILED, f"package {sip_uuid} is a {package.get('package_type')} with status {package.get('status')}, not an uploaded AIP")
        if package.get("status") in ("UPLOADED", "VERIFIED"):  # locations/models/package.py statuses
            location = location_on_bucket(ss, uri_path(package.get("current_location"), "location"), bucket, f"the location of AIP {sip_uuid},")
            return package, location


def main():
    dashboard_url = env_match("SMOKE_DASHBOARD_URL", r"https?://[^/\s]+/?", "an http(s) base URL")
    ss_url = env_match("SMOKE_SS_URL", r"https?://[^/\s]+/?", "an http(s) base URL")
    username = env("SMOKE_USERNAME")
    dashboard = Api("dashboard", dashboard_url, username, env("SMOKE_DASHBOARD_API_KEY"))
    ss = Api("storage-service", ss_url, username, env("SMOKE_SS_API_KEY"))
    bucket_pattern, bucket_what = r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", "an S3 bucket name"
    transfer_bucket = env_match("SMOKE_TRANSFER_BUCKET", bucket_pattern, bucket_what)
    aip_bucket = env_match("SMOKE_AIP_BUCKET", bucket_pattern, bucket_what)
    attempts = int(env_match("SMOKE_POLL_ATTEMPTS", r"[1-9][0-9]*", "an integer >= 1"))
    seconds = int(env_match("SMOKE_POLL_SECONDS", r"[0-9]+", "an integer >= 0"))
    config = env_match("SMOKE_PROCESSING_CONFIG", r"\w{1,16}", "a processing configuration name", "automated")
    name = env_match("SMOKE_TRANSFER_NAME", r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}", "a transfer name", time.strftime("smoke-%Y%m%dT%H%M%SZ", time.gmtime()))

    source = default_transfer_source(ss, transfer_bucket)
    source_path = source["path"].rstrip("/")
    upload_sample(transfer_bucket, f"{source_path.lstrip('/')}/smoke-tests/{name}")
    path = f"{source['uuid']}:{source_path}/smoke-tests/{name}"
    started = dashboard.expect(
        "POST",
        "/api/v2beta/package/",
        (202,),
        json_body={
            "name": name,
            "type": "standard",
            "path": base64.b64encode(path.encode("utf-8")).decode("ascii"),
            "processing_config": config,
            "auto_approve": True,
        },
    )
    transfer_uuid = started.get("id") if isinstance(started, dict) else None
    if not transfer_uuid:
        raise Stop(API_ERROR, "POST dashboard/api/v2beta/package/ answered without an id")
    print(f"started transfer {name} ({transfer_uuid}) from {path}", flush=True)

    clock = Clock(attempts, seconds)
    sip_uuid = follow_unit(dashboard, clock, "transfer", transfer_uuid, name).get("sip_uuid")
    if not sip_uuid or sip_uuid == "BACKLOG":
        raise Stop(FAILED, f"smoke transfer {name}: transfer {transfer_uuid} completed without a SIP ({sip_uuid}); no AIP will be made")
    follow_unit(dashboard, clock, "ingest", sip_uuid, name)
    package, location = stored_aip(ss, clock, sip_uuid, aip_bucket)
    key = f"{location['path'].strip('/')}/{package.get('current_path', '').lstrip('/')}"
    print(f"smoke transfer {name}: AIP {sip_uuid} stored in s3://{aip_bucket}/{key} (location {location['uuid']})", flush=True)


if __name__ == "__main__":
    try:
        main()
    except Stop as stop:
        print(f"smoke_transfer: {stop}", file=sys.stderr, flush=True)
        sys.exit(stop.code)
