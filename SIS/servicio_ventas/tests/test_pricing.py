"""The money rule against hand-computed tables, and its sums as properties (pure, no database)."""
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sales import pricing
from sales.pricing import Discount, LineIn

STD, EXEMPT = D("0.18"), D("0")


def pct(value: str) -> Discount:
    return Discount(percent=D(value))


def amt(value: str) -> Discount:
    return Discount(amount=D(value))


def line(price: str, quantity: int = 1, rate: D = STD, discount: Discount | None = None) -> LineIn:
    return LineIn(D(price), quantity, rate, discount)


def figures(priced: pricing.Priced) -> list[tuple[str, str, str, str]]:
    return [(str(x.discount), str(x.net), str(x.tax), str(x.total)) for x in priced.lines]


# each case: lines, sale discount, include tax?, per line (discount, net, tax, total), sale (discount, net, tax, total)
CASES = {
    # prices include tax: the shelf price is the total, net = total / 1.18 rounded, tax the rest
    "inclusive, exact": ([line("11.80")], None, True, [("0.00", "10.00", "1.80", "11.80")],
                         ("0.00", "10.00", "1.80", "11.80")),
    "inclusive, 10.00 -> 8.4745": ([line("10.00")], None, True, [("0.00", "8.47", "1.53", "10.00")],
                                   ("0.00", "8.47", "1.53", "10.00")),
    "inclusive, a cent has no tax": ([line("0.01")], None, True, [("0.00", "0.01", "0.00", "0.01")],
                                     ("0.00", "0.01", "0.00", "0.01")),
    "inclusive, 0.06 -> 0.0508": ([line("0.06")], None, True, [("0.00", "0.05", "0.01", "0.06")],
                                  ("0.00", "0.05", "0.01", "0.06")),
    "inclusive, exempt line": ([line("5.00", 2, EXEMPT)], None, True, [("0.00", "10.00", "0.00", "10.00")],
                               ("0.00", "10.00", "0.00", "10.00")),
    "inclusive, mixed rates": ([line("11.80"), line("5.00", 2, EXEMPT)], None, True,
                               [("0.00", "10.00", "1.80", "11.80"), ("0.00", "10.00", "0.00", "10.00")],
                               ("0.00", "20.00", "1.80", "21.80")),
    # 23.60 - 2.36 = 21.24 = 18.00 net + 3.24 tax
    "inclusive, 10 % off a line": ([line("11.80", 2, discount=pct("10"))], None, True,
                                   [("2.36", "18.00", "3.24", "21.24")], ("2.36", "18.00", "3.24", "21.24")),
    # 9.00 / 1.18 = 7.627
    "inclusive, 1.00 off a line": ([line("10.00", discount=amt("1.00"))], None, True,
                                   [("1.00", "7.63", "1.37", "9.00")], ("1.00", "7.63", "1.37", "9.00")),
    # 10 % of 15.00 = 1.50 spread 1.00 / 0.50 exactly
    "inclusive, 10 % off the sale, mixed": ([line("10.00"), line("5.00", rate=EXEMPT)], pct("10"), True,
                                            [("1.00", "7.63", "1.37", "9.00"), ("0.50", "4.50", "0.00", "4.50")],
                                            ("1.50", "12.13", "1.37", "13.50")),
    # prices before tax: tax = net x rate per line
    "exclusive": ([line("10.00")], None, False, [("0.00", "10.00", "1.80", "11.80")],
                  ("0.00", "10.00", "1.80", "11.80")),
    "exclusive, exactly half rounds up": ([line("0.25")], None, False, [("0.00", "0.25", "0.05", "0.30")],
                                          ("0.00", "0.25", "0.05", "0.30")),
    "exclusive, 17.9982": ([line("33.33", 3)], None, False, [("0.00", "99.99", "18.00", "117.99")],
                           ("0.00", "99.99", "18.00", "117.99")),
    # per line: 0.1998, 0.3996, 0.5994 -> 0.20 + 0.40 + 0.60
    "exclusive, per-line rounding": ([line("1.11"), line("2.22"), line("3.33")], None, False,
                                     [("0.00", "1.11", "0.20", "1.31"), ("0.00", "2.22", "0.40", "2.62"),
                                      ("0.00", "3.33", "0.60", "3.93")], ("0.00", "6.66", "1.20", "7.86")),
    "exclusive, a price in more than cents": ([line("12.345", 2)], None, False,
                                              [("0.00", "24.70", "4.45", "29.15")],
                                              ("0.00", "24.70", "4.45", "29.15")),
    # 5 % of 59.97 = 2.9985 -> 3.00; tax 56.97 x 0.18 = 10.2546
    "exclusive, 5 % off a line": ([line("19.99", 3, discount=pct("5"))], None, False,
                                  [("3.00", "56.97", "10.25", "67.22")], ("3.00", "56.97", "10.25", "67.22")),
    "exclusive, exempt and free": ([line("4.00", rate=EXEMPT, discount=pct("100"))], None, False,
                                   [("4.00", "0.00", "0.00", "0.00")], ("4.00", "0.00", "0.00", "0.00")),
    # 1.00 over three equal lines: 0.3333 each, the left-over cent to the first
    "exclusive, sale amount, largest remainder": ([line("1.00"), line("1.00"), line("1.00")], amt("1.00"), False,
                                                  [("0.34", "0.66", "0.12", "0.78"), ("0.33", "0.67", "0.12", "0.79"),
                                                   ("0.33", "0.67", "0.12", "0.79")],
                                                  ("1.00", "2.00", "0.36", "2.36")),
    # A: 20.00 - 10 % = 18.00; B 10.00; 5 % of 28.00 = 1.40 -> 0.90 / 0.50; taxes 3.078, 1.71
    "exclusive, line and sale discounts": ([line("20.00", discount=pct("10")), line("10.00")], pct("5"), False,
                                           [("2.90", "17.10", "3.08", "20.18"), ("0.50", "9.50", "1.71", "11.21")],
                                           ("3.40", "26.60", "4.79", "31.39")),
    # 7.00 off 3.00 + 7.01: 2.0979 / 4.9021 -> 2.09 / 4.90, the cent to the larger remainder (the first)
    "exclusive, uneven spread": ([line("3.00", rate=EXEMPT), line("7.01", rate=EXEMPT)], amt("7.00"), False,
                                 [("2.10", "0.90", "0.00", "0.90"), ("4.90", "2.11", "0.00", "2.11")],
                                 ("7.00", "3.01", "0.00", "3.01")),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_price_table(case):
    lines, discount, inclusive, per_line, sale = case
    priced = pricing.price(lines, prices_include_tax=inclusive, discount=discount)
    assert figures(priced) == per_line
    assert (str(priced.discount_total), str(priced.subtotal), str(priced.tax), str(priced.total)) == sale


def test_tax_breakdown_by_rate():
    priced = pricing.price([line("11.80"), line("5.00", 2, EXEMPT), line("2.36", 5)], prices_include_tax=True)
    assert [(str(b.rate), str(b.net), str(b.tax)) for b in priced.tax_breakdown] == [
        ("0", "10.00", "0.00"), ("0.18", "20.00", "3.60")]


@pytest.mark.parametrize(("lines", "discount", "effective"), [
    ([line("10.00", discount=pct("5"))], None, "5"),
    ([line("10.00")], pct("30"), "30"),
    ([line("10.00", discount=amt("0.50"))], None, "5"),
    # 10 % and 5 %: 100 - 90 x 95 / 100
    ([line("20.00", discount=pct("10")), line("10.00")], pct("5"), "14.5"),
    # what a percent asks, not what rounding to the cent made of it (5 % of 0.10 is 0.01)
    ([line("0.10", discount=pct("5"))], None, "5"),
    ([line("0.00", discount=pct("50")), line("1.00")], None, "0"),
])
def test_effective_percent_is_what_is_asked_per_line(lines, discount, effective):
    assert pricing.price(lines, prices_include_tax=True, discount=discount).effective_percent == D(effective)


@pytest.mark.parametrize(("lines", "discount", "code"), [
    ([line("10.00", discount=amt("10.01"))], None, "discount_exceeds_line"),
    ([line("10.00", discount=pct("100.01"))], None, "discount_invalid"),
    ([line("10.00", discount=amt("-1.00"))], None, "discount_invalid"),
    ([line("10.00", discount=amt("4.00"))], amt("6.01"), "discount_exceeds_sale"),
    ([line("10.00")], pct("-1"), "discount_invalid"),
])
def test_discounts_above_their_base_are_refused(lines, discount, code):
    with pytest.raises(pricing.PricingError) as refused:
        pricing.price(lines, prices_include_tax=False, discount=discount)
    assert refused.value.code == code


@pytest.mark.parametrize(("total", "payments", "change", "applied"), [
    ("90.74", [("cash", "100.00")], "9.26", {"cash": "90.74", "card": "0", "transfer": "0", "points": "0"}),
    ("90.74", [("cash", "40.74"), ("card", "50.00")], "0.00", {"cash": "40.74", "card": "50.00", "transfer": "0", "points": "0"}),
    ("90.74", [("cash", "50.00"), ("card", "50.00")], "9.26", {"cash": "40.74", "card": "50.00", "transfer": "0", "points": "0"}),
    ("90.74", [("card", "40.74"), ("transfer", "50.00")], "0.00",
     {"cash": "0", "card": "40.74", "transfer": "50.00", "points": "0"}),
    ("10.00", [("cash", "5.00"), ("cash", "6.00")], "1.00", {"cash": "10.00", "card": "0", "transfer": "0", "points": "0"}),
    ("0.01", [("transfer", "0.01")], "0.00", {"cash": "0", "card": "0", "transfer": "0.01", "points": "0"}),
])
def test_settle(total, payments, change, applied):
    settled = pricing.settle(D(total), [(m, D(a)) for m, a in payments])
    assert settled.change == D(change)
    assert settled.applied == {k: D(v) for k, v in applied.items()}
    assert sum(settled.applied.values()) == D(total)
    assert settled.paid - settled.change == D(total)


@pytest.mark.parametrize(("total", "payments", "code"), [
    ("90.74", [("cash", "90.73")], "payment_insufficient"),
    ("90.74", [("card", "50.00"), ("transfer", "40.73")], "payment_insufficient"),
    ("90.74", [("card", "90.75")], "non_cash_overpayment"),
    ("90.74", [("cash", "10.00"), ("card", "50.00"), ("transfer", "40.75")], "non_cash_overpayment"),
])
def test_settle_refuses(total, payments, code):
    with pytest.raises(pricing.PaymentError) as refused:
        pricing.settle(D(total), [(m, D(a)) for m, a in payments])
    assert refused.value.code == code


def test_line_refunds_by_hand():
    # 3 x 10.00 with tax included: 25.42 net + 4.58 tax; a third is 8.4733 / 1.5267, two thirds 16.9467 / 3.0533
    steps = [pricing.line_refund(net=D("25.42"), tax=D("4.58"), sold=3, returned_before=before, returning=1)
             for before in range(3)]
    assert [(str(r.net), str(r.tax), str(r.total)) for r in steps] == [
        ("8.47", "1.53", "10.00"), ("8.48", "1.52", "10.00"), ("8.47", "1.53", "10.00")]


# properties over random sales: any prices, quantities, rates, discounts of either kind
cents = st.integers(min_value=0, max_value=10_000_000).map(lambda c: D(c) / 100)
rates = st.sampled_from([D("0"), D("0.08"), D("0.10"), D("0.18"), D("0.2100"), D("1")])
percents = st.integers(min_value=0, max_value=10_000).map(lambda p: D(p) / 100)


@st.composite
def sales(draw):
    lines = []
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        price, quantity = draw(cents), draw(st.integers(min_value=1, max_value=50))
        gross = price * quantity
        discount = draw(st.one_of(
            st.none(), percents.map(lambda p: Discount(percent=p)),
            st.integers(min_value=0, max_value=int(gross * 100)).map(lambda c: Discount(amount=D(c) / 100))))
        lines.append(LineIn(price, quantity, draw(rates), discount))
    discount = draw(st.one_of(st.none(), percents.map(lambda p: Discount(percent=p)),
                              st.integers(min_value=0, max_value=100).map(lambda c: Discount(amount=D(c) / 100))))
    return lines, discount, draw(st.booleans())


@given(sales())
def test_every_figure_adds_up(sale):
    lines, discount, inclusive = sale
    try:
        priced = pricing.price(lines, prices_include_tax=inclusive, discount=discount)
    except pricing.PricingError as refused:
        assert refused.code == "discount_exceeds_sale"  # only a sale amount can exceed what the lines leave
        return
    for x, given_line in zip(priced.lines, lines):
        assert min(x.net, x.tax, x.total, x.discount) >= 0
        assert x.discount <= x.gross == pricing.line_total(given_line.unit_price, given_line.quantity)
        assert x.net + x.tax == x.total
        assert (x.total if inclusive else x.net) == x.gross - x.discount
        assert x.net.as_tuple().exponent == x.tax.as_tuple().exponent == -2
    assert priced.subtotal == sum(x.net for x in priced.lines)
    assert priced.tax == sum(x.tax for x in priced.lines)
    assert priced.total == priced.subtotal + priced.tax == sum(x.total for x in priced.lines)
    assert priced.discount_total == sum(x.discount for x in priced.lines) <= priced.gross
    assert sum(b.net for b in priced.tax_breakdown) == priced.subtotal
    assert sum(b.tax for b in priced.tax_breakdown) == priced.tax
    assert 0 <= priced.effective_percent <= 100


@given(st.integers(min_value=0, max_value=10**9).map(lambda c: D(c) / 100),
       st.lists(st.integers(min_value=0, max_value=10**7).map(lambda c: D(c) / 100), min_size=1, max_size=8))
def test_spread_adds_up_and_stays_within_each_line(amount, weights):
    amount = min(amount, sum(weights))
    parts = pricing.spread(amount, weights)
    assert sum(parts) == amount
    assert all(0 <= part <= weight for part, weight in zip(parts, weights))
    whole = sum(weights)
    assert all(abs(part - amount * w / whole) < D("0.01") for part, w in zip(parts, weights) if whole)


@given(st.integers(min_value=0, max_value=10**8).map(lambda c: D(c) / 100),
       st.integers(min_value=0, max_value=10**7).map(lambda c: D(c) / 100),
       st.integers(min_value=1, max_value=30), st.data())
def test_returning_everything_in_steps_refunds_the_line(net, tax, sold, data):
    returned, refunded_net, refunded_tax = 0, D("0.00"), D("0.00")
    while returned < sold:
        step = data.draw(st.integers(min_value=1, max_value=sold - returned))
        refund = pricing.line_refund(net=net, tax=tax, sold=sold, returned_before=returned, returning=step)
        assert refund.net >= 0 and refund.tax >= 0
        returned, refunded_net, refunded_tax = returned + step, refunded_net + refund.net, refunded_tax + refund.tax
    assert (refunded_net, refunded_tax) == (net, tax)
