"""Bringing a fenced node back: rejoin when its history allows, else rebuild it from the primary.

A rebuild throws the node's data away (its datadir is kept aside as
data.diverged-<time> and its extra transactions are logged first), starts it
empty and loads a consistent dump of the primary with the dump's GTID, then
makes it the primary's replica.
"""
from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Protocol

from sis_common.mariadb import server
from sis_common.mariadb.divergence import extra_transactions
from sis_common.mariadb.gtid import not_contained
from sis_common.mariadb.nodes import Node
from sis_common.mariadb.replication import PairSpec, current_roles, merge_history, probe, wait_caught_up
from sis_common.watchdog_files import EventLog

from .clone import clone
from .pairlock import pair_lock
from .promotion import demote, set_semi_sync


class NodeControl(Protocol):
    def stop(self, node: Node) -> None: ...

    def start(self, node: Node) -> None: ...

    def local_node(self, node: Node) -> server.LocalNode: ...


class RejoinRefused(RuntimeError):
    pass


def inspect(pair: PairSpec) -> dict:
    """Roles, and what the non-primary node holds that the primary lacks."""
    primary, other = current_roles(pair)
    if primary is None:
        raise RejoinRefused(f"{pair.service}: no writable primary to rejoin")
    ours, theirs = probe(primary, pair.admin, detail=True), probe(other, pair.admin, detail=True)
    report = {"service": pair.service, "primary": str(primary), "node": str(other), "reachable": theirs.reachable,
              "replicating": bool(theirs.replicating_from and theirs.io_running and theirs.sql_running)}
    if theirs.reachable:
        history = merge_history(ours)
        extra = not_contained(theirs.gtid_binlog_pos, history)
        report["diverged"] = bool(extra)
        report["transactions"] = [t.as_dict() for t in extra_transactions(other, pair.admin, history)] if extra else []
    return report


def rejoin(pair: PairSpec, events: EventLog, control: Path) -> dict:
    """Make the fenced node the primary's replica, when its history allows it."""
    with pair_lock(control, pair.service, wait=15):
        report = inspect(pair)
        if not report["reachable"]:
            raise RejoinRefused(f"{report['node']} is down: start it first (bin/status shows its process)")
        if report["diverged"]:
            raise RejoinRefused(f"{report['node']} diverged: bin/rejoin {pair.service} --rebuild re-clones it")
        demote(pair, Node.parse(report["node"]), Node.parse(report["primary"]))
        events.emit("rejoined", service=pair.service, node=report["node"], primary=report["primary"], by="rejoin")
        return report


def rebuild(pair: PairSpec, events: EventLog, control: Path, nodes: NodeControl, *, timeout: float = 120) -> dict:
    """Re-clone the non-primary node from the primary (its own data kept aside, not deleted)."""
    with pair_lock(control, pair.service, wait=15):
        primary, target = current_roles(pair)
        if primary is None:
            raise RejoinRefused(f"{pair.service}: no writable primary to clone from")
        report = inspect(pair) if probe(target, pair.admin).reachable else {"node": str(target), "transactions": []}
        events.emit("rebuild_started", service=pair.service, level="warning", node=str(target), primary=str(primary),
                    discarded_transactions=report.get("transactions", []))
        local = nodes.local_node(target)
        nodes.stop(target)
        kept = local.datadir.with_name(f"data.diverged-{time.strftime('%Y%m%d-%H%M%S')}")
        if local.datadir.exists():
            shutil.move(str(local.datadir), kept)
        server.initialise(local)
        nodes.start(target)
        server.ensure_accounts(local, pair)
        gtid = clone(pair, primary, target, local.socket, timeout=timeout)
        state = wait_caught_up(pair, primary, target, timeout=timeout)
        deadline = time.monotonic() + timeout
        while not (state.io_running and state.sql_running) and time.monotonic() < deadline:
            time.sleep(0.1)  # caught up from the dump alone; the IO thread may still be connecting
            state = probe(target, pair.admin)
        if state.io_running and state.sql_running:
            set_semi_sync(pair, primary, True)  # else the watchdog switches it on once the replica runs
        result = {"service": pair.service, "node": str(target), "primary": str(primary), "from_gtid": gtid,
                  "replicating": state.io_running and state.sql_running, "old_data": str(kept)}
        events.emit("rebuilt", **result)
        return result
