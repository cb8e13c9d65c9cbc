"""Which stack a process works on, chosen by its environment, and who controls that stack's database nodes."""
from __future__ import annotations

import os

from .docker import DockerStack
from .dockerapi import DockerNodes
from .stack import Stack
from .supervised_nodes import SupervisedNodes


def stack_from_env() -> Stack:
    """The local stack (EWTTO_VAR, EWTTO_PORT...), or inside the ops containers of deploy/docker
    (EWTTO_STACK=docker) the same stack with Docker hostnames."""
    if os.environ.get("EWTTO_STACK") == "docker":
        return DockerStack.from_env()
    return Stack.from_env()


def node_control(stack: Stack) -> SupervisedNodes | DockerNodes:
    """Who runs the database nodes, for the watchdog's fence: the engine's API in Docker, supervisor here."""
    return DockerNodes() if isinstance(stack, DockerStack) else SupervisedNodes(stack)
