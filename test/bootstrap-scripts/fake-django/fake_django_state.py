"""A stand-in for the Django ORM calls rotate_credentials.py makes, backed by a JSON file.

State (FAKE_DJANGO_STATE): {"users": {name: {"password": ...}}, "api_keys": {name: key},
"settings": {name: value}, "pipelines": [{"uuid", "remote_name", "api_username", "api_key", "enabled"?}]} (enabled defaults to true).
Every write is appended to FAKE_DJANGO_LOG as one JSON line, so a test sees exactly what changed.
"""
import json
import os


def load():
    with open(os.environ["FAKE_DJANGO_STATE"]) as f:
        return json.load(f)


def write(state, entry):
    with open(os.environ["FAKE_DJANGO_STATE"], "w") as f:
        json.dump(state, f)
    with open(os.environ["FAKE_DJANGO_LOG"], "a") as f:
        f.write(json.dumps(entry) + "\n")
