"""Waiting on a real stack in tests: poll a check until it holds or a deadline passes."""
from __future__ import annotations

import time


def wait_for(check, *, timeout: float = 60, every: float = 0.5):
    """Poll until `check()` is truthy; its last value otherwise (bounded in time)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(every)
