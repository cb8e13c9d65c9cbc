"""A till through the gateway: a cash out above the company's limit approved by a manager's PIN (servicio_auth),
a blind close counted by denominations, and the Z report adding up against the session's sales and movements."""
import uuid
from decimal import Decimal as D

import pytest

from sales_support import api, create_branch, create_product, new_key, replicas_caught_up

CASHIER = 611
PIN = "482615"


@pytest.fixture(scope="module")
def till(stack):
    admin = api(stack, role="admin")
    branch = create_branch(admin)["id"]
    name = f"gerente{uuid.uuid4().hex[:8]}"
    manager = admin.ok("post", "/api/auth/users/", {"username": name, "password": "Aprueba-todo-2026!",
                                                    "role": "manager", "branches": [branch], "pin": PIN}, expect=201)
    replicas_caught_up(stack, ("auth",))
    return {"admin": admin, "branch": branch, "manager": manager,
            "cashier": api(stack, role="cashier", branches=[branch], user_id=CASHIER),
            "as_manager": api(stack, role="manager", branches=[branch], user_id=manager["id"])}


def test_a_cashiers_day_out_approved_by_pin_blind_close_and_z_report(stack, till):
    admin, branch, cashier = till["admin"], till["branch"], till["cashier"]
    limit = D(admin.ok("get", "/api/branches/company/")["cash_out_limit"])
    product = create_product(admin, "10.00", 10, branch)
    session = cashier.ok("post", "/api/sales/cash-sessions/", {"branch": branch, "opening_float": "300.00"},
                         key=new_key("open"), expect=201)
    assert session["expected"] is None  # blind
    url = f"/api/sales/cash-sessions/{session['id']}"
    sale = cashier.ok("post", "/api/sales/", {"branch": branch, "lines": [{"product": product, "quantity": 2}],
                                              "payments": [{"method": "cash", "amount": "50.00"}]},
                      key=new_key("sale"), expect=201)
    cash_sold = D(sale["total"])  # 50.00 tendered − change

    big = f"{limit + D('50.00'):.2f}"
    body = {"kind": "out", "amount": big, "reason": "proveedor de agua"}
    key = new_key("out")
    refused = cashier.post(f"{url}/movements/", body, key=key)
    assert refused.status_code == 403 and refused.json()["code"] == "cash_out_needs_approval", refused.text
    wrong = cashier.post(f"{url}/movements/", {**body, "approval": {"username": till["manager"]["username"],
                                                                    "pin": "000000"}}, key=key)
    assert wrong.status_code == 403 and wrong.json()["code"] == "approval_invalid", wrong.text
    # the same attempt key, now with the manager's PIN: neither refusal was stored as its answer
    out = cashier.ok("post", f"{url}/movements/",
                     {**body, "approval": {"username": till["manager"]["username"], "pin": PIN}}, key=key, expect=201)
    assert (out["amount"], out["user"], out["approved_by"]) == (big, CASHIER, till["manager"]["id"])
    cashier.ok("post", f"{url}/movements/", {"kind": "in", "amount": "10.00", "reason": "sencillo"},
               key=new_key("in"), expect=201)

    expected_cash = D("300.00") + cash_sold - D(big) + D("10.00")
    assert cashier.ok("get", f"{url}/")["expected"] is None
    assert cashier.get(f"{url}/report/").status_code == 403
    assert till["as_manager"].ok("get", f"{url}/")["expected"]["cash"] == f"{expected_cash:.2f}"

    # counted by denominations: as many 10.00 notes as fit, the rest in 0.10 coins
    tens, rest = divmod(expected_cash, D("10.00"))
    notes = [{"value": "10.00", "count": int(tens)}, {"value": "0.10", "count": int(rest / D("0.10"))}]
    closed = cashier.ok("post", f"{url}/close/", {"counted": {"card": "0.00"}, "denominations": notes},
                        key=new_key("close"))
    assert closed["counted"]["cash"] == closed["expected"]["cash"] == f"{expected_cash:.2f}"
    assert closed["difference"]["total"] == "0.00"

    z = cashier.ok("get", f"{url}/report/")
    assert z["sales"]["count"] == 1 and z["sales"]["by_method"]["cash"]["amount"] == f"{cash_sold:.2f}"
    assert (z["movements"]["in"]["total"], z["movements"]["out"]["total"]) == ("10.00", big)
    assert D(z["expected"]["cash"]) == (D(z["opening_float"]) + D(z["sales"]["by_method"]["cash"]["amount"])
                                        - D(z["returns"]["by_method"]["cash"]["amount"])
                                        + D(z["movements"]["in"]["total"]) - D(z["movements"]["out"]["total"]))
    assert z["denominations"] == notes and z["closed_by"] == CASHIER
