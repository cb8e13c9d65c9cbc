"""Restoring a service's database to a moment: a verified backup plus the binary logs after it.

Both nodes of the target pair get the same data the same way: the dump, then
the transactions logged after the backup's GTID up to the requested moment,
all loaded with sql_log_bin=0. Their GTID state is then set to the position
reached, the replica is pointed at the primary by GTID and setup_pair brings
the pair to "one writable primary, one healthy replica". Loading both nodes
(rather than replaying through replication) matters: a replica ignores events
carrying its own server_id, which the history does after a failover.
"""
from __future__ import annotations

import gzip
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from sis_common.mariadb import replication
from sis_common.mariadb.nodes import Node, session
from sis_common.mariadb.replication import PairSpec

from . import backup_sets, binlog, client_programs
from .backup_sets import DUMP, BackupSet

class RestoreError(RuntimeError):
    pass


def parse_moment(text: str) -> datetime:
    """'2026-11-27 21:38:19', '2026-11-27T21:38:19Z' or with an offset; without a zone it is this machine's local time."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise RestoreError(f"cannot read the time {text!r}; use e.g. '2026-11-27 21:38:19' or ISO 8601") from exc
    if moment.tzinfo is None:
        moment = moment.astimezone()  # local time of this machine
    return moment.astimezone(timezone.utc)


@dataclass
class Plan:
    """Everything a restore will do, decided before anything changes (what --dry-run prints)."""

    service: str
    backup: BackupSet
    at: datetime | None  # None: as late as the logs go
    binlog_source: Node | None  # None: the backup alone
    target: str  # "fresh" or "in-place"
    target_nodes: tuple[Node, ...] = ()
    events: binlog.Extract | None = None
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        moment = "the latest logged transaction" if self.at is None else backup_sets.iso(self.at)
        lines = [
            f"restore {self.service} to {moment}",
            f"  backup     {self.backup.describe()}",
            "  checksums  verified (sha256 of dump and manifest)",
        ]
        if self.binlog_source is None and self.events is not None:
            lines.append(f"  binlogs    read from the archive next to the backups after GTID {self.backup.gtid or '(start)'}")
        elif self.binlog_source is None:
            lines.append(f"  binlogs    none: the data stops at the backup's GTID {self.backup.gtid}")
        else:
            lines.append(f"  binlogs    read from {self.binlog_source} after GTID {self.backup.gtid or '(start)'}")
        if self.events is not None:
            last = f", last {self.events.last_gtid} at {self.events.last_at:%Y-%m-%d %H:%M:%S}Z" if self.events.transactions else ""
            lines.append(f"  replay     {self.events.transactions} transaction(s){last}")
        target = "a fresh pair (new datadirs, free ports)" if self.target == "fresh" else \
            f"the service's own pair {', '.join(map(str, self.target_nodes))} (IN PLACE: its current data is replaced)"
        lines.append(f"  target     {target}")
        lines += [f"  note       {note}" for note in self.notes]
        return "\n".join(lines)


def choose_backup(root: Path, service: str, at: datetime | None, *, path: Path | None = None) -> BackupSet:
    """The given backup, or the newest finished by `at`; its checksums verified (CorruptBackup otherwise)."""
    if path is not None:
        chosen = backup_sets.load(path)
    else:
        chosen = backup_sets.choose(backup_sets.list_sets(root, service), at)
        if chosen is None:
            when = f"finished before {backup_sets.iso(at)}" if at else "at all"
            raise RestoreError(f"no backup of {service} {when} in {backup_sets.service_dir(root, service)}")
    if chosen.service != service:
        raise RestoreError(f"{chosen.path} is a backup of {chosen.service}, not {service}")
    if at is not None and chosen.finished_at > at:
        raise RestoreError(f"{chosen.path} finished after {backup_sets.iso(at)}: it may hold later transactions")
    backup_sets.verify(chosen)
    return chosen


def plan(*, service: str, backup: BackupSet, at: datetime | None, source: PairSpec | None, target: str,
         target_nodes: tuple[Node, ...] = (), workdir: Path) -> Plan:
    """Decide the restore and extract the transactions to replay (reads only: safe for a dry run)."""
    if at is not None and at > datetime.now(timezone.utc):
        raise RestoreError(f"{backup_sets.iso(at)} is in the future")
    result = Plan(service, backup, at, None, target, target_nodes)
    if source is None:
        result.notes.append("binary logs not used (--no-binlog): transactions after the backup are not restored")
        return result
    out = workdir / "binlog-events.sql"
    try:
        node = binlog.source_node(source)
        result.binlog_source = node
        result.events = binlog.extract(node, source.reader, since_gtid=backup.gtid, stop_at=at, out=out)
    except binlog.BinlogError as live_problem:
        # the nodes' own logs are gone or do not reach back: the copies archived with the backups
        archived = binlog.archived_coverage(backup.path.parents[1], service, backup.gtid)
        if archived is None:
            raise
        result.binlog_source = None
        result.events = binlog.extract_archived(archived, since_gtid=backup.gtid, stop_at=at, out=out)
        result.notes.append(f"binary logs read from the archive ({archived[0].parent}): {live_problem}")
    return result


def gunzip_chunks(path: Path, *, size: int = 1 << 20) -> Iterator[bytes]:
    with gzip.open(path, "rb") as handle:
        while chunk := handle.read(size):
            yield chunk


def _reset_node(node: Node, pair: PairSpec) -> None:
    """Stop replication and writes on a node before its data is replaced."""
    with session(node, pair.admin) as cur:
        cur.execute("SET GLOBAL read_only = ON")
        cur.execute("SET GLOBAL rpl_semi_sync_master_enabled = OFF")
        cur.execute("STOP SLAVE")
        cur.execute("RESET SLAVE ALL")


def _load_node(node: Node, pair: PairSpec, backup: BackupSet, events: Path | None) -> None:
    # into a fenced node: root on the node's socket, as no TCP account may write through read_only
    socket = pair.sockets[node]
    client_programs.run_sql_as_root(socket, gunzip_chunks(backup.path / DUMP))
    if events is not None:
        client_programs.run_sql_as_root(socket, client_programs.file_chunks(events))


def gtid_state(backup_gtid: str, replayed: list[str]) -> str:
    """The binlog state after the replay: highest seq per (domain, server), each domain's newest last."""
    best: dict[tuple[int, int], int] = {}
    for gtid in [*backup_gtid.split(","), *replayed]:
        if gtid.strip():
            d, s, n = (int(x) for x in gtid.strip().split("-"))
            best[(d, s)] = max(best.get((d, s), 0), n)
    ordered = sorted(best.items(), key=lambda item: (item[0][0], item[1]))
    return ",".join(f"{d}-{s}-{n}" for (d, s), n in ordered)


def _set_gtid_state(node: Node, pair: PairSpec, state: str) -> None:
    with session(node, pair.admin) as cur:
        cur.execute("RESET MASTER")
        if state:
            cur.execute("SET GLOBAL gtid_binlog_state = %s", (state,))
        cur.execute("SET GLOBAL gtid_slave_pos = %s", (position_of(state),))


def position_of(state: str) -> str:
    """One GTID per domain (the newest), as gtid_slave_pos wants."""
    newest = binlog.positions(state)
    return ",".join(f"{d}-{s}-{n}" for d, (s, n) in sorted(newest.items()))


def load_pair(pair: PairSpec, primary: Node, backup: BackupSet, events: binlog.Extract | None) -> dict:
    """Replace the data of both nodes of `pair` and bring it up with `primary` writable; return the outcome."""
    for node in pair.nodes:
        _reset_node(node, pair)
        # strict mode checks a replayed transaction's GTID against the node's state even unlogged:
        # start both nodes from the backup's position
        _set_gtid_state(node, pair, gtid_state(backup.gtid, []))
    events_path = events.path if events is not None and events.transactions else None
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda n: _load_node(n, pair, backup, events_path), pair.nodes))
    state = gtid_state(backup.gtid, binlog.gtids_in(events_path) if events_path else [])
    for node in pair.nodes:
        _set_gtid_state(node, pair, state)
    with session(primary, pair.admin) as cur:
        replication.make_writable(cur)
    # setup_pair now finds `primary` writable, points the other node at it by GTID and waits for it
    ready = replication.setup_pair(pair)
    return {**ready, "gtid": position_of(state), "tables": compare_nodes(pair)}


def table_checksums(node: Node, pair: PairSpec) -> dict[str, tuple[int, int]]:
    """table -> (rows, CHECKSUM TABLE) of the service's database on one node."""
    found = {}
    with session(node, pair.reader, timeout=10) as cur:
        cur.execute("SELECT table_name AS t FROM information_schema.tables "
                    "WHERE table_schema = %s AND table_type = 'BASE TABLE' ORDER BY table_name", (pair.database,))
        tables = [row["t"] for row in cur.fetchall()]
        for table in tables:
            cur.execute(f"SELECT COUNT(*) AS n FROM `{pair.database}`.`{table}`")
            rows = cur.fetchone()["n"]
            cur.execute(f"CHECKSUM TABLE `{pair.database}`.`{table}`")
            found[table] = (rows, cur.fetchone()["Checksum"])
    return found


def compare_nodes(pair: PairSpec) -> dict[str, int]:
    """Row counts per table, after checking both nodes hold identical tables (RestoreError otherwise)."""
    primary, replica = replication.current_roles(pair)
    replication.wait_caught_up(pair, primary, replica, timeout=60)
    on_primary, on_replica = table_checksums(primary, pair), table_checksums(replica, pair)
    if on_primary != on_replica:
        differing = sorted(t for t in set(on_primary) | set(on_replica) if on_primary.get(t) != on_replica.get(t))
        raise RestoreError(f"{pair.service}: the nodes differ after the restore in {differing}")
    return {table: rows for table, (rows, _) in on_primary.items()}


def scratch_workdir() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="ewtto-restore-")

