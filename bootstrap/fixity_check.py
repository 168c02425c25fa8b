"""Scheduled fixity checks: every AIP the Storage Service stores is checked once per window, a share
each run, and every run leaves evidence. A one-off task on the Storage Service image (boto3 is there).

Each run:
1. lists every AIP the Storage Service holds, `GET /api/v2/file/?package_type=AIP&status__in=<HELD>&limit=1000`,
   following `meta.next` (tastypie pages hold at most 1,000 objects). HELD is every status of a package that is
   in its storage location (archivematica-storage-service 0.24 locations/models/package.py,
   `Package.STATUS_CHOICES`): UPLOADED ("In final storage location"), VERIFIED ("Verified to be in final
   storage location"), DEL_REQ ("Delete requested": still stored until an administrator approves;
   a rejected request puts the old status back, locations/views.py `_handle_package_request`,
   "Request rejected, package still stored."), RECOVER_REQ ("Recover requested": stored, its files are
   replaced only once the request is approved) and MOVING (api/resources.py `move_request`: UPLOADED
   becomes MOVING while `Package.move` copies it to another location, then UPLOADED again). Not held:
   PENDING and STAGING (not stored yet), FAIL ("may or may not be at final location"), DELETED, and
   FINALIZE (SWORD deposits). The list filter is tastypie's `__in` on `status` (PackageResource
   `filtering = {"status": ALL}`; tastypie `filter_value_to_python` splits the value on commas). A MOVING
   AIP counts as stored and overdue like any other but is not checked while it moves (the check would
   fetch it from the location it is leaving); it is named in the report's `deferred`;
2. reads its own record of when each AIP was last checked, `reports/fixity/state.json` in the AIP
   bucket. The Storage Service records every check (FixityLog, via the signals that
   `get_fixity_check_report_send_signals` sends) but exposes neither the log nor a package's latest
   check through its API, so the schedule keeps its own record beside its reports;
3. checks, one at a time, the AIPs least recently checked first (never checked first, oldest stored
   first): `ceil(AIPs x FIXITY_RUN_INTERVAL_HOURS / (FIXITY_WINDOW_DAYS x 24))` of them, so that every
   AIP is checked once per window, and beyond that share any AIP whose last check is older than the
   window (overdue), until the run's time budget (FIXITY_MAX_RUN_MINUTES) is spent. One check at a
   time keeps the Storage Service's other workers free for ingest;
4. writes a JSON report `reports/fixity/<run start, UTC>.json` (AIP, time, result, the Storage
   Service's message and failures), saves the state, and publishes CloudWatch metrics in namespace
   `Archivematica/Fixity`, dimension `Environment`: AipsChecked, FixityFailures (checks that found
   missing, changed or untracked files, or a wrong package checksum), FixityErrors (checks that could
   not run or were not answered), AipsOverdue (after the run) and AipsFailing (AIPs whose latest check
   failed: it stays up until they are repaired and pass a check, so its alarm stays on).

The check (archivematica-storage-service 0.24 locations/api/resources.py `check_fixity_request`):
`GET /api/v2/file/<uuid>/check_fixity/` answers 200 with `{"success": true|false|null, "message",
"failures": {"files": {"missing", "changed", "untracked"}}, "timestamp"}` (null = could not run, e.g.
not a bag). It runs synchronously in the Storage Service: an AIP in S3 is fetched to its staging
directory first, hence the long per-check timeout (FIXITY_CHECK_TIMEOUT_SECONDS).

Exit codes: 0 every check that ran passed; 1 at least one AIP failed its check, or a check could not
run or was not answered (the report names them); 2 bad configuration; 4 the Storage Service refused
the key or could not be reached to list the AIPs, or S3 refused the state or report.
"""

import datetime
import json
import math
import os
import re
import sys
import time
import urllib.error
import urllib.request

OK, FAILED, BAD_CONFIG, API_ERROR = 0, 1, 2, 4
NAMESPACE = "Archivematica/Fixity"
STATE_KEY = "reports/fixity/state.json"
REPORT_PREFIX = "reports/fixity/"
SAVE_EVERY = 20
HELD_STATUSES = ("UPLOADED", "VERIFIED", "DEL_REQ", "RECOVER_REQ", "MOVING")  # see step 1 above
MOVING = "MOVING"


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


def env_int(name, minimum, maximum, default):
    value = int(env_match(name, r"[0-9]+", "a whole number", default))
    if not minimum <= value <= maximum:
        raise Stop(BAD_CONFIG, f"{name}: {value} is not between {minimum} and {maximum}")
    return value


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text):
    """An ISO time from our state or the Storage Service (`stored_date`), as an aware UTC datetime, or None."""
    if not text:
        return None
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)


class StorageService:
    def __init__(self, base, username, key):
        self.base = base.rstrip("/")
        self.auth = f"ApiKey {username}:{key}"

    def get(self, path, timeout):
        request = urllib.request.Request(self.base + path, headers={"Authorization": self.auth, "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as err:
            status, raw = err.code, err.read()
        try:
            return status, json.loads(raw.decode("utf-8")) if raw else None
        except ValueError:
            return status, raw.decode("utf-8", "replace")

    def stored_aips(self):
        aips, path = [], f"/api/v2/file/?package_type=AIP&status__in={','.join(HELD_STATUSES)}&limit=1000"
        while path:
            try:
                status, body = self.get(path, 120)
            except (urllib.error.URLError, OSError) as err:
                raise Stop(API_ERROR, f"GET {path}: Storage Service unreachable: {err}")
            if status in (401, 403):
                raise Stop(API_ERROR, f"GET {path}: HTTP {status}, the Storage Service refused the API key")
            if status != 200 or not isinstance(body, dict) or not isinstance(body.get("objects"), list):
                raise Stop(API_ERROR, f"GET {path} answered HTTP {status} without an objects list")
            aips.extend(body["objects"])
            path = (body.get("meta") or {}).get("next")
        return aips

    def check(self, uuid, timeout):
        """(result, message, failures): result is passed, failed, not-run or error."""
        path = f"/api/v2/file/{uuid}/check_fixity/"
        try:
            status, body = self.get(path, timeout)
        except (urllib.error.URLError, OSError) as err:
            return "error", f"GET {path}: no answer: {err}", None
        if status != 200 or not isinstance(body, dict) or "success" not in body:
            detail = body if isinstance(body, str) else json.dumps(body)
            return "error", f"GET {path} answered HTTP {status}: {str(detail)[:300]}", None
        result = {True: "passed", False: "failed", None: "not-run"}.get(body["success"], "error")
        return result, str(body.get("message") or ""), body.get("failures")


def plan(aips, state, now, window, interval_hours):
    """The AIPs to check this run, least recently checked first, and how many of them the share is."""

    def last(aip):
        return parse_time((state.get(aip["uuid"]) or {}).get("checked"))

    def order(aip):
        checked = last(aip)
        stored = parse_time(aip.get("stored_date")) or now
        return (checked is not None, checked or stored, stored, aip["uuid"])

    share = math.ceil(len(aips) * interval_hours / (window.days * 24)) if aips else 0
    return sorted(aips, key=order), share


def overdue(aip, state, now, window):
    checked = parse_time((state.get(aip["uuid"]) or {}).get("checked"))
    if checked is not None:
        return now - checked > window
    stored = parse_time(aip.get("stored_date"))
    return stored is None or now - stored > window


class Bucket:
    def __init__(self, name):
        try:
            import boto3  # the Storage Service image ships it
        except ImportError:
            raise Stop(BAD_CONFIG, "boto3: not importable here; run this task on the Storage Service image, which ships it")
        self.name = name
        self.s3 = boto3.client("s3")
        self.cloudwatch = boto3.client("cloudwatch")

    def load_state(self):
        try:
            body = self.s3.get_object(Bucket=self.name, Key=STATE_KEY)["Body"].read()
        except self.s3.exceptions.NoSuchKey:
            return {}
        except Exception as err:
            raise Stop(API_ERROR, f"S3 GetObject s3://{self.name}/{STATE_KEY} failed: {err}")
        try:
            return json.loads(body.decode("utf-8")).get("aips", {})
        except (ValueError, AttributeError):
            print(f"fixity: s3://{self.name}/{STATE_KEY} is not the state this task writes; starting afresh", flush=True)
            return {}

    def put_json(self, key, document):
        try:
            self.s3.put_object(Bucket=self.name, Key=key, Body=(json.dumps(document, indent=2, sort_keys=True) + "\n").encode("utf-8"), ContentType="application/json")
        except Exception as err:
            raise Stop(API_ERROR, f"S3 PutObject s3://{self.name}/{key} failed: {err}")

    def publish(self, environment, counts, at):
        data = [
            {"MetricName": name, "Value": value, "Unit": "Count", "Timestamp": at, "Dimensions": [{"Name": "Environment", "Value": environment}]}
            for name, value in counts.items()
        ]
        try:
            self.cloudwatch.put_metric_data(Namespace=NAMESPACE, MetricData=data)
        except Exception as err:
            print(f"fixity: metrics not published: {err}", file=sys.stderr, flush=True)


def main():
    ss = StorageService(
        env_match("FIXITY_SS_URL", r"https?://[^/\s]+/?", "an http(s) base URL"),
        env("FIXITY_USERNAME"),
        env("FIXITY_SS_API_KEY"),
    )
    bucket_name = env_match("FIXITY_AIP_BUCKET", r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", "an S3 bucket name")
    environment = env_match("FIXITY_ENVIRONMENT", r"[a-z][a-z0-9-]{1,19}", "an environment name")
    window = datetime.timedelta(days=env_int("FIXITY_WINDOW_DAYS", 1, 3650, "90"))
    interval_hours = env_int("FIXITY_RUN_INTERVAL_HOURS", 1, 8760, "24")
    budget = env_int("FIXITY_MAX_RUN_MINUTES", 1, 10080, "360") * 60
    check_timeout = env_int("FIXITY_CHECK_TIMEOUT_SECONDS", 10, 86400, "3600")
    bucket = Bucket(bucket_name)

    started = datetime.datetime.now(datetime.timezone.utc)
    clock = time.monotonic()
    state = bucket.load_state()
    aips = ss.stored_aips()
    ordered, share = plan(aips, state, started, window, interval_hours)
    print(f"fixity: {len(aips)} stored AIPs, {share} to check this run (window {window.days} days, a run every {interval_hours} h)", flush=True)

    results, deferred = [], []
    for aip in ordered:
        if time.monotonic() - clock > budget:
            print(f"fixity: time budget of {budget // 60} min spent; the rest waits for the next run", flush=True)
            break
        if len(results) >= share and not overdue(aip, state, started, window):
            break
        if aip.get("status") == MOVING:
            deferred.append({"aip": aip["uuid"], "status": MOVING})
            print(f"fixity: AIP {aip['uuid']}: moving between locations; checked by a later run", flush=True)
            continue
        at = datetime.datetime.now(datetime.timezone.utc)
        result, message, failures = ss.check(aip["uuid"], check_timeout)
        entry = {"aip": aip["uuid"], "time": iso(at), "result": result, "message": message}
        if failures and result == "failed":
            entry["failures"] = failures
        results.append(entry)
        print(f"fixity: AIP {aip['uuid']}: {result}{': ' + message if message else ''}", flush=True)
        if result != "error":
            state[aip["uuid"]] = {"checked": iso(at), "result": result}
        if len(results) % SAVE_EVERY == 0:
            bucket.put_json(STATE_KEY, {"version": 1, "aips": state})

    finished = datetime.datetime.now(datetime.timezone.utc)
    known = {aip["uuid"] for aip in aips}
    state = {uuid: entry for uuid, entry in state.items() if uuid in known}  # deleted AIPs drop out
    tally = {r: sum(1 for e in results if e["result"] == r) for r in ("passed", "failed", "not-run", "error")}
    late = sum(1 for aip in aips if overdue(aip, state, finished, window))
    failing = sum(1 for entry in state.values() if entry.get("result") == "failed")
    report = {
        "started": iso(started),
        "finished": iso(finished),
        "windowDays": window.days,
        "storedAips": len(aips),
        "share": share,
        "checked": len(results),
        "passed": tally["passed"],
        "failed": tally["failed"],
        "notRun": tally["not-run"],
        "errors": tally["error"],
        "overdueAfterRun": late,
        "failingAfterRun": failing,
        "results": results,
        "deferred": deferred,
    }
    report_key = f"{REPORT_PREFIX}{started.strftime('%Y-%m-%dT%H%M%SZ')}.json"
    bucket.put_json(STATE_KEY, {"version": 1, "aips": state})
    bucket.put_json(report_key, report)
    bucket.publish(
        environment,
        {"AipsChecked": len(results), "FixityFailures": tally["failed"], "FixityErrors": tally["not-run"] + tally["error"], "AipsOverdue": late, "AipsFailing": failing},
        finished,
    )
    moving = f"; {len(deferred)} moving, left for a later run" if deferred else ""
    summary = f"{len(results)} checked: {tally['passed']} passed, {tally['failed']} failed, {tally['not-run']} not run, {tally['error']} unanswered; {late} overdue{moving}; report s3://{bucket_name}/{report_key}"
    if tally["failed"] or tally["not-run"] or tally["error"]:
        raise Stop(FAILED, summary)
    print(f"fixity: {summary}", flush=True)


if __name__ == "__main__":
    try:
        main()
    except Stop as stop:
        print(f"fixity_check: {stop}", file=sys.stderr, flush=True)
        sys.exit(stop.code)
