"""Gunicorn settings of gateway (the shared defaults, tuned by environment, on gevent workers)."""
from sis_common.gunicorn_conf import *  # noqa: F401,F403

# The gateway only waits on the services: a greenlet per request costs less CPU than a thread hand-off
# and keeps nginx's connections alive (figures in docs/performance.md, item 15).
worker_class = "gevent"
worker_connections = 256
