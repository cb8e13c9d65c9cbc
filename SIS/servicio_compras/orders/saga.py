"""Driving a pending receipt to its end: one driver at a time, always the same stock-move key.

The driver holds the receipt's row lock while it asks inventory, so the request
that stored it, a client's retry and the reconciler never drive it together;
whoever finds it locked backs off. Inventory answers a repeated key with its
first answer, so a retry after an unknown outcome either puts the goods in or
learns that they are in already, never twice.
"""
from __future__ import annotations

import logging
import time
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, transaction

from sis_common import inventario_client as inventory
from sis_common.inventario_client import MoveLine, MoveOutcome

from . import services
from .models import PurchaseOrder, Receipt, ReceiptStatus

log = logging.getLogger(__name__)
LOCK_BUSY_ERRORS = frozenset({1205, 3572})  # lock wait timeout (MariaDB's NOWAIT), MySQL's ER_LOCK_NOWAIT


class ReceiptBusy(Exception):
    """Another request or the reconciler is driving this receipt right now."""


@contextmanager
def _busy_when_locked():
    try:
        yield
    except OperationalError as exc:
        if exc.args and exc.args[0] in LOCK_BUSY_ERRORS:
            raise ReceiptBusy from exc
        raise


def receipt_drive(*, receipt_id: int, wait: float = 0.0) -> Receipt:
    """Put a pending receipt's goods into stock and settle it; ReceiptBusy if someone else is at it past `wait`."""
    deadline = time.monotonic() + wait
    while True:
        try:
            return _drive_once(receipt_id)
        except ReceiptBusy:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.1)


@transaction.atomic
def _drive_once(receipt_id: int) -> Receipt:
    with _busy_when_locked():
        # the receipt's row alone: a join would lock the order's row too, for as long as inventory takes
        receipt = Receipt.objects.select_for_update(nowait=True).get(pk=receipt_id)
    if receipt.status != ReceiptStatus.PENDING:
        return receipt
    # number and branch of an order never change once it is received against
    receipt.order = PurchaseOrder.objects.get(pk=receipt.order_id)
    result = inventory.stock_move(
        key=receipt.saga_key, kind="receipt", branch=receipt.order.branch_id, reference=receipt.reference,
        user=receipt.user_id, acting_token=receipt.acting_token, supplier_ref=receipt.delivery_note,
        lines=[MoveLine(x.product, x.quantity, x.unit_cost) for x in receipt.lines.all()],
        read_timeout=settings.PURCHASING_STOCK_MOVE_TIMEOUT)
    if result.outcome is MoveOutcome.MOVED:
        return services.receipt_complete(receipt=receipt, stock_document=result.data.get("id"))
    if result.outcome in (MoveOutcome.SHORT, MoveOutcome.REFUSED):
        return services.receipt_reject(receipt=receipt, rejection={
            "detail": "Inventory refused the receipt.", "code": "stock_move_refused", "inventory": result.data})
    log.warning("receipt %s stays pending: %s", receipt.pk, result.reason)
    return services.receipt_postpone(receipt=receipt, reason=result.reason)
