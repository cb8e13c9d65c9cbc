"""Issue 19's "Done when" through the gateway, as a new shop would try it, on a stack of its own.

The admin signs in with the first-start password, names the company, opens a branch with receipt texts and
hires a cashier and a manager, who sets their own POS PIN. The cashier opens the till, sells a tax-inclusive item
with a 5 % line discount, sells with a 30 % discount that the manager approves by PIN, gives a refund, puts change
in and pays a delivery out (above the cash-out limit: the manager's PIN again), closes blind with a count by denominations and reads the Z report. Every figure is
checked twice: against the hand-computed value, and against the other figures it must add up with.

Its own stack, since the test changes the company settings every service reads.
"""
from decimal import Decimal as D

import pytest
import requests

from sales_support import Api, new_key, replicas_caught_up
from sis_ops.teststack import start_test_stack, stop_test_stack

PASSWORD = "Tienda-nueva-2026!"
PIN = "2580"
METHODS = ("cash", "card", "transfer")


@pytest.fixture(scope="module")
def pos_stack():
    stack = start_test_stack()
    yield stack
    stop_test_stack(stack)


def sign_in(stack, username: str, password: str) -> Api:
    answer = requests.post(f"{stack.url()}/api/auth/token/", json={"username": username, "password": password},
                           timeout=20)
    assert answer.status_code == 200, answer.text
    return Api(stack.url(), answer.json()["access"], stack)


def total_of(rows, field: str) -> D:
    return sum((D(row[field]) for row in rows), D("0.00"))


def assert_sale_adds_up(sale: dict) -> None:
    """Lines: quantity × price − discount = total = net + tax; the sale: sums of its lines, and the breakdown."""
    for line in sale["lines"]:
        assert D(line["unit_price"]) * line["quantity"] - D(line["discount"]) == D(line["total"]), line
        assert D(line["net"]) + D(line["tax"]) == D(line["total"]), line
    assert total_of(sale["lines"], "net") == D(sale["subtotal"])
    assert total_of(sale["lines"], "tax") == D(sale["tax"])
    assert total_of(sale["lines"], "discount") == D(sale["discount_total"])
    assert total_of(sale["lines"], "total") == D(sale["total"]) == D(sale["subtotal"]) + D(sale["tax"])
    assert total_of(sale["tax_breakdown"], "net") == D(sale["subtotal"])
    assert total_of(sale["tax_breakdown"], "tax") == D(sale["tax"])
    rates = [row["rate"] for row in sale["tax_breakdown"]]
    assert sorted(rates) == rates and len(set(rates)) == len(rates)
    assert total_of(sale["payments"], "amount") - D(sale["change"]) == D(sale["total"])


def assert_receipt_matches(receipt: dict, sale: dict, company: dict, branch: dict, cashier: dict) -> None:
    assert receipt["company"]["name"] == company["name"] and receipt["company"]["tax_id"] == company["tax_id"]
    assert {k: receipt["branch"][k] for k in ("code", "name", "address", "receipt_header", "receipt_footer")} == {
        k: branch[k] for k in ("code", "name", "address", "receipt_header", "receipt_footer")}
    assert receipt["cashier"] == {"username": cashier["username"],
                                  "full_name": f"{cashier['first_name']} {cashier['last_name']}"}
    assert (receipt["number"], receipt["total"], receipt["discount_total"], receipt["change"]) == (
        sale["number"], sale["total"], sale["discount_total"], sale["change"])
    for line in receipt["lines"]:
        assert D(line["unit_price"]) * line["quantity"] - D(line["discount"]) == D(line["total"]), line
    assert total_of(receipt["lines"], "total") == D(receipt["total"])
    assert total_of(receipt["lines"], "discount") == D(receipt["discount_total"])
    assert total_of(receipt["tax_breakdown"], "net") + total_of(receipt["tax_breakdown"], "tax") == D(receipt["total"])
    assert receipt["tax_breakdown"] == sale["tax_breakdown"]
    assert total_of(receipt["payments"], "amount") - D(receipt["change"]) == D(receipt["total"])


@pytest.fixture(scope="module")
def shop(pos_stack):
    stack = pos_stack
    admin = sign_in(stack, "admin", stack.secrets.admin_password()[0])
    company = admin.ok("patch", "/api/branches/company/", {
        "name": "Bodega Sol", "legal_name": "Bodega Sol S.A.C.", "tax_id": "20512345678", "cash_out_limit": "30.00"})
    # a new company's defaults: shelf prices include 18 %, a cashier gives up to 5 %, a manager up to 50 %
    assert (company["prices_include_tax"], company["default_tax_rate"], company["discount_limits"],
            company["currency"]) == (True, "0.1800", {"cashier": "5.00", "manager": "50.00"}, "PEN")
    branch = admin.ok("post", "/api/branches/", {
        "code": "SOL01", "name": "Bodega Sol Centro", "address": "Jr. Ucayali 310", "city": "Lima",
        "receipt_header": "Bienvenido a Bodega Sol", "receipt_footer": "Gracias por su compra"}, expect=201)
    people = {}
    for role, first, last in (("cashier", "Rosa", "Quispe"), ("manager", "Jorge", "Salas")):
        people[role] = admin.ok("post", "/api/auth/users/", {
            "username": f"{role}-sol", "password": PASSWORD, "role": role, "branches": [branch["id"]],
            "first_name": first, "last_name": last}, expect=201)
        assert people[role]["has_pin"] is False
    replicas_caught_up(stack, ("auth", "sucursales"))
    manager = sign_in(stack, "manager-sol", PASSWORD)
    assert manager.post("/api/auth/me/pin/", {"password": PASSWORD, "pin": PIN}).status_code == 204
    me = manager.ok("get", "/api/auth/me/")
    assert me["has_pin"] is True and PIN not in str(me)

    def product(name: str, price: str, **extra) -> dict:
        created = admin.ok("post", "/api/inventory/products/", {"sku": f"SOL-{name[:4].upper()}", "name": name,
                                                                "price": price, **extra}, expect=201)
        admin.ok("post", "/api/inventory/movements/", {"branch": branch["id"], "product": created["id"],
                                                       "kind": "receipt", "quantity": 50},
                 key=new_key("stock"), expect=201)
        return created

    goods = {"rice": product("Arroz extra 1 kg", "11.80"), "milk": product("Leche fresca 1 L", "4.50", tax_rate="0"),
             "oil": product("Aceite vegetal 1 L", "8.90")}
    # no tax rate given: the company's default; the milk is exempt
    assert [goods[k]["tax_rate"] for k in ("rice", "milk", "oil")] == ["0.1800", "0.0000", "0.1800"]
    replicas_caught_up(stack, ("inventario",))
    return {"stack": stack, "admin": admin, "company": company, "branch": branch, "people": people,
            "cashier": sign_in(stack, "cashier-sol", PASSWORD), "manager": manager, "goods": goods}


def test_a_day_at_the_till_adds_up(shop):
    admin, cashier, manager, goods = shop["admin"], shop["cashier"], shop["manager"], shop["goods"]
    branch = shop["branch"]["id"]
    session = cashier.ok("post", "/api/sales/cash-sessions/", {"branch": branch, "opening_float": "100.00"},
                         key=new_key("open"), expect=201)
    sid = session["id"]
    assert session["expected"] is None  # the close is blind from the start
    assert cashier.get(f"/api/sales/cash-sessions/{sid}/report/").json()["code"] == "report_before_close"

    # 1. a tax-inclusive item with the cashier's own 5 % line discount, and an exempt one; paid in cash
    first = cashier.ok("post", "/api/sales/", {
        "branch": branch,
        "lines": [{"product": goods["rice"]["id"], "quantity": 2, "discount": {"percent": "5"}},
                  {"product": goods["milk"]["id"], "quantity": 1}],
        "payments": [{"method": "cash", "amount": "50.00"}]}, key=new_key("sale"), expect=201)
    # rice 2 × 11.80 = 23.60 − 5 % (1.18) = 22.42 = 19.00 net + 3.42 tax; milk 4.50 exempt
    lines = {x["product"]: x for x in first["lines"]}
    rice = lines[goods["rice"]["id"]]
    assert (rice["discount"], rice["net"], rice["tax"], rice["total"]) == ("1.18", "19.00", "3.42", "22.42")
    assert (first["subtotal"], first["discount_total"], first["tax"], first["total"], first["change"]) == (
        "23.50", "1.18", "3.42", "26.92", "23.08")
    assert first["tax_breakdown"] == [{"rate": "0.0000", "net": "4.50", "tax": "0.00"},
                                      {"rate": "0.1800", "net": "19.00", "tax": "3.42"}]
    assert first["prices_include_tax"] is True and first["approved_by"] is None
    assert_sale_adds_up(first)

    # 2. 30 % off the sale is above the cashier's 5 %: refused until the manager enters their PIN
    body = {"branch": branch, "lines": [{"product": goods["oil"]["id"], "quantity": 2}],
            "discount": {"percent": "30"}, "payments": [{"method": "card", "amount": "12.46"}]}
    key = new_key("sale")
    refused = cashier.post("/api/sales/", body, key=key)
    assert refused.status_code == 403 and refused.json()["code"] == "discount_needs_approval", refused.text
    wrong = cashier.post("/api/sales/", {**body, "approval": {"username": "manager-sol", "pin": "0000"}}, key=key)
    assert wrong.status_code == 403 and wrong.json()["code"] == "approval_invalid", wrong.text
    second = cashier.ok("post", "/api/sales/", {**body, "approval": {"username": "manager-sol", "pin": PIN}},
                        key=key, expect=201)
    # 2 × 8.90 = 17.80 − 30 % (5.34) = 12.46 = 10.56 net + 1.90 tax
    assert (second["subtotal"], second["discount_total"], second["tax"], second["total"], second["change"]) == (
        "10.56", "5.34", "1.90", "12.46", "0.00")
    assert second["approved_by"] == shop["people"]["manager"]["id"]
    assert_sale_adds_up(second)

    # 3. two of milk in cash, one of them brought back: refunded in cash
    third = cashier.ok("post", "/api/sales/", {
        "branch": branch, "lines": [{"product": goods["milk"]["id"], "quantity": 2}],
        "payments": [{"method": "cash", "amount": "10.00"}]}, key=new_key("sale"), expect=201)
    assert (third["total"], third["change"]) == ("9.00", "1.00")
    assert_sale_adds_up(third)
    refund = cashier.ok("post", f"/api/sales/{third['id']}/returns/",
                        {"lines": [{"product": goods["milk"]["id"], "quantity": 1}], "reason": "vencida"},
                        key=new_key("return"), expect=201)
    assert refund["refund"] == {"method": "cash", "amount": "4.50"}

    # 4. change put in, the gas delivery paid out of the drawer: an out needs its reason, and above the
    # company's 30.00 limit the manager's PIN
    movements = f"/api/sales/cash-sessions/{sid}/movements/"
    no_reason = cashier.post(movements, {"kind": "out", "amount": "10.00"}, key=new_key("out"))
    assert no_reason.status_code == 400 and no_reason.json()["code"] == "reason_required"
    cashier.ok("post", movements, {"kind": "in", "amount": "20.00", "reason": "sencillo del banco"},
               key=new_key("in"), expect=201)
    delivery, key = {"kind": "out", "amount": "35.00", "reason": "delivery de gas"}, new_key("out")
    unapproved = cashier.post(movements, delivery, key=key)
    assert unapproved.status_code == 403, unapproved.text
    assert (unapproved.json()["code"], unapproved.json()["limit"]) == ("cash_out_needs_approval", "30.00")
    paid_out = cashier.ok("post", movements, {**delivery, "approval": {"username": "manager-sol", "pin": PIN}},
                          key=key, expect=201)
    assert paid_out["approved_by"] == shop["people"]["manager"]["id"]

    # blind: the cashier never sees what the drawer should hold; the manager does
    assert cashier.ok("get", f"/api/sales/cash-sessions/{sid}/")["expected"] is None
    assert cashier.ok("get", "/api/sales/cash-sessions/current/", branch=branch)["expected"] is None
    # 100.00 float + 26.92 + 9.00 cash sales − 4.50 refund + 20.00 in − 35.00 out
    expected_cash = D("100.00") + D("26.92") + D("9.00") - D("4.50") + D("20.00") - D("35.00")
    assert expected_cash == D("116.42")
    live = manager.ok("get", f"/api/sales/cash-sessions/{sid}/")["expected"]
    assert live == {"cash": "116.42", "card": "12.46", "transfer": "0.00", "points": "0.00"}

    # 5. the blind close: the cash counted by denominations (one sol and two cents short), the card slips
    denominations = [{"value": "100.00", "count": 1}, {"value": "10.00", "count": 1}, {"value": "5.00", "count": 1},
                     {"value": "0.20", "count": 2}]
    counted_cash = sum((D(d["value"]) * d["count"] for d in denominations), D("0.00"))
    assert counted_cash == D("115.40")
    closed = cashier.ok("post", f"/api/sales/cash-sessions/{sid}/close/",
                        {"counted": {"cash": None, "card": "12.46", "transfer": "0.00"},
                         "denominations": denominations}, key=new_key("close"))
    assert closed["status"] == "closed"
    assert closed["expected"] == live
    assert closed["counted"] == {"cash": "115.40", "card": "12.46", "transfer": "0.00", "points": "0.00"}
    assert closed["difference"] == {"cash": "-1.02", "card": "0.00", "transfer": "0.00", "points": "0.00",
                                    "total": "-1.02"}
    again = cashier.post(f"/api/sales/cash-sessions/{sid}/close/", {"counted": {"cash": "115.40"}},
                         key=new_key("close"))
    assert again.status_code == 409 and again.json()["code"] == "cash_session_closed"

    # 6. the Z report, now shown to the cashier too, adds up with the sales and movements themselves
    report = cashier.ok("get", f"/api/sales/cash-sessions/{sid}/report/")
    sales = [first, second, third]
    assert report["opening_float"] == "100.00"
    assert report["sales"]["count"] == 3
    assert D(report["sales"]["total"]) == total_of(sales, "total") == D("48.38")
    assert D(report["sales"]["subtotal"]) + D(report["sales"]["tax"]) == D(report["sales"]["total"])
    assert D(report["sales"]["change"]) == total_of(sales, "change")
    assert D(report["sales"]["discount_total"]) == total_of(sales, "discount_total") == D("6.52")  # 1.18 + 5.34
    cash_sales = D(report["sales"]["by_method"]["cash"]["amount"])
    assert cash_sales == D("35.92")  # 50.00 − 23.08 + 10.00 − 1.00
    assert report["sales"]["by_method"]["card"] == {"count": 1, "amount": "12.46"}
    assert sum((D(report["sales"]["by_method"][m]["amount"]) for m in METHODS), D("0")) == D(report["sales"]["total"])
    cash_refunds = D(report["returns"]["by_method"]["cash"]["amount"])
    assert (report["returns"]["count"], cash_refunds) == (1, D("4.50"))
    moved_in, moved_out = D(report["movements"]["in"]["total"]), D(report["movements"]["out"]["total"])
    assert (moved_in, moved_out) == (D("20.00"), D("35.00"))
    manager_id = shop["people"]["manager"]["id"]
    assert [(x["kind"], x["amount"], x["reason"], x["approved_by"]) for x in report["movements"]["lines"]] == [
        ("in", "20.00", "sencillo del banco", None), ("out", "35.00", "delivery de gas", manager_id)]
    assert D(report["expected"]["cash"]) == (D(report["opening_float"]) + cash_sales - cash_refunds
                                             + moved_in - moved_out) == expected_cash
    for method in ("card", "transfer"):
        assert D(report["expected"][method]) == (D(report["sales"]["by_method"][method]["amount"])
                                                 - D(report["returns"]["by_method"][method]["amount"]))
    for method in METHODS:
        assert D(report["difference"][method]) == D(report["counted"][method]) - D(report["expected"][method])
    assert D(report["difference"]["total"]) == sum((D(report["difference"][m]) for m in METHODS), D("0"))
    assert sum((D(d["value"]) * d["count"] for d in report["denominations"]), D("0")) == D(report["counted"]["cash"])
    assert (report["expected"], report["counted"], report["difference"]) == (
        closed["expected"], closed["counted"], closed["difference"])

    # 7. each receipt prints the company, the branch, the cashier, and figures that add up to the sale's
    for sale in sales:
        receipt = cashier.ok("get", f"/api/sales/{sale['id']}/receipt/")
        assert_receipt_matches(receipt, sale, shop["company"], shop["branch"], shop["people"]["cashier"])
    approved = cashier.ok("get", f"/api/sales/{second['id']}/receipt/")
    assert (approved["discount_total"], approved["total"]) == ("5.34", "12.46")

    # and the stock went out and back as the sales and the return say
    stock = {p: admin.ok("get", f"/api/inventory/stock/{branch}/{goods[p]['id']}/")["quantity"]
             for p in ("rice", "milk", "oil")}
    assert stock == {"rice": 48, "milk": 48, "oil": 48}
