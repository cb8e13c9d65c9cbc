"""Production settings: every secret must be given; nothing falls back to a default."""
from django.core.exceptions import ImproperlyConfigured

from sis_common import conf

from .base import *  # noqa: F401,F403
from .base import SIMPLE_JWT, env

SECRET_KEY = env("DJANGO_SECRET_KEY")  # raises ImproperlyConfigured when missing
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
# secure cookies, and with TLS in front: the proxy's https, HSTS, trusted origins (sis_common.conf)
globals().update(conf.tls_settings(ALLOWED_HOSTS))

if not (SIMPLE_JWT["SIGNING_KEY"] and SIMPLE_JWT["VERIFYING_KEY"]):
    raise ImproperlyConfigured("EWTTO_JWT_PRIVATE_KEY_FILE and EWTTO_JWT_PUBLIC_KEY_FILE must name the token key pair")
EWTTO_DEMO_ALLOWED = False
