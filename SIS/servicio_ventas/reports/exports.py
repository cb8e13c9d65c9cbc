"""The report answers as tables for `?format=csv|xlsx` (sis_common.exports): their columns and rows."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from sis_common.exports import Column, columns_of, flatten

from . import products, selectors

_COUNTS = ("branch", "cashier", "sales_count", "returns_count", "product", "quantity")
_TEXT = ("date", "sku", "name")


def _columns(row: dict) -> list[Column]:
    return columns_of(row, money=[k for k in row if k not in _COUNTS + _TEXT], ints=_COUNTS)


def daily_table(report: dict) -> tuple[list[Column], list[dict]]:
    """One row: the day's totals, payment methods as `by_payment_method.cash`… (top products left out)."""
    row = flatten(report)
    return _columns(row), [row]


def range_table(*, group_by: str, results: Iterable[dict]) -> tuple[list[Column], Iterator[dict]]:
    """One row per branch (or per cashier at a branch), flattened as the daily row."""
    keys = {"branch": 0, "cashier": 0} if group_by == "cashier" else {"branch": 0}
    template = flatten({**keys, **selectors.range_row_shape(group_by)})
    return _columns(template), (flatten(r) for r in results)


def product_table(rows: Iterable[dict]) -> tuple[list[Column], Iterable[dict]]:
    return _columns(dict.fromkeys(products.COLUMNS)), rows
