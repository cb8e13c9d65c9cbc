"""The product export: the catalogue in the import's columns, read in keyset chunks, as a file by sis_common.exports."""
from __future__ import annotations

from typing import Iterator

from sis_common.bounds import money_text, rate_text
from sis_common.exports import Column, export_response

from .imports import COLUMNS
from .models import Product

CHUNK = 2000


def export_columns(*, with_cost: bool) -> list[Column]:
    """The import's columns, all text (an XLSX keeps "0012" and "1.50" as typed) and never prefixed against formulas
    (the CSV imports back unchanged; in XLSX every cell is a string cell, so none is a live formula)."""
    return [Column(c, guard_formulas=False) for c in COLUMNS if with_cost or c != "cost"]


def product_rows(*, columns: list[Column]) -> Iterator[dict[str, str]]:
    """Every product as text cells of `columns`, in id order; one query per CHUNK products."""
    last = 0
    while True:
        chunk = list(Product.objects.filter(pk__gt=last).order_by("pk").select_related("category")[:CHUNK])
        for product in chunk:
            yield {column.key: _cell(product, column.key) for column in columns}
        if len(chunk) < CHUNK:
            return
        last = chunk[-1].pk


def product_export(*, fmt: str, with_cost: bool):
    """The catalogue as `products.csv` (streamed) or `products.xlsx` (a write-only workbook streamed from a file)."""
    columns = export_columns(with_cost=with_cost)
    return export_response(name="products", fmt=fmt, columns=columns, rows=product_rows(columns=columns))


def _cell(product: Product, column: str) -> str:
    if column in ("price", "cost"):
        return money_text(getattr(product, column))
    if column == "tax_rate":
        return rate_text(product.tax_rate)
    if column == "is_active":
        return "true" if product.is_active else "false"
    if column == "category":
        return product.category.name if product.category_id else ""
    return getattr(product, column) or ""
