"""Writes on the daily aggregates: called inside the transaction that completes a sale or a return."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection, transaction

from .models import DailyBranchTotals, DailyCashierTotals, DailyProductTotals


@dataclass(frozen=True)
class LineAmount:
    product_id: int
    name: str
    quantity: int
    total: Decimal


def _upsert(model, keys: dict, adds: dict, sets: dict | None = None) -> None:
    """INSERT … ON DUPLICATE KEY UPDATE col = col + VALUES(col): atomic without a read first."""
    sets = sets or {}
    columns = [*keys, *adds, *sets]
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = [connection.ops.quote_name(c) for c in columns]
    updates = [f"{connection.ops.quote_name(c)} = {connection.ops.quote_name(c)} + VALUES({connection.ops.quote_name(c)})"
               for c in adds]
    updates += [f"{connection.ops.quote_name(c)} = VALUES({connection.ops.quote_name(c)})" for c in sets]
    sql = (f"INSERT INTO {table} ({', '.join(quoted)}) VALUES ({', '.join(['%s'] * len(columns))}) "
           f"ON DUPLICATE KEY UPDATE {', '.join(updates)}")
    with connection.cursor() as cur:
        cur.execute(sql, [*keys.values(), *adds.values(), *sets.values()])


@transaction.atomic
def daily_totals_add_sale(*, branch_id: int, day: date, user_id: int, subtotal: Decimal, tax: Decimal,
                          total: Decimal, applied: dict[str, Decimal], lines: list[LineAmount]) -> None:
    # rows are always touched in this order (branch, products by id, cashier) so that
    # concurrent completions at one branch queue up instead of deadlocking
    _upsert(DailyBranchTotals, {"branch_id": branch_id, "date": day},
            {"sales_count": 1, "subtotal": subtotal, "tax": tax, "total": total, **applied})
    for line in sorted(lines, key=lambda x: x.product_id):
        _upsert(DailyProductTotals, {"branch_id": branch_id, "date": day, "product_id": line.product_id},
                {"quantity": line.quantity, "total": line.total}, {"name": line.name})
    _upsert(DailyCashierTotals, {"branch_id": branch_id, "date": day, "user_id": user_id},
            {"sales_count": 1, "total": total, **applied})


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
