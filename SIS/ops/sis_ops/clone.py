"""Re-cloning a node from the primary with mariadb-dump: a consistent snapshot and its GTID.

Used to rebuild a node whose history diverged: the node is emptied by the
caller (fresh datadir), then loaded from a --single-transaction dump that
carries the snapshot's GTID, and set to replicate from that point.
"""
from __future__ import annotations

import os
import subprocess

from sis_common.mariadb.nodes import Node, session
from sis_common.mariadb.replication import (PairSpec, _ensure_replication_account, _ensure_schema_and_app_account,
                                           point_replica, probe)


def clone(pair: PairSpec, primary: Node, target: Node, *, timeout: float = 600) -> str:
    """Load the pair's database from `primary` into the empty `target`; return the GTID it starts from."""
    env = {**os.environ, "MYSQL_PWD": pair.admin.password}
    source = pair.peer_address(primary)
    dump = subprocess.Popen(
        ["mariadb-dump", "--protocol=tcp", "-h", source.host, "-P", str(source.port), "-u", pair.admin.user,
         "--single-transaction", "--gtid", "--master-data=1", "--routines", "--triggers", "--events",
         "--databases", pair.database],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )
    # nothing loaded here may enter the target's binlog: its history must stay the primary's
    load = subprocess.run(
        ["mariadb", "--protocol=tcp", "-h", target.host, "-P", str(target.port), "-u", pair.admin.user,
         "--init-command=SET SESSION sql_log_bin = 0"],
        stdin=dump.stdout, capture_output=True, timeout=timeout, env=env,
    )
    dump.stdout.close()
    dump_err = dump.stderr.read().decode()
    if dump.wait(timeout) != 0 or load.returncode != 0:
        raise RuntimeError(f"clone of {pair.service} from {primary} failed: {dump_err} {load.stderr.decode()}")
    with session(target, pair.admin, timeout=5) as cur:
        _ensure_replication_account(cur, pair)
        cur.execute("SET SESSION sql_log_bin = 0")
        _ensure_schema_and_app_account(cur, pair)
        point_replica(cur, pair, primary)
    return probe(target, pair.admin, detail=True).gtid_slave_pos
