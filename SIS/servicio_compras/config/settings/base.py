"""Settings common to every environment of servicio_compras."""
from pathlib import Path

from sis_common import conf

conf.load_env_file()
env = conf.env

globals().update(conf.service_settings(
    service="compras", api="purchasing", title="E-WTTO purchasing", base_dir=Path(__file__).resolve().parents[2],
    apps=["suppliers", "reorder", "seed"]))
