"""Watchdog figures read from its files: failovers counted in its event log, its state file's freshness.

The watchdog (sis_ops) appends JSON lines to var/log/watchdog-events.jsonl and
rewrites var/run/watchdog-state.json every second. Either may be absent (no
watchdog here, e.g. Docker without it): the counters are then 0.
"""
from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

from django.conf import settings
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

# event -> kind of role change
FAILOVER_KINDS = {"failover_completed": "automatic", "switchover_completed": "switchover",
                  "forced_failover": "forced"}
STATE_FRESH_SECONDS = 10


def events_path() -> Path | None:
    given = getattr(settings, "EWTTO_WATCHDOG_EVENTS", None) or os.environ.get("EWTTO_WATCHDOG_EVENTS")
    if given:
        return Path(given)
    var = os.environ.get("EWTTO_VAR")
    return Path(var) / "log" / "watchdog-events.jsonl" if var else None


def state_path() -> Path | None:
    given = getattr(settings, "EWTTO_WATCHDOG_STATE", None) or os.environ.get("EWTTO_WATCHDOG_STATE")
    if given:
        return Path(given)
    var = os.environ.get("EWTTO_VAR")
    return Path(var) / "run" / "watchdog-state.json" if var else None


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


class FailoverCounts:
    def __init__(self):
        self.tail = EventTail()
        self.counts: dict[tuple[str, str], int] = {}

    def read(self) -> dict[tuple[str, str], int]:
        for record in self.tail.new_records(events_path()):
            kind = FAILOVER_KINDS.get(record.get("event"))
            if kind and record.get("service"):
                key = (record["service"], kind)
                self.counts[key] = self.counts.get(key, 0) + 1
        return dict(self.counts)


_failovers = FailoverCounts()


def own_service() -> str | None:
    """This project's pair (None for the gateway, which reports every pair)."""
    service = getattr(settings, "EWTTO_SERVICE", None)
    return None if service in (None, "gateway") else service


def collect_watchdog():
    counts = _failovers.read()
    mine = own_service()
    failovers = CounterMetricFamily("ewtto_watchdog_failovers", "Role changes of a pair by the watchdog or an "
                                    "operator, counted in the watchdog's event log.", labels=["service", "kind"])
    services = {mine} if mine else {s for s, _ in counts}
    for service in sorted(services):
        for kind in sorted(set(FAILOVER_KINDS.values())):
            failovers.add_metric([service, kind], counts.get((service, kind), 0))
    yield failovers
    yield from _state_families(mine)


def _state_families(mine: str | None):
    running = GaugeMetricFamily("ewtto_watchdog_up", "1 when the watchdog's state file was rewritten in the "
                                "last 10 s (0 when stopped or absent).")
    attention = GaugeMetricFamily("ewtto_watchdog_needs_person", "1 when the watchdog waits for an operator "
                                  "on a pair (see its event log).", labels=["service"])
    path = state_path()
    state = None
    if path is not None:
        try:
            state = json.loads(path.read_text())
        except (OSError, ValueError):
            state = None
    fresh = bool(state) and not state.get("stopped") and time.time() - float(state.get("updated_ts", 0)) < STATE_FRESH_SECONDS
    running.add_metric([], 1.0 if fresh else 0.0)
    for service, pair in sorted(((state or {}).get("pairs") or {}).items()):
        if mine is None or service == mine:
            attention.add_metric([service], 1.0 if pair.get("needs_person") else 0.0)
    yield running
    yield attention
