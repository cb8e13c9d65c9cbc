"""App configuration of the sales app."""
from django.apps import AppConfig


class SalesConfig(AppConfig):
    name = "sales"
    default_auto_field = "django.db.models.BigAutoField"
