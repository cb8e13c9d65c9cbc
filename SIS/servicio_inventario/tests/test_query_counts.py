"""No N+1: the list endpoints and the sales' stock move cost a fixed number of SQL statements, whatever the size."""
import itertools
from decimal import Decimal

import pytest

from catalog import listing
from catalog.serializers import ProductSerializer
from catalog.services import category_create
from sis_common.testing.internal import caller_credentials
from sis_common.testing.queries import statements, statements_for_get as count
from sis_common.testing.tokens import auth_header
from stock import services

pytestmark = pytest.mark.django_db(databases=["default", "replica"])
BRANCH, OTHER = 301, 302
_names = (f"QC-{i}" for i in itertools.count())


def test_product_list_costs_one_statement_at_any_page_size(admin_client, make_product):
    for _ in range(60):
        make_product(name="Galletas de avena")
    small = count(admin_client, "/api/inventory/products/?page_size=5")
    large = count(admin_client, "/api/inventory/products/?page_size=50")
    filtered = count(admin_client, "/api/inventory/products/?page_size=50&is_active=true")
    assert small == large == filtered == 1


def test_product_search_costs_the_same_at_any_page_size(admin_client, make_product):
    # by SKU: a name is searched through its FULLTEXT index, which sees only committed rows
    for n in range(60):
        make_product(sku=f"QCS-{n:03d}")
    small = count(admin_client, "/api/inventory/products/?page_size=5&search=QCS-")
    large = count(admin_client, "/api/inventory/products/?page_size=50&search=QCS-")
    # one keyset window per alternative (SKU, barcode, name) and one read of the page's rows
    assert small == large == 4


def test_product_list_rows_are_shaped_like_the_serializer(admin_client, make_product):
    group = category_create(name=f"Categoría {next(_names)}")
    made = [make_product(name="Té verde", price="3.5", barcode="77001", category=group, cost=Decimal("1.25"),
                         sku=f"QCT-{next(_names)}"),
            make_product(name="Té negro", price="10", is_active=False)]
    rows = admin_client.get(f"/api/inventory/products/?page_size=200&cursor=").json()["results"]
    shown = {r["id"]: r for r in rows}
    for product in made:
        assert shown[product.pk] == ProductSerializer(product).data
    searched = admin_client.get(f"/api/inventory/products/?search={made[0].sku}").json()["results"]
    assert [r for r in searched if r["id"] == made[0].pk] == [ProductSerializer(made[0]).data]
    assert listing.has_filters({"search": "x"}) and not listing.has_filters({"page_size": "5"})


def test_stock_and_movement_lists_cost_the_same_for_more_rows(admin_client, make_product, receive):
    few = [make_product() for _ in range(2)]
    for product in few:
        receive(BRANCH, product.pk, 5)
    stock_few = count(admin_client, f"/api/inventory/stock/?branch={BRANCH}")
    moves_few = count(admin_client, f"/api/inventory/movements/?branch={BRANCH}")
    for _ in range(30):
        receive(BRANCH, make_product().pk, 5)
    assert count(admin_client, f"/api/inventory/stock/?branch={BRANCH}") == stock_few == 1
    assert count(admin_client, f"/api/inventory/movements/?branch={BRANCH}") == moves_few == 1


def test_transfer_list_reads_every_transfers_lines_at_once(admin_client, make_product):
    products = [make_product() for _ in range(3)]
    services.transfer_create(from_branch=BRANCH, to_branch=OTHER, lines=[(p.pk, 1) for p in products], user_id=1)
    one = count(admin_client, f"/api/inventory/transfers/?branch={BRANCH}")
    for _ in range(10):
        services.transfer_create(from_branch=BRANCH, to_branch=OTHER, lines=[(p.pk, 2) for p in products],
                                 user_id=1)
    assert count(admin_client, f"/api/inventory/transfers/?branch={BRANCH}") == one == 2  # transfers, lines


def move(client, key: str, products: list, branch: int = BRANCH):
    body = {"kind": "sale", "branch": branch, "reference": f"sale:{key}", "user": 1,
            "lines": [{"product": p.pk, "quantity": 1} for p in products]}
    with statements() as sent:
        response = client.post("/internal/inventory/stock-moves/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 201, response.content
    assert "X-Causal-Token" not in response.headers  # the caller is a service, which never presents one
    return response.json(), len(sent)


def test_a_sales_stock_move_costs_the_same_for_one_line_or_many(make_product, receive):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(**caller_credentials("ventas"), **auth_header(role="cashier", branches=[BRANCH], user_id=1))
    products = [make_product() for _ in range(6)]
    for product in products:
        receive(BRANCH, product.pk, 10)
    one, one_sent = move(client, f"qc-{next(_names)}", products[:1])
    many, many_sent = move(client, f"qc-{next(_names)}", products)
    assert one_sent == many_sent
    # products checked; key claimed; document; stock rows found, locked and updated in one statement each;
    # ledger rows; answer stored; and the transaction's savepoints around it (no causal token: ventas never
    # presents one, so /internal/ answers carry none)
    assert many_sent <= 12
    assert [m["balance_after"] for m in many["movements"]] == [8] + [9] * 5
    assert [m["product"] for m in many["movements"]] == [p.pk for p in products]
