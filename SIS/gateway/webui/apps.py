"""App configuration of the web UI."""
from django.apps import AppConfig


class WebUIConfig(AppConfig):
    name = "webui"
