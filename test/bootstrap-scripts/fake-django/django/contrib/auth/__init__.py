import fake_django_state as fake


class _User:
    def __init__(self, username, password):
        self.username, self._password = username, password

    def check_password(self, raw):
        return self._password == "hashed:" + raw

    def set_password(self, raw):
        self._password = "hashed:" + raw

    def save(self, update_fields=None):
        state = fake.load()
        state["users"][self.username]["password"] = self._password
        fake.write(state, {"save_user": self.username, "update_fields": update_fields})


class _Query:
    def __init__(self, users):
        self.users = users

    def first(self):
        return self.users[0] if self.users else None


class _Manager:
    def filter(self, username):
        user = fake.load()["users"].get(username)
        return _Query([_User(username, user["password"])] if user else [])


class _UserModel:
    _default_manager = _Manager()


def get_user_model():
    return _UserModel
