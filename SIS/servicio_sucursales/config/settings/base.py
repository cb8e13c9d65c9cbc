"""Settings common to every environment of servicio_sucursales."""
from pathlib import Path

from sis_common import conf

conf.load_env_file()
env = conf.env

globals().update(conf.service_settings(
    service="sucursales", api="branches", title="E-WTTO branches", base_dir=Path(__file__).resolve().parents[2],
    apps=["branches", "seed"]))
