"""App configuration: each service that moves stock or money installs this app in its own database."""
from django.apps import AppConfig


class IdempotencyConfig(AppConfig):
    name = "sis_common.idempotency"
    label = "idempotency"
    default_auto_field = "django.db.models.BigAutoField"
