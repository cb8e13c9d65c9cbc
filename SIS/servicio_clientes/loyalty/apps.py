"""App configuration of the loyalty app: a customer's points ledger, earned, reversed, spent and released."""
from django.apps import AppConfig


class LoyaltyConfig(AppConfig):
    name = "loyalty"
    default_auto_field = "django.db.models.BigAutoField"
