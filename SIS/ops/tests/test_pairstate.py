"""The watchdog's transitions (sis_ops.pairstate.next_state) on made-up looks: pure, no database."""
from dataclasses import replace

import pytest

from sis_common.mariadb.nodes import Credentials, Node
from sis_common.mariadb.replication import NodeState, PairSpec
from sis_ops.pairstate import (Drain, Emit, Fence, KeepOldPrimary, Kill, Look, Memory, PairState, Plan, Promote,
                               Promoted, ProcessKilled, ReadDivergence, DivergenceRead, Rejoin, ReplicaDrained,
                               SetSemiSync, Settings, StopReplication, needs_person, next_state)
from sis_ops.promotion import Drained

A, B = Node("127.0.0.1", 3401), Node("127.0.0.1", 3402)
ACCOUNT = Credentials("u", "p")
PAIR = PairSpec("svc", "svcdb", (A, B), ACCOUNT, ACCOUNT, ACCOUNT)
SETTINGS = Settings(failures=3, flap_seconds=600)
DRAINED = Drained("0-1-10", "0-1-10", 0.01)


def primary(node=A, *, gtid="0-1-10", semi_sync=True, active=True, history=None):
    return NodeState(node, True, read_only=False, gtid_binlog_pos=gtid, gtid_current_pos=gtid,
                     gtid_binlog_state=history or gtid, semi_sync_master_enabled=semi_sync,
                     semi_sync_master_active=semi_sync and active)


def replica(node=B, *, of=A, gtid="0-1-10", io=True, sql=True, **more):
    return NodeState(node, True, read_only=True, gtid_current_pos=gtid, gtid_slave_pos=gtid, replicating_from=of,
                     io_running=io, sql_running=sql, lag_seconds=0 if io and sql else None,
                     io_state="Yes" if io else "No", semi_sync_master_enabled=False, **more)


def fenced(node, gtid, history=None):
    """Read-only and not replicating: a restarted node (it boots like that)."""
    return NodeState(node, True, read_only=True, gtid_binlog_pos=gtid, gtid_current_pos=gtid,
                     gtid_binlog_state=history or gtid, semi_sync_master_enabled=False)


def down(node):
    return NodeState(node, False, error="Can't connect")


def look(*nodes, at=100.0, acknowledged_at=0.0, pid=None):
    return Look(tuple(nodes), wall=10_000 + at, mono=at, acknowledged_at=acknowledged_at, pid=pid)


def step(memory, seen):
    return next_state(memory, seen, PAIR, SETTINGS)


def events(actions):
    return [a.event for a in actions if isinstance(a, Emit)]


def effects(actions):
    return [a for a in actions if not isinstance(a, Emit)]


def run(memory, looks):
    """Feed looks one after the other; the memory after the last and every event said on the way."""
    said = []
    for seen in looks:
        memory, actions = step(memory, seen)
        said += events(actions)
    return memory, said


def armed(**looked):
    memory, actions = step(Memory(), look(primary(), replica(), **looked))
    assert memory.armed and events(actions) == ["armed"]
    return memory


def outage(memory, *nodes, looks=3, start=200.0):
    """`looks` looks one second apart without a writable node; the memory and the last look's actions."""
    said = []
    for i in range(looks):
        memory, actions = step(memory, look(*nodes, at=start + i))
        said += events(actions)
    return memory, actions, said


def test_a_healthy_semi_sync_pair_is_armed_once():
    memory = armed()
    assert (memory.state, memory.primary, memory.mode) == (PairState.HEALTHY, A, "semi-sync")
    assert step(memory, look(primary(), replica())) == (memory, [])


def test_a_pair_never_seen_healthy_is_not_failed_over():
    memory, actions, said = outage(Memory(), down(A), replica(io=False), looks=5)
    assert memory.state is PairState.WAITING and memory.primary_failures == 0
    assert actions == [] and said == []


def test_a_primary_missing_for_fewer_looks_than_failures_is_suspect_and_said_once():
    memory, actions, said = outage(armed(), fenced(A, "0-1-10"), replica(io=False), looks=2)
    assert (memory.state, memory.primary_failures, said) == (PairState.SUSPECT, 2, ["primary_unhealthy"])
    memory, actions = step(memory, look(primary(), replica(), at=300))
    assert events(actions) == ["primary_back"]
    assert (memory.state, memory.primary_failures) == (PairState.HEALTHY, 0)


def test_a_restarted_primary_is_failed_over_after_failures_looks_losslessly():
    memory, actions, said = outage(armed(), fenced(A, "0-1-10"), replica(io=False))
    plan = Plan(fenced(A, "0-1-10"), replica(io=False))
    assert said == ["primary_unhealthy", "failover_started"]
    assert effects(actions) == [Drain(plan)] and memory.state is PairState.SUSPECT
    memory, actions = step(memory, ReplicaDrained(plan, DRAINED, nodes=(fenced(A, "0-1-10"), replica(io=False))))
    assert actions == [Promote(plan, DRAINED)]
    memory, actions = step(memory, Promoted(plan, DRAINED, pid=42, wall=10_210.5, mono=210.5))
    assert events(actions) == ["failover_completed"]
    assert actions[0].fields["seconds_since_first_failure"] == 10.5  # from the first failed look at 200
    assert (memory.state, memory.primary, memory.mode, memory.primary_pid) == (PairState.DEGRADED, B, "async", 42)
    assert memory.last_failover == {"ts": 10_210.5, "from": str(A), "to": str(B), "seconds": 10.5}


def test_an_unreachable_primary_still_running_is_killed_before_the_drain():
    memory = armed(pid=7)
    memory, actions, _ = outage(memory, down(A), replica(io=False))
    plan = Plan(down(A), replica(io=False))
    assert actions == [Kill(plan, 7)]
    _, actions = step(memory, ProcessKilled(plan, 7, killed=True, mono=203))
    assert events(actions) == ["fenced_process", "failover_started"] and effects(actions) == [Drain(plan)]
    _, actions = step(memory, ProcessKilled(plan, 7, killed=False, mono=203))  # gone by itself meanwhile
    assert events(actions) == ["failover_started"]


def test_a_primary_the_replica_still_receives_from_is_not_failed_over():
    memory, actions, said = outage(armed(), down(A), replica(io=True), looks=6)
    assert memory.state is PairState.SUSPECT and memory.primary_failures == 6
    assert said == ["primary_unhealthy", "primary_unreachable_from_watchdog_only"] and actions == []


def test_a_lost_replica_switches_the_primary_to_async_then_back_once_caught_up():
    memory, said = run(armed(), [look(primary(), down(B), at=t) for t in (200, 201)])
    assert said == [] and memory.mode == "semi-sync"
    memory, actions = step(memory, look(primary(), down(B), at=202))
    assert effects(actions) == [SetSemiSync(A, False)] and events(actions) == ["replica_lost"]
    assert (memory.state, memory.mode, memory.async_since) == (PairState.DEGRADED, "async", 10_202)
    memory, said = run(memory, [look(primary(semi_sync=False), down(B), at=t) for t in (203, 204)])
    assert said == []  # switched already
    memory, actions = step(memory, look(primary(semi_sync=False), replica(), at=205))
    assert effects(actions) == [SetSemiSync(A, True)] and events(actions) == ["semi_sync_restored"]
    assert (memory.state, memory.mode, memory.async_since) == (PairState.HEALTHY, "semi-sync", None)


def test_an_async_pair_is_not_failed_over_and_the_refusal_is_said_once():
    memory, _ = run(armed(), [look(primary(), down(B), at=t) for t in (200, 201, 202)])
    memory, actions, said = outage(memory, down(A), replica(io=False), looks=5, start=300)
    assert memory.state is PairState.BLOCKED and actions == []
    assert said == ["primary_unhealthy", "failover_refused"]
    assert "async" in needs_person(memory, PAIR) and "bin/failover svc --force" in needs_person(memory, PAIR)
    memory, actions = step(memory, look(primary(semi_sync=False), down(B), at=400))
    assert events(actions) == ["primary_back"] and needs_person(memory, PAIR) is None


def test_both_nodes_down_is_refused():
    memory, _, said = outage(armed(), down(A), down(B))
    assert memory.state is PairState.BLOCKED and said == ["primary_unhealthy", "failover_refused"]
    assert needs_person(memory, PAIR) == "failover impossible: both nodes are down"


def test_a_second_automatic_failover_within_flap_seconds_waits_for_an_acknowledgement():
    memory = replace(armed(), last_failover={"ts": 10_000, "from": str(B), "to": str(A), "seconds": 2})
    memory, actions, said = outage(memory, fenced(A, "0-1-10"), replica(io=False))
    assert memory.state is PairState.BLOCKED and said[-1] == "failover_refused"
    assert "--ack" in needs_person(memory, PAIR)
    memory, actions = step(memory, look(fenced(A, "0-1-10"), replica(io=False), at=210, acknowledged_at=10_100))
    assert events(actions) == ["failover_started"]


def test_a_refused_drain_is_not_retried_until_a_primary_is_seen():
    memory, _, _ = outage(armed(), fenced(A, "0-1-10"), replica(io=False))
    plan = Plan(fenced(A, "0-1-10"), replica(io=False))
    memory, actions = step(memory, ReplicaDrained(plan, None, "SQL thread stopped"))
    assert memory.state is PairState.BLOCKED and events(actions) == ["failover_refused"]
    assert memory.refusal.terminal and "SQL thread stopped" in needs_person(memory, PAIR)
    _, actions, said = outage(memory, fenced(A, "0-1-10"), replica(io=False), looks=4, start=300)
    assert actions == [] and said == []


def test_a_restarted_primary_holding_more_than_the_drained_replica_is_kept():
    memory, _, _ = outage(armed(), fenced(A, "0-1-12"), replica(io=False))
    plan = Plan(fenced(A, "0-1-12"), replica(io=False))
    memory, actions = step(memory, ReplicaDrained(plan, DRAINED, nodes=(fenced(A, "0-1-12"), replica(io=False))))
    assert effects(actions) == [KeepOldPrimary(A, B)] and events(actions) == ["primary_restored"]
    assert memory.primary_failures == 0


def test_a_restarted_primary_diverged_from_the_drained_replica_blocks_the_failover():
    memory, _, _ = outage(armed(), fenced(A, "0-1-12"), replica(io=False))
    plan = Plan(fenced(A, "0-1-12"), replica(io=False))
    other_history = replica(io=False, gtid="0-1-10,1-2-5")
    memory, actions = step(memory, ReplicaDrained(plan, DRAINED, nodes=(fenced(A, "0-1-12"), other_history)))
    assert memory.state is PairState.BLOCKED and memory.refusal.terminal and effects(actions) == []


def test_a_node_made_writable_during_the_drain_aborts_the_failover():
    memory, _, _ = outage(armed(), down(A), replica(io=False))
    plan = Plan(down(A), replica(io=False))
    memory, actions = step(memory, ReplicaDrained(plan, DRAINED, nodes=(down(A), primary(B))))
    assert actions == [Emit("failover_aborted", "critical", {"detail": "a node became writable meanwhile"})]


def test_a_fallen_back_primary_is_said_once_while_it_lasts():
    fallen = look(primary(active=False), replica())
    memory, said = run(armed(), [fallen, fallen, fallen])
    assert said == ["semi_sync_fell_back"] and memory.state is PairState.DEGRADED
    memory, said = run(memory, [look(primary(), replica()), fallen])
    assert said == ["semi_sync_fell_back"]


def test_a_node_whose_history_the_primary_holds_is_rejoined_at_most_every_5_seconds():
    stray = fenced(B, "0-1-9")
    memory, actions = step(armed(), look(primary(), stray, at=200))
    assert effects(actions) == [Rejoin(B, A)] and events(actions) == ["rejoined"]
    memory, actions = step(memory, look(primary(), stray, at=203))
    assert effects(actions) == []
    _, actions = step(memory, look(primary(), stray, at=205))
    assert Rejoin(B, A) in effects(actions)


def test_a_diverged_node_is_read_once_kept_fenced_and_left_to_a_person():
    new_primary = primary(B, gtid="0-2-20", history="0-1-10,0-2-20", semi_sync=False)
    old = fenced(A, "0-1-11", history="0-1-11")  # a write the new primary never got
    memory, actions = step(armed(), look(old, new_primary, at=200))
    assert events(actions) == ["primary_moved"]
    (read,) = effects(actions)
    assert read == ReadDivergence(old, new_primary, "0-1-10,0-2-20")
    memory, actions = step(memory, DivergenceRead(old, new_primary, ({"gtid": "0-1-11", "tables": ["t"]},)))
    assert events(actions) == ["diverged"] and effects(actions) == []
    assert memory.state is PairState.FENCED
    assert needs_person(memory, PAIR) == f"{A} diverged: bin/rejoin svc --rebuild"
    memory, actions = step(memory, look(old, new_primary, at=201))
    assert effects(actions) == [] and memory.state is PairState.FENCED
    memory, actions = step(memory, look(replica(A, of=B, gtid="0-1-10,0-2-20"), new_primary, at=300))  # rebuilt
    assert memory.fenced == () and needs_person(memory, PAIR) is None
    assert effects(actions) == [SetSemiSync(B, True)]


def test_a_diverged_node_still_replicating_is_stopped_first():
    node = replica(io=False, gtid="0-1-10", gtid_binlog_pos="0-2-3")  # its SQL thread still applies
    memory, actions = step(armed(), look(primary(), node))
    (read,) = effects(actions)
    _, actions = step(memory, DivergenceRead(node, read.primary, ()))
    assert effects(actions) == [StopReplication(B)] and events(actions) == ["diverged"]


def test_a_broken_replica_is_said_once_and_needs_a_person_until_it_replicates():
    broken = look(primary(), replica(sql=False, last_sql_errno=1062, last_error="Duplicate entry"))
    memory, said = run(armed(), [broken, broken])
    assert said == ["replica_broken"]
    assert needs_person(memory, PAIR) == f"replication broken on {B}: bin/rejoin svc --rebuild"
    memory, _ = step(memory, look(primary(), replica()))
    assert needs_person(memory, PAIR) is None and memory.state is PairState.HEALTHY


def test_two_writable_nodes_keep_the_known_primary():
    memory = armed()
    assert step(memory, look(primary(), primary(B))) == (memory, [
        Fence(B), Emit("two_writable", "critical", {"kept": str(A), "fenced": str(B)})])


@pytest.mark.parametrize("state", [PairState.SUSPECT, PairState.BLOCKED])
def test_a_primary_seen_again_ends_the_outage(state):
    memory, _, _ = outage(armed(), down(A), down(B) if state is PairState.BLOCKED else replica(io=False), looks=3)
    assert memory.state is state
    memory, actions = step(memory, look(primary(), replica(), at=300))
    assert (memory.state, memory.primary_failures, memory.refusal) == (PairState.HEALTHY, 0, None)
    assert events(actions) == ["primary_back"]
