"""Health of one project: its status and which node of its pair is primary, which is replica.

Anyone may ask for the status (load balancers, uptime checks): that answer comes from
a probe at most CACHE_SECONDS old, so calling it in a loop opens no database
connections. The node details (addresses, GTIDs, replication errors) are for
operators: callers on loopback, the gateway with its internal credential, and
admin or auditor tokens get them, probed afresh.
"""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from sis_common.auth.internal import verified_caller
from sis_common.auth.roles import ADMIN, AUDITOR
from sis_common.auth.tokens import TokenRejected, bearer_token, verify_access
from sis_common.forwarded import from_loopback
from sis_common.internal_callers import HEALTH, may_call
from sis_common.mariadb.nodes import Credentials, parse_nodes
from sis_common.mariadb.replication import NodeState, probe

PROBE_TIMEOUT = 1.0
CACHE_SECONDS = 2.0
DETAIL_ROLES = frozenset({ADMIN, AUDITOR})


def pair_health() -> dict:
    """Probe every node of the project's pair in parallel, with the application account."""
    db = settings.DATABASES["default"]
    creds = Credentials(db["USER"], db["PASSWORD"])
    nodes = parse_nodes(db["NODES"])
    with ThreadPoolExecutor(max_workers=len(nodes)) as pool:
        states = list(pool.map(lambda n: probe(n, creds, timeout=PROBE_TIMEOUT), nodes))
    return summarise(states)


def summarise(states: list[NodeState]) -> dict:
    primaries = [s for s in states if s.is_primary]
    replicas = [s for s in states if s.reachable and s.read_only and s.replicating_from]
    primary = primaries[0] if len(primaries) == 1 else None
    replica = next((r for r in replicas if primary and r.replicating_from), None)
    if primary is None:
        status = "down"
    elif replica and replica.replication_healthy:
        status = "ok"
    else:
        status = "degraded"
    return {
        "status": status,
        "primary": str(primary.node) if primary else None,
        "replica": str(replica.node) if replica else None,
        "replica_lag_seconds": replica.lag_seconds if replica else None,
        "nodes": [s.as_dict() for s in states],
    }


class ShortCache:
    """One value, recomputed at most every `seconds` by one thread while the others wait for it."""

    def __init__(self, compute, seconds: float = CACHE_SECONDS):
        self.compute, self.seconds = compute, seconds
        self._lock = threading.Lock()
        self._value, self._at = None, float("-inf")

    def get(self):
        with self._lock:
            if time.monotonic() - self._at >= self.seconds:
                self._value, self._at = self.compute(), time.monotonic()
            return self._value

    def put(self, value) -> None:
        with self._lock:
            self._value, self._at = value, time.monotonic()

    def clear(self) -> None:
        with self._lock:
            self._value, self._at = None, float("-inf")


def may_see_details(request) -> bool:
    """Operators only: the gateway's internal credential, a valid admin/auditor access token, or loopback."""
    if may_call(verified_caller(request), settings.EWTTO_SERVICE, HEALTH):
        return True
    try:
        raw = bearer_token(request.META.get("HTTP_AUTHORIZATION"))
        if raw is not None and verify_access(raw).get("role") in DETAIL_ROLES:
            return True
    except TokenRejected:
        pass
    return from_loopback(request)


_pair_status = ShortCache(pair_health)


@csrf_exempt  # read-only: another method is a 405, not a CSRF refusal
@require_safe
def health_view(request):
    if may_see_details(request):
        db = pair_health()
        _pair_status.put(db)
        body = {"status": db["status"], "service": settings.EWTTO_SERVICE, "db": db}
    else:
        body = {"status": _pair_status.get()["status"], "service": settings.EWTTO_SERVICE}
    return JsonResponse(body, status=503 if body["status"] == "down" else 200)
