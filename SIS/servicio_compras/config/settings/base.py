"""Settings common to every environment of servicio_compras."""
from pathlib import Path

from sis_common import conf

conf.load_env_file()
env = conf.env

globals().update(conf.service_settings(
    service="compras", api="purchasing", title="E-WTTO purchasing", base_dir=Path(__file__).resolve().parents[2],
    apps=["sis_common.idempotency", "suppliers", "orders", "reorder", "reports", "seed"]))

# receipts (orders app): how much more than ordered a line may receive in all, in percent of its quantity
# (0: never more than ordered; 10: up to 110 %)
PURCHASING_OVER_RECEIPT_PERCENT = env.float("EWTTO_PURCHASING_OVER_RECEIPT_PERCENT", default=0.0)
PURCHASING_STOCK_MOVE_TIMEOUT = env.float("EWTTO_PURCHASING_STOCK_MOVE_TIMEOUT", default=5.0)
# a fresh receipt is left to its own request this long before the reconciler tries it
PURCHASING_RECONCILE_AFTER_SECONDS = env.float("EWTTO_PURCHASING_RECONCILE_AFTER_SECONDS", default=2.0)
PURCHASING_RECONCILE_MAX_BACKOFF_SECONDS = env.float("EWTTO_PURCHASING_RECONCILE_MAX_BACKOFF_SECONDS", default=10.0)
