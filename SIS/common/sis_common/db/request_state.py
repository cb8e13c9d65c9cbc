"""Per-request routing state: whether this request wrote, and the client's causal token."""
from __future__ import annotations

import contextvars
import re
from dataclasses import dataclass

GTID_LIST = re.compile(r"^\d{1,10}-\d{1,10}-\d{1,20}(,\d{1,10}-\d{1,10}-\d{1,20})*$")


@dataclass
class RoutingState:
    wrote: bool = False
    causal_gtid: str | None = None
    causal_checked: bool = False
    replica_caught_up: bool = False


_state: contextvars.ContextVar[RoutingState | None] = contextvars.ContextVar("db_routing", default=None)


def begin(causal_gtid: str | None = None) -> RoutingState:
    """Start a request's routing state; an invalid token is ignored, never trusted."""
    gtid = causal_gtid if causal_gtid and GTID_LIST.match(causal_gtid) else None
    state = RoutingState(causal_gtid=gtid)
    _state.set(state)
    return state


def current() -> RoutingState:
    state = _state.get()
    if state is None:
        state = begin()
    return state


def end() -> None:
    _state.set(None)
