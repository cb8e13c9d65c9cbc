"""Database router: writes and transactional reads to the primary, other reads to the replica."""
from __future__ import annotations

from django.conf import settings
from django.db import connections

from . import request_state

PRIMARY = "default"
REPLICA = "replica"
# whatever the settings say: a read waiting for its token's write holds a worker, so it stays short
MAX_WAIT_SECONDS = 1.0


class PrimaryReplicaRouter:
    def db_for_write(self, model, **hints):
        request_state.current().wrote = True
        return PRIMARY

    def db_for_read(self, model, **hints):
        if REPLICA not in settings.DATABASES:
            return PRIMARY
        state = request_state.current()
        if state.wrote or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        if state.causal_gtid and not _replica_has(state):
            return PRIMARY
        return REPLICA

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


def _replica_has(state: request_state.RoutingState) -> bool:
    """Causal read: wait briefly for the replica to apply the client's last write."""
    if not state.causal_checked:
        state.causal_checked = True
        state.replica_caught_up = wait_for_gtid(state.causal_gtid)
    return state.replica_caught_up


def wait_for_gtid(gtid: str) -> bool:
    conn = connections[REPLICA]
    conn.ensure_connection()
    if getattr(conn, "on_primary", False):
        return True
    timeout = min(float(settings.DATABASES[REPLICA].get("CAUSAL_WAIT_SECONDS", 0.5)), MAX_WAIT_SECONDS)
    with conn.cursor() as cur:
        cur.execute("SELECT MASTER_GTID_WAIT(%s, %s)", [gtid, timeout])
        return cur.fetchone()[0] == 0
