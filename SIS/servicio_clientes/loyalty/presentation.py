"""Loyalty records in the internal API's shape, as plain dicts."""
from __future__ import annotations

from sis_common.bounds import money_text

from .models import Earning, Reservation, Reversal


def earning_public(earning: Earning, balance: int) -> dict:
    return {"reference": earning.reference, "customer": earning.customer_id, "amount": money_text(earning.amount),
            "points": earning.points, "balance": balance}


def reversal_public(reversal: Reversal, balance: int) -> dict:
    return {"reference": reversal.reference, "sale_reference": reversal.earning.reference,
            "customer": reversal.earning.customer_id, "amount": money_text(reversal.amount),
            "points": reversal.points, "taken": reversal.taken, "balance": balance}


def reservation_public(reservation: Reservation) -> dict:
    return {"key": reservation.key, "customer": reservation.customer_id, "points": reservation.points,
            "reference": reservation.reference, "status": reservation.status}
