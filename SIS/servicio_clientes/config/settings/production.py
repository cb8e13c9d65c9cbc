"""Production settings: every secret must be given; nothing falls back to a default."""
from sis_common import conf

from .base import *  # noqa: F401,F403
from .base import env

SECRET_KEY = env("DJANGO_SECRET_KEY")  # raises ImproperlyConfigured when missing
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
# secure cookies, and with TLS in front: the proxy's https, HSTS, trusted origins (sis_common.conf)
globals().update(conf.tls_settings(ALLOWED_HOSTS))
