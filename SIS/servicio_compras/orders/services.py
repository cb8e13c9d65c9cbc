"""Writes on purchase orders and their receipts."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from sis_common import sucursales_client
from sis_common.bounds import MONEY_MAX
from sis_common.errors import DomainError
from suppliers.models import Supplier, SupplierProduct

from .models import (
    RECEIVABLE, OrderStatus, PurchaseOrder, PurchaseOrderLine, Receipt, ReceiptLine, ReceiptStatus,
)

NUMBER_PREFIX = "PO-"


@dataclass(frozen=True)
class OrderLineIn:
    product: int
    quantity: int
    unit_cost: Decimal | None = None  # None: what the supplier product costs now


def _supplier_require(supplier_id: int) -> Supplier:
    supplier = Supplier.objects.using("default").filter(pk=supplier_id).first()
    if supplier is None:
        raise DomainError(f"Unknown supplier {supplier_id}.", "unknown_supplier", 400,
                          supplier=[f"Unknown supplier {supplier_id}."])
    if not supplier.is_active:
        raise DomainError(f"Supplier {supplier.code} is inactive.", "inactive_supplier", 400,
                          supplier=[f"Supplier {supplier.code} is inactive."])
    return supplier


def _priced_lines(supplier: Supplier, lines: list[OrderLineIn]) -> list[PurchaseOrderLine]:
    """The lines as ordered: each product once and sold by the supplier (its cost when none is given)."""
    products = [line.product for line in lines]
    if len(set(products)) != len(products):
        raise DomainError("Each product may appear in one line only.", "duplicate_product", 400,
                          lines=["Each product may appear in one line only."])
    sold = dict(SupplierProduct.objects.using("default").filter(supplier=supplier, product__in=products)
                .values_list("product", "unit_cost"))
    missing = [p for p in products if p not in sold]
    if missing:
        message = f"Supplier {supplier.code} does not sell products {', '.join(map(str, missing))}."
        raise DomainError(message, "product_not_supplied", 400, lines=[message], products=missing)
    priced = [PurchaseOrderLine(product=line.product, quantity=line.quantity,
                                unit_cost=sold[line.product] if line.unit_cost is None else line.unit_cost)
              for line in lines]
    total = sum((line.quantity * line.unit_cost for line in priced), Decimal("0.00"))
    if total > MONEY_MAX:
        message = f"The order's total may not exceed {MONEY_MAX}."
        raise DomainError(message, "amount_too_large", 400, lines=[message])
    return priced


def order_create(*, supplier_id: int, branch_id: int, lines: list[OrderLineIn], expected_on: date | None = None,
                 note: str = "", user_id: int | None = None) -> PurchaseOrder:
    """A draft order: the supplier active, the branch known and active (asked of sucursales), every product
    one the supplier sells. The caller checks that the user may act on the branch (a view: require_branch).

    400 unknown_supplier / inactive_supplier / unknown_branch / inactive_branch / product_not_supplied /
    duplicate_product / amount_too_large; 503 when sucursales cannot say. Nothing is stored on an error.
    """
    supplier = _supplier_require(supplier_id)
    sucursales_client.branch_get(branch_id)
    priced = _priced_lines(supplier, lines)
    return _order_write(supplier=supplier, branch_id=branch_id, lines=priced, expected_on=expected_on, note=note,
                        user_id=user_id)


@transaction.atomic
def _order_write(*, supplier: Supplier, branch_id: int, lines: list[PurchaseOrderLine], expected_on: date | None,
                 note: str, user_id: int | None) -> PurchaseOrder:
    order = PurchaseOrder.objects.create(supplier=supplier, branch_id=branch_id, expected_on=expected_on, note=note,
                                         created_by=user_id, total=_total(lines))
    order.number = f"{NUMBER_PREFIX}{order.pk:06d}"
    order.save(update_fields=["number"])
    for line in lines:
        line.order = order
    PurchaseOrderLine.objects.bulk_create(lines)
    return order


def _total(lines: list[PurchaseOrderLine]) -> Decimal:
    return sum((line.quantity * line.unit_cost for line in lines), Decimal("0.00"))


def _locked_order(order_id: int) -> PurchaseOrder:
    return get_object_or_404(PurchaseOrder.objects.select_for_update(), pk=order_id)


def _status_require(order: PurchaseOrder, allowed: set[str], action: str) -> None:
    if order.status not in allowed:
        raise DomainError(f"Order {order.number} is {order.status}: it cannot be {action}.", "order_status_conflict",
                          409, status=order.status)


_UNSET = object()


def order_update(*, order_id: int, supplier_id: int | None = None, branch_id: int | None = None,
                 lines: list[OrderLineIn] | None = None, expected_on: date | None | object = _UNSET,
                 note: str | None = None) -> PurchaseOrder:
    """Change a draft order; what is given replaces what it had (lines all at once). 409 unless draft."""
    current = get_object_or_404(PurchaseOrder.objects.using("default"), pk=order_id)
    _status_require(current, {OrderStatus.DRAFT}, "edited")
    supplier = _supplier_require(supplier_id if supplier_id is not None else current.supplier_id)
    if branch_id is not None and branch_id != current.branch_id:
        sucursales_client.branch_get(branch_id)
    if lines is None and supplier.pk != current.supplier_id:
        # the new supplier must sell what is ordered: the kept lines are checked (at their costs) again
        lines = [OrderLineIn(x.product, x.quantity, x.unit_cost) for x in current.lines.all()]
    priced = None if lines is None else _priced_lines(supplier, lines)
    with transaction.atomic():
        order = _locked_order(order_id)
        _status_require(order, {OrderStatus.DRAFT}, "edited")
        order.supplier = supplier
        if branch_id is not None:
            order.branch_id = branch_id
        if expected_on is not _UNSET:
            order.expected_on = expected_on
        if note is not None:
            order.note = note
        if priced is not None:
            order.lines.all().delete()
            for line in priced:
                line.order = order
            PurchaseOrderLine.objects.bulk_create(priced)
            order.total = _total(priced)
        order.save()
        return order


@transaction.atomic
def order_confirm(*, order_id: int) -> PurchaseOrder:
    """Sent to the supplier: from now on it is received against, and no longer edited. 409 unless draft."""
    order = _locked_order(order_id)
    _status_require(order, {OrderStatus.DRAFT}, "confirmed")
    order.status = OrderStatus.CONFIRMED
    order.confirmed_at = timezone.now()
    order.save(update_fields=["status", "confirmed_at", "updated_at"])
    return order


@transaction.atomic
def order_cancel(*, order_id: int) -> PurchaseOrder:
    """Cancel what is not received: a draft or confirmed order becomes `cancelled`; one partially received
    closes as `received` with what came (its lines keep `quantity` and `received`). 409 while a receipt of
    it is pending (its outcome decides what was received) and for a closed order."""
    order = _locked_order(order_id)
    _status_require(order, {OrderStatus.DRAFT, *RECEIVABLE}, "cancelled")
    if order.receipts.filter(status=ReceiptStatus.PENDING).exists():
        raise DomainError(f"A receipt of order {order.number} is pending; cancel once it is settled.",
                          "receipt_pending", 409)
    now = timezone.now()
    order.status = OrderStatus.RECEIVED if order.status == OrderStatus.PARTIALLY_RECEIVED else OrderStatus.CANCELLED
    order.cancelled_at = order.closed_at = now
    order.save(update_fields=["status", "cancelled_at", "closed_at", "updated_at"])
    return order


# --- receipts -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReceiptLineIn:
    product: int
    quantity: int
    unit_cost: Decimal | None = None  # None: the order line's unit cost


@dataclass(frozen=True)
class ReceiptRequest:
    order_id: int
    user_id: int
    idempotency_key: str
    request_hash: str
    delivery_note: str
    lines: list[ReceiptLineIn]
    acting_token: str = ""


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(2 ** max(attempts - 1, 0), settings.PURCHASING_RECONCILE_MAX_BACKOFF_SECONDS))


def _taken(order: PurchaseOrder) -> dict[int, int]:
    """Per product, the units of the order's receipts that are pending or completed."""
    return dict(ReceiptLine.objects.filter(receipt__order=order).exclude(receipt__status=ReceiptStatus.REJECTED)
                .values("product").order_by().annotate(total=Sum("quantity")).values_list("product", "total"))


def receipt_allowance(quantity: int) -> int:
    """The most units a line of `quantity` may receive in all (settings.PURCHASING_OVER_RECEIPT_PERCENT)."""
    percent = Decimal(str(settings.PURCHASING_OVER_RECEIPT_PERCENT))
    return int(quantity * (100 + percent) // 100)


@transaction.atomic
def receipt_create(*, request: ReceiptRequest) -> Receipt:
    """Store a receipt `pending` with its stock-move key, under the order's row lock: two receipts cannot
    both take the last units. 409 order_status_conflict unless confirmed or partially received; 400
    product_not_on_order, duplicate_product, over_receipt (with the lines). Nothing is stored on an error."""
    order = _locked_order(request.order_id)
    _status_require(order, set(RECEIVABLE), "received")
    ordered = {line.product: line for line in order.lines.all()}
    products = [line.product for line in request.lines]
    if len(set(products)) != len(products):
        raise DomainError("Each product may appear in one line only.", "duplicate_product", 400,
                          lines=["Each product may appear in one line only."])
    strangers = [p for p in products if p not in ordered]
    if strangers:
        message = f"Products {', '.join(map(str, strangers))} are not on order {order.number}."
        raise DomainError(message, "product_not_on_order", 400, lines=[message], products=strangers)
    taken = _taken(order)
    over = [{"product": x.product, "ordered": ordered[x.product].quantity, "received": taken.get(x.product, 0),
             "requested": x.quantity, "allowed": receipt_allowance(ordered[x.product].quantity)}
            for x in request.lines
            if taken.get(x.product, 0) + x.quantity > receipt_allowance(ordered[x.product].quantity)]
    if over:
        raise DomainError("More would be received than was ordered.", "over_receipt", 400, lines=over)
    receipt = Receipt.objects.create(
        order=order, delivery_note=request.delivery_note, user_id=request.user_id,
        idempotency_key=request.idempotency_key, request_hash=request.request_hash, saga_key=uuid.uuid4().hex,
        acting_token=request.acting_token,
        next_attempt_at=timezone.now() + timedelta(seconds=settings.PURCHASING_RECONCILE_AFTER_SECONDS))
    ReceiptLine.objects.bulk_create([
        ReceiptLine(receipt=receipt, product=x.product, quantity=x.quantity,
                    unit_cost=ordered[x.product].unit_cost if x.unit_cost is None else x.unit_cost)
        for x in request.lines])
    return receipt


@transaction.atomic
def receipt_complete(*, receipt: Receipt, stock_document: int | None) -> Receipt:
    """Inventory has the units: they count as received on the order's lines, and the order's status follows.

    Runs in the driver's transaction, which holds the receipt's row lock; the order's row is locked after it.
    """
    order = _locked_order(receipt.order_id)
    for line in receipt.lines.all():
        PurchaseOrderLine.objects.filter(order=order, product=line.product).update(
            received=F("received") + line.quantity)
    now = timezone.now()
    if order.status in RECEIVABLE:
        complete = not order.lines.filter(received__lt=F("quantity")).exists()
        order.status = OrderStatus.RECEIVED if complete else OrderStatus.PARTIALLY_RECEIVED
        if complete:
            order.closed_at = now
        order.save(update_fields=["status", "closed_at", "updated_at"])
    receipt.status = ReceiptStatus.COMPLETED
    receipt.stock_document = stock_document
    receipt.settled_at = now
    receipt.next_attempt_at = None
    receipt.acting_token = ""  # settled: the token is never forwarded again
    receipt.save(update_fields=["status", "stock_document", "settled_at", "next_attempt_at", "acting_token"])
    return receipt


@transaction.atomic
def receipt_reject(*, receipt: Receipt, rejection: dict) -> Receipt:
    """Inventory refused the move (nothing entered stock): the receipt's units no longer count against the order."""
    receipt.status = ReceiptStatus.REJECTED
    receipt.rejection = rejection
    receipt.settled_at = timezone.now()
    receipt.next_attempt_at = None
    receipt.acting_token = ""
    receipt.save(update_fields=["status", "rejection", "settled_at", "next_attempt_at", "acting_token"])
    return receipt


@transaction.atomic
def receipt_postpone(*, receipt: Receipt, reason: str) -> Receipt:
    """The move's outcome is unknown: stay pending and let the reconciler retry with the same key."""
    receipt.attempts += 1
    receipt.last_error = reason[:255]
    receipt.next_attempt_at = timezone.now() + _backoff(receipt.attempts)
    receipt.save(update_fields=["attempts", "last_error", "next_attempt_at"])
    return receipt
