"""Chaos under load through the gateway: kill -9 a primary, a replica, gunicorn and nginx; switch over.

A dedicated stack (its supervisor runs the watchdog) so the other system tests
are not disturbed. Writes are branch creations; a code counts as acknowledged
once its 201 arrived, and every acknowledged code must be on the new primary.
The figures (longest time without a successful write, write pause) are
printed and, with EWTTO_CHAOS_REPORT=<file>, appended there (docs/ha.md).
"""
import json
import os
import subprocess
import time

import pytest
import requests

from chaos import (TIMEOUT, Load, WritableWatch, codes_on, db_program, events_of, kill_program, report,
                   wait_healthy_pair, wait_program_restarted)
from sis_common.mariadb.replication import wait_caught_up
from sis_ops.stack import REPO
from sis_ops.teststack import start_test_stack, stop_test_stack

SERVICE = "sucursales"


@pytest.fixture(scope="module")
def chaos_stack():
    stack = start_test_stack()
    yield stack
    stop_test_stack(stack)


def lost_writes(stack, load, primary, replica) -> tuple[set, set]:
    pair = stack.pair_spec(SERVICE)
    wait_caught_up(pair, primary, replica)
    return load.codes() - codes_on(pair, primary, load.tag), load.codes() - codes_on(pair, replica, load.tag)


def test_killed_primary_fails_over_losing_no_acknowledged_write_and_rejoins(chaos_stack):
    stack, pair = chaos_stack, chaos_stack.pair_spec(SERVICE)
    primary, replica = wait_healthy_pair(stack, SERVICE)
    since = time.time()
    with WritableWatch(pair) as writable, Load(stack, writers=6) as load:
        load.wait_acked(3000)
        killed_at = time.monotonic()
        kill_program(stack, db_program(stack, SERVICE, primary))
        load.wait_acked(200, timeout=60)
        resumed_after = time.monotonic() - killed_at
        now_primary, now_replica = wait_healthy_pair(stack, SERVICE)  # the old primary rejoined by itself
        load.wait_acked(3000)
    lost_on_primary, lost_on_replica = lost_writes(stack, load, now_primary, now_replica)
    events = events_of(stack, SERVICE, since)
    completed = [e for e in events if e["event"] == "failover_completed"]
    report({"scenario": "kill -9 primary", "acknowledged": len(load.acked), "lost": len(lost_on_primary),
            "longest_write_gap_s": round(load.longest_gap(), 3), "resumed_after_s": round(resumed_after, 3),
            "watchdog_failover_s": completed[0]["seconds_since_first_failure"] if completed else None,
            "statuses": dict(load.write_statuses), "two_writable_polls": len(writable.both_writable),
            "polls": writable.polls})
    assert (now_primary, now_replica) == (replica, primary)
    assert lost_on_primary == set() and lost_on_replica == set()
    assert writable.both_writable == [] and writable.polls > 100
    assert set(load.write_statuses) <= {201, 503} and load.errors == []
    names = [e["event"] for e in events]
    assert "failover_completed" in names and "rejoined" in names and "diverged" not in names
    health = requests.get(stack.url() + "/health", timeout=10).json()
    assert health["watchdog"]["status"] == "running"
    assert health["watchdog"]["pairs"][SERVICE]["primary"] == str(now_primary)


def test_planned_switchover_under_load_loses_nothing(chaos_stack):
    stack, pair = chaos_stack, chaos_stack.pair_spec(SERVICE)
    primary, replica = wait_healthy_pair(stack, SERVICE)
    env = {**os.environ, "EWTTO_VAR": str(stack.var), "EWTTO_PORT": str(stack.port),
           "EWTTO_DB_PORT_BASE": str(stack.db_port_base)}
    with WritableWatch(pair) as writable, Load(stack, writers=6) as load:
        load.wait_acked(2000)
        started = time.monotonic()
        done = subprocess.run([str(REPO / "bin" / "failover"), SERVICE], env=env, capture_output=True, text=True,
                              timeout=120)
        load.wait_acked(2000)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    lost_on_primary, lost_on_replica = lost_writes(stack, load, replica, primary)
    report({"scenario": "planned switchover", "acknowledged": len(load.acked), "lost": len(lost_on_primary),
            "write_pause_s": result["write_pause_s"],
            "longest_write_gap_s": round(load.longest_gap(since=started), 3),
            "statuses": dict(load.write_statuses), "two_writable_polls": len(writable.both_writable)})
    assert (result["primary"], result["replica"], result["semi_sync"]) == (str(replica), str(primary), True)
    assert lost_on_primary == set() and lost_on_replica == set()
    assert writable.both_writable == []
    assert set(load.write_statuses) <= {201, 503} and load.errors == []
    assert wait_healthy_pair(stack, SERVICE) == (replica, primary)


def test_killed_replica_fails_no_read_and_rejoins(chaos_stack):
    stack = chaos_stack
    primary, replica = wait_healthy_pair(stack, SERVICE)
    since = time.time()
    with Load(stack, writers=2, readers=4) as load:
        load.wait_acked(300)
        program = db_program(stack, SERVICE, replica)
        pid = kill_program(stack, program)
        wait_program_restarted(stack, program, pid)
        assert wait_healthy_pair(stack, SERVICE) == (primary, replica)
        load.wait_acked(300)
    lost_on_primary, lost_on_replica = lost_writes(stack, load, primary, replica)
    report({"scenario": "kill -9 replica", "acknowledged": len(load.acked), "lost": len(lost_on_primary),
            "reads": dict(load.read_statuses), "longest_write_gap_s": round(load.longest_gap(), 3)})
    assert set(load.read_statuses) == {200} and set(load.write_statuses) == {201} and load.errors == []
    assert lost_on_primary == set() and lost_on_replica == set()
    assert "rejoined" in [e["event"] for e in events_of(stack, SERVICE, since)]


@pytest.mark.parametrize("program", ["app-sucursales", "nginx-sucursales", "app-gateway"])
def test_killed_web_process_is_restarted_and_the_gateway_answers_503_meanwhile(chaos_stack, program):
    url = chaos_stack.url() + "/api/branches/health/"
    statuses, errors, odd = {}, [], []
    pid = kill_program(chaos_stack, program)
    restarted, ok_since_restart, deadline = None, 0, time.monotonic() + 60
    with requests.Session() as http:
        while time.monotonic() < deadline and ok_since_restart < 20:
            try:
                answer = http.get(url, timeout=TIMEOUT)  # bounded: a hang would be an error here
            except requests.RequestException as exc:
                errors.append(str(exc))
                continue
            statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1
            if answer.status_code not in (200, 503):
                odd.append(answer.text[:200])
            if restarted is None:
                try:
                    restarted = wait_program_restarted(chaos_stack, program, pid, timeout=0.01)
                except AssertionError:
                    pass
            elif answer.status_code == 200:
                ok_since_restart += 1
            time.sleep(0.02)
    report({"scenario": f"kill -9 {program}", "statuses": statuses})
    assert restarted is not None and ok_since_restart == 20
    assert set(statuses) <= {200, 503}, odd
    assert errors == []
