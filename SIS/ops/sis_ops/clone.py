"""Re-cloning a node from the primary with mariadb-dump: a consistent snapshot and its GTID.

Used to rebuild a node whose history diverged: the node is emptied by the
caller (fresh datadir, its accounts made), then loaded from a --single-transaction
dump that carries the snapshot's GTID, and set to replicate from that point.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

from sis_common.mariadb.nodes import Node, session
from sis_common.mariadb.replication import PairSpec, point_replica, probe

from . import client_programs


def clone(pair: PairSpec, primary: Node, target: Node, socket: Path, *, timeout: float = 600) -> str:
    """Load the pair's database from `primary` into the empty `target` (root's `socket` on this machine).

    Return the GTID it starts from.
    """
    source = pair.peer_address(primary)
    # read by the backup reader; loaded by root on the target's socket (it is fenced)
    with client_programs.credentials_file(pair.reader) as option_file:
        dump = subprocess.Popen(
            client_programs.argv("mariadb-dump", source, option_file, "--single-transaction", "--gtid",
                                 "--master-data=1", "--routines", "--triggers", "--events",
                                 "--databases", pair.database),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        # nothing loaded here may enter the target's binlog: its history must stay the primary's
        load = subprocess.run(
            ["mariadb", "--no-defaults", f"--socket={socket}", "--user=root",
             "--init-command=SET SESSION sql_log_bin = 0"],
            stdin=dump.stdout, capture_output=True, timeout=timeout,
        )
        dump.stdout.close()
        dump_err = dump.stderr.read().decode()
        failed = dump.wait(timeout) != 0 or load.returncode != 0
    if failed:
        raise RuntimeError(f"clone of {pair.service} from {primary} failed: {dump_err} {load.stderr.decode()}")
    with session(target, pair.admin, timeout=5) as cur:
        point_replica(cur, pair, primary)
    return probe(target, pair.admin, detail=True).gtid_slave_pos
