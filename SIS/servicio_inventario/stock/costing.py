"""A product's moving average cost (catalog `Product.cost`): what a receipt's unit costs do to it.

One cost per product, averaged over the quantity on hand at every branch. Receipts of
a product queue on its `ProductCost` row, taken before any stock row, and write the
product row last: a sale holds a stock row and then checks the product row by foreign
key, so a receipt that held the product row while waiting for that stock row would
deadlock with it.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Sum, Value, When
from django.utils import timezone

from catalog.models import Product

from .models import ProductCost, Stock, StockDocument

CENT = Decimal("0.01")
UPDATE_CHUNK = 1000


def average_cost(*, on_hand: int, cost: Decimal, quantity: int, unit_cost: Decimal) -> Decimal:
    """The cost after `quantity` units at `unit_cost` join `on_hand` units at `cost`, to the cent (half up).

    Nothing on hand: the new units' cost, whatever the old one was.
    """
    if on_hand <= 0:
        return unit_cost.quantize(CENT, ROUND_HALF_UP)
    total = on_hand * cost + quantity * unit_cost
    return (total / (on_hand + quantity)).quantize(CENT, ROUND_HALF_UP)


def costs_lock(*, product_ids: list[int]) -> None:
    """Wait for any other receipt of these products to finish: their cost rows, locked in product order.

    One INSERT … ON DUPLICATE KEY UPDATE creates a missing row and exclusively locks an existing
    one: a read first and then a lock (or an insert that ignores the conflict, which share-locks
    the row) lets two receipts hold the row shared and then deadlock wanting it exclusively.
    """
    now = timezone.now()
    ProductCost.objects.bulk_create([ProductCost(product_id=pk, updated_at=now) for pk in sorted(set(product_ids))],
                                    batch_size=UPDATE_CHUNK,
                                    update_conflicts=True, update_fields=["updated_at"])


def costs_before(*, product_ids: list[int]) -> dict[int, tuple[int, Decimal]]:
    """(quantity on hand at every branch, cost) of each product, read after `costs_lock`."""
    on_hand = dict(Stock.objects.filter(product_id__in=product_ids).order_by().values("product_id")
                   .annotate(total=Sum("quantity")).values_list("product_id", "total"))
    costs = dict(Product.objects.filter(pk__in=product_ids).values_list("pk", "cost"))
    return {pk: (int(on_hand.get(pk) or 0), costs[pk]) for pk in product_ids}


def costs_receive(*, document: StockDocument, before: dict[int, tuple[int, Decimal]],
                  lines: list[tuple[int, int, Decimal]]) -> dict[int, Decimal]:
    """Set each product's cost after its received line [(product, quantity, unit_cost)]; the new costs."""
    new = {}
    for product_id, quantity, unit_cost in lines:
        on_hand, cost = before[product_id]
        new[product_id] = average_cost(on_hand=on_hand, cost=cost, quantity=quantity, unit_cost=unit_cost)
    items = list(new.items())
    # a CASE of a thousand branches per UPDATE: each row is matched against every branch, so an import's
    # ten thousand lines in one statement would cost a hundred times more
    for start in range(0, len(items), UPDATE_CHUNK):
        part = items[start:start + UPDATE_CHUNK]
        Product.objects.filter(pk__in=[pk for pk, _ in part]).update(
            cost=Case(*[When(pk=pk, then=Value(cost)) for pk, cost in part]))
        ProductCost.objects.filter(pk__in=[pk for pk, _ in part]).update(last_document=document,
                                                                         updated_at=timezone.now())
    return new
