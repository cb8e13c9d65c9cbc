"""Reads for reports: a day or a range of days, from the daily aggregates (on the replica)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Max, QuerySet, Sum

from sales.pricing import METHODS
from sis_common.bounds import money_text

from .models import DailyBranchTotals, DailyCashierTotals, DailyProductTotals

TOP_PRODUCTS = 10
ZERO = Decimal("0.00")
# the columns summed: one per payment method (cash, card…) and one refund_<method> per method
MONEY_SUMS = ("subtotal", "tax", "total", "discount_total", *METHODS, "returns_total",
              *(f"refund_{m}" for m in METHODS))
CASHIER_SUMS = ("total", "discount_total", *METHODS, "returns_total")


def _scoped(qs: QuerySet, *, branches: frozenset[int] | None, branch: int | None) -> QuerySet:
    if branches is not None:
        qs = qs.filter(branch_id__in=branches)
    if branch is not None:
        qs = qs.filter(branch_id=branch)
    return qs


def _money(value) -> str:
    return money_text(value or ZERO)


def _totals(sums: dict) -> dict:
    total, returns_total = sums.get("total") or ZERO, sums.get("returns_total") or ZERO
    return {
        "sales_count": sums.get("sales_count") or 0,
        "subtotal": _money(sums.get("subtotal")),
        "tax": _money(sums.get("tax")),
        "total": _money(total),
        "discount_total": _money(sums.get("discount_total")),
        "by_payment_method": {m: _money(sums.get(m)) for m in METHODS},
        "returns_count": sums.get("returns_count") or 0,
        "returns_total": _money(returns_total),
        "refunds_by_payment_method": {m: _money(sums.get(f"refund_{m}")) for m in METHODS},
        "net_total": _money(total - returns_total),
    }


def daily_report(*, day: date, branch: int | None, branches: frozenset[int] | None) -> dict:
    """Completed sales of one day at a branch (or every branch the caller sees), with top products."""
    rows = _scoped(DailyBranchTotals.objects.filter(date=day), branches=branches, branch=branch)
    sums = rows.aggregate(sales_count=Sum("sales_count"), returns_count=Sum("returns_count"),
                          **{name: Sum(name) for name in MONEY_SUMS})
    return {
        "branch": branch, "date": day.isoformat(), **_totals(sums),
        "top_products": [{"product": p["product_id"], "name": p["name"], "quantity": p["q"],
                          "total": _money(p["t"])} for p in _top_products(day, branch=branch, branches=branches)],
    }


def _top_products(day: date, *, branch: int | None, branches: frozenset[int] | None) -> list[dict]:
    """The day's best sellers by quantity (then total, then id), over the branches asked and visible."""
    rows = _scoped(DailyProductTotals.objects.filter(date=day, quantity__gt=0), branches=branches, branch=branch)
    one = branch if branch is not None else (next(iter(branches)) if branches is not None and len(branches) == 1
                                             else None)
    if one is not None:
        # one branch has one row per product: the report's order is an index's order (daily_product_top)
        single = rows.order_by("-quantity", "-total", "product_id").values("product_id", "name", "quantity", "total")
        return [{"product_id": r["product_id"], "name": r["name"], "q": r["quantity"], "t": r["total"]}
                for r in single[:TOP_PRODUCTS]]
    # several branches: summed per product from a covering index, names only for the ten kept
    top = list(rows.values("product_id").annotate(q=Sum("quantity"), t=Sum("total"))
               .order_by("-q", "-t", "product_id")[:TOP_PRODUCTS])
    names = dict(rows.filter(product_id__in=[p["product_id"] for p in top]).values("product_id")
                 .annotate(name=Max("name")).values_list("product_id", "name"))
    return [{**p, "name": names.get(p["product_id"], "")} for p in top]


def range_report(*, date_from: date, date_to: date, group_by: str, branch: int | None,
                 branches: frozenset[int] | None) -> list[dict]:
    """Per branch or per cashier (at each branch) totals over a range of days."""
    if group_by == "cashier":
        rows = DailyCashierTotals.objects.filter(date__range=(date_from, date_to))
        keys, sums = ("branch_id", "user_id"), CASHIER_SUMS
    else:
        rows = DailyBranchTotals.objects.filter(date__range=(date_from, date_to))
        keys, sums = ("branch_id",), MONEY_SUMS
    grouped = (_scoped(rows, branches=branches, branch=branch).values(*keys)
               .annotate(sales_count=Sum("sales_count"), returns_count=Sum("returns_count"),
                         **{name: Sum(name) for name in sums})
               .order_by(*keys))
    out = []
    for row in grouped:
        totals = _range_totals(row, group_by)
        if group_by == "cashier":
            out.append({"branch": row["branch_id"], "cashier": row["user_id"], **totals})
        else:
            out.append({"branch": row["branch_id"], **totals})
    return out


def _range_totals(row: dict, group_by: str) -> dict:
    totals = _totals(row)
    if group_by == "cashier":
        return {k: v for k, v in totals.items() if k not in ("subtotal", "tax", "refunds_by_payment_method")}
    return totals


def range_row_shape(group_by: str) -> dict:
    """The totals of a range row with every key it has and zero amounts (an export's columns)."""
    return _range_totals({}, group_by)
