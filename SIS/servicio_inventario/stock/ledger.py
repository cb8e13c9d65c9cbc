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

from django.db import connection, transaction
from django.utils import timezone

from sis_common.errors import DomainError

from .models import Movement, StockDocument, Stock, Transfer

Pair = tuple[int, int]  # (branch_id, product_id)
UPDATE_CHUNK = 1000  # rows per UPDATE … CASE, so a bulk load's statement stays a few hundred kB
INSERT_CHUNK = 5000  # ledger rows per INSERT
BULK_SHORT_SHOWN = 20
_STOCK = Stock._meta.db_table  # short lines a bulk refusal names: enough to see why, not thousands


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
    balances = {pair: quantity for pair, (_, quantity) in rows.items()}
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
    deltas = [(pk, balances[pair] - quantity) for pair, (pk, quantity) in rows.items()]
    for part in _chunks(deltas, UPDATE_CHUNK):
        _quantities_add(part, now)
    for part in _chunks(movements, INSERT_CHUNK):
        _movements_insert(part)
    return movements, []


def _quantities_add(deltas: list[tuple[int, int]], now: datetime) -> None:
    """One UPDATE for the rows: each quantity changes by its own delta, relative to itself (what F() writes).

    Written out: the ORM spent more compiling this CASE than the database did running it.
    """
    cases = " ".join(["WHEN %s THEN %s"] * len(deltas))
    ids = ", ".join(["%s"] * len(deltas))
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {_STOCK} SET quantity = quantity + CASE id {cases} END, updated_at = %s "
                    f"WHERE id IN ({ids})",
                    [*(v for pair in deltas for v in pair), connection.ops.adapt_datetimefield_value(now),
                     *(pk for pk, _ in deltas)])


_MOVEMENT_COLUMNS = ("branch_id", "product_id", "kind", "quantity", "balance_after", "reference", "note", "user_id",
                     "transfer_id", "document_id", "created_at")


def _movements_insert(movements: list[Movement]) -> None:
    """The ledger rows in one INSERT … RETURNING id, which gives each its id in insert order (as bulk_create does).

    Written out: bulk_create spent more preparing the rows than the database spent storing them.
    """
    placeholders = f"({', '.join(['%s'] * len(_MOVEMENT_COLUMNS))})"
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cur:
        cur.execute(f"INSERT INTO {Movement._meta.db_table} ({', '.join(_MOVEMENT_COLUMNS)}) "
                    f"VALUES {', '.join([placeholders] * len(movements))} RETURNING id",
                    [v for m in movements for v in (m.branch_id, m.product_id, m.kind, m.quantity, m.balance_after,
                                                    m.reference, m.note, m.user_id, m.transfer_id, m.document_id,
                                                    adapt(m.created_at))])
        for movement, (pk,) in zip(movements, cur.fetchall(), strict=True):
            movement.pk = pk
            movement._state.adding, movement._state.db = False, "default"


def _pairs_where(pairs: list[Pair]) -> tuple[str, list[int]]:
    """`(branch_id = b AND product_id IN (…)) OR …` over the pairs, and its parameters."""
    by_branch: dict[int, list[int]] = defaultdict(list)
    for branch_id, product_id in pairs:
        by_branch[branch_id].append(product_id)
    sql = " OR ".join(f"(branch_id = %s AND product_id IN ({', '.join(['%s'] * len(products))}))"
                      for products in by_branch.values())
    return sql, [v for branch_id, products in by_branch.items() for v in (branch_id, *products)]


def _pairs_present(pairs: list[Pair]) -> list[tuple[int, int, int]]:
    """(id, branch_id, product_id) of the pairs' existing rows, read without a lock."""
    where, params = _pairs_where(pairs)
    with connection.cursor() as cur:
        cur.execute(f"SELECT id, branch_id, product_id FROM {_STOCK} WHERE {where}", params)
        return list(cur.fetchall())


def _create_missing_rows(pairs: list[Pair]) -> None:
    """Rows for pairs that never had stock; only adding calls create them (a take from nothing is short)."""
    existing = {(branch_id, product_id) for _, branch_id, product_id in _pairs_present(pairs)}
    missing = [Stock(branch_id=b, product_id=p) for b, p in pairs if (b, p) not in existing]
    if missing:
        # a concurrent first receipt of the same pair may win the insert; its row is then used
        Stock.objects.bulk_create(missing, ignore_conflicts=True)


def _lock_rows(pairs: list[Pair]) -> dict[Pair, tuple[int, int]]:
    """Lock the rows in primary-key order (a range scan of the primary key), so lockers never deadlock.

    Each pair that has a row maps to (id, quantity) as read under the lock. Two
    short written-out statements: the ORM's compiling cost more than both.
    """
    ids = sorted(pk for pk, _, _ in _pairs_present(pairs))
    if not ids:
        return {}
    with connection.cursor() as cur:
        cur.execute(f"SELECT id, branch_id, product_id, quantity FROM {_STOCK} "
                    f"WHERE id IN ({', '.join(['%s'] * len(ids))}) ORDER BY id FOR UPDATE", ids)
        return {(branch_id, product_id): (pk, quantity) for pk, branch_id, product_id, quantity in cur.fetchall()}


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
