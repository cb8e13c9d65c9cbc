"""Transactions logged after a backup, for point-in-time restore: from a live node's binary logs or the archive.

At restore time they are read from the pair with `mariadb-binlog
--read-from-remote-server`, from the primary or, when it is gone, the replica
(with log_slave_updates every node logs every transaction under its original
GTID). Each node keeps them for binlog_expire_logs_seconds (7 days,
deploy/mariadb/node.cnf). Every backup run also archives them next to the
backups (archive()): when the nodes' logs do not reach back to the backup (a
lost data disk, a rebuilt node), the archive is read instead.
"""
from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sis_common.mariadb.nodes import Credentials, Node, session
from sis_common.mariadb.replication import PairSpec, probe

from . import backup_sets, client_programs

GTID_EVENT = re.compile(r"^#(\d{6}\s+\d{1,2}:\d\d:\d\d) server id \d+ .*\bGTID (\d+-\d+-\d+)")
GTID_LIST = re.compile(r"(\d+)-(\d+)-(\d+)")


class BinlogError(RuntimeError):
    pass


@dataclass(frozen=True)
class Extract:
    """What an extraction found: how many transactions, the last one and when it was logged."""

    path: Path
    transactions: int
    last_gtid: str
    last_at: datetime | None


def positions(text: str) -> dict[int, tuple[int, int]]:
    """A GTID list as domain -> (server, seq) of its highest sequence number per domain."""
    found: dict[int, tuple[int, int]] = {}
    for domain, server, seq in GTID_LIST.findall(text or ""):
        d, s, n = int(domain), int(server), int(seq)
        if d not in found or n > found[d][1]:
            found[d] = (s, n)
    return found


def at_or_before(earlier: str, later: str) -> bool:
    """True when, in every domain, `earlier` is not past `later` (gtid_strict_mode: seqs only grow)."""
    late = positions(later)
    return all(d in late and seq <= late[d][1] for d, (_, seq) in positions(earlier).items())


def source_node(pair: PairSpec) -> Node:
    """The primary when reachable, else the replica: both log every transaction."""
    states = [probe(node, pair.admin) for node in pair.nodes]
    reachable = [s for s in states if s.reachable]
    if not reachable:
        raise BinlogError(f"{pair.service}: no node reachable to read binary logs from")
    primaries = [s for s in reachable if s.is_primary]
    return (primaries or reachable)[0].node


def binlog_files(node: Node, reader: Credentials) -> list[str]:
    with session(node, reader) as cur:
        cur.execute("SHOW BINARY LOGS")
        return [row["Log_name"] for row in cur.fetchall()]


def starting_state(node: Node, reader: Credentials, log_name: str) -> str:
    """The GTID list a binlog file starts after (its Gtid_list event): what it does not hold."""
    with session(node, reader) as cur:
        cur.execute(f"SHOW BINLOG EVENTS IN '{log_name}' LIMIT 4")
        for event in cur.fetchall():
            if event["Event_type"] == "Gtid_list":
                return event["Info"].strip("[]")
    return ""


def logged_position(node: Node, reader: Credentials) -> str:
    with session(node, reader) as cur:
        cur.execute("SELECT @@gtid_binlog_pos AS p")
        return cur.fetchone()["p"] or ""


def check_coverage(node: Node, reader: Credentials, since_gtid: str) -> str:
    """The first binlog file on `node` when its logs hold every transaction after `since_gtid`."""
    files = binlog_files(node, reader)
    if not files:
        raise BinlogError(f"{node} has no binary logs")
    first = files[0]
    start = starting_state(node, reader, first)
    if not at_or_before(start, since_gtid):
        raise BinlogError(
            f"{node}'s binary logs start after {start}, beyond the backup's {since_gtid or 'empty position'}: "
            "the transactions in between are gone (purged after binlog_expire_logs_seconds, or the node "
            "was rebuilt); restore a newer backup or use --no-binlog")
    return first


def extract(node: Node, reader: Credentials, *, since_gtid: str, stop_at: datetime | None, out: Path) -> Extract:
    """Write the SQL of every transaction after `since_gtid` (and logged before `stop_at`) to `out`."""
    first = check_coverage(node, reader, since_gtid)
    if since_gtid and at_or_before(logged_position(node, reader), since_gtid):
        # nothing logged since: mariadb-binlog would fail, "never reached expected GTID state"
        out.write_bytes(b"")
        return Extract(out, 0, "", None)
    options = ["--read-from-remote-server", "--to-last-log", "--skip-annotate-row-events"]
    if since_gtid:
        options.append(f"--start-position={since_gtid}")
    if stop_at is not None:
        options.append(f"--stop-datetime={stop_at.astimezone(timezone.utc):%Y-%m-%d %H:%M:%S}")
    with client_programs.credentials_file(reader) as option_file, open(out, "wb") as target:
        result = subprocess.run(client_programs.argv("mariadb-binlog", node, option_file, *options, first),
                                stdout=target, stderr=subprocess.PIPE, env=client_programs.utc_env())
    if result.returncode != 0:
        raise BinlogError(f"mariadb-binlog on {node} failed: {result.stderr.decode(errors='replace').strip()}")
    return summarise(out)


def _gtid_events(path: Path):
    """(time text, GTID) of every transaction in mariadb-binlog's output, read line by line."""
    with open(path, "r", errors="replace") as handle:
        for line in handle:
            if line.startswith("#") and "GTID " in line:
                found = GTID_EVENT.match(line)
                if found:
                    yield found.group(1), found.group(2)


def summarise(path: Path) -> Extract:
    count, last = 0, None
    for event in _gtid_events(path):
        count, last = count + 1, event
    if last is None:
        return Extract(path, 0, "", None)
    when, gtid = last
    moment = datetime.strptime(" ".join(when.split()), "%y%m%d %H:%M:%S").replace(tzinfo=timezone.utc)
    return Extract(path, count, gtid, moment)


def gtids_in(path: Path) -> list[str]:
    return [gtid for _, gtid in _gtid_events(path)]


# --- the archive next to the backups ---------------------------------------------------------------------
# Each backup run copies the pair's binary logs, raw as the server wrote them, to
# <backups>/<service>/binlogs/<node>/ (mode 0600), so point-in-time restore still
# works when the nodes' own logs are gone with their data disk.

ARCHIVE = backup_sets.BINLOG_ARCHIVE
GTID_LIST_EVENT = re.compile(r"Gtid list \[([^\]]*)\]")


def archive_root(root: Path, service: str) -> Path:
    return root / service / ARCHIVE


def archive(pair: PairSpec, root: Path) -> list[str]:
    """Copy the binary logs the archive lacks (and the growing newest one again); the names copied."""
    node = source_node(pair)
    target = archive_root(root, pair.service) / f"{node.host}_{node.port}"
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    with session(node, pair.reader) as cur:
        cur.execute("SHOW BINARY LOGS")
        logs = [(row["Log_name"], int(row["File_size"])) for row in cur.fetchall()]
    wanted = [name for name, size in logs
              if not (target / name).exists() or (target / name).stat().st_size != size]
    if not wanted:
        return []
    with client_programs.credentials_file(pair.reader) as option_file:
        result = subprocess.run(client_programs.argv("mariadb-binlog", node, option_file, "--read-from-remote-server",
                                             "--raw", f"--result-file={target}/", *wanted),
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=client_programs.utc_env())
    if result.returncode != 0:
        raise BinlogError(f"archiving binary logs of {node} failed: {result.stderr.decode(errors='replace').strip()}")
    for name in wanted:
        (target / name).chmod(0o600)
    return wanted


def _archived_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.is_file() and re.search(r"\.\d{6}$", p.name))


def _file_start(path: Path) -> str:
    """The GTID list a local binlog file starts after (its Gtid_list event)."""
    result = subprocess.run(["mariadb-binlog", "--base64-output=never", "--stop-position=2048", str(path)],
                            capture_output=True, env=client_programs.utc_env())
    found = GTID_LIST_EVENT.search(result.stdout.decode(errors="replace"))
    return found.group(1) if found else ""


def archived_coverage(root: Path, service: str, since_gtid: str) -> list[Path] | None:
    """The archived files of one node holding every transaction after `since_gtid`, or None."""
    base = archive_root(root, service)
    if not base.is_dir():
        return None
    for directory in sorted(d for d in base.iterdir() if d.is_dir()):
        files = _archived_files(directory)
        if files and at_or_before(_file_start(files[0]), since_gtid):
            return files
    return None


def extract_archived(files: list[Path], *, since_gtid: str, stop_at: datetime | None, out: Path) -> Extract:
    """Like extract(), from archived files instead of a live node."""
    options = ["--skip-annotate-row-events"]
    if since_gtid:
        options.append(f"--start-position={since_gtid}")
    if stop_at is not None:
        options.append(f"--stop-datetime={stop_at.astimezone(timezone.utc):%Y-%m-%d %H:%M:%S}")
    with open(out, "wb") as target:
        result = subprocess.run(["mariadb-binlog", *options, *map(str, files)], stdout=target,
                                stderr=subprocess.PIPE, env=client_programs.utc_env())
    errors = result.stderr.decode(errors="replace").strip()
    if result.returncode != 0 and "expected GTID state" not in errors:  # that one: nothing logged since
        raise BinlogError(f"mariadb-binlog on the archive failed: {errors}")
    if result.returncode != 0:
        out.write_bytes(b"")
        return Extract(out, 0, "", None)
    return summarise(out)
