"""Settings common to every environment of servicio_inventario."""
from pathlib import Path

from sis_common import conf

conf.load_env_file()
env = conf.env

globals().update(conf.service_settings(
    service="inventario", api="inventory", title="E-WTTO inventory", base_dir=Path(__file__).resolve().parents[2],
    apps=["sis_common.idempotency", "catalog", "stock", "seed"]))
