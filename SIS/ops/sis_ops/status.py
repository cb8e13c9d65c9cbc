"""What runs and in which role: processes, database nodes, replication lag, health."""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from sis_common.mariadb.replication import probe
from sis_common.watchdog_files import event_log_path, read_state, state_path, tail_events

from . import supervisor
from .stack import Stack


def gateway_health(stack: Stack, timeout: float = 5) -> dict:
    try:
        with urllib.request.urlopen(stack.url() + "/health", timeout=timeout) as answer:
            return json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        return json.loads(exc.read() or b"{}") or {"status": "down"}
    except (OSError, ValueError) as exc:
        return {"status": "down", "error": str(exc)}


def wait_healthy(stack: Stack, *, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    health = gateway_health(stack)
    while health.get("status") != "ok" and time.monotonic() < deadline:
        time.sleep(0.5)
        health = gateway_health(stack)
    return health


def node_rows(stack: Stack) -> list[dict]:
    jobs = [(s.slug, n) for s in stack.services for n in stack.local_nodes(s.slug)]
    admins = {s.slug: stack.pair_spec(s.slug).admin for s in stack.services}  # each pair's own password
    with ThreadPoolExecutor(max_workers=8) as pool:
        states = list(pool.map(lambda job: probe(job[1].node, admins[job[0]]), jobs))
    return [{"service": slug, "name": node.name, **state.as_dict()} for (slug, node), state in zip(jobs, states)]


def table(stack: Stack) -> str:
    lines = [f"{'PROCESS':<28}{'STATE':<10}{'PID':>8}  UPTIME"]
    for proc in supervisor.processes(stack):
        lines.append(f"{proc['name']:<28}{proc['statename']:<10}{proc['pid']:>8}  {proc['description']}")
    if len(lines) == 1:
        lines.append("(supervisor is not running: bin/up starts the stack)")
    lines += ["", f"{'DB NODE':<16}{'ADDRESS':<18}{'ROLE':<9}{'IO':<5}{'SQL':<5}{'LAG':>5}  GTID"]
    for row in node_rows(stack):
        lag = "-" if row["lag_seconds"] is None else str(row["lag_seconds"])
        lines.append(f"{row['name']:<16}{row['node']:<18}{row['role']:<9}{yes(row['io_running']):<5}"
                     f"{yes(row['sql_running']):<5}{lag:>5}  {row['gtid'] or row['error'] or ''}")
    lines += ["", *watchdog_lines(stack)]
    return "\n".join(lines)


def watchdog_lines(stack: Stack, *, events: int = 8) -> list[str]:
    """The watchdog's view of every pair and its latest decisions (docs/ha.md)."""
    state = read_state(state_path(stack.var))
    if not state:
        return ["WATCHDOG  no state file yet (it starts with the stack's supervisor)"]
    age = time.time() - float(state.get("updated_ts") or 0)
    running = "stopped" if state.get("stopped") else ("running" if age < 10 else f"stale ({age:.0f}s old)")
    lines = [f"WATCHDOG  {running}, every {state['settings']['interval']}s x {state['settings']['failures']}",
             f"{'PAIR':<12}{'STATE':<10}{'MODE':<11}{'PRIMARY':<18}NEEDS A PERSON"]
    for name, pair in state.get("pairs", {}).items():
        lines.append(f"{name:<12}{pair['state']:<10}{pair['mode'] or '-':<11}{pair['primary'] or '-':<18}"
                     f"{pair['needs_person'] or ''}")
    recent = tail_events(event_log_path(stack.var), limit=events)
    if recent:
        lines += ["", "LAST WATCHDOG EVENTS"]
        lines += [f"{e['at'][11:23]} {e.get('level', ''):<8}{e.get('service') or '-':<12}{e['event']}"
                  f"{'  ' + str(e.get('reason') or e.get('detail') or '') if e.get('reason') or e.get('detail') else ''}"
                  for e in recent]
    return lines


def yes(flag: bool) -> str:
    return "yes" if flag else "no"
