import fake_django_state as fake


def get_api_allowlist():
    return fake.load()["settings"].get("api_whitelist", "")


def set_api_allowlist(allowlist):
    state = fake.load()
    state["settings"]["api_whitelist"] = allowlist or ""
    fake.write(state, {"setting": "api_whitelist", "value": allowlist or ""})
