"""Local mariadbd instances: initialise a datadir, build the command line, start and stop.

The same command line is used by the supervisor config of the local stack and by
the test harness, so tests run the very servers `bin/up` runs.
"""
from __future__ import annotations

import contextlib
import ctypes
import getpass
import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import MySQLdb
import MySQLdb.cursors

from . import accounts
from .nodes import Node
from .replication import PairSpec

REPO_ROOT = Path(__file__).resolve().parents[4]
NODE_CNF = REPO_ROOT / "deploy" / "mariadb" / "node.cnf"


@dataclass(frozen=True)
class LocalNode:
    """A mariadbd with its own datadir and port on this machine."""

    name: str
    port: int
    server_id: int
    base: Path  # everything of this node lives below here

    @property
    def node(self) -> Node:
        return Node("127.0.0.1", self.port)

    @property
    def datadir(self) -> Path:
        return self.base / "data"

    @property
    def socket(self) -> Path:
        return self.base / "mysqld.sock"

    def argv(self) -> list[str]:
        """The mariadbd command line (foreground, as supervisor wants it)."""
        return [
            mariadbd_binary(), f"--defaults-file={NODE_CNF}",
            f"--datadir={self.datadir}", f"--port={self.port}", f"--socket={self.socket}",
            f"--server-id={self.server_id}", f"--pid-file={self.base / 'mysqld.pid'}",
            f"--log-error={self.base / 'error.log'}", f"--user={getpass.getuser()}",
            # its own temp dir: a shared /tmp may be cleaned under a running server
            f"--tmpdir={self.base / 'tmp'}",
        ]


def mariadbd_binary() -> str:
    return shutil.which("mariadbd") or shutil.which("mysqld") or "/usr/sbin/mariadbd"


def initialise(node: LocalNode) -> bool:
    """Create the datadir once; return True when it was created now."""
    if (node.datadir / "mysql").is_dir():
        return False
    node.base.mkdir(parents=True, exist_ok=True)
    # a private tmpdir: installs running at once can collide on temp table names in a shared /tmp
    tmpdir = node.base / "install-tmp"
    tmpdir.mkdir(exist_ok=True)
    subprocess.run(
        ["mariadb-install-db", "--no-defaults", f"--datadir={node.datadir}", "--skip-test-db",
         "--auth-root-authentication-method=socket", f"--auth-root-socket-user={getpass.getuser()}",
         f"--user={getpass.getuser()}", "--innodb-log-file-size=48M", f"--tmpdir={tmpdir}"],
        check=True, capture_output=True,
    )
    return True


def _die_with_parent() -> None:
    # A test run that is killed must not leave database servers behind.
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def start(node: LocalNode, *, tie_to_parent: bool = True) -> subprocess.Popen:
    """Start the node in the background and wait until it accepts connections."""
    (node.base / "tmp").mkdir(parents=True, exist_ok=True)
    log = open(node.base / "stdout.log", "ab")
    proc = subprocess.Popen(node.argv(), stdout=log, stderr=subprocess.STDOUT,
                            preexec_fn=_die_with_parent if tie_to_parent else None)
    wait_ready(node, proc=proc)
    return proc


def wait_ready(node: LocalNode, *, proc: subprocess.Popen | None = None, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"mariadbd {node.name} exited; see {node.base / 'error.log'}")
        try:
            socket_session(node).close()
            return
        except MySQLdb.OperationalError:
            time.sleep(0.05)
    raise TimeoutError(f"mariadbd {node.name} not ready after {timeout}s")


def socket_session(node: LocalNode):
    """Root connection through the node's unix socket (OS-user authenticated)."""
    return MySQLdb.connect(unix_socket=str(node.socket), user="root", autocommit=True,
                           connect_timeout=1)


def stop(proc: subprocess.Popen, *, hard: bool = False, timeout: float = 30) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGKILL if hard else signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def root_session(node: LocalNode):
    """A dict cursor of root on the node's socket: account management and loads into a fenced node."""
    return root_cursor(node.socket)


@contextlib.contextmanager
def root_cursor(socket: Path) -> Iterator[MySQLdb.cursors.DictCursor]:
    conn = MySQLdb.connect(unix_socket=str(socket), user="root", autocommit=True, connect_timeout=5,
                           charset="utf8mb4")
    try:
        yield conn.cursor(MySQLdb.cursors.DictCursor)
    finally:
        conn.close()


def ensure_accounts(node: LocalNode, pair: PairSpec) -> None:
    """The pair's schema and accounts on this node, by root over the socket (never binlogged)."""
    with root_session(node) as cur:
        accounts.ensure(cur, pair)
