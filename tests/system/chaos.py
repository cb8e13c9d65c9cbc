"""Tools of the chaos tests: load through the gateway, a watch on writable nodes, killing processes, figures."""
from __future__ import annotations

import functools
import json
import os
import signal
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import jwt
import MySQLdb
import requests

from sis_common.mariadb.nodes import Node, connect, session
from sis_common.mariadb.replication import PairSpec, current_roles, probe
from sis_ops import supervisor
from sis_common.watchdog_files import event_log_path, read_state, state_path, tail_events
from sis_ops.stack import Stack

TIMEOUT = (1.0, 10.0)  # every request is bounded: connect, read


def admin_token(stack: Stack) -> str:
    now = int(time.time())
    claims = {"token_type": "access", "user_id": 1, "role": "admin", "branches": [], "iat": now,
              "exp": now + 3600, "jti": uuid.uuid4().hex}
    return jwt.encode(claims, stack.secrets.jwt_private.read_text(), algorithm="RS256")


class Workers:
    """Threads started on entering the block and told to stop (then joined, bounded) on leaving it.

    A subclass passes its threads' targets and loops on `self._stop`.
    """

    join_timeout: float = 30

    def __init__(self, *targets):
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=target, daemon=True) for target in targets]

    def __enter__(self):
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=self.join_timeout)


class Load(Workers):
    """Threads creating branches through the gateway; a code counts once its 201 is received."""

    def __init__(self, stack: Stack, *, writers: int = 6, readers: int = 0, tag: str = ""):
        self.url = stack.url() + "/api/branches/"
        self.headers = {"Authorization": f"Bearer {admin_token(stack)}"}
        self.tag = tag or uuid.uuid4().hex[:5]
        self.acked: list[tuple[float, str]] = []
        self.write_statuses: Counter = Counter()
        self.read_statuses: Counter = Counter()
        self.errors: list[str] = []
        self.duplicates = 0  # retries of a write that had committed without its answer arriving
        super().__init__(*(functools.partial(self._write, i) for i in range(writers)),
                         *(self._read for _ in range(readers)))

    def _write(self, index: int) -> None:
        with requests.Session() as http:
            seq = 0
            while not self._stop.is_set():
                code = f"{self.tag}{index:02d}{seq:07d}"
                try:
                    answer = http.post(self.url, json={"code": code, "name": f"chaos {code}", "city": "Lima"},
                                       headers=self.headers, timeout=TIMEOUT)
                except requests.RequestException as exc:
                    self.errors.append(f"write: {exc.__class__.__name__}: {exc}")
                    continue
                if answer.status_code == 400 and "code" in answer.json().get("fields", {}):
                    self.duplicates += 1  # a retry of a write that committed unacknowledged: its code exists
                    seq += 1
                    continue
                self.write_statuses[answer.status_code] += 1
                if answer.status_code == 201:
                    self.acked.append((time.monotonic(), code))
                    seq += 1
                else:
                    time.sleep(0.01)

    def _read(self) -> None:
        with requests.Session() as http:
            while not self._stop.is_set():
                try:
                    answer = http.get(self.url, params={"search": self.tag}, headers=self.headers, timeout=TIMEOUT)
                except requests.RequestException as exc:
                    self.errors.append(f"read: {exc.__class__.__name__}: {exc}")
                    continue
                self.read_statuses[answer.status_code] += 1

    def wait_acked(self, count: int, *, timeout: float = 120) -> None:
        target = len(self.acked) + count
        deadline = time.monotonic() + timeout
        while len(self.acked) < target:
            assert time.monotonic() < deadline, f"writes stalled: {len(self.acked)} of {target}, {self.write_statuses}"
            time.sleep(0.05)

    def codes(self) -> set[str]:
        return {code for _, code in self.acked}

    def longest_gap(self, since: float | None = None) -> float:
        times = sorted(t for t, _ in self.acked if since is None or t >= since - 5)
        return max((b - a for a, b in zip(times, times[1:])), default=0.0)


class WritableWatch(Workers):
    """Polls @@read_only of both nodes of a pair; remembers any instant with two writable nodes."""

    join_timeout = 10

    def __init__(self, pair: PairSpec, period: float = 0.01):
        self.pair, self.period = pair, period
        self.both_writable: list[float] = []
        self.polls = 0
        super().__init__(self._run)

    def _run(self) -> None:
        conns: dict[Node, object] = {}
        while not self._stop.is_set():
            writable = 0
            for node in self.pair.nodes:
                try:
                    if node not in conns:
                        conns[node] = connect(node, self.pair.admin, timeout=0.5)
                    with conns[node].cursor() as cur:
                        cur.execute("SELECT @@read_only")
                        writable += not cur.fetchone()[0]
                except MySQLdb.Error:
                    conns.pop(node, None)
            self.polls += 1
            if writable > 1:
                self.both_writable.append(time.monotonic())
            self._stop.wait(self.period)
        for conn in conns.values():
            conn.close()


def pair_state(stack: Stack, service: str) -> dict:
    return ((read_state(state_path(stack.var)) or {}).get("pairs") or {}).get(service) or {}


def wait_healthy_pair(stack: Stack, service: str, *, timeout: float = 90) -> tuple[Node, Node]:
    """Until the watchdog calls the pair healthy (armed, semi-sync) and both nodes agree."""
    pair = stack.pair_spec(service)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = pair_state(stack, service)
        if state.get("state") == "healthy" and state.get("armed"):
            primary, replica = current_roles(pair)
            if primary is not None and is_replica_of(pair, replica, primary):
                return primary, replica
        time.sleep(0.2)
    raise AssertionError(f"{service} not healthy in {timeout}s: {pair_state(stack, service)}; "
                         f"events: {[e['event'] for e in tail_events(event_log_path(stack.var), limit=15)]}")


def is_replica_of(pair: PairSpec, replica: Node, primary: Node) -> bool:
    state = probe(replica, pair.admin)
    return state.replicating_from == primary and state.io_running and state.sql_running


def kill_program(stack: Stack, program: str) -> int:
    """kill -9 the process supervisor runs as `program`; return its pid."""
    (info,) = [p for p in supervisor.processes(stack) if p["name"] == program]
    assert info["statename"] == "RUNNING" and info["pid"], info
    os.kill(info["pid"], signal.SIGKILL)
    return info["pid"]


def wait_program_restarted(stack: Stack, program: str, old_pid: int, *, timeout: float = 60) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        (info,) = [p for p in supervisor.processes(stack) if p["name"] == program]
        if info["statename"] == "RUNNING" and info["pid"] not in (0, old_pid):
            return info["pid"]
        time.sleep(0.1)
    raise AssertionError(f"{program} not restarted by supervisor in {timeout}s")


def db_program(stack: Stack, service: str, node: Node) -> str:
    (local,) = [n for n in stack.local_nodes(service) if n.node == node]
    return f"db-{local.name}"


def codes_on(pair: PairSpec, node: Node, tag: str) -> set[str]:
    with session(node, pair.reader, timeout=10) as cur:
        cur.execute(f"SELECT code FROM `{pair.database}`.branches_branch WHERE code LIKE %s", (f"{tag}%",))
        return {row["code"] for row in cur.fetchall()}


def events_of(stack: Stack, service: str, since: float) -> list[dict]:
    return [e for e in tail_events(event_log_path(stack.var), limit=200, service=service) if e["ts"] >= since]


def report(figures: dict) -> None:
    """Print the figures; also append them to EWTTO_CHAOS_REPORT (JSON lines) when set."""
    line = json.dumps({"at": time.strftime("%Y-%m-%dT%H:%M:%S"), **figures})
    print(f"\nCHAOS {line}")
    target = os.environ.get("EWTTO_CHAOS_REPORT")
    if target:
        with Path(target).open("a") as fh:
            fh.write(line + "\n")
