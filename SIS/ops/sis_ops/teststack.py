"""A whole stack for system tests: bin/up's own code on free ports in a scratch directory."""
from __future__ import annotations

import random
import shutil
import socket
import subprocess

from sis_common.testing.pair import scratch_dir

from . import supervisor
from .stack import Stack, load_services
from .up import up


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _ports_free(stack: Stack) -> bool:
    ports = [stack.nginx_port(p) for p in stack.projects] + [stack.app_port(p) for p in stack.projects]
    ports += [n.port for s in stack.services for n in stack.local_nodes(s.slug)]
    return all(_free(p) for p in ports)


def pick_stack() -> Stack:
    services = load_services()
    span = max(max(s.db_offsets) for s in services) + 1
    for _ in range(50):
        base = random.randrange(20000, 30000, 100)
        stack = Stack(var=scratch_dir("ewtto-stack-"), port=base, db_port_base=base + 20)
        # like var/ of bin/up: nginx workers (not root) must reach var/static; secrets keep their own 0700
        stack.var.chmod(0o755)
        if span + 20 < 100 and _ports_free(stack):
            return stack
        shutil.rmtree(stack.var, ignore_errors=True)
    raise RuntimeError("no free port range for a test stack")


def start_test_stack(*, demo: bool = False) -> Stack:
    stack = pick_stack()
    try:
        result = up(stack, demo=demo, wait=90)
    except BaseException:
        stop_test_stack(stack)
        raise
    if result["health"].get("status") != "ok":
        stop_test_stack(stack)
        raise RuntimeError(f"test stack unhealthy: {result['health']}")
    return stack


def stop_test_stack(stack: Stack) -> None:
    try:
        supervisor.shutdown(stack)
    finally:
        # anything supervisor could not stop must not outlive the test run
        subprocess.run(["pkill", "-9", "-f", str(stack.var)], check=False)
        shutil.rmtree(stack.var, ignore_errors=True)
