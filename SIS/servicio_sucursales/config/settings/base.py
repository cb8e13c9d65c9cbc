"""Settings common to every environment of servicio_sucursales."""
from pathlib import Path

from sis_common import conf

conf.load_env_file()
env = conf.env

globals().update(conf.service_settings(
    service="sucursales", api="branches", title="E-WTTO branches", base_dir=Path(__file__).resolve().parents[2],
    apps=["branches", "company", "seed"]))

# what the company settings answer for return_days until an admin sets them
EWTTO_RETURN_DAYS = env.int("EWTTO_RETURN_DAYS", default=30)
