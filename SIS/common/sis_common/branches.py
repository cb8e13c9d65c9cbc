"""Branch checks for the services that refer to branches: known and active, asked of servicio_sucursales.

Positive answers are cached briefly per process so a busy till does not ask
for every sale; a deactivation is therefore seen within CACHE_SECONDS.
Unknown or inactive branches are never cached.
"""
from __future__ import annotations

import threading
import time

from sis_common.clients import OutcomeUnknown, ServiceClient, ServiceUnavailable
from sis_common.errors import DomainError

SERVICE = "sucursales"
CACHE_SECONDS = 10.0
READ_TIMEOUT = 2.0

_cache: dict[int, tuple[float, dict]] = {}
_lock = threading.Lock()


def branch_get(branch_id: int, *, field: str = "branch") -> dict:
    """The active branch `{id, code, name, is_active}`; 400 unknown_branch/inactive_branch; 503 when unreachable.

    `field` names the input field in the 400's field messages.
    """
    branch_id = int(branch_id)
    cached = _cached(branch_id)
    if cached is not None:
        return cached
    branch = _fetch(branch_id, field)
    if not branch.get("is_active"):
        message = f"Branch {branch_id} is inactive."
        raise DomainError(message, "inactive_branch", 400, **{field: [message]})
    with _lock:
        _cache[branch_id] = (time.monotonic() + CACHE_SECONDS, branch)
    return branch


def _cached(branch_id: int) -> dict | None:
    with _lock:
        entry = _cache.get(branch_id)
    if entry and entry[0] > time.monotonic():
        return entry[1]
    return None


def _fetch(branch_id: int, field: str) -> dict:
    client = ServiceClient(SERVICE, read_timeout=READ_TIMEOUT)
    try:
        answer = client.get(f"/internal/branches/{branch_id}/")
    except OutcomeUnknown as exc:
        # a read has no outcome to resolve: for the caller the service is just unavailable
        raise ServiceUnavailable(SERVICE, exc.reason) from exc
    if answer.status == 404:
        message = f"Unknown branch {branch_id}."
        raise DomainError(message, "unknown_branch", 400, **{field: [message]})
    if not answer.ok or not isinstance(answer.data, dict) or "is_active" not in answer.data:
        raise ServiceUnavailable(SERVICE, f"unexpected answer HTTP {answer.status}")
    return answer.data
