"""Tests of MariaDB accounts: what a statement gets when an account that should not run it tries."""
from __future__ import annotations

import MySQLdb

from sis_common.mariadb.nodes import connect

TABLE_DENIED, DB_DENIED, NEEDS_PRIVILEGE, READ_ONLY, LOGIN_DENIED = 1142, 1044, 1227, 1290, 1045


def refused(node, creds, sql: str) -> int:
    """The error number `sql` gets as `creds` on `node` (AssertionError if it is accepted)."""
    conn = connect(node, creds, timeout=5)
    try:
        conn.cursor().execute(sql)
    except MySQLdb.MySQLError as exc:
        return exc.args[0]
    finally:
        conn.close()
    raise AssertionError(f"{creds.user} on {node} was allowed: {sql}")
