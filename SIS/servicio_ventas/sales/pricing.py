"""Money arithmetic of sales and returns: one rounding rule, Decimal throughout.

The rule (docs/sales.md): prices are before tax and already in cents; a line's
total is unit price x quantity (exact); the subtotal is the sum of line totals
(exact); tax is subtotal x rate rounded once, half up, to the cent; total is
subtotal + tax. A return refunds its lines' subtotal plus the tax that makes
all returns so far add up to what the same rule gives on their cumulative
subtotal, so returning everything refunds exactly the sale's total.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable

from .models import PaymentMethod

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
METHODS: tuple[str, ...] = tuple(PaymentMethod.values)  # every per-method amount, column and field follows this order
NON_CASH = tuple(m for m in METHODS if m != PaymentMethod.CASH)


def money(value) -> Decimal:
    """A value rounded half up to the cent (the only rounding anywhere in sales)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def line_total(unit_price: Decimal, quantity: int) -> Decimal:
    return money(unit_price) * quantity


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal
    tax: Decimal
    total: Decimal


def totals(line_totals: Iterable[Decimal], rate: Decimal) -> Totals:
    subtotal = sum(line_totals, ZERO)
    tax = money(subtotal * rate)
    return Totals(subtotal, tax, subtotal + tax)


class PaymentError(Exception):
    """Payments that cannot settle the total; carries a stable code."""

    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code, self.detail = code, detail


@dataclass(frozen=True)
class Settlement:
    paid: Decimal
    change: Decimal
    # what each method contributes to the total: cash net of change
    applied: dict[str, Decimal]


def settle(total: Decimal, payments: Iterable[tuple[str, Decimal]]) -> Settlement:
    """Check payments against the total: enough in all, no overpayment by card or transfer."""
    by_method = {method: ZERO for method in METHODS}
    for method, amount in payments:
        by_method[method] += money(amount)
    paid = sum(by_method.values(), ZERO)
    if paid < total:
        raise PaymentError("payment_insufficient", f"Payments ({paid}) are short of the total ({total}).")
    non_cash = sum((by_method[m] for m in NON_CASH), ZERO)
    if non_cash > total:
        raise PaymentError("non_cash_overpayment",
                           f"Card and transfer payments ({non_cash}) may not exceed the total ({total}).")
    change = paid - total
    # change only ever comes out of cash: non-cash <= total means change <= cash
    return Settlement(paid, change, {**by_method, PaymentMethod.CASH: by_method[PaymentMethod.CASH] - change})


def refund(*, rate: Decimal, returned_before: Decimal, refunded_before: Decimal, returning: Decimal) -> Totals:
    """Refund of a return whose lines' subtotal is `returning`, after earlier returns of the same sale.

    `returned_before` is the earlier returns' subtotal and `refunded_before`
    what they refunded; the refund makes the running total equal the rounding
    rule applied to the cumulative subtotal.
    """
    cumulative = returned_before + returning
    owed = cumulative + money(cumulative * rate)
    amount = owed - refunded_before
    return Totals(returning, amount - returning, amount)
