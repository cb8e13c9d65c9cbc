"""Test helpers for the watchdog: a watched real pair, an application-like writer, node control."""
from __future__ import annotations

import os
import threading
import time

import MySQLdb

from sis_common.mariadb.nodes import Node, connect, session
from sis_common.mariadb.replication import probe
from sis_common.testing.pair import TestPair
from sis_common.watchdog_files import EventLog
from sis_ops.pairstate import Settings
from sis_ops.pairwatch import PairWatch

FAST = Settings(interval=0.2, failures=3, flap_seconds=600, catchup_timeout=10)


class PairProcesses:
    """What supervisor does in the stack, for a TestPair: pids, kill, stop, start."""

    def __init__(self, pair: TestPair):
        self.pair = pair

    def index(self, node: Node) -> int:
        return self.pair.spec.nodes.index(node)

    def pid(self, node: Node) -> int | None:
        proc = self.pair.procs.get(self.index(node))
        return proc.pid if proc is not None and proc.poll() is None else None

    def kill(self, node: Node, pid: int) -> bool:
        if self.pid(node) != pid:
            return False
        self.pair.stop_node(self.index(node), hard=True)
        return True

    def stop(self, node: Node) -> None:
        if self.index(node) in self.pair.procs:
            self.pair.stop_node(self.index(node))

    def start(self, node: Node) -> None:
        self.pair.start_node(self.index(node))

    def local_node(self, node: Node):
        return self.pair.nodes[self.index(node)]


def watch_for(pair: TestPair, tmp_path, settings: Settings = FAST) -> PairWatch:
    events = EventLog(tmp_path / "events.jsonl", echo=False)
    return PairWatch(pair.spec, settings, events, tmp_path / "control", processes=PairProcesses(pair))


def tick_until(watch: PairWatch, predicate, *, timeout: float = 30, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        watch.tick()
        if predicate():
            return
        time.sleep(watch.settings.interval)
    raise AssertionError(f"{what} not reached in {timeout}s; events: {event_names(watch)}")


def event_names(watch: PairWatch) -> list[str]:
    return [e["event"] for e in watch.events.recent]


def events_named(watch: PairWatch, name: str) -> list[dict]:
    return [e for e in watch.events.recent if e["event"] == name]


def writable(pair: TestPair) -> list[Node]:
    return [n for n in pair.spec.nodes if probe(n, pair.spec.admin).is_primary]


def healthy_replica_of(pair: TestPair, replica: Node, primary: Node) -> bool:
    state = probe(replica, pair.spec.admin)
    return state.replicating_from == primary and state.io_running and state.sql_running


def create_table(pair: TestPair) -> None:
    primary, = writable(pair)
    with session(primary, pair.spec.migrator) as cur:
        cur.execute(f"CREATE TABLE IF NOT EXISTS `{pair.spec.database}`.w "
                    "(id BIGINT PRIMARY KEY AUTO_INCREMENT, token VARCHAR(40) NOT NULL UNIQUE)")


def tokens_on(pair: TestPair, node: Node) -> set[str]:
    with session(node, pair.spec.reader, timeout=5) as cur:
        cur.execute(f"SELECT token FROM `{pair.spec.database}`.w")
        return {row["token"] for row in cur.fetchall()}


class Writers:
    """Application-like writers: connect to the writable node, insert, record what was acknowledged."""

    def __init__(self, pair: TestPair, threads: int = 4):
        self.pair = pair
        self.acked: list[tuple[float, str]] = []
        self.failures = 0
        self.last_error = ""
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(threads)]

    def __enter__(self) -> "Writers":
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def _connect(self):
        for node in self.pair.spec.nodes:
            try:
                conn = connect(node, self.pair.spec.app, timeout=1.0)
            except MySQLdb.Error:
                continue
            with conn.cursor() as cur:
                cur.execute("SELECT @@read_only")
                if not cur.fetchone()[0]:
                    return conn
            conn.close()
        raise MySQLdb.OperationalError(2003, "no writable node")

    def _run(self, index: int) -> None:
        conn, seq = None, 0
        while not self._stop.is_set():
            try:
                if conn is None:
                    conn = self._connect()
                token = f"{os.getpid()}-{index}-{seq}"
                with conn.cursor() as cur:
                    cur.execute(f"INSERT INTO `{self.pair.spec.database}`.w (token) VALUES (%s)", (token,))
                self.acked.append((time.monotonic(), token))
                seq += 1
            except MySQLdb.IntegrityError:
                # an earlier attempt committed but its answer was lost (the primary died
                # right after the commit): the duplicate proves the row is there
                self.acked.append((time.monotonic(), token))
                seq += 1
            except MySQLdb.Error as exc:
                self.failures += 1
                self.last_error = str(exc)
                if conn is not None:
                    conn.close()
                conn = None
                time.sleep(0.02)

    def wait_for(self, count: int, *, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        target = len(self.acked) + count
        while len(self.acked) < target:
            if time.monotonic() > deadline:
                raise AssertionError(f"writes stalled at {len(self.acked)} (wanted {target}); "
                                     f"{self.failures} failures, last: {self.last_error}")
            time.sleep(0.02)

    def longest_gap(self) -> float:
        times = sorted(t for t, _ in self.acked)
        return max((b - a for a, b in zip(times, times[1:])), default=0.0)

    def tokens(self) -> set[str]:
        return {token for _, token in self.acked}
