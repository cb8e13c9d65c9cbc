"""Settings building blocks every project's config/settings/base.py composes."""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import environ

from sis_common.jsonlog import logging_config

env = environ.Env()

COMMON_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "sis_common.audit",  # the audit trail, in each service's own database
    "sis_common.strict",  # JSON types as the schemas state them
]

COMMON_MIDDLEWARE = [
    "sis_common.metrics.middleware.MetricsMiddleware",  # first: times everything, answers /metrics
    "sis_common.request_id.RequestIDMiddleware",
    "sis_common.errors.JsonMethodNotAllowedMiddleware",
    "sis_common.errors.DatabaseUnavailableMiddleware",
    "sis_common.db.causal.CausalReadMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "sis_common.audit.middleware.AuditMiddleware",  # last: sees the user DRF authenticated and the answer
]

# Staff sign in to every project's admin with their servicio_auth credentials (single sign-on).
AUTHENTICATION_BACKENDS = ["sis_common.auth.sso.AuthServiceBackend"]

TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]


def load_env_file() -> None:
    """Read the env file named by EWTTO_ENV_FILE (written by bin/up); the process env wins."""
    path = os.environ.get("EWTTO_ENV_FILE")
    if path and Path(path).is_file():
        environ.Env.read_env(path, overwrite=False)


def tls_settings(allowed_hosts: list[str]) -> dict:
    """Production settings for TLS in front of the gateway (EWTTO_TLS=1, set by deploy/docker from its .env).

    The operator's TLS proxy reaches the gateway's nginx, which then tells every hop
    behind `X-Forwarded-Proto: https` (and nothing else does): requests count as secure,
    cookies are sent over TLS only, browsers are told to stay on HTTPS (HSTS), and the
    admins' forms accept posts from the public https origins.
    """
    tls = env.bool("EWTTO_TLS", default=False)
    secure_cookies = tls or env.bool("DJANGO_SECURE_COOKIES", default=True)
    settings = {
        "SESSION_COOKIE_SECURE": secure_cookies,
        "CSRF_COOKIE_SECURE": secure_cookies,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_PROXY_SSL_HEADER": None,
        "SECURE_HSTS_SECONDS": 0,
        "CSRF_TRUSTED_ORIGINS": [],
    }
    if tls:
        settings.update({
            "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
            "SECURE_HSTS_SECONDS": env.int("EWTTO_HSTS_SECONDS", default=365 * 86400),
            "SECURE_HSTS_INCLUDE_SUBDOMAINS": env.bool("EWTTO_HSTS_INCLUDE_SUBDOMAINS", default=False),
            "CSRF_TRUSTED_ORIGINS": [f"https://{host}" for host in allowed_hosts if "*" not in host
                                     and not host.startswith(".")],
        })
    return settings


def trusted_proxies() -> list[str]:
    """Addresses of our own hops (nginx, the gateway, sibling services): sis_common.forwarded believes them."""
    return env.list("EWTTO_TRUSTED_PROXIES", default=["127.0.0.0/8", "::1/128"])


def databases() -> dict:
    """`default` is the pair's primary, `replica` its replica; both list every node."""
    common = {
        "ENGINE": "sis_common.db.backend",
        "NODES": env("EWTTO_DB_NODES"),
        "NAME": env("EWTTO_DB_NAME"),
        "USER": env("EWTTO_DB_USER"),
        "PASSWORD": env("EWTTO_DB_PASSWORD"),
        "CONN_MAX_AGE": env.int("EWTTO_DB_CONN_MAX_AGE", default=300),
        "CONN_HEALTH_CHECKS": True,
        "REPLICA_MAX_LAG": env.float("EWTTO_REPLICA_MAX_LAG", default=5.0),
        "CAUSAL_WAIT_SECONDS": env.float("EWTTO_CAUSAL_WAIT_SECONDS", default=0.5),
        "OPTIONS": {
            "charset": "utf8mb4",
            "connect_timeout": env.int("EWTTO_DB_CONNECT_TIMEOUT", default=1),
            # longer than the semi-sync timeout, so a commit waiting for its ack is not cut off
            "read_timeout": env.int("EWTTO_DB_READ_TIMEOUT", default=15),
            "write_timeout": env.int("EWTTO_DB_READ_TIMEOUT", default=15),
            "isolation_level": "read committed",
        },
    }
    return {
        "default": {**common, "ROLE": "primary"},
        "replica": {**common, "ROLE": "replica", "TEST": {"MIRROR": "default"}},
    }


def rest_framework() -> dict:
    return {
        "DEFAULT_AUTHENTICATION_CLASSES": ["sis_common.auth.authentication.StatelessJWTAuthentication"],
        "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
        "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
        "DEFAULT_CONTENT_NEGOTIATION_CLASS": "sis_common.negotiation.JSONFirstNegotiation",
        "DEFAULT_PARSER_CLASSES": ["sis_common.parsers.BoundedJSONParser"],
        "DEFAULT_PAGINATION_CLASS": "sis_common.pagination.PageNumberPagination",
        "PAGE_SIZE": 50,
        "EXCEPTION_HANDLER": "sis_common.errors.api_exception_handler",
        "DEFAULT_SCHEMA_CLASS": "sis_common.openapi.AutoSchema",
        "UNAUTHENTICATED_USER": None,
    }


def read_key(path_var: str) -> str:
    """A PEM key from the file the variable names ('' when unset, for services that only verify)."""
    path = env(path_var, default="")
    return Path(path).read_text() if path else ""


def simple_jwt() -> dict:
    return {
        "ALGORITHM": "RS256",
        "SIGNING_KEY": read_key("EWTTO_JWT_PRIVATE_KEY_FILE"),
        "VERIFYING_KEY": read_key("EWTTO_JWT_PUBLIC_KEY_FILE"),
        "ACCESS_TOKEN_LIFETIME": timedelta(seconds=env.int("EWTTO_JWT_ACCESS_SECONDS", default=900)),
        "REFRESH_TOKEN_LIFETIME": timedelta(seconds=env.int("EWTTO_JWT_REFRESH_SECONDS", default=86400)),
        "ROTATE_REFRESH_TOKENS": True,
        "BLACKLIST_AFTER_ROTATION": True,
        "USER_ID_CLAIM": "user_id",
        "TOKEN_USER_CLASS": "sis_common.auth.principal.Principal",
        "AUTH_HEADER_TYPES": ("Bearer",),
        "LEEWAY": 5,
    }


def spectacular(title: str, **extra) -> dict:
    """drf-spectacular settings of a project's API: its title, plus the error answers every operation has."""
    return {
        "TITLE": title, "VERSION": "1.0.0", "SERVE_INCLUDE_SCHEMA": False,
        "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                                 "sis_common.openapi.add_error_responses"],
        "COMPONENT_SPLIT_REQUEST": True,
        "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}},
        **extra,
    }


def service_settings(*, service: str, api: str, title: str, apps: list[str], base_dir: Path, **spectacular_extra) -> dict:
    """What every service's base.py holds alike; it takes them with `globals().update(...)` and adds its own.

    The admin's cookies are the project's own (name and path): every project's admin sits behind the
    same gateway host, and signing in to one must not overwrite another's session.
    """
    return {
        "BASE_DIR": base_dir, "EWTTO_SERVICE": service, "API_PREFIX": f"api/{api}/",
        "SECRET_KEY": env("DJANGO_SECRET_KEY"), "DEBUG": False,
        "ALLOWED_HOSTS": env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"]),
        "INSTALLED_APPS": [*COMMON_APPS, *apps], "MIDDLEWARE": COMMON_MIDDLEWARE,
        "ROOT_URLCONF": "config.urls", "WSGI_APPLICATION": "config.wsgi.application",
        "TEMPLATES": TEMPLATES, "AUTHENTICATION_BACKENDS": AUTHENTICATION_BACKENDS,
        "DATABASES": databases(), "DATABASE_ROUTERS": ["sis_common.db.router.PrimaryReplicaRouter"],
        "DEFAULT_AUTO_FIELD": "django.db.models.BigAutoField",
        "REST_FRAMEWORK": rest_framework(), "SIMPLE_JWT": simple_jwt(),
        "SPECTACULAR_SETTINGS": spectacular(title, **spectacular_extra),
        "LANGUAGE_CODE": "es", "TIME_ZONE": "UTC", "USE_I18N": True, "USE_TZ": True,
        "STATIC_URL": f"/static/{service}/",
        "STATIC_ROOT": env.path("EWTTO_STATIC_ROOT", default=base_dir / "staticfiles"),
        "SESSION_COOKIE_NAME": f"ewtto_admin_{service}", "SESSION_COOKIE_PATH": f"/admin/{service}/",
        "CSRF_COOKIE_NAME": f"ewtto_csrf_{service}", "CSRF_FAILURE_VIEW": "sis_common.errors.csrf_failure",
        # our own hops: X-Forwarded-For is believed only through these (sis_common.forwarded)
        "EWTTO_TRUSTED_PROXIES": trusted_proxies(),
        "LOGGING": logging_config(service, env("EWTTO_LOG_LEVEL", default="INFO")),
    }
