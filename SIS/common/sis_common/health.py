"""Health of one project: its status and which node of its pair is primary, which is replica."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from sis_common.mariadb.nodes import Credentials, parse_nodes
from sis_common.mariadb.replication import NodeState, probe

PROBE_TIMEOUT = 1.0


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


@csrf_exempt  # read-only: another method is a 405, not a CSRF refusal
@require_safe
def health_view(request):
    db = pair_health()
    body = {"status": db["status"], "service": settings.EWTTO_SERVICE, "db": db}
    return JsonResponse(body, status=503 if db["status"] == "down" else 200)
