"""Settings common to every environment of servicio_ventas."""
from pathlib import Path

from sis_common import conf

conf.load_env_file()
env = conf.env

globals().update(conf.service_settings(
    service="ventas", api="sales", title="E-WTTO sales", base_dir=Path(__file__).resolve().parents[2],
    apps=["sis_common.idempotency", "cash", "sales", "reports", "seed"],
    ENUM_NAME_OVERRIDES={"SagaStatusEnum": "sales.models.SagaStatus",
                         "CashSessionStatusEnum": "cash.models.CashSession.Status",
                         "PaymentMethodEnum": "sales.models.PaymentMethod"}))

# Sales (see docs/sales.md): the calendar of the daily reports, saga timings. Taxes, discount limits and
# return days are the company's settings (servicio_sucursales, sis_common.sucursales_client.company_get).
SALES_TIME_ZONE = env("EWTTO_SALES_TIME_ZONE", default="UTC")
# read timeouts of the calls to inventory; the gateway waits 15 s for the whole sale
SALES_PRICE_TIMEOUT = env.float("EWTTO_SALES_PRICE_TIMEOUT", default=3.0)
SALES_STOCK_MOVE_TIMEOUT = env.float("EWTTO_SALES_STOCK_MOVE_TIMEOUT", default=5.0)
# a sale's own request drives its saga first; the reconciler takes over after this
SALES_RECONCILE_AFTER_SECONDS = env.float("EWTTO_SALES_RECONCILE_AFTER_SECONDS", default=2.0)
SALES_RECONCILE_MAX_BACKOFF_SECONDS = env.float("EWTTO_SALES_RECONCILE_MAX_BACKOFF_SECONDS", default=10.0)
