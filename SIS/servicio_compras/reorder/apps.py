"""App configuration of the reorder app."""
from django.apps import AppConfig


class ReorderConfig(AppConfig):
    name = "reorder"
    default_auto_field = "django.db.models.BigAutoField"
