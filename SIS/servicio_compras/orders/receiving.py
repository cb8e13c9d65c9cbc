"""A POSTed receipt from request to answer: replay by key, or store pending and drive.

The Idempotency-Key is kept on the receipt itself (unique per user), so the key
and the pending receipt commit together, before inventory is asked. A repeat
of the key finds the receipt: a different body is 422; a settled receipt answers
as it did; a pending one is driven again (or 409 while someone else drives it).
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError

from sis_common.idempotency.contract import fingerprint, in_progress, key_reused

from . import saga, selectors, services
from .models import Receipt, ReceiptStatus

# how long the storing request waits for a duplicate that grabbed its fresh receipt (< gateway timeout)
CREATOR_WAIT_SECONDS = 6.0


@dataclass(frozen=True)
class Submitted:
    receipt: Receipt
    replayed: bool


def receipt_request_hash(*, order_id: int, delivery_note: str, lines: list[services.ReceiptLineIn]) -> str:
    """The fingerprint a key is bound to: the same receipt in any line order and cost spelling matches."""
    return fingerprint({"order": order_id, "delivery_note": delivery_note,
                        "lines": sorted([x.product, x.quantity, None if x.unit_cost is None else f"{x.unit_cost:.2f}"]
                                        for x in lines)})


def receipt_submit(*, user_id: int, key: str, order_id: int, delivery_note: str,
                   lines: list[services.ReceiptLineIn], acting_token: str = "") -> Submitted:
    request_hash = receipt_request_hash(order_id=order_id, delivery_note=delivery_note, lines=lines)
    existing = selectors.receipt_by_key(user_id=user_id, key=key)
    if existing is not None:
        return _resume(existing, request_hash)
    request = services.ReceiptRequest(order_id=order_id, user_id=user_id, idempotency_key=key,
                                      request_hash=request_hash, delivery_note=delivery_note, lines=lines,
                                      acting_token=acting_token)
    try:
        receipt = services.receipt_create(request=request)
    except IntegrityError:
        # a concurrent request with this key stored its receipt first
        existing = selectors.receipt_by_key(user_id=user_id, key=key)
        if existing is None:
            raise
        return _resume(existing, request_hash)
    try:
        receipt = saga.receipt_drive(receipt_id=receipt.pk, wait=CREATOR_WAIT_SECONDS)
    except saga.ReceiptBusy:
        pass  # still being driven by a duplicate: answer pending, the outcome is the duplicate's
    return Submitted(receipt, replayed=False)


def _resume(receipt: Receipt, request_hash: str) -> Submitted:
    if receipt.request_hash != request_hash:
        raise key_reused()
    if receipt.status == ReceiptStatus.PENDING:
        try:
            receipt = saga.receipt_drive(receipt_id=receipt.pk)
        except saga.ReceiptBusy:
            raise in_progress() from None
    return Submitted(receipt, replayed=True)
