"""The product report: per product, completed sales less completed returns over a range of business days.

Read from the sale lines themselves (not the daily aggregates): the net, tax and cost
of each line are what it was sold at. A line's cost is its quantity times the unit cost
inventory had when it was sold; a product with any line sold before inventory said its
cost has `cost` and `margin` null rather than a margin that is too high.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Max, OuterRef, Q, Subquery, Sum

from sales.models import ReturnLine, SagaStatus, SaleLine
from sis_common.bounds import money_text

ZERO = Decimal("0.00")
COLUMNS = ("product", "sku", "name", "quantity", "net", "tax", "total", "cost", "margin")
MONEY_COLUMNS = ("net", "tax", "total", "cost", "margin")
_LINE_COST = ExpressionWrapper(F("quantity") * F("unit_cost"), output_field=DecimalField(max_digits=20, decimal_places=2))


def _scope(qs, prefix: str, *, branch: int | None, branches: frozenset[int] | None):
    if branches is not None:
        qs = qs.filter(**{f"{prefix}__branch_id__in": branches})
    if branch is not None:
        qs = qs.filter(**{f"{prefix}__branch_id": branch})
    return qs


def _sold(*, date_from: date, date_to: date, branch, branches, category) -> dict[int, dict]:
    lines = SaleLine.objects.filter(sale__status=SagaStatus.COMPLETED, sale__business_date__range=(date_from, date_to))
    lines = _scope(lines, "sale", branch=branch, branches=branches)
    if category is not None:
        lines = lines.filter(category_id=category)
    rows = (lines.values("product_id")
            .annotate(quantity_=Sum("quantity"), net_=Sum("net"), tax_=Sum("tax"), total_=Sum("total"),
                      cost_=Sum(_LINE_COST), uncosted=Count("pk", filter=Q(unit_cost__isnull=True)),
                      sku_=Max("sku"), name_=Max("name"))
            .order_by("product_id"))
    return {r["product_id"]: r for r in rows}


def _returned(*, date_from: date, date_to: date, branch, branches, category) -> dict[int, dict]:
    sold_line = SaleLine.objects.filter(sale=OuterRef("sale_return__sale"), product_id=OuterRef("product_id"))
    lines = (ReturnLine.objects.filter(sale_return__status=SagaStatus.COMPLETED,
                                       sale_return__business_date__range=(date_from, date_to))
             .annotate(unit_cost=Subquery(sold_line.values("unit_cost")[:1]),
                       category_id=Subquery(sold_line.values("category_id")[:1])))
    lines = _scope(lines, "sale_return", branch=branch, branches=branches)
    if category is not None:
        lines = lines.filter(category_id=category)
    out: dict[int, dict] = {}
    for line in lines.values("product_id", "quantity", "net", "tax", "total", "unit_cost"):
        row = out.setdefault(line["product_id"], {"quantity": 0, "net": ZERO, "tax": ZERO, "total": ZERO,
                                                  "cost": ZERO, "uncosted": 0})
        for key in ("quantity", "net", "tax", "total"):
            row[key] += line[key]
        if line["unit_cost"] is None:
            row["uncosted"] += 1
        else:
            row["cost"] += line["quantity"] * line["unit_cost"]
    return out


def product_report(*, date_from: date, date_to: date, branch: int | None, branches: frozenset[int] | None,
                   category: int | None) -> Iterator[dict]:
    """Rows `{product, sku, name, quantity, net, tax, total, cost, margin}` in product order.

    A product only returned in the range (sold before it) has a row too, its amounts negative,
    and its sku and name empty.
    """
    scope = {"date_from": date_from, "date_to": date_to, "branch": branch, "branches": branches,
             "category": category}
    sold, returned = _sold(**scope), _returned(**scope)
    for product in sorted(sold.keys() | returned.keys()):
        s = sold.get(product, {})
        r = returned.get(product, {"quantity": 0, "net": ZERO, "tax": ZERO, "total": ZERO, "cost": ZERO,
                                   "uncosted": 0})
        net = (s.get("net_") or ZERO) - r["net"]
        known = not s.get("uncosted") and not r["uncosted"]
        cost = (s.get("cost_") or ZERO) - r["cost"] if known else None
        yield {
            "product": product, "sku": s.get("sku_") or "", "name": s.get("name_") or "",
            "quantity": (s.get("quantity_") or 0) - r["quantity"],
            "net": money_text(net), "tax": money_text((s.get("tax_") or ZERO) - r["tax"]),
            "total": money_text((s.get("total_") or ZERO) - r["total"]),
            "cost": None if cost is None else money_text(cost),
            "margin": None if cost is None else money_text(net - cost),
        }
