"""Fixtures for gateway tests: stand-ins for failures only.

The upstreams here are not fakes of our services: a closed port (a dead
service) and a server that accepts and never answers (a hung service).
"""
from __future__ import annotations

import socket
import threading

import pytest

from edge.routes import services


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class HungServer:
    """Accepts connections and reads, but never answers: a service stuck mid-request."""

    def __init__(self, port: int = 0):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self.conns: list[socket.socket] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            self.conns.append(conn)

    def close(self):
        self.sock.close()
        for conn in self.conns:
            conn.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture
def hung_server():
    server = HungServer()
    yield server
    server.close()


@pytest.fixture
def dead_upstreams(settings):
    """Every service pointed at a closed port, with short timeouts."""
    settings.EWTTO_UPSTREAMS = {s: f"http://127.0.0.1:{closed_port()}" for s in services()}
    settings.EWTTO_UPSTREAM_CONNECT_TIMEOUT = 0.5
    settings.EWTTO_UPSTREAM_READ_TIMEOUT = 0.5
    return settings.EWTTO_UPSTREAMS


@pytest.fixture(autouse=True)
def _fresh_edge_state():
    """Pools and the cached health are per process; no test sees another's."""
    from edge import health
    from edge.upstream import pool

    pool.cache_clear()
    health.forget()
    yield
    pool.cache_clear()
    health.forget()
