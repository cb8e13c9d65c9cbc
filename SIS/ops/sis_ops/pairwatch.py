"""One pair under the watchdog: look at both nodes, decide, act, and say why in the event log.

Rules (docs/ha.md has the reasoning):
- The primary counts as dead after `failures` looks in a row without a
  writable node, and, when the watchdog cannot reach it, only if the replica's
  IO thread has lost it too. A primary that came back read-only (restarted)
  is evidence enough.
- Promotion is lossless or does not happen: the replica's received relay log
  is applied first (promotion.drain); an unreachable primary is only replaced
  while the pair was semi-synchronous (every acknowledged write is on the
  replica). Otherwise the watchdog waits for the old primary and says so.
- Never two writable nodes: nodes boot read-only, only the holder of the
  pair lock makes one writable, and only after checking that none is.
- The replica's loss switches the primary to async at once (writes go on,
  on one copy); its return (caught up) switches semi-sync back on.
- A node that is not replicating is re-joined when its history is contained
  in the primary's, else it stays fenced and its extra transactions are
  logged (bin/rejoin <service> --rebuild re-clones it).
- No second automatic failover within `flap_seconds` unless acknowledged.
"""
from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Protocol

import MySQLdb

from sis_common.mariadb.divergence import extra_transactions
from sis_common.mariadb.gtid import contains, not_contained
from sis_common.mariadb.nodes import Node, session
from sis_common.mariadb.replication import NodeState, PairSpec, make_writable, merge_history, probe, role_name
from sis_common.watchdog_files import EventLog

from .pairlock import PairBusy, pair_lock
from .promotion import NotCaughtUp, demote, drain, fence, promote, set_semi_sync

REJOIN_RETRY_SECONDS = 5.0
TERMINAL_REFUSALS = {"failover:not-caught-up", "failover:diverged"}


class PairState(str, Enum):
    """What the watchdog holds of a pair after a look; the state file and /health show the value."""

    WAITING = "waiting"  # not armed yet (never seen healthy and semi-sync), or no primary known
    HEALTHY = "healthy"  # a primary and a replica acknowledging its writes (semi-sync)
    DEGRADED = "degraded"  # a primary writing on one copy (async): the replica is missing or behind
    FENCED = "fenced"  # a primary and a node kept read-only, not replicating (diverged)
    SUSPECT = "suspect"  # no writable node, not yet for `failures` looks (or the replica still sees it)
    BLOCKED = "blocked"  # a failover was refused: a person must look (needs_person says why)


@dataclass(frozen=True)
class Settings:
    interval: float = 1.0
    failures: int = 3
    flap_seconds: float = 600.0
    catchup_timeout: float = 10.0

    @classmethod
    def from_env(cls) -> "Settings":
        env = os.environ.get
        return cls(
            interval=float(env("EWTTO_WATCHDOG_INTERVAL", cls.interval)),
            failures=int(env("EWTTO_WATCHDOG_FAILURES", cls.failures)),
            flap_seconds=float(env("EWTTO_WATCHDOG_FLAP_SECONDS", cls.flap_seconds)),
            catchup_timeout=float(env("EWTTO_WATCHDOG_CATCHUP_TIMEOUT", cls.catchup_timeout)),
        )


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
        memory = memory or {}
        self.pair, self.settings, self.events, self.control = pair, settings, events, control
        self.processes = processes
        self.service = pair.service
        self.state = PairState.WAITING
        self.armed = False
        self.primary: Node | None = None
        self.mode: str | None = None  # "semi-sync" or "async"
        self.last_sync = False  # was every acknowledged write on the replica, at the last look?
        self.async_since: float | None = None
        self.primary_pid: int | None = None
        self.primary_failures = 0
        self.replica_failures = 0
        self.first_failure_at = 0.0
        self.needs_person: str | None = None
        self.fenced: dict[str, dict] = {}
        self.last_failover: dict | None = memory.get("last_failover")
        self.states: dict[Node, NodeState] = {}
        self._said: set[str] = set()
        self.state_note: str | None = None
        self._rejoin_tried: dict[Node, float] = {}
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix=f"probe-{self.service}")

    # ------------------------------------------------------------------ looking
    def tick(self) -> None:
        """One look at the pair and whatever action it calls for, under the pair lock."""
        self.state_note = None
        try:
            with pair_lock(self.control, self.service):
                self._tick()
        except PairBusy:
            self.state_note = "role change by an operator in progress"
        except MySQLdb.Error as exc:  # a node vanished mid-action: the next tick looks again
            self.emit("action_interrupted", level="warning", error=str(exc))

    def _probe(self) -> dict[Node, NodeState]:
        states = self._pool.map(lambda n: probe(n, self.pair.admin, timeout=1.0, detail=True), self.pair.nodes)
        self.states = {s.node: s for s in states}
        return self.states

    def _tick(self) -> None:
        states = self._probe()
        writable = [s for s in states.values() if s.is_primary]
        if len(writable) > 1:
            self._two_writable(writable)
        elif writable:
            other = next(s for s in states.values() if s.node != writable[0].node)
            self._with_primary(writable[0], other)
        else:
            self._without_primary(states)

    # ------------------------------------------------------------------ events
    def emit(self, event: str, *, level: str = "info", **fields) -> dict:
        return self.events.emit(event, service=self.service, level=level, **fields)

    def once(self, key: str, event: str, *, level: str = "info", **fields) -> None:
        """Emit a standing condition once, not at every tick."""
        if key not in self._said:
            self._said.add(key)
            self.emit(event, level=level, **fields)

    def _forget(self, prefix: str) -> None:
        self._said = {k for k in self._said if not k.startswith(prefix)}

    # ------------------------------------------------------------------ a primary exists
    def _with_primary(self, primary: NodeState, other: NodeState) -> None:
        if self.primary is not None and primary.node != self.primary:
            self.emit("primary_moved", previous=str(self.primary), primary=str(primary.node))
        if self.primary_failures:
            self.emit("primary_back", primary=str(primary.node), after_failures=self.primary_failures)
        self.primary, self.primary_failures = primary.node, 0
        self._forget("failover")
        if self.needs_person and self.needs_person.startswith("failover"):
            self.needs_person = None
        self.last_sync = bool(primary.semi_sync_master_enabled and primary.semi_sync_master_active)
        self.mode = "semi-sync" if self.last_sync else "async"
        if self.last_sync:
            self.async_since = None
        elif self.async_since is None:
            self.async_since = time.time()
        if self.processes is not None:
            self.primary_pid = self.processes.pid(primary.node) or self.primary_pid
        if other.reachable:
            healthy = self._replica_present(primary, other)
        else:
            healthy = False
            self._replica_missing(primary, f"unreachable: {other.error}")
        if healthy and self.last_sync and not self.armed:
            self.armed = True
            self.emit("armed", primary=str(primary.node), replica=str(other.node))
        self.state = (PairState.HEALTHY if healthy and self.last_sync
                      else PairState.FENCED if self.fenced else PairState.DEGRADED)

    def _replica_missing(self, primary: NodeState, why: str) -> None:
        self.replica_failures += 1
        if self.replica_failures < self.settings.failures:
            return
        if primary.semi_sync_master_enabled:
            # commits would wait rpl_semi_sync_master_timeout for an acknowledgement that cannot come
            set_semi_sync(self.pair, primary.node, False)
            self.async_since = self.async_since or time.time()
            self.last_sync, self.mode = False, "async"
            self.emit("replica_lost", level="warning", primary=str(primary.node), why=why,
                      action="primary switched to async: acknowledged writes are on the primary only "
                             "until the replica is back")

    def _replica_present(self, primary: NodeState, replica: NodeState) -> bool:
        """Keep a reachable non-primary node replicating; True when it is a healthy replica."""
        from_primary = replica.replicating_from == self.pair.peer_address(primary.node)
        if from_primary and replica.io_running and replica.sql_running:
            self.replica_failures = 0
            self._forget(f"replica:{replica.node}")
            if self.fenced.pop(str(replica.node), None) is not None:
                self.needs_person = None
            if not primary.semi_sync_master_enabled and (replica.lag_seconds or 0) <= 1:
                set_semi_sync(self.pair, primary.node, True)
                self.last_sync, self.mode, self.async_since = True, "semi-sync", None
                self.emit("semi_sync_restored", primary=str(primary.node), replica=str(replica.node))
            elif primary.semi_sync_master_enabled and not primary.semi_sync_master_active:
                self.once(f"replica:{replica.node}:fallback", "semi_sync_fell_back", level="warning",
                          primary=str(primary.node), replica=str(replica.node),
                          detail="the primary stopped waiting for acknowledgements (timeout); "
                                 "it resumes when the replica catches up")
            return True
        if from_primary and replica.sql_running and replica.io_state == "Connecting" and not replica.last_io_errno:
            self._replica_missing(primary, "replica reconnecting to the primary")
            return False
        if from_primary and replica.last_sql_errno:
            self._replica_missing(primary, "replica SQL thread stopped")
            self.needs_person = f"replication broken on {replica.node}: bin/rejoin {self.service} --rebuild"
            self.once(f"replica:{replica.node}:broken", "replica_broken", level="error", node=str(replica.node),
                      error=replica.last_error, action=self.needs_person)
            return False
        self._rejoin(primary, replica)
        return False

    def _rejoin(self, primary: NodeState, node: NodeState) -> None:
        """A read-only node that does not replicate (returning old primary, restarted replica)."""
        self._replica_missing(primary, "replica not replicating")
        history = merge_history(primary)
        extra = not_contained(node.gtid_binlog_pos, history)
        if extra:
            self._keep_fenced(primary, node, history)
            return
        last = self._rejoin_tried.get(node.node, 0.0)
        if time.monotonic() - last < REJOIN_RETRY_SECONDS:
            return
        self._rejoin_tried[node.node] = time.monotonic()
        demote(self.pair, node.node, primary.node)
        self.emit("rejoined", node=str(node.node), primary=str(primary.node), gtid=node.gtid_binlog_pos,
                  detail="history contained in the primary's: now its replica")

    def _keep_fenced(self, primary: NodeState, node: NodeState, history: str) -> None:
        key = f"replica:{node.node}:diverged:{node.gtid_binlog_pos}"
        if key in self._said:
            return
        try:
            extra = [t.as_dict() for t in extra_transactions(node.node, self.pair.admin, history)]
        except MySQLdb.Error as exc:
            extra = [{"error": str(exc)}]
        if node.replicating_from is not None and (node.io_running or node.sql_running):
            with session(node.node, self.pair.admin) as cur:
                cur.execute("STOP SLAVE")  # it must not apply anything on top of a foreign history
        self.needs_person = f"{node.node} diverged: bin/rejoin {self.service} --rebuild"
        self.fenced[str(node.node)] = {"node": str(node.node), "gtid": node.gtid_binlog_pos,
                                       "primary_gtid": primary.gtid_binlog_pos, "transactions": extra}
        self.once(key, "diverged", level="error", node=str(node.node), primary=str(primary.node),
                  node_gtid=node.gtid_binlog_pos, primary_gtid=primary.gtid_binlog_pos, transactions=extra,
                  action=f"kept fenced (read-only, not replicating); {self.needs_person}")

    def _two_writable(self, writable: list[NodeState]) -> None:
        keep = next((s for s in writable if s.node == self.primary), writable[0])
        for state in writable:
            if state.node != keep.node:
                fence(self.pair, state.node)
                self.emit("two_writable", level="critical", kept=str(keep.node), fenced=str(state.node))

    # ------------------------------------------------------------------ no writable node
    def _without_primary(self, states: dict[Node, NodeState]) -> None:
        if not self.armed or self.primary is None:
            self.state = PairState.WAITING
            return
        old = states[self.primary]
        replica = next(s for n, s in states.items() if n != self.primary)
        if self.primary_failures == 0:
            self.first_failure_at = time.monotonic()
            self.emit("primary_unhealthy", level="warning", primary=str(old.node),
                      why="read-only (restarted?)" if old.reachable else f"unreachable: {old.error}")
        self.primary_failures += 1
        if self.primary_failures < self.settings.failures:
            self.state = PairState.SUSPECT
            return
        self._failover(old, replica)

    def _refuse(self, key: str, reason: str, *, level: str = "error", **fields) -> None:
        self.state = PairState.BLOCKED
        self.needs_person = reason
        self.once(f"failover:{key}", "failover_refused", level=level, reason=reason, **fields)

    def _flapping(self) -> float | None:
        """Seconds since the last automatic failover when another one must wait for a person."""
        if not self.last_failover:
            return None
        ago = time.time() - self.last_failover["ts"]
        if ago >= self.settings.flap_seconds or acknowledged_at(self.control, self.service) > self.last_failover["ts"]:
            return None
        return ago

    def _failover(self, old: NodeState, replica: NodeState) -> None:
        svc = self.service
        if self._said & TERMINAL_REFUSALS:
            return  # a person must look first (bin/failover, bin/rejoin); retrying cannot help
        if not replica.reachable:
            self._refuse("both-down", "failover impossible: both nodes are down", level="critical")
            return
        if not old.reachable:
            if replica.replicating_from == self.pair.peer_address(old.node) and replica.io_running:
                self.state = PairState.SUSPECT
                self.once("failover:replica-sees-primary", "primary_unreachable_from_watchdog_only",
                          level="warning", primary=str(old.node),
                          detail="the replica still receives from it: no failover")
                return
            if not self.last_sync:
                since = time.strftime("%H:%M:%S", time.localtime(self.async_since)) if self.async_since else "?"
                self._refuse("async", f"failover refused: the pair ran async since {since}, so the replica may lack "
                                      f"acknowledged writes; waiting for {old.node} to come back "
                                      f"(bin/failover {svc} --force promotes anyway and may lose them)",
                             level="critical")
                return
        ago = self._flapping()
        if ago is not None:
            self._refuse("flapping", f"failover refused: the last automatic failover was {ago:.0f}s ago "
                                     f"(< {self.settings.flap_seconds:.0f}s); bin/failover {svc} --ack allows another",
                         level="critical")
            return
        if replica.replicating_from != self.pair.peer_address(old.node):
            self._refuse("not-replica", f"failover refused: {replica.node} is not replicating from {old.node}",
                         level="critical")
            return
        self._fence_process(old)
        cause = "primary restarted read-only" if old.reachable else "primary unreachable, replica lost it too"
        self.emit("failover_started", level="warning", primary=str(old.node), candidate=str(replica.node),
                  cause=cause, detected_after_s=round(time.monotonic() - self.first_failure_at, 3))
        try:
            drained = drain(self.pair, replica.node, timeout=self.settings.catchup_timeout)
        except NotCaughtUp as exc:
            self._refuse("not-caught-up", f"failover refused: {exc}; the replica's IO thread stays stopped, "
                                          f"see docs/ha.md", level="critical")
            return
        if old.reachable and self._old_primary_ahead(old, replica):
            return
        now = [probe(n, self.pair.admin, detail=True) for n in self.pair.nodes]
        if any(s.is_primary for s in now):
            self.emit("failover_aborted", level="critical", detail="a node became writable meanwhile")
            return
        promote(self.pair, replica.node, semi_sync=False)
        seconds = round(time.monotonic() - self.first_failure_at, 3)
        self.last_failover = {"ts": time.time(), "from": str(old.node), "to": str(replica.node), "seconds": seconds}
        self.primary, self.primary_failures, self.replica_failures = replica.node, 0, 0
        self.primary_pid = self.processes.pid(replica.node) if self.processes else None
        self.last_sync, self.mode, self.async_since, self.state = False, "async", time.time(), PairState.DEGRADED
        self._forget("failover")
        self.needs_person = None
        self.emit("failover_completed", level="warning", primary=str(replica.node), previous=str(old.node),
                  seconds_since_first_failure=seconds, drain_s=drained.seconds, gtid=drained.applied,
                  detail="new primary async until the old one rejoins as its replica")

    def _fence_process(self, old: NodeState) -> None:
        """The process that was primary must be gone before another node is made writable."""
        if old.reachable or self.processes is None or not self.primary_pid:
            return
        if self.processes.kill(old.node, self.primary_pid):
            self.emit("fenced_process", level="warning", node=str(old.node), pid=self.primary_pid,
                      detail="unreachable primary still running: killed; it restarts read-only")

    def _old_primary_ahead(self, old: NodeState, replica: NodeState) -> bool:
        """A restarted old primary holding more than the drained replica stays primary (nothing lost)."""
        again = probe(old.node, self.pair.admin, detail=True)
        drained = probe(replica.node, self.pair.admin, detail=True)
        if not again.reachable or not not_contained(again.gtid_binlog_pos, merge_history(drained)):
            return False  # gone again, or nothing the replica lacks: the replica takes over
        if contains(merge_history(again), drained.gtid_current_pos):
            with session(replica.node, self.pair.admin, timeout=5) as cur:
                cur.execute("START SLAVE")  # the old primary is alive and holds everything: re-fetching is safe
            with session(old.node, self.pair.admin, timeout=5) as cur:
                make_writable(cur)
            self.primary_failures = 0
            self.emit("primary_restored", level="warning", primary=str(old.node), gtid=again.gtid_binlog_pos,
                      detail="the restarted primary holds transactions the replica lacks: kept as primary")
            return True
        self._refuse("diverged", f"failover refused: {old.node} and {replica.node} diverged "
                                 f"({again.gtid_binlog_pos} vs {drained.gtid_current_pos})", level="critical")
        return True

    # ------------------------------------------------------------------ reporting
    def snapshot(self) -> dict:
        replica = next((n for n in self.pair.nodes if n != self.primary), None) if self.primary else None
        return {
            "service": self.service, "state": self.state.value, "armed": self.armed,
            "primary": str(self.primary) if self.primary else None,
            "replica": str(replica) if replica else None,
            "mode": self.mode, "async_since": self.async_since,
            "primary_failures": self.primary_failures, "replica_failures": self.replica_failures,
            "needs_person": self.needs_person, "fenced": list(self.fenced.values()),
            "last_failover": self.last_failover,
            "note": self.state_note,
            "nodes": {str(n): role_name(s) for n, s in self.states.items()},
        }
