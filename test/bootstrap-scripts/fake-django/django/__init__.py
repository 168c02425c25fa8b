import os


def setup():
    assert os.environ.get("DJANGO_SETTINGS_MODULE"), "setup() without settings"
