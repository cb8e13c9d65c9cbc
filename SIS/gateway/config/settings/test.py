"""Test settings of the gateway: no database; upstreams are given by each test."""
import os
import tempfile
import tomllib
from pathlib import Path

from sis_common.testing.internal import export_internal_credentials
from sis_common.testing.keys import export_test_keys

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production")
# the routes of the real stack file, as bin/up passes them
_stack = tomllib.loads((Path(__file__).resolve().parents[4] / "deploy" / "stack.toml").read_text())
os.environ.setdefault("EWTTO_EDGE_APIS", ",".join(f"{s['api']}={slug}" for slug, s in _stack["services"].items()))
export_test_keys(Path(tempfile.mkdtemp(prefix="ewtto-gateway-keys-")))
export_internal_credentials("gateway")

from .base import *  # noqa: E402,F401,F403
