"""Receiving within this project: refusals store nothing, and with inventory unreachable a receipt is kept
pending (202) and retried with its own key. Receipts that inventory completes are covered through a whole
stack in tests/system/test_purchasing_receipts.py."""
import pytest
from django.utils import timezone

from orders import services
from orders.models import Receipt, ReceiptStatus
from orders.reconciler import reconcile_pass
from suppliers.models import SupplierProduct

from .builders import supplier_body

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])
URL = "/api/purchasing/orders/"


@pytest.fixture(autouse=True)
def _no_inventory(known_branches, monkeypatch):
    monkeypatch.setenv("EWTTO_INVENTARIO_URL", "http://127.0.0.1:9")  # nothing listens on the discard port


@pytest.fixture
def order(client_for):
    admin = client_for("admin")
    supplier = admin.post("/api/purchasing/suppliers/", supplier_body(), format="json").json()
    SupplierProduct.objects.create(supplier_id=supplier["id"], product=201, unit_cost="4.00")
    SupplierProduct.objects.create(supplier_id=supplier["id"], product=202, unit_cost="1.00")
    made = admin.post(URL, {"supplier": supplier["id"], "branch": 3, "lines": [
        {"product": 201, "quantity": 10}, {"product": 202, "quantity": 5}]}, format="json").json()
    return services.order_confirm(order_id=made["id"])


def receive(client, order_id, lines, key, note="GR-001"):
    return client.post(f"{URL}{order_id}/receive/", {"delivery_note": note, "lines": lines}, format="json",
                       **({"HTTP_IDEMPOTENCY_KEY": key} if key else {}))


def test_inventory_unreachable_keeps_the_receipt_pending_and_the_same_key_answers_it(client_for, order):
    warehouse = client_for("warehouse", branches=[3], user_id=77)
    lines = [{"product": 201, "quantity": 4, "unit_cost": "3.90"}]
    first = receive(warehouse, order.pk, lines, "r-1")
    assert first.status_code == 202, first.content
    assert first["Retry-After"] == "2"
    body = first.json()
    assert (body["code"], body["status"], body["receipt"]["status"]) == ("receipt_pending", "confirmed", "pending")
    assert body["receipt"]["reference"] == f"{order.number}/GR-001"
    assert body["receipt"]["lines"] == [{"product": 201, "quantity": 4, "unit_cost": "3.90"}]
    assert body["lines"][0]["received"] == 0  # nothing is in stock yet
    again = receive(warehouse, order.pk, lines, "r-1")
    assert again.status_code == 202 and again["Idempotent-Replayed"] == "true"
    assert again.json()["receipt"]["id"] == body["receipt"]["id"]
    receipt = Receipt.objects.get(pk=body["receipt"]["id"])
    assert receipt.attempts == 2 and "ServiceUnavailable" in receipt.last_error and receipt.acting_token
    other = receive(warehouse, order.pk, [{"product": 201, "quantity": 5}], "r-1")
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    Receipt.objects.filter(pk=receipt.pk).update(next_attempt_at=timezone.now())
    assert reconcile_pass(batch=10).still_pending >= 1
    receipt.refresh_from_db()
    assert receipt.status == ReceiptStatus.PENDING and receipt.attempts == 3
    assert receipt.next_attempt_at > timezone.now()  # backed off, not hammering
    assert Receipt.objects.filter(order=order).count() == 1


def test_over_receipt_counts_pending_receipts_and_stores_nothing(client_for, order):
    admin = client_for("admin")
    assert receive(admin, order.pk, [{"product": 201, "quantity": 7}], "o-1").status_code == 202
    over = receive(admin, order.pk, [{"product": 201, "quantity": 4}, {"product": 202, "quantity": 1}], "o-2")
    assert over.status_code == 400, over.content
    assert over.json()["code"] == "over_receipt"
    assert over.json()["lines"] == [{"product": 201, "ordered": 10, "received": 7, "requested": 4, "allowed": 10}]
    assert receive(admin, order.pk, [{"product": 201, "quantity": 3}], "o-3").status_code == 202
    assert Receipt.objects.filter(order=order).count() == 2


def test_a_setting_allows_receiving_a_little_more(client_for, order, settings):
    settings.PURCHASING_OVER_RECEIPT_PERCENT = 10
    admin = client_for("admin")
    assert receive(admin, order.pk, [{"product": 201, "quantity": 11}], "s-1").status_code == 202
    over = receive(admin, order.pk, [{"product": 201, "quantity": 1}], "s-2")
    assert over.status_code == 400 and over.json()["lines"][0]["allowed"] == 11


def test_a_rejected_receipt_gives_its_units_back(client_for, order):
    admin = client_for("admin")
    first = receive(admin, order.pk, [{"product": 201, "quantity": 10}], "j-1").json()
    services.receipt_reject(receipt=Receipt.objects.get(pk=first["receipt"]["id"]), rejection={"code": "x"})
    assert receive(admin, order.pk, [{"product": 201, "quantity": 10}], "j-2").status_code == 202
    replay = receive(admin, order.pk, [{"product": 201, "quantity": 10}], "j-1")
    assert replay.status_code == 409 and replay.json()["receipt"] == first["receipt"]["id"]


@pytest.mark.parametrize("body, key, status, code", [
    ({"delivery_note": "GR-1", "lines": [{"product": 201, "quantity": 1}]}, None, 400, "idempotency_key_required"),
    ({"delivery_note": "GR-1", "lines": [{"product": 999, "quantity": 1}]}, "b", 400, "product_not_on_order"),
    ({"delivery_note": "GR-1", "lines": [{"product": 201, "quantity": 1}, {"product": 201, "quantity": 1}]}, "b",
     400, "duplicate_product"),
    ({"delivery_note": "GR-1", "lines": [{"product": 201, "quantity": 11}]}, "b", 400, "over_receipt"),
    ({"delivery_note": "", "lines": [{"product": 201, "quantity": 1}]}, "b", 400, "invalid"),
    ({"delivery_note": "x" * 41, "lines": [{"product": 201, "quantity": 1}]}, "b", 400, "invalid"),
    ({"delivery_note": "GR-1", "lines": []}, "b", 400, "invalid"),
    ({"delivery_note": "GR-1", "lines": [{"product": 201, "quantity": 0}]}, "b", 400, "invalid"),
    ({"delivery_note": "GR-1", "lines": [{"product": 201, "quantity": 1, "unit_cost": "1.001"}]}, "b", 400,
     "invalid"),
])
def test_bad_receipts_store_nothing(client_for, order, body, key, status, code):
    answer = client_for("admin").post(f"{URL}{order.pk}/receive/", body, format="json",
                                      **({"HTTP_IDEMPOTENCY_KEY": key} if key else {}))
    assert answer.status_code == status and answer.json()["code"] == code, answer.content
    assert not Receipt.objects.filter(order=order).exists()


def test_a_draft_order_is_not_received_and_scope_and_roles_hold(client_for, order):
    admin = client_for("admin")
    draft = admin.post(URL, {"supplier": order.supplier_id, "branch": 3, "lines": [{"product": 201, "quantity": 1}]},
                       format="json").json()
    refused = receive(admin, draft["id"], [{"product": 201, "quantity": 1}], "d-1")
    assert refused.status_code == 409 and refused.json() == {
        "detail": refused.json()["detail"], "code": "order_status_conflict", "status": "draft"}
    assert receive(client_for("warehouse", branches=[4]), order.pk, [{"product": 201, "quantity": 1}],
                   "d-2").status_code == 404
    for role in ("cashier", "auditor"):
        assert receive(client_for(role, branches=[3]), order.pk, [{"product": 201, "quantity": 1}],
                       "d-3").status_code == 403, role
    assert not Receipt.objects.filter(order_id__in=[order.pk, draft["id"]]).exists()
