"""App configuration of the edge app."""
from django.apps import AppConfig


class EdgeConfig(AppConfig):
    name = "edge"
