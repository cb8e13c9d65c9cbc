"""Sale numbers: each branch's gap-free counter and how a number is written (SUC01-000042)."""
from __future__ import annotations

from django.db import connection

from .models import BranchCounter


def sequences_take(*, branch_id: int, count: int = 1) -> range:
    """The branch's next `count` sequence numbers, its counter row created or raised in a single statement.

    The row stays locked until the caller's transaction commits, so the numbers
    of committed sales have no gaps; LAST_INSERT_ID(expr) hands the new value back.
    Callers taking several branches' numbers take them in branch order, so they never deadlock.
    """
    table = connection.ops.quote_name(BranchCounter._meta.db_table)
    with connection.cursor() as cur:
        cur.execute(f"INSERT INTO {table} (branch_id, last_sequence) VALUES (%s, LAST_INSERT_ID(%s)) "
                    "ON DUPLICATE KEY UPDATE last_sequence = LAST_INSERT_ID(last_sequence + %s)",
                    [branch_id, count, count])
        last = cur.lastrowid
    return range(last - count + 1, last + 1)


def sale_number(branch_code: str, sequence: int) -> str:
    return f"{branch_code}-{sequence:06d}"
