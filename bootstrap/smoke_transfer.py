"""Smoke transfer: proves that a package dropped in the transfer bucket becomes an AIP in the AIP bucket,
through the same path every upload takes (hands-off ingest). A one-off task on the Storage Service
image (it ships boto3).

Steps: write a tiny zip (a directory with two text files) to `s3://<transfer bucket>/<config>/<name>.zip`
(config `automated` by default: it decides every choice); then poll its feedback files, which the ingest
starter and monitor write beside it (`feedback/<config>/<name>.zip.started.json`, then
`.stored.json`, `.failed.json` or `.backlog.json`, each naming the object version it is about); when
the feedback says stored, ask the Storage Service itself that the AIP is UPLOADED (or VERIFIED) in a
location on the AIP bucket.

What it no longer does: start the transfer or follow it through the dashboard's API. The ingest
monitor (functions/ingest/monitor.ts, core/follow.ts) is the one copy of that logic; it also stops on
a transfer whose start failed (the dashboard answers 400 "Unable to determine the status of the unit"
and its jobs API 400 "No jobs found for unit" for ever), past a start grace, and writes to
`.failed.json` `stage: "never started"`, the dashboard's answers and the reason, where this script reads
them and stops at once. The stack sets SMOKE_POLL_ATTEMPTS from the monitor's pace
(lib/ingest-timing.ts `smokeBudget`) so that the last poll comes after the latest moment
the monitor writes that outcome: a start that failed ends the run with exit 1 and its reason, not 3.

Exit codes: 0 AIP stored in the AIP bucket; 1 the upload was refused, its transfer or ingest failed or
went to backlog, it waits for a decision, or the AIP is missing or not in the AIP bucket (the feedback's
reason is printed); 2 bad configuration; 3 timed out (attempts x interval for the whole run; the last
thing seen is printed: no feedback at all points at the starter, its log group and its dead-letter
queue; started with no outcome points at the monitor, which should have written one by then); 4 S3 or the Storage Service refused a request (wrong key: 401/403) or could not be reached.
"""

import io
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile

OK, FAILED, BAD_CONFIG, TIMED_OUT, API_ERROR = 0, 1, 2, 3, 4
SAMPLE = {
    "README.txt": "Archivematica smoke transfer: a tiny sample written by the stack's smoke test.\n",
    "sample.txt": "Hello from the smoke test.\n",
}
OUTCOMES = ("failed", "backlog", "stored", "started")


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


class StorageService:
    def __init__(self, base, username, key):
        self.base = base.rstrip("/")
        self.auth = f"ApiKey {username}:{key}"
        self.opener = urllib.request.build_opener(NoRedirect)

    def get(self, path):
        request = urllib.request.Request(self.base + path, headers={"Authorization": self.auth, "Accept": "application/json"})
        try:
            with self.opener.open(request, timeout=60) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as err:
            status, raw = err.code, err.read()
        except (urllib.error.URLError, OSError) as err:
            raise Stop(API_ERROR, f"GET storage-service{path}: unreachable: {err}")
        try:
            parsed = json.loads(raw.decode("utf-8")) if raw else None
        except ValueError:
            parsed = raw.decode("utf-8", "replace")
        if status in (401, 403):
            raise Stop(API_ERROR, f"GET storage-service{path}: HTTP {status}, the Storage Service refused the API key")
        return status, parsed

    def expect(self, path):
        status, parsed = self.get(path)
        if status != 200 or not isinstance(parsed, dict):
            raise Stop(API_ERROR, f"GET storage-service{path} answered HTTP {status}")
        return parsed


def uri_path(uri, kind):
    match = re.search(rf"/api/v2/{kind}/([0-9a-fA-F-]{{36}})/?$", urllib.parse.urlparse(uri or "").path)
    if not match:
        raise Stop(FAILED, f"expected a {kind} URI, got {uri!r}")
    return f"/api/v2/{kind}/{match.group(1)}/"


def sample_zip(name):
    """The package: one directory with the two sample files, with fixed timestamps (the same bytes every run)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file_name, text in SAMPLE.items():
            archive.writestr(zipfile.ZipInfo(f"{name}/{file_name}", date_time=(1980, 1, 1, 0, 0, 0)), text)
    return buffer.getvalue()


class Bucket:
    def __init__(self, name):
        try:
            import boto3  # the Storage Service image ships it
        except ImportError:
            raise Stop(BAD_CONFIG, "boto3: not importable here; run this task on the Storage Service image, which ships it")
        self.name = name
        self.s3 = boto3.client("s3")

    def drop(self, key, data):
        try:
            answer = self.s3.put_object(Bucket=self.name, Key=key, Body=data, ContentType="application/zip")
        except Exception as err:
            raise Stop(API_ERROR, f"S3 PutObject s3://{self.name}/{key} failed: {err}")
        return answer.get("VersionId") or "null"

    def document(self, key):
        try:
            body = self.s3.get_object(Bucket=self.name, Key=key)["Body"].read()
        except self.s3.exceptions.NoSuchKey:
            return None
        except Exception as err:
            raise Stop(API_ERROR, f"S3 GetObject s3://{self.name}/{key} failed: {err}")
        try:
            return json.loads(body.decode("utf-8"))
        except ValueError:
            raise Stop(FAILED, f"s3://{self.name}/{key} is not JSON")


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


def await_outcome(bucket, clock, key, version):
    """Polls the feedback of this upload (this version only) until it tells an outcome; returns the stored document."""
    last = "no feedback yet: the ingest starter has not taken the upload (see its log group and dead-letter queue)"
    announced = False
    while True:
        clock.tick(f"s3://{bucket.name}/{key}: {last}")
        documents = {o: bucket.document(f"feedback/{key}.{o}.json") for o in OUTCOMES}
        ours = {o: d for o, d in documents.items() if isinstance(d, dict) and d.get("versionId") == version}
        if "failed" in ours:
            d = ours["failed"]
            reason = d.get("reason") or d.get("message") or "(no reason given)"
            stage = f" ({d['stage']})" if d.get("stage") else ""
            job = f" at job {d['failedJob']!r}" if d.get("failedJob") else ""
            raise Stop(FAILED, f"smoke transfer {key}: failed{stage}{job}: {reason}")
        if "backlog" in ours:
            raise Stop(FAILED, f"smoke transfer {key}: sent to backlog, no AIP; the processing configuration must store AIPs")
        if "stored" in ours:
            return ours["stored"]
        if "started" in ours:
            started = ours["started"]
            if started.get("waitingFor"):
                raise Stop(FAILED, f"smoke transfer {key}: transfer {started.get('transferUuid')} waits for {started['waitingFor']}")
            last = f"transfer {started.get('transferUuid')} started, no outcome yet (the ingest monitor writes it: see its log group and errors)"
            if not announced:
                print(f"smoke transfer {key}: transfer {started.get('transferUuid')} started ({started.get('transferType')})", flush=True)
                announced = True


def verify_aip(ss, aip_uuid, aip_bucket):
    """The Storage Service's own word: the AIP is UPLOADED (or VERIFIED) in a location on the AIP bucket."""
    status, package = ss.get(f"/api/v2/file/{aip_uuid}/")
    if status != 200 or not isinstance(package, dict):
        raise Stop(FAILED, f"the Storage Service does not know AIP {aip_uuid} (HTTP {status}), though the feedback says it is stored")
    if package.get("package_type") != "AIP" or package.get("status") not in ("UPLOADED", "VERIFIED"):  # locations/models/package.py
        raise Stop(FAILED, f"package {aip_uuid} is a {package.get('package_type')} with status {package.get('status')}, not an uploaded AIP")
    location = ss.expect(uri_path(package.get("current_location"), "location"))
    space = ss.expect(uri_path(location.get("space"), "space"))
    if space.get("access_protocol") != "S3" or space.get("bucket") != aip_bucket:
        on = f"{space.get('access_protocol')} space {space.get('uuid')}" + (f" (bucket {space.get('bucket')})" if space.get("bucket") else "")
        raise Stop(FAILED, f"AIP {aip_uuid} is in location {location.get('uuid')} on {on}, not on s3://{aip_bucket}; run configure_storage.py configure")
    return f"{location['path'].strip('/')}/{package.get('current_path', '').lstrip('/')}"


def main():
    ss = StorageService(
        env_match("SMOKE_SS_URL", r"https?://[^/\s]+/?", "an http(s) base URL"),
        env("SMOKE_USERNAME"),
        env("SMOKE_SS_API_KEY"),
    )
    bucket_pattern, bucket_what = r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", "an S3 bucket name"
    transfer_bucket = env_match("SMOKE_TRANSFER_BUCKET", bucket_pattern, bucket_what)
    aip_bucket = env_match("SMOKE_AIP_BUCKET", bucket_pattern, bucket_what)
    attempts = int(env_match("SMOKE_POLL_ATTEMPTS", r"[1-9][0-9]*", "an integer >= 1"))
    seconds = int(env_match("SMOKE_POLL_SECONDS", r"[0-9]+", "an integer >= 0"))
    config = env_match("SMOKE_PROCESSING_CONFIG", r"[A-Za-z0-9_]{1,16}", "a processing configuration name", "automated")
    name = env_match("SMOKE_TRANSFER_NAME", r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}", "a transfer name", time.strftime("smoke-%Y%m%dT%H%M%SZ", time.gmtime()))

    bucket = Bucket(transfer_bucket)
    key = f"{config}/{name}.zip"
    version = bucket.drop(key, sample_zip(name))
    print(f"dropped s3://{transfer_bucket}/{key} (version {version})", flush=True)
    stored = await_outcome(bucket, Clock(attempts, seconds), key, version)
    aip_uuid = stored.get("aipUuid")
    if not aip_uuid:
        raise Stop(FAILED, f"smoke transfer {key}: the stored feedback names no AIP")
    aip_key = verify_aip(ss, aip_uuid, aip_bucket)
    print(f"smoke transfer {key}: AIP {aip_uuid} stored in s3://{aip_bucket}/{aip_key}", flush=True)


if __name__ == "__main__":
    try:
        main()
    except Stop as stop:
        print(f"smoke_transfer: {stop}", file=sys.stderr, flush=True)
        sys.exit(stop.code)
