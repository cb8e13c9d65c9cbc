"""Settings common to every environment of servicio_auth."""
from datetime import timedelta
from pathlib import Path

from sis_common import conf

conf.load_env_file()
env = conf.env

globals().update(conf.service_settings(
    service="auth", api="auth", title="E-WTTO auth", base_dir=Path(__file__).resolve().parents[2],
    apps=["rest_framework_simplejwt.token_blacklist", "axes", "accounts", "seed"]))
# axes last: it turns a locked-out sign-in (API or admin) into the JSON 429
MIDDLEWARE = [*conf.COMMON_MIDDLEWARE, "axes.middleware.AxesMiddleware"]

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


# wrong manager approvals at a till (accounts.pins): this many per username within the window lock its approvals
EWTTO_PIN_FAILURES = env.int("EWTTO_PIN_FAILURES", default=5)
EWTTO_PIN_WINDOW_SECONDS = env.int("EWTTO_PIN_WINDOW_SECONDS", default=900)

# a sign-in's session ends this long after it began, however often it is refreshed; a refresh token
# replayed later than the grace after its rotation revokes its whole session (accounts.tokens)
EWTTO_JWT_SESSION_SECONDS = env.int("EWTTO_JWT_SESSION_SECONDS", default=7 * 86400)
EWTTO_REFRESH_REUSE_GRACE_SECONDS = env.int("EWTTO_REFRESH_REUSE_GRACE_SECONDS", default=10)

# demo users may be created (ewtto_bootstrap with EWTTO_DEMO=1); production settings say no
EWTTO_DEMO_ALLOWED = True
