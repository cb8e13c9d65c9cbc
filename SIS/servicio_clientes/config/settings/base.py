"""Settings common to every environment of servicio_clientes."""
from pathlib import Path

from sis_common import conf

conf.load_env_file()
env = conf.env

globals().update(conf.service_settings(
    service="clientes", api="customers", title="E-WTTO customers", base_dir=Path(__file__).resolve().parents[2],
    apps=["sis_common.idempotency", "customers", "seed"]))
