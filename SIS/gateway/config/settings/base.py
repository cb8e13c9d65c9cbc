"""Settings common to every environment of the gateway (stateless: no database)."""
from pathlib import Path

from sis_common import conf
from sis_common.jsonlog import logging_config

conf.load_env_file()
env = conf.env

BASE_DIR = Path(__file__).resolve().parents[2]
EWTTO_SERVICE = "gateway"

SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = ["django.contrib.staticfiles", "drf_spectacular_sidecar", "edge", "webui"]
MIDDLEWARE = [
    "sis_common.metrics.middleware.MetricsMiddleware",  # first: times every request, answers /metrics (loopback only)
    "sis_common.request_id.RequestIDMiddleware",
    "sis_common.errors.JsonMethodNotAllowedMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
# no auth or messages context processors: the gateway has neither app (it is stateless)
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [], "APP_DIRS": True,
              "OPTIONS": {"context_processors": []}}]
DATABASES = {}
APPEND_SLASH = False

# service slug -> base URL of its nginx sidecar (health and docs; nginx carries the API requests)
EWTTO_UPSTREAMS = env.dict("EWTTO_UPSTREAMS", default={})
# public API prefix -> service slug (deploy/stack.toml)
EWTTO_EDGE_APIS = env.dict("EWTTO_EDGE_APIS", default={})
EWTTO_UPSTREAM_CONNECT_TIMEOUT = env.float("EWTTO_UPSTREAM_CONNECT_TIMEOUT", default=0.5)
EWTTO_UPSTREAM_READ_TIMEOUT = env.float("EWTTO_UPSTREAM_READ_TIMEOUT", default=15.0)
# how long nginx may reuse the edge's decision on a token: the longest a token refused here (its key
# no longer trusted) still passes; a valid token's decision never outlives the token (edge.decisions)
EWTTO_EDGE_DECISION_SECONDS = env.int("EWTTO_EDGE_DECISION_SECONDS", default=5)
SIMPLE_JWT = conf.simple_jwt()

# ISO 4217 code the web UI shows money in ("" shows plain amounts with two decimals)
EWTTO_UI_CURRENCY = env("EWTTO_UI_CURRENCY", default="")

LANGUAGE_CODE = "es"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/gateway/"
STATIC_ROOT = env.path("EWTTO_STATIC_ROOT", default=BASE_DIR / "staticfiles")

# our own hops: X-Forwarded-For is believed only through these (sis_common.forwarded)
EWTTO_TRUSTED_PROXIES = conf.trusted_proxies()
LOGGING = logging_config(EWTTO_SERVICE, env("EWTTO_LOG_LEVEL", default="INFO"))
