"""Moving the primary role inside a pair without losing a transaction: drain, promote, demote.

The order matters. A replica whose primary died still holds, in its relay
log, transactions it received (and acknowledged for semi-sync) but has not
applied yet. Restarting its replication threads would make MariaDB discard
that relay log and ask the (dead) primary again, so the IO thread is stopped
and only the SQL thread is waited for, with MASTER_GTID_WAIT, until everything
received is applied. Only then may the node become writable.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from sis_common.mariadb.gtid import contains
from sis_common.mariadb.nodes import Node, session
from sis_common.mariadb.replication import PairSpec, make_writable, point_replica


class NotCaughtUp(RuntimeError):
    """The replica could not be proven to have applied everything it received."""


@dataclass(frozen=True)
class Drained:
    received: str  # Gtid_IO_Pos: everything the IO thread wrote to the relay log
    applied: str  # gtid_slave_pos once the SQL thread finished it
    seconds: float


def drain(pair: PairSpec, replica: Node, *, timeout: float = 10) -> Drained:
    """Stop fetching, then wait until everything already received is applied.

    Never restarts a replication thread: the relay log must survive. Raises
    NotCaughtUp when the SQL thread does not get there within `timeout`.
    """
    started = time.monotonic()
    with session(replica, pair.admin, timeout=max(timeout, 1)) as cur:
        cur.execute("STOP SLAVE IO_THREAD")
        cur.execute("SHOW SLAVE STATUS")
        row = cur.fetchone()
        if not row:
            raise NotCaughtUp(f"{replica} is not a replica")
        received = row.get("Gtid_IO_Pos") or ""
        if received:
            if row["Slave_SQL_Running"] != "Yes":
                raise NotCaughtUp(f"{replica}: SQL thread stopped ({row.get('Last_SQL_Error') or 'no error'}) "
                                  f"with {received} received")
            cur.execute("SELECT MASTER_GTID_WAIT(%s, %s) AS r", (received, timeout))
            if cur.fetchone()["r"] != 0:
                raise NotCaughtUp(f"{replica}: received {received} but did not apply it within {timeout}s")
        cur.execute("SELECT @@gtid_slave_pos AS p")
        applied = cur.fetchone()["p"] or ""
    if not contains(applied, received):
        raise NotCaughtUp(f"{replica}: applied {applied} does not hold received {received}")
    return Drained(received, applied, round(time.monotonic() - started, 3))


def promote(pair: PairSpec, node: Node, *, semi_sync: bool) -> None:
    """Make a drained (or caught-up) replica the primary: forget its primary, then writable.

    `semi_sync` False when no replica is there to acknowledge yet: with
    rpl_semi_sync_master_wait_no_slave every commit would otherwise wait the
    full rpl_semi_sync_master_timeout first.
    """
    with session(node, pair.admin, timeout=5) as cur:
        cur.execute("STOP SLAVE")
        cur.execute("RESET SLAVE ALL")
        make_writable(cur)
        if not semi_sync:
            cur.execute("SET GLOBAL rpl_semi_sync_master_enabled = OFF")


def fence(pair: PairSpec, node: Node) -> None:
    """Read-only and no semi-sync master: the node can take no write from the application."""
    with session(node, pair.admin, timeout=5) as cur:
        cur.execute("SET GLOBAL read_only = ON")
        cur.execute("SET GLOBAL rpl_semi_sync_master_enabled = OFF")


def demote(pair: PairSpec, node: Node, primary: Node) -> None:
    """Make a node whose history the primary holds replicate from it (GTID, demoted to slave)."""
    with session(node, pair.admin, timeout=5) as cur:
        point_replica(cur, pair, primary)


def set_semi_sync(pair: PairSpec, primary: Node, on: bool) -> None:
    """Switch the primary between semi-sync (lossless, needs an acknowledging replica) and async."""
    with session(primary, pair.admin) as cur:
        cur.execute(f"SET GLOBAL rpl_semi_sync_master_enabled = {'ON' if on else 'OFF'}")

