"""Refunds an attacker at the till would try: cash for a card sale, more than was paid, others' or old sales."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from sales import pricing
from sales.models import Sale, SaleReturn
from sis_common.audit.capture import REDACTED
from sis_common.audit.models import AuditEvent
from sis_common.testing.plugin import KNOWN_COMPANY
from sis_common.testing.tokens import access_token
from tests.builders import make_sale, sale_total

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])
CASHIER, OTHER_CASHIER, MANAGER = 301, 302, 303
ALL = [{"product": 1, "quantity": 2}]
DAYS = KNOWN_COMPANY["return_days"]
ACCEPTED = (201, 202)  # 202: inventory not there in these tests, the return stays pending


@pytest.fixture(autouse=True)
def _no_inventory(monkeypatch):
    monkeypatch.delenv("EWTTO_INVENTARIO_URL", raising=False)


def refund(client, sale, *, lines=ALL, key, **extra):
    return client.post(f"/api/sales/{sale.pk}/returns/", {"lines": lines, **extra}, format="json",
                       HTTP_IDEMPOTENCY_KEY=key)


def total_of(lines) -> Decimal:
    return sale_total(lines)


LINES = [(1, "10.00", 2)]

def card_sale() -> Sale:
    return make_sale(branch_id=5, user_id=CASHIER, lines=LINES, payments=[("card", str(total_of(LINES)))])


def test_a_card_sale_is_never_refunded_in_cash(client_for):
    sale = card_sale()
    cashier = client_for("cashier", [5], user_id=CASHIER)
    answer = refund(cashier, sale, key="cash-for-card", refund_method="cash")
    assert answer.status_code == 400
    assert answer.json()["code"] == "refund_method_not_paid" and answer.json()["methods"] == ["card"]
    assert not SaleReturn.objects.filter(sale=sale).exists()
    # without a method the refund goes back to the card
    back = refund(cashier, sale, key="card-back")
    assert back.status_code in ACCEPTED and back.json()["refund_method"] == "card"


def test_a_split_sale_refunds_each_method_at_most_what_it_paid(client_for):
    total = total_of(LINES)
    # 5.00 by card, the rest in cash with 10.00 tendered too many (given back as change)
    sale = make_sale(branch_id=5, user_id=CASHIER, lines=[(1, "10.00", 2)],
                     payments=[("card", "5.00"), ("cash", str(total - 5 + 10))])
    cashier = client_for("cashier", [5], user_id=CASHIER)
    over = refund(cashier, sale, key="all-to-card", refund_method="card")
    assert over.status_code == 400
    body = over.json()
    assert body["code"] == "refund_exceeds_payment"
    assert body["available"] == {"card": "5.00", "cash": f"{total - 5:.2f}"}  # cash net of the change
    # one unit back by card is within what the card paid only if it is not more than 5.00
    one = refund(cashier, sale, lines=[{"product": 1, "quantity": 1}], key="one-to-cash", refund_method="cash")
    assert one.status_code in ACCEPTED
    rest = refund(cashier, sale, lines=[{"product": 1, "quantity": 1}], key="rest-to-cash", refund_method="cash")
    assert rest.status_code == 400 and rest.json()["code"] == "refund_exceeds_payment"
    assert rest.json()["available"]["cash"] == f"{total - 5 - SaleReturn.objects.get().refund_amount:.2f}"


def test_another_cashiers_sale_needs_a_manager(client_for):
    sale = card_sale()
    other = client_for("cashier", [5], user_id=OTHER_CASHIER)
    refused = refund(other, sale, key="not-mine")
    assert refused.status_code == 403
    assert (refused.json()["code"], refused.json()["reason"]) == ("return_needs_manager", "another_cashier")
    # approvals that do not count: a cashier's token, a manager of another branch, garbage
    for token in (access_token(role="cashier", branches=[5], user_id=OTHER_CASHIER),
                  access_token(role="manager", branches=[6], user_id=MANAGER), "x.y.z"):
        answer = refund(other, sale, key=f"bad-approval-{token[-6:]}", approval={"token": token})
        assert answer.status_code == 403, token
    approved = refund(other, sale, key="approved",
                      approval={"token": access_token(role="manager", branches=[5], user_id=MANAGER)})
    assert approved.status_code in ACCEPTED
    assert approved.json()["approved_by"] == MANAGER
    assert SaleReturn.objects.get(sale=sale).approved_by == MANAGER


def test_an_old_sale_needs_a_manager_and_a_manager_may_return_it(client_for, settings):
    sale = card_sale()
    Sale.objects.filter(pk=sale.pk).update(completed_at=timezone.now() - timedelta(days=DAYS + 1))
    refused = refund(client_for("cashier", [5], user_id=CASHIER), sale, key="old")
    assert refused.status_code == 403 and refused.json()["reason"] == "too_old"
    done = refund(client_for("manager", [5], user_id=MANAGER), sale, key="old-by-manager")
    assert done.status_code in ACCEPTED and done.json()["approved_by"] is None


def test_every_refund_is_in_the_audit_trail_with_method_amount_and_approver(client_for):
    sale = card_sale()
    other = client_for("cashier", [5], user_id=OTHER_CASHIER)
    done = refund(other, sale, key="audited", reason="broken",
                  approval={"token": access_token(role="manager", branches=[5], user_id=MANAGER)})
    assert done.status_code in ACCEPTED
    event = AuditEvent.objects.using("default").get(object_id=str(done.json()["id"]), resource__contains="returns")
    assert event.user_id == OTHER_CASHIER
    assert event.summary["refund_method"] == "card" and event.summary["refund_amount"] == done.json()["refund_amount"]
    assert event.summary["approved_by"] == MANAGER
    assert event.changes["approval"] == {"token": REDACTED}  # the trail is no bag of manager tokens
