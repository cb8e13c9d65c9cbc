"""MariaDB GTID positions: parse them and tell whether one node's history is contained in another's.

With gtid_strict_mode every replication domain has one linear history in
which sequence numbers only grow, and a GTID (domain-server-seq) names one
transaction. A node's history is contained in another's when, for every
domain, its last transaction is one the other has: the other's
gtid_binlog_state holds, per (domain, server), the highest sequence number it
logged from that server.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Gtid:
    domain: int
    server: int
    seq: int

    @classmethod
    def parse(cls, text: str) -> "Gtid":
        domain, server, seq = (int(part) for part in text.strip().split("-"))
        return cls(domain, server, seq)

    def __str__(self) -> str:
        return f"{self.domain}-{self.server}-{self.seq}"


def parse_list(text: str | None) -> list[Gtid]:
    """'0-11-100,0-12-7' (a gtid_*_pos or gtid_binlog_state value) as GTIDs."""
    return [Gtid.parse(part) for part in (text or "").replace("\n", "").split(",") if part.strip()]


def state_map(state: str | None) -> dict[tuple[int, int], int]:
    """(domain, server) -> highest sequence number, from a gtid_binlog_state (or any GTID list)."""
    found: dict[tuple[int, int], int] = {}
    for gtid in parse_list(state):
        key = (gtid.domain, gtid.server)
        found[key] = max(found.get(key, 0), gtid.seq)
    return found


def has_transaction(state: dict[tuple[int, int], int], gtid: Gtid) -> bool:
    return state.get((gtid.domain, gtid.server), -1) >= gtid.seq


def not_contained(position: str | None, state: str | None) -> list[Gtid]:
    """The GTIDs of `position` (one per domain) that the history summed up by `state` lacks.

    Empty means the node at `position` has nothing the other node does not have.
    """
    known = state_map(state)
    return [gtid for gtid in parse_list(position) if not has_transaction(known, gtid)]


def contains(state: str | None, position: str | None) -> bool:
    """True when every transaction up to `position` is in the history summed up by `state`."""
    return not not_contained(position, state)


def merge(*positions: str | None) -> str:
    """Union of GTID lists, keeping the highest sequence number per (domain, server)."""
    merged = state_map(",".join(p for p in positions if p))
    return ",".join(str(Gtid(d, s, n)) for (d, s), n in sorted(merged.items()))
