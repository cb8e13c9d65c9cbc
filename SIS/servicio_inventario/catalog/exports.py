"""The product export: the catalogue as CSV or XLSX in the import's columns, read in keyset chunks and streamed."""
from __future__ import annotations

import csv
import io
import tempfile
from typing import Iterator

from django.http import FileResponse, StreamingHttpResponse

from sis_common.bounds import money_text, rate_text
from sis_common.exports import text_cell

from .imports import COLUMNS
from .models import Product

CHUNK = 2000
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_columns(*, with_cost: bool) -> list[str]:
    return [c for c in COLUMNS if with_cost or c != "cost"]


def product_rows(*, columns: list[str]) -> Iterator[list[str]]:
    """Every product as text cells in `columns`, in id order; one query per CHUNK products."""
    last = 0
    while True:
        chunk = list(Product.objects.filter(pk__gt=last).order_by("pk").select_related("category")[:CHUNK])
        for product in chunk:
            yield [_cell(product, column) for column in columns]
        if len(chunk) < CHUNK:
            return
        last = chunk[-1].pk


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


def csv_response(*, columns: list[str], filename: str) -> StreamingHttpResponse:
    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        yield "\ufeff"  # a BOM, so spreadsheet programs read the file as UTF-8
        for row in _with_header(columns):
            writer.writerow(row)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()

    response = StreamingHttpResponse(lines(), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(*, columns: list[str], filename: str) -> FileResponse:
    """A write-only workbook (rows go to a temporary file, not memory), then streamed from that file."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("products")
    for row in _with_header(columns):
        sheet.append([text_cell(sheet, value) for value in row])
    spool = tempfile.TemporaryFile()
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_TYPE)


def _with_header(columns: list[str]) -> Iterator[list[str]]:
    yield list(columns)
    yield from product_rows(columns=columns)
