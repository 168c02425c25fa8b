import fake_django_state as fake


class _Pipeline:
    def __init__(self, row):
        self.uuid, self.remote_name = row["uuid"], row["remote_name"]
        self.api_username, self.api_key = row["api_username"], row["api_key"]
        self.enabled = row.get("enabled", True)

    def save(self, update_fields=None):
        state = fake.load()
        for row in state["pipelines"]:
            if row["uuid"] == self.uuid:
                row["api_username"], row["api_key"] = self.api_username, self.api_key
        fake.write(state, {"save_pipeline": self.uuid, "update_fields": update_fields})


class _Manager:
    def filter(self, remote_name__in):
        return [_Pipeline(r) for r in fake.load()["pipelines"] if r["remote_name"] in remote_name__in]


class _PipelineModel:
    objects = _Manager()


class _Apps:
    def get_model(self, app_label, model_name):
        assert (app_label, model_name) == ("locations", "Pipeline"), (app_label, model_name)
        return _PipelineModel


apps = _Apps()
