"""The sales API without inventory: keys, validation, roles and branch scope, and a dead dependency."""
from decimal import Decimal

import pytest

from sales import checkout
from sales.models import Sale

from .builders import make_sale

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])
BODY = {"branch": 1, "lines": [{"product": 1, "quantity": 2}], "payments": [{"method": "cash", "amount": "50.00"}]}


def post_sale(client, body=BODY, key="k-1"):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post("/api/sales/", body, format="json", **headers)


def test_token_is_required(client):
    assert client.post("/api/sales/", BODY, content_type="application/json").status_code == 401
    assert client.get("/api/sales/").status_code == 401


def test_idempotency_key_is_required(client_for):
    answer = post_sale(client_for("cashier", [1]), key=None)
    assert answer.status_code == 400
    assert answer.json()["code"] == "idempotency_key_required"


@pytest.mark.parametrize(("body", "field"), [
    ({**BODY, "lines": []}, "lines"),
    ({**BODY, "lines": [{"product": 1, "quantity": 0}]}, "lines"),
    ({**BODY, "payments": [{"method": "cheque", "amount": "1.00"}]}, "payments"),
    ({**BODY, "payments": [{"method": "cash", "amount": "-1.00"}]}, "payments"),
    ({**BODY, "payments": [{"method": "cash", "amount": "1.001"}]}, "payments"),
    ({**BODY, "payments": []}, "payments"),
    ({**BODY, "branch": "x"}, "branch"),
    ({**BODY, "branch": 2**63}, "branch"),
    ({**BODY, "lines": [{"product": 10**19, "quantity": 1}]}, "lines"),
    ({**BODY, "payments": [{"method": "cash", "amount": "10000000000.00"}]}, "payments"),
    ({"lines": "nope"}, "branch"),
])
def test_bad_input_is_a_400_with_field_messages(client_for, body, field):
    answer = post_sale(client_for("cashier", [1]), body)
    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid" and field in answer.json()


@pytest.mark.parametrize(("role", "branches", "status"), [
    ("cashier", [2], 403), ("manager", [2], 403), ("auditor", [], 403), ("warehouse", [1], 403),
])
def test_only_sellers_at_their_branches_may_sell(client_for, role, branches, status):
    answer = post_sale(client_for(role, branches))
    assert answer.status_code == status
    assert Sale.objects.count() == 0


def test_inventory_unreachable_is_a_fast_503_that_stores_nothing(client_for, monkeypatch):
    monkeypatch.delenv("EWTTO_INVENTARIO_URL", raising=False)
    make_sale(branch_id=1, user_id=50, lines=[(1, "1.00", 1)], code="SUC01")  # branch code known locally
    before = Sale.objects.count()
    answer = post_sale(client_for("cashier", [1], user_id=51))
    assert answer.status_code == 503
    assert answer.json()["code"] == "service_unavailable"
    assert Sale.objects.count() == before


def test_sucursales_unreachable_and_branch_never_seen_is_503(client_for, monkeypatch):
    monkeypatch.delenv("EWTTO_SUCURSALES_URL", raising=False)
    answer = post_sale(client_for("cashier", [999]), {**BODY, "branch": 999})
    assert answer.status_code == 503


def test_sales_are_listed_within_the_branch_scope(client_for):
    at_5 = make_sale(branch_id=5, user_id=1, lines=[(1, "2.00", 1)])
    at_6 = make_sale(branch_id=6, user_id=1, lines=[(1, "2.00", 1)])
    mine = {s["id"] for s in client_for("cashier", [5]).get("/api/sales/?page_size=200").json()["results"]}
    assert at_5.pk in mine and at_6.pk not in mine
    everything = {s["id"] for s in client_for("auditor").get("/api/sales/?page_size=200").json()["results"]}
    assert {at_5.pk, at_6.pk} <= everything
    assert client_for("cashier", [5]).get(f"/api/sales/{at_6.pk}/").status_code == 404
    detail = client_for("manager", [6]).get(f"/api/sales/{at_6.pk}/").json()
    assert detail["number"] == "SUC-000001"
    assert detail["lines"][0] == {"product": 1, "sku": "SKU1", "name": "Product 1", "unit_price": "2.00",
                                  "quantity": 1, "tax_rate": "0.1800", "discount": "0.00", "net": "2.00",
                                  "tax": "0.36", "total": "2.36", "returned_quantity": 0}
    assert detail["total"] == "2.36" and detail["status"] == "completed"
    assert client_for("warehouse", [6]).get("/api/sales/").status_code == 403


def test_list_filters_by_status_and_date(client_for):
    done = make_sale(branch_id=7, user_id=1, lines=[(1, "2.00", 1)])
    pending = make_sale(branch_id=7, user_id=1, lines=[(1, "2.00", 1)], complete=False)
    client = client_for("admin")
    ids = {s["id"] for s in client.get("/api/sales/?branch=7&status=pending").json()["results"]}
    assert ids == {pending.pk}
    day = done.business_date.isoformat()
    ids = {s["id"] for s in client.get(f"/api/sales/?branch=7&date_from={day}&date_to={day}").json()["results"]}
    assert ids == {done.pk, pending.pk}
    assert client.get("/api/sales/?date_from=yesterday").status_code == 400


def test_returns_check_branch_and_key(client_for):
    sale = make_sale(branch_id=8, user_id=1, lines=[(1, "2.00", 1)])
    body = {"lines": [{"product": 1, "quantity": 1}], "reason": "broken"}
    other = client_for("cashier", [9]).post(f"/api/sales/{sale.pk}/returns/", body, format="json",
                                            HTTP_IDEMPOTENCY_KEY="r")
    assert other.status_code == 403
    no_key = client_for("cashier", [8]).post(f"/api/sales/{sale.pk}/returns/", body, format="json")
    assert no_key.status_code == 400
    over = client_for("cashier", [8]).post(f"/api/sales/{sale.pk}/returns/",
                                           {"lines": [{"product": 1, "quantity": 2}]}, format="json",
                                           HTTP_IDEMPOTENCY_KEY="r-over")
    assert over.status_code == 400 and over.json()["code"] == "return_exceeds_sold"
    missing = client_for("cashier", [8]).post("/api/sales/999999/returns/", body, format="json",
                                              HTTP_IDEMPOTENCY_KEY="r")
    assert missing.status_code == 404


def _stored(user_id: int, key: str, body: dict, *, complete: bool) -> Sale:
    """A sale stored under `key`, bound to the hash checkout computes for `body`."""
    lines = [checkout.LineRequest(x["product"], x["quantity"]) for x in body["lines"]]
    payments = [(p["method"], Decimal(p["amount"])) for p in body["payments"]]
    digest = checkout.sale_request_hash(branch_id=body["branch"], lines=lines, payments=payments)
    return make_sale(branch_id=body["branch"], user_id=user_id, lines=[(x.product, "10.00", x.quantity) for x in lines],
                     key=key, request_hash=digest, complete=complete)


def test_a_repeated_key_replays_the_sale_and_another_body_is_422(client_for, monkeypatch):
    monkeypatch.delenv("EWTTO_INVENTARIO_URL", raising=False)  # a replay never asks inventory again
    cashier = client_for("cashier", [1], user_id=70)
    sale = _stored(70, "same-key", BODY, complete=True)
    replay = post_sale(cashier, key="same-key")
    assert replay.status_code == 201 and replay.json()["id"] == sale.pk
    assert replay["Idempotent-Replayed"] == "true"
    other = post_sale(cashier, {**BODY, "payments": [{"method": "cash", "amount": "60.00"}]}, key="same-key")
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    # keys belong to their user: another cashier's identical key is another sale attempt
    assert post_sale(client_for("cashier", [1], user_id=71), key="same-key").status_code == 503


def test_a_repeated_key_of_a_pending_sale_retries_and_answers_202(client_for, monkeypatch):
    monkeypatch.delenv("EWTTO_INVENTARIO_URL", raising=False)
    sale = _stored(72, "pending-key", BODY, complete=False)
    answer = post_sale(client_for("cashier", [1], user_id=72), key="pending-key")
    assert answer.status_code == 202
    assert (answer.json()["id"], answer.json()["status"], answer.json()["code"]) == (sale.pk, "pending",
                                                                                     "sale_pending")
    assert answer["Retry-After"] == "2"
    sale.refresh_from_db(using="default")
    assert sale.attempts == 1


def test_openapi_schema_is_served(client_for):
    answer = client_for("auditor").get("/api/sales/schema/")
    assert answer.status_code == 200
    assert b"/api/sales/reports/daily/" in answer.content and b"/api/sales/cash-sessions/" in answer.content


def test_a_product_on_two_lines_is_400_duplicate_product(client_for):
    body = {**BODY, "lines": [{"product": 1, "quantity": 1}, {"product": 1, "quantity": 2}]}
    answer = post_sale(client_for("cashier", [1]), body)
    assert answer.status_code == 400
    assert answer.json()["code"] == "duplicate_product" and "lines" in answer.json()
    assert Sale.objects.count() == 0


@pytest.mark.parametrize(("body", "code"), [
    ({**BODY, "discount": {"percent": "5", "amount": "1.00"}}, "discount_invalid"),
    ({**BODY, "discount": {}}, "discount_invalid"),
    ({**BODY, "lines": [{"product": 1, "quantity": 1, "discount": {"percent": "1", "amount": "1"}}]},
     "discount_invalid"),
    ({**BODY, "discount": {"percent": "100.01"}}, "invalid"),
    ({**BODY, "discount": {"percent": "-1"}}, "invalid"),
    ({**BODY, "lines": [{"product": 1, "quantity": 1, "discount": {"amount": "-1.00"}}]}, "invalid"),
    ({**BODY, "discount": {"amount": "1.001"}}, "invalid"),
    ({**BODY, "approval": {"username": "boss", "pin": "12ab"}}, "invalid"),
    ({**BODY, "approval": {"username": "boss"}}, "invalid"),
])
def test_bad_discounts_and_approvals_are_400_and_store_nothing(client_for, body, code):
    answer = post_sale(client_for("cashier", [1]), body)
    assert answer.status_code == 400, answer.content
    assert answer.json()["code"] == code
    assert Sale.objects.count() == 0


@pytest.mark.parametrize("approval", [{"token": "x", "pin": "1234"}, {"username": "boss"}, {}])
def test_a_return_approval_is_a_token_or_a_username_and_pin(client_for, approval):
    sale = make_sale(branch_id=3, user_id=1, lines=[(1, "2.00", 1)])
    answer = client_for("cashier", [3], user_id=2).post(
        f"/api/sales/{sale.pk}/returns/", {"lines": [{"product": 1, "quantity": 1}], "approval": approval},
        format="json", HTTP_IDEMPOTENCY_KEY="r-approval")
    assert answer.status_code == 400 and answer.json()["code"] == "approval_incomplete"
