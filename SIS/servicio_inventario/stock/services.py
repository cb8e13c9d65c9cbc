"""Writes on stock: receipts and adjustments, transfers, other services' document moves, minimum and maximum levels."""
from __future__ import annotations

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone

from sis_common.db.rows import row_insert
from sis_common.errors import DomainError

from .ledger import Line, stock_apply
from .models import Movement, Stock, StockDocument, Transfer, TransferLine


@transaction.atomic
def movement_create(*, branch_id: int, product_id: int, kind: str, quantity: int, user_id: int | None,
                    note: str = "", reference: str = "") -> Movement:
    """A receipt (adds) or an adjustment (a signed delta); never below zero."""
    if kind == Movement.Kind.RECEIPT and quantity <= 0:
        raise DomainError("A receipt adds a positive quantity.", "invalid", 400, quantity=["Must be at least 1."])
    if kind not in (Movement.Kind.RECEIPT, Movement.Kind.ADJUSTMENT) or quantity == 0:
        raise DomainError("Only receipts and non-zero adjustments.", "invalid", 400)
    (movement,) = stock_apply(kind=kind, lines=[Line(branch_id, product_id, quantity)], reference=reference,
                              user_id=user_id, note=note)
    return movement


@transaction.atomic
def transfer_create(*, from_branch: int, to_branch: int, lines: list[tuple[int, int]], user_id: int | None,
                    note: str = "") -> Transfer:
    """A draft transfer of `lines` [(product_id, quantity)]; no stock moves yet."""
    if from_branch == to_branch:
        raise DomainError("A transfer goes between two branches.", "invalid", 400,
                          to_branch=["Must differ from from_branch."])
    transfer = Transfer.objects.create(from_branch=from_branch, to_branch=to_branch, note=note, created_by=user_id)
    TransferLine.objects.bulk_create(
        [TransferLine(transfer=transfer, product_id=product_id, quantity=quantity) for product_id, quantity in lines]
    )
    return transfer


@transaction.atomic
def transfer_dispatch(*, transfer_id: int, user_id: int | None) -> Transfer:
    """Stock leaves the source branch (all lines or none); the transfer becomes dispatched."""
    transfer = _locked_in_status(transfer_id, Transfer.Status.DRAFT, "dispatched")
    stock_apply(kind=Movement.Kind.TRANSFER_OUT, reference=transfer.reference, user_id=user_id, transfer=transfer,
                lines=[Line(transfer.from_branch, line.product_id, -line.quantity) for line in transfer.lines.all()])
    transfer.status, transfer.dispatched_at = Transfer.Status.DISPATCHED, timezone.now()
    transfer.save(update_fields=["status", "dispatched_at"])
    return transfer


@transaction.atomic
def transfer_receive(*, transfer_id: int, user_id: int | None) -> Transfer:
    """Stock enters the destination branch; the transfer becomes received."""
    transfer = _locked_in_status(transfer_id, Transfer.Status.DISPATCHED, "received")
    stock_apply(kind=Movement.Kind.TRANSFER_IN, reference=transfer.reference, user_id=user_id, transfer=transfer,
                lines=[Line(transfer.to_branch, line.product_id, line.quantity) for line in transfer.lines.all()])
    transfer.status, transfer.received_at = Transfer.Status.RECEIVED, timezone.now()
    transfer.save(update_fields=["status", "received_at"])
    return transfer


@transaction.atomic
def transfer_cancel(*, transfer_id: int) -> Transfer:
    """Only a draft may be cancelled: once dispatched, the stock is on its way."""
    transfer = _locked_in_status(transfer_id, Transfer.Status.DRAFT, "cancelled")
    transfer.status, transfer.cancelled_at = Transfer.Status.CANCELLED, timezone.now()
    transfer.save(update_fields=["status", "cancelled_at"])
    return transfer


def _locked_in_status(transfer_id: int, expected: str, target: str) -> Transfer:
    transfer = get_object_or_404(Transfer.objects.select_for_update(), pk=transfer_id)
    if transfer.status != expected:
        raise DomainError(f"A {transfer.status} transfer cannot be {target}; it must be {expected}.",
                          "invalid_transfer_status", 409, status=transfer.status)
    return transfer


@transaction.atomic
def document_move_create(*, kind: str, branch_id: int, reference: str, user_id: int | None,
                         lines: list[tuple[int, int]]) -> StockDocument:
    """A sale takes every line out of the branch, a return puts every line back; all or none."""
    document, _ = document_move_apply(kind=kind, branch_id=branch_id, reference=reference, user_id=user_id,
                                      lines=lines)
    return document


# no savepoint of its own: document_move_create gives one to callers that catch a refusal, and the
# internal endpoint runs it inside run_idempotent's, which stores the refusal after undoing it
@transaction.atomic(savepoint=False)
def document_move_apply(*, kind: str, branch_id: int, reference: str, user_id: int | None,
                        lines: list[tuple[int, int]]) -> tuple[StockDocument, list[Movement]]:
    """document_move_create, also giving the document's ledger rows in line order (no read needed to show them)."""
    sign = -1 if kind == StockDocument.Kind.SALE else 1
    document = StockDocument(kind=kind, branch_id=branch_id, reference=reference, user_id=user_id)
    row_insert(document)  # every sale's move: the ORM's INSERT assembly cost more than the statement
    movements = stock_apply(kind=kind, reference=reference, user_id=user_id, document=document,
                            lines=[Line(branch_id, product_id, sign * quantity) for product_id, quantity in lines])
    return document, movements


@transaction.atomic
def stock_levels_set(*, branch_id: int, product_id: int, **levels: int | None) -> Stock:
    """Set the minimum and/or the maximum (`min_quantity`, `max_quantity`; a null maximum: none) of a
    (branch, product), creating the row (quantity 0) when it has none yet.

    A maximum below the minimum, as they stand after the change, is 400 `max_below_min` and changes nothing.
    """
    unknown = levels.keys() - {"min_quantity", "max_quantity"}
    if unknown:
        raise TypeError(f"stock_levels_set: unknown levels {sorted(unknown)}")
    rows = Stock.objects.filter(branch_id=branch_id, product_id=product_id)
    # locked, so a concurrent change of the other level cannot slip between the check and the write
    current = rows.select_for_update().values("min_quantity", "max_quantity").first()
    if current is None:
        # a first receipt may create the row concurrently: ignore_conflicts keeps whichever came first
        Stock.objects.bulk_create([Stock(branch_id=branch_id, product_id=product_id)], ignore_conflicts=True)
        current = rows.select_for_update().values("min_quantity", "max_quantity").get()
    wanted = {**current, **levels}
    if wanted["max_quantity"] is not None and wanted["max_quantity"] < wanted["min_quantity"]:
        message = f"May not be below min_quantity ({wanted['min_quantity']})."
        raise DomainError(f"max_quantity {wanted['max_quantity']} is below min_quantity {wanted['min_quantity']}.",
                          "max_below_min", 400, max_quantity=[message])
    if levels:
        # only the levels: the quantity is stock_apply's, changed with F() under its own lock
        rows.update(**levels)
    return rows.get()
