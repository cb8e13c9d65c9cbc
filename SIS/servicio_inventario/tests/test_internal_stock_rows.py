"""GET /internal/inventory/stock/: a branch's stock rows for servicio_compras' reorder list, paged by row id."""
import pytest
from rest_framework.test import APIClient

from sis_common.testing.internal import caller_credentials
from stock import services

pytestmark = pytest.mark.django_db
URL = "/internal/inventory/stock/"
BRANCH, ELSEWHERE = 401, 402


@pytest.fixture
def compras():
    client = APIClient()
    client.credentials(**caller_credentials("compras"))
    return client


def levels(branch, product, quantity_min, quantity_max=None):
    services.stock_levels_set(branch_id=branch, product_id=product.pk, min_quantity=quantity_min,
                              max_quantity=quantity_max)


def test_below_min_lists_the_rows_a_reorder_would_fill(compras, make_product, receive):
    low_to_max, low_to_min, at_min_no_max, above, empty_no_min, empty_with_max = (make_product(name=f"P{i}")
                                                                                  for i in range(6))
    receive(BRANCH, low_to_max.pk, 2)
    levels(BRANCH, low_to_max, 5, 40)
    receive(BRANCH, low_to_min.pk, 1)
    levels(BRANCH, low_to_min, 6)
    receive(BRANCH, at_min_no_max.pk, 3)
    levels(BRANCH, at_min_no_max, 3)  # at the minimum, nothing to fill up to
    receive(BRANCH, above.pk, 9)
    levels(BRANCH, above, 3, 20)
    levels(BRANCH, empty_no_min, 0)  # nothing on hand, no level wanted
    levels(BRANCH, empty_with_max, 0, 10)
    receive(ELSEWHERE, low_to_max.pk, 1)
    levels(ELSEWHERE, low_to_max, 5, 40)
    response = compras.get(f"{URL}?branch={BRANCH}&below_min=true")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["next"] is None
    assert body["results"] == [
        {"product": low_to_max.pk, "sku": low_to_max.sku, "name": "P0", "is_active": True, "quantity": 2,
         "min_quantity": 5, "max_quantity": 40},
        {"product": low_to_min.pk, "sku": low_to_min.sku, "name": "P1", "is_active": True, "quantity": 1,
         "min_quantity": 6, "max_quantity": None},
        {"product": empty_with_max.pk, "sku": empty_with_max.sku, "name": "P5", "is_active": True, "quantity": 0,
         "min_quantity": 0, "max_quantity": 10},
    ]
    every = compras.get(f"{URL}?branch={BRANCH}").json()["results"]
    assert len(every) == 6


def test_pages_follow_next_to_the_end(compras, make_product, receive):
    products = [make_product() for _ in range(5)]
    for product in products:
        levels(BRANCH, product, 1, 3)
    seen, after, pages = [], 0, 0
    while after is not None:
        body = compras.get(f"{URL}?branch={BRANCH}&below_min=true&limit=2&after={after}").json()
        seen += [row["product"] for row in body["results"]]
        after, pages = body["next"], pages + 1
    assert seen == [p.pk for p in products] and pages == 3


@pytest.mark.parametrize("query", ["", "?branch=0", "?branch=x", f"?branch={BRANCH}&limit=1001",
                                   f"?branch={BRANCH}&limit=0", f"?branch={BRANCH}&after=-1",
                                   f"?branch={BRANCH}&below_min=maybe", f"?branch={BRANCH}&branch={BRANCH}",
                                   f"?branch={10**19}"])
def test_bad_queries_are_400(compras, query):
    response = compras.get(f"{URL}{query}")
    assert response.status_code == 400, (query, response.content)


def test_only_compras_may_ask(make_product):
    ventas = APIClient()
    ventas.credentials(**caller_credentials("ventas"))
    assert ventas.get(f"{URL}?branch={BRANCH}").status_code == 403
    assert APIClient().get(f"{URL}?branch={BRANCH}").status_code == 401
