"""The load test's view of the stack: its processes' CPU, and waiting for the stack to be quiet before measuring."""
import threading
import time

import requests

from sales_support import token
from sis_ops.stackload import StackSampler


def hammer(url: str, headers: dict, until: float) -> None:
    with requests.Session() as session:
        while time.monotonic() < until:
            session.get(url, headers=headers, timeout=5)


def test_a_busy_stack_is_waited_for_and_a_quiet_one_is_not(stack):
    sampler = StackSampler(stack)
    assert sampler.wait_idle(window=1, timeout=60) < 60  # a stack at rest settles
    # reads through the gateway, nginx, gunicorn and the replica: well above the idle threshold
    until, headers = time.monotonic() + 6, {"Authorization": f"Bearer {token(stack, role='admin')}"}
    workers = [threading.Thread(target=hammer, args=(stack.url() + "/api/branches/", headers, until))
               for _ in range(3)]
    for worker in workers:
        worker.start()
    time.sleep(0.5)
    waited = sampler.wait_idle(window=1, timeout=3)
    for worker in workers:
        worker.join()
    assert waited >= 3
    assert sampler.wait_idle(window=1, timeout=60) < 60
