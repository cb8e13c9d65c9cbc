"""One lock per pair, held by whoever changes its roles (watchdog, bin/failover, bin/rejoin, bin/up)."""
from __future__ import annotations

import contextlib
import fcntl
import time
from pathlib import Path
from typing import Iterator


class PairBusy(RuntimeError):
    """Someone else is changing this pair's roles."""


@contextlib.contextmanager
def pair_lock(directory: Path, service: str, *, wait: float = 0) -> Iterator[None]:
    """Exclusive flock on <directory>/lock-<service>; PairBusy when not had within `wait` seconds."""
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / f"lock-{service}", "a+") as fh:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise PairBusy(f"{service}: another role change is in progress") from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
