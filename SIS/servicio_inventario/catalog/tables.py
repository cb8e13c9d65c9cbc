"""An uploaded table (CSV or XLSX) read as a header and rows of text, for the imports; bounded in size and rows."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterator

from sis_common.errors import DomainError

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
MAX_CELL = 1000
XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class RowError:
    row: int  # the row's number in the file: the header is row 1
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


class TableRefused(Exception):
    """The file cannot be read as a table of the expected columns."""

    def __init__(self, errors: list[RowError]):
        super().__init__(errors[0].message)
        self.errors = errors


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (row number, {column: text}); blank rows left out


def upload_checked(upload) -> None:
    """413 for a file above the bound, before anything reads it."""
    if upload is None:
        raise DomainError("Send the table as the multipart field `file`.", "file_required", 400,
                          file=["No file was submitted."])
    if upload.size > MAX_UPLOAD_BYTES:
        raise DomainError(f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.", "file_too_large", 413)


def table_read(upload, *, required: tuple[str, ...], optional: tuple[str, ...]) -> Table:
    """The file's rows keyed by its (lower-cased) header; an unknown, repeated or missing column refuses the file."""
    upload_checked(upload)
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    raw_rows = _xlsx_rows(upload) if head == XLSX_MAGIC else _csv_rows(upload)
    try:
        header = next(raw_rows)
    except StopIteration:
        raise TableRefused([RowError(1, "", "The file is empty: the first row names the columns.")]) from None
    columns = [cell.strip().lower() for cell in header]
    while columns and columns[-1] == "":
        columns.pop()
    known = set(required) | set(optional)
    errors = [RowError(1, name or f"#{i + 1}", f"Unknown column {name!r}; the columns are {', '.join((*required, *optional))}.")
              for i, name in enumerate(columns) if name not in known]
    errors += [RowError(1, name, f"Column {name!r} appears twice.")
               for i, name in enumerate(columns) if name in known and name in columns[:i]]
    errors += [RowError(1, name, f"Missing the required column {name!r}.") for name in required if name not in columns]
    if errors:
        raise TableRefused(errors)
    rows = []
    for number, cells in enumerate(raw_rows, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise TableRefused([RowError(number, "", f"More than {MAX_ROWS} rows; split the file.")])
        if len(cells) > len(columns) and any(cell.strip() for cell in cells[len(columns):]):
            raise TableRefused([RowError(number, f"#{len(columns) + 1}", "A value outside the named columns.")])
        values = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(columns)}
        long = [name for name, value in values.items() if len(value) > MAX_CELL]
        if long:
            raise TableRefused([RowError(number, long[0], f"Longer than {MAX_CELL} characters.")])
        rows.append((number, values))
    return Table(columns=columns, rows=rows)


def _csv_rows(upload) -> Iterator[list[str]]:
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableRefused([RowError(1, "", f"Not UTF-8 text nor an XLSX workbook ({exc.reason}).")]) from None
    if "\x00" in text:
        raise TableRefused([RowError(1, "", "Not a CSV file: it holds NUL characters.")])
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as exc:
        raise TableRefused([RowError(reader.line_num, "", f"Not a readable CSV row: {exc}.")]) from None


def _xlsx_rows(upload) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        yield [_cell_text(value) for value in next(rows, ())]
        for row in rows:
            yield [_cell_text(value) for value in row]
    except TableRefused:
        raise
    except Exception as exc:  # openpyxl fails on hostile workbooks in many ways; each is this file's fault
        raise TableRefused([RowError(1, "", f"Not a readable XLSX workbook ({type(exc).__name__}).")]) from None


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = format(Decimal(repr(value)), "f")
        return text[:-2] if text.endswith(".0") else text
    return str(value)
