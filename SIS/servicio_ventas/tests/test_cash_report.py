"""The Z report of a session adds up against its sales, returns and movements, hand-computed here."""
from decimal import Decimal as D

import pytest

from sales.pricing import Discount

from .builders import make_sale
from .test_cash_movements import move
from .test_cash_sessions import _return, keyed, open_session

pytestmark = [pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
              pytest.mark.usefixtures("known_branches")]


def report(client, session_id):
    return client.get(f"/api/sales/cash-sessions/{session_id}/report/")


def test_the_z_report_adds_up(client_for):
    cashier = client_for("cashier", [1], user_id=91)
    session_id = open_session(cashier, opening="50.00").json()["id"]
    # 11.80 paid 20.00 cash (8.20 change); 23.60 paid 20.00 cash + 3.60 card; 5.90 by transfer; 35.40 by card
    make_sale(branch_id=1, user_id=91, lines=[(1, "10.00", 1)], payments=[("cash", "20.00")])
    split = make_sale(branch_id=1, user_id=91, lines=[(2, "10.00", 2)], payments=[("cash", "20.00"), ("card", "3.60")])
    make_sale(branch_id=1, user_id=91, lines=[(3, "5.00", 1)], payments=[("transfer", "5.90")])
    carded = make_sale(branch_id=1, user_id=91, lines=[(4, "15.00", 2)], payments=[("card", "35.40")])
    make_sale(branch_id=1, user_id=91, lines=[(5, "1.00", 1)], complete=False)  # pending: not in the report
    make_sale(branch_id=1, user_id=92, lines=[(3, "5.00", 1)])  # another cashier's: not this session
    _return(split, 91, [(2, 1)], "cash")  # 11.80 back in cash
    _return(carded, 91, [(4, 1)], "card")  # 17.70 back to the card
    assert move(cashier, session_id, "in", "25.00", "change fund").status_code == 201
    assert move(cashier, session_id, "out", "12.30", "delivery").status_code == 201
    assert move(cashier, session_id, "out", "7.70", "cleaning").status_code == 201

    blind = report(cashier, session_id)
    assert blind.status_code == 403 and blind.json()["code"] == "report_before_close"
    manager = client_for("manager", [1], user_id=93)
    live = report(manager, session_id).json()
    assert live["status"] == "open" and live["counted"] is None and live["difference"] is None
    # 50 + (40 − 8.20) − 11.80 + 25 − 12.30 − 7.70
    assert live["expected"] == {"cash": "75.00", "card": "21.30", "transfer": "5.90", "points": "0.00"}

    # the pending sale must settle before the close: rejected here, as inventory would refuse it
    from sales import services
    from sales.models import Sale
    pending = Sale.objects.using("default").get(status="pending")
    services.sale_reject(sale=pending, rejection={"code": "insufficient_stock"})

    notes = [{"value": "50.00", "count": 1}, {"value": "20.00", "count": 1}, {"value": "1.00", "count": 4}]  # 74
    closed = cashier.post(f"/api/sales/cash-sessions/{session_id}/close/",
                          {"counted": {"cash": "74.00", "card": "21.30"}, "denominations": notes}, **keyed())
    assert closed.status_code == 200, closed.content
    answer = report(cashier, session_id)
    assert answer.status_code == 200
    z = answer.json()
    assert z | {} == {**z, "session": session_id, "branch": 1, "cashier": 91, "status": "closed", "opened_by": 91,
                      "closed_by": 91, "opening_float": "50.00", "denominations": notes}
    assert z["sales"] == {"count": 4, "subtotal": "65.00", "tax": "11.70", "total": "76.70", "discount_total": "0.00",
                          "change": "8.20",
                          "by_method": {"cash": {"count": 2, "amount": "31.80"},
                                        "card": {"count": 2, "amount": "39.00"},
                                        "transfer": {"count": 1, "amount": "5.90"},
                                        "points": {"count": 0, "amount": "0.00"}}}
    assert z["returns"] == {"count": 2, "total": "29.50",
                            "by_method": {"cash": {"count": 1, "amount": "11.80"},
                                          "card": {"count": 1, "amount": "17.70"},
                                          "transfer": {"count": 0, "amount": "0.00"},
                                          "points": {"count": 0, "amount": "0.00"}}}
    assert (z["movements"]["in"], z["movements"]["out"]) == ({"count": 1, "total": "25.00"},
                                                             {"count": 2, "total": "20.00"})
    assert [(m["kind"], m["amount"], m["reason"]) for m in z["movements"]["lines"]] == [
        ("in", "25.00", "change fund"), ("out", "12.30", "delivery"), ("out", "7.70", "cleaning")]
    assert z["expected"] == live["expected"]
    assert z["counted"] == {"cash": "74.00", "card": "21.30", "transfer": "5.90", "points": "0.00"}
    assert z["difference"] == {"cash": "-1.00", "card": "0.00", "transfer": "0.00", "points": "0.00", "total": "-1.00"}

    # the identities the report promises, from its own figures
    money = {m: {k: D(v["amount"]) for k, v in part["by_method"].items()} for m, part in
             (("sales", z["sales"]), ("returns", z["returns"]))}
    assert sum(money["sales"].values()) == D(z["sales"]["total"])
    assert sum(money["returns"].values()) == D(z["returns"]["total"])
    assert D(z["expected"]["cash"]) == (D(z["opening_float"]) + money["sales"]["cash"] - money["returns"]["cash"]
                                        + D(z["movements"]["in"]["total"]) - D(z["movements"]["out"]["total"]))
    for method in ("card", "transfer"):
        assert D(z["expected"][method]) == money["sales"][method] - money["returns"][method]
    assert all(D(z["difference"][m]) == D(z["counted"][m]) - D(z["expected"][m]) for m in ("cash", "card", "transfer", "points"))


def test_who_may_read_a_z_report(client_for):
    cashier = client_for("cashier", [1], user_id=94)
    session_id = open_session(cashier).json()["id"]
    assert report(client_for("cashier", [1], user_id=95), session_id).status_code == 404
    assert report(client_for("manager", [2]), session_id).status_code == 404
    assert report(client_for("auditor"), session_id).status_code == 200
    assert report(client_for("warehouse", [1]), session_id).status_code == 403
    assert report(cashier, 987654).status_code == 404
    empty = report(client_for("admin"), session_id).json()
    assert empty["sales"]["count"] == 0 and empty["sales"]["by_method"]["cash"] == {"count": 0, "amount": "0.00"}
    assert empty["expected"]["cash"] == "100.00" and empty["movements"]["lines"] == []


def test_the_z_report_shows_the_discounts_given(client_for):
    cashier = client_for("cashier", [1], user_id=96)
    session_id = open_session(cashier, opening="0.00").json()["id"]
    make_sale(branch_id=1, user_id=96, lines=[(1, "10.00", 2)], discount=Discount(percent=D("10")))  # 2.00 off
    make_sale(branch_id=1, user_id=96, lines=[(2, "5.00", 1)], discount=Discount(amount=D("0.50")))
    make_sale(branch_id=1, user_id=96, lines=[(3, "5.00", 1)])
    sales = report(client_for("auditor"), session_id).json()["sales"]
    # 18.00 + 3.24 tax, 4.50 + 0.81, 5.00 + 0.90
    assert (sales["count"], sales["discount_total"], sales["subtotal"], sales["total"]) == (3, "2.50", "27.50", "32.45")
