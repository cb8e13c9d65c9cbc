"""Sale numbers and legal document numbers: gap-free counters, each series per branch, and how they are written.

A sale's number (SUC01-000042) counts the branch's completed sales. Its legal
document number (B001-00000042) counts its series: each branch has one per
document type, derived from the branch id n: receipts `B00n`, invoices `F00n`,
credit notes of receipts `BC0n` and of invoices `FC0n` (docs/customers.md).
Both are taken in the transaction that completes the sale or return, so a
rolled-back completion gives its number back and committed ones have no gaps.

A counter row is created when the first sale or return that will need it is
stored (`counters_ensure`), not when it completes: concurrent first
completions creating one row by INSERT … ON DUPLICATE KEY UPDATE deadlock
(the waiting inserts hold shared locks on the new row and all want it
exclusively), while completions that only raise an existing row queue up.
"""
from __future__ import annotations

from django.db import connection, transaction

from .models import BranchCounter, DocumentCounter, DocumentType

_SERIES_PREFIX = {(DocumentType.RECEIPT, False): "B", (DocumentType.INVOICE, False): "F",
                  (DocumentType.RECEIPT, True): "BC", (DocumentType.INVOICE, True): "FC"}


def _counter_raise(model, key_column: str, key, count: int) -> int:
    """Create or raise a counter row by `count` in one statement; the new last value.

    The row stays locked until the caller's transaction commits, so the numbers
    of committed documents have no gaps; LAST_INSERT_ID(expr) hands the new value back.
    """
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cur:
        cur.execute(f"INSERT INTO {table} ({key_column}, last_sequence) VALUES (%s, LAST_INSERT_ID(%s)) "
                    "ON DUPLICATE KEY UPDATE last_sequence = LAST_INSERT_ID(last_sequence + %s)",
                    [key, count, count])
        return cur.lastrowid


# the counter rows this process has seen created: they are never deleted, so each is ensured once
_ensured: set[tuple[str, object]] = set()


def counters_ensure(*, branch_id: int | None = None, series: str | None = None) -> None:
    """Create the branch's sale counter and the series' counter if missing, at 0 (in the caller's transaction)."""
    for model, column, key in ((BranchCounter, "branch_id", branch_id), (DocumentCounter, "series", series)):
        if key is None or (model._meta.db_table, key) in _ensured:
            continue
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cur:
            cur.execute(f"INSERT IGNORE INTO {table} ({column}, last_sequence) VALUES (%s, 0)", [key])
        transaction.on_commit(lambda marker=(model._meta.db_table, key): _ensured.add(marker))


def sequences_take(*, branch_id: int, count: int = 1) -> range:
    """The branch's next `count` sale sequence numbers.

    Callers taking several branches' numbers take them in branch order, so they never deadlock;
    a completion takes its sale number before its document number, always in that order.
    """
    last = _counter_raise(BranchCounter, "branch_id", branch_id, count)
    return range(last - count + 1, last + 1)


def sale_number(branch_code: str, sequence: int) -> str:
    return f"{branch_code}-{sequence:06d}"


def document_series(*, branch_id: int, document_type: str, credit_note: bool = False) -> str:
    """The branch's series for a document type (B001, F001) or for its credit notes (BC01, FC01)."""
    prefix = _SERIES_PREFIX[(DocumentType(document_type), credit_note)]
    return f"{prefix}{branch_id:0{4 - len(prefix)}d}"


def document_take(*, series: str, count: int = 1) -> range:
    """The series' next `count` legal sequence numbers, its row locked until the caller commits.

    Callers taking several series' numbers take them after the branches' sale numbers, in branch order.
    """
    last = _counter_raise(DocumentCounter, "series", series, count)
    return range(last - count + 1, last + 1)


def document_number(series: str, sequence: int) -> str:
    return f"{series}-{sequence:08d}"
