"""Gunicorn settings shared by every project; each project's config/gunicorn.py imports these."""
import os

from sis_common.conf import load_env_file

load_env_file()  # the stack's env file names the bind address and worker counts
# /metrics sums every worker: multi-process mode, set before prometheus_client is imported
from sis_common.metrics.gunicorn import child_exit, on_starting  # noqa: E402,F401

bind = os.environ.get("EWTTO_GUNICORN_BIND", "127.0.0.1:9000")
workers = int(os.environ.get("EWTTO_GUNICORN_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("EWTTO_GUNICORN_THREADS", "4"))
# a worker that stops answering is replaced; long enough for a semi-sync commit wait
timeout = int(os.environ.get("EWTTO_GUNICORN_TIMEOUT", "30"))
graceful_timeout = 10
keepalive = 30
max_requests = 20000
max_requests_jitter = 2000
accesslog = None
errorlog = "-"
loglevel = "warning"
forwarded_allow_ips = "127.0.0.1"
# gunicorn's most: a request line nginx (8 KiB) let through is not refused here with an HTML 414
limit_request_line = 8190
proc_name = os.environ.get("EWTTO_SERVICE", "ewtto")
