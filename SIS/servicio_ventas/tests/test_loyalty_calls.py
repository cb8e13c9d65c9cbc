"""Loyalty points from ventas' side (sales.loyalty): what points payments spend and the calls owed to clientes.

clientes is unreachable here, so every owed call stays owed (and is retried); the calls
reaching the real servicio_clientes, once each, are in tests/system/test_customer_points.py.
"""
import dataclasses
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import transaction

from sales import clientes, loyalty, reconciler, services
from sales.models import LoyaltyCall, Sale, SaleReturn

from .builders import make_sale, sale_draft
from .test_customers import known_customers  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])
BODY = {"branch": 1, "lines": [{"product": 1, "quantity": 2}], "payments": [{"method": "cash", "amount": "50.00"}]}


@pytest.fixture
def point_value():
    cache.set(clientes.RULES_CACHE_KEY, Decimal("0.10"), 60)
    yield Decimal("0.10")
    cache.delete(clientes.RULES_CACHE_KEY)


def post_sale(client, body, key):
    return client.post("/api/sales/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_points_need_a_customer(client_for, point_value):
    body = {**BODY, "payments": [{"method": "points", "amount": "1.00"}, {"method": "cash", "amount": "49.00"}]}
    answer = post_sale(client_for("cashier", [1]), body, "p-1")
    assert answer.status_code == 400 and answer.json()["code"] == "points_need_customer"
    assert Sale.objects.count() == 0


@pytest.mark.parametrize(("amount", "points"), [("1.00", 10), ("0.10", 1), ("12.30", 123)])
def test_points_are_the_amount_over_the_points_value(point_value, amount, points):
    assert loyalty.points_of(payments=[("points", Decimal(amount)), ("cash", Decimal("1"))], customer_id=4) == points


def test_a_points_amount_that_is_not_whole_points_is_a_400(client_for, known_customers, point_value):  # noqa: F811
    body = {**BODY, "customer": 41,
            "payments": [{"method": "points", "amount": "1.05"}, {"method": "cash", "amount": "49.00"}]}
    answer = post_sale(client_for("cashier", [1]), body, "p-2")
    assert answer.status_code == 400
    assert (answer.json()["code"], answer.json()["point_value"]) == ("points_not_whole", "0.10")
    assert Sale.objects.count() == 0


def test_the_points_value_unknown_and_clientes_unreachable_is_a_503(client_for, known_customers):  # noqa: F811
    body = {**BODY, "customer": 41,
            "payments": [{"method": "points", "amount": "1.00"}, {"method": "cash", "amount": "49.00"}]}
    answer = post_sale(client_for("cashier", [1]), body, "p-3")
    assert answer.status_code == 503 and answer.json()["service"] == "clientes"
    assert Sale.objects.count() == 0


def _points_sale(points: int, **kwargs) -> Sale:
    draft = sale_draft(branch_id=1, user_id=1, lines=[(1, "10.00", 1)], customer_id=41, code="SUC01",
                       payments=[("points", f"{points / 10:.2f}"), ("cash", "20.00")], **kwargs)
    return services.sale_create(draft=dataclasses.replace(draft, points_spent=points)).sale


def test_a_completed_sale_owes_clientes_its_points_confirmed_and_earned_on_what_points_did_not_pay():
    sale = _points_sale(30)
    assert sale.points_key.startswith("points-") and not sale.points_held
    with transaction.atomic():
        locked = Sale.objects.select_for_update().get(pk=sale.pk)
        services.sale_points_held(sale=locked)
        services.sale_complete(sale=locked, stock_move_id=1)
    calls = {c.kind: c for c in LoyaltyCall.objects.filter(sale=sale)}
    assert set(calls) == {"confirm", "earn"}
    assert calls["confirm"].path == f"/internal/loyalty/reservations/{sale.points_key}/confirm/"
    assert calls["earn"].body == {"customer": 41, "reference": f"sale:{sale.pk}", "amount": "8.80"}  # 11.80 - 3.00
    # clientes is unreachable: sent once after the commit, still owed, retried later with the same key
    assert all(not c.done and c.attempts == 1 and c.last_error.startswith("ServiceUnavailable")
               for c in calls.values())


def test_a_refused_sale_releases_held_points_and_one_never_held_owes_nothing():
    held, never = _points_sale(10), _points_sale(10)
    with transaction.atomic():
        locked = Sale.objects.select_for_update().get(pk=held.pk)
        services.sale_points_held(sale=locked)
        services.sale_reject(sale=locked, rejection={"code": "insufficient_stock"})
        services.sale_reject(sale=Sale.objects.select_for_update().get(pk=never.pk), rejection={"code": "x"})
    (release,) = LoyaltyCall.objects.filter(sale=held)
    assert (release.kind, release.key, release.body) == ("release", f"release-{held.points_key}",
                                                          {"reference": f"sale:{held.pk}"})
    assert not LoyaltyCall.objects.filter(sale=never).exists()


def test_a_walk_in_sale_owes_nothing():
    sale = make_sale(branch_id=1, user_id=1, lines=[(1, "10.00", 1)], code="SUC01")
    assert not LoyaltyCall.objects.filter(sale=sale).exists()


def test_a_completed_return_owes_its_reversal_and_what_points_paid_is_not_refunded(client_for):
    sale = make_sale(branch_id=1, user_id=1, lines=[(1, "10.00", 2)], customer_id=41, code="SUC01",
                     payments=[("points", "3.00"), ("card", "20.60")])
    body = {"lines": [{"product": 1, "quantity": 1}], "refund_method": "points"}
    answer = client_for("manager", [1]).post(f"/api/sales/{sale.pk}/returns/", body, format="json",
                                             HTTP_IDEMPOTENCY_KEY="r-1")
    assert answer.status_code == 400 and answer.json()["code"] == "points_not_refundable"
    assert not SaleReturn.objects.exists()
    sale_return = services.return_create(request=services.ReturnRequest(
        sale_id=sale.pk, user_id=1, idempotency_key="r-2", request_hash="h", lines=[(1, 1)], reason="",
        refund_method=None))
    assert sale_return.refund_method == "card"
    with transaction.atomic():
        services.return_complete(sale_return=SaleReturn.objects.select_for_update().get(pk=sale_return.pk),
                                 stock_move_id=2)
    (reverse,) = LoyaltyCall.objects.filter(kind="reverse")
    assert reverse.body == {"sale_reference": f"sale:{sale.pk}", "reference": f"sale:{sale.pk}:return:{sale_return.pk}",
                            "amount": "11.80"}


def test_the_reconciler_sends_owed_calls_when_due_and_keeps_them_owed_while_clientes_is_down():
    sale = make_sale(branch_id=1, user_id=1, lines=[(1, "10.00", 1)], customer_id=41, code="SUC01")
    (earn,) = LoyaltyCall.objects.filter(sale=sale)
    assert reconciler.reconcile_pass().loyalty_sent == 0  # backing off after the first attempt
    LoyaltyCall.objects.filter(pk=earn.pk).update(next_attempt_at=earn.created_at)
    assert reconciler.reconcile_pass().loyalty_sent == 0
    earn.refresh_from_db()
    assert (earn.done, earn.attempts) == (False, 2)
