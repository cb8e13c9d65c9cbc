"""Counting SQL statements per database alias with an execute wrapper on every new connection."""
from __future__ import annotations

from django.db import connections
from django.db.backends.signals import connection_created

from .series import DB_QUERIES

VERBS = frozenset({"SELECT", "INSERT", "UPDATE", "DELETE"})


class QueryCounter:
    """Execute wrapper: one counter increment per statement (executemany counts once)."""

    def __init__(self, alias: str):
        self.alias = alias

    def __call__(self, execute, sql, params, many, context):
        head = sql.lstrip()[:6].upper() if isinstance(sql, str) else ""
        DB_QUERIES.labels(self.alias, head if head in VERBS else "other").inc()
        return execute(sql, params, many, context)


def _attach(sender, connection, **kwargs) -> None:
    # a connection object lives across reconnects: attach once
    if not any(isinstance(w, QueryCounter) for w in connection.execute_wrappers):
        connection.execute_wrappers.append(QueryCounter(connection.alias))


def install() -> None:
    """Count on every connection opened from now on, and on this thread's already open ones."""
    connection_created.connect(_attach, dispatch_uid="sis_common.metrics.count_queries")
    for connection in connections.all(initialized_only=True):
        _attach(None, connection)
