"""Writes on the daily aggregates: called inside the transaction that completes a sale or a return."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connection, transaction

from sales.pricing import METHODS

from .models import DailyBranchTotals, DailyCashierTotals, DailyProductTotals

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class LineAmount:
    product_id: int
    name: str
    quantity: int
    total: Decimal


def _upsert(model, keys: dict, adds: dict, sets: dict | None = None) -> None:
    """INSERT … ON DUPLICATE KEY UPDATE col = col + VALUES(col): atomic without a read first."""
    _upsert_rows(model, [(keys, adds, sets or {})])


def _upsert_rows(model, rows: list[tuple[dict, dict, dict]]) -> None:
    """The same upsert for many rows of one shape (same key, added and set columns) in one statement."""
    if not rows:
        return
    keys, adds, sets = rows[0]
    quote = connection.ops.quote_name
    columns = [*keys, *adds, *sets]
    updates = [f"{quote(c)} = {quote(c)} + VALUES({quote(c)})" for c in adds]
    updates += [f"{quote(c)} = VALUES({quote(c)})" for c in sets]
    placeholders = f"({', '.join(['%s'] * len(columns))})"
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES {', '.join([placeholders] * len(rows))} ON DUPLICATE KEY UPDATE {', '.join(updates)}")
    with connection.cursor() as cur:
        cur.execute(sql, [v for k, a, s in rows for v in (*k.values(), *a.values(), *s.values())])


# no savepoint of its own: it runs inside a completion, whose caller never catches its errors and goes on
@transaction.atomic(savepoint=False)
def daily_totals_add_sale(*, branch_id: int, day: date, user_id: int, subtotal: Decimal, tax: Decimal,
                          total: Decimal, applied: dict[str, Decimal], lines: list[LineAmount],
                          discount: Decimal = ZERO) -> None:
    # rows are always touched in this order (branch, products by id, cashier) so that
    # concurrent completions at one branch queue up instead of deadlocking; the products in one statement
    _upsert(DailyBranchTotals, {"branch_id": branch_id, "date": day},
            {"sales_count": 1, "subtotal": subtotal, "tax": tax, "total": total, "discount_total": discount,
             **applied})
    _upsert_rows(DailyProductTotals, [
        ({"branch_id": branch_id, "date": day, "product_id": line.product_id},
         {"quantity": line.quantity, "total": line.total}, {"name": line.name})
        for line in sorted(lines, key=lambda x: x.product_id)
    ])
    _upsert(DailyCashierTotals, {"branch_id": branch_id, "date": day, "user_id": user_id},
            {"sales_count": 1, "total": total, "discount_total": discount, **applied})


@transaction.atomic
def daily_totals_add_return(*, branch_id: int, day: date, user_id: int, refund_method: str, amount: Decimal,
                            lines: list[LineAmount]) -> None:
    _upsert(DailyBranchTotals, {"branch_id": branch_id, "date": day},
            {"returns_count": 1, "returns_total": amount, f"refund_{refund_method}": amount})
    for line in sorted(lines, key=lambda x: x.product_id):
        _upsert(DailyProductTotals, {"branch_id": branch_id, "date": day, "product_id": line.product_id},
                {"returned_quantity": line.quantity, "returned_total": line.total}, {"name": line.name})
    _upsert(DailyCashierTotals, {"branch_id": branch_id, "date": day, "user_id": user_id},
            {"returns_count": 1, "returns_total": amount})


@dataclass(frozen=True)
class CompletedSale:
    """What daily_totals_add_sale is given for one completed sale."""

    branch_id: int
    day: date
    user_id: int
    subtotal: Decimal
    tax: Decimal
    total: Decimal
    applied: dict[str, Decimal]
    lines: list[LineAmount] = field(default_factory=list)
    discount: Decimal = ZERO


def _added(target: dict, adds: dict) -> None:
    for name, value in adds.items():
        target[name] = target.get(name, 0) + value


@transaction.atomic
def daily_totals_add_sales(*, sales: list[CompletedSale], chunk: int = 500) -> None:
    """The bulk form of daily_totals_add_sale: the same sums for many completed sales (seeding, imports).

    Adds up in memory first, then one upsert per table and chunk of rows, in
    the same row order as single completions take (branch, products by id, cashier).
    """
    branches: dict[tuple, dict] = defaultdict(dict)
    products: dict[tuple, dict] = defaultdict(dict)
    names: dict[tuple, str] = {}
    cashiers: dict[tuple, dict] = defaultdict(dict)
    for sale in sales:
        _added(branches[(sale.branch_id, sale.day)],
               {"sales_count": 1, "subtotal": sale.subtotal, "tax": sale.tax, "total": sale.total,
                "discount_total": sale.discount, **sale.applied})
        for line in sale.lines:
            key = (sale.branch_id, sale.day, line.product_id)
            _added(products[key], {"quantity": line.quantity, "total": line.total})
            names[key] = line.name
        _added(cashiers[(sale.branch_id, sale.day, sale.user_id)],
               {"sales_count": 1, "total": sale.total, "discount_total": sale.discount, **sale.applied})
    money = ("subtotal", "tax", "total", "discount_total", *METHODS)
    _upsert_chunks(DailyBranchTotals, [
        ({"branch_id": b, "date": d}, {"sales_count": v["sales_count"], **{m: v.get(m, 0) for m in money}}, {})
        for (b, d), v in sorted(branches.items())], chunk)
    _upsert_chunks(DailyProductTotals, [
        ({"branch_id": b, "date": d, "product_id": p}, v, {"name": names[(b, d, p)]})
        for (b, d, p), v in sorted(products.items())], chunk)
    _upsert_chunks(DailyCashierTotals, [
        ({"branch_id": b, "date": d, "user_id": u},
         {"sales_count": v["sales_count"], **{m: v.get(m, 0) for m in ("total", "discount_total", *METHODS)}}, {})
        for (b, d, u), v in sorted(cashiers.items())], chunk)


def _upsert_chunks(model, rows: list[tuple[dict, dict, dict]], chunk: int) -> None:
    for start in range(0, len(rows), chunk):
        _upsert_rows(model, rows[start:start + chunk])
