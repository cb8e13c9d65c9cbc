"""The HA watchdog's view for /health, read from the state file it rewrites every second."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

from django.conf import settings

STALE_SECONDS = 10  # the watchdog writes every second; older means it is not running
PAIR_FIELDS = ("state", "primary", "replica", "mode", "needs_person", "last_failover")


def watchdog_summary() -> dict:
    path = getattr(settings, "EWTTO_WATCHDOG_STATE", None) or os.environ.get("EWTTO_WATCHDOG_STATE")
    try:
        state = json.loads(Path(path).read_text()) if path else None
    except (OSError, ValueError):
        state = None
    if not isinstance(state, dict):
        return {"status": "absent"}
    age = time.time() - float(state.get("updated_ts") or 0)
    status = "stopped" if state.get("stopped") else ("stale" if age > STALE_SECONDS else "running")
    return {
        "status": status,
        "updated_at": state.get("updated_at"),
        "pairs": {name: {k: pair.get(k) for k in PAIR_FIELDS} for name, pair in (state.get("pairs") or {}).items()},
        "recent_events": [{k: e.get(k) for k in ("at", "service", "level", "event")}
                          for e in (state.get("recent_events") or [])[-5:]],
    }
