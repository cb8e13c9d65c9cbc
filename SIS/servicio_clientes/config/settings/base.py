"""Settings common to every environment of servicio_clientes."""
from pathlib import Path

from sis_common import conf

conf.load_env_file()
env = conf.env

globals().update(conf.service_settings(
    service="clientes", api="customers", title="E-WTTO customers", base_dir=Path(__file__).resolve().parents[2],
    apps=["sis_common.idempotency", "customers", "loyalty", "seed"]))

# Loyalty points (docs/customers.md, loyalty/rules.py): one point per EARN_PER of currency paid other than with
# points (whole points, rounded down); one point pays POINT_VALUE
LOYALTY_EARN_PER = env.str("EWTTO_LOYALTY_EARN_PER", default="10.00")
LOYALTY_POINT_VALUE = env.str("EWTTO_LOYALTY_POINT_VALUE", default="0.10")
