"""Writes on points: a sale's earning, a return's reversal, a reservation held, confirmed or released.

Each is one transaction through loyalty.ledger and each happens once: earnings and
reversals are unique per reference, reservations per key, and the internal endpoints
run them under the caller's Idempotency-Key (sis_common.idempotency), so ventas
may repeat any of them after an unknown outcome.
"""
from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from customers.models import Customer
from sis_common.errors import DomainError

from . import rules
from .ledger import customer_locked, points_apply
from .models import Earning, PointsEntry, Reservation, Reversal


def _customer(customer_id: int, *, active: bool = True) -> Customer:
    try:
        customer = customer_locked(customer_id)
    except Customer.DoesNotExist:
        raise DomainError(f"Unknown customer {customer_id}.", "unknown_customer", 400,
                          customer=[f"Unknown customer {customer_id}."]) from None
    if active and not customer.is_active:
        raise DomainError(f"Customer {customer_id} is inactive.", "unknown_customer", 400,
                          customer=[f"Customer {customer_id} is inactive."])
    return customer


@transaction.atomic
def earning_create(*, customer_id: int, reference: str, amount: Decimal) -> tuple[Earning, Customer]:
    """A completed sale's points: `amount` (paid other than with points) by the rule, once per sale.

    A customer deactivated or anonymized since still earns: the sale was made while they were active.
    """
    customer = _customer(customer_id, active=False)
    existing = Earning.objects.filter(reference=reference).first()
    if existing is not None:
        if existing.customer_id != customer.pk or existing.amount != amount:
            raise DomainError(f"{reference} has earned points already, for another customer or amount.",
                              "earning_exists", 409)
        return existing, customer
    points = rules.points_earned(amount)
    earning = Earning.objects.create(reference=reference, customer=customer, amount=amount, points=points)
    if points:
        points_apply(customer=customer, kind=PointsEntry.Kind.EARN, quantity=points, reference=reference,
                     note=f"{amount} at {rules.earn_per()} a point")
    return earning, customer


@transaction.atomic
def reversal_create(*, sale_reference: str, reference: str, amount: Decimal) -> tuple[Reversal, Customer]:
    """A return's share of its sale's points, proportional to what it refunds of what earned them.

    The balance never goes below zero: when the customer has spent the points already, the
    reversal takes what is left and records the rest as not taken (`points` − `taken`); it is
    not claimed from later earnings.
    """
    earning = Earning.objects.select_for_update().filter(reference=sale_reference).first()
    if earning is None:
        raise DomainError(f"{sale_reference} has no points recorded (yet).", "earning_not_found", 409)
    existing = Reversal.objects.filter(reference=reference).first()
    customer = _customer(earning.customer_id, active=False)
    if existing is not None:
        return existing, customer
    refunded = earning.reversed_amount + amount
    due = rules.points_reversed(points=earning.points, base=earning.amount, refunded=refunded) - earning.reversed_points
    taken = min(due, customer.points)
    reversal = Reversal.objects.create(reference=reference, earning=earning, amount=amount, points=due, taken=taken)
    earning.reversed_amount = refunded
    earning.reversed_points += due
    earning.save(update_fields=["reversed_amount", "reversed_points"])
    if taken:
        note = "" if taken == due else f"{due - taken} of {due} already spent, not taken"
        points_apply(customer=customer, kind=PointsEntry.Kind.REVERSE, quantity=-taken, reference=reference, note=note)
    return reversal, customer


@transaction.atomic
def reservation_hold(*, key: str, customer_id: int, points: int, reference: str) -> tuple[Reservation, Customer]:
    """Take `points` from an active customer for a pending sale; 409 insufficient_points beyond the balance.

    A key released before it was held (ventas refused the sale while this call's outcome
    was unknown) stays released: 409 reservation_released, nothing taken.
    """
    customer = _customer(customer_id)
    existing = Reservation.objects.select_for_update().filter(key=key).first()
    if existing is not None:
        if existing.status == Reservation.Status.RELEASED:
            raise DomainError("This reservation was released.", "reservation_released", 409)
        return existing, customer
    points_apply(customer=customer, kind=PointsEntry.Kind.SPEND, quantity=-points, reference=reference)
    return Reservation.objects.create(key=key, customer=customer, points=points, reference=reference), customer


@transaction.atomic
def reservation_confirm(*, key: str) -> Reservation:
    """The sale completed: its held points are spent for good (again: the same answer); 409 once released."""
    reservation = _reservation(key)
    if reservation.status == Reservation.Status.RELEASED:
        raise DomainError("This reservation was released; it cannot be confirmed.", "reservation_released", 409)
    if reservation.status == Reservation.Status.HELD:
        reservation.status, reservation.settled_at = Reservation.Status.CONFIRMED, timezone.now()
        reservation.save(update_fields=["status", "settled_at"])
    return reservation


@transaction.atomic
def reservation_release(*, key: str, reference: str) -> Reservation:
    """The sale was refused: its held points come back (again: the same answer); 409 once confirmed.

    An unknown key is recorded as released with no points, so a hold of it that arrives
    late (its request was still in flight) takes nothing.
    """
    # the customer's row first, as a hold takes it: the two never wait on each other crosswise
    holder = Reservation.objects.filter(key=key).values_list("customer_id", flat=True).first()
    customer = customer_locked(holder) if holder is not None else None
    reservation = Reservation.objects.select_for_update().filter(key=key).first()
    if reservation is None:
        reservation, _ = Reservation.objects.get_or_create(
            key=key, defaults={"points": 0, "reference": reference, "status": Reservation.Status.RELEASED,
                               "settled_at": timezone.now()})
        return reservation
    if reservation.status == Reservation.Status.CONFIRMED:
        raise DomainError("This reservation was confirmed; it cannot be released.", "reservation_confirmed", 409)
    if reservation.status == Reservation.Status.HELD:
        points_apply(customer=customer, kind=PointsEntry.Kind.RELEASE, quantity=reservation.points,
                     reference=reservation.reference)
        reservation.status, reservation.settled_at = Reservation.Status.RELEASED, timezone.now()
        reservation.save(update_fields=["status", "settled_at"])
    return reservation


def _reservation(key: str) -> Reservation:
    reservation = Reservation.objects.select_for_update().filter(key=key).first()
    if reservation is None:
        raise DomainError("Unknown reservation.", "reservation_not_found", 404)
    return reservation
