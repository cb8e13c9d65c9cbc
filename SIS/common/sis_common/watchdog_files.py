"""The watchdog's files (an append-only JSON-lines event log, a JSON state file): where, what, and when stale.

The watchdog (sis_ops) writes them below its stack's var directory; the
gateway's /health, every project's /metrics and the audit import read them
through the paths their settings or environment give (EWTTO_WATCHDOG_STATE,
EWTTO_WATCHDOG_EVENTS, else below EWTTO_VAR). Either file may be absent (no
watchdog here).
"""
from __future__ import annotations

import json
import os
import threading
import time
from collections import deque
from datetime import datetime, timezone
from pathlib import Path

from django.conf import settings

LOUD = {"error", "critical"}
STALE_SECONDS = 10  # the watchdog rewrites its state every second; older means it is not running
EVENT_LOG = Path("log") / "watchdog-events.jsonl"
STATE = Path("run") / "watchdog-state.json"
CONTROL = Path("run") / "watchdog"


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


# below a stack's var directory (sis_ops Stack.var)
def event_log_path(var: Path) -> Path:
    return var / EVENT_LOG


def state_path(var: Path) -> Path:
    return var / STATE


def control_dir(var: Path) -> Path:
    return var / CONTROL


def _configured(setting: str, below_var: Path) -> Path | None:
    given = getattr(settings, setting, None) or os.environ.get(setting)
    if given:
        return Path(given)
    var = os.environ.get("EWTTO_VAR")
    return Path(var) / below_var if var else None


def configured_event_log_path() -> Path | None:
    """Where a project's process reads the event log: EWTTO_WATCHDOG_EVENTS, else below EWTTO_VAR."""
    return _configured("EWTTO_WATCHDOG_EVENTS", EVENT_LOG)


def configured_state_path() -> Path | None:
    """Where a project's process reads the state file: EWTTO_WATCHDOG_STATE, else below EWTTO_VAR."""
    return _configured("EWTTO_WATCHDOG_STATE", STATE)


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


def read_state(path: Path | None) -> dict | None:
    """The state document, None when there is none (no path, no file, not a JSON object)."""
    if path is None:
        return None
    try:
        state = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) else None


def status(state: dict | None, *, now: float | None = None) -> str:
    """absent (no state), stopped (the watchdog said so), stale (not rewritten lately) or running."""
    if state is None:
        return "absent"
    if state.get("stopped"):
        return "stopped"
    age = (time.time() if now is None else now) - float(state.get("updated_ts") or 0)
    return "stale" if age > STALE_SECONDS else "running"


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


class EventTail:
    """Reads a JSON-lines file incrementally: only what was appended since the last call."""

    def __init__(self):
        self._lock = threading.Lock()
        self._path: Path | None = None
        self._offset = 0

    def rewind(self) -> None:
        """Read everything again next time (after a failed import; duplicates are harmless there)."""
        with self._lock:
            self._offset = 0

    def new_records(self, path: Path | None) -> list[dict]:
        with self._lock:
            if path != self._path:
                self._path, self._offset = path, 0
            if path is None:
                return []
            try:
                size = path.stat().st_size
                if size < self._offset:  # rotated or truncated: read again from the start
                    self._offset = 0
                if size == self._offset:
                    return []
                with path.open("rb") as handle:
                    handle.seek(self._offset)
                    data = handle.read(size - self._offset)
            except OSError:
                return []
            complete = data.rfind(b"\n") + 1  # a line still being written waits for the next call
            self._offset += complete
        records = []
        for line in data[:complete].splitlines():
            try:
                records.append(json.loads(line))
            except ValueError:
                continue
        return records
