import fake_django_state as fake


class _Exists:
    def __init__(self, value):
        self.value = value

    def exists(self):
        return self.value


class _Manager:
    def filter(self, user, key):
        return _Exists(fake.load()["api_keys"].get(user.username) == key)

    def update_or_create(self, user, defaults):
        state = fake.load()
        state["api_keys"][user.username] = defaults["key"]
        fake.write(state, {"api_key": user.username, "key": defaults["key"]})


class ApiKey:
    objects = _Manager()
