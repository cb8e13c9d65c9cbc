"""A real primary/replica pair for one test process, on free ports in a temporary directory."""
from __future__ import annotations

import atexit
import os
import secrets
import shutil
import socket
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sis_common.mariadb import replication, server
from sis_common.mariadb.nodes import Credentials, Node

from .internal import export_internal_credentials
from .keys import export_test_keys


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def scratch_dir(prefix: str) -> Path:
    """Datadirs on tmpfs when there is one: durability settings stay on, fsync gets cheap."""
    root = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    return Path(tempfile.mkdtemp(prefix=prefix, dir=root))


@dataclass
class TestPair:
    spec: replication.PairSpec
    nodes: tuple[server.LocalNode, server.LocalNode]
    procs: dict
    base: Path

    def env(self) -> dict[str, str]:
        """The variables the project's settings read for its database."""
        return {
            "EWTTO_DB_NODES": ",".join(str(n.node) for n in self.nodes),
            "EWTTO_DB_NAME": self.spec.database,
            # tests migrate and empty tables (TRUNCATE): they run as the schema's owner, not the app
            "EWTTO_DB_USER": self.spec.migrator.user,
            "EWTTO_DB_PASSWORD": self.spec.migrator.password,
        }

    def root(self, node: Node):
        """root's dict cursor on a node (socket): what a test does beyond every TCP account's rights."""
        return server.root_cursor(self.spec.sockets[node])

    def stop_node(self, index: int, *, hard: bool = False) -> None:
        server.stop(self.procs.pop(index), hard=hard)

    def start_node(self, index: int) -> None:
        self.procs[index] = server.start(self.nodes[index])

    def close(self) -> None:
        for proc in self.procs.values():
            server.stop(proc, hard=True)
        self.procs.clear()
        shutil.rmtree(self.base, ignore_errors=True)


def start_pair(service: str, database: str) -> TestPair:
    base = scratch_dir(f"ewtto-{service}-")
    nodes = tuple(server.LocalNode(f"{service}-{i}", free_port(), 100 + i, base / f"n{i}") for i in (1, 2))
    procs = {}
    for i, node in enumerate(nodes):
        server.initialise(node)
        procs[i] = server.start(node)
    spec = replication.PairSpec(
        service=service, database=database, nodes=(nodes[0].node, nodes[1].node),
        admin=Credentials("ewtto_admin", secrets.token_urlsafe(16)),
        replication=Credentials("ewtto_repl", secrets.token_urlsafe(16)),
        app=Credentials(f"{service}_app", secrets.token_urlsafe(16)),
        migrator=Credentials(f"{service}_migrate", secrets.token_urlsafe(16)),
        reader=Credentials("ewtto_backup", secrets.token_urlsafe(16)),
        sockets={n.node: n.socket for n in nodes},
    )
    for node in nodes:
        server.ensure_accounts(node, spec)
    pair = TestPair(spec, nodes, procs, base)
    atexit.register(pair.close)
    replication.setup_pair(spec)
    return pair


_pairs: dict[str, TestPair] = {}


def session_pair(service: str, database: str) -> TestPair:
    """One pair per test process, started on first use and exported to the environment."""
    if service not in _pairs:
        _pairs[service] = start_pair(service, database)
        os.environ.update(_pairs[service].env())
        export_test_keys(_pairs[service].base / "keys")
        export_internal_credentials(service)
    return _pairs[service]
