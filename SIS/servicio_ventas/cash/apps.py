"""App configuration of the cash app."""
from django.apps import AppConfig


class CashConfig(AppConfig):
    name = "cash"
    default_auto_field = "django.db.models.BigAutoField"
