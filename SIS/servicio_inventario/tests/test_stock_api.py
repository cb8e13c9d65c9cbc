"""Stock, ledger and transfer views: roles, branch scope, filters, validation and idempotent actions.

Creating movements and transfers through the API asks servicio_sucursales about
the branch; that path is covered by tests/system/test_inventory_flow.py. Here the
stock is put in place through the service layer.
"""
from uuid import uuid4

import pytest
from django.db import IntegrityError, transaction

from sis_common.filtersets import filtered
from stock import services
from stock.filters import StockFilter
from stock.models import Movement, Stock

pytestmark = pytest.mark.django_db
MINE, OTHER = 201, 202


def new_key() -> str:
    return uuid4().hex


def keyed() -> dict:
    """A JSON request's arguments with a fresh Idempotency-Key."""
    return {"format": "json", "HTTP_IDEMPOTENCY_KEY": new_key()}


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_stock_list_filters_and_low(admin_client, make_product, receive):
    a, b = make_product(), make_product()
    receive(MINE, a.pk, 5)
    receive(MINE, b.pk, 50)
    receive(OTHER, a.pk, 1)
    services.stock_levels_set(branch_id=MINE, product_id=a.pk, min_quantity=10)
    rows = results(admin_client.get(f"/api/inventory/stock/?branch={MINE}"))
    assert [(r["product"], r["quantity"]) for r in rows] == [(a.pk, 5), (b.pk, 50)]
    assert set(rows[0]) >= {"branch", "product", "quantity", "min_quantity"}
    low = results(admin_client.get(f"/api/inventory/stock/?branch={MINE}&low=true"))
    assert [(r["product"], r["min_quantity"]) for r in low] == [(a.pk, 10)]
    by_product = results(admin_client.get(f"/api/inventory/stock/?product={a.pk}"))
    assert {(r["branch"], r["quantity"]) for r in by_product} == {(MINE, 5), (OTHER, 1)}
    one = admin_client.get(f"/api/inventory/stock/{MINE}/{a.pk}/")
    assert one.json()["quantity"] == 5
    never = admin_client.get(f"/api/inventory/stock/{OTHER}/{b.pk}/")
    assert never.status_code == 200 and never.json()["quantity"] == 0
    assert admin_client.get(f"/api/inventory/stock/{MINE}/99999999/").status_code == 404


@pytest.mark.parametrize("query", ["?branch=x", "?branch=0", "?product=1.5", "?low=sometimes", "?page_size=-1"])
def test_stock_list_bad_filters_are_400(admin_client, query):
    response = admin_client.get(f"/api/inventory/stock/{query}")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_a_value_the_filters_refuse_is_an_error_not_a_wider_list():
    # the query serializer is the contract: a filter that drops a value it cannot read would list more
    with pytest.raises(ValueError, match="StockFilter"):
        filtered(StockFilter, Stock.objects.all(), branch="x")


def test_non_admin_sees_only_its_branches(client_for, make_product, receive):
    product = make_product()
    receive(MINE, product.pk, 3)
    receive(OTHER, product.pk, 4)
    cashier = client_for("cashier", branches=[MINE])
    assert {r["branch"] for r in results(cashier.get(f"/api/inventory/stock/?product={product.pk}"))} == {MINE}
    assert {r["branch"] for r in results(cashier.get(f"/api/inventory/movements/?product={product.pk}"))} == {MINE}
    for url in (f"/api/inventory/stock/?branch={OTHER}", f"/api/inventory/movements/?branch={OTHER}",
                f"/api/inventory/stock/{OTHER}/{product.pk}/"):
        denied = cashier.get(url)
        assert denied.status_code == 403 and denied.json()["code"] == "branch_forbidden"
    auditor = client_for("auditor")
    assert {r["branch"] for r in results(auditor.get(f"/api/inventory/stock/?product={product.pk}"))} == {MINE, OTHER}


def test_movements_list_newest_first_with_filters(admin_client, make_product, receive):
    product = make_product()
    receive(MINE, product.pk, 5)
    services.movement_create(branch_id=MINE, product_id=product.pk, kind="adjustment", quantity=-2, user_id=9)
    rows = results(admin_client.get(f"/api/inventory/movements/?branch={MINE}&product={product.pk}"))
    assert [(r["kind"], r["quantity"], r["balance_after"]) for r in rows] == [("adjustment", -2, 3), ("receipt", 5, 5)]
    assert {"id", "branch", "product", "kind", "quantity", "balance_after", "reference", "user",
            "created_at"} <= set(rows[0])
    assert rows[0]["user"] == 9
    only = results(admin_client.get(f"/api/inventory/movements/?product={product.pk}&kind=receipt"))
    assert [r["kind"] for r in only] == ["receipt"]
    assert admin_client.get("/api/inventory/movements/?kind=theft").status_code == 400


@pytest.mark.parametrize("role", ["cashier", "auditor"])
def test_read_only_roles_move_nothing(client_for, make_product, role):
    client = client_for(role, branches=[MINE])
    body = {"branch": MINE, "product": make_product().pk, "kind": "receipt", "quantity": 1}
    assert client.post("/api/inventory/movements/", body, **keyed()).status_code == 403
    assert client.patch(f"/api/inventory/stock/{MINE}/{body['product']}/", {"min_quantity": 1},
                        format="json").status_code == 403


def test_warehouse_may_not_move_another_branch(client_for, make_product):
    warehouse = client_for("warehouse", branches=[MINE])
    body = {"branch": OTHER, "product": make_product().pk, "kind": "receipt", "quantity": 1}
    denied = warehouse.post("/api/inventory/movements/", body, **keyed())
    assert denied.status_code == 403 and denied.json()["code"] == "branch_forbidden"
    transfer = {"from_branch": OTHER, "to_branch": MINE, "lines": [{"product": body["product"], "quantity": 1}]}
    assert warehouse.post("/api/inventory/transfers/", transfer, **keyed()).status_code == 403


@pytest.mark.parametrize("change, field", [
    ({"quantity": 0}, "quantity"),
    ({"quantity": -1}, "quantity"),
    ({"kind": "adjustment", "quantity": 0}, "quantity"),
    ({"quantity": "diez"}, "quantity"),
    ({"quantity": 1.5}, "quantity"),
    ({"quantity": True}, "quantity"),
    ({"quantity": 10**12}, "quantity"),
    ({"quantity": None}, "quantity"),
    ({"kind": "sale"}, "kind"),
    ({"kind": "transfer_in"}, "kind"),
    ({"product": 99999999}, "product"),
    ({"product": "uno"}, "product"),
    ({"product": [1]}, "product"),
    ({"branch": "centro"}, "branch"),
    ({"branch": -4}, "branch"),
    ({"branch": 10**30}, "branch"),
    ({"note": "x" * 300}, "note"),
])
def test_invalid_movement_is_400_with_field_message(admin_client, make_product, change, field):
    body = {"branch": MINE, "product": make_product().pk, "kind": "receipt", "quantity": 3, **change}
    response = admin_client.post("/api/inventory/movements/", body, **keyed())
    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]
    assert not Movement.objects.filter(branch_id=MINE).exists()


@pytest.mark.parametrize("body, field", [
    ({"from_branch": MINE, "to_branch": MINE}, "to_branch"),
    ({"lines": []}, "lines"),
    ({"lines": "todo"}, "lines"),
    ({"lines": [{"product": 99999999, "quantity": 1}]}, "lines"),
    ({"lines": [{"product": "P", "quantity": 1}]}, "lines"),
    ({"lines": [{"quantity": 1}]}, "lines"),
    ({"to_branch": None}, "to_branch"),
])
def test_invalid_transfer_is_400_with_field_message(admin_client, make_product, body, field):
    product = make_product()
    full = {"from_branch": MINE, "to_branch": OTHER, "lines": [{"product": product.pk, "quantity": 1}], **body}
    response = admin_client.post("/api/inventory/transfers/", full, **keyed())
    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]


def test_transfer_line_errors_point_at_the_line(admin_client, make_product):
    product = make_product()
    body = {"from_branch": MINE, "to_branch": OTHER,
            "lines": [{"product": product.pk, "quantity": 1}, {"product": 99999999, "quantity": 1},
                      {"product": product.pk, "quantity": 0}]}
    lines = admin_client.post("/api/inventory/transfers/", body, **keyed()).json()["lines"]
    assert set(lines) == {"2"} and "quantity" in lines["2"]
    body["lines"][2]["quantity"] = 1
    body["lines"][2]["product"] = make_product().pk
    lines = admin_client.post("/api/inventory/transfers/", body, **keyed()).json()["lines"]
    assert lines == {"1": {"product": ["Unknown product 99999999."]}}
    repeated = {**body, "lines": [{"product": product.pk, "quantity": 1}] * 2}
    assert "one line" in str(admin_client.post("/api/inventory/transfers/", repeated, **keyed()).json()["lines"])


def test_stock_minimum_patch(client_for, make_product, receive):
    product = make_product()
    receive(MINE, product.pk, 4)
    manager = client_for("manager", branches=[MINE])
    response = manager.patch(f"/api/inventory/stock/{MINE}/{product.pk}/", {"min_quantity": 4}, format="json")
    assert response.status_code == 200
    assert (response.json()["min_quantity"], response.json()["is_low"]) == (4, True)
    unchanged = manager.patch(f"/api/inventory/stock/{MINE}/{product.pk}/", {}, format="json")
    assert unchanged.status_code == 200 and unchanged.json()["min_quantity"] == 4  # a PATCH of nothing
    for bad in ({"min_quantity": -1}, {"min_quantity": "x"}, {"min_quantity": "4"}, {"min_quantity": True}):
        assert manager.patch(f"/api/inventory/stock/{MINE}/{product.pk}/", bad, format="json").status_code == 400
    assert manager.patch(f"/api/inventory/stock/{OTHER}/{product.pk}/", {"min_quantity": 1},
                         format="json").status_code == 403


def test_transfer_actions_through_the_api(client_for, make_product, receive, ledger_consistent):
    product = make_product()
    receive(MINE, product.pk, 6)
    transfer = services.transfer_create(from_branch=MINE, to_branch=OTHER, lines=[(product.pk, 4)], user_id=1)
    sender, receiver = client_for("warehouse", branches=[MINE]), client_for("manager", branches=[OTHER])
    # only the destination receives, only the source dispatches
    assert receiver.post(f"/api/inventory/transfers/{transfer.pk}/dispatch/", **keyed()).status_code == 403
    dispatched = sender.post(f"/api/inventory/transfers/{transfer.pk}/dispatch/", HTTP_IDEMPOTENCY_KEY="d-1")
    assert dispatched.status_code == 200 and dispatched.json()["status"] == "dispatched"
    again = sender.post(f"/api/inventory/transfers/{transfer.pk}/dispatch/", HTTP_IDEMPOTENCY_KEY="d-1")
    assert again.json() == dispatched.json() and again["Idempotent-Replayed"] == "true"
    refused = sender.post(f"/api/inventory/transfers/{transfer.pk}/dispatch/", **keyed())
    assert refused.status_code == 409 and refused.json()["code"] == "invalid_transfer_status"
    assert sender.post(f"/api/inventory/transfers/{transfer.pk}/cancel/", **keyed()).status_code == 409
    assert sender.post(f"/api/inventory/transfers/{transfer.pk}/receive/", **keyed()).status_code == 403
    received = receiver.post(f"/api/inventory/transfers/{transfer.pk}/receive/", **keyed())
    assert received.status_code == 200 and received.json()["status"] == "received"
    assert received.json()["lines"] == [{"product": product.pk, "quantity": 4}]
    assert receiver.get(f"/api/inventory/transfers/{transfer.pk}/").status_code == 200
    assert [t["id"] for t in results(sender.get("/api/inventory/transfers/?status=received"))] == [transfer.pk]
    assert client_for("cashier", branches=[999]).get(f"/api/inventory/transfers/{transfer.pk}/").status_code == 403
    assert Movement.objects.filter(transfer=transfer).count() == 2
    ledger_consistent()


def test_dispatch_without_stock_is_409_with_lines(admin_client, make_product):
    product = make_product()
    transfer = services.transfer_create(from_branch=MINE, to_branch=OTHER, lines=[(product.pk, 2)], user_id=1)
    refused = admin_client.post(f"/api/inventory/transfers/{transfer.pk}/dispatch/", **keyed())
    assert refused.status_code == 409
    assert refused.json()["code"] == "insufficient_stock"
    assert refused.json()["lines"] == [{"branch": MINE, "product": product.pk, "requested": 2, "available": 0}]
    assert admin_client.get(f"/api/inventory/transfers/{transfer.pk}/").json()["status"] == "draft"


def test_unknown_transfer_is_json_404(admin_client):
    response = admin_client.post("/api/inventory/transfers/99999999/dispatch/", **keyed())
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_every_post_that_moves_stock_needs_an_idempotency_key(admin_client, make_product, receive):
    product = make_product()
    receive(MINE, product.pk, 5)
    transfer = services.transfer_create(from_branch=MINE, to_branch=OTHER, lines=[(product.pk, 1)], user_id=1)
    for path, body in [
        ("/api/inventory/movements/", {"branch": MINE, "product": product.pk, "kind": "receipt", "quantity": 1}),
        ("/api/inventory/transfers/", {"from_branch": MINE, "to_branch": OTHER,
                                       "lines": [{"product": product.pk, "quantity": 1}]}),
        (f"/api/inventory/transfers/{transfer.pk}/dispatch/", None),
        (f"/api/inventory/transfers/{transfer.pk}/cancel/", None),
    ]:
        refused = admin_client.post(path, body, format="json")
        assert refused.status_code == 400, (path, refused.content)
        assert refused.json()["code"] == "idempotency_key_required"
    assert Movement.objects.filter(branch_id=MINE).count() == 1  # the stock put in place, nothing more


def test_stock_maximum_patch(client_for, make_product, receive):
    """max_quantity: null or at least the minimum as it stands after the change; a refusal changes nothing."""
    product = make_product()
    receive(MINE, product.pk, 4)
    manager = client_for("manager", branches=[MINE])
    url = f"/api/inventory/stock/{MINE}/{product.pk}/"
    assert manager.get(url).json()["max_quantity"] is None
    both = manager.patch(url, {"min_quantity": 5, "max_quantity": 20}, format="json")
    assert both.status_code == 200, both.content
    assert (both.json()["min_quantity"], both.json()["max_quantity"], both.json()["quantity"]) == (5, 20, 4)
    equal = manager.patch(url, {"max_quantity": 5}, format="json")
    assert equal.status_code == 200 and equal.json()["max_quantity"] == 5
    for bad, code in (({"max_quantity": 4}, "max_below_min"), ({"min_quantity": 6}, "max_below_min"),
                      ({"min_quantity": 1, "max_quantity": 0}, "max_below_min"), ({"max_quantity": -1}, None),
                      ({"max_quantity": "9"}, None), ({"max_quantity": 10**9 + 1}, None)):
        refused = manager.patch(url, bad, format="json")
        assert refused.status_code == 400, (bad, refused.content)
        if code:
            assert refused.json()["code"] == code and "max_quantity" in refused.json()
    row = Stock.objects.get(branch_id=MINE, product=product)
    assert (row.min_quantity, row.max_quantity, row.quantity) == (5, 5, 4)
    cleared = manager.patch(url, {"max_quantity": None, "min_quantity": 9}, format="json")
    assert cleared.status_code == 200 and (cleared.json()["min_quantity"], cleared.json()["max_quantity"]) == (9, None)
    assert client_for("cashier", branches=[MINE]).patch(url, {"max_quantity": 30}, format="json").status_code == 403
    assert manager.patch(f"/api/inventory/stock/{OTHER}/{product.pk}/", {"max_quantity": 30},
                         format="json").status_code == 403


def test_the_database_refuses_a_maximum_below_the_minimum(make_product, receive):
    product = make_product()
    receive(MINE, product.pk, 1)
    services.stock_levels_set(branch_id=MINE, product_id=product.pk, min_quantity=3, max_quantity=8)
    with pytest.raises(IntegrityError), transaction.atomic():
        Stock.objects.filter(branch_id=MINE, product=product).update(max_quantity=2)
    assert Stock.objects.get(branch_id=MINE, product=product).max_quantity == 8


def test_a_maximum_on_a_product_never_stocked_creates_its_row(client_for, make_product, known_branches):
    branch = 3  # known_branches: as servicio_sucursales answered it
    product = make_product()
    manager = client_for("manager", branches=[branch])
    response = manager.patch(f"/api/inventory/stock/{branch}/{product.pk}/", {"max_quantity": 12}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["quantity"], response.json()["min_quantity"], response.json()["max_quantity"]) == (0, 0, 12)
    refused = manager.patch(f"/api/inventory/stock/{branch}/{make_product().pk}/",
                            {"min_quantity": 3, "max_quantity": 2}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "max_below_min"
    assert Stock.objects.filter(branch_id=branch).count() == 1  # the refused row was not kept
