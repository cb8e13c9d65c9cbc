"""The watchdog's record: an append-only JSON-lines event log and a JSON state file, and readers of both."""
from __future__ import annotations

import json
import os
import threading
import time
from collections import deque
from datetime import datetime, timezone
from pathlib import Path

LOUD = {"error", "critical"}


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


# below a stack's var directory (Stack.var)
def event_log_path(var: Path) -> Path:
    return var / "log" / "watchdog-events.jsonl"


def state_path(var: Path) -> Path:
    # the gateway reads the same file (EWTTO_WATCHDOG_STATE, set by Stack.env_for)
    return var / "run" / "watchdog-state.json"


def control_dir(var: Path) -> Path:
    return var / "run" / "watchdog"


class EventLog:
    """One JSON object per line; every line is written with a single append (safe across processes)."""

    def __init__(self, path: Path, *, actor: str = "watchdog", echo: bool = True):
        self.path = path
        self.actor = actor
        self.echo = echo
        self.recent: deque = deque(maxlen=50)
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)

    def emit(self, event: str, *, service: str | None = None, level: str = "info", **fields) -> dict:
        record = {"at": now_iso(), "ts": round(time.time(), 3), "level": level, "actor": self.actor,
                  "event": event, "service": service, **fields}
        line = json.dumps(record, default=str) + "\n"
        with self._lock:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, line.encode())
            finally:
                os.close(fd)
            self.recent.append(record)
        if self.echo:
            prefix = "!!! " if level in LOUD else ""
            print(f"{prefix}{line.strip()}", flush=True)
        return record


def write_state(path: Path, state: dict) -> None:
    """Replace the state file atomically: readers never see half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.write_text(json.dumps(state, indent=1, default=str))
    os.replace(tmp, path)


def read_state(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def tail_events(path: Path, *, limit: int = 20, service: str | None = None) -> list[dict]:
    """The last `limit` events (of one service when given), oldest first."""
    try:
        with path.open("rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - 256 * 1024))
            lines = fh.read().decode(errors="replace").splitlines()
    except OSError:
        return []
    events = []
    for line in reversed(lines):
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if service is None or record.get("service") == service:
            events.append(record)
            if len(events) >= limit:
                break
    return list(reversed(events))
