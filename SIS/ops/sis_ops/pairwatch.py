"""One pair under the watchdog: look at both nodes, let pairstate decide, do what it says, feed back what was found.

The decisions (when a primary is dead, whether it may be replaced, fencing,
rejoin, semi-sync) are pairstate.next_state's; this module only probes,
acts and logs. A step's memory is kept once all its actions are done: an
action that fails (a node vanished) leaves the memory as it was and the
next look decides again.
"""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Protocol

import MySQLdb

from sis_common.mariadb.divergence import extra_transactions
from sis_common.mariadb.nodes import Node, session
from sis_common.mariadb.replication import PairSpec, make_writable, probe, role_name
from sis_common.watchdog_files import EventLog

from .pairlock import PairBusy, pair_lock
from .pairstate import (Action, DivergenceRead, Drain, Emit, Fence, KeepOldPrimary, Kill, Look, Memory, Observation,
                        Promote, Promoted, ProcessKilled, ReadDivergence, Rejoin, ReplicaDrained, SetSemiSync, Settings,
                        StopReplication, needs_person, next_state)
from .promotion import NotCaughtUp, demote, drain, fence, promote, set_semi_sync

class Processes(Protocol):
    """Who runs the nodes (supervisor in the stack): lets the watchdog kill a hung primary."""

    def pid(self, node: Node) -> int | None: ...

    def kill(self, node: Node, pid: int) -> bool: ...


def ack_path(control: Path, service: str) -> Path:
    return control / f"ack-{service}"


def acknowledged_at(control: Path, service: str) -> float:
    try:
        return float(ack_path(control, service).read_text().strip() or 0)
    except (OSError, ValueError):
        return 0.0


class PairWatch:
    def __init__(self, pair: PairSpec, settings: Settings, events: EventLog, control: Path, *,
                 processes: Processes | None = None, memory: dict | None = None):
        self.pair, self.settings, self.events, self.control = pair, settings, events, control
        self.processes = processes
        self.service = pair.service
        self.memory = Memory(last_failover=(memory or {}).get("last_failover"))
        self.nodes: dict[Node, str] = {}  # role of each node at the last look
        self.state_note: str | None = None
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix=f"probe-{self.service}")

    # the memory's facts, as the state file names them
    state = property(lambda self: self.memory.state)
    armed = property(lambda self: self.memory.armed)
    mode = property(lambda self: self.memory.mode)
    primary_failures = property(lambda self: self.memory.primary_failures)
    needs_person = property(lambda self: needs_person(self.memory, self.pair))

    def tick(self) -> None:
        """One look at the pair and whatever action it calls for, under the pair lock."""
        self.state_note = None
        try:
            with pair_lock(self.control, self.service):
                seen: Observation | None = self._look()
                while seen is not None:
                    memory, actions = next_state(self.memory, seen, self.pair, self.settings)
                    found = [result for result in (self._do(a) for a in actions) if result is not None]
                    self.memory, seen = memory, (found[0] if found else None)
        except PairBusy:
            self.state_note = "role change by an operator in progress"
        except MySQLdb.Error as exc:  # a node vanished mid-action: the next tick looks again
            self.emit("action_interrupted", level="warning", error=str(exc))

    def emit(self, event: str, *, level: str = "info", **fields) -> dict:
        return self.events.emit(event, service=self.service, level=level, **fields)

    def _probe_all(self) -> tuple:
        return tuple(self._pool.map(lambda n: probe(n, self.pair.admin, timeout=1.0, detail=True), self.pair.nodes))

    def _look(self) -> Look:
        states = self._probe_all()
        self.nodes = {s.node: role_name(s) for s in states}
        writable = [s.node for s in states if s.is_primary]
        pid = self.processes.pid(writable[0]) if self.processes is not None and len(writable) == 1 else None
        return Look(states, time.time(), time.monotonic(), acknowledged_at(self.control, self.service), pid)

    def _do(self, action: Action) -> Observation | None:
        """Perform one action; what it found, for the next step."""
        pair = self.pair
        match action:
            case Emit(event, level, fields):
                self.emit(event, level=level, **fields)
            case Fence(node):
                fence(pair, node)
            case SetSemiSync(node, on):
                set_semi_sync(pair, node, on)
            case Rejoin(node, primary):
                demote(pair, node, primary)
            case StopReplication(node):
                with session(node, pair.admin) as cur:
                    cur.execute("STOP SLAVE")
            case ReadDivergence(node, primary, history):
                try:
                    extra = tuple(t.as_dict() for t in extra_transactions(node.node, pair.admin, history))
                except MySQLdb.Error as exc:
                    extra = ({"error": str(exc)},)
                return DivergenceRead(node, primary, extra)
            case Kill(plan, pid):
                return ProcessKilled(plan, pid, self.processes.kill(plan.old.node, pid), time.monotonic())
            case Drain(plan):
                try:
                    drained = drain(pair, plan.candidate.node, timeout=self.settings.catchup_timeout)
                except NotCaughtUp as exc:
                    return ReplicaDrained(plan, None, str(exc))
                return ReplicaDrained(plan, drained, nodes=self._probe_all())
            case KeepOldPrimary(old, candidate):
                with session(candidate, pair.admin, timeout=5) as cur:
                    cur.execute("START SLAVE")  # the old primary is alive and holds everything: re-fetching is safe
                with session(old, pair.admin, timeout=5) as cur:
                    make_writable(cur)
            case Promote(plan, drained):
                promote(pair, plan.candidate.node, semi_sync=False)
                pid = self.processes.pid(plan.candidate.node) if self.processes is not None else None
                return Promoted(plan, drained, pid, time.time(), time.monotonic())
            case _:
                raise TypeError(f"not an action: {action!r}")
        return None

    def snapshot(self) -> dict:
        m = self.memory
        replica = next((n for n in self.pair.nodes if n != m.primary), None) if m.primary else None
        return {
            "service": self.service, "state": m.state.value, "armed": m.armed,
            "primary": str(m.primary) if m.primary else None,
            "replica": str(replica) if replica else None,
            "mode": m.mode, "async_since": m.async_since,
            "primary_failures": m.primary_failures, "replica_failures": m.replica_failures,
            "needs_person": needs_person(m, self.pair), "fenced": [f.as_dict() for f in m.fenced],
            "last_failover": m.last_failover,
            "note": self.state_note,
            "nodes": {str(n): role for n, role in self.nodes.items()},
        }
