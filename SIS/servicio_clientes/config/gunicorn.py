"""Gunicorn settings of servicio_clientes (the shared defaults, tuned by environment)."""
from sis_common.gunicorn_conf import *  # noqa: F401,F403
