"""MySQL backend that finds its node in a pair by asking each one for `@@read_only`.

Settings: NODES ("host:port,host:port"), ROLE ("primary" or "replica") and
REPLICA_MAX_LAG (seconds). The primary alias connects to the node with
read_only=0, the way libpq's target_session_attrs=read-write does, so a
failover needs no restart. The replica alias prefers a healthy read-only
replica and falls back to the primary, so a dead replica fails no request.
"""
from __future__ import annotations

import threading
import time

from django.core.signals import request_started
from django.db import connections
from django.db.backends.mysql import base as mysql_base
from MySQLdb import OperationalError

from sis_common.mariadb.nodes import Node, parse_nodes

FALLBACK_RETRY_SECONDS = 2.0
LAG_CHECK_SECONDS = 1.0
# the server died or went away under a query (CR_SERVER_GONE_ERROR, CR_SERVER_LOST, CR_SERVER_LOST_EXTENDED)
LOST_CONNECTION = frozenset({2006, 2013, 2055})

# Last primary seen per node list, shared by the threads of a process so a new
# connection tries it first instead of probing every node.
_last_primary: dict[str, Node] = {}
_lock = threading.Lock()


class DatabaseWrapper(mysql_base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.node: Node | None = None
        self.on_primary = False
        self._connected_at = 0.0
        self._lag_checked_at = 0.0

    @property
    def role(self) -> str:
        return self.settings_dict.get("ROLE", "primary")

    @property
    def nodes(self) -> tuple[Node, ...]:
        return parse_nodes(self.settings_dict["NODES"])

    def get_new_connection(self, conn_params):
        picker = self._connect_primary if self.role == "primary" else self._connect_replica
        conn, node, is_primary = picker(conn_params)
        self.node, self.on_primary = node, is_primary
        self._connected_at = self._lag_checked_at = time.monotonic()
        return conn

    # A transaction opens with BEGIN under the session's autocommit, which its COMMIT or ROLLBACK leaves
    # on: one round trip per transaction where Django's SET autocommit=0 … COMMIT … SET autocommit=1 takes
    # two (the driver skips a SET to the mode the server last reported). Atomic blocks ask for this
    # (force_begin_transaction_with_broken_autocommit); a plain set_autocommit(False) still turns it off.
    def _start_transaction_under_autocommit(self):
        with self.wrap_database_errors:
            self.connection.autocommit(True)  # a no-op but on a fresh connection, which the driver opens with it off
            with self.connection.cursor() as cur:
                cur.execute("BEGIN")

    def create_cursor(self, name=None):
        cursor = super().create_cursor(name)
        return _RereadingCursor(cursor.cursor, self) if self.role == "replica" else cursor

    def reconnect_cursor(self):
        """Drop a dead connection and choose a node again (the primary when the replica is gone)."""
        try:
            self.connection.close()
        except Exception:  # it is dead already
            pass
        self.connection = None
        self.connect()
        return self.connection.cursor()

    def _open(self, conn_params, node: Node):
        params = dict(conn_params, host=node.host, port=node.port)
        params.pop("unix_socket", None)
        return super().get_new_connection(params)

    def _ordered_nodes(self) -> list[Node]:
        nodes = list(self.nodes)
        cached = _last_primary.get(self.settings_dict["NODES"])
        if cached in nodes:
            nodes.remove(cached)
            nodes.insert(0, cached)
        return nodes

    def _connect_primary(self, conn_params):
        errors = []
        for node in self._ordered_nodes():
            try:
                conn = self._open(conn_params, node)
            except OperationalError as exc:
                errors.append(f"{node}: {exc.args[-1]}")
                continue
            if not _is_read_only(conn):
                with _lock:
                    _last_primary[self.settings_dict["NODES"]] = node
                return conn, node, True
            conn.close()
            errors.append(f"{node}: read-only")
        raise OperationalError(2003, "no writable primary among " + "; ".join(errors))

    def _connect_replica(self, conn_params):
        fallback = None
        max_lag = float(self.settings_dict.get("REPLICA_MAX_LAG", 5))
        for node in reversed(self._ordered_nodes()):
            try:
                conn = self._open(conn_params, node)
            except OperationalError:
                continue
            if _is_read_only(conn) and _replica_fresh(conn, max_lag):
                if fallback:
                    fallback[0].close()
                return conn, node, False
            if fallback is None and not _is_read_only(conn):
                fallback = (conn, node, True)
            else:
                conn.close()
        if fallback:
            return fallback
        raise OperationalError(2003, "no database node reachable for reads")

    def is_usable(self):
        """Health check at the start of a request: right node, still in its role."""
        try:
            if self.role == "primary":
                return not _is_read_only(self.connection)
            return self._replica_still_right()
        except Exception:  # any failure means: reconnect
            return False

    def _replica_still_right(self) -> bool:
        # Between role checks a read trusts its connection without a ping: a dead node shows as a
        # lost connection, on which _RereadingCursor reconnects and runs the read again. After an
        # error Django asks again before reusing the connection, and then it is really checked.
        now = time.monotonic()
        if self.on_primary:
            # reading from the primary is the fallback; look for the replica again soon
            return now - self._connected_at < FALLBACK_RETRY_SECONDS and self._alive()
        if now - self._lag_checked_at < LAG_CHECK_SECONDS:
            return self._alive()
        self._lag_checked_at = now
        max_lag = float(self.settings_dict.get("REPLICA_MAX_LAG", 5))
        return _is_read_only(self.connection) and _replica_fresh(self.connection, max_lag)

    def _alive(self) -> bool:
        return not self.errors_occurred or self.connection.ping() is None


class _RereadingCursor(mysql_base.CursorWrapper):
    """A read on the replica whose node died under it runs once more on a freshly chosen node.

    Only the replica alias gets it: it carries reads outside transactions
    (the router sends everything else to the primary), so a re-run is safe
    and a killed replica fails no request.
    """

    def __init__(self, cursor, wrapper: DatabaseWrapper):
        super().__init__(cursor)
        self.wrapper = wrapper

    def execute(self, query, args=None):
        try:
            return super().execute(query, args)
        except OperationalError as exc:
            if exc.args[0] not in LOST_CONNECTION or self.wrapper.in_atomic_block:
                raise
        self.cursor = self.wrapper.reconnect_cursor()
        return super().execute(query, args)


def _is_read_only(conn) -> bool:
    with conn.cursor() as cur:
        cur.execute("SELECT @@read_only")
        return bool(cur.fetchone()[0])


def _replica_fresh(conn, max_lag: float) -> bool:
    """A replica is usable when its applier runs and is within `max_lag` seconds."""
    with conn.cursor() as cur:
        cur.execute("SHOW SLAVE STATUS")
        row = cur.fetchone()
        if not row:
            return False
        cols = [d[0] for d in cur.description]
    status = dict(zip(cols, row))
    lag = status.get("Seconds_Behind_Master")
    return status.get("Slave_SQL_Running") == "Yes" and lag is not None and lag <= max_lag


def _recheck_roles(**kwargs) -> None:
    """Every request re-verifies each pair connection's role before its first query.

    Django does this through close_old_connections, which its test client
    switches off; roles can swap between any two requests, so we do it always.
    """
    for conn in connections.all(initialized_only=True):
        if isinstance(conn, DatabaseWrapper):
            conn.health_check_done = False


request_started.connect(_recheck_roles, dispatch_uid="sis_common.db.recheck_roles")
