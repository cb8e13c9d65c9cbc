"""The watchdog daemon: one thread per database pair of the stack, a shared event log and state file.

Run by supervisor (`[ops.daemons]` in deploy/stack.toml) as `python -m sis_ops
watchdog`; settings come from the environment (EWTTO_WATCHDOG_INTERVAL,
_FAILURES, _FLAP_SECONDS, _CATCHUP_TIMEOUT; see pairstate.Settings).
"""
from __future__ import annotations

import signal
import threading
import time

from sis_common.watchdog_files import EventLog, control_dir, event_log_path, now_iso, read_state, state_path, write_state

from .environment import node_control
from .pairstate import Settings
from .pairwatch import PairWatch
from .stack import Stack


def build(stack: Stack, settings: Settings, events: EventLog) -> list[PairWatch]:
    previous = (read_state(state_path(stack.var)) or {}).get("pairs", {})
    processes = node_control(stack)
    return [
        PairWatch(stack.pair_spec(spec.slug), settings, events, control_dir(stack.var), processes=processes,
                  memory=previous.get(spec.slug))
        for spec in stack.services
    ]


def state_document(watches: list[PairWatch], settings: Settings, events: EventLog, started: str) -> dict:
    return {
        "updated_at": now_iso(), "updated_ts": round(time.time(), 3), "started_at": started,
        "settings": {"interval": settings.interval, "failures": settings.failures,
                     "flap_seconds": settings.flap_seconds, "catchup_timeout": settings.catchup_timeout},
        "pairs": {w.service: w.snapshot() for w in watches},
        "recent_events": list(events.recent)[-10:],
    }


def watch_loop(watch: PairWatch, interval: float, stop: threading.Event) -> None:
    next_at = time.monotonic()
    while not stop.is_set():
        try:
            watch.tick()
        except Exception as exc:  # noqa: BLE001 - the daemon must outlive any one bad look
            watch.emit("watchdog_error", level="error", error=f"{exc.__class__.__name__}: {exc}")
        next_at += interval
        stop.wait(max(0.0, next_at - time.monotonic()))
        next_at = max(next_at, time.monotonic() - interval)  # after a long action, do not burst


def run(stack: Stack, settings: Settings | None = None) -> int:
    settings = settings or Settings.from_env()
    events = EventLog(event_log_path(stack.var))
    watches = build(stack, settings, events)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    started = now_iso()
    events.emit("watchdog_started", interval=settings.interval, failures=settings.failures,
                flap_seconds=settings.flap_seconds, pairs=[w.service for w in watches])
    threads = [threading.Thread(target=watch_loop, args=(w, settings.interval, stop), name=f"watch-{w.service}",
                                daemon=True) for w in watches]
    for thread in threads:
        thread.start()
    while not stop.is_set():
        write_state(state_path(stack.var), state_document(watches, settings, events, started))
        stop.wait(min(settings.interval, 1.0))
    for thread in threads:
        thread.join(timeout=15)
    events.emit("watchdog_stopped")
    write_state(state_path(stack.var), {**state_document(watches, settings, events, started), "stopped": True})
    return 0
