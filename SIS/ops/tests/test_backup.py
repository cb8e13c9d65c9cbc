"""Backups from the replica and point-in-time restores, on real MariaDB pairs (sis_common.testing.pair)."""
from __future__ import annotations

import gzip
import shutil
import subprocess
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import MySQLdb
import pytest

from sis_common.mariadb import replication, server
from sis_common.mariadb.nodes import session
from sis_common.testing.pair import scratch_dir, start_pair
from sis_ops import backup_cli, backup_dump, backup_sets, binlog, restore, scratchpair
from sis_ops.backup_sets import DUMP, MANIFEST, SUMS, CorruptBackup

DB = "shop"


@pytest.fixture(scope="module")
def pair():
    started = start_pair("bk", DB)
    yield started
    started.close()


@pytest.fixture
def root(tmp_path) -> Path:
    return tmp_path / "backups"


@pytest.fixture
def scratch(pair):
    """Fresh pairs to restore into, on tmpfs like every test pair (mariadb-install-db is slow on disk)."""
    made = []

    def make(like=None):
        made.append(scratchpair.create(scratch_dir("ewtto-restore-") / "pair", (like or pair).spec, detached=False))
        return made[-1]

    yield make
    for each in made:
        scratchpair.discard(each.base)
        shutil.rmtree(each.base.parent, ignore_errors=True)


def run(spec, node, *statements, args=()):
    """As root on the node's socket: the test writes data and steers nodes beyond any one TCP account."""
    with server.root_cursor(spec.sockets[node]) as cur:
        rows = None
        for statement in statements:
            cur.execute(statement, args or None)
            rows = cur.fetchall()
        return rows


def primary_of(spec):
    return replication.current_roles(spec)[0]


def caught_up(spec):
    primary, replica = replication.current_roles(spec)
    replication.wait_caught_up(spec, primary, replica, timeout=20)


def next_second() -> datetime:
    """A moment strictly after every event logged so far (binlog times have whole seconds)."""
    now = datetime.now(timezone.utc)
    moment = now.replace(microsecond=0) + timedelta(seconds=1)
    time.sleep((moment - now).total_seconds() + 0.05)
    return moment


def names(spec, node, table) -> list[str]:
    return [r["name"] for r in run(spec, node, f"SELECT name FROM {DB}.{table} ORDER BY id")]


def test_restore_to_a_moment_between_two_writes_keeps_the_first_only(pair, root, scratch, tmp_path):
    spec = pair.spec
    run(spec, primary_of(spec), f"CREATE TABLE {DB}.items (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40))",
        f"INSERT INTO {DB}.items (name) VALUES ('base')")
    caught_up(spec)
    taken = backup_dump.backup_pair(spec, root)
    primary, replica = replication.current_roles(spec)
    assert taken.manifest["source"] == {"node": str(replica), "role": "replica", "primary": str(primary)}
    assert taken.gtid == run(spec, primary, "SELECT @@gtid_binlog_pos AS p")[0]["p"]
    # checksums: the manifest's, and sha256sum's own check of the written SHA256SUMS
    assert taken.manifest["files"][DUMP]["sha256"] == backup_sets.sha256_file(taken.path / DUMP)
    assert subprocess.run(["sha256sum", "--check", "--quiet", SUMS], cwd=taken.path).returncode == 0
    assert b"INSERT INTO `items`" in gzip.open(taken.path / DUMP).read()

    run(spec, primary, f"INSERT INTO {DB}.items (name) VALUES ('first')")
    moment = next_second()
    run(spec, primary, f"INSERT INTO {DB}.items (name) VALUES ('second')")

    chosen = restore.choose_backup(root, "bk", moment)
    assert chosen.path == taken.path
    the_plan = restore.plan(service="bk", backup=chosen, at=moment, source=spec, target="fresh", workdir=tmp_path)
    assert the_plan.events.transactions == 1
    assert "1 transaction(s)" in the_plan.describe()

    copy = scratch()
    outcome = restore.load_pair(copy.spec, copy.spec.nodes[0], chosen, the_plan.events)
    for node in copy.spec.nodes:
        assert names(copy.spec, node, "items") == ["base", "first"]
    assert outcome["tables"]["items"] == 2 and outcome["lag_seconds"] == 0
    # the restored pair replicates: a new write reaches its replica
    new_primary, new_replica = replication.current_roles(copy.spec)
    run(copy.spec, new_primary, f"INSERT INTO {DB}.items (name) VALUES ('after')")
    replication.wait_caught_up(copy.spec, new_primary, new_replica, timeout=10)
    assert names(copy.spec, new_replica, "items") == ["base", "first", "after"]
    # the live pair was never touched
    assert names(spec, primary, "items") == ["base", "first", "second"]


@pytest.mark.parametrize("damage", ["flip_byte", "truncate", "drop_sums", "edit_manifest"])
def test_a_corrupt_backup_is_detected_and_refused(pair, root, damage, capsys):
    spec = pair.spec
    run(spec, primary_of(spec), f"CREATE TABLE IF NOT EXISTS {DB}.notes (id INT PRIMARY KEY)")
    caught_up(spec)
    good = backup_dump.backup_pair(spec, root)
    backup_sets.verify(good)
    dump = good.path / DUMP
    if damage == "flip_byte":
        data = bytearray(dump.read_bytes())
        data[len(data) // 2] ^= 0x01
        dump.write_bytes(bytes(data))
    elif damage == "truncate":
        dump.write_bytes(dump.read_bytes()[:-20])
    elif damage == "drop_sums":
        (good.path / SUMS).unlink()
    else:
        manifest = good.path / MANIFEST
        manifest.write_text(manifest.read_text().replace(good.gtid, "0-1-999999"))
    with pytest.raises(CorruptBackup):
        restore.choose_backup(root, "bk", None, path=good.path)
    with pytest.raises(CorruptBackup):
        restore.choose_backup(root, "bk", None)  # the newest backup is the damaged one: refused, not skipped
    assert backup_cli._list_or_verify(root, ["bk"], verify=True) == 1
    assert "CORRUPT" in capsys.readouterr().out


def test_retention_keeps_the_newest_and_the_recent(pair, root):
    spec = pair.spec
    taken = [backup_dump.backup_pair(spec, root) for _ in range(4)]
    assert [b.path for b in backup_sets.list_sets(root, "bk")] == [b.path for b in taken]
    partial = backup_sets.service_dir(root, "bk") / ".partial-20000101T000000Z"
    partial.mkdir()
    now = datetime.now(timezone.utc)
    assert backup_sets.apply_retention(root, "bk", keep=2, keep_days=1, now=now) == []  # all recent
    removed = backup_sets.apply_retention(root, "bk", keep=2, keep_days=1, now=now + timedelta(days=2))
    assert sorted(removed) == sorted([taken[0].path, taken[1].path, partial])
    assert [b.path for b in backup_sets.list_sets(root, "bk")] == [taken[2].path, taken[3].path]


def test_no_backup_before_the_moment_or_a_moment_in_the_future_is_refused(pair, root, tmp_path):
    backup_dump.backup_pair(pair.spec, root)
    with pytest.raises(restore.RestoreError, match="no backup"):
        restore.choose_backup(root, "bk", datetime(2000, 1, 1, tzinfo=timezone.utc))
    chosen = restore.choose_backup(root, "bk", None)
    with pytest.raises(restore.RestoreError, match="future"):
        restore.plan(service="bk", backup=chosen, at=datetime.now(timezone.utc) + timedelta(hours=1),
                     source=pair.spec, target="fresh", workdir=tmp_path)
    assert restore.parse_moment("2026-11-27T21:38:19Z") == datetime(2026, 11, 27, 21, 38, 19, tzinfo=timezone.utc)
    assert restore.parse_moment("2026-11-27 22:38:19+01:00") == datetime(2026, 11, 27, 21, 38, 19,
                                                                          tzinfo=timezone.utc)
    with pytest.raises(restore.RestoreError):
        restore.parse_moment("yesterday")


LEDGER_SCHEMA = (
    f"CREATE TABLE {DB}.accounts (id INT PRIMARY KEY, balance BIGINT NOT NULL)",
    f"CREATE TABLE {DB}.transfers (id BIGINT AUTO_INCREMENT PRIMARY KEY, amount INT NOT NULL, src INT, dst INT)",
    f"CREATE TABLE {DB}.entries (id BIGINT AUTO_INCREMENT PRIMARY KEY, transfer_id BIGINT NOT NULL, "
    f"account_id INT NOT NULL, delta INT NOT NULL, KEY (transfer_id))",
)
ACCOUNTS = 20
OPENING = 1_000_000


def transfer_loop(spec, stop: threading.Event, seed: int, done: list) -> None:
    """Move money between accounts: one transfer row, two entries, two balances, in one transaction."""
    conn = MySQLdb.connect(host=spec.nodes[0].host, port=primary_of(spec).port, user=spec.migrator.user,
                           password=spec.migrator.password, database=DB, autocommit=False)
    cur, n = conn.cursor(), seed
    try:
        while not stop.is_set():
            n += 7
            src, dst, amount = n % ACCOUNTS, (n * 3 + 1) % ACCOUNTS, n % 97 + 1
            cur.execute("INSERT INTO transfers (amount, src, dst) VALUES (%s, %s, %s)", (amount, src, dst))
            tid = cur.lastrowid
            cur.executemany("INSERT INTO entries (transfer_id, account_id, delta) VALUES (%s, %s, %s)",
                            [(tid, src, -amount), (tid, dst, amount)])
            # balances in primary-key order, as every writer locks them
            for account, delta in sorted([(src, -amount), (dst, amount)]):
                cur.execute("UPDATE accounts SET balance = balance + %s WHERE id = %s", (delta, account))
            conn.commit()
            done.append(tid)
    finally:
        conn.close()


def check_ledger(spec, node) -> int:
    """Every transfer has its two entries summing to zero, every balance equals its entries; the transfer count."""
    rows = run(spec, node, f"SELECT COUNT(*) AS n FROM {DB}.transfers t LEFT JOIN "
               f"(SELECT transfer_id, COUNT(*) AS c, SUM(delta) AS s FROM {DB}.entries GROUP BY transfer_id) e "
               f"ON e.transfer_id = t.id WHERE e.c IS NULL OR e.c <> 2 OR e.s <> 0")
    assert rows[0]["n"] == 0, "a transfer without its entries"
    orphans = run(spec, node, f"SELECT COUNT(*) AS n FROM {DB}.entries e LEFT JOIN {DB}.transfers t "
                  f"ON t.id = e.transfer_id WHERE t.id IS NULL")
    assert orphans[0]["n"] == 0, "entries without their transfer"
    mismatched = run(spec, node, f"SELECT COUNT(*) AS n FROM {DB}.accounts a LEFT JOIN "
                     f"(SELECT account_id, SUM(delta) AS s FROM {DB}.entries GROUP BY account_id) e "
                     f"ON e.account_id = a.id WHERE a.balance <> {OPENING} + IFNULL(e.s, 0)")
    assert mismatched[0]["n"] == 0, "a balance that is not the sum of its entries"
    return run(spec, node, f"SELECT COUNT(*) AS n FROM {DB}.transfers")[0]["n"]


def test_a_backup_taken_under_write_load_restores_a_consistent_state(tmp_path, scratch):
    # its own pair: this test drops and reloads everything
    loaded = start_pair("bkload", DB)
    try:
        spec = loaded.spec
        primary = primary_of(spec)
        run(spec, primary, *LEDGER_SCHEMA,
            f"INSERT INTO {DB}.accounts SELECT seq, {OPENING} FROM {DB}.seq_0_to_{ACCOUNTS - 1}",
            # history to make the dump take a while
            f"INSERT INTO {DB}.transfers (amount, src, dst) SELECT 1, seq % {ACCOUNTS}, (seq + 1) % {ACCOUNTS} "
            f"FROM {DB}.seq_1_to_40000",
            f"INSERT INTO {DB}.entries (transfer_id, account_id, delta) SELECT id, src, -1 FROM {DB}.transfers "
            f"UNION ALL SELECT id, dst, 1 FROM {DB}.transfers",
            f"UPDATE {DB}.accounts a SET balance = {OPENING} + (SELECT IFNULL(SUM(delta), 0) FROM {DB}.entries "
            f"WHERE account_id = a.id)")
        check_ledger(spec, primary)
        caught_up(spec)
        stop, done = threading.Event(), []
        writers = [threading.Thread(target=transfer_loop, args=(spec, stop, seed, done)) for seed in range(4)]
        for writer in writers:
            writer.start()
        try:
            while len(done) < 50:
                time.sleep(0.02)
            before = len(done)
            taken = backup_dump.backup_pair(spec, tmp_path / "backups")
            during = len(done) - before
            while len(done) < before + during + 50:
                time.sleep(0.02)
        finally:
            stop.set()
            for writer in writers:
                writer.join(timeout=30)
        assert during > 0, "no write ran while the backup was taken"
        final = check_ledger(spec, primary)

        copy = scratch(loaded)
        # the backup alone: the state of its snapshot, consistent although writes were running
        alone = restore.plan(service="bkload", backup=taken, at=None, source=None, target="fresh", workdir=tmp_path)
        restore.load_pair(copy.spec, copy.spec.nodes[0], taken, alone.events)
        at_backup = {check_ledger(copy.spec, node) for node in copy.spec.nodes}
        assert len(at_backup) == 1 and 40000 < at_backup.pop() < final
        # the backup plus every logged transaction: exactly the live state, on both nodes
        latest = restore.plan(service="bkload", backup=taken, at=None, source=spec, target="fresh",
                              workdir=tmp_path)
        assert latest.events.transactions > 0
        restore.load_pair(copy.spec, copy.spec.nodes[1], taken, latest.events)
        assert {check_ledger(copy.spec, node) for node in copy.spec.nodes} == {final}
    finally:
        loaded.close()


def switch_roles(spec) -> None:
    """A planned switchover by hand: the history then holds transactions of both server ids."""
    old, new = replication.current_roles(spec)
    run(spec, old, "SET GLOBAL read_only = ON")
    replication.wait_caught_up(spec, old, new, timeout=10)
    run(spec, new, "STOP SLAVE", "RESET SLAVE ALL")
    with session(new, spec.admin) as cur:
        replication.make_writable(cur)
    with session(old, spec.admin) as cur:
        replication.point_replica(cur, spec, new)
    replication.wait_semi_sync_client(spec, new)


def test_in_place_restore_after_a_switchover_brings_the_pair_back_replicating(tmp_path):
    own = start_pair("bkinplace", DB)
    try:
        spec = own.spec
        run(spec, primary_of(spec), f"CREATE TABLE {DB}.items (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40))",
            f"INSERT INTO {DB}.items (name) VALUES ('base')")
        caught_up(spec)
        taken = backup_dump.backup_pair(spec, tmp_path / "backups")
        run(spec, primary_of(spec), f"INSERT INTO {DB}.items (name) VALUES ('first')")
        switch_roles(spec)
        run(spec, primary_of(spec), f"INSERT INTO {DB}.items (name) VALUES ('second')")
        moment = next_second()
        run(spec, primary_of(spec), f"INSERT INTO {DB}.items (name) VALUES ('third')")
        the_plan = restore.plan(service="bkinplace", backup=taken, at=moment, source=spec, target="in-place",
                                target_nodes=spec.nodes, workdir=tmp_path)
        replayed = binlog.gtids_in(the_plan.events.path)
        assert len({g.split("-")[1] for g in replayed}) == 2  # transactions of both servers are replayed
        primary = primary_of(spec)
        outcome = restore.load_pair(spec, primary, taken, the_plan.events)
        assert outcome["primary"] == str(primary)
        for node in spec.nodes:
            assert names(spec, node, "items") == ["base", "first", "second"]
            # both nodes continue the original history from the position reached
            assert binlog.at_or_before(outcome["gtid"], replication.probe(node, spec.admin).gtid_current_pos)
        run(spec, primary, f"INSERT INTO {DB}.items (name) VALUES ('after')")
        caught_up(spec)
        _, replica = replication.current_roles(spec)
        assert names(spec, replica, "items") == ["base", "first", "second", "after"]
        assert replication.probe(replica, spec.admin).replication_healthy
        # the pair's binary logs now start after the restore: the old backup can no longer be rolled forward
        with pytest.raises(binlog.BinlogError, match="start after"):
            restore.plan(service="bkinplace", backup=taken, at=None, source=spec, target="fresh", workdir=tmp_path)
        fresh = backup_dump.backup_pair(spec, tmp_path / "backups")
        again = restore.plan(service="bkinplace", backup=fresh, at=None, source=spec, target="fresh",
                             workdir=tmp_path)
        assert again.events.transactions == 0
    finally:
        own.close()
        shutil.rmtree(tmp_path / "backups", ignore_errors=True)


def test_backups_are_private_and_the_binlogs_archived_beside_them_restore_after_the_nodes_lose_theirs(
        pair, root, scratch, tmp_path):
    spec = pair.spec
    primary = primary_of(spec)
    run(spec, primary, f"CREATE TABLE {DB}.kept (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40))",
        f"INSERT INTO {DB}.kept (name) VALUES ('in the backup')")
    caught_up(spec)
    taken = backup_dump.backup_pair(spec, root)
    # the whole database: nobody but its owner may read it
    for path in [root, taken.path.parent, taken.path, *taken.path.iterdir()]:
        mode = path.stat().st_mode & 0o777
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))
    run(spec, primary, f"INSERT INTO {DB}.kept (name) VALUES ('after the backup')")
    copied = binlog.archive(spec, root)
    assert copied
    archived = [p for p in binlog.archive_root(root, "bk").rglob("*") if p.is_file()]
    assert archived and all(p.stat().st_mode & 0o777 == 0o600 for p in archived)
    assert binlog.archive(spec, root) != copied or len(copied) == 1  # only the growing newest file again
    assert [b.path for b in backup_sets.list_sets(root, "bk")] == [taken.path]  # the archive is not a backup
    assert backup_sets.damaged(root, "bk") == []
    # the data disk is lost: every node's binary logs before now are gone
    for node in spec.nodes:
        run(spec, node, "FLUSH BINARY LOGS")
    caught_up(spec)
    for node in spec.nodes:
        deadline = time.monotonic() + 10  # a file the replica's reader still holds is kept: wait it out
        while len(run(spec, node, "SHOW BINARY LOGS")) > 1 and time.monotonic() < deadline:
            run(spec, node, f"PURGE BINARY LOGS TO '{run(spec, node, 'SHOW BINARY LOGS')[-1]['Log_name']}'")
            time.sleep(0.2)
        assert len(run(spec, node, "SHOW BINARY LOGS")) == 1
    with pytest.raises(binlog.BinlogError):
        binlog.extract(primary, spec.reader, since_gtid=taken.gtid, stop_at=None, out=tmp_path / "x.sql")
    the_plan = restore.plan(service="bk", backup=taken, at=None, source=spec, target="fresh", workdir=tmp_path)
    assert the_plan.events.transactions >= 1 and "archive" in the_plan.describe()
    copy = scratch()
    restore.load_pair(copy.spec, copy.spec.nodes[0], taken, the_plan.events)
    assert names(copy.spec, copy.spec.nodes[0], "kept") == ["in the backup", "after the backup"]
