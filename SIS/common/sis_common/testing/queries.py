"""Counting the SQL statements a block or a request sends through both aliases (tests that guard against N+1)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections
from django.test.utils import CaptureQueriesContext


@contextmanager
def statements() -> Iterator[list[dict]]:
    """Every statement sent through either alias while the block runs (the list fills when it ends)."""
    with CaptureQueriesContext(connections["default"]) as primary, \
            CaptureQueriesContext(connections["replica"]) as replica:
        captured: list[dict] = []
        yield captured
    captured += primary.captured_queries + replica.captured_queries


def statements_for_get(client, url: str) -> int:
    """How many statements a GET of `url` costs; it must answer 200."""
    with statements() as sent:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(sent)
