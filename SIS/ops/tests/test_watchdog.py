"""The watchdog's decisions on a real MariaDB pair: failover, fencing, rejoin, async mode, flapping."""
import signal

import pytest

from haharness import (PairProcesses, Writers, create_table, event_names, events_named, healthy_replica_of,
                       tick_until, tokens_on, watch_for, writable)
from sis_common.mariadb.nodes import session
from sis_ops.promotion import promote, set_semi_sync
from sis_common.mariadb.replication import wait_caught_up
from sis_common.testing.pair import start_pair
from sis_ops import failover, rejoin


@pytest.fixture
def pair():
    running = start_pair("wd", "wddb")
    create_table(running)
    yield running
    running.close()


def armed(watch):
    tick_until(watch, lambda: watch.armed, what="armed")
    return watch


def test_killed_primary_fails_over_losslessly_and_rejoins_as_replica(pair, tmp_path):
    watch = armed(watch_for(pair, tmp_path))
    old, new = pair.spec.nodes
    with Writers(pair) as writers:
        writers.wait_for(300)
        pair.stop_node(0, hard=True)  # kill -9
        tick_until(watch, lambda: writable(pair) == [new], what="failover")
        writers.wait_for(300)
        pair.start_node(0)  # what supervisor does: it boots read-only
        tick_until(watch, lambda: healthy_replica_of(pair, old, new) and watch.mode == "semi-sync",
                   what="old primary rejoined")
        writers.wait_for(300)
    assert writers.tokens() - tokens_on(pair, new) == set()
    wait_caught_up(pair.spec, new, old)
    assert writers.tokens() - tokens_on(pair, old) == set()
    assert events_named(watch, "failover_completed")[0]["primary"] == str(new)
    assert events_named(watch, "rejoined")[0]["node"] == str(old)
    assert "diverged" not in event_names(watch)
    print(f"longest write gap {writers.longest_gap():.2f}s")


def test_primary_restarted_read_only_before_detection_is_replaced_without_loss(pair, tmp_path):
    watch = armed(watch_for(pair, tmp_path))
    old, new = pair.spec.nodes
    with Writers(pair) as writers:
        writers.wait_for(300)
        pair.stop_node(0, hard=True)
        pair.start_node(0)  # back (fenced) before the watchdog looked three times
        tick_until(watch, lambda: writable(pair) == [new], what="failover")
        tick_until(watch, lambda: healthy_replica_of(pair, old, new), what="rejoin")
        writers.wait_for(300)
    assert writers.tokens() - tokens_on(pair, new) == set()
    assert events_named(watch, "failover_completed")[0]["primary"] == str(new)
    assert "diverged" not in event_names(watch)


def test_primary_lost_by_the_watchdog_alone_is_not_failed_over(pair, tmp_path):
    watch = armed(watch_for(pair, tmp_path))
    primary, replica = pair.spec.nodes
    admin = pair.spec.admin
    set_admin_password(pair, primary, "not-the-watchdogs")  # the watchdog cannot get in; replication can
    try:
        with Writers(pair) as writers:
            tick_until(watch, lambda: watch.state == "suspect" and watch.primary_failures > 5, what="suspicion")
            writers.wait_for(100)
    finally:
        set_admin_password(pair, primary, admin.password)
    tick_until(watch, lambda: watch.state == "healthy", what="healthy again")
    assert writable(pair) == [primary]
    assert "primary_unreachable_from_watchdog_only" in event_names(watch)
    assert "failover_started" not in event_names(watch)


def set_admin_password(pair, node, password):
    with pair.root(node) as cur:
        cur.execute("SET SESSION sql_log_bin = 0")
        cur.execute("ALTER USER %s@'%%' IDENTIFIED BY %s", (pair.spec.admin.user, password))


def test_hung_primary_is_failed_over_once_the_replica_lost_it_and_is_killed(pair, tmp_path):
    watch = armed(watch_for(pair, tmp_path))
    old, new = pair.spec.nodes
    hung = pair.procs[0]
    with Writers(pair) as writers:
        writers.wait_for(200)
        hung.send_signal(signal.SIGSTOP)
        tick_until(watch, lambda: writable(pair) == [new], timeout=40, what="failover of a hung primary")
        assert hung.wait(10) == -signal.SIGKILL  # fenced: the writable process is gone for good
        pair.start_node(0)
        tick_until(watch, lambda: healthy_replica_of(pair, old, new), what="rejoin")
        writers.wait_for(200)
    assert "fenced_process" in event_names(watch)
    assert writers.tokens() - tokens_on(pair, new) == set()


def test_lost_replica_switches_primary_to_async_and_back(pair, tmp_path):
    watch = armed(watch_for(pair, tmp_path))
    primary, replica = pair.spec.nodes
    with Writers(pair) as writers:
        writers.wait_for(100)
        pair.stop_node(1, hard=True)
        tick_until(watch, lambda: watch.mode == "async", what="async mode")
        writers.wait_for(200, timeout=5)  # commits no longer wait for the semi-sync timeout
        pair.start_node(1)  # boots with its replication stopped (skip_slave_start)
        tick_until(watch, lambda: watch.mode == "semi-sync", what="semi-sync restored")
        writers.wait_for(100)
    assert healthy_replica_of(pair, replica, primary)
    assert {"replica_lost", "rejoined", "semi_sync_restored"} <= set(event_names(watch))
    assert writers.tokens() - tokens_on(pair, primary) == set()


def test_primary_of_an_async_pair_is_not_replaced_but_awaited(pair, tmp_path):
    watch = armed(watch_for(pair, tmp_path))
    primary, replica = pair.spec.nodes
    pair.stop_node(1, hard=True)
    tick_until(watch, lambda: watch.mode == "async", what="async mode")
    with Writers(pair) as writers:  # acknowledged on the primary alone
        writers.wait_for(100)
    pair.stop_node(0, hard=True)
    pair.start_node(1)
    tick_until(watch, lambda: watch.state == "blocked", what="refusal")
    assert writable(pair) == []
    assert "async" in events_named(watch, "failover_refused")[0]["reason"]
    pair.start_node(0)
    tick_until(watch, lambda: writable(pair) == [primary], what="old primary kept")
    tick_until(watch, lambda: healthy_replica_of(pair, replica, primary), what="replica back")
    assert writers.tokens() - tokens_on(pair, primary) == set()
    assert "primary_restored" in event_names(watch)


def test_second_automatic_failover_waits_for_acknowledgement(pair, tmp_path):
    watch = armed(watch_for(pair, tmp_path))
    first, second = pair.spec.nodes
    pair.stop_node(0, hard=True)
    tick_until(watch, lambda: writable(pair) == [second], what="first failover")
    pair.start_node(0)
    tick_until(watch, lambda: healthy_replica_of(pair, first, second) and watch.mode == "semi-sync", what="rejoin")
    pair.stop_node(1, hard=True)
    tick_until(watch, lambda: watch.state == "blocked", what="flapping refusal")
    assert "--ack" in watch.needs_person
    failover.acknowledge(watch.events, watch.control, pair.spec.service)
    tick_until(watch, lambda: writable(pair) == [first], what="failover after acknowledgement")


def test_diverged_old_primary_stays_fenced_until_rebuilt(pair, tmp_path):
    watch = armed(watch_for(pair, tmp_path))
    old, new = pair.spec.nodes
    with session(new, pair.spec.admin) as cur:
        cur.execute("STOP SLAVE")
    set_semi_sync(pair.spec, old, False)
    with session(old, pair.spec.migrator) as cur:  # a write the replica never gets
        cur.execute("INSERT INTO wddb.w (token) VALUES ('only-on-old')")
    pair.stop_node(0, hard=True)
    promote(pair.spec, new, semi_sync=False)  # a person forced the failover
    pair.start_node(0)
    tick_until(watch, lambda: watch.state == "fenced", what="fenced")
    (diverged,) = events_named(watch, "diverged")
    assert diverged["node"] == str(old)
    assert diverged["transactions"][0]["tables"] == ["wddb.w"]
    assert writable(pair) == [new] and not healthy_replica_of(pair, old, new)

    result = rejoin.rebuild(pair.spec, watch.events, watch.control, PairProcesses(pair))
    assert result["replicating"]
    tick_until(watch, lambda: watch.state == "healthy", what="healthy after rebuild")
    assert "only-on-old" not in tokens_on(pair, old)
    wait_caught_up(pair.spec, new, old)
    assert tokens_on(pair, old) == tokens_on(pair, new)


def test_planned_switchover_under_writes_loses_nothing(pair, tmp_path):
    watch = armed(watch_for(pair, tmp_path))
    first, second = pair.spec.nodes
    with Writers(pair) as writers:
        writers.wait_for(200)
        there = failover.switchover(pair.spec, watch.events, watch.control)
        writers.wait_for(200)
        back = failover.switchover(pair.spec, watch.events, watch.control)
        writers.wait_for(200)
    assert (there["primary"], back["primary"]) == (str(second), str(first))
    assert there["semi_sync"] and back["semi_sync"]
    assert healthy_replica_of(pair, second, first)
    assert writers.tokens() - tokens_on(pair, first) == set()
    tick_until(watch, lambda: watch.state == "healthy", what="healthy")
    assert "failover_started" not in event_names(watch)
    print(f"write pauses {there['write_pause_s']}s, {back['write_pause_s']}s")
