"""Writes on stock counts: open one (the snapshot), enter what was counted, post the differences or cancel."""
from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from catalog.models import Product
from sis_common.errors import DomainError
from stock.ledger import Line, stock_apply
from stock.models import Movement, Stock, StockDocument

from .models import StockCount, StockCountLine

MAX_COUNT_LINES = 20_000  # one count's products: a whole shop's shelves, still one answer of a few MB


@transaction.atomic
def count_create(*, branch_id: int, user_id: int | None, product_ids: list[int] | None = None,
                 category_id: int | None = None) -> StockCount:
    """Open a count of the listed products, or of a category's, or of every product, with the stock now.

    Without a list, a product is counted when it is active or the branch holds some of it.
    A product in another open count of the branch refuses the count (409 count_overlaps):
    posting both would correct the same stock twice.
    """
    ids = sorted(set(product_ids)) if product_ids else _selection(branch_id=branch_id, category_id=category_id)
    if not ids:
        raise DomainError("No product to count.", "empty_count", 400)
    if len(ids) > MAX_COUNT_LINES:
        raise DomainError(f"A count holds at most {MAX_COUNT_LINES} products; count by category.",
                          "count_too_large", 400)
    quantities = dict(Stock.objects.filter(branch_id=branch_id, product_id__in=ids)
                      .values_list("product_id", "quantity"))
    count = StockCount.objects.create(branch_id=branch_id, category_id=category_id, created_by=user_id)
    lines = [StockCountLine(count=count, product_id=pk, expected=quantities.get(pk, 0), open_branch=branch_id)
             for pk in ids]
    try:
        with transaction.atomic():
            StockCountLine.objects.bulk_create(lines, batch_size=2000)
    except IntegrityError:
        others = sorted(set(StockCountLine.objects.filter(open_branch=branch_id, product_id__in=ids)
                            .exclude(count=count).values_list("count_id", flat=True)))
        raise DomainError("Some of these products are in another open count of this branch.", "count_overlaps",
                          409, counts=others) from None
    return count


def _selection(*, branch_id: int, category_id: int | None) -> list[int]:
    held = Stock.objects.filter(branch_id=branch_id, quantity__gt=0).values("product_id")
    products = Product.objects.filter(Q(is_active=True) | Q(pk__in=held))
    if category_id is not None:
        products = products.filter(category_id=category_id)
    return list(products.order_by("pk").values_list("pk", flat=True)[:MAX_COUNT_LINES + 1])


@transaction.atomic
def count_lines_set(*, count_id: int, lines: list[tuple[int, int]]) -> StockCount:
    """Enter what was counted [(product, counted)]; a product counted again keeps its last value.

    Each line also keeps the stock at this moment (the snapshot plus every movement since), which
    posting counts against: what was sold before the counting was not on the shelf, and what is sold
    after it is still taken from the stock.
    """
    count = _locked_open(count_id, "counted")
    products = [product_id for product_id, _ in lines]
    rows = {line.product_id: line for line in StockCountLine.objects.filter(count=count, product_id__in=products)}
    outside = [product_id for product_id in products if product_id not in rows]
    if outside:
        raise DomainError("Some products are not in this count.", "not_in_count", 400, products=outside)
    on_hand = dict(Stock.objects.filter(branch_id=count.branch_id, product_id__in=products)
                   .values_list("product_id", "quantity"))
    now = timezone.now()
    for product_id, counted in lines:
        row = rows[product_id]
        row.counted, row.on_hand_at_count, row.counted_at = counted, on_hand.get(product_id, 0), now
    StockCountLine.objects.bulk_update(list(rows.values()), ["counted", "on_hand_at_count", "counted_at"],
                                       batch_size=500)
    return count


@transaction.atomic
def count_post(*, count_id: int, user_id: int | None) -> StockCount:
    """Post every counted line's difference as one ledger document (kind `count`) and close the count.

    Lines never counted change nothing. A difference that would take the stock below zero
    (more sold after the counting than was counted) refuses the whole posting (409).
    """
    count = _locked_open(count_id, "posted")
    changes = [Line(count.branch_id, line.product_id, line.difference)
               for line in count.lines.filter(counted__isnull=False).order_by("product_id")
               if line.difference]
    if changes:
        count.document = StockDocument.objects.create(kind=StockDocument.Kind.COUNT, branch_id=count.branch_id,
                                                      reference=count.reference, user_id=user_id)
        stock_apply(kind=Movement.Kind.COUNT, lines=changes, reference=count.reference, user_id=user_id,
                    document=count.document)
    count.status, count.posted_at = StockCount.Status.POSTED, timezone.now()
    count.save(update_fields=["status", "posted_at", "document"])
    StockCountLine.objects.filter(count=count).update(open_branch=None)
    return count


@transaction.atomic
def count_cancel(*, count_id: int) -> StockCount:
    """Drop an open count: nothing moves, its products may be counted again."""
    count = _locked_open(count_id, "cancelled")
    count.status, count.cancelled_at = StockCount.Status.CANCELLED, timezone.now()
    count.save(update_fields=["status", "cancelled_at"])
    StockCountLine.objects.filter(count=count).update(open_branch=None)
    return count


def _locked_open(count_id: int, target: str) -> StockCount:
    count = get_object_or_404(StockCount.objects.select_for_update(), pk=count_id)
    if count.status != StockCount.Status.OPEN:
        raise DomainError(f"A {count.status} count cannot be {target}; it must be open.", "invalid_count_status",
                          409, status=count.status)
    return count
