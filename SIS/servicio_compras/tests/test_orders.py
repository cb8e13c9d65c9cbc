"""Purchase orders within this project: create, edit while draft, confirm, cancel, scope and bad input.

Branches answer from the cache of sucursales' answers (known_branches); receiving against a running
inventory is covered through a whole stack in tests/system/test_purchasing_receipts.py.
"""
from decimal import Decimal

import pytest

from orders import services
from orders.models import OrderStatus, PurchaseOrder, Receipt, ReceiptLine, ReceiptStatus
from suppliers.models import Supplier, SupplierProduct

from .builders import supplier_body

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])
URL = "/api/purchasing/orders/"


@pytest.fixture(autouse=True)
def _branches(known_branches):
    yield


@pytest.fixture
def supplier(client_for):
    made = client_for("admin").post("/api/purchasing/suppliers/", supplier_body(), format="json").json()
    SupplierProduct.objects.create(supplier_id=made["id"], product=101, unit_cost="2.50", pack_size=12)
    SupplierProduct.objects.create(supplier_id=made["id"], product=102, unit_cost="10.00")
    return made


def order_body(made, **extra) -> dict:
    return {"supplier": made["id"], "branch": 1, "expected_on": "2026-12-20",
            "lines": [{"product": 101, "quantity": 24}, {"product": 102, "quantity": 3, "unit_cost": "9.50"}],
            **extra}


def test_a_purchaser_creates_a_draft_order_priced_from_what_the_supplier_sells(client_for, supplier):
    purchaser = client_for("purchaser", branches=[1], user_id=41)
    created = purchaser.post(URL, order_body(supplier), format="json")
    assert created.status_code == 201, created.content
    order = created.json()
    assert order["number"] == f"PO-{order['id']:06d}"
    assert (order["supplier"], order["branch"], order["status"], order["expected_on"]) == \
        (supplier["id"], 1, "draft", "2026-12-20")
    assert order["lines"] == [{"product": 101, "quantity": 24, "unit_cost": "2.50", "received": 0},
                              {"product": 102, "quantity": 3, "unit_cost": "9.50", "received": 0}]
    assert order["total"] == "88.50"  # 24 × 2.50 + 3 × 9.50
    assert order["created_by"] == 41 and order["supplier_code"] == supplier["code"]
    assert purchaser.get(f"{URL}{order['id']}/").json() == order
    listed = purchaser.get(URL, {"status": "draft", "supplier": supplier["id"]}).json()["results"]
    assert [x["id"] for x in listed] == [order["id"]]


def test_only_a_draft_is_edited_then_confirmed_once(client_for, supplier):
    manager = client_for("manager", branches=[1, 2])
    order = manager.post(URL, order_body(supplier), format="json").json()
    edited = manager.patch(f"{URL}{order['id']}/", {"lines": [{"product": 102, "quantity": 5}], "expected_on": None,
                                                    "branch": 2}, format="json")
    assert edited.status_code == 200, edited.content
    assert (edited.json()["lines"], edited.json()["total"], edited.json()["expected_on"], edited.json()["branch"]) == \
        ([{"product": 102, "quantity": 5, "unit_cost": "10.00", "received": 0}], "50.00", None, 2)
    confirmed = manager.post(f"{URL}{order['id']}/confirm/")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    assert confirmed.json()["confirmed_at"]
    for refused in (manager.post(f"{URL}{order['id']}/confirm/"),
                    manager.patch(f"{URL}{order['id']}/", {"note": "late"}, format="json")):
        assert refused.status_code == 409 and refused.json()["code"] == "order_status_conflict", refused.content
        assert refused.json()["status"] == "confirmed"
    assert PurchaseOrder.objects.get(pk=order["id"]).note == ""


def test_cancel_closes_what_is_not_received(client_for, supplier):
    admin = client_for("admin")
    draft = admin.post(URL, order_body(supplier), format="json").json()
    assert admin.post(f"{URL}{draft['id']}/cancel/").json()["status"] == "cancelled"
    again = admin.post(f"{URL}{draft['id']}/cancel/")
    assert again.status_code == 409 and again.json()["code"] == "order_status_conflict"
    # part of it came: the order closes as received with what came
    part = admin.post(URL, order_body(supplier), format="json").json()
    services.order_confirm(order_id=part["id"])
    receipt = _receipt(part["id"], status=ReceiptStatus.PENDING, quantity=10)
    pending = admin.post(f"{URL}{part['id']}/cancel/")
    assert pending.status_code == 409 and pending.json()["code"] == "receipt_pending"
    services.receipt_complete(receipt=Receipt.objects.get(pk=receipt.pk), stock_document=7)
    assert admin.get(f"{URL}{part['id']}/").json()["status"] == "partially_received"
    closed = admin.post(f"{URL}{part['id']}/cancel/").json()
    assert (closed["status"], closed["lines"][0]["received"], closed["lines"][0]["quantity"]) == ("received", 10, 24)
    assert closed["cancelled_at"] and closed["closed_at"]
    shut = admin.post(f"{URL}{part['id']}/receive/", {"delivery_note": "GR-1", "lines": [{"product": 101,
                                                                                          "quantity": 1}]},
                      format="json", HTTP_IDEMPOTENCY_KEY="closed-1")
    assert shut.status_code == 409 and shut.json()["code"] == "order_status_conflict"


def _receipt(order_id: int, *, status: str, quantity: int, product: int = 101) -> Receipt:
    receipt = Receipt.objects.create(order_id=order_id, delivery_note="GR-7", status=status, user_id=1,
                                     idempotency_key=f"k{order_id}-{quantity}-{status}", request_hash="x",
                                     saga_key=f"s{order_id}-{quantity}-{status}")
    ReceiptLine.objects.create(receipt=receipt, product=product, quantity=quantity, unit_cost=Decimal("2.50"))
    return receipt


@pytest.mark.parametrize("change, code", [
    ({"lines": [{"product": 999, "quantity": 1}]}, "product_not_supplied"),
    ({"lines": [{"product": 101, "quantity": 1}, {"product": 101, "quantity": 2}]}, "duplicate_product"),
    ({"supplier": 2**62}, "unknown_supplier"),
    ({"branch": 999}, "service_unavailable"),  # not among the branches sucursales answered, and it is down
    ({"lines": [{"product": 101, "quantity": 10**9, "unit_cost": "9999999999.99"}]}, "amount_too_large"),
    ({"lines": []}, "invalid"),
    ({"lines": [{"product": 101, "quantity": 0}]}, "invalid"),
    ({"lines": [{"product": 101, "quantity": 1, "unit_cost": "-1"}]}, "invalid"),
    ({"expected_on": "soon"}, "invalid"),
])
def test_bad_orders_are_400s_and_store_nothing(client_for, supplier, monkeypatch, change, code):
    monkeypatch.setenv("EWTTO_SUCURSALES_URL", "http://127.0.0.1:9")  # nothing listens on the discard port
    before = PurchaseOrder.objects.count()
    answer = client_for("admin").post(URL, order_body(supplier, **change), format="json")
    assert answer.status_code == (503 if code == "service_unavailable" else 400), answer.content
    assert answer.json()["code"] == code, answer.content
    assert PurchaseOrder.objects.count() == before


def test_an_inactive_supplier_takes_no_orders(client_for, supplier):
    Supplier.objects.filter(pk=supplier["id"]).update(is_active=False)
    answer = client_for("admin").post(URL, order_body(supplier), format="json")
    assert answer.status_code == 400 and answer.json()["code"] == "inactive_supplier"
    assert not PurchaseOrder.objects.filter(supplier_id=supplier["id"]).exists()


def test_branch_scope_and_roles(client_for, supplier):
    purchaser = client_for("purchaser", branches=[2])
    refused = purchaser.post(URL, order_body(supplier), format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "branch_forbidden"
    order = client_for("admin").post(URL, order_body(supplier), format="json").json()
    # another branch's order is not seen, nor acted on
    assert purchaser.get(f"{URL}{order['id']}/").status_code == 404
    assert purchaser.post(f"{URL}{order['id']}/confirm/").status_code == 404
    assert purchaser.get(URL, {"branch": 1}).status_code == 403
    assert order["id"] not in [x["id"] for x in purchaser.get(URL).json()["results"]]
    for role in ("cashier", "warehouse", "auditor"):
        client = client_for(role, branches=[1])
        assert client.get(f"{URL}{order['id']}/").status_code == 200, role
        assert client.post(URL, order_body(supplier), format="json").status_code == 403, role
        assert client.post(f"{URL}{order['id']}/confirm/").status_code == 403, role
    assert PurchaseOrder.objects.get(pk=order["id"]).status == OrderStatus.DRAFT
