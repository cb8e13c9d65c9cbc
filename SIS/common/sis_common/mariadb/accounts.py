"""Every MariaDB account of a pair and its exact privileges, made node-local by root (docs/security.md)."""
from __future__ import annotations

from .replication import PairSpec

# Steering replication and the fence, nothing else. READ_ONLY ADMIN is the only privilege that may
# `SET GLOBAL read_only` and it also lets its holder write through read_only, so this account holds
# no right on any table, database or account: through the fence it can change nothing.
OPS_PRIVILEGES = ("READ_ONLY ADMIN, REPLICATION SLAVE ADMIN, REPLICATION MASTER ADMIN, SLAVE MONITOR, "
                  "BINLOG MONITOR, RELOAD")
# what a replica's IO thread needs from its primary
REPLICATION_PRIVILEGES = "REPLICATION SLAVE, REPLICATION CLIENT"
# serving requests reads and writes rows, nothing more: no CREATE, ALTER or DROP
APP_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
# migrations (and tests, which empty tables with TRUNCATE) run as the schema's owner
MIGRATOR_PRIVILEGES = "ALL PRIVILEGES"
# role and lag checks by the application read replica status, nothing more
MONITOR_PRIVILEGES = "SLAVE MONITOR, BINLOG MONITOR"
# backups, binlog extraction and restore checks read: a consistent dump (the snapshot's lock and
# GTID) and the binary logs, never a write and never the fence
READER_DB_PRIVILEGES = "SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES"
READER_PRIVILEGES = "RELOAD, BINLOG MONITOR, REPLICATION SLAVE, SLAVE MONITOR"
# hosts an earlier ops account also had, with ALL ... WITH GRANT OPTION: dropped, as they would
# match a loopback connection before '%'
LEGACY_OPS_HOSTS = ("127.0.0.1", "localhost")
# the replication account every pair shared before each got its own
LEGACY_USERS = ("ewtto_repl",)


def literal(value: str) -> str:
    """A MariaDB string literal (default sql_mode: backslash escapes)."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _account(user: str) -> str:
    return f"{literal(user)}@'%'"


def statements(pair: PairSpec) -> list[str]:
    """The SQL that gives one node the pair's schema and accounts, outside the binary log.

    Run by root on every node (the local socket, or the Docker entrypoint's --init-file), on
    every start or bin/up: passwords and grants become exactly these, also for an account that
    held more before. Unlogged, so a fresh node's GTID history stays empty.
    """
    db = f"`{pair.database}`"
    sql = ["SET SESSION sql_log_bin = 0",
           f"CREATE DATABASE IF NOT EXISTS {db} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"]
    sql += [f"DROP USER IF EXISTS {literal(pair.admin.user)}@{literal(host)}" for host in LEGACY_OPS_HOSTS]
    in_use = {pair.admin.user, pair.replication.user, pair.app.user}
    # a replica's running IO thread keeps its session; setup_pair re-points it with the new account
    sql += [f"DROP USER IF EXISTS {_account(user)}" for user in LEGACY_USERS if user not in in_use]
    grants = [(pair.admin, [f"GRANT {OPS_PRIVILEGES} ON *.*"]),
              (pair.replication, [f"GRANT {REPLICATION_PRIVILEGES} ON *.*"]),
              (pair.app, [f"GRANT {APP_PRIVILEGES} ON {db}.*", f"GRANT {MONITOR_PRIVILEGES} ON *.*"])]
    if pair.migrator is not None:
        grants.append((pair.migrator, [f"GRANT {MIGRATOR_PRIVILEGES} ON {db}.*", f"GRANT {MONITOR_PRIVILEGES} ON *.*"]))
    if pair.reader is not None:
        grants.append((pair.reader, [f"GRANT {READER_DB_PRIVILEGES} ON {db}.*", f"GRANT {READER_PRIVILEGES} ON *.*"]))
    for creds, grant_lines in grants:
        account = _account(creds.user)
        sql += [f"CREATE USER IF NOT EXISTS {account} IDENTIFIED BY {literal(creds.password)}",
                f"ALTER USER {account} IDENTIFIED BY {literal(creds.password)}",
                f"REVOKE ALL PRIVILEGES, GRANT OPTION FROM {account}",
                *(f"{line} TO {account}" for line in grant_lines)]
    return sql


def init_file(pair: PairSpec) -> str:
    """statements() as a mariadbd --init-file: one statement per line."""
    return "".join(f"{line};\n" for line in statements(pair))


def ensure(cur, pair: PairSpec) -> None:
    """Run statements() on a root cursor of one node."""
    for line in statements(pair):
        cur.execute(line)
    cur.execute("SET SESSION sql_log_bin = 1")
