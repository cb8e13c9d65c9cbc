"""The one way points change: lock the customer's row, refuse a balance below zero, change with F(), append the ledger.

Every write of loyalty.services goes through `points_apply` inside its transaction,
so a customer's ledger entries always sum to their `points`, and two tills spending
the same points queue on the row lock: the second sees what the first left.
"""
from __future__ import annotations

from django.db import transaction
from django.db.models import F

from customers.models import Customer
from sis_common.errors import DomainError

from .models import PointsEntry


def customer_locked(customer_id: int) -> Customer:
    """The customer's row, locked until the transaction ends (SELECT … FOR UPDATE)."""
    return Customer.objects.select_for_update().get(pk=customer_id)


def insufficient_points(*, available: int, requested: int) -> DomainError:
    return DomainError(f"The customer holds {available} points; {requested} were asked.", "insufficient_points",
                       409, available=available, requested=requested)


@transaction.atomic(savepoint=False)
def points_apply(*, customer: Customer, kind: str, quantity: int, reference: str, note: str = "") -> PointsEntry:
    """Add `quantity` (signed, not zero) to a customer locked by `customer_locked`; 409 insufficient_points below zero."""
    if quantity == 0:
        raise ValueError("points_apply needs a non-zero quantity")
    balance = customer.points + quantity
    if balance < 0:
        raise insufficient_points(available=customer.points, requested=-quantity)
    Customer.objects.filter(pk=customer.pk).update(points=F("points") + quantity)
    customer.points = balance
    return PointsEntry.objects.create(customer=customer, kind=kind, quantity=quantity, balance_after=balance,
                                      reference=reference, note=note[:255])
