"""Settings common to every environment of servicio_ventas."""
from decimal import Decimal
from pathlib import Path

from sis_common import conf
from sis_common.jsonlog import logging_config

conf.load_env_file()
env = conf.env

BASE_DIR = Path(__file__).resolve().parents[2]
EWTTO_SERVICE = "ventas"
API_PREFIX = "api/sales/"

SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [*conf.COMMON_APPS, "sis_common.idempotency", "cash", "sales", "reports", "seed"]
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
SPECTACULAR_SETTINGS = conf.spectacular("E-WTTO sales", ENUM_NAME_OVERRIDES={
    "SagaStatusEnum": "sales.models.SagaStatus", "CashSessionStatusEnum": "cash.models.CashSession.Status",
    "PaymentMethodEnum": "sales.models.PaymentMethod"})

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

# a return of a sale completed longer ago than this needs a manager (sales.refunds)
EWTTO_RETURN_DAYS = env.int("EWTTO_RETURN_DAYS", default=30)

# our own hops: X-Forwarded-For is believed only through these (sis_common.forwarded)
EWTTO_TRUSTED_PROXIES = conf.trusted_proxies()
LOGGING = logging_config(EWTTO_SERVICE, env("EWTTO_LOG_LEVEL", default="INFO"))

# Sales (see docs/sales.md): tax on the subtotal, the calendar of the daily reports, saga timings.
SALES_TAX_RATE = Decimal(env("EWTTO_SALES_TAX_RATE", default="0.18"))
SALES_TIME_ZONE = env("EWTTO_SALES_TIME_ZONE", default="UTC")
# read timeouts of the calls to inventory; the gateway waits 15 s for the whole sale
SALES_PRICE_TIMEOUT = env.float("EWTTO_SALES_PRICE_TIMEOUT", default=3.0)
SALES_STOCK_MOVE_TIMEOUT = env.float("EWTTO_SALES_STOCK_MOVE_TIMEOUT", default=5.0)
# a sale's own request drives its saga first; the reconciler takes over after this
SALES_RECONCILE_AFTER_SECONDS = env.float("EWTTO_SALES_RECONCILE_AFTER_SECONDS", default=2.0)
SALES_RECONCILE_MAX_BACKOFF_SECONDS = env.float("EWTTO_SALES_RECONCILE_MAX_BACKOFF_SECONDS", default=10.0)
