"""bin/backup and bin/restore: argument parsing and the steps that involve the running stack (supervisor)."""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

from sis_common.mariadb import replication
from sis_common.watchdog_files import control_dir

from . import backup_dump, backup_sets, binlog, restore, scratchpair, supervisor
from .environment import stack_from_env
from .pairlock import PairBusy, pair_lock
from .stack import Stack

DEFAULT_KEEP = 7
DEFAULT_KEEP_DAYS = 14.0


def backup_root(stack: Stack, given: str | None) -> Path:
    return Path(given or os.environ.get("EWTTO_BACKUP_DIR") or stack.var / "backups").resolve()


def backup_main(argv: list[str], stack: Stack | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bin/backup", description="Back up services' databases from their replicas.")
    parser.add_argument("services", nargs="*", help="services to back up (default: all)")
    parser.add_argument("--dest", help="backup directory (default $EWTTO_BACKUP_DIR or var/backups)")
    parser.add_argument("--keep", type=int, default=int(os.environ.get("EWTTO_BACKUP_KEEP", DEFAULT_KEEP)),
                        help="always keep this many newest backups per service (default $EWTTO_BACKUP_KEEP or 7)")
    parser.add_argument("--keep-days", type=float,
                        default=float(os.environ.get("EWTTO_BACKUP_KEEP_DAYS", DEFAULT_KEEP_DAYS)),
                        help="delete older backups beyond --keep after this many days (default 14)")
    parser.add_argument("--allow-primary", action="store_true", help="use the primary when the replica is unusable")
    parser.add_argument("--label", default="", help="a note kept in the manifest")
    parser.add_argument("--list", action="store_true", help="list backups instead of taking one")
    parser.add_argument("--verify", action="store_true", help="verify the checksums of every backup instead")
    args = parser.parse_args(argv)
    stack = stack or stack_from_env()
    root = backup_root(stack, args.dest)
    services = args.services or [s.slug for s in stack.services]
    for slug in services:
        stack.service(slug)  # unknown names fail before anything starts
    if args.list or args.verify:
        return _list_or_verify(root, services, verify=args.verify)
    failed = 0
    for slug in services:
        started = time.monotonic()
        try:
            taken = backup_dump.backup_pair(stack.pair_spec(slug), root, allow_primary=args.allow_primary,
                                       label=args.label)
        except (backup_dump.BackupError, backup_sets.CorruptBackup, OSError, RuntimeError) as exc:
            print(f"{slug}: BACKUP FAILED: {exc}", file=sys.stderr)
            failed += 1
            continue
        removed = backup_sets.apply_retention(root, slug, keep=args.keep, keep_days=args.keep_days)
        print(f"{slug}: {taken.describe()} in {time.monotonic() - started:.1f} s"
              + (f"; retention removed {len(removed)}" if removed else ""))
        try:
            copied = binlog.archive(stack.pair_spec(slug), root)
        except (binlog.BinlogError, OSError) as exc:
            print(f"{slug}: BINLOG ARCHIVE FAILED: {exc}", file=sys.stderr)
            failed += 1
            continue
        print(f"{slug}: binary logs archived ({len(copied)} file(s) copied)")
    return 1 if failed else 0


def _list_or_verify(root: Path, services: list[str], *, verify: bool) -> int:
    bad = 0
    for slug in services:
        sets = backup_sets.list_sets(root, slug)
        print(f"{slug}: {len(sets)} backup(s) in {backup_sets.service_dir(root, slug)}")
        for item in sets:
            status = ""
            if verify:
                try:
                    backup_sets.verify(item)
                    status = "  OK"
                except backup_sets.CorruptBackup as exc:
                    status, bad = f"  CORRUPT: {exc}", bad + 1
            print(f"  {item.path.name}  GTID {item.gtid:<20} {item.size / 1024:>8.0f} KiB  "
                  f"{item.manifest['source']['role']}{status}")
        for path in backup_sets.damaged(root, slug):
            print(f"  {path.name}  DAMAGED (unreadable manifest)")
            bad += 1
    return 1 if bad else 0


def restore_main(argv: list[str], stack: Stack | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bin/restore", description="Restore a service's database to a moment, into a fresh pair or in place.")
    parser.add_argument("service", nargs="?")
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--at", help="the moment to restore to, e.g. '2026-11-27 21:38:19' (local time) or ISO 8601")
    when.add_argument("--latest", action="store_true", help="the newest backup plus every logged transaction after it")
    parser.add_argument("--backup", help="this backup directory instead of the newest suitable one")
    parser.add_argument("--dest", help="backup directory (default $EWTTO_BACKUP_DIR or var/backups)")
    parser.add_argument("--dry-run", action="store_true", help="print what would be done, change nothing")
    parser.add_argument("--in-place", action="store_true", help="replace the data of the service's own pair")
    parser.add_argument("--yes", action="store_true", help="confirm an in-place restore without asking")
    parser.add_argument("--no-binlog", action="store_true",
                        help="restore the backup alone (when the pair's binary logs are gone)")
    parser.add_argument("--into", help="directory for the fresh pair (default var/restore/<service>-<time>)")
    parser.add_argument("--discard", metavar="DIR", help="stop and delete a fresh pair made by an earlier restore")
    args = parser.parse_args(argv)
    stack = stack or stack_from_env()
    if args.discard:
        scratchpair.discard(Path(args.discard).resolve())
        print(f"discarded {args.discard}")
        return 0
    if not args.service or not (args.at or args.latest):
        parser.error("give a service and --at TIME or --latest")
    stack.service(args.service)
    try:
        return _restore(stack, args)
    except (restore.RestoreError, backup_sets.CorruptBackup, binlog.BinlogError, PairBusy) as exc:
        print(f"RESTORE REFUSED: {exc}", file=sys.stderr)
        return 2


def _restore(stack: Stack, args) -> int:
    slug = args.service
    pair = stack.pair_spec(slug)
    at = restore.parse_moment(args.at) if args.at else None
    backup_set = restore.choose_backup(backup_root(stack, args.dest), slug, at,
                                       path=Path(args.backup).resolve() if args.backup else None)
    source = None if args.no_binlog else pair
    target = "in-place" if args.in_place else "fresh"
    with restore.scratch_workdir() as workdir:
        the_plan = restore.plan(service=slug, backup=backup_set, at=at, source=source, target=target,
                                target_nodes=pair.nodes, workdir=Path(workdir))
        if target == "fresh":
            into = Path(args.into).resolve() if args.into else \
                stack.var / "restore" / f"{slug}-{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}"
            the_plan.notes.append(f"fresh pair in {into}; the service keeps running on its own pair")
        print(the_plan.describe())
        if args.dry_run:
            print("dry run: nothing changed")
            return 0
        if target == "fresh":
            return _restore_fresh(pair, the_plan, into)
        if not _confirmed(slug, args.yes):
            print("not confirmed: nothing changed", file=sys.stderr)
            return 3
        return _restore_in_place(stack, pair, args, at, backup_set, Path(workdir))


def _restore_fresh(pair, the_plan: restore.Plan, into: Path) -> int:
    started = time.monotonic()
    scratch = scratchpair.create(into, pair)
    outcome = restore.load_pair(scratch.spec, scratch.spec.nodes[0], the_plan.backup, the_plan.events)
    print(_outcome(outcome, time.monotonic() - started))
    client = scratchpair.write_client_file(scratch, outcome["primary"])
    print(f"fresh pair running: primary {outcome['primary']}, replica {outcome['replica']} "
          f"(same accounts as the stack's pair); data in {into}")
    print(f"look inside:  mariadb --defaults-file={client} -e 'SHOW TABLES'")
    print(f"when done:    bin/restore --discard {into}")
    return 0


def _confirmed(slug: str, yes: bool) -> bool:
    if yes:
        return True
    if not sys.stdin.isatty():
        print("an in-place restore replaces the service's data: add --yes to confirm", file=sys.stderr)
        return False
    answer = input(f"This replaces all data of {slug} (a backup of the current state is taken first). "
                   f"Type the service name to go on: ")
    return answer.strip() == slug


def service_programs(stack: Stack, slug: str) -> list[str]:
    """The supervisor programs that write to the service's database."""
    return [f"app-{slug}", *(f"{name}-{slug}" for name in stack.service(slug).daemons)]


def _restore_in_place(stack: Stack, pair, args, at, backup_set, workdir: Path) -> int:
    started = time.monotonic()
    root = backup_root(stack, args.dest)
    # the pair lock keeps the watchdog (and bin/failover) off the pair while both nodes are fenced
    with pair_lock(control_dir(stack.var), args.service, wait=60):
        stopped = _stop_programs(stack, service_programs(stack, args.service))
        try:
            before = backup_dump.backup_pair(pair, root, allow_primary=True, label="before in-place restore")
            print(f"current state saved first: {before.describe()}")
            # re-read the logs now that nothing writes: --latest must include the last transactions
            the_plan = restore.plan(service=args.service, backup=backup_set, at=at,
                                    source=None if args.no_binlog else pair, target="in-place",
                                    target_nodes=pair.nodes, workdir=workdir)
            primary, _ = replication.current_roles(pair)
            outcome = restore.load_pair(pair, primary or pair.nodes[0], backup_set, the_plan.events)
        finally:
            _start_programs(stack, stopped)
    print(_outcome(outcome, time.monotonic() - started))
    health = _service_health(stack, args.service)
    print(f"service health: {health.get('status')}")
    after = backup_dump.backup_pair(pair, root, allow_primary=True, label="after in-place restore")
    print(f"new starting point saved: {after.describe()}")
    return 0 if health.get("status") == "ok" else 1


def _stop_programs(stack: Stack, names: list[str]) -> list[str]:
    if not supervisor.running(stack):
        print("supervisor not running: make sure nothing writes to the service during the restore")
        return []
    known = {p["name"] for p in supervisor.processes(stack) if p["statename"] == "RUNNING"}
    stopped = [n for n in names if n in known]
    rpc = supervisor.rpc(stack)
    for name in stopped:
        rpc.stopProcess(name, False)  # not waiting inside the call: supervisor's socket times out at 10 s
    deadline = time.monotonic() + 60
    while any(rpc.getProcessInfo(n)["statename"] not in ("STOPPED", "EXITED", "FATAL") for n in stopped):
        if time.monotonic() > deadline:
            raise restore.RestoreError(f"{', '.join(stopped)} did not stop within 60 s; nothing was changed")
        time.sleep(0.2)
    if stopped:
        print(f"stopped {', '.join(stopped)} for the restore")
    return stopped


def _start_programs(stack: Stack, names: list[str]) -> None:
    for name in names:
        supervisor.start_program(stack, name)
    if names:
        print(f"started {', '.join(names)} again")


def _service_health(stack: Stack, slug: str, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    body: dict = {}
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(stack.url(slug) + "/health", timeout=3) as answer:
                body = json.loads(answer.read())
        except urllib.error.HTTPError as exc:
            body = json.loads(exc.read() or b"{}")
        except (OSError, ValueError) as exc:
            body = {"status": "down", "error": str(exc)}
        if body.get("status") == "ok":
            return body
        time.sleep(0.5)
    return body


def _outcome(outcome: dict, seconds: float) -> str:
    tables = ", ".join(f"{t}={n}" for t, n in sorted(outcome["tables"].items())) or "(no tables)"
    return (f"restored in {seconds:.1f} s: primary {outcome['primary']}, replica {outcome['replica']} "
            f"(lag {outcome['lag_seconds']}), GTID {outcome['gtid']}; both nodes hold identical tables\n"
            f"  rows: {tables}")
