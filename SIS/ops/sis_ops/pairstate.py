"""The watchdog's decisions for one pair as a state machine: `next_state(memory, observation) -> (memory, actions)`.

Pure: no I/O. pairwatch.PairWatch looks at both nodes (a `Look`), performs the
actions it gets back in order and feeds back what an action found (a kill, a
drain, a promotion, a divergence read). Events are actions too: a line is
logged when a transition happens, never because of what was logged before.
docs/ha.md has the table of states and transitions; the rules:
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
from dataclasses import dataclass, field, replace
from enum import Enum

from sis_common.mariadb.gtid import contains, not_contained
from sis_common.mariadb.nodes import Node
from sis_common.mariadb.replication import NodeState, PairSpec, merge_history

from .promotion import Drained

REJOIN_RETRY_SECONDS = 5.0


class PairState(str, Enum):
    """What the watchdog holds of a pair after a look; the state file and /health show the value."""

    WAITING = "waiting"  # not armed yet (never seen healthy and semi-sync), or no primary known
    HEALTHY = "healthy"  # a primary and a replica acknowledging its writes (semi-sync)
    DEGRADED = "degraded"  # a primary writing on one copy (async): the replica is missing or behind
    FENCED = "fenced"  # a primary and a node kept read-only, not replicating (diverged)
    SUSPECT = "suspect"  # no writable node, not yet for `failures` looks (or the replica still sees it)
    BLOCKED = "blocked"  # a failover was refused: a person must look (needs_person says why)


class Replica(str, Enum):
    """What the node beside the primary was at the last look with a primary."""

    UNKNOWN = "unknown"
    HEALTHY = "healthy"  # replicating from the primary, both threads running
    FALLEN_BACK = "fallen-back"  # the same, but the primary stopped waiting for its acknowledgements
    UNREACHABLE = "unreachable"
    RECONNECTING = "reconnecting"  # its IO thread reconnects to the primary
    BROKEN = "broken"  # its SQL thread stopped with an error
    DETACHED = "detached"  # not replicating, its history contained in the primary's: it is re-joined
    DIVERGED = "diverged"  # holds transactions the primary lacks: kept fenced

    @property
    def replicating(self) -> bool:
        return self in (Replica.HEALTHY, Replica.FALLEN_BACK)


MISSING_WHY = {Replica.RECONNECTING: "replica reconnecting to the primary",
               Replica.BROKEN: "replica SQL thread stopped",
               Replica.DETACHED: "replica not replicating", Replica.DIVERGED: "replica not replicating"}


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


@dataclass(frozen=True)
class Fenced:
    """A node kept read-only and not replicating because it holds transactions the primary lacks."""

    node: Node
    gtid: str
    primary_gtid: str
    transactions: tuple[dict, ...] = ()

    def as_dict(self) -> dict:
        return {"node": str(self.node), "gtid": self.gtid, "primary_gtid": self.primary_gtid,
                "transactions": list(self.transactions)}


@dataclass(frozen=True)
class Refusal:
    """A failover the watchdog refused during this outage (state BLOCKED); it lasts until a primary is seen."""

    kind: str  # both-down, async, flapping, not-replica, not-caught-up, diverged
    reason: str

    @property
    def terminal(self) -> bool:
        """Retrying cannot help: a person must look first (bin/failover, bin/rejoin)."""
        return self.kind in ("not-caught-up", "diverged")


@dataclass(frozen=True)
class Memory:
    """Everything the watchdog holds of a pair between looks."""

    state: PairState = PairState.WAITING
    armed: bool = False  # seen healthy and semi-sync once: only an armed pair is failed over
    primary: Node | None = None
    semi_sync: bool | None = None  # was every acknowledged write on the replica at the last look? None: no look yet
    async_since: float | None = None
    primary_pid: int | None = None
    primary_failures: int = 0  # looks in a row without a writable node
    first_failure_at: float = 0.0  # monotonic time of the first of them
    watchdog_only: bool = False  # suspect, but the replica still receives from the primary
    replica: Replica = Replica.UNKNOWN
    replica_failures: int = 0  # looks in a row with the replica not replicating
    last_rejoin: tuple[Node, float] | None = None  # node and monotonic time of the last rejoin
    fenced: tuple[Fenced, ...] = ()
    refusal: Refusal | None = None
    last_failover: dict | None = None  # {ts, from, to, seconds}, kept across restarts in the state file

    @property
    def mode(self) -> str | None:
        return None if self.semi_sync is None else "semi-sync" if self.semi_sync else "async"


# ---------------------------------------------------------------------- observations
@dataclass(frozen=True)
class Look:
    """One probe of both nodes."""

    nodes: tuple[NodeState, ...]
    wall: float  # time.time()
    mono: float  # time.monotonic()
    acknowledged_at: float = 0.0  # when a person last allowed another failover (bin/failover --ack)
    pid: int | None = None  # the writable node's process, when there is one writable node


@dataclass(frozen=True)
class Plan:
    """A failover decided: the old primary and the candidate as the deciding look saw them."""

    old: NodeState
    candidate: NodeState


@dataclass(frozen=True)
class ProcessKilled:
    plan: Plan
    pid: int
    killed: bool  # False: that process was gone already
    mono: float


@dataclass(frozen=True)
class ReplicaDrained:
    plan: Plan
    drained: Drained | None  # None: not proven caught up (`error` says why)
    error: str = ""
    nodes: tuple[NodeState, ...] = ()  # both nodes probed again after the drain


@dataclass(frozen=True)
class Promoted:
    plan: Plan
    drained: Drained
    pid: int | None  # the new primary's process
    wall: float
    mono: float


@dataclass(frozen=True)
class DivergenceRead:
    node: NodeState
    primary: NodeState
    transactions: tuple[dict, ...]


# ---------------------------------------------------------------------- actions
@dataclass(frozen=True)
class Emit:
    event: str
    level: str = "info"
    fields: dict = field(default_factory=dict)


def emit(event: str, level: str = "info", **fields) -> Emit:
    return Emit(event, level, fields)


@dataclass(frozen=True)
class Fence:
    node: Node  # read-only, no semi-sync master


@dataclass(frozen=True)
class SetSemiSync:
    primary: Node
    on: bool


@dataclass(frozen=True)
class Rejoin:
    node: Node  # made the primary's replica (its history is contained in the primary's)
    primary: Node


@dataclass(frozen=True)
class ReadDivergence:
    node: NodeState  # its transactions the primary's history lacks are read: DivergenceRead
    primary: NodeState
    history: str


@dataclass(frozen=True)
class StopReplication:
    node: Node  # it must not apply anything on top of a foreign history


@dataclass(frozen=True)
class Kill:
    plan: Plan  # the old primary's process, if it is still `pid`: ProcessKilled
    pid: int


@dataclass(frozen=True)
class Drain:
    plan: Plan  # the candidate applies what it received, then both nodes are probed: ReplicaDrained


@dataclass(frozen=True)
class KeepOldPrimary:
    old: Node  # writable again; the candidate fetches from it again
    candidate: Node


@dataclass(frozen=True)
class Promote:
    plan: Plan  # the drained candidate becomes the primary, async: Promoted
    drained: Drained


Observation = Look | ProcessKilled | ReplicaDrained | Promoted | DivergenceRead
Action = (Emit | Fence | SetSemiSync | Rejoin | ReadDivergence | StopReplication | Kill | Drain | KeepOldPrimary
          | Promote)


# ---------------------------------------------------------------------- transitions
def next_state(memory: Memory, seen: Observation, pair: PairSpec,
               settings: Settings) -> tuple[Memory, list[Action]]:
    """The memory after `seen`, and what to do about it, in order."""
    match seen:
        case Look():
            return looked(memory, seen, pair, settings)
        case ProcessKilled():
            return killed(memory, seen)
        case ReplicaDrained():
            return drained(memory, seen, pair)
        case Promoted():
            return promoted(memory, seen)
        case DivergenceRead():
            return divergence_read(memory, seen, pair)
    raise TypeError(f"not an observation: {seen!r}")


def looked(m: Memory, look: Look, pair: PairSpec, settings: Settings) -> tuple[Memory, list[Action]]:
    writable = [s for s in look.nodes if s.is_primary]
    if len(writable) > 1:
        keep = next((s for s in writable if s.node == m.primary), writable[0])
        return m, [action for s in writable if s.node != keep.node
                   for action in (Fence(s.node), emit("two_writable", "critical", kept=str(keep.node),
                                                       fenced=str(s.node)))]
    if writable:
        return with_primary(m, look, writable[0], pair, settings)
    return without_primary(m, look, pair, settings)


# ---------------------------------------------------------------------- a primary exists
def with_primary(m: Memory, look: Look, primary: NodeState, pair: PairSpec,
                 settings: Settings) -> tuple[Memory, list[Action]]:
    other = next(s for s in look.nodes if s.node != primary.node)
    actions: list[Action] = []
    if m.primary is not None and primary.node != m.primary:
        actions.append(emit("primary_moved", previous=str(m.primary), primary=str(primary.node)))
        m = replace(m, replica=Replica.UNKNOWN)  # the node beside the primary is another one now
    if m.primary_failures:
        actions.append(emit("primary_back", primary=str(primary.node), after_failures=m.primary_failures))
    sync = bool(primary.semi_sync_master_enabled and primary.semi_sync_master_active)
    m = replace(m, primary=primary.node, primary_failures=0, watchdog_only=False, refusal=None, semi_sync=sync,
                async_since=None if sync else m.async_since or look.wall, primary_pid=look.pid or m.primary_pid)
    m, more = beside_primary(m, look, primary, other, pair, settings)
    actions += more
    if m.replica.replicating and m.semi_sync and not m.armed:
        m = replace(m, armed=True)
        actions.append(emit("armed", primary=str(primary.node), replica=str(other.node)))
    state = (PairState.HEALTHY if m.replica.replicating and m.semi_sync
             else PairState.FENCED if m.fenced else PairState.DEGRADED)
    return replace(m, state=state), actions


def replica_condition(primary: NodeState, other: NodeState, pair: PairSpec) -> Replica:
    if not other.reachable:
        return Replica.UNREACHABLE
    from_primary = other.replicating_from == pair.peer_address(primary.node)
    if from_primary and other.io_running and other.sql_running:
        fallen_back = primary.semi_sync_master_enabled and not primary.semi_sync_master_active
        return Replica.FALLEN_BACK if fallen_back else Replica.HEALTHY
    if from_primary and other.sql_running and other.io_state == "Connecting" and not other.last_io_errno:
        return Replica.RECONNECTING
    if from_primary and other.last_sql_errno:
        return Replica.BROKEN
    if not_contained(other.gtid_binlog_pos, merge_history(primary)):
        return Replica.DIVERGED
    return Replica.DETACHED


def beside_primary(m: Memory, look: Look, primary: NodeState, other: NodeState, pair: PairSpec,
                   settings: Settings) -> tuple[Memory, list[Action]]:
    """Keep the node beside the primary replicating, and the primary's semi-sync in step with it."""
    condition = replica_condition(primary, other, pair)
    before, m = m.replica, replace(m, replica=condition)
    if condition.replicating:
        m = replace(m, replica_failures=0, fenced=tuple(f for f in m.fenced if f.node != other.node))
        if not primary.semi_sync_master_enabled and (other.lag_seconds or 0) <= 1:
            return replace(m, semi_sync=True, async_since=None), [
                SetSemiSync(primary.node, True),
                emit("semi_sync_restored", primary=str(primary.node), replica=str(other.node))]
        if condition is Replica.FALLEN_BACK and before is not Replica.FALLEN_BACK:
            return m, [emit("semi_sync_fell_back", "warning", primary=str(primary.node), replica=str(other.node),
                            detail="the primary stopped waiting for acknowledgements (timeout); "
                                   "it resumes when the replica catches up")]
        return m, []
    why = f"unreachable: {other.error}" if condition is Replica.UNREACHABLE else MISSING_WHY[condition]
    m, actions = replica_missing(m, look, primary, why, settings)
    if condition is Replica.BROKEN and before is not Replica.BROKEN:
        actions.append(emit("replica_broken", "error", node=str(other.node), error=other.last_error,
                            action=rebuild_hint(other.node, pair, "replication broken on {node}")))
    elif condition is Replica.DETACHED:
        last = m.last_rejoin
        if last is None or last[0] != other.node or look.mono - last[1] >= REJOIN_RETRY_SECONDS:
            m = replace(m, last_rejoin=(other.node, look.mono))
            actions += [Rejoin(other.node, primary.node),
                        emit("rejoined", node=str(other.node), primary=str(primary.node), gtid=other.gtid_binlog_pos,
                             detail="history contained in the primary's: now its replica")]
    elif condition is Replica.DIVERGED and not any(f.node == other.node and f.gtid == other.gtid_binlog_pos
                                                   for f in m.fenced):
        actions.append(ReadDivergence(other, primary, merge_history(primary)))
    return m, actions


def replica_missing(m: Memory, look: Look, primary: NodeState, why: str,
                    settings: Settings) -> tuple[Memory, list[Action]]:
    m = replace(m, replica_failures=m.replica_failures + 1)
    if m.replica_failures < settings.failures or not primary.semi_sync_master_enabled:
        return m, []
    # commits would wait rpl_semi_sync_master_timeout for an acknowledgement that cannot come
    return replace(m, semi_sync=False, async_since=m.async_since or look.wall), [
        SetSemiSync(primary.node, False),
        emit("replica_lost", "warning", primary=str(primary.node), why=why,
             action="primary switched to async: acknowledged writes are on the primary only until the replica is back")]


def divergence_read(m: Memory, seen: DivergenceRead, pair: PairSpec) -> tuple[Memory, list[Action]]:
    node, primary = seen.node, seen.primary
    record = Fenced(node.node, node.gtid_binlog_pos, primary.gtid_binlog_pos, seen.transactions)
    m = replace(m, state=PairState.FENCED, fenced=tuple(f for f in m.fenced if f.node != node.node) + (record,))
    actions: list[Action] = []
    if node.replicating_from is not None and (node.io_running or node.sql_running):
        actions.append(StopReplication(node.node))
    actions.append(emit("diverged", "error", node=str(node.node), primary=str(primary.node),
                        node_gtid=node.gtid_binlog_pos, primary_gtid=primary.gtid_binlog_pos,
                        transactions=list(seen.transactions),
                        action="kept fenced (read-only, not replicating); "
                               + rebuild_hint(node.node, pair, "{node} diverged")))
    return m, actions


# ---------------------------------------------------------------------- no writable node
def without_primary(m: Memory, look: Look, pair: PairSpec, settings: Settings) -> tuple[Memory, list[Action]]:
    if not m.armed or m.primary is None:
        return replace(m, state=PairState.WAITING), []
    old = next(s for s in look.nodes if s.node == m.primary)
    replica = next(s for s in look.nodes if s.node != m.primary)
    actions: list[Action] = []
    if m.primary_failures == 0:
        m = replace(m, first_failure_at=look.mono)
        actions.append(emit("primary_unhealthy", "warning", primary=str(old.node),
                            why="read-only (restarted?)" if old.reachable else f"unreachable: {old.error}"))
    m = replace(m, primary_failures=m.primary_failures + 1)
    if m.primary_failures < settings.failures:
        return replace(m, state=PairState.SUSPECT), actions
    m, more = failover_decision(m, look, old, replica, pair, settings)
    return m, actions + more


def failover_decision(m: Memory, look: Look, old: NodeState, replica: NodeState, pair: PairSpec,
                      settings: Settings) -> tuple[Memory, list[Action]]:
    """The primary counts as dead: fail over, or refuse and say why."""
    svc = pair.service
    if m.refusal is not None and m.refusal.terminal:
        return m, []
    if not replica.reachable:
        return refuse(m, "both-down", "failover impossible: both nodes are down")
    if not old.reachable:
        if replica.replicating_from == pair.peer_address(old.node) and replica.io_running:
            said = [] if m.watchdog_only else [emit("primary_unreachable_from_watchdog_only", "warning",
                                                    primary=str(old.node),
                                                    detail="the replica still receives from it: no failover")]
            return replace(m, state=PairState.SUSPECT, watchdog_only=True), said
        if not m.semi_sync:
            since = time.strftime("%H:%M:%S", time.localtime(m.async_since)) if m.async_since else "?"
            return refuse(m, "async", f"failover refused: the pair ran async since {since}, so the replica may "
                                      f"lack acknowledged writes; waiting for {old.node} to come back "
                                      f"(bin/failover {svc} --force promotes anyway and may lose them)")
    ago = flapping(m, look, settings)
    if ago is not None:
        return refuse(m, "flapping", f"failover refused: the last automatic failover was {ago:.0f}s ago "
                                     f"(< {settings.flap_seconds:.0f}s); bin/failover {svc} --ack allows another")
    if replica.replicating_from != pair.peer_address(old.node):
        return refuse(m, "not-replica", f"failover refused: {replica.node} is not replicating from {old.node}")
    plan = Plan(old, replica)
    m = replace(m, watchdog_only=False)
    if not old.reachable and m.primary_pid:
        return m, [Kill(plan, m.primary_pid)]  # the process that was primary must be gone first
    return start_failover(m, plan, look.mono)


def flapping(m: Memory, look: Look, settings: Settings) -> float | None:
    """Seconds since the last automatic failover when another one must wait for a person."""
    if not m.last_failover:
        return None
    ago = look.wall - m.last_failover["ts"]
    if ago >= settings.flap_seconds or look.acknowledged_at > m.last_failover["ts"]:
        return None
    return ago


def refuse(m: Memory, kind: str, reason: str) -> tuple[Memory, list[Action]]:
    said = [] if m.refusal is not None and m.refusal.kind == kind else [
        emit("failover_refused", "critical", reason=reason)]
    return replace(m, state=PairState.BLOCKED, refusal=Refusal(kind, reason), watchdog_only=False), said


def killed(m: Memory, seen: ProcessKilled) -> tuple[Memory, list[Action]]:
    said = [emit("fenced_process", "warning", node=str(seen.plan.old.node), pid=seen.pid,
                 detail="unreachable primary still running: killed; it restarts read-only")] if seen.killed else []
    m, actions = start_failover(m, seen.plan, seen.mono)
    return m, said + actions


def start_failover(m: Memory, plan: Plan, mono: float) -> tuple[Memory, list[Action]]:
    old = plan.old
    cause = "primary restarted read-only" if old.reachable else "primary unreachable, replica lost it too"
    return m, [emit("failover_started", "warning", primary=str(old.node), candidate=str(plan.candidate.node),
                    cause=cause, detected_after_s=round(mono - m.first_failure_at, 3)),
               Drain(plan)]


def drained(m: Memory, seen: ReplicaDrained, pair: PairSpec) -> tuple[Memory, list[Action]]:
    plan = seen.plan
    if seen.drained is None:
        return refuse(m, "not-caught-up", f"failover refused: {seen.error}; the replica's IO thread stays "
                                          f"stopped, see docs/ha.md")
    old = next(s for s in seen.nodes if s.node == plan.old.node)
    new = next(s for s in seen.nodes if s.node == plan.candidate.node)
    # a restarted old primary holding more than the drained replica: nothing may be lost
    if plan.old.reachable and old.reachable and not_contained(old.gtid_binlog_pos, merge_history(new)):
        if contains(merge_history(old), new.gtid_current_pos):
            return replace(m, primary_failures=0), [
                KeepOldPrimary(old.node, new.node),
                emit("primary_restored", "warning", primary=str(old.node), gtid=old.gtid_binlog_pos,
                     detail="the restarted primary holds transactions the replica lacks: kept as primary")]
        return refuse(m, "diverged", f"failover refused: {old.node} and {new.node} diverged "
                                     f"({old.gtid_binlog_pos} vs {new.gtid_current_pos})")
    if any(s.is_primary for s in seen.nodes):
        return m, [emit("failover_aborted", "critical", detail="a node became writable meanwhile")]
    return m, [Promote(plan, seen.drained)]


def promoted(m: Memory, seen: Promoted) -> tuple[Memory, list[Action]]:
    old, new = seen.plan.old.node, seen.plan.candidate.node
    seconds = round(seen.mono - m.first_failure_at, 3)
    m = replace(m, state=PairState.DEGRADED, primary=new, primary_pid=seen.pid, primary_failures=0,
                replica_failures=0, replica=Replica.UNKNOWN, semi_sync=False, async_since=seen.wall, refusal=None,
                watchdog_only=False, last_failover={"ts": seen.wall, "from": str(old), "to": str(new),
                                                    "seconds": seconds})
    return m, [emit("failover_completed", "warning", primary=str(new), previous=str(old),
                    seconds_since_first_failure=seconds, drain_s=seen.drained.seconds, gtid=seen.drained.applied,
                    detail="new primary async until the old one rejoins as its replica")]


# ---------------------------------------------------------------------- reporting
def needs_person(m: Memory, pair: PairSpec) -> str | None:
    """What the watchdog waits for a person to do, from its state: a refused failover, a diverged or broken node."""
    if m.refusal is not None:
        return m.refusal.reason
    if m.fenced:
        return rebuild_hint(m.fenced[-1].node, pair, "{node} diverged")
    if m.replica is Replica.BROKEN and m.primary is not None:
        return rebuild_hint(next(n for n in pair.nodes if n != m.primary), pair, "replication broken on {node}")
    return None


def rebuild_hint(node: Node, pair: PairSpec, what: str) -> str:
    return f"{what.format(node=node)}: bin/rejoin {pair.service} --rebuild"
