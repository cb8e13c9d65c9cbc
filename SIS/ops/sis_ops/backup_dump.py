"""Taking a backup: a consistent dump of one service's database from its replica, with the GTID it stands for.

mariadb-dump runs with --single-transaction on the replica, so the primary does
no work for it and the replica keeps applying while it runs. --master-data
with --gtid makes the dump record the GTID position of its snapshot (MariaDB
takes it from the binlog snapshot, without a global lock): every transaction
up to that position is in the dump, none after. Point-in-time restore replays
the binary logs from there (see restore.py).
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import subprocess
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sis_common.mariadb.nodes import Node, session
from sis_common.mariadb.replication import PairSpec, current_roles, probe

from . import backup_sets, client_programs
from .backup_sets import DUMP, MANIFEST, PARTIAL_PREFIX, STAMP, BackupSet

FORMAT = 1
GTID_LINE = re.compile(rb"SET GLOBAL gtid_slave_pos='([0-9,\-]*)'")
COMPLETED = b"-- Dump completed"
TAIL_BYTES = 8192
MAX_SOURCE_LAG = 60  # seconds: a replica further behind is not a useful backup source


class BackupError(RuntimeError):
    pass


@dataclass(frozen=True)
class Source:
    node: Node
    role: str
    primary: Node | None


def pick_source(pair: PairSpec, *, allow_primary: bool = False) -> Source:
    """The pair's replica when it replicates and is not far behind; the primary only when allowed."""
    primary, replica = current_roles(pair)
    if replica is not None:
        state = probe(replica, pair.admin)
        healthy = state.reachable and state.sql_running and state.lag_seconds is not None
        if healthy and state.lag_seconds <= MAX_SOURCE_LAG:
            return Source(replica, "replica", primary)
        problem = state.error or state.last_error or f"lag {state.lag_seconds}"
    else:
        problem = "no replica"
    if allow_primary and primary is not None:
        return Source(primary, "primary", primary)
    raise BackupError(f"{pair.service}: replica not usable for a backup ({problem}); "
                      "fix replication or pass --allow-primary")


class _HashingWriter:
    """File wrapper that hashes and counts what is written through it (the compressed bytes)."""

    def __init__(self, raw):
        self.raw = raw
        self.sha = hashlib.sha256()
        self.bytes = 0

    def write(self, data) -> int:
        self.sha.update(data)
        self.bytes += len(data)
        return self.raw.write(data)

    def flush(self) -> None:
        self.raw.flush()


def dump_command(source: Node, option_file: Path, database: str) -> list[str]:
    return client_programs.argv(
        "mariadb-dump", source, option_file,
        "--single-transaction", "--quick", "--master-data=2", "--gtid",
        "--routines", "--triggers", "--events", "--hex-blob", "--default-character-set=utf8mb4",
        "--add-drop-database", "--databases", database,
    )


def _stream_dump(pair: PairSpec, source: Node, target: Path) -> dict:
    """Run mariadb-dump into a gzip file, hashing as it goes; return sizes, digest and the dump's tail."""
    tail = b""
    plain = 0
    with client_programs.credentials_file(pair.reader) as option_file, open(target, "wb") as raw:
        writer = _HashingWriter(raw)
        proc = subprocess.Popen(dump_command(source, option_file, pair.database), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=client_programs.utc_env())
        with gzip.GzipFile(fileobj=writer, mode="wb", compresslevel=6, mtime=0) as packed:
            while chunk := proc.stdout.read(1 << 20):
                packed.write(chunk)
                plain += len(chunk)
                tail = (tail + chunk)[-TAIL_BYTES:]
        errors = proc.stderr.read().decode(errors="replace").strip()
        code = proc.wait()
        raw.flush()
        os.fsync(raw.fileno())
    if code != 0:
        raise BackupError(f"mariadb-dump of {pair.service} on {source} failed ({code}): {errors}")
    if COMPLETED not in tail:
        raise BackupError(f"mariadb-dump of {pair.service} on {source} ended without its completion line")
    found = GTID_LINE.search(tail)
    if not found:
        raise BackupError(f"mariadb-dump of {pair.service} did not record a GTID position")
    return {"bytes": writer.bytes, "sha256": writer.sha.hexdigest(), "uncompressed_bytes": plain,
            "gtid": found.group(1).decode()}


def server_version(pair: PairSpec, node: Node) -> str:
    with session(node, pair.reader) as cur:
        cur.execute("SELECT VERSION() AS v")
        return cur.fetchone()["v"]


def backup_pair(pair: PairSpec, root: Path, *, allow_primary: bool = False, label: str = "") -> BackupSet:
    """Take one backup of `pair` into <root>/<service>/<stamp>/ and return it (verified).

    A backup is the whole database: its directories are 0700 and its files 0600.
    """
    previous = os.umask(0o077)
    try:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        return _backup_pair(pair, root, allow_primary=allow_primary, label=label)
    finally:
        os.umask(previous)


def _backup_pair(pair: PairSpec, root: Path, *, allow_primary: bool, label: str) -> BackupSet:
    source = pick_source(pair, allow_primary=allow_primary)
    started = datetime.now(timezone.utc)
    directory = backup_sets.service_dir(root, pair.service)
    directory.mkdir(parents=True, exist_ok=True)
    name = _free_name(directory, started.strftime(STAMP))
    partial = directory / f"{PARTIAL_PREFIX}{name}"
    partial.mkdir()
    dump = _stream_dump(pair, source.node, partial / DUMP)
    finished = datetime.now(timezone.utc)
    manifest = {
        "format": FORMAT, "service": pair.service, "database": pair.database, "label": label,
        "started_at": backup_sets.iso(started), "finished_at": backup_sets.iso(finished),
        "gtid": dump["gtid"],
        "source": {"node": str(source.node), "role": source.role,
                   "primary": str(source.primary) if source.primary else None},
        "server_version": server_version(pair, source.node),
        "tool": "mariadb-dump --single-transaction --master-data=2 --gtid",
        "files": {DUMP: {"bytes": dump["bytes"], "sha256": dump["sha256"],
                         "uncompressed_bytes": dump["uncompressed_bytes"]}},
    }
    (partial / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    backup_sets.write_sums(partial, [DUMP, MANIFEST])
    final = directory / name
    partial.rename(final)
    result = backup_sets.load(final)
    backup_sets.verify(result)
    return result


def _free_name(directory: Path, stamp: str) -> str:
    name, n = stamp, 1
    while (directory / name).exists() or (directory / f"{PARTIAL_PREFIX}{name}").exists():
        n += 1
        name = f"{stamp}-{n}"
    return name
