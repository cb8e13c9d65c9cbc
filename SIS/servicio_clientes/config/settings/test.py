"""Test settings: a real MariaDB primary/replica pair is started for this test process."""
import os

from sis_common.testing.pair import session_pair

session_pair("clientes", "clientes")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production")

from .base import *  # noqa: E402,F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
