"""The HA watchdog's view for /health, read from the state file it rewrites every second."""
from __future__ import annotations

from sis_common.watchdog_files import configured_state_path, read_state, status

PAIR_FIELDS = ("state", "primary", "replica", "mode", "needs_person", "last_failover")


def watchdog_summary() -> dict:
    state = read_state(configured_state_path())
    if state is None:
        return {"status": "absent"}
    return {
        "status": status(state),
        "updated_at": state.get("updated_at"),
        "pairs": {name: {k: pair.get(k) for k in PAIR_FIELDS} for name, pair in (state.get("pairs") or {}).items()},
        "recent_events": [{k: e.get(k) for k in ("at", "service", "level", "event")}
                          for e in (state.get("recent_events") or [])[-5:]],
    }
