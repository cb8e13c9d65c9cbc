"""A per-service circuit breaker, so a dead service is answered 503 at once instead of being hammered.

Closed: every request goes through. After `threshold` consecutive connection
failures it opens: requests are refused at once for `cooldown` seconds. Then
one request is let through as a probe (half-open): if it connects the circuit
closes, if not it opens again. State is per gateway process, like its pools.
"""
from __future__ import annotations

import threading
import time
from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver


class CircuitBreaker:
    def __init__(self, *, threshold: int, cooldown: float):
        self.threshold = threshold
        self.cooldown = cooldown
        self.failures = 0
        self.opened_at: float | None = None
        self.probing = False
        self._lock = threading.Lock()

    @property
    def state(self) -> str:
        if self.opened_at is None:
            return "closed"
        return "half-open" if self.probing else "open"

    def allow(self) -> bool:
        if self.opened_at is None:  # the hot path takes no lock
            return True
        with self._lock:
            if self.opened_at is None:
                return True
            if self.probing or time.monotonic() - self.opened_at < self.cooldown:
                return False
            self.probing = True
            return True

    def succeeded(self) -> None:
        """The service accepted a connection: whatever it answered, it is alive."""
        if self.failures or self.opened_at is not None:
            with self._lock:
                self.failures, self.opened_at, self.probing = 0, None, False

    def failed(self) -> None:
        """A connection could not be made (refused or timed out)."""
        with self._lock:
            self.failures += 1
            if self.probing or self.failures >= self.threshold:
                self.opened_at = time.monotonic()
            self.probing = False


@lru_cache(maxsize=None)
def breaker(service: str) -> CircuitBreaker:
    return CircuitBreaker(threshold=settings.EWTTO_BREAKER_THRESHOLD, cooldown=settings.EWTTO_BREAKER_COOLDOWN)


@receiver(setting_changed)
def _forget_breakers(*, setting, **kwargs):
    if setting.startswith(("EWTTO_BREAKER", "EWTTO_UPSTREAM")):
        breaker.cache_clear()
