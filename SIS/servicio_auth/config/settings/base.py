"""Settings common to every environment of servicio_auth."""
from datetime import timedelta
from pathlib import Path

from sis_common import conf
from sis_common.jsonlog import logging_config

conf.load_env_file()
env = conf.env

BASE_DIR = Path(__file__).resolve().parents[2]
EWTTO_SERVICE = "auth"
API_PREFIX = "api/auth/"

SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [*conf.COMMON_APPS, "rest_framework_simplejwt.token_blacklist", "axes", "accounts", "seed"]
# axes last: it turns a locked-out sign-in (API or admin) into the JSON 429
MIDDLEWARE = [*conf.COMMON_MIDDLEWARE, "axes.middleware.AxesMiddleware"]
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
TEMPLATES = conf.TEMPLATES

DATABASES = conf.databases()
DATABASE_ROUTERS = ["sis_common.db.router.PrimaryReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Only servicio_auth signs tokens (EWTTO_JWT_PRIVATE_KEY_FILE); its own API also re-reads the user.
AUTH_USER_MODEL = "accounts.User"
REST_FRAMEWORK = {
    **conf.rest_framework(),
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.authentication.UserJWTAuthentication"],
}
SIMPLE_JWT = {**conf.simple_jwt(), "USER_ID_FIELD": "id", "UPDATE_LAST_LOGIN": False}

# Passwords are checked here only; every other project's admin asks this service (sis_common.auth.sso).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "accounts.backends.RoleModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Brute-force protection (accounts.lockout has the rules): a username locks at one address after
# AXES_FAILURE_LIMIT failures, everywhere but at clean addresses after EWTTO_LOCKOUT_USERNAME_FAILURES,
# an address for usernames new to it after EWTTO_LOCKOUT_ADDRESS_FAILURES; all cool off.
AXES_HANDLER = "accounts.lockout.UserOrAddressHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = env.int("EWTTO_LOCKOUT_USER_FAILURES", default=5)
EWTTO_LOCKOUT_USERNAME_FAILURES = env.int("EWTTO_LOCKOUT_USERNAME_FAILURES", default=20)
EWTTO_LOCKOUT_ADDRESS_FAILURES = env.int("EWTTO_LOCKOUT_ADDRESS_FAILURES", default=20)
EWTTO_LOCKOUT_KNOWN_DAYS = env.int("EWTTO_LOCKOUT_KNOWN_DAYS", default=30)
AXES_COOLOFF_TIME = timedelta(seconds=env.int("EWTTO_LOCKOUT_COOLOFF_SECONDS", default=900))
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_username"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # successes go to the JSON log; no session is made for an API sign-in
AXES_ENABLE_ACCESS_FAILURE_LOG = True


# a sign-in's session ends this long after it began, however often it is refreshed; a refresh token
# replayed later than the grace after its rotation revokes its whole session (accounts.tokens)
EWTTO_JWT_SESSION_SECONDS = env.int("EWTTO_JWT_SESSION_SECONDS", default=7 * 86400)
EWTTO_REFRESH_REUSE_GRACE_SECONDS = env.int("EWTTO_REFRESH_REUSE_GRACE_SECONDS", default=10)

# demo users may be created (ewtto_bootstrap with EWTTO_DEMO=1); production settings say no
EWTTO_DEMO_ALLOWED = True

# the admin's cookies are this project's own, so signing in to another project's admin through
# the same gateway does not overwrite them
SESSION_COOKIE_NAME = "ewtto_admin_auth"
SESSION_COOKIE_PATH = "/admin/auth/"
CSRF_FAILURE_VIEW = "sis_common.errors.csrf_failure"
SPECTACULAR_SETTINGS = conf.spectacular("E-WTTO auth")

LANGUAGE_CODE = "es"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = f"/static/{EWTTO_SERVICE}/"
STATIC_ROOT = env.path("EWTTO_STATIC_ROOT", default=BASE_DIR / "staticfiles")

# our own hops: X-Forwarded-For is believed only through these (sis_common.forwarded)
EWTTO_TRUSTED_PROXIES = conf.trusted_proxies()
LOGGING = logging_config(EWTTO_SERVICE, env("EWTTO_LOG_LEVEL", default="INFO"))
