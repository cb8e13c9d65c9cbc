"""Never oversold: 200 concurrent sales of one unit against 50 in stock, on the real MariaDB pair.

Each request runs the whole internal view (key claim, validation, row lock, F()
update, ledger row) in its own thread with its own database connection.
"""
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from rest_framework.test import APIClient

from sis_common.mariadb import replication
from sis_common.testing.internal import caller_credentials
from stock.models import Movement, Stock
from stock.selectors import ledger_mismatches

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])
BRANCH, UNITS, REQUESTS = 401, 50, 200


@pytest.fixture
def roomy_primary(db_pair):
    """Room for 200 simultaneous connections on the test pair's primary (its config allows 200 in all)."""
    primary, _ = replication.current_roles(db_pair.spec)
    with db_pair.root(primary) as cur:
        cur.execute("SET GLOBAL max_connections = 400")
    yield
    with db_pair.root(primary) as cur:
        cur.execute("SET GLOBAL max_connections = 200")


def test_200_concurrent_takes_of_50_units(make_product, receive, roomy_primary):
    product = make_product()
    receive(BRANCH, product.pk, UNITS)
    start = threading.Barrier(REQUESTS, timeout=60)

    def sell(i: int) -> int:
        client = APIClient()
        client.credentials(**caller_credentials("ventas"))
        body = {"kind": "sale", "branch": BRANCH, "reference": f"C-{i}", "lines": [{"product": product.pk, "quantity": 1}]}
        try:
            start.wait()
            return client.post("/internal/inventory/stock-moves/", body, format="json",
                               HTTP_IDEMPOTENCY_KEY=f"concurrent-{i}").status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=REQUESTS) as pool:
        statuses = list(pool.map(sell, range(REQUESTS)))

    assert statuses.count(201) == UNITS
    assert statuses.count(409) == REQUESTS - UNITS
    assert Stock.objects.using("default").get(branch_id=BRANCH, product=product).quantity == 0
    sales = Movement.objects.using("default").filter(branch_id=BRANCH, product=product, kind="sale")
    assert sales.count() == UNITS
    assert sorted(sales.values_list("balance_after", flat=True)) == list(range(UNITS))
    assert ledger_mismatches(branch=BRANCH) == []
