"""Fresh MariaDB pairs for restores: new datadirs on free loopback ports, run outside the supervisor.

A restore into a fresh pair leaves the service's own pair untouched: the
restored copy can be inspected, compared or used to recover rows, then
discarded with `bin/restore --discard <dir>`.
"""
from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from sis_common.mariadb import server
from sis_common.mariadb.replication import PairSpec
from sis_common.testing.pair import free_port

INFO = "pair.json"
SERVER_ID_BASE = 9000  # apart from the stack's ids, so nothing mistakes a copy for an original node


@dataclass
class ScratchPair:
    base: Path
    spec: PairSpec
    nodes: tuple[server.LocalNode, server.LocalNode]


def create(base: Path, like: PairSpec, *, detached: bool = True) -> ScratchPair:
    """Initialise and start two nodes under `base`, with the accounts of `like` (same users, same passwords).

    Detached nodes outlive the caller (bin/restore); tests start them tied to the test process.
    """
    base.mkdir(parents=True, exist_ok=False)
    nodes = tuple(server.LocalNode(f"{like.service}-restore-{i}", free_port(), SERVER_ID_BASE + i, base / f"n{i}")
                  for i in (1, 2))
    spec = dataclasses.replace(like, nodes=(nodes[0].node, nodes[1].node), peer_hosts={},
                               sockets={n.node: n.socket for n in nodes})
    for node in nodes:
        server.initialise(node)
        if detached:
            _start_detached(node)
        else:
            server.start(node)
        server.ensure_accounts(node, spec)
    (base / INFO).write_text(json.dumps({
        "service": like.service, "database": like.database,
        "nodes": [{"name": n.name, "address": str(n.node), "datadir": str(n.datadir)} for n in nodes],
    }, indent=2) + "\n")
    return ScratchPair(base, spec, nodes)


def write_client_file(scratch: ScratchPair, primary: str) -> Path:
    """client.cnf (0600) to open the restored database with `mariadb --defaults-file=...`."""
    host, _, port = primary.rpartition(":")
    path = scratch.base / "client.cnf"
    path.touch(mode=0o600)
    # the backup reader: looking inside changes nothing
    reader = scratch.spec.reader
    path.write_text(f'[client]\nhost={host}\nport={port}\nprotocol=TCP\nuser="{reader.user}"\n'
                    f'password="{reader.password}"\ndatabase={scratch.spec.database}\n')
    return path


def _start_detached(node: server.LocalNode) -> None:
    """Start mariadbd in its own session: it outlives bin/restore and ignores the terminal's Ctrl-C."""
    (node.base / "tmp").mkdir(parents=True, exist_ok=True)  # the node's own --tmpdir (LocalNode.argv)
    with open(node.base / "stdout.log", "ab") as log:
        proc = subprocess.Popen(node.argv(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    server.wait_ready(node, proc=proc)


def discard(base: Path, *, timeout: float = 30) -> None:
    """Stop the nodes of a scratch pair and delete it."""
    if not (base / INFO).is_file():
        raise ValueError(f"{base} is not a restore made by bin/restore (no {INFO})")
    pids = []
    for pid_file in base.glob("n*/mysqld.pid"):
        try:
            pid = int(pid_file.read_text().strip())
            os.kill(pid, signal.SIGTERM)
            pids.append(pid)
        except (ValueError, ProcessLookupError):
            continue
    deadline = time.monotonic() + timeout
    for pid in pids:
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
    shutil.rmtree(base)


def _alive(pid: int) -> bool:
    """Running, and not a zombie (a node started by this very process is reaped here)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    if state == "Z":
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
        return False
    return True
