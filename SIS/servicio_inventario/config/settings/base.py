"""Settings common to every environment of servicio_inventario."""
from pathlib import Path

from sis_common import conf
from sis_common.jsonlog import logging_config

conf.load_env_file()
env = conf.env

BASE_DIR = Path(__file__).resolve().parents[2]
EWTTO_SERVICE = "inventario"
API_PREFIX = "api/inventory/"

SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [*conf.COMMON_APPS, "sis_common.idempotency", "catalog", "stock", "seed"]
MIDDLEWARE = conf.COMMON_MIDDLEWARE
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
TEMPLATES = conf.TEMPLATES
AUTHENTICATION_BACKENDS = conf.AUTHENTICATION_BACKENDS

DATABASES = conf.databases()
DATABASE_ROUTERS = ["sis_common.db.router.PrimaryReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REST_FRAMEWORK = conf.rest_framework()
SIMPLE_JWT = conf.simple_jwt()
# how long after its expiry a user's token still moves stock when ventas' reconciler retries a sale
# (sis_common.auth.acting): longer than the inventory outages a pending sale should survive
ACTING_TOKEN_GRACE_SECONDS = env.float("EWTTO_ACTING_TOKEN_GRACE_SECONDS", default=86400.0)
SPECTACULAR_SETTINGS = conf.spectacular("E-WTTO inventory")

LANGUAGE_CODE = "es"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = f"/static/{EWTTO_SERVICE}/"
# every project's admin sits behind the same gateway host: cookies must not collide
SESSION_COOKIE_NAME = f"ewtto_admin_{EWTTO_SERVICE}"
SESSION_COOKIE_PATH = f"/admin/{EWTTO_SERVICE}/"
CSRF_COOKIE_NAME = f"ewtto_csrf_{EWTTO_SERVICE}"
CSRF_FAILURE_VIEW = "sis_common.errors.csrf_failure"
STATIC_ROOT = env.path("EWTTO_STATIC_ROOT", default=BASE_DIR / "staticfiles")

# our own hops: X-Forwarded-For is believed only through these (sis_common.forwarded)
EWTTO_TRUSTED_PROXIES = conf.trusted_proxies()
LOGGING = logging_config(EWTTO_SERVICE, env("EWTTO_LOG_LEVEL", default="INFO"))
