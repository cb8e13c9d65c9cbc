"""Settings common to every environment of servicio_inventario."""
from pathlib import Path

from sis_common import conf

conf.load_env_file()
env = conf.env

globals().update(conf.service_settings(
    service="inventario", api="inventory", title="E-WTTO inventory", base_dir=Path(__file__).resolve().parents[2],
    apps=["sis_common.idempotency", "catalog", "stock", "counts", "seed"]))

# how long after its expiry a user's token still moves stock when ventas' reconciler retries a sale
# (sis_common.auth.acting): longer than the inventory outages a pending sale should survive
ACTING_TOKEN_GRACE_SECONDS = env.float("EWTTO_ACTING_TOKEN_GRACE_SECONDS", default=86400.0)
