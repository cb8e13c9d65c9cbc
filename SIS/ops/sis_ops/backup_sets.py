"""Backup sets on disk: one directory per backup with its dump, manifest and checksums; listing, choice, retention.

Layout: <root>/<service>/<YYYYmmddTHHMMSSZ>/{dump.sql.gz, manifest.json, SHA256SUMS}.
A backup is written under a `.partial-` name and renamed when complete, so a
directory with a plain name is always a finished backup (or a damaged one,
which `verify` refuses).
"""
from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

DUMP = "dump.sql.gz"
MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
PARTIAL_PREFIX = ".partial-"
# beside the backups of a service, not one of them: the archived binary logs (binlog.archive)
BINLOG_ARCHIVE = "binlogs"
STAMP = "%Y%m%dT%H%M%SZ"


class CorruptBackup(Exception):
    """A backup whose files do not match their checksums (or are missing): never restored."""


@dataclass(frozen=True)
class BackupSet:
    path: Path
    manifest: dict

    @property
    def service(self) -> str:
        return self.manifest["service"]

    @property
    def gtid(self) -> str:
        return self.manifest["gtid"]

    @property
    def finished_at(self) -> datetime:
        """When the dump was complete: every transaction it holds committed before this."""
        return parse_time(self.manifest["finished_at"])

    @property
    def size(self) -> int:
        return int(self.manifest["files"][DUMP]["bytes"])

    def describe(self) -> str:
        return (f"{self.path} (finished {self.manifest['finished_at']}, GTID {self.gtid or '-'}, "
                f"{self.size / 1024:.0f} KiB, from {self.manifest['source']['role']} {self.manifest['source']['node']})")


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def write_sums(directory: Path, names: list[str]) -> None:
    """SHA256SUMS in sha256sum's format, so `sha256sum -c SHA256SUMS` checks a copy anywhere."""
    lines = [f"{sha256_file(directory / name)}  {name}" for name in names]
    (directory / SUMS).write_text("\n".join(lines) + "\n")


def load(path: Path) -> BackupSet:
    try:
        return BackupSet(path, json.loads((path / MANIFEST).read_text()))
    except (OSError, ValueError) as exc:
        raise CorruptBackup(f"{path}: unreadable manifest ({exc})") from exc


def verify(backup: BackupSet) -> None:
    """Raise CorruptBackup unless every file matches SHA256SUMS and the manifest's own record of the dump."""
    sums_path = backup.path / SUMS
    if not sums_path.is_file():
        raise CorruptBackup(f"{backup.path}: {SUMS} is missing")
    expected = {}
    for line in sums_path.read_text().splitlines():
        digest, _, name = line.partition("  ")
        expected[name.strip()] = digest.strip()
    if DUMP not in expected or MANIFEST not in expected:
        raise CorruptBackup(f"{backup.path}: {SUMS} does not list {DUMP} and {MANIFEST}")
    for name, digest in expected.items():
        path = backup.path / name
        if not path.is_file():
            raise CorruptBackup(f"{backup.path}: {name} is missing")
        actual = sha256_file(path)
        if actual != digest:
            raise CorruptBackup(f"{path}: sha256 {actual} does not match the recorded {digest}")
    if backup.manifest["files"][DUMP]["sha256"] != expected[DUMP]:
        raise CorruptBackup(f"{backup.path}: manifest and {SUMS} disagree on {DUMP}")


def service_dir(root: Path, service: str) -> Path:
    return root / service


def list_sets(root: Path, service: str) -> list[BackupSet]:
    """Finished backups of `service`, oldest first (damaged manifests are listed by `damaged`)."""
    found = []
    for path in _candidates(root, service):
        try:
            found.append(load(path))
        except CorruptBackup:
            continue
    return sorted(found, key=lambda b: b.finished_at)


def damaged(root: Path, service: str) -> list[Path]:
    bad = []
    for path in _candidates(root, service):
        try:
            load(path)
        except CorruptBackup:
            bad.append(path)
    return bad


def _candidates(root: Path, service: str) -> list[Path]:
    directory = service_dir(root, service)
    if not directory.is_dir():
        return []
    return [p for p in sorted(directory.iterdir())
            if p.is_dir() and not p.name.startswith(".") and p.name != BINLOG_ARCHIVE]


def choose(sets: list[BackupSet], at: datetime | None) -> BackupSet | None:
    """The newest backup finished no later than `at` (None: the newest of all)."""
    eligible = [b for b in sets if at is None or b.finished_at <= at]
    return eligible[-1] if eligible else None


def expired(sets: list[BackupSet], *, keep: int, keep_days: float, now: datetime) -> list[BackupSet]:
    """Backups both outside the newest `keep` and older than `keep_days`: the retention policy."""
    newest = {b.path for b in sets[-keep:]} if keep > 0 else set()
    horizon = now - timedelta(days=keep_days)
    return [b for b in sets if b.path not in newest and b.finished_at < horizon]


def apply_retention(root: Path, service: str, *, keep: int, keep_days: float,
                    now: datetime | None = None) -> list[Path]:
    """Delete expired backups and partial ones left by an interrupted run over a day ago."""
    now = now or datetime.now(timezone.utc)
    removed = []
    for backup in expired(list_sets(root, service), keep=keep, keep_days=keep_days, now=now):
        shutil.rmtree(backup.path)
        removed.append(backup.path)
    directory = service_dir(root, service)
    if directory.is_dir():
        for partial in directory.glob(PARTIAL_PREFIX + "*"):
            if now.timestamp() - partial.stat().st_mtime > 86400:
                shutil.rmtree(partial, ignore_errors=True)
                removed.append(partial)
    return removed
