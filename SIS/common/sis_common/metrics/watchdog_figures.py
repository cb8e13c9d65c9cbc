"""Watchdog figures read from its files (sis_common.watchdog_files): failovers counted in its event log, its state's freshness.

Either file may be absent (no watchdog here, e.g. Docker without it): the
counters are then 0.
"""
from __future__ import annotations

from django.conf import settings
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from sis_common.watchdog_files import EventTail, configured_event_log_path, configured_state_path, read_state, status

# event -> kind of role change
FAILOVER_KINDS = {"failover_completed": "automatic", "switchover_completed": "switchover",
                  "forced_failover": "forced"}


class FailoverCounts:
    def __init__(self):
        self.tail = EventTail()
        self.counts: dict[tuple[str, str], int] = {}

    def read(self) -> dict[tuple[str, str], int]:
        for record in self.tail.new_records(configured_event_log_path()):
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
    state = read_state(configured_state_path())
    running.add_metric([], 1.0 if status(state) == "running" else 0.0)
    for service, pair in sorted(((state or {}).get("pairs") or {}).items()):
        if mine is None or service == mine:
            attention.add_metric([service], 1.0 if pair.get("needs_person") else 0.0)
    yield running
    yield attention
