"""Reports as files: `?format=json|csv|xlsx`, rows streamed to CSV or written to a write-only XLSX workbook.

`?format=` is DRF's URL_FORMAT_OVERRIDE, which would look for a renderer of that
format and answer 404; an export view takes `ExportNegotiation`, so the parameter
is the view's own (declared by `FormatQuerySerializer`, 400 on a bad value) and
only errors go through the JSON renderer. The schema lists the three media types
of the 200 (`export_responses`).
"""
from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from rest_framework import serializers

from .errors import DomainError
from .negotiation import JSONFirstNegotiation
from .query import QuerySerializer

FORMATS = ("json", "csv", "xlsx")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# a spreadsheet opening the CSV reads it as UTF-8 only when it starts with the BOM
BOM = "\ufeff"
XLSX_MAX_ROWS = 1_048_576


class _NoFormatOverride:
    URL_FORMAT_OVERRIDE = None


class ExportNegotiation(JSONFirstNegotiation):
    """`?format=` names the export, not a renderer: the JSON renderer answers the JSON and the errors."""

    settings = _NoFormatOverride()

    def select_renderer(self, request, renderers, format_suffix=None):
        if request.query_params.get("format") in ("csv", "xlsx"):
            # the file's type is the parameter's; an Accept header does not turn it into a 406
            return renderers[0], renderers[0].media_type
        return super().select_renderer(request, renderers, format_suffix)


class FormatQuerySerializer(QuerySerializer):
    format = serializers.ChoiceField(choices=FORMATS, required=False, default="json",
                                     help_text="json (default), csv (UTF-8 with BOM) or xlsx")


def export_responses(json_response) -> dict:
    """The 200 of an export view in its three media types, for `extend_schema(responses=...)`."""
    return {
        (200, "application/json"): json_response,
        (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="the rows as CSV"),
        (200, XLSX_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="the rows as an XLSX workbook"),
    }


@dataclass(frozen=True)
class Column:
    """One column of an export: its key in a row and how a spreadsheet should hold it."""

    key: str
    kind: str = "text"  # text | int | money (a decimal string, a number in XLSX)
    # a text cell starting like a formula gets a leading ' in CSV; off for a column an import reads back as typed
    # (the product export's: its file must import unchanged)
    guard_formulas: bool = True


def flatten(row: Mapping, prefix: str = "") -> dict:
    """A report row with nested objects as one level (`by_payment_method.cash`); lists are left out."""
    out = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(flatten(value, f"{name}."))
        elif not isinstance(value, list):
            out[name] = value
    return out


def columns_of(row: Mapping, money: Iterable[str] = (), ints: Iterable[str] = ()) -> list[Column]:
    """The columns of a flattened row in its order, those named as money or ints typed so."""
    money, ints = set(money), set(ints)
    return [Column(k, "money" if k in money else "int" if k in ints else "text") for k in row]


class _Echo:
    def write(self, value: str) -> str:
        return value


# a text cell starting with one of these is a formula to a spreadsheet (a product named "=HYPERLINK(…)")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_value(column: Column, value):
    if value is None:
        return ""
    if column.kind == "text" and column.guard_formulas and isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value  # shown as typed, never run
    return value


def _csv_lines(columns: list[Column], rows: Iterable[Mapping]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([c.key for c in columns])
    for row in rows:
        yield writer.writerow([_csv_value(c, row.get(c.key)) for c in columns])


def _cell(sheet, column: Column, value):
    if value is None or value == "":
        return None
    if column.kind == "money":
        return Decimal(str(value))
    if column.kind == "int":
        return int(value)
    if isinstance(value, (int, Decimal)):
        return value
    return text_cell(sheet, str(value))


def text_cell(sheet, value: str) -> WriteOnlyCell:
    """A string cell of a write-only sheet, whatever the text: never a formula, never a refused character."""
    # XML 1.0 has no place for most control characters (openpyxl raises on them): each becomes U+FFFD
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))
    # openpyxl stores a string starting with "=" as a formula: this one is a string cell, whatever it starts with
    cell.data_type = "s"
    return cell


def _disposition(filename: str) -> str:
    return f'attachment; filename="{filename}"'


def export_response(*, name: str, fmt: str, columns: list[Column], rows: Iterable[Mapping]):
    """The rows as a CSV stream or an XLSX file named `<name>.<fmt>`; `rows` is read once, lazily."""
    if fmt == "csv":
        response = StreamingHttpResponse(_csv_lines(columns, rows), content_type=CSV_TYPE)
        response["Content-Disposition"] = _disposition(f"{name}.csv")
        return response
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=name[:31])
    sheet.append([c.key for c in columns])
    for count, row in enumerate(rows, start=2):
        if count > XLSX_MAX_ROWS:
            sheet.close()  # ends the sheet's writer and its temporary file before the workbook is dropped
            raise DomainError(f"A worksheet holds at most {XLSX_MAX_ROWS} rows: ask for format=csv.",
                              "export_too_large", 400)
        sheet.append([_cell(sheet, c, row.get(c.key)) for c in columns])
    # the workbook goes to a temporary file (a zip is written at the end), then streams from it
    spool = tempfile.TemporaryFile()
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=f"{name}.xlsx", content_type=XLSX_TYPE)
