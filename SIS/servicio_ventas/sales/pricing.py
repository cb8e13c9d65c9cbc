"""Money arithmetic of sales and returns: taxes, discounts, rounding, settlement, refunds; Decimal throughout.

The rule (docs/sales.md, "Money and rounding"), per line:
- gross = unit price x quantity (exact, prices are in cents);
- the line's own discount: `{percent}` -> gross x percent / 100, `{amount}` -> that
  amount (<= gross); then the sale's discount is spread over the lines in
  proportion to what is left of each, whole cents by largest remainder (a line
  never takes more than is left of it);
- what is left is the line's amount, in the terms the price is in: with prices
  that include tax it is the line's total, net = total / (1 + rate) and tax =
  total - net; with prices before tax it is the net, tax = net x rate and
  total = net + tax. Each division or product is rounded half up to the cent,
  once per line.
The sale's subtotal (net), tax, total and discount are the sums of its lines,
and the tax breakdown groups the lines by rate, so every figure adds up.
A return refunds, per line, the share of that line's net and tax that its units
returned so far are of the units sold, minus what earlier returns refunded of
that line: returning everything refunds exactly the sale's total.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from .models import PaymentMethod

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
METHODS: tuple[str, ...] = tuple(PaymentMethod.values)  # every per-method amount, column and field follows this order
NON_CASH = tuple(m for m in METHODS if m != PaymentMethod.CASH)


def money(value) -> Decimal:
    """A value rounded half up to the cent (the only rounding of amounts in sales)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def line_total(unit_price: Decimal, quantity: int) -> Decimal:
    """A line's gross amount: its price (in cents) times its quantity, exact."""
    return money(unit_price) * quantity


class PricingError(Exception):
    """A discount the sale cannot take (more than the line or the sale); carries a stable code."""

    def __init__(self, code: str, detail: str, **extra):
        super().__init__(detail)
        self.code, self.detail, self.extra = code, detail, extra


@dataclass(frozen=True)
class Discount:
    """`{percent}` (0..100) or `{amount}` (money >= 0) off a line or the sale; exactly one is set."""

    percent: Decimal | None = None
    amount: Decimal | None = None

    def off(self, base: Decimal) -> Decimal:
        """What this discount takes off `base`, rounded to the cent."""
        return money(base * self.percent / HUNDRED) if self.percent is not None else money(self.amount)

    def percent_of(self, base: Decimal) -> Decimal:
        """The percent of `base` this discount asks for, unrounded (what limits are checked against)."""
        if self.percent is not None:
            return Decimal(self.percent)
        return money(self.amount) / base * HUNDRED if base > 0 else ZERO

    def as_dict(self) -> dict:
        return {"percent": f"{self.percent:.2f}"} if self.percent is not None else {"amount": f"{money(self.amount)}"}


@dataclass(frozen=True)
class LineIn:
    unit_price: Decimal
    quantity: int
    tax_rate: Decimal
    discount: Discount | None = None


@dataclass(frozen=True)
class LineAmounts:
    gross: Decimal
    discount: Decimal  # the line's own discount plus its share of the sale's
    net: Decimal
    tax: Decimal
    total: Decimal
    tax_rate: Decimal


@dataclass(frozen=True)
class TaxBand:
    rate: Decimal
    net: Decimal
    tax: Decimal


@dataclass(frozen=True)
class Priced:
    lines: list[LineAmounts]
    gross: Decimal
    discount_total: Decimal
    subtotal: Decimal  # the sum of the lines' net
    tax: Decimal
    total: Decimal
    tax_breakdown: list[TaxBand]
    # the largest discount any line gets, its own and the sale's together, as asked (unrounded percent)
    effective_percent: Decimal


def price(lines: Sequence[LineIn], *, prices_include_tax: bool, discount: Discount | None = None) -> Priced:
    """The sale's lines and totals under the rule above; PricingError for a discount above its base."""
    gross = [line_total(line.unit_price, line.quantity) for line in lines]
    own = []
    for index, (line, base) in enumerate(zip(lines, gross)):
        off = line.discount.off(base) if line.discount else ZERO
        _check_within(off, base, line.discount, code="discount_exceeds_line", line=index)
        own.append(off)
    left = [base - off for base, off in zip(gross, own)]
    left_total = sum(left, ZERO)
    sale_off = discount.off(left_total) if discount else ZERO
    _check_within(sale_off, left_total, discount, code="discount_exceeds_sale")
    shares = spread(sale_off, left)
    amounts = [_line(base, own_off + share, base - own_off - share, line.tax_rate, prices_include_tax)
               for line, base, own_off, share in zip(lines, gross, own, shares)]
    sale_percent = discount.percent_of(left_total) if discount else ZERO
    effective = max((_combined(line.discount.percent_of(base) if line.discount else ZERO, sale_percent)
                     for line, base in zip(lines, gross) if base > 0), default=ZERO)
    return Priced(
        lines=amounts, gross=sum(gross, ZERO), discount_total=sum((x.discount for x in amounts), ZERO),
        subtotal=sum((x.net for x in amounts), ZERO), tax=sum((x.tax for x in amounts), ZERO),
        total=sum((x.total for x in amounts), ZERO), tax_breakdown=breakdown(amounts), effective_percent=effective,
    )


def _check_within(off: Decimal, base: Decimal, discount: Discount | None, *, code: str, **where) -> None:
    if discount is None:
        return
    if (discount.percent is not None and not ZERO <= discount.percent <= HUNDRED) or off < 0:
        raise PricingError("discount_invalid", "A discount is a percent from 0 to 100 or an amount from 0.", **where)
    if off > base:
        what = "line" if code == "discount_exceeds_line" else "sale"
        raise PricingError(code, f"A discount of {off} exceeds the {what}'s amount ({base}).",
                           requested=str(off), available=str(base), **where)


def _combined(line_percent: Decimal, sale_percent: Decimal) -> Decimal:
    """What a line's own discount and the sale's take off its price together, in percent."""
    return HUNDRED - (HUNDRED - line_percent) * (HUNDRED - sale_percent) / HUNDRED


def spread(amount: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """`amount` (cents, <= sum of weights) split in proportion to `weights`, by largest remainder.

    Each part is its exact share rounded down to the cent; the cents left over go
    one each to the parts with the largest remainders (ties: the larger weight, then
    the earlier line). So the parts add up to `amount` and none exceeds its weight.
    """
    whole = sum(weights, ZERO)
    if amount == 0 or whole == 0:
        return [ZERO for _ in weights]
    exact = [amount * weight / whole for weight in weights]
    parts = [share.quantize(CENT, rounding=ROUND_DOWN) for share in exact]
    left = int((amount - sum(parts, ZERO)) / CENT)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), -weights[i], i))
    for i in order[:left]:
        parts[i] += CENT
    return parts


def _line(gross: Decimal, discount: Decimal, amount: Decimal, rate: Decimal, prices_include_tax: bool) -> LineAmounts:
    if prices_include_tax:
        net = money(amount / (1 + rate))
        return LineAmounts(gross, discount, net, amount - net, amount, rate)
    tax = money(amount * rate)
    return LineAmounts(gross, discount, amount, tax, amount + tax, rate)


def breakdown(lines: Iterable[LineAmounts]) -> list[TaxBand]:
    """Net and tax per rate, lowest rate first; the bands add up to the lines."""
    bands: dict[Decimal, list[Decimal]] = {}
    for line in lines:
        band = bands.setdefault(Decimal(line.tax_rate), [ZERO, ZERO])
        band[0] += line.net
        band[1] += line.tax
    return [TaxBand(rate, net, tax) for rate, (net, tax) in sorted(bands.items())]


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
                           f"Card, transfer and points payments ({non_cash}) may not exceed the total ({total}).")
    change = paid - total
    # change only ever comes out of cash: non-cash <= total means change <= cash
    return Settlement(paid, change, {**by_method, PaymentMethod.CASH: by_method[PaymentMethod.CASH] - change})


@dataclass(frozen=True)
class Refund:
    net: Decimal
    tax: Decimal

    @property
    def total(self) -> Decimal:
        return self.net + self.tax


def line_refund(*, net: Decimal, tax: Decimal, sold: int, returned_before: int, returning: int) -> Refund:
    """What returning `returning` units of a line (net, tax for `sold` units) refunds after earlier returns.

    The refunds of a line so far are always its net and tax times the share of
    units returned so far, each rounded to the cent; all units back is the line exactly.
    """
    def upto(value: Decimal, units: int) -> Decimal:
        return money(value * units / sold)

    after = returned_before + returning
    return Refund(upto(net, after) - upto(net, returned_before), upto(tax, after) - upto(tax, returned_before))
