"""Receipts and adjustments: stock documents of many lines, each one transaction and one number on every ledger row."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from .costing import costs_before, costs_lock, costs_receive
from .ledger import Line, stock_apply
from .models import DocumentLine, Movement, StockDocument

NUMBER_PREFIX = {StockDocument.Kind.RECEIPT: "RC", StockDocument.Kind.ADJUSTMENT: "AJ"}


@dataclass(frozen=True)
class DocumentLineIn:
    product_id: int
    quantity: int  # signed: a receipt's are positive, an adjustment's either way, never zero
    unit_cost: Decimal | None = None


@transaction.atomic
def receipt_create(*, branch_id: int, lines: list[DocumentLineIn], user_id: int | None, supplier_ref: str = "",
                   note: str = "") -> StockDocument:
    """Goods in: every line enters the branch; lines with a unit cost move their product's average cost."""
    document, _ = receipt_apply(branch_id=branch_id, lines=lines, user_id=user_id, supplier_ref=supplier_ref,
                                note=note)
    return document


@transaction.atomic
def receipt_apply(*, branch_id: int, lines: list[DocumentLineIn], user_id: int | None, supplier_ref: str = "",
                  note: str = "", reference: str = "") -> tuple[StockDocument, list[Movement]]:
    """receipt_create, also giving the ledger rows in line order; `reference` (another service's, e.g. a
    purchase order's `PO-000012/GR-881`) replaces the receipt's own number `RC-<id>` on it and its rows."""
    if any(line.quantity <= 0 for line in lines):
        raise ValueError("a receipt only adds")
    costed = [(line.product_id, line.quantity, line.unit_cost) for line in lines if line.unit_cost is not None]
    if len({product_id for product_id, _, _ in costed}) != len(costed):
        raise ValueError("a receipt costs each product in one line")
    before = {}
    if costed:
        costs_lock(product_ids=[product_id for product_id, _, _ in costed])
        before = costs_before(product_ids=[product_id for product_id, _, _ in costed])
    document, movements = _document_write(kind=StockDocument.Kind.RECEIPT, branch_id=branch_id, lines=lines,
                                          user_id=user_id, reference=reference, supplier_ref=supplier_ref, note=note)
    costs_receive(document=document, before=before, lines=costed)
    return document, movements


@transaction.atomic
def adjustment_create(*, branch_id: int, reason: str, lines: list[DocumentLineIn], user_id: int | None,
                      note: str = "") -> StockDocument:
    """Stock found or lost, for a reason: each line a signed change; any line going below zero refuses all (409)."""
    document, _ = _document_write(kind=StockDocument.Kind.ADJUSTMENT, branch_id=branch_id, lines=lines,
                                  user_id=user_id, reason=reason, note=note)
    return document


def _document_write(*, kind: str, branch_id: int, lines: list[DocumentLineIn], user_id: int | None,
                    reference: str = "", **fields: str) -> tuple[StockDocument, list[Movement]]:
    document = StockDocument.objects.create(kind=kind, branch_id=branch_id, reference=reference, user_id=user_id,
                                            **fields)
    if not reference:
        document.reference = f"{NUMBER_PREFIX[kind]}-{document.pk}"
        document.save(update_fields=["reference"])
    DocumentLine.objects.bulk_create([DocumentLine(document=document, product_id=line.product_id,
                                                   quantity=line.quantity, unit_cost=line.unit_cost)
                                      for line in lines], batch_size=1000)
    movement_kind = Movement.Kind.RECEIPT if kind == StockDocument.Kind.RECEIPT else Movement.Kind.ADJUSTMENT
    movements = stock_apply(kind=movement_kind, reference=document.reference, user_id=user_id,
                            note=fields.get("note", ""), document=document,
                            lines=[Line(branch_id, line.product_id, line.quantity) for line in lines])
    return document, movements
