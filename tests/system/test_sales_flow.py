"""A cashier's day through the gateway: session, sales with split payments, returns, close, report.

Stock, ledger, sale, cash session and daily report must all agree at the end.
"""
from collections import defaultdict
from decimal import Decimal as D

import pytest

from sales_support import api, assert_ledger_matches_stock, create_branch, create_product, new_key, stock_of

CASHIER = 601


@pytest.fixture(scope="module")
def shop(stack):
    admin = api(stack, role="admin")
    branch = create_branch(admin)
    return {"admin": admin, "branch": branch["id"], "code": branch["code"],
            "cashier": api(stack, role="cashier", branches=[branch["id"]], user_id=CASHIER)}


def report_from_sales(sales: list[dict]) -> dict:
    """The daily report computed by hand from the sales themselves."""
    by_method, products = defaultdict(D), defaultdict(lambda: [0, D("0")])
    for sale in sales:
        for payment in sale["payments"]:
            by_method[payment["method"]] += D(payment["amount"])
        by_method["cash"] -= D(sale["change"])
        for line in sale["lines"]:
            products[line["product"]][0] += line["quantity"]
            products[line["product"]][1] += D(line["total"])
    top = sorted(products.items(), key=lambda kv: (-kv[1][0], -kv[1][1], kv[0]))
    return {
        "sales_count": len(sales),
        "total": f"{sum((D(s['total']) for s in sales), D('0')):.2f}",
        "by_payment_method": {m: f"{by_method[m]:.2f}" for m in ("cash", "card", "transfer", "points")},
        "top_products": [{"product": p, "quantity": q, "total": f"{t:.2f}"} for p, (q, t) in top],
    }


def test_cashier_day_session_sale_return_close_and_report(stack, shop):
    admin, branch, cashier = shop["admin"], shop["branch"], shop["cashier"]
    rice = create_product(admin, "12.50", 10, branch, name="Arroz 5kg")
    oil = create_product(admin, "3.99", 10, branch, name="Aceite 1L")
    salt = create_product(admin, "0.75", 20, branch, name="Sal 1kg")

    session = cashier.ok("post", "/api/sales/cash-sessions/", {"branch": branch, "opening_float": "100.00"},
                         key=new_key("open"), expect=201)

    # three products, paid part by card and part in cash, with change
    sale = cashier.ok("post", "/api/sales/", {
        "branch": branch,
        "lines": [{"product": rice, "quantity": 2}, {"product": oil, "quantity": 1}, {"product": salt, "quantity": 4}],
        "payments": [{"method": "card", "amount": "20.00"}, {"method": "cash", "amount": "20.00"}],
    }, key=new_key("sale"), expect=201)
    assert sale["status"] == "completed"
    assert sale["number"] == f"{shop['code']}-000001"
    # shelf prices include the tax: 25.00 + 3.99 + 3.00, net per line 21.19 + 3.38 + 2.54
    assert (sale["subtotal"], sale["tax"], sale["total"], sale["change"]) == ("27.11", "4.88", "31.99", "8.01")
    assert sale["session"] == session["id"] and sale["cashier"] == CASHIER
    # the creating request answers from what it wrote, without reading the sale back: it must be the sale as stored
    assert cashier.ok("get", f"/api/sales/{sale['id']}/") == sale
    assert {x["product"]: (x["name"], x["unit_price"], x["total"]) for x in sale["lines"]} == {
        rice: ("Arroz 5kg", "12.50", "25.00"), oil: ("Aceite 1L", "3.99", "3.99"), salt: ("Sal 1kg", "0.75", "3.00")}
    assert sale["tax_breakdown"] == [{"rate": "0.1800", "net": "27.11", "tax": "4.88"}]

    second = cashier.ok("post", "/api/sales/", {
        "branch": branch, "lines": [{"product": rice, "quantity": 1}],
        "payments": [{"method": "transfer", "amount": "12.50"}],
    }, key=new_key("sale"), expect=201)
    assert second["number"] == f"{shop['code']}-000002" and second["change"] == "0.00"

    # one unit of oil comes back, refunded in cash
    refund = cashier.ok("post", f"/api/sales/{sale['id']}/returns/",
                        {"lines": [{"product": oil, "quantity": 1}], "reason": "envase roto"},
                        key=new_key("return"), expect=201)
    assert refund["status"] == "completed"
    assert refund["refund"] == {"method": "cash", "amount": "3.99"}  # the line's 3.38 + 0.61 tax

    expected_cash = D("100.00") + D("20.00") - D("8.01") - D("3.99")
    closed = cashier.ok("post", f"/api/sales/cash-sessions/{session['id']}/close/",
                        {"counted_cash": f"{expected_cash:.2f}"}, key=new_key("close"), expect=200)
    assert closed["expected"] == {"cash": f"{expected_cash:.2f}", "card": "20.00", "transfer": "12.50",
                                  "points": "0.00"}
    assert closed["difference"] == {"cash": "0.00", "card": "0.00", "transfer": "0.00", "points": "0.00",
                                    "total": "0.00"}

    # stock and ledger
    assert (stock_of(admin, branch, rice), stock_of(admin, branch, oil), stock_of(admin, branch, salt)) == (7, 10, 16)
    oil_rows = assert_ledger_matches_stock(admin, branch, oil)
    assert sorted((r["kind"], r["quantity"], r["reference"]) for r in oil_rows if r["kind"] in ("sale", "return")) \
        == [("return", 1, f"sale:{sale['id']}:return:{refund['id']}"), ("sale", -1, f"sale:{sale['id']}")]
    for product in (rice, salt):
        assert_ledger_matches_stock(admin, branch, product)

    # the sale shows what came back
    shown = admin.ok("get", f"/api/sales/{sale['id']}/")
    assert {x["product"]: x["returned_quantity"] for x in shown["lines"]} == {rice: 0, oil: 1, salt: 0}
    assert [(r["id"], r["status"]) for r in shown["returns"]] == [(refund["id"], "completed")]

    # the daily report is the sum of the day's sales at the branch
    manager = api(stack, role="manager", branches=[branch], user_id=603)
    report = manager.ok("get", "/api/sales/reports/daily/", branch=branch, date=sale["business_date"])
    sales = admin.ok("get", "/api/sales/", branch=branch, status="completed", page_size=200)["results"]
    expected = report_from_sales(sales)
    assert {k: report[k] for k in ("sales_count", "total", "by_payment_method")} == {
        k: expected[k] for k in ("sales_count", "total", "by_payment_method")}
    assert [{k: p[k] for k in ("product", "quantity", "total")} for p in report["top_products"]] == \
        expected["top_products"]
    assert (report["sales_count"], report["total"]) == (2, "44.49")
    assert report["by_payment_method"] == {"cash": "11.99", "card": "20.00", "transfer": "12.50",
                                           "points": "0.00"}
    assert (report["returns_total"], report["net_total"]) == ("3.99", "40.50")
    by_cashier = admin.ok("get", "/api/sales/reports/range/", date_from=sale["business_date"],
                          date_to=sale["business_date"], group_by="cashier", branch=branch)["results"]
    assert [(r["cashier"], r["sales_count"], r["total"]) for r in by_cashier] == [(CASHIER, 2, "44.49")]
    outsider = api(stack, role="manager", branches=[branch + 1000], user_id=604)
    assert outsider.get("/api/sales/reports/daily/", branch=branch).status_code == 403


def test_partial_returns_add_up_and_a_return_beyond_the_sale_is_refused(stack, shop):
    admin, branch, cashier = shop["admin"], shop["branch"], shop["cashier"]
    soap = create_product(admin, "0.25", 10, branch)
    sale = cashier.ok("post", "/api/sales/", {
        "branch": branch, "lines": [{"product": soap, "quantity": 5}],
        "payments": [{"method": "cash", "amount": "1.25"}],
    }, key=new_key("sale"), expect=201)
    assert (sale["subtotal"], sale["tax"], sale["total"]) == ("1.06", "0.19", "1.25")  # 1.25 / 1.18 = 1.0593
    refunds = []
    for quantity in (2, 2):
        key = new_key("return")
        body = {"lines": [{"product": soap, "quantity": quantity}], "reason": "sobrante"}
        refunds.append(cashier.ok("post", f"/api/sales/{sale['id']}/returns/", body, key=key, expect=201))
        replay = cashier.post(f"/api/sales/{sale['id']}/returns/", body, key=key)
        assert replay.status_code == 201 and replay.json()["id"] == refunds[-1]["id"]
    beyond = cashier.post(f"/api/sales/{sale['id']}/returns/", {"lines": [{"product": soap, "quantity": 2}]},
                          key=new_key("return"))
    assert beyond.status_code == 400 and beyond.json()["code"] == "return_exceeds_sold"
    assert beyond.json()["lines"] == [{"product": soap, "sold": 5, "returned": 4, "requested": 2}]
    refunds.append(cashier.ok("post", f"/api/sales/{sale['id']}/returns/", {"lines": [{"product": soap, "quantity": 1}]},
                              key=new_key("return"), expect=201))
    assert sum(D(r["refund_amount"]) for r in refunds) == D(sale["total"])
    assert stock_of(admin, branch, soap) == 10
    assert_ledger_matches_stock(admin, branch, soap)
    other = api(stack, role="cashier", branches=[branch + 1000], user_id=602)
    assert other.post(f"/api/sales/{sale['id']}/returns/", {"lines": [{"product": soap, "quantity": 1}]},
                      key=new_key()).status_code == 403
