"""App configuration of the sales app."""
from django.apps import AppConfig


class SalesConfig(AppConfig):
    name = "sales"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from sis_common.metrics import count_where, register_gauge

        register_gauge("ewtto_sagas_pending", "Sales and returns whose stock move is not settled yet (saga pending).",
                       count_where({"sale": "sales.Sale", "return": "sales.SaleReturn"}, status="pending"),
                       labels=("kind",))
