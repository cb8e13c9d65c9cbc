"""Test settings of the gateway: no database; upstreams are given by each test."""
import os
import tempfile
from pathlib import Path

from sis_common.testing.keys import export_test_keys

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production")
export_test_keys(Path(tempfile.mkdtemp(prefix="ewtto-gateway-keys-")))

from .base import *  # noqa: E402,F401,F403
