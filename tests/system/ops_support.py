"""Helpers for the operations system tests: calls with a chosen request ID, the bin/ tools against the test stack."""
from __future__ import annotations

import os
import subprocess
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests

from sales_support import token, wait_for

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 20


class Caller:
    """One token holder calling the gateway; every call carries a fresh X-Request-ID it remembers."""

    def __init__(self, stack, *, role: str, branches: list[int] | None = None, user_id: int = 1):
        self.base = stack.url()
        self.bearer = token(stack, role=role, branches=branches, user_id=user_id)
        self.user_id, self.role = user_id, role
        self.last_request_id = ""

    def call(self, method: str, path: str, body: dict | None = None, *, key: str | None = None,
             **params) -> requests.Response:
        self.last_request_id = f"sys-{uuid.uuid4().hex}"
        headers = {"Authorization": f"Bearer {self.bearer}", "X-Request-ID": self.last_request_id}
        if key:
            headers["Idempotency-Key"] = key
        return requests.request(method, f"{self.base}{path}", json=body, params=params or None, headers=headers,
                                timeout=TIMEOUT)

    def ok(self, method: str, path: str, body: dict | None = None, *, expect: int = 200, **kwargs) -> dict:
        answer = self.call(method, path, body, **kwargs)
        assert answer.status_code == expect, (method, path, answer.status_code, answer.text)
        return answer.json() if answer.content else {}


def audit_rows(auditor: Caller, api: str, *, timeout: float = 15, expect: int = 1, **filters) -> list[dict]:
    """The audit rows of one service matching `filters`, polled: reads go to a replica that may lag a moment."""
    def look():
        answer = auditor.call("GET", f"/api/{api}/audit/", page_size=200, **filters)
        assert answer.status_code == 200, answer.text
        rows = answer.json()["results"]
        return rows if len(rows) >= expect else None

    return wait_for(look, timeout=timeout, every=0.3) or []


def cli(stack, tool: str, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run bin/<tool> against the test stack (its var directory and ports), as an operator would."""
    env = {**os.environ, "EWTTO_VAR": str(stack.var), "EWTTO_PORT": str(stack.port),
           "EWTTO_DB_PORT_BASE": str(stack.db_port_base)}
    env.pop("EWTTO_BACKUP_DIR", None)
    return subprocess.run([str(REPO / "bin" / tool), *args], env=env, capture_output=True, text=True,
                          timeout=timeout)


def next_second() -> datetime:
    """A moment strictly after everything logged so far (binary log times are whole seconds)."""
    now = datetime.now(timezone.utc)
    moment = now.replace(microsecond=0) + timedelta(seconds=1)
    time.sleep((moment - now).total_seconds() + 0.05)
    return moment
