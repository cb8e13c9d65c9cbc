"""Request IDs: accept X-Request-ID or create one, expose it to logs and outgoing calls."""
from __future__ import annotations

import contextvars
import logging
import re
import uuid

HEADER = "X-Request-ID"
_VALID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_current: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def get() -> str:
    return _current.get()


def accept(value: str | None) -> str:
    """The caller's ID when it is sane, else a fresh one."""
    return value if value and _VALID.match(value) else uuid.uuid4().hex


class RequestIDMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = accept(request.headers.get(HEADER))
        token = _current.set(rid)
        request.request_id = rid
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = rid
        return response


class RequestIDFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        rid = get()
        if rid == "-":
            # django.request logs a 4xx/5xx after the middleware has ended; its record carries the request
            rid = getattr(getattr(record, "request", None), "request_id", "-")
        record.request_id = rid
        return True
