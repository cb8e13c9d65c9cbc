"""Helpers for the sales system tests: tokens from the stack's key, API calls through the gateway, setup."""
from __future__ import annotations

import itertools
import time
import uuid
from dataclasses import dataclass

import jwt
import MySQLdb
import requests

from sis_common.mariadb import replication
from sis_ops import supervisor
from sis_common.testing.polling import wait_for  # noqa: F401  (the system tests import it from here)

TIMEOUT = 20  # above the gateway's own 15 s upstream timeout: the gateway answers first
_codes = (f"S{uuid.uuid4().hex[:5].upper()}{i}" for i in itertools.count())


def token(stack, *, role: str, branches: list[int] | None = None, user_id: int = 1, lifetime: int = 900) -> str:
    """An access token shaped like servicio_auth's, signed with the stack's private key."""
    now = int(time.time())
    claims = {"token_type": "access", "user_id": user_id, "role": role, "branches": branches or [],
              "iat": now, "exp": now + lifetime, "jti": uuid.uuid4().hex}
    return jwt.encode(claims, stack.secrets.jwt_private.read_text(), algorithm="RS256")


def replicas_caught_up(stack, slugs=("inventario", "ventas")) -> None:
    """Reads go to replicas: let them apply every write so far before the test reads."""
    for slug in slugs:
        spec = stack.pair_spec(slug)
        primary, replica = replication.current_roles(spec)
        replication.wait_caught_up(spec, primary, replica, timeout=10)


@dataclass
class Api:
    """One caller of the public API through the gateway; its reads see every write made before them."""

    base: str
    bearer: str
    stack: object = None

    def _headers(self, key: str | None) -> dict:
        headers = {"Authorization": f"Bearer {self.bearer}"}
        if key:
            headers["Idempotency-Key"] = key
        return headers

    def get(self, path: str, **params) -> requests.Response:
        if self.stack is not None:
            replicas_caught_up(self.stack)
        return requests.get(f"{self.base}{path}", params=params, headers=self._headers(None), timeout=TIMEOUT)

    def post(self, path: str, body: dict, key: str | None = None) -> requests.Response:
        return requests.post(f"{self.base}{path}", json=body, headers=self._headers(key), timeout=TIMEOUT)

    def patch(self, path: str, body: dict) -> requests.Response:
        return requests.patch(f"{self.base}{path}", json=body, headers=self._headers(None), timeout=TIMEOUT)

    def ok(self, method: str, path: str, *args, expect: int = 200, **kwargs) -> dict:
        answer = getattr(self, method)(path, *args, **kwargs)
        assert answer.status_code == expect, (method, path, answer.status_code, answer.text)
        return answer.json()


def api(stack, *, role: str, branches: list[int] | None = None, user_id: int = 1) -> Api:
    return Api(stack.url(), token(stack, role=role, branches=branches, user_id=user_id), stack)


def new_key(prefix: str = "k") -> str:
    return f"{prefix}-{uuid.uuid4().hex}"


def create_branch(admin: Api) -> dict:
    branch = admin.ok("post", "/api/branches/", {"code": next(_codes), "name": "Tienda de prueba"}, expect=201)
    replicas_caught_up(admin.stack, ("sucursales",))  # other services look it up on the replica
    return branch


def create_product(admin: Api, price: str, stock: int, branch: int, name: str | None = None) -> int:
    sku = f"SKU-{uuid.uuid4().hex[:10]}"
    product = admin.ok("post", "/api/inventory/products/", {"sku": sku, "name": name or sku, "price": price},
                       expect=201)
    if stock:
        admin.ok("post", "/api/inventory/movements/",
                 {"branch": branch, "product": product["id"], "kind": "receipt", "quantity": stock},
                 key=new_key("receipt"), expect=201)
    replicas_caught_up(admin.stack, ("inventario",))
    return product["id"]


def stock_of(admin: Api, branch: int, product: int) -> int:
    return admin.ok("get", f"/api/inventory/stock/{branch}/{product}/")["quantity"]


def ledger(admin: Api, branch: int, product: int) -> list[dict]:
    rows, page = [], 1
    while True:
        body = admin.ok("get", "/api/inventory/movements/", branch=branch, product=product, page=page, page_size=200)
        rows += body["results"]
        if not body.get("next"):
            return rows
        page += 1


def assert_ledger_matches_stock(admin: Api, branch: int, product: int) -> list[dict]:
    rows = ledger(admin, branch, product)
    assert sum(r["quantity"] for r in rows) == stock_of(admin, branch, product)
    return rows


def primary_cursor(stack, slug: str):
    """An autocommit root connection (its socket) to the service's current primary (caller closes it).

    Root, since the tests lock tables and kill other accounts' threads as an operator would.
    """
    spec = stack.pair_spec(slug)
    primary, _ = replication.current_roles(spec)
    conn = MySQLdb.connect(unix_socket=str(spec.sockets[primary]), user="root", autocommit=True,
                           database=spec.database)
    return conn, conn.cursor()


def stop_program(stack, name: str, *, timeout: float = 60) -> None:
    """Stop one supervised program and wait until it is down (gunicorn may wait for a hung worker)."""
    rpc = supervisor.rpc(stack)
    rpc.stopProcess(name, False)  # not waiting inside the call: supervisor's socket times out at 10 s
    stopped = wait_for(lambda: rpc.getProcessInfo(name)["statename"] in ("STOPPED", "EXITED", "FATAL"),
                       timeout=timeout)
    assert stopped, f"{name} did not stop"


def start_program(stack, name: str) -> None:
    rpc = supervisor.rpc(stack)
    if rpc.getProcessInfo(name)["statename"] != "RUNNING":
        supervisor.start_program(stack, name)
