"""Least privilege in MariaDB, tried as an attacker holding one account's password would (real pair)."""
from __future__ import annotations

import dataclasses
import subprocess

import MySQLdb
import pytest

from sis_common.mariadb import accounts, replication, server
from sis_common.mariadb.nodes import Credentials, connect
from sis_common.testing.grants import DB_DENIED, LOGIN_DENIED, NEEDS_PRIVILEGE, READ_ONLY, TABLE_DENIED, refused
from sis_common.testing.pair import free_port, scratch_dir, start_pair

DB = "acctdb"


@pytest.fixture(scope="module")
def pair():
    made = start_pair("acct", DB)
    primary, replica = replication.current_roles(made.spec)
    with connect(primary, made.spec.migrator) as conn:
        conn.cursor().execute(f"CREATE TABLE {DB}.t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(20))")
    replication.wait_caught_up(made.spec, primary, replica, timeout=20)
    yield made
    made.close()


def run(node, creds, sql: str):
    conn = connect(node, creds, timeout=5)
    try:
        cur = conn.cursor()
        cur.execute(sql)
        return cur.fetchall()
    finally:
        conn.close()


def grants(pair, user: str) -> str:
    primary, _ = replication.current_roles(pair.spec)
    with pair.root(primary) as cur:
        cur.execute("SHOW GRANTS FOR %s@'%%'", (user,))
        return "\n".join(next(iter(row.values())) for row in cur.fetchall())


def test_the_ops_account_cannot_write_through_the_fence_nor_manage_accounts(pair):
    spec = pair.spec
    _, replica = replication.current_roles(spec)
    ops = spec.admin
    assert refused(replica, ops, f"CREATE TABLE {DB}.evil (id INT)") == TABLE_DENIED
    assert refused(replica, ops, f"INSERT INTO {DB}.t (v) VALUES ('ops')") == TABLE_DENIED
    assert refused(replica, ops, "CREATE DATABASE evil") == DB_DENIED
    assert refused(replica, ops, "CREATE USER 'evil'@'%' IDENTIFIED BY 'x'") == NEEDS_PRIVILEGE
    assert refused(replica, ops, f"GRANT SELECT ON {DB}.* TO '{spec.app.user}'@'%'") == DB_DENIED
    assert refused(replica, ops, "SELECT COUNT(*) FROM mysql.user") == TABLE_DENIED
    assert refused(replica, ops, "SET SESSION sql_log_bin = 0") == NEEDS_PRIVILEGE  # no unlogged writes either
    assert refused(replica, ops, f"SELECT * FROM {DB}.t") == TABLE_DENIED  # nor reading the shop's rows


def test_the_ops_account_still_flips_the_fence_and_yet_cannot_write_with_it_open(pair):
    spec = pair.spec
    primary, replica = replication.current_roles(spec)
    run(replica, spec.admin, "SET GLOBAL read_only = OFF")
    try:
        assert refused(replica, spec.admin, f"INSERT INTO {DB}.t (v) VALUES ('ops')") == TABLE_DENIED
    finally:
        run(replica, spec.admin, "SET GLOBAL read_only = ON")
    assert replication.probe(replica, spec.admin).read_only is True
    assert replication.probe(replica, spec.admin).replication_healthy


def test_app_migrator_and_reader_cannot_write_on_the_read_only_replica(pair):
    spec = pair.spec
    primary, replica = replication.current_roles(spec)
    run(primary, spec.app, f"INSERT INTO {DB}.t (v) VALUES ('app')")  # serving works
    for creds in (spec.app, spec.migrator):
        assert refused(replica, creds, f"INSERT INTO {DB}.t (v) VALUES ('{creds.user}')") == READ_ONLY
        assert refused(replica, creds, "SET GLOBAL read_only = OFF") == NEEDS_PRIVILEGE
    assert refused(replica, spec.reader, f"INSERT INTO {DB}.t (v) VALUES ('reader')") == READ_ONLY
    assert refused(primary, spec.reader, f"INSERT INTO {DB}.t (v) VALUES ('reader')") == TABLE_DENIED
    assert refused(primary, spec.reader, f"DELETE FROM {DB}.t") == TABLE_DENIED
    assert refused(replica, spec.reader, "SET GLOBAL read_only = OFF") == NEEDS_PRIVILEGE


def test_the_app_account_has_no_ddl_and_no_grant(pair):
    spec = pair.spec
    primary, _ = replication.current_roles(spec)
    assert refused(primary, spec.app, f"CREATE TABLE {DB}.evil (id INT)") == TABLE_DENIED
    assert refused(primary, spec.app, f"DROP TABLE {DB}.t") == TABLE_DENIED
    assert refused(primary, spec.app, f"GRANT SELECT ON {DB}.* TO 'x'@'%'") in (DB_DENIED, NEEDS_PRIVILEGE)


def test_root_is_not_reachable_over_tcp(pair):
    for node in pair.spec.nodes:
        with pytest.raises(MySQLdb.OperationalError) as caught:
            MySQLdb.connect(host=node.host, port=node.port, user="root", password="", connect_timeout=2)
        assert caught.value.args[0] == LOGIN_DENIED


def test_every_account_holds_exactly_its_grants(pair):
    spec = pair.spec
    ops = grants(pair, spec.admin.user)
    for privilege in accounts.OPS_PRIVILEGES.split(", "):
        assert privilege in ops
    assert "GRANT OPTION" not in ops and "ALL PRIVILEGES" not in ops and f"`{DB}`" not in ops
    assert f"GRANT SELECT, INSERT, UPDATE, DELETE ON `{DB}`.*" in grants(pair, spec.app.user)
    assert "GRANT OPTION" not in grants(pair, spec.migrator.user)
    reader = grants(pair, spec.reader.user)
    assert "READ_ONLY ADMIN" not in reader and "INSERT" not in reader


def test_an_old_all_powerful_admin_is_cut_down_on_the_next_setup(pair):
    spec = pair.spec
    _, replica = replication.current_roles(spec)
    local = next(n for n in pair.nodes if n.node == replica)
    with pair.root(replica) as cur:  # what every node had before: three hosts, ALL ... WITH GRANT OPTION
        cur.execute("SET SESSION sql_log_bin = 0")
        for host in ("127.0.0.1", "localhost", "%"):
            cur.execute("CREATE USER IF NOT EXISTS %s@%s IDENTIFIED BY %s", (spec.admin.user, host, spec.admin.password))
            cur.execute("GRANT ALL PRIVILEGES ON *.* TO %s@%s WITH GRANT OPTION", (spec.admin.user, host))
    assert run(replica, spec.admin, f"SELECT COUNT(*) FROM {DB}.t")  # the old account reads (and writes) all
    server.ensure_accounts(local, spec)
    assert refused(replica, spec.admin, f"INSERT INTO {DB}.t (v) VALUES ('old')") == TABLE_DENIED
    with pair.root(replica) as cur:
        cur.execute("SELECT Host AS h FROM mysql.user WHERE User = %s", (spec.admin.user,))
        assert [row["h"] for row in cur.fetchall()] == ["%"]
        cur.execute("SELECT @@gtid_binlog_pos AS p")
        logged = cur.fetchone()["p"]
    primary, _ = replication.current_roles(spec)
    assert logged == replication.probe(primary, spec.admin).gtid_binlog_pos  # nothing of it was binlogged


def test_a_fresh_node_gets_its_accounts_from_the_init_file_before_anything_is_logged(pair, tmp_path):
    # what the Docker entrypoint does on every start: mariadbd --init-file=<accounts.init_file(pair)>
    base = scratch_dir("ewtto-acct-init-")
    node = server.LocalNode("acct-init", free_port(), 190, base / "n")
    server.initialise(node)
    init = tmp_path / "accounts.sql"
    init.write_text(accounts.init_file(pair.spec))
    (node.base / "tmp").mkdir(exist_ok=True)
    proc = subprocess.Popen([*node.argv(), f"--init-file={init}"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.STDOUT)
    try:
        server.wait_ready(node, proc=proc)
        state = replication.probe(node.node, pair.spec.admin)  # the ops account logs in over TCP
        assert state.reachable and state.read_only and state.gtid_binlog_pos == ""
        run(node.node, pair.spec.admin, "SET GLOBAL read_only = OFF")  # the fence open: rights decide
        assert refused(node.node, pair.spec.app, f"CREATE TABLE {DB}.evil (id INT)") == TABLE_DENIED
        assert refused(node.node, pair.spec.admin, f"CREATE TABLE {DB}.evil (id INT)") == TABLE_DENIED
        assert run(node.node, pair.spec.reader, f"SHOW TABLES FROM {DB}") == ()
        run(node.node, pair.spec.migrator, f"CREATE TABLE {DB}.fine (id INT)")  # the schema's owner may
    finally:
        server.stop(proc, hard=True)
        subprocess.run(["rm", "-rf", str(base)], check=False)


def test_a_pair_moves_to_its_own_passwords_and_replication_account_and_keeps_replicating():
    # an older stack: one replication account `ewtto_repl` and one admin password for every pair
    made = start_pair("acctup", "acctupdb")
    try:
        old = made.spec
        new = dataclasses.replace(old, admin=Credentials(old.admin.user, "pair-own-admin"),
                                  replication=Credentials("ewtto_repl_acctup", "pair-own-repl"))
        for node in made.nodes:
            server.ensure_accounts(node, new)  # what bin/up does first, as root on each socket
        with pytest.raises(MySQLdb.OperationalError) as caught:
            connect(old.nodes[0], old.admin)
        assert caught.value.args[0] == LOGIN_DENIED
        replication.setup_pair(new)
        primary, replica = replication.current_roles(new)
        state = replication.probe(replica, new.admin)
        assert state.master_user == "ewtto_repl_acctup" and state.replication_healthy
        with made.root(replica) as cur:
            cur.execute("SELECT COUNT(*) AS n FROM mysql.user WHERE User = 'ewtto_repl'")
            assert cur.fetchone()["n"] == 0
        run(replica, new.admin, "STOP SLAVE")  # a fresh login of the IO thread, with the new password
        run(replica, new.admin, "START SLAVE")
        run(primary, new.migrator, "CREATE TABLE acctupdb.after (id INT)")
        assert replication.wait_caught_up(new, primary, replica, timeout=20).replication_healthy
    finally:
        made.close()
