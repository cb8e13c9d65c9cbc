"""Calls from one service to another: pooled, short timeouts, request ID and this service's internal credential.

A refused connection means the request never arrived (safe to report 503 and
retry); a timeout or a 5xx after sending means its outcome is unknown, which
callers that move stock or money must resolve by retrying with the same key.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache

import urllib3

from sis_common import request_id
from sis_common.auth import internal
from sis_common.errors import DomainError


class ServiceUnavailable(DomainError):
    """The other service could not be reached: nothing happened there."""

    def __init__(self, service: str, reason: str):
        super().__init__(f"The {service} service is unavailable; retry shortly.", "service_unavailable",
                         503, service=service)
        self.reason = reason


class OutcomeUnknown(DomainError):
    """The request may or may not have taken effect (timeout or 5xx after sending)."""

    def __init__(self, service: str, reason: str):
        super().__init__(f"The {service} service did not confirm the operation.", "outcome_unknown",
                         503, service=service)
        self.reason = reason


@dataclass
class Answer:
    status: int
    data: dict | list | None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


@lru_cache(maxsize=None)
def _pool(base_url: str, connect: float, read: float) -> urllib3.HTTPConnectionPool:
    return urllib3.connection_from_url(base_url, maxsize=16, block=False, retries=False,
                                       timeout=urllib3.Timeout(connect=connect, read=read))


class ServiceClient:
    """Client for one service, found through EWTTO_<SLUG>_URL."""

    def __init__(self, slug: str, *, connect_timeout: float = 0.5, read_timeout: float = 5.0):
        self.slug = slug
        self.base_url = os.environ.get(f"EWTTO_{slug.upper()}_URL", "")
        self.connect_timeout, self.read_timeout = connect_timeout, read_timeout

    def headers(self, extra: dict | None = None) -> dict:
        return {
            "Content-Type": "application/json", "Accept": "application/json",
            "X-Request-ID": request_id.get(),
            **internal.caller_headers(self.slug),
            **(extra or {}),
        }

    def request(self, method: str, path: str, *, body=None, headers: dict | None = None) -> Answer:
        if not self.base_url:
            raise ServiceUnavailable(self.slug, f"EWTTO_{self.slug.upper()}_URL is not set")
        pool = _pool(self.base_url, self.connect_timeout, self.read_timeout)
        payload = None if body is None else json.dumps(body).encode()
        try:
            raw = pool.urlopen(method, path, body=payload, headers=self.headers(headers), redirect=False)
        except (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError) as exc:
            raise ServiceUnavailable(self.slug, str(exc)) from exc
        except urllib3.exceptions.HTTPError as exc:
            raise OutcomeUnknown(self.slug, str(exc)) from exc
        if raw.status >= 500:
            raise OutcomeUnknown(self.slug, f"HTTP {raw.status}")
        return Answer(raw.status, _json(raw.data))

    def get(self, path: str, **kwargs) -> Answer:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, body, **kwargs) -> Answer:
        return self.request("POST", path, body=body, **kwargs)

    def record(self, path: str, *, fields) -> dict | None:
        """GET one record that must carry `fields`; None on 404; 503 when unreachable or the answer is off."""
        try:
            answer = self.get(path)
        except OutcomeUnknown as exc:
            # a read has no outcome to resolve: for the caller the service is just unavailable
            raise ServiceUnavailable(self.slug, exc.reason) from exc
        if answer.status == 404:
            return None
        if not answer.ok or not isinstance(answer.data, dict) or not set(fields) <= answer.data.keys():
            raise ServiceUnavailable(self.slug, f"unexpected answer HTTP {answer.status}")
        return answer.data


def _json(data: bytes):
    try:
        return json.loads(data) if data else None
    except ValueError:
        return None
