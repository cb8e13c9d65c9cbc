"""Reads of the valuation report: stock summed per product over the branches asked, at `Product.cost`."""
from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, QuerySet, Sum

from sis_common.bounds import money_text
from stock.models import Stock

ZERO = Decimal("0.00")
COLUMNS = ("product", "quantity", "unit_cost", "value")
_VALUE = ExpressionWrapper(F("quantity") * F("product__cost"), output_field=DecimalField(max_digits=30, decimal_places=2))


def _stock(*, branch: int | None, branches: frozenset[int] | None) -> QuerySet:
    rows = Stock.objects.filter(quantity__gt=0)
    if branches is not None:
        rows = rows.filter(branch_id__in=branches)
    if branch is not None:
        rows = rows.filter(branch_id=branch)
    return rows


def valuation_lines(*, branch: int | None, branches: frozenset[int] | None) -> Iterator[dict]:
    """`{product, quantity, unit_cost, value}` per product in stock, in product order, read lazily."""
    rows = (_stock(branch=branch, branches=branches).values("product_id")
            .annotate(quantity_=Sum("quantity"), unit_cost_=F("product__cost")).order_by("product_id"))
    for row in rows.iterator(chunk_size=2000):
        yield {"product": row["product_id"], "quantity": row["quantity_"], "unit_cost": money_text(row["unit_cost_"]),
               "value": money_text(row["quantity_"] * row["unit_cost_"])}


def valuation_total(*, branch: int | None, branches: frozenset[int] | None) -> str:
    """The sum of the lines' values (each quantity × cost is exact to the cent, so the sum is too)."""
    return money_text(_stock(branch=branch, branches=branches).aggregate(total=Sum(_VALUE))["total"] or ZERO)
