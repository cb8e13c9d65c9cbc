"""Addresses of MariaDB nodes and the admin connections used to inspect and steer them."""
from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Iterator

import MySQLdb
import MySQLdb.cursors


@dataclass(frozen=True)
class Node:
    """One MariaDB server as seen from the network: host and port."""

    host: str
    port: int

    @classmethod
    def parse(cls, text: str) -> "Node":
        host, _, port = text.strip().rpartition(":")
        return cls(host=host or "127.0.0.1", port=int(port))

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


def parse_nodes(text: str) -> tuple[Node, ...]:
    """Parse "host:port,host:port" into nodes, keeping the order given."""
    return tuple(Node.parse(part) for part in text.split(",") if part.strip())


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str


def connect(node: Node, creds: Credentials, *, timeout: float = 1.0, database: str | None = None):
    """Open a short-timeout connection; failures surface fast as MySQLdb.OperationalError."""
    kwargs = dict(
        host=node.host, port=node.port, user=creds.user, password=creds.password,
        connect_timeout=max(1, int(timeout)), read_timeout=max(1, int(timeout * 5)),
        write_timeout=max(1, int(timeout * 5)), autocommit=True, charset="utf8mb4",
    )
    if database:
        kwargs["database"] = database
    return MySQLdb.connect(**kwargs)


@contextlib.contextmanager
def session(node: Node, creds: Credentials, *, timeout: float = 1.0) -> Iterator[MySQLdb.cursors.DictCursor]:
    """A dict cursor on a fresh autocommit connection, closed on exit."""
    conn = connect(node, creds, timeout=timeout)
    try:
        yield conn.cursor(MySQLdb.cursors.DictCursor)
    finally:
        conn.close()
