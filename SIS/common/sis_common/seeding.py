"""Shared by every project's seed app (bin/seed-data's `seed_*`, ewtto_bootstrap): guards, progress, the base command.

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
from django.core.management.base import BaseCommand, CommandError


def _production() -> bool:
    module = settings.SETTINGS_MODULE or os.environ.get("DJANGO_SETTINGS_MODULE", "")
    return module.endswith(".production")


def refuse_production() -> None:
    if _production():
        raise CommandError("Synthetic seed data is never written under production settings.")


def demo_requested() -> bool:
    return os.environ.get("EWTTO_DEMO", "0") == "1"


def demo_allowed() -> bool:
    """Demo data never under production settings (by module name, or a project's EWTTO_DEMO_ALLOWED = False)."""
    return not _production() and getattr(settings, "EWTTO_DEMO_ALLOWED", True)


class BootstrapCommand(BaseCommand):
    """A project's `manage.py ewtto_bootstrap` (bin/up, deploy/docker/up; idempotent): its first-start data,
    then its demo data when EWTTO_DEMO=1 and demo data is allowed. A project's command names only its two steps,
    each returning the lines to print, and whether a refused EWTTO_DEMO=1 stops it."""

    # True: EWTTO_DEMO=1 where demo data is refused is an error, before anything is written; False: passed over
    demo_refusal_fails = False

    def first_start(self) -> list[str]:
        return []

    def demo(self) -> list[str]:
        return []

    def handle(self, *args, **options):
        demo = demo_requested()
        if demo and not demo_allowed():
            if self.demo_refusal_fails:
                raise CommandError("Demo data is never loaded under production settings (EWTTO_DEMO=1 refused).")
            demo = False
        for step in (self.first_start, self.demo) if demo else (self.first_start,):
            for line in step():
                self.stdout.write(line)


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
