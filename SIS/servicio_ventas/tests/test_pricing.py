"""The rounding rule and payment settlement, as a table of exact cases (pure, no database)."""
from decimal import Decimal as D

import pytest

from sales import pricing

RATE = D("0.18")


@pytest.mark.parametrize(("lines", "subtotal", "tax", "total"), [
    # (unit price, quantity) lines
    ([("10.00", 1)], "10.00", "1.80", "11.80"),
    ([("0.01", 1)], "0.01", "0.00", "0.01"),                  # 0.0018 rounds down
    ([("0.03", 1)], "0.03", "0.01", "0.04"),                  # 0.0054 rounds up
    ([("2.50", 1)], "2.50", "0.45", "2.95"),
    ([("0.25", 1)], "0.25", "0.05", "0.30"),                  # 0.045: exactly half rounds up
    ([("19.99", 3), ("0.99", 7), ("5.00", 2)], "76.90", "13.84", "90.74"),  # 13.842
    ([("1.11", 1), ("2.22", 1), ("3.33", 1)], "6.66", "1.20", "7.86"),     # 1.1988
    ([("33.33", 3)], "99.99", "18.00", "117.99"),             # 17.9982: tax once on the subtotal
    ([("12.345", 2)], "24.70", "4.45", "29.15"),               # a price in more than cents is rounded first
])
def test_totals(lines, subtotal, tax, total):
    totals = pricing.totals((pricing.line_total(D(p), q) for p, q in lines), RATE)
    assert (totals.subtotal, totals.tax, totals.total) == (D(subtotal), D(tax), D(total))
    assert totals.subtotal + totals.tax == totals.total


@pytest.mark.parametrize(("total", "payments", "change", "applied"), [
    ("90.74", [("cash", "100.00")], "9.26", {"cash": "90.74", "card": "0", "transfer": "0"}),
    ("90.74", [("cash", "40.74"), ("card", "50.00")], "0.00", {"cash": "40.74", "card": "50.00", "transfer": "0"}),
    ("90.74", [("cash", "50.00"), ("card", "50.00")], "9.26", {"cash": "40.74", "card": "50.00", "transfer": "0"}),
    ("90.74", [("card", "40.74"), ("transfer", "50.00")], "0.00",
     {"cash": "0", "card": "40.74", "transfer": "50.00"}),
    ("10.00", [("cash", "5.00"), ("cash", "6.00")], "1.00", {"cash": "10.00", "card": "0", "transfer": "0"}),
    ("0.01", [("transfer", "0.01")], "0.00", {"cash": "0", "card": "0", "transfer": "0.01"}),
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


@pytest.mark.parametrize(("sale_lines", "returns"), [
    # partial returns of (price, qty) lines; each return lists quantities per line index
    ([("0.25", 3)], [[1], [1], [1]]),
    ([("19.99", 3), ("0.99", 7), ("5.00", 2)], [[1, 0, 0], [0, 7, 1], [2, 0, 1]]),
    ([("1.11", 9)], [[2], [3], [4]]),
    ([("33.33", 3), ("0.03", 5)], [[0, 1], [1, 1], [0, 1], [2, 2]]),
])
def test_partial_refunds_add_up_to_the_sale_total(sale_lines, returns):
    sale = pricing.totals((pricing.line_total(D(p), q) for p, q in sale_lines), RATE)
    returned = refunded = D("0.00")
    for quantities in returns:
        returning = sum((pricing.line_total(D(p), q) for (p, _), q in zip(sale_lines, quantities)), D("0.00"))
        refund = pricing.refund(rate=RATE, returned_before=returned, refunded_before=refunded, returning=returning)
        assert refund.total == refund.subtotal + refund.tax
        assert refund.total >= 0
        returned += refund.subtotal
        refunded += refund.total
        # after each return, refunds so far are exactly the rule applied to what was returned
        assert refunded == returned + pricing.money(returned * RATE)
    assert returned == sale.subtotal
    assert refunded == sale.total
