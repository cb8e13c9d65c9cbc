"""App configuration of the stock counts app."""
from django.apps import AppConfig


class CountsConfig(AppConfig):
    name = "counts"
    default_auto_field = "django.db.models.BigAutoField"
