"""Branches and inventory through the gateway, as a new admin would use them, plus the branch check.

Covers the "Done when" of issue 4: two branches and products, a receipt at one
branch, a transfer of part of it to the other, and stock and ledger views that
agree; then an idempotent movement replayed, and the branch check against
servicio_sucursales (unknown or inactive → 400, sucursales stopped → 503).
"""
from __future__ import annotations

import time
import uuid
from urllib.parse import urlsplit

import jwt
import pytest
import requests

from sis_common.mariadb import replication
from sis_ops import supervisor

TIMEOUT = 20  # bounds every call; the gateway answers before it


def admin_token(stack) -> str:
    """An access token shaped like servicio_auth's, signed with the stack's own private key."""
    now = int(time.time())
    claims = {"token_type": "access", "user_id": 1, "role": "admin", "branches": [], "iat": now, "exp": now + 900,
              "jti": uuid.uuid4().hex}
    return jwt.encode(claims, stack.secrets.jwt_private.read_text(), algorithm="RS256")


@pytest.fixture
def admin(stack, gateway):
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {admin_token(stack)}"

        def call(method: str, path: str, expect: int | None = None, **kwargs) -> requests.Response:
            answer = session.request(method, f"{gateway}{path}", timeout=TIMEOUT, **kwargs)
            if expect is not None:
                assert answer.status_code == expect, (method, path, answer.status_code, answer.text)
            return answer

        yield call


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:6].upper()}"


def wait_replica(stack, slug: str) -> None:
    """Lists read the replica: wait until it has applied this test's writes (reads made by other sessions)."""
    spec = stack.pair_spec(slug)
    primary, replica = replication.current_roles(spec)
    replication.wait_caught_up(spec, primary, replica, timeout=10)


def test_admin_receives_and_transfers_stock_between_two_branches(admin, stack):
    north = admin("POST", "/api/branches/", json={"code": unique("N"), "name": "Norte", "city": "Lima"},
                  expect=201).json()
    south = admin("POST", "/api/branches/", json={"code": unique("S"), "name": "Sur", "city": "Lima"},
                  expect=201).json()
    category = admin("POST", "/api/inventory/categories/", json={"name": unique("Bebidas ")}, expect=201).json()
    water, juice = (
        admin("POST", "/api/inventory/products/", expect=201,
              json={"sku": unique("SKU-"), "name": name, "price": price, "category": category["id"]}).json()
        for name, price in (("Agua 625 ml", "1.50"), ("Jugo 1 L", "4.90"))
    )

    receipt = {"branch": north["id"], "product": water["id"], "kind": "receipt", "quantity": 20, "note": "proveedor"}
    key = unique("receipt-")
    first = admin("POST", "/api/inventory/movements/", json=receipt, headers={"Idempotency-Key": key}, expect=201)
    again = admin("POST", "/api/inventory/movements/", json=receipt, headers={"Idempotency-Key": key}, expect=201)
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    reused = admin("POST", "/api/inventory/movements/", json={**receipt, "quantity": 21},
                   headers={"Idempotency-Key": key}, expect=422)
    assert reused.json()["code"] == "idempotency_key_reused"
    admin("POST", "/api/inventory/movements/", expect=201, headers={"Idempotency-Key": unique("k-")},
          json={"branch": north["id"], "product": juice["id"], "kind": "receipt", "quantity": 5})

    transfer = admin("POST", "/api/inventory/transfers/", expect=201, headers={"Idempotency-Key": unique("k-")}, json={
        "from_branch": north["id"], "to_branch": south["id"],
        "lines": [{"product": water["id"], "quantity": 8}, {"product": juice["id"], "quantity": 5}]}).json()
    assert transfer["status"] == "draft"
    # nothing moves until dispatch
    assert admin("GET", f"/api/inventory/stock/{north['id']}/{water['id']}/", expect=200).json()["quantity"] == 20
    dispatched = admin("POST", f"/api/inventory/transfers/{transfer['id']}/dispatch/", expect=200,
                       headers={"Idempotency-Key": unique("k-")}).json()
    assert dispatched["status"] == "dispatched"
    refused = admin("POST", f"/api/inventory/transfers/{transfer['id']}/cancel/", expect=409,
                    headers={"Idempotency-Key": unique("k-")}).json()
    assert refused["code"] == "invalid_transfer_status"
    received = admin("POST", f"/api/inventory/transfers/{transfer['id']}/receive/", expect=200,
                     headers={"Idempotency-Key": unique("k-")}).json()
    assert received["status"] == "received"

    wait_replica(stack, "inventario")
    stock = {
        (row["branch"], row["product"]): row["quantity"]
        for branch in (north, south)
        for row in admin("GET", "/api/inventory/stock/", params={"branch": branch["id"]}, expect=200).json()["results"]
    }
    assert stock == {(north["id"], water["id"]): 12, (north["id"], juice["id"]): 0,
                     (south["id"], water["id"]): 8, (south["id"], juice["id"]): 5}

    def ledger(branch, product):
        rows = admin("GET", "/api/inventory/movements/", params={"branch": branch["id"], "product": product["id"]},
                     expect=200).json()["results"]
        return [(r["kind"], r["quantity"], r["balance_after"]) for r in rows]

    assert ledger(north, water) == [("transfer_out", -8, 12), ("receipt", 20, 20)]
    assert ledger(south, water) == [("transfer_in", 8, 8)]
    assert ledger(north, juice) == [("transfer_out", -5, 0), ("receipt", 5, 5)]
    for (branch_id, product_id), quantity in stock.items():
        rows = admin("GET", "/api/inventory/movements/", params={"branch": branch_id, "product": product_id},
                     expect=200).json()["results"]
        assert sum(r["quantity"] for r in rows) == quantity

    low = admin("GET", "/api/inventory/stock/", params={"branch": north["id"], "low": "true"}, expect=200).json()
    assert [row["product"] for row in low["results"]] == [juice["id"]]

    # cursor pages through the gateway: follow `next`, then `previous`
    first = admin("GET", "/api/inventory/stock/", params={"branch": north["id"], "page_size": 1}, expect=200).json()
    second = admin("GET", _local(first["next"]), expect=200).json()
    assert [r["product"] for r in first["results"] + second["results"]] == [water["id"], juice["id"]]
    assert second["next"] is None
    back = admin("GET", _local(second["previous"]), expect=200).json()
    assert back["results"] == first["results"]


def _local(link: str) -> str:
    """The path and query of a link the service built (its host is whatever reached the service)."""
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}"


def test_unknown_and_inactive_branches_are_400(admin):
    product = admin("POST", "/api/inventory/products/", json={"sku": unique("SKU-"), "name": "x", "price": "1"},
                    expect=201).json()
    unknown = admin("POST", "/api/inventory/movements/", expect=400, headers={"Idempotency-Key": unique("k-")},
                    json={"branch": 987654321, "product": product["id"], "kind": "receipt", "quantity": 1}).json()
    assert unknown["code"] == "unknown_branch" and "branch" in unknown
    closed = admin("POST", "/api/branches/", json={"code": unique("C"), "name": "Cerrada"}, expect=201).json()
    admin("DELETE", f"/api/branches/{closed['id']}/", expect=204)
    inactive = admin("POST", "/api/inventory/transfers/", expect=400, headers={"Idempotency-Key": unique("k-")}, json={
        "from_branch": closed["id"], "to_branch": 987654321, "lines": [{"product": product["id"], "quantity": 1}]})
    assert inactive.json()["code"] == "inactive_branch" and "from_branch" in inactive.json()


def test_branch_check_with_sucursales_stopped_is_503_not_a_hang(admin, stack):
    product = admin("POST", "/api/inventory/products/", json={"sku": unique("SKU-"), "name": "x", "price": "1"},
                    expect=201).json()
    branch = admin("POST", "/api/branches/", json={"code": unique("D"), "name": "Sin red"}, expect=201).json()
    receipt = {"branch": branch["id"], "product": product["id"], "kind": "receipt", "quantity": 2}
    key = unique("down-")
    first = admin("POST", "/api/inventory/movements/", json=receipt, headers={"Idempotency-Key": key}, expect=201)
    supervisor.stop_program(stack, "app-sucursales")
    try:
        # a replay has its stored answer and needs no branch check
        replay = admin("POST", "/api/inventory/movements/", json=receipt, headers={"Idempotency-Key": key},
                       expect=201)
        assert replay.json() == first.json()
        # a branch this stack's inventory never looked up, so no cached answer can stand in
        answer = admin("POST", "/api/inventory/movements/", expect=503, headers={"Idempotency-Key": unique("k-")},
                       json={"branch": 876543210, "product": product["id"], "kind": "receipt", "quantity": 1})
        assert answer.json()["code"] == "service_unavailable"
        assert answer.json()["service"] == "sucursales"
    finally:
        supervisor.start_program(stack, "app-sucursales")
        _wait_sucursales(admin)


def _wait_sucursales(admin, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if admin("GET", "/api/branches/health/").status_code == 200:
            return
        time.sleep(0.2)
    raise AssertionError("servicio_sucursales did not come back")
