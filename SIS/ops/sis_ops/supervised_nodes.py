"""The database processes of the local stack under supervisor: find, kill (fence), stop and start them."""
from __future__ import annotations

import os
import signal
import xmlrpc.client

from sis_common.mariadb.nodes import Node
from sis_common.mariadb.server import LocalNode, wait_ready

from . import supervisor
from .stack import Stack


class SupervisedNodes:
    """Maps a pair's nodes to their supervisor programs (db-<slug>-<n>)."""

    def __init__(self, stack: Stack):
        self.stack = stack
        self.local: dict[Node, LocalNode] = {
            n.node: n for spec in stack.services for n in stack.local_nodes(spec.slug)
        }

    def program(self, node: Node) -> str:
        return f"db-{self.local[node].name}"

    def pid(self, node: Node) -> int | None:
        """The running process of the node, None when supervisor has none (or is unreachable)."""
        try:
            info = supervisor.rpc(self.stack).getProcessInfo(self.program(node))
        except (OSError, xmlrpc.client.Error, KeyError):
            return None
        return info["pid"] or None if info["statename"] in ("RUNNING", "STARTING") else None

    def kill(self, node: Node, pid: int) -> bool:
        """SIGKILL that exact process (supervisor restarts the node, which boots read-only)."""
        if self.pid(node) != pid:
            return False
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            return False
        return True

    def stop(self, node: Node) -> None:
        supervisor.stop_program(self.stack, self.program(node))

    def start(self, node: Node, *, timeout: float = 60) -> None:
        supervisor.start_program(self.stack, self.program(node))
        wait_ready(self.local[node], timeout=timeout)

    def local_node(self, node: Node) -> LocalNode:
        return self.local[node]

