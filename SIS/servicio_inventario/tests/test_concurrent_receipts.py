"""Receipts of one product at once (with sales of it), and counts opened at once, on the real MariaDB pair.

Each request runs the whole view in its own thread with its own connection: receipts of a
product must average one after another (none lost) and never deadlock with sales.
"""
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connections
from rest_framework.test import APIClient

from catalog.models import Product
from sis_common.testing.internal import caller_credentials
from sis_common.testing.tokens import auth_header
from stock.costing import average_cost
from stock.models import Movement
from stock.selectors import ledger_mismatches

pytestmark = [pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
              pytest.mark.usefixtures("known_branches")]
BRANCHES = (3, 4)
RECEIPTS = 16


def run_all(calls) -> list[int | str]:
    """Every call at once; 201 for each that passed, else its status and error code (a deadlock: 503)."""
    start = threading.Barrier(len(calls), timeout=60)

    def run(call) -> int | str:
        try:
            start.wait()
            response = call()
            return 201 if response.status_code == 201 else f"{response.status_code} {response.json().get('code')}"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def receipt(product_id: int, i: int):
    def call():
        client = APIClient()
        client.credentials(**auth_header(role="admin"))
        line = {"product": product_id, "quantity": 5 + i, "unit_cost": f"{1 + i}.{i:02d}"}
        return client.post("/api/inventory/receipts/", {"branch": BRANCHES[i % 2], "lines": [line]}, format="json",
                           HTTP_IDEMPOTENCY_KEY=f"receipt-{product_id}-{i}")
    return call


def sale(product_id: int, i: int):
    def call():
        client = APIClient()
        branch = BRANCHES[i % 2]
        client.credentials(**caller_credentials("ventas"), **auth_header(role="cashier", branches=[branch]))
        body = {"kind": "sale", "branch": branch, "reference": f"CR-{i}",
                "lines": [{"product": product_id, "quantity": 1}]}
        return client.post("/internal/inventory/stock-moves/", body, format="json",
                           HTTP_IDEMPOTENCY_KEY=f"sale-{product_id}-{i}")
    return call


def test_concurrent_receipts_average_one_after_another(make_product):
    product = make_product()
    assert run_all([receipt(product.pk, i) for i in range(RECEIPTS)]) == [201] * RECEIPTS
    # the ledger's order is the order the receipts took the product's cost row in: replay it
    on_hand, cost = 0, Decimal("0.00")
    for movement in Movement.objects.using("default").filter(product=product).order_by("id"):
        i = movement.quantity - 5
        cost = average_cost(on_hand=on_hand, cost=cost, quantity=movement.quantity,
                            unit_cost=Decimal(f"{1 + i}.{i:02d}"))
        on_hand += movement.quantity
    assert Product.objects.using("default").get(pk=product.pk).cost == cost
    assert ledger_mismatches() == []


def test_receipts_and_sales_of_one_product_at_once_never_deadlock(make_product, receive):
    product = make_product()
    for branch in BRANCHES:
        receive(branch, product.pk, 100)
    calls = [receipt(product.pk, i) for i in range(RECEIPTS)] + [sale(product.pk, i) for i in range(3 * RECEIPTS)]
    statuses = run_all(calls)
    assert statuses == [201] * len(calls)
    assert ledger_mismatches() == []
    assert Decimal("1.00") <= Product.objects.using("default").get(pk=product.pk).cost <= Decimal(f"{RECEIPTS}.15")


def test_first_receipts_of_a_new_pair_at_once_without_costs(make_product):
    product = make_product()

    def uncosted(i: int):
        def call():
            client = APIClient()
            client.credentials(**auth_header(role="admin"))
            return client.post("/api/inventory/receipts/", {"branch": BRANCHES[0], "lines": [
                {"product": product.pk, "quantity": 1}]}, format="json", HTTP_IDEMPOTENCY_KEY=f"uncosted-{i}")
        return call

    assert run_all([uncosted(i) for i in range(RECEIPTS)]) == [201] * RECEIPTS
    assert ledger_mismatches() == []


def test_concurrent_counts_of_the_same_products_open_once(make_product):
    from counts.models import StockCount

    products = [make_product().pk for _ in range(3)]

    def open_count(i: int):
        def call():
            client = APIClient()
            client.credentials(**auth_header(role="admin"))
            return client.post("/api/inventory/counts/", {"branch": BRANCHES[0], "products": products},
                               format="json")
        return call

    statuses = run_all([open_count(i) for i in range(8)])
    assert sorted(statuses, key=str) == [201] + ["409 count_overlaps"] * 7
    assert StockCount.objects.using("default").filter(branch_id=BRANCHES[0], status="open").count() == 1
