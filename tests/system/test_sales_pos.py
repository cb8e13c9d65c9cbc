"""The till of issue 19 through the gateway: tax-included prices, discounts within and above the limit with a
manager's PIN checked by auth, the receipt, and a return approved by PIN.

Users are real (auth checks the PIN and signs the cashier's name into the token); figures are worked out by hand.
"""
import uuid
from decimal import Decimal as D

import pytest
import requests

from sales_support import Api, api, create_branch, create_product, new_key, replicas_caught_up

PASSWORD = "Caja-segura-2026!"


def person(admin: Api, role: str, branch: int, **extra) -> dict:
    username = f"{role}{uuid.uuid4().hex[:8]}"
    user = admin.ok("post", "/api/auth/users/", {"username": username, "password": PASSWORD, "role": role,
                                                 "branches": [branch], **extra}, expect=201)
    replicas_caught_up(admin.stack, ("auth",))
    return user


def signed_in(stack, user: dict) -> Api:
    answer = requests.post(f"{stack.url()}/api/auth/token/", json={"username": user["username"],
                                                                   "password": PASSWORD}, timeout=20)
    assert answer.status_code == 200, answer.text
    return Api(stack.url(), answer.json()["access"], stack)


@pytest.fixture(scope="module")
def till(stack):
    admin = api(stack, role="admin")
    branch = create_branch(admin)
    admin.ok("patch", f"/api/branches/{branch['id']}/", {"address": "Jr. de la Union 500",
                                                         "receipt_header": "Bienvenido", "receipt_footer": "Gracias"})
    elsewhere = create_branch(admin)
    replicas_caught_up(stack, ("sucursales",))
    cashier = person(admin, "cashier", branch["id"], first_name="Rosa", last_name="Quispe")
    return {
        "admin": admin, "branch": branch, "cashier_user": cashier, "cashier": signed_in(stack, cashier),
        "manager": person(admin, "manager", branch["id"], pin="4321"),
        "far_manager": person(admin, "manager", elsewhere["id"], pin="9876"),
        "rice": create_product(admin, "11.80", 20, branch["id"], name="Arroz"),
        "bread": create_product(admin, "2.00", 20, branch["id"], name="Pan"),
    }


def test_a_tax_included_sale_with_a_cashiers_discount(till):
    admin, branch, cashier = till["admin"], till["branch"]["id"], till["cashier"]
    admin.ok("patch", f"/api/inventory/products/{till['bread']}/", {"tax_rate": "0.0000"})  # exempt
    replicas_caught_up(admin.stack, ("inventario",))
    sale = cashier.ok("post", "/api/sales/", {
        "branch": branch,
        "lines": [{"product": till["rice"], "quantity": 2, "discount": {"percent": "5"}},
                  {"product": till["bread"], "quantity": 3}],
        "payments": [{"method": "cash", "amount": "30.00"}],
    }, key=new_key("pos"), expect=201)
    lines = {x["product"]: x for x in sale["lines"]}
    # 23.60 - 5 % (1.18) = 22.42 = 19.00 net + 3.42 tax; bread 6.00 exempt
    assert {k: lines[till["rice"]][k] for k in ("unit_price", "tax_rate", "discount", "net", "tax", "total")} == {
        "unit_price": "11.80", "tax_rate": "0.1800", "discount": "1.18", "net": "19.00", "tax": "3.42",
        "total": "22.42"}
    assert {k: lines[till["bread"]][k] for k in ("tax_rate", "discount", "net", "tax", "total")} == {
        "tax_rate": "0.0000", "discount": "0.00", "net": "6.00", "tax": "0.00", "total": "6.00"}
    assert (sale["subtotal"], sale["discount_total"], sale["tax"], sale["total"], sale["change"]) == (
        "25.00", "1.18", "3.42", "28.42", "1.58")
    assert sale["tax_breakdown"] == [{"rate": "0.0000", "net": "6.00", "tax": "0.00"},
                                     {"rate": "0.1800", "net": "19.00", "tax": "3.42"}]
    assert sale["prices_include_tax"] is True and sale["approved_by"] is None
    assert (sale["cashier_username"], sale["cashier_name"]) == (till["cashier_user"]["username"], "Rosa Quispe")


def test_a_discount_above_the_limit_needs_a_managers_pin(till):
    admin, branch, cashier, manager = till["admin"], till["branch"]["id"], till["cashier"], till["manager"]
    body = {"branch": branch, "lines": [{"product": till["rice"], "quantity": 1}],
            "discount": {"percent": "30"}, "payments": [{"method": "cash", "amount": "10.00"}]}
    before = len(admin.ok("get", "/api/sales/", branch=branch, page_size=200)["results"])
    key = new_key("pos")
    refused = cashier.post("/api/sales/", body, key=key)
    assert refused.status_code == 403 and refused.json()["code"] == "discount_needs_approval", refused.text
    assert refused.json()["limit"] == "5.00"
    for approval in ({"username": manager["username"], "pin": "0000"},
                     {"username": till["far_manager"]["username"], "pin": "9876"}):  # not a manager of this branch
        wrong = cashier.post("/api/sales/", {**body, "approval": approval}, key=key)
        assert wrong.status_code == 403 and wrong.json()["code"] == "approval_invalid", wrong.text
    assert len(admin.ok("get", "/api/sales/", branch=branch, page_size=200)["results"]) == before  # nothing stored
    # the same attempt again, now with the manager's PIN: nothing was stored under the key
    approval = {"username": manager["username"], "pin": "4321"}
    sale = cashier.ok("post", "/api/sales/", {**body, "approval": approval}, key=key, expect=201)
    # 11.80 - 30 % (3.54) = 8.26 = 7.00 net + 1.26 tax
    assert (sale["discount_total"], sale["subtotal"], sale["tax"], sale["total"], sale["change"]) == (
        "3.54", "7.00", "1.26", "8.26", "1.74")
    assert sale["discount"] == {"percent": "30.00"}
    assert (sale["approved_by"], sale["approved_by_username"]) == (manager["id"], manager["username"])
    replay = cashier.post("/api/sales/", {**body, "approval": approval}, key=key)
    assert replay.status_code == 201 and replay.json()["id"] == sale["id"]

    receipt = cashier.ok("get", f"/api/sales/{sale['id']}/receipt/")
    company = admin.ok("get", "/api/branches/company/")
    assert receipt["company"] == {k: company[k] for k in ("name", "legal_name", "tax_id")}
    assert receipt["branch"] == {"code": till["branch"]["code"], "name": till["branch"]["name"],
                                 "address": "Jr. de la Union 500", "receipt_header": "Bienvenido",
                                 "receipt_footer": "Gracias"}
    assert receipt["cashier"] == {"username": till["cashier_user"]["username"], "full_name": "Rosa Quispe"}
    assert receipt["lines"] == [{"name": "Arroz", "quantity": 1, "unit_price": "11.80", "discount": "3.54",
                                 "total": "8.26"}]
    assert receipt["tax_breakdown"] == [{"rate": "0.1800", "net": "7.00", "tax": "1.26"}]
    assert (receipt["number"], receipt["discount_total"], receipt["total"], receipt["change"]) == (
        sale["number"], "3.54", "8.26", "1.74")
    assert receipt["payments"] == [{"method": "cash", "amount": "10.00"}]
    outsider = api(admin.stack, role="cashier", branches=[till["branch"]["id"] + 1000], user_id=88)
    assert outsider.get(f"/api/sales/{sale['id']}/receipt/").status_code == 404


def test_another_cashiers_sale_comes_back_with_a_managers_pin(till):
    branch, cashier, manager = till["branch"]["id"], till["cashier"], till["manager"]
    sale = cashier.ok("post", "/api/sales/", {
        "branch": branch, "lines": [{"product": till["rice"], "quantity": 3}],
        "payments": [{"method": "cash", "amount": "40.00"}]}, key=new_key("pos"), expect=201)
    colleague = api(cashier.stack, role="cashier", branches=[branch], user_id=till["cashier_user"]["id"] + 10_000)
    body = {"lines": [{"product": till["rice"], "quantity": 1}], "reason": "mal estado"}
    refused = colleague.post(f"/api/sales/{sale['id']}/returns/", body, key=new_key("ret"))
    assert refused.status_code == 403 and refused.json()["code"] == "return_needs_manager"
    wrong = colleague.post(f"/api/sales/{sale['id']}/returns/",
                           {**body, "approval": {"username": manager["username"], "pin": "1111"}}, key=new_key("ret"))
    assert wrong.status_code == 403 and wrong.json()["code"] == "approval_invalid"
    done = colleague.ok("post", f"/api/sales/{sale['id']}/returns/",
                        {**body, "approval": {"username": manager["username"], "pin": "4321"}},
                        key=new_key("ret"), expect=201)
    # 35.40 = 30.00 net + 5.40 tax; a third of each
    assert (done["subtotal"], done["tax"], done["refund_amount"], done["approved_by"]) == (
        "10.00", "1.80", "11.80", manager["id"])
    rest = cashier.ok("post", f"/api/sales/{sale['id']}/returns/",
                      {"lines": [{"product": till["rice"], "quantity": 2}]}, key=new_key("ret"), expect=201)
    assert D(done["refund_amount"]) + D(rest["refund_amount"]) == D(sale["total"])  # everything back: the total
