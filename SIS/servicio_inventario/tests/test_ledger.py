"""The stock rules at the service layer: never below zero, all lines or none, an append-only ledger."""
import pytest
from django.db import transaction

from sis_common.errors import DomainError
from stock import services
from stock.ledger import Line, stock_apply
from stock.models import Movement, Stock, Transfer

pytestmark = pytest.mark.django_db
SRC, DST = 101, 102


def quantity(branch, product) -> int:
    row = Stock.objects.filter(branch_id=branch, product=product).first()
    return row.quantity if row else 0


def test_receipt_and_adjustments_write_ledger_rows_with_balance(make_product, ledger_consistent):
    product = make_product()
    first = services.movement_create(branch_id=SRC, product_id=product.pk, kind="receipt", quantity=10,
                                     user_id=7, note="proveedor", reference="FAC-1")
    second = services.movement_create(branch_id=SRC, product_id=product.pk, kind="adjustment", quantity=-3,
                                      user_id=7)
    assert (first.quantity, first.balance_after, first.user_id, first.reference) == (10, 10, 7, "FAC-1")
    assert (second.quantity, second.balance_after) == (-3, 7)
    assert quantity(SRC, product) == 7
    ledger_consistent()


def test_adjustment_below_zero_is_409_naming_the_line(make_product, receive):
    product = make_product()
    receive(SRC, product.pk, 2)
    with pytest.raises(DomainError) as refused:
        services.movement_create(branch_id=SRC, product_id=product.pk, kind="adjustment", quantity=-3, user_id=1)
    assert refused.value.status_code == 409
    assert refused.value.get_codes() == "insufficient_stock"
    assert refused.value.extra["lines"] == [{"branch": SRC, "product": product.pk, "requested": 3, "available": 2}]
    assert quantity(SRC, product) == 2
    assert Movement.objects.filter(product=product).count() == 1


def test_document_move_is_all_lines_or_none(make_product, receive, ledger_consistent):
    plenty, scarce, absent = make_product(), make_product(), make_product()
    receive(SRC, plenty.pk, 10)
    receive(SRC, scarce.pk, 1)
    with pytest.raises(DomainError) as refused:
        services.document_move_create(kind="sale", branch_id=SRC, reference="SUC-000001", user_id=3,
                                      lines=[(plenty.pk, 2), (scarce.pk, 2), (absent.pk, 1)])
    assert refused.value.extra["lines"] == [
        {"branch": SRC, "product": scarce.pk, "requested": 2, "available": 1},
        {"branch": SRC, "product": absent.pk, "requested": 1, "available": 0},
    ]
    assert (quantity(SRC, plenty), quantity(SRC, scarce)) == (10, 1)
    document = services.document_move_create(kind="sale", branch_id=SRC, reference="SUC-000002", user_id=3,
                                             lines=[(plenty.pk, 2), (scarce.pk, 1)])
    assert [(m.kind, m.quantity, m.balance_after) for m in document.movements.order_by("id")] == [
        ("sale", -2, 8), ("sale", -1, 0)]
    services.document_move_create(kind="return", branch_id=SRC, reference="SUC-000002", user_id=3,
                                  lines=[(scarce.pk, 1)])
    assert quantity(SRC, scarce) == 1
    ledger_consistent()


def test_repeated_product_in_a_sale_counts_both_lines(make_product, receive, ledger_consistent):
    product = make_product()
    receive(SRC, product.pk, 5)
    with pytest.raises(DomainError) as refused:
        services.document_move_create(kind="sale", branch_id=SRC, reference="R-1", user_id=None,
                                      lines=[(product.pk, 3), (product.pk, 3)])
    assert refused.value.extra["lines"][0]["requested"] == 6
    document = services.document_move_create(kind="sale", branch_id=SRC, reference="R-2", user_id=None,
                                             lines=[(product.pk, 3), (product.pk, 2)])
    assert [m.balance_after for m in document.movements.order_by("id")] == [2, 0]
    ledger_consistent()


def test_transfer_dispatch_fails_cleanly_when_source_lacks_stock(make_product, receive):
    a, b = make_product(), make_product()
    receive(SRC, a.pk, 5)
    transfer = services.transfer_create(from_branch=SRC, to_branch=DST, lines=[(a.pk, 3), (b.pk, 1)], user_id=1)
    with pytest.raises(DomainError) as refused:
        services.transfer_dispatch(transfer_id=transfer.pk, user_id=1)
    assert refused.value.status_code == 409
    assert refused.value.extra["lines"] == [{"branch": SRC, "product": b.pk, "requested": 1, "available": 0}]
    transfer.refresh_from_db(using="default")
    assert transfer.status == Transfer.Status.DRAFT
    assert quantity(SRC, a) == 5
    assert not Movement.objects.filter(transfer=transfer).exists()


def test_transfer_dispatch_then_receive_shows_both_legs(make_product, receive, ledger_consistent):
    product = make_product()
    receive(SRC, product.pk, 8)
    transfer = services.transfer_create(from_branch=SRC, to_branch=DST, lines=[(product.pk, 3)], user_id=1)
    services.transfer_dispatch(transfer_id=transfer.pk, user_id=1)
    assert (quantity(SRC, product), quantity(DST, product)) == (5, 0)  # in transit
    received = services.transfer_receive(transfer_id=transfer.pk, user_id=2)
    assert received.status == Transfer.Status.RECEIVED
    assert (quantity(SRC, product), quantity(DST, product)) == (5, 3)
    legs = list(Movement.objects.filter(transfer=transfer).order_by("id")
                .values_list("kind", "branch_id", "quantity", "balance_after", "reference"))
    assert legs == [("transfer_out", SRC, -3, 5, f"TR-{transfer.pk}"), ("transfer_in", DST, 3, 3, f"TR-{transfer.pk}")]
    ledger_consistent()


def test_transfer_status_rules(make_product, receive):
    product = make_product()
    receive(SRC, product.pk, 4)
    draft = services.transfer_create(from_branch=SRC, to_branch=DST, lines=[(product.pk, 1)], user_id=1)
    with pytest.raises(DomainError) as not_yet:
        services.transfer_receive(transfer_id=draft.pk, user_id=1)
    assert not_yet.value.status_code == 409
    services.transfer_dispatch(transfer_id=draft.pk, user_id=1)
    with pytest.raises(DomainError) as late:
        services.transfer_cancel(transfer_id=draft.pk)
    assert late.value.status_code == 409 and late.value.get_codes() == "invalid_transfer_status"
    with pytest.raises(DomainError):
        services.transfer_dispatch(transfer_id=draft.pk, user_id=1)  # twice would take the stock twice
    assert quantity(SRC, product) == 3
    other = services.transfer_create(from_branch=SRC, to_branch=DST, lines=[(product.pk, 1)], user_id=1)
    assert services.transfer_cancel(transfer_id=other.pk).status == Transfer.Status.CANCELLED
    with pytest.raises(DomainError):
        services.transfer_dispatch(transfer_id=other.pk, user_id=1)
    assert quantity(SRC, product) == 3


def test_transfer_between_one_branch_is_refused(make_product):
    with pytest.raises(DomainError) as refused:
        services.transfer_create(from_branch=SRC, to_branch=SRC, lines=[(make_product().pk, 1)], user_id=1)
    assert "to_branch" in refused.value.extra


def test_ledger_rows_are_never_changed_or_deleted(make_product, receive):
    (movement,) = receive(SRC, make_product().pk, 3)
    movement.quantity = 300
    with pytest.raises(TypeError):
        movement.save()
    with pytest.raises(TypeError):
        movement.delete()
    with pytest.raises(TypeError):
        Movement.objects.filter(pk=movement.pk).update(quantity=300)
    with pytest.raises(TypeError):
        Movement.objects.filter(pk=movement.pk).delete()
    assert Movement.objects.get(pk=movement.pk).quantity == 3


def test_stock_apply_refuses_zero_lines(make_product):
    product = make_product()
    with pytest.raises(ValueError):
        stock_apply(kind="adjustment", lines=[Line(SRC, product.pk, 0)])


def test_one_call_may_add_and_take_and_is_short_by_its_takes(make_product, receive, ledger_consistent):
    found, gone = make_product(), make_product()
    receive(SRC, gone.pk, 2)
    with pytest.raises(DomainError) as refused, transaction.atomic():
        stock_apply(kind="adjustment", lines=[Line(SRC, found.pk, 4), Line(SRC, gone.pk, -3)])
    assert refused.value.extra["lines"] == [{"branch": SRC, "product": gone.pk, "requested": 3, "available": 2}]
    assert quantity(SRC, found) == 0 and quantity(SRC, gone) == 2
    moved = stock_apply(kind="adjustment", lines=[Line(SRC, found.pk, 4), Line(SRC, gone.pk, -2)])
    assert [(m.product_id, m.quantity, m.balance_after) for m in moved] == [(found.pk, 4, 4), (gone.pk, -2, 0)]
    ledger_consistent()


def test_minimum_sets_low_flag(make_product, receive):
    product = make_product()
    receive(SRC, product.pk, 5)
    row = services.stock_levels_set(branch_id=SRC, product_id=product.pk, min_quantity=5)
    assert row.is_low is True
    receive(SRC, product.pk, 1)
    assert Stock.objects.get(pk=row.pk).is_low is False
    fresh = services.stock_levels_set(branch_id=DST, product_id=product.pk, min_quantity=2)
    assert (fresh.quantity, fresh.min_quantity, fresh.is_low) == (0, 2, True)
