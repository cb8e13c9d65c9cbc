"""The system's health: every service's own /health, fetched in parallel with a short timeout."""
from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import urllib3

from .breaker import breaker
from .routes import SERVICES
from .upstream import pool
from .watchdog import watchdog_summary

HEALTH_TIMEOUT = urllib3.Timeout(connect=0.5, read=2.5)


def service_health(service: str) -> dict:
    # the circuit is this gateway process's view of the service, seen by the API proxy
    circuit = breaker(service).state
    try:
        answer = pool(service).urlopen("GET", "/health", timeout=HEALTH_TIMEOUT, retries=False)
        body = json.loads(answer.data)
    except (urllib3.exceptions.HTTPError, ValueError) as exc:
        return {"status": "down", "error": f"unreachable: {exc.__class__.__name__}", "circuit": circuit}
    return {"status": body.get("status", "down"), "db": body.get("db", {}), "circuit": circuit}


def system_health() -> dict:
    with ThreadPoolExecutor(max_workers=len(SERVICES)) as executor:
        results = dict(zip(SERVICES, executor.map(service_health, SERVICES)))
    statuses = {r["status"] for r in results.values()}
    overall = "ok" if statuses == {"ok"} else ("down" if statuses == {"down"} else "degraded")
    return {"status": overall, "services": results, "watchdog": watchdog_summary()}
