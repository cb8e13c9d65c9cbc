"""Writes of the reorder list: a selection of suggestions becomes draft orders, one per supplier."""
from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from orders.models import PurchaseOrder
from orders.services import OrderLineIn, order_create


@dataclass(frozen=True)
class ReorderLine:
    product: int
    quantity: int
    supplier: int


@transaction.atomic
def reorder_orders_create(*, branch_id: int, lines: list[ReorderLine], user_id: int | None) -> list[PurchaseOrder]:
    """One draft order per supplier of `lines` (in supplier id order), at each supplier's current unit cost; all
    of them or, on any refusal of orders.services.order_create (a supplier inactive, a product it does not sell…),
    none."""
    by_supplier: dict[int, list[OrderLineIn]] = {}
    for line in lines:
        by_supplier.setdefault(line.supplier, []).append(OrderLineIn(line.product, line.quantity))
    return [order_create(supplier_id=supplier, branch_id=branch_id, lines=by_supplier[supplier], user_id=user_id)
            for supplier in sorted(by_supplier)]
