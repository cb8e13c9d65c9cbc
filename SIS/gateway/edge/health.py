"""The system's health: every service's own /health, fetched in parallel with a short timeout.

Public callers get each service's status from an answer at most CACHE_SECONDS old;
operators (sis_common.health.may_see_details) get the full, fresh answer.
"""
from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import urllib3

from sis_common.auth.internal import caller_headers
from sis_common.health import ShortCache

from .routes import services
from .upstream import pool
from .watchdog_health import watchdog_summary

HEALTH_TIMEOUT = urllib3.Timeout(connect=0.5, read=2.5)


def service_health(service: str) -> dict:
    try:
        # the gateway's internal credential: the service hands it its node details, and the gateway decides who sees them
        answer = pool(service).urlopen("GET", "/health", timeout=HEALTH_TIMEOUT, retries=False,
                                       headers=caller_headers(service))
        body = json.loads(answer.data)
    except (urllib3.exceptions.HTTPError, ValueError) as exc:
        return {"status": "down", "error": f"unreachable: {exc.__class__.__name__}"}
    return {"status": body.get("status", "down"), "db": body.get("db", {})}


def system_health() -> dict:
    names = services()
    with ThreadPoolExecutor(max_workers=len(names)) as executor:
        results = dict(zip(names, executor.map(service_health, names)))
    statuses = {r["status"] for r in results.values()}
    overall = "ok" if statuses == {"ok"} else ("down" if statuses == {"down"} else "degraded")
    return {"status": overall, "services": results, "watchdog": watchdog_summary()}


_system = ShortCache(system_health)


def public_health() -> dict:
    """Status only, per service, from a recent answer: no node addresses, GTIDs or errors."""
    body = _system.get()
    return {"status": body["status"],
            "services": {name: {"status": result["status"]} for name, result in body["services"].items()}}


def detailed_health() -> dict:
    body = system_health()
    _system.put(body)
    return body


def forget() -> None:
    """Drop the cached answer (tests pointing upstreams elsewhere)."""
    _system.clear()
