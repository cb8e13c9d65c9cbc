"""The one way stock changes: lock the rows, refuse any shortage, change with F(), append the ledger.

Every caller (movements, transfers, document moves) goes through `stock_apply`
inside its transaction, and bulk loads (bin/seed-data) through `stock_apply_bulk`,
so for every (branch, product) the ledger sums to the stock quantity and the
quantity never goes below zero.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from sis_common.errors import DomainError

from .models import Movement, StockDocument, Stock, Transfer

Pair = tuple[int, int]  # (branch_id, product_id)
UPDATE_CHUNK = 1000  # rows per UPDATE … CASE, so a bulk load's statement stays a few hundred kB
BULK_SHORT_SHOWN = 20  # short lines a bulk refusal names: enough to see why, not thousands


@dataclass(frozen=True)
class Line:
    branch_id: int
    product_id: int
    quantity: int  # signed change


@dataclass(frozen=True)
class Move:
    """The lines of one document (a sale, a receipt…): applied whole or refused whole."""

    lines: list[Line]
    reference: str = ""
    user_id: int | None = None
    note: str = ""
    transfer: Transfer | None = None
    document: StockDocument | None = None
    created_at: datetime | None = None  # now, unless the move is dated (seeded history)


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

    Lines may add and take in one call (an adjustment, a count); a pair is short
    when, line by line, what it holds would go below zero.
    """
    move = Move(lines=lines, reference=reference, user_id=user_id, note=note, transfer=transfer, document=document)
    movements, short = _apply(kind, [move])
    if short:
        raise insufficient_stock(short)
    return movements


@transaction.atomic(savepoint=False)
def stock_apply_bulk(*, kind: str, moves: list[Move]) -> list[Movement]:
    """`stock_apply` for many documents at once: every move or none, one lock and one ledger insert for all.

    Moves are checked in order, each against what the moves before it left, so a
    refusal (409 insufficient_stock, the first short lines) names the move that
    found too little.
    """
    movements, short = _apply(kind, moves)
    if short:
        raise insufficient_stock(short[:BULK_SHORT_SHOWN])
    return movements


def _apply(kind: str, moves: list[Move]) -> tuple[list[Movement], list[dict]]:
    lines = [line for move in moves for line in move.lines]
    if not lines or any(line.quantity == 0 for line in lines) or any(not move.lines for move in moves):
        raise ValueError("stock_apply needs lines with non-zero quantities")
    pairs = sorted({(line.branch_id, line.product_id) for line in lines})
    adding = sorted({(line.branch_id, line.product_id) for line in lines if line.quantity > 0})
    if adding:
        _create_missing_rows(adding)
    rows = _lock_rows(pairs)
    balances = {pair: row.quantity for pair, row in rows.items()}
    now = timezone.now()
    movements, short = [], []
    for move in moves:
        if move_short := _shortages(move.lines, balances):
            short += move_short
            continue
        for line in move.lines:
            pair = (line.branch_id, line.product_id)
            balances[pair] += line.quantity
            movements.append(Movement(
                branch_id=line.branch_id, product_id=line.product_id, kind=kind, quantity=line.quantity,
                balance_after=balances[pair], reference=move.reference, note=move.note, user_id=move.user_id,
                transfer=move.transfer, document=move.document, created_at=move.created_at or now,
            ))
    if short:
        return [], short
    # one UPDATE per chunk of rows: each quantity changes by its own delta, relative to itself (F())
    deltas = [(row.pk, balances[pair] - row.quantity) for pair, row in rows.items()]
    for part in _chunks(deltas, UPDATE_CHUNK):
        Stock.objects.filter(pk__in=[pk for pk, _ in part]).update(
            quantity=F("quantity") + Case(*[When(pk=pk, then=Value(delta)) for pk, delta in part]), updated_at=now)
    return Movement.objects.bulk_create(movements, batch_size=5000), []


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


def _shortages(lines: list[Line], balances: dict[Pair, int]) -> list[dict]:
    """The pairs of one move whose balance, line by line, would go below zero (a pair without a row holds 0).

    `requested` is what the move takes of the pair in all.
    """
    requested: dict[Pair, int] = defaultdict(int)
    running: dict[Pair, int] = {}
    short: set[Pair] = set()
    for line in lines:
        pair = (line.branch_id, line.product_id)
        running[pair] = running.get(pair, balances.get(pair, 0)) + line.quantity
        if line.quantity < 0:
            requested[pair] -= line.quantity
        if running[pair] < 0:
            short.add(pair)
    return [{"branch": branch_id, "product": product_id, "requested": wanted,
             "available": balances.get((branch_id, product_id), 0)}
            for (branch_id, product_id), wanted in requested.items() if (branch_id, product_id) in short]


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
