"""The stock import: a CSV/XLSX of opening stock or goods in, `branch_code, sku, quantity, unit_cost?`, checked whole
and then written as one receipt per branch, all in one transaction."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from catalog.models import SKU_PATTERN, Product
from catalog.tables import RowError, TableRefused, table_read
from sis_common.bounds import MONEY_PATTERN
from sis_common.errors import DomainError
from sis_common.sucursales_client import branch_by_code

from .documents import DocumentLineIn, receipt_create
from .serializers import MAX_QUANTITY

REQUIRED = ("branch_code", "sku", "quantity")
OPTIONAL = ("unit_cost",)
LOOKUP_CHUNK = 2000  # SKUs a query names at once, as the product import's
_sku, _money, _integer = re.compile(SKU_PATTERN), re.compile(MONEY_PATTERN), re.compile(r"[0-9]{1,10}")


@dataclass
class BranchPlan:
    branch: dict  # sucursales' answer: {id, code, name, is_active, ...}
    lines: list[DocumentLineIn] = field(default_factory=list)

    def as_dict(self, document=None) -> dict:
        return {"branch": self.branch["id"], "branch_code": self.branch["code"], "lines": len(self.lines),
                "quantity": sum(line.quantity for line in self.lines),
                "id": document.pk if document else None, "number": document.reference if document else None}


@dataclass
class StockPlan:
    rows: int = 0
    branches: list[BranchPlan] = field(default_factory=list)

    def as_dict(self, documents: list | None = None) -> dict:
        documents = documents or [None] * len(self.branches)
        return {"rows": self.rows, "receipts": [plan.as_dict(doc) for plan, doc in zip(self.branches, documents)],
                "errors": []}


def stock_import_refused(errors: list[RowError]) -> DomainError:
    """400 import_invalid with every row at fault; nothing was stored."""
    return DomainError(f"The file has {len(errors)} error(s); nothing was stored.", "import_invalid", 400,
                       rows=0, receipts=[], errors=[error.as_dict() for error in errors])


def stock_import_plan(*, upload, may_act_on: Callable[[int], bool]) -> StockPlan:
    """Every row checked (branch codes asked of sucursales, SKUs of the catalogue); any fault refuses the file (400).

    `may_act_on(branch_id)` is the caller's scope: a row for a branch outside it is a fault of that row.
    """
    try:
        table = table_read(upload, required=REQUIRED, optional=OPTIONAL)
    except TableRefused as exc:
        raise stock_import_refused(exc.errors) from None
    errors: list[RowError] = []
    parsed = _rows_parsed(table.rows, errors)
    branches = _branches_by_code({values["branch_code"] for _, values in parsed}, may_act_on)
    products = _products_by_sku([values["sku"] for _, values in parsed])
    plans: dict[int, BranchPlan] = {}
    for number, values in parsed:
        branch, problem = branches[values["branch_code"].casefold()]
        if problem:
            errors.append(RowError(number, "branch_code", problem))
        product = products.get(values["sku"])
        if product is None:
            errors.append(RowError(number, "sku", f"No product has SKU {values['sku']!r}."))
        elif not product[1]:
            errors.append(RowError(number, "sku", f"Product {values['sku']} is inactive."))
        if problem or product is None or not product[1]:
            continue
        plan = plans.setdefault(branch["id"], BranchPlan(branch))
        plan.lines.append(DocumentLineIn(product[0], values["quantity"], values.get("unit_cost")))
    if errors:
        raise stock_import_refused(sorted(errors, key=lambda e: e.row))
    return StockPlan(rows=len(parsed), branches=[plans[pk] for pk in sorted(plans)])


@transaction.atomic
def stock_import(*, plan: StockPlan, user_id: int | None, note: str = "") -> list:
    """One receipt per branch of the plan, in branch order; the receipts' unit costs move the average costs."""
    return [receipt_create(branch_id=branch.branch["id"], lines=branch.lines, user_id=user_id, note=note)
            for branch in plan.branches]


def _rows_parsed(rows, errors: list[RowError]) -> list[tuple[int, dict]]:
    seen: dict[tuple[str, str], int] = {}
    parsed = []
    for number, cells in rows:
        values, before = {}, len(errors)

        def bad(column: str, message: str) -> None:
            errors.append(RowError(number, column, message))

        code = cells["branch_code"]
        if not code:
            bad("branch_code", "Required.")
        values["branch_code"] = code
        sku = cells["sku"]
        if not _sku.fullmatch(sku):
            bad("sku", "Required." if not sku else f"Not a SKU: {sku!r}.")
        elif code and (code.casefold(), sku) in seen:
            bad("sku", f"SKU {sku} at branch {code} appears again (first in row {seen[(code.casefold(), sku)]}).")
        else:
            seen[(code.casefold(), sku)] = number
        values["sku"] = sku
        text = cells["quantity"]
        if not _integer.fullmatch(text) or not 1 <= int(text) <= MAX_QUANTITY:
            bad("quantity", f"Not a whole number 1..{MAX_QUANTITY}: {text!r}.")
        else:
            values["quantity"] = int(text)
        if cells.get("unit_cost"):
            cost = cells["unit_cost"]
            cost = cost.replace(",", ".") if cost.count(",") == 1 and "." not in cost else cost
            if not _money.fullmatch(cost):
                bad("unit_cost", f"Not an amount: {cells['unit_cost']!r} (0..9999999999.99, at most 2 places).")
            else:
                values["unit_cost"] = Decimal(cost).quantize(Decimal("0.01"))
        if len(errors) == before:
            parsed.append((number, values))
    return parsed


def _branches_by_code(codes: set[str], may_act_on: Callable[[int], bool]) -> dict[str, tuple[dict | None, str]]:
    """Each code (case-folded) → (branch, "") or (None, what is wrong with it)."""
    found = {}
    for code in sorted(codes):
        if code.casefold() in found:
            continue
        branch = branch_by_code(code)
        if branch is None:
            found[code.casefold()] = (None, f"No branch has code {code!r}.")
        elif not branch["is_active"]:
            found[code.casefold()] = (None, f"Branch {branch['code']} is inactive.")
        elif not may_act_on(branch["id"]):
            found[code.casefold()] = (None, f"Branch {branch['code']} is not one of your branches.")
        else:
            found[code.casefold()] = (branch, "")
    return found


def _products_by_sku(skus: list[str]) -> dict[str, tuple[int, bool]]:
    """SKU → (id, is_active), read from the primary (the import writes at once)."""
    unique = list(dict.fromkeys(skus))
    found = {}
    for start in range(0, len(unique), LOOKUP_CHUNK):
        found.update((sku, (pk, active)) for sku, pk, active in Product.objects.using("default")
                     .filter(sku__in=unique[start:start + LOOKUP_CHUNK]).values_list("sku", "id", "is_active"))
    return found
