"""The sale and return states without inventory: pending stays pending, numbers, return limits, refunds."""
import dataclasses
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from sales import saga, services
from sales.models import ReturnLine, SagaStatus, Sale, SaleReturn
from sales.reconciler import reconcile_pass
from sis_common.errors import DomainError

from .builders import make_sale, sale_draft

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


def test_sale_stays_pending_while_inventory_cannot_be_reached(monkeypatch):
    monkeypatch.delenv("EWTTO_INVENTARIO_URL", raising=False)
    sale = make_sale(branch_id=101, user_id=7, lines=[(1, "10.00", 2)], complete=False)
    driven = saga.sale_drive(sale_id=sale.pk)
    assert driven.status == SagaStatus.PENDING
    assert driven.attempts == 1 and driven.number is None
    assert "ServiceUnavailable" in driven.last_error
    Sale.objects.filter(pk=sale.pk).update(next_attempt_at=timezone.now())
    result = reconcile_pass(batch=10)
    assert result.still_pending >= 1
    sale.refresh_from_db(using="default")
    assert sale.status == SagaStatus.PENDING and sale.attempts == 2
    assert sale.next_attempt_at > timezone.now()  # backed off, not hammering


def test_the_creating_request_drives_with_what_it_wrote_but_counts_attempts_made_meanwhile(monkeypatch):
    monkeypatch.delenv("EWTTO_INVENTARIO_URL", raising=False)
    created = services.sale_create(draft=sale_draft(branch_id=103, user_id=7, lines=[(1, "2.00", 1), (2, "3.00", 2)]))
    assert [(x.product_id, x.quantity) for x in created.lines] == [(1, 1), (2, 2)] and created.payments
    # a duplicate request drove it first and postponed it: the creator's copy still says 0 attempts
    services.saga_postpone(saga=Sale.objects.get(pk=created.sale.pk), reason="first try")
    driven = saga.sale_drive_created(created=created, wait=0)
    assert driven.status == SagaStatus.PENDING and driven.attempts == 2
    assert Sale.objects.get(pk=created.sale.pk).attempts == 2
    # settled meanwhile by someone else: the creator answers the sale as stored, not its own copy
    Sale.objects.filter(pk=created.sale.pk).update(status=SagaStatus.REJECTED, rejection={"code": "x"})
    settled = saga.sale_drive_created(created=created, wait=0)
    assert settled.status == SagaStatus.REJECTED and settled.rejection == {"code": "x"}


def test_reconciler_skips_a_sale_someone_else_is_driving(monkeypatch):
    monkeypatch.delenv("EWTTO_INVENTARIO_URL", raising=False)
    sale = make_sale(branch_id=102, user_id=7, lines=[(1, "1.00", 1)], complete=False)
    Sale.objects.filter(pk=sale.pk).update(next_attempt_at=timezone.now())
    from django.db import connections

    # hold the sale's row lock from a second connection, as a driving request would
    other = connections.create_connection("default")
    try:
        with other.cursor() as cur:
            cur.execute("BEGIN")
            cur.execute("SELECT id FROM sales_sale WHERE id = %s FOR UPDATE", [sale.pk])
            with pytest.raises(saga.SagaBusy):
                saga.sale_drive(sale_id=sale.pk)
            assert reconcile_pass(batch=50).busy >= 1
            cur.execute("ROLLBACK")
    finally:
        other.close()
    sale.refresh_from_db(using="default")
    assert sale.attempts == 0


def test_reconcile_command_runs_one_pass(monkeypatch, capsys):
    monkeypatch.delenv("EWTTO_INVENTARIO_URL", raising=False)
    call_command("reconcile_sales", "--once")
    assert "pending=" in capsys.readouterr().out


def test_completed_sales_are_numbered_without_gaps_per_branch():
    first = make_sale(branch_id=201, user_id=1, lines=[(1, "1.00", 1)], code="SUC01")
    make_sale(branch_id=202, user_id=1, lines=[(1, "1.00", 1)], code="SUC02")
    rejected = make_sale(branch_id=201, user_id=1, lines=[(1, "1.00", 1)], complete=False)
    with transaction.atomic():
        services.sale_reject(sale=Sale.objects.select_for_update().get(pk=rejected.pk), rejection={"code": "x"})
    pending = make_sale(branch_id=201, user_id=1, lines=[(1, "1.00", 1)], complete=False)
    second = make_sale(branch_id=201, user_id=1, lines=[(1, "1.00", 1)], code="SUC01")
    assert (first.number, second.number) == ("SUC01-000001", "SUC01-000002")
    assert Sale.objects.get(pk=rejected.pk).number is None
    assert Sale.objects.get(pk=pending.pk).number is None
    assert Sale.objects.get(branch_id=202).number == "SUC02-000001"


def _return(sale, user_id, lines, key, method="cash"):
    request = services.ReturnRequest(sale_id=sale.pk, user_id=user_id, idempotency_key=key, request_hash=key,
                                     lines=lines, reason="test", refund_method=method)
    sale_return = services.return_create(request=request)
    with transaction.atomic():
        return services.return_complete(sale_return=SaleReturn.objects.select_for_update().get(pk=sale_return.pk),
                                        stock_move_id=1)


def test_partial_returns_add_up_and_beyond_sold_is_refused():
    sale = make_sale(branch_id=301, user_id=3, lines=[(1, "19.99", 3), (2, "0.99", 7), (3, "5.00", 2)],
                     payments=[("cash", "78.94"), ("card", "11.80")])
    assert sale.total == D("90.74")
    first = _return(sale, 3, [(1, 1)], "r1")
    with pytest.raises(DomainError) as refused:
        services.return_create(request=services.ReturnRequest(
            sale_id=sale.pk, user_id=3, idempotency_key="r-over", request_hash="x", lines=[(1, 3)], reason="",
            refund_method="cash"))
    assert refused.value.get_codes() == "return_exceeds_sold"
    assert refused.value.extra["lines"] == [{"product": 1, "sold": 3, "returned": 1, "requested": 3}]
    with pytest.raises(DomainError):  # a product that was not on the sale
        services.return_create(request=services.ReturnRequest(
            sale_id=sale.pk, user_id=3, idempotency_key="r-other", request_hash="x", lines=[(9, 1)], reason="",
            refund_method="cash"))
    second = _return(sale, 3, [(1, 2), (2, 7)], "r2")
    third = _return(sale, 3, [(3, 2)], "r3", method="card")
    assert first.refund_amount + second.refund_amount + third.refund_amount == sale.total
    assert SaleReturn.objects.filter(sale=sale).count() == 3
    assert sum(ReturnLine.objects.filter(sale_return__sale=sale).values_list("quantity", flat=True)) == 12
    with pytest.raises(DomainError):
        services.return_create(request=services.ReturnRequest(
            sale_id=sale.pk, user_id=3, idempotency_key="r4", request_hash="x", lines=[(2, 1)], reason="",
            refund_method="cash"))


def test_only_completed_sales_take_returns():
    sale = make_sale(branch_id=302, user_id=3, lines=[(1, "1.00", 1)], complete=False)
    with pytest.raises(DomainError) as refused:
        services.return_create(request=services.ReturnRequest(
            sale_id=sale.pk, user_id=3, idempotency_key="rp", request_hash="x", lines=[(1, 1)], reason="",
            refund_method="cash"))
    assert refused.value.status_code == 409


def test_the_users_token_is_kept_while_the_saga_is_pending_and_forgotten_once_settled(client_for, monkeypatch):
    monkeypatch.delenv("EWTTO_INVENTARIO_URL", raising=False)
    draft = dataclasses.replace(sale_draft(branch_id=104, user_id=7, lines=[(1, "1.00", 1)]), acting_token="a.b.c")
    done = services.sale_create(draft=draft).sale
    refused = services.sale_create(draft=dataclasses.replace(draft, idempotency_key="another")).sale
    assert Sale.objects.get(pk=done.pk).acting_token == "a.b.c"
    with transaction.atomic():
        services.sale_complete(sale=Sale.objects.select_for_update().get(pk=done.pk), stock_move_id=1)
        services.sale_reject(sale=Sale.objects.select_for_update().get(pk=refused.pk), rejection={"code": "x"})
    assert set(Sale.objects.filter(pk__in=[done.pk, refused.pk]).values_list("acting_token", flat=True)) == {""}
    # a return asked through the API keeps the returning user's own token until it settles
    client = client_for("cashier", [104], user_id=7)
    answer = client.post(f"/api/sales/{done.pk}/returns/", {"lines": [{"product": 1, "quantity": 1}]},
                         format="json", HTTP_IDEMPOTENCY_KEY="keeps-token")
    assert answer.status_code == 202, answer.content
    pending = SaleReturn.objects.get(pk=answer.json()["id"])
    assert pending.acting_token == client._credentials["HTTP_AUTHORIZATION"].removeprefix("Bearer ")
    with transaction.atomic():
        services.return_complete(sale_return=SaleReturn.objects.select_for_update().get(pk=pending.pk),
                                 stock_move_id=2)
    assert SaleReturn.objects.get(pk=pending.pk).acting_token == ""
