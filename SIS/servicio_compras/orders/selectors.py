"""Reads on purchase orders and their receipts."""
from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from sis_common.filtersets import filtered

from .filters import OrderFilter
from .models import PurchaseOrder, PurchaseOrderLine, Receipt, ReceiptLine, ReceiptStatus


def order_list(*, branches: frozenset[int] | None, **filters) -> QuerySet[PurchaseOrder]:
    """Orders at `branches` (None: every branch), newest first, with their lines."""
    orders = PurchaseOrder.objects.select_related("supplier").prefetch_related(
        Prefetch("lines", queryset=PurchaseOrderLine.objects.order_by("id")))
    if branches is not None:
        orders = orders.filter(branch_id__in=branches)
    return filtered(OrderFilter, orders, **filters).order_by("-id")


def order_fresh(*, order_id: int) -> PurchaseOrder:
    """The order as the primary has it now (the answer of a write)."""
    return order_list(branches=None).using("default").get(pk=order_id)


def _receipts() -> QuerySet[Receipt]:
    return Receipt.objects.select_related("order").prefetch_related(
        Prefetch("lines", queryset=ReceiptLine.objects.order_by("id")))


def receipt_list(*, order_id: int) -> QuerySet[Receipt]:
    """The order's receipts, oldest first, settled or not."""
    return _receipts().filter(order_id=order_id).order_by("id")


def receipt_by_key(*, user_id: int, key: str) -> Receipt | None:
    return Receipt.objects.using("default").filter(user_id=user_id, idempotency_key=key).first()


def receipt_fresh(*, receipt_id: int) -> Receipt:
    """The receipt as the primary has it now (the answer of a write)."""
    return _receipts().using("default").get(pk=receipt_id)


def pending_due(*, limit: int) -> list[int]:
    """Pending receipts whose next attempt is due, oldest first, at most `limit`."""
    return list(Receipt.objects.using("default")
                .filter(status=ReceiptStatus.PENDING, next_attempt_at__lte=timezone.now())
                .order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
