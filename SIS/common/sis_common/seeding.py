"""Shared by every project's seed app (bin/seed-data's `seed_*` commands, ewtto_bootstrap): progress display and guards.

Seeding writes synthetic data in bulk for load tests; it is refused under
production settings, and every command reports its progress on one line.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError


def _production() -> bool:
    module = settings.SETTINGS_MODULE or os.environ.get("DJANGO_SETTINGS_MODULE", "")
    return module.endswith(".production")


def refuse_production() -> None:
    if _production():
        raise CommandError("Synthetic seed data is never written under production settings.")


def demo_wanted() -> bool:
    """Demo data (ewtto_bootstrap) only when asked for with EWTTO_DEMO=1, and never under production settings."""
    return os.environ.get("EWTTO_DEMO") == "1" and not _production()


def read_json(path: str | Path):
    return json.loads(Path(path).read_text())


def write_json(path: str | Path, data) -> None:
    Path(path).write_text(json.dumps(data))


class Progress:
    """`label  123,456/1,000,000  12%  45,678/s  eta 19 s` on one line, redrawn at most twice a second."""

    def __init__(self, label: str, total: int, stream=None):
        self.label, self.total, self.done = label, max(total, 0), 0
        self.stream = stream or sys.stdout
        self.started = self.shown_at = time.monotonic()
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._last_tenth = -1

    def advance(self, count: int) -> None:
        self.done += count
        now = time.monotonic()
        if self.tty and now - self.shown_at >= 0.5:
            self.shown_at = now
            self.stream.write("\r" + self._line(now))
            self.stream.flush()
        elif not self.tty and self.total:
            # a log, not a terminal: one line per tenth
            tenth = 10 * self.done // self.total
            if tenth != self._last_tenth:
                self._last_tenth = tenth
                self.stream.write(self._line(now) + "\n")
                self.stream.flush()

    def finish(self) -> float:
        now = time.monotonic()
        line = self._line(now, final=True)
        self.stream.write(("\r" + line + "\x1b[K\n") if self.tty else line + "\n")
        self.stream.flush()
        return now - self.started

    def _line(self, now: float, final: bool = False) -> str:
        elapsed = max(now - self.started, 1e-6)
        rate = self.done / elapsed
        share = f"{100 * self.done / self.total:3.0f}%" if self.total else ""
        tail = f"in {elapsed:.1f} s" if final else (
            f"eta {max(self.total - self.done, 0) / rate:.0f} s" if rate and self.total else "")
        return f"  {self.label:<22} {self.done:>11,}/{self.total:,} {share} {rate:>9,.0f}/s  {tail}"
