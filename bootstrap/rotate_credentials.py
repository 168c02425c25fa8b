"""Credential rotation that reaches both apps: the admin password and API keys from the secrets.

Why: the dashboard's `install` (installer/steps.py, archivematica 1.18 commit 4f8e551f) creates the
admin only when missing (an existing admin keeps its old password), updates its API key, and returns
early when the pipeline is already registered, so the Storage Service keeps calling the dashboard with
the old key; `install` also sets the API allowlist to its --allowlist (empty = everyone) on every run.
The Storage Service API cannot change a pipeline: PipelineResource allows GET and POST on the list
and only GET on a detail (locations/api/resources.py, archivematica-storage-service d1f03a02), and it
never returns api_key. So the two writes are Django steps inside each app's own container:

  dashboard        after `install`, in the dashboard image with its settings: sets the admin's
                   password (Django hashing) and tastypie ApiKey; sets the API allowlist only when
                   BOOTSTRAP_API_ALLOWLIST is present, so a deploy can keep the allowlist it wants.
  storage-service  after `create_user`, in the Storage Service image with its settings: sets
                   api_username/api_key of the pipeline(s) whose remote_name is the dashboard's site
                   URL; none yet means `install` will register it with the current key. A disabled
                   pipeline (`enabled` false, models/pipeline.py; the API lists only enabled ones
                   through `Pipeline.active`) is a retired one and is skipped.
  verify           over HTTP (stdlib only): the dashboard accepts the admin's dashboard key, the
                   Storage Service accepts the admin's key and lists the pipeline (following the
                   list's `meta.next`: tastypie pages hold at most 1,000 objects). Bounded retries,
                   since old tasks may answer until a rolling deploy ends.

Exit codes: 0 done (or nothing to do); 1 a state this step cannot fix (no admin user yet);
2 bad configuration; 3 verify did not pass within attempts x interval (the reason says which key
was refused or that no pipeline is registered); 4 an app could not be reached.
"""

import json
import os
import re
import sys
import time
import urllib.error
import urllib.request

OK, REFUSED_STATE, BAD_CONFIG, TIMED_OUT, API_ERROR = 0, 1, 2, 3, 4


class Stop(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def env(name):
    value = os.environ.get(name)
    if not value:
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


def django_setup():
    if not os.environ.get("DJANGO_SETTINGS_MODULE"):
        raise Stop(BAD_CONFIG, "DJANGO_SETTINGS_MODULE: missing; run this step with the app container's environment")
    import django

    django.setup()


def rotate_dashboard():
    username, password, key = env("BOOTSTRAP_ADMIN_USERNAME"), env("BOOTSTRAP_ADMIN_PASSWORD"), env("BOOTSTRAP_DASHBOARD_API_KEY")
    allowlist = os.environ.get("BOOTSTRAP_API_ALLOWLIST")
    django_setup()
    from django.contrib.auth import get_user_model
    from tastypie.models import ApiKey

    user = get_user_model()._default_manager.filter(username=username).first()
    if user is None:
        raise Stop(REFUSED_STATE, f"dashboard user {username} does not exist; run install first")
    changes = []
    if not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
        changes.append("password")
    if not ApiKey.objects.filter(user=user, key=key).exists():
        ApiKey.objects.update_or_create(user=user, defaults={"key": key})
        changes.append("API key")
    if allowlist is not None:
        try:  # 1.18 package layout, then 1.17's
            from archivematica.dashboard.components import helpers
        except ImportError:
            from components import helpers
        if helpers.get_api_allowlist() != allowlist:
            helpers.set_api_allowlist(allowlist)
            changes.append("API allowlist")
    print(f"dashboard admin {username}: {', '.join(changes) + ' updated' if changes else 'unchanged'}", flush=True)


def rotate_storage_service():
    site_url, username, key = env_url("BOOTSTRAP_SITE_URL"), env("BOOTSTRAP_ADMIN_USERNAME"), env("BOOTSTRAP_DASHBOARD_API_KEY")
    django_setup()
    from django.apps import apps

    pipeline_model = apps.get_model("locations", "Pipeline")
    pipelines = list(pipeline_model.objects.filter(remote_name__in=[site_url, site_url + "/"]))
    if not pipelines:
        print(f"no pipeline registered for {site_url} yet: install registers it with the current key", flush=True)
        return
    for pipeline in pipelines:
        # A disabled pipeline (models/pipeline.py `enabled`; the API's Pipeline.active hides it) is a
        # retired one: its old credentials stay as they are.
        if not pipeline.enabled:
            print(f"pipeline {pipeline.uuid}: disabled, skipped", flush=True)
            continue
        if pipeline.api_username == username and pipeline.api_key == key:
            print(f"pipeline {pipeline.uuid}: API credentials unchanged", flush=True)
            continue
        pipeline.api_username, pipeline.api_key = username, key
        pipeline.save(update_fields=["api_username", "api_key"])
        print(f"pipeline {pipeline.uuid}: API credentials updated", flush=True)


def get(base, path, username, key):
    request = urllib.request.Request(base + path, headers={"Authorization": f"ApiKey {username}:{key}", "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read().decode("utf-8") or "null")
    except urllib.error.HTTPError as err:
        return err.code, None
    except (urllib.error.URLError, OSError, ValueError) as err:
        raise Stop(API_ERROR, f"GET {base}{path}: {err}")


def list_all(base, path, username, key):
    """Every object of a tastypie list: pages of at most 1,000, `meta.next` followed until null."""
    objects = []
    while path:
        status, body = get(base, path, username, key)
        if status != 200 or not isinstance(body, dict) or not isinstance(body.get("objects"), list):
            raise Stop(API_ERROR, f"the Storage Service answered HTTP {status} to {username}'s Storage Service API key")
        objects.extend(body["objects"])
        path = (body.get("meta") or {}).get("next")
    return objects


def verify():
    dashboard, ss, site_url = env_url("BOOTSTRAP_DASHBOARD_URL"), env_url("BOOTSTRAP_SS_URL"), env_url("BOOTSTRAP_SITE_URL")
    username, dashboard_key, ss_key = env("BOOTSTRAP_ADMIN_USERNAME"), env("BOOTSTRAP_DASHBOARD_API_KEY"), env("BOOTSTRAP_SS_API_KEY")
    attempts, seconds = env_int("BOOTSTRAP_WAIT_ATTEMPTS", 1), env_int("BOOTSTRAP_WAIT_SECONDS", 0)
    reason = ""
    for attempt in range(1, attempts + 1):
        try:
            # An authenticated, read-only dashboard endpoint (components/api/urls.py).
            status, _ = get(dashboard, "/api/processing-configuration/", username, dashboard_key)
            if status != 200:
                raise Stop(API_ERROR, f"the dashboard answered HTTP {status} to {username}'s dashboard API key")
            pipelines = list_all(ss, "/api/v2/pipeline/?limit=0", username, ss_key)
            ours = [p["uuid"] for p in pipelines if (p.get("remote_name") or "").rstrip("/") == site_url]
            if not ours:
                raise Stop(REFUSED_STATE, f"no pipeline registered for {site_url} in the Storage Service")
            print(f"credentials verified: dashboard and Storage Service accept {username}'s keys; pipeline {', '.join(ours)}", flush=True)
            return
        except Stop as err:
            reason = str(err)
        print(f"verify ({attempt}/{attempts}): {reason}", flush=True)
        if attempt < attempts:
            time.sleep(seconds)
    raise Stop(TIMED_OUT, f"not verified after {attempts} attempts of {seconds} s; last: {reason}")


MODES = {"dashboard": rotate_dashboard, "storage-service": rotate_storage_service, "verify": verify}

if __name__ == "__main__":
    try:
        mode = sys.argv[1] if len(sys.argv) > 1 else ""
        if mode not in MODES:
            raise Stop(BAD_CONFIG, f"mode: {mode!r} is not known; valid: {', '.join(MODES)}")
        MODES[mode]()
    except Stop as stop:
        print(f"rotate_credentials: {stop}", file=sys.stderr, flush=True)
        sys.exit(stop.code)
