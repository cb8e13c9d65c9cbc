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
    "edge.authentication.EdgeAuthenticationMiddleware",
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

# service slug -> base URL of its nginx sidecar
EWTTO_UPSTREAMS = env.dict("EWTTO_UPSTREAMS", default={})
EWTTO_UPSTREAM_CONNECT_TIMEOUT = env.float("EWTTO_UPSTREAM_CONNECT_TIMEOUT", default=0.5)
EWTTO_UPSTREAM_READ_TIMEOUT = env.float("EWTTO_UPSTREAM_READ_TIMEOUT", default=15.0)
EWTTO_MAX_BODY_BYTES = env.int("EWTTO_MAX_BODY_BYTES", default=1_048_576)
# circuit breaker per service: open after this many consecutive connection failures, probe after the cool-down
EWTTO_BREAKER_THRESHOLD = env.int("EWTTO_BREAKER_THRESHOLD", default=3)
EWTTO_BREAKER_COOLDOWN = env.float("EWTTO_BREAKER_COOLDOWN", default=2.0)
DATA_UPLOAD_MAX_MEMORY_SIZE = EWTTO_MAX_BODY_BYTES
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
