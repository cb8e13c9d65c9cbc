"""The loyalty rule: how many points a sale earns, how many a return takes back, what a point is worth.

Settings of servicio_clientes (docs/customers.md): `EWTTO_LOYALTY_EARN_PER` (10.00:
one point per that much currency paid other than with points, whole points,
rounded down) and `EWTTO_LOYALTY_POINT_VALUE` (0.10: what one point pays).
"""
from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

from django.conf import settings


def earn_per() -> Decimal:
    return Decimal(str(settings.LOYALTY_EARN_PER))


def point_value() -> Decimal:
    return Decimal(str(settings.LOYALTY_POINT_VALUE))


def points_earned(amount: Decimal) -> int:
    """Whole points for `amount` of currency, rounded down: 19.99 at 10.00 a point is 1."""
    if amount <= 0:
        return 0
    return int((amount / earn_per()).to_integral_value(rounding=ROUND_FLOOR))


def points_reversed(*, points: int, base: Decimal, refunded: Decimal) -> int:
    """The points due back once `refunded` of a sale's `base` has been refunded, rounded down, at most `points`.

    Cumulative, so the reversals of a sale add up to its points when all of it comes back, in
    any number of returns and in any order.
    """
    if base <= 0 or refunded <= 0:
        return 0
    if refunded >= base:
        return points
    return int((points * refunded / base).to_integral_value(rounding=ROUND_FLOOR))
