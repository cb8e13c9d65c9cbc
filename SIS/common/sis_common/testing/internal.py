"""Internal credentials in a test process: a secret per caller, the service under test given the digests it answers."""
from __future__ import annotations

import os
import secrets

from sis_common.internal_callers import callers, secret_name, service_env

_tokens = {secret_name(caller): secrets.token_urlsafe(24) for caller in sorted(callers())}


def export_internal_credentials(service: str) -> None:
    """What bin/up gives `service`: its own secret if it calls others, the digests of those it answers."""
    os.environ.update(service_env(service, _tokens.__getitem__))


def caller_credentials(caller: str) -> dict[str, str]:
    """Test-client headers of `caller`'s genuine credential (whether or not the service answers it)."""
    return {"HTTP_X_INTERNAL_CALLER": caller, "HTTP_X_INTERNAL_TOKEN": _tokens[secret_name(caller)]}
