"""Roles and replication of a primary/replica pair: inspect, set up, promote, demote."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import MySQLdb

from .gtid import contains, merge, not_contained
from .nodes import Credentials, Node, session

log = logging.getLogger(__name__)


@dataclass
class NodeState:
    """What one probe of a node found."""

    node: Node
    reachable: bool
    read_only: bool | None = None
    gtid_binlog_pos: str = ""
    gtid_current_pos: str = ""
    replicating_from: Node | None = None
    io_running: bool = False
    sql_running: bool = False
    lag_seconds: int | None = None
    last_error: str = ""
    error: str = ""
    # filled by probe(..., detail=True), for the watchdog
    gtid_binlog_state: str = ""
    gtid_slave_pos: str = ""
    gtid_io_pos: str = ""
    io_state: str = ""  # Slave_IO_Running: Yes, No or Connecting
    master_user: str = ""  # the account the replica connects with
    last_io_errno: int = 0
    last_sql_errno: int = 0
    semi_sync_master_enabled: bool | None = None
    semi_sync_master_active: bool | None = None  # Rpl_semi_sync_master_status: ON unless fallen back to async
    semi_sync_clients: int | None = None
    uptime: int | None = None

    @property
    def is_primary(self) -> bool:
        return self.reachable and self.read_only is False

    @property
    def replication_healthy(self) -> bool:
        return self.io_running and self.sql_running and self.lag_seconds == 0

    def as_dict(self) -> dict:
        return {
            "node": str(self.node), "reachable": self.reachable, "read_only": self.read_only,
            "role": role_name(self), "gtid": self.gtid_current_pos,
            "replicating_from": str(self.replicating_from) if self.replicating_from else None,
            "io_running": self.io_running, "sql_running": self.sql_running,
            "lag_seconds": self.lag_seconds, "error": self.error or self.last_error or None,
        }


def role_name(state: NodeState) -> str:
    if not state.reachable:
        return "down"
    if not state.read_only:
        return "primary"
    return "replica" if state.replicating_from else "fenced"


def probe(node: Node, admin: Credentials, *, timeout: float = 1.0, detail: bool = False) -> NodeState:
    """Read role, GTID positions and replica threads of one node (detail: semi-sync and GTID state too)."""
    try:
        with session(node, admin, timeout=timeout) as cur:
            cur.execute("SELECT @@read_only AS ro, @@gtid_binlog_pos AS b, @@gtid_current_pos AS c")
            row = cur.fetchone()
            state = NodeState(node, True, bool(row["ro"]), row["b"] or "", row["c"] or "")
            cur.execute("SHOW SLAVE STATUS")
            _read_slave_status(state, cur.fetchone())
            if detail:
                _read_detail(state, cur)
            return state
    except MySQLdb.Error as exc:
        return NodeState(node, False, error=str(exc))


def _read_detail(state: NodeState, cur) -> None:
    cur.execute("SELECT @@gtid_binlog_state AS s, @@gtid_slave_pos AS p, "
                "@@rpl_semi_sync_master_enabled AS e")
    row = cur.fetchone()
    state.gtid_binlog_state, state.gtid_slave_pos = row["s"] or "", row["p"] or ""
    state.semi_sync_master_enabled = bool(row["e"])
    cur.execute("SHOW GLOBAL STATUS WHERE Variable_name IN "
                "('Rpl_semi_sync_master_status', 'Rpl_semi_sync_master_clients', 'Uptime')")
    status = {r["Variable_name"]: r["Value"] for r in cur.fetchall()}
    state.semi_sync_master_active = status.get("Rpl_semi_sync_master_status") == "ON"
    state.semi_sync_clients = int(status.get("Rpl_semi_sync_master_clients", 0))
    state.uptime = int(status.get("Uptime", 0))


def _read_slave_status(state: NodeState, row: dict | None) -> None:
    if not row or not row.get("Master_Host"):
        return
    state.replicating_from = Node(row["Master_Host"], int(row["Master_Port"]))
    state.io_running = row["Slave_IO_Running"] == "Yes"
    state.sql_running = row["Slave_SQL_Running"] == "Yes"
    lag = row.get("Seconds_Behind_Master")
    state.lag_seconds = None if lag is None else int(lag)
    state.last_error = row.get("Last_IO_Error") or row.get("Last_SQL_Error") or ""
    state.io_state = row["Slave_IO_Running"] or ""
    state.master_user = row.get("Master_User") or ""
    state.gtid_io_pos = row.get("Gtid_IO_Pos") or ""
    state.last_io_errno = int(row.get("Last_IO_Errno") or 0)
    state.last_sql_errno = int(row.get("Last_SQL_Errno") or 0)


@dataclass(frozen=True)
class PairSpec:
    """One service's database pair and the accounts set up on it."""

    service: str
    database: str
    nodes: tuple[Node, Node]
    admin: Credentials
    replication: Credentials
    app: Credentials
    # how a replica reaches the primary when it differs from the admin's view (Docker)
    peer_hosts: dict[Node, Node] = field(default_factory=dict)
    # the schema's owner, for migrations only; the app account serving requests has DML alone
    migrator: Credentials | None = None
    # reads for backups, binlog extraction and restore checks (sis_common.mariadb.accounts)
    reader: Credentials | None = None
    # root's unix socket of each node on this machine (the local stack): account management and
    # loading data into a fenced node go there, never through a TCP account
    sockets: dict[Node, Path] = field(default_factory=dict)

    def peer_address(self, node: Node) -> Node:
        return self.peer_hosts.get(node, node)


def make_writable(cur) -> None:
    """Turn the node behind `cur` into the pair's primary (semi-sync master, writable)."""
    cur.execute("SET GLOBAL rpl_semi_sync_master_enabled = ON")
    cur.execute("SET GLOBAL read_only = OFF")


def point_replica(cur, pair: PairSpec, primary: Node) -> None:
    """Make the node behind `cur` (fenced first) replicate from `primary` by GTID and start it.

    Call it only when the node's history is contained in the primary's
    (`diverged_from` is empty) or the node is empty.
    """
    peer = pair.peer_address(primary)
    cur.execute("SET GLOBAL read_only = ON")
    cur.execute("SET GLOBAL rpl_semi_sync_master_enabled = OFF")
    cur.execute("STOP SLAVE")
    cur.execute(
        "CHANGE MASTER TO MASTER_HOST=%s, MASTER_PORT=%s, MASTER_USER=%s, MASTER_PASSWORD=%s, "
        "MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1, MASTER_HEARTBEAT_PERIOD=1, "
        # a former primary's own transactions count as applied, so it asks for what follows them
        "MASTER_DEMOTE_TO_SLAVE=1",
        (peer.host, peer.port, pair.replication.user, pair.replication.password),
    )
    cur.execute("START SLAVE")


def wait_caught_up(pair: PairSpec, primary: Node, replica: Node, *, timeout: float = 30) -> NodeState:
    """Wait until the replica has applied everything the primary has logged."""
    with session(primary, pair.admin) as cur:
        cur.execute("SELECT @@gtid_binlog_pos AS pos")
        pos = cur.fetchone()["pos"]
    with session(replica, pair.admin, timeout=timeout) as cur:
        cur.execute("SELECT MASTER_GTID_WAIT(%s, %s) AS r", (pos, timeout))
        if cur.fetchone()["r"] != 0:
            raise RuntimeError(f"{pair.service}: replica {replica} did not reach {pos} in {timeout}s")
    return probe(replica, pair.admin)


def wait_threads_running(pair: PairSpec, replica: Node, *, timeout: float = 30) -> NodeState:
    """Wait until both replication threads run, or one stops on an error; the last state seen.

    A replica that already holds the primary's position is caught up at once, while its IO
    thread may still be connecting after START SLAVE (slower on a loaded machine).
    """
    deadline = time.monotonic() + timeout
    while True:
        state = probe(replica, pair.admin)
        # a connecting IO thread retries its errors by itself; a stopped thread will not
        stopped = state.io_state == "No" or (state.last_sql_errno and not state.sql_running)
        settled = (state.io_running and state.sql_running) or stopped
        if settled or time.monotonic() >= deadline:
            return state
        time.sleep(0.1)


def wait_semi_sync_client(pair: PairSpec, primary: Node, *, timeout: float = 5) -> bool:
    """Wait for the replica to register for semi-sync, so the next commit is not held for the timeout."""
    deadline = time.monotonic() + timeout
    with session(primary, pair.admin) as cur:
        while time.monotonic() < deadline:
            cur.execute("SHOW STATUS LIKE 'Rpl_semi_sync_master_clients'")
            if int(cur.fetchone()["Value"]) > 0:
                return True
            time.sleep(0.05)
    return False


def current_roles(pair: PairSpec) -> tuple[Node | None, Node | None]:
    """(primary, replica) as the nodes report them; None where a role is vacant."""
    states = [probe(n, pair.admin) for n in pair.nodes]
    primaries = [s for s in states if s.is_primary]
    if len(primaries) > 1:
        raise RuntimeError(f"{pair.service}: two writable nodes {[str(s.node) for s in primaries]}")
    primary = primaries[0].node if primaries else None
    others = [s.node for s in states if s.node != primary]
    return primary, (others[0] if others else None)


def choose_primary(pair: PairSpec, *, preferred: Node | None = None) -> tuple[Node, Node]:
    """(primary, replica): the writable node, else the best of two fenced (read-only) nodes.

    Every node boots read-only, so after a restart of the whole stack no node
    is writable. Then the node whose history holds the other's wins, the one
    not configured as a replica first (the last primary); `preferred` (the
    watchdog's last known primary) breaks the tie of a diverged pair; a fresh
    pair takes its first node.
    """
    primary, replica = current_roles(pair)
    if primary is not None:
        return primary, replica
    states = [probe(n, pair.admin, detail=True) for n in pair.nodes]
    if not all(s.reachable for s in states):
        return pair.nodes[0], pair.nodes[1]
    ranked = sorted(states, key=lambda s: (s.node != preferred, s.replicating_from is not None))
    for candidate in ranked:
        other = next(s for s in states if s is not candidate)
        if contains(merge_history(candidate), other.gtid_current_pos):
            return candidate.node, other.node
    first, second = ranked
    log.error("%s: diverged pair (%s vs %s); %s becomes primary, %s stays fenced",
              pair.service, first.gtid_current_pos, second.gtid_current_pos, first.node, second.node)
    return first.node, second.node


def merge_history(state: NodeState) -> str:
    """Everything a node is known to hold: its binlog state plus what it applied as a replica."""
    return merge(state.gtid_binlog_state, state.gtid_slave_pos, state.gtid_current_pos)


def diverged_from(pair: PairSpec, primary: Node, node: Node) -> list[str]:
    """GTIDs `node` has that `primary` lacks (empty: `node` may replicate from `primary`)."""
    ours, theirs = probe(primary, pair.admin, detail=True), probe(node, pair.admin, detail=True)
    return [str(g) for g in not_contained(theirs.gtid_binlog_pos, merge_history(ours))]


def setup_pair(pair: PairSpec, *, timeout: float = 30, preferred: Node | None = None) -> dict:
    """Bring a pair to 'one writable primary, one healthy GTID replica'; safe to repeat.

    Only the ops account (pair.admin) is used: every node holds its accounts and the schema
    already (sis_common.mariadb.accounts, made by root).

    A replica whose history diverged from the primary's is left fenced
    (read-only, not replicating) and reported, never pointed at the primary.
    """
    primary, replica = choose_primary(pair, preferred=preferred)
    diverged = diverged_from(pair, primary, replica)
    with session(primary, pair.admin) as cur:
        make_writable(cur)
        if diverged:  # no replica to acknowledge: commits must not wait for the semi-sync timeout
            cur.execute("SET GLOBAL rpl_semi_sync_master_enabled = OFF")
    if diverged:
        log.error("%s: replica %s diverged (%s): left fenced; bin/rejoin %s --rebuild",
                  pair.service, replica, ",".join(diverged), pair.service)
        return {"service": pair.service, "primary": str(primary), "replica": None,
                "fenced": str(replica), "diverged": diverged, "lag_seconds": None}
    state = probe(replica, pair.admin)
    # another replication account (per pair since an upgrade) means pointing the replica again
    if not (state.replicating_from == pair.peer_address(primary) and state.master_user == pair.replication.user
            and state.io_running and state.sql_running):
        with session(replica, pair.admin) as cur:
            point_replica(cur, pair, primary)
    wait_semi_sync_client(pair, primary)
    wait_caught_up(pair, primary, replica, timeout=timeout)
    state = wait_threads_running(pair, replica, timeout=timeout)
    if not (state.io_running and state.sql_running):
        raise RuntimeError(f"{pair.service}: replication not running on {replica} "
                           f"(IO thread {state.io_state or 'off'}): {state.last_error}")
    log.info("pair ready %s primary=%s replica=%s", pair.service, primary, replica)
    return {"service": pair.service, "primary": str(primary), "replica": str(replica),
            "lag_seconds": state.lag_seconds}
