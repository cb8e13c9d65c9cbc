"""The one way stock changes: lock the rows, refuse any shortage, change with F(), append the ledger.

Every caller (movements, transfers, document moves) goes through `stock_apply`
inside its transaction, so for every (branch, product) the ledger sums to the
stock quantity and the quantity never goes below zero.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from sis_common.errors import DomainError

from .models import Movement, StockDocument, Stock, Transfer

Pair = tuple[int, int]  # (branch_id, product_id)


@dataclass(frozen=True)
class Line:
    branch_id: int
    product_id: int
    quantity: int  # signed change


def insufficient_stock(short: list[dict]) -> DomainError:
    return DomainError("Not enough stock for every line.", "insufficient_stock", 409, lines=short)


# Joins its caller's transaction without a savepoint of its own (two round trips saved per call):
# every caller is a service whose own atomic block undoes a refusal, so the caller's transaction
# stays usable after one.
@transaction.atomic(savepoint=False)
def stock_apply(*, kind: str, lines: list[Line], reference: str = "", user_id: int | None = None,
                note: str = "", transfer: Transfer | None = None,
                document: StockDocument | None = None) -> list[Movement]:
    """Apply every line or none; 409 insufficient_stock naming each short line.

    All lines of one call change stock the same way (all in or all out), which
    is what every document does; a shortage is then simply "takes > quantity".
    """
    if not lines or any(line.quantity == 0 for line in lines):
        raise ValueError("stock_apply needs lines with non-zero quantities")
    taking = lines[0].quantity < 0
    if any((line.quantity < 0) != taking for line in lines):
        raise ValueError("stock_apply lines must all add or all take")
    pairs = sorted({(line.branch_id, line.product_id) for line in lines})
    if not taking:
        _create_missing_rows(pairs)
    rows = _lock_rows(pairs)
    if taking:
        _refuse_shortages(lines, rows)
    balances = {pair: row.quantity for pair, row in rows.items()}
    now = timezone.now()
    movements = []
    for line in lines:
        pair = (line.branch_id, line.product_id)
        balances[pair] += line.quantity
        movements.append(Movement(
            branch_id=line.branch_id, product_id=line.product_id, kind=kind, quantity=line.quantity,
            balance_after=balances[pair], reference=reference, note=note, user_id=user_id,
            transfer=transfer, document=document, created_at=now,
        ))
    # one UPDATE for every row: each quantity changes by its own delta, relative to itself (F())
    deltas = [(row.pk, balances[pair] - row.quantity) for pair, row in rows.items()]
    Stock.objects.filter(pk__in=[pk for pk, _ in deltas]).update(
        quantity=F("quantity") + Case(*[When(pk=pk, then=Value(delta)) for pk, delta in deltas]), updated_at=now)
    return Movement.objects.bulk_create(movements)


def _pairs_filter(pairs: list[Pair]) -> Q:
    by_branch: dict[int, list[int]] = defaultdict(list)
    for branch_id, product_id in pairs:
        by_branch[branch_id].append(product_id)
    return reduce(or_, (Q(branch_id=b, product_id__in=products) for b, products in by_branch.items()))


def _create_missing_rows(pairs: list[Pair]) -> None:
    """Rows for pairs that never had stock; only adding calls create them (a take from nothing is short)."""
    existing = set(Stock.objects.filter(_pairs_filter(pairs)).values_list("branch_id", "product_id"))
    missing = [Stock(branch_id=b, product_id=p) for b, p in pairs if (b, p) not in existing]
    if missing:
        # a concurrent first receipt of the same pair may win the insert; its row is then used
        Stock.objects.bulk_create(missing, ignore_conflicts=True)


def _lock_rows(pairs: list[Pair]) -> dict[Pair, Stock]:
    """Lock the rows in primary-key order (a range scan of the primary key), so lockers never deadlock."""
    ids = sorted(Stock.objects.filter(_pairs_filter(pairs)).values_list("pk", flat=True))
    locked = Stock.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    return {(row.branch_id, row.product_id): row for row in locked}


def _refuse_shortages(lines: list[Line], rows: dict[Pair, Stock]) -> None:
    requested: dict[Pair, int] = defaultdict(int)
    for line in lines:
        requested[(line.branch_id, line.product_id)] -= line.quantity
    short = []
    for (branch_id, product_id), wanted in requested.items():
        available = rows[(branch_id, product_id)].quantity if (branch_id, product_id) in rows else 0
        if wanted > available:
            short.append({"branch": branch_id, "product": product_id, "requested": wanted, "available": available})
    if short:
        raise insufficient_stock(short)
