"""The write request AuditMiddleware is recording, so that a service may record it inside the change's transaction."""
from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass
class Watch:
    request: object
    body: bytes
    recorded: bool = False  # the event is written already (in the change's own transaction)


_current: ContextVar[Watch | None] = ContextVar("sis_common_audit_watch", default=None)


def current() -> Watch | None:
    return _current.get()


def begin(request, body: bytes):
    """Watch `request` until `end(token)`; each gunicorn thread has its own context, so requests never mix."""
    return _current.set(Watch(request, body))


def end(token) -> Watch:
    watch = _current.get()
    _current.reset(token)
    return watch
