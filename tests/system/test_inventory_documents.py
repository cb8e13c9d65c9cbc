"""Receipts, adjustments and a stock count through the gateway, with a cashier selling during the count.

The "Done when" of issue 20 for documents and counts: a receipt of many lines with
costs, an adjustment, a count posted while real sales (servicio_ventas) go on, and
stock, ledger and average cost that agree at the end.
"""
from __future__ import annotations

from sales_support import api, assert_ledger_matches_stock, create_branch, create_product, new_key, stock_of

CASHIER = 602


def test_receipt_adjustment_and_a_count_while_the_till_sells(stack):
    admin = api(stack, role="admin")
    branch = create_branch(admin)["id"]
    cashier = api(stack, role="cashier", branches=[branch], user_id=CASHIER)
    warehouse = api(stack, role="warehouse", branches=[branch], user_id=603)
    rice, oil = (create_product(admin, price, 0, branch) for price in ("12.50", "3.99"))

    receipt = warehouse.ok("post", "/api/inventory/receipts/", {"branch": branch, "supplier_ref": "GR-1", "lines": [
        {"product": rice, "quantity": 10, "unit_cost": "8.00"}, {"product": oil, "quantity": 20, "unit_cost": "2.10"}]},
        key=new_key("receipt"), expect=201)
    assert receipt["number"] == f"RC-{receipt['id']}"
    warehouse.ok("post", "/api/inventory/receipts/", {"branch": branch, "lines": [
        {"product": rice, "quantity": 10, "unit_cost": "9.00"}]}, key=new_key("receipt"), expect=201)
    assert admin.ok("get", f"/api/inventory/products/{rice}/")["cost"] == "8.50"  # (10 × 8 + 10 × 9) / 20
    adjustment = warehouse.ok("post", "/api/inventory/adjustments/", {"branch": branch, "reason": "damage", "lines": [
        {"product": oil, "quantity": -2}]}, key=new_key("adjust"), expect=201)
    refused = warehouse.post("/api/inventory/adjustments/", {"branch": branch, "reason": "loss", "lines": [
        {"product": rice, "quantity": -1}, {"product": oil, "quantity": -100}]}, key=new_key("adjust"))
    assert refused.status_code == 409 and refused.json()["code"] == "insufficient_stock"
    assert (stock_of(admin, branch, rice), stock_of(admin, branch, oil)) == (20, 18)

    count = warehouse.ok("post", "/api/inventory/counts/", {"branch": branch, "products": [rice, oil]}, expect=201)
    assert {line["product"]: line["expected"] for line in count["lines"]} == {rice: 20, oil: 18}
    cashier.ok("post", "/api/sales/cash-sessions/", {"branch": branch, "opening_float": "50.00"},
               key=new_key("open"), expect=201)

    def sell(product: int, quantity: int, amount: str) -> None:
        cashier.ok("post", "/api/sales/", {"branch": branch, "lines": [{"product": product, "quantity": quantity}],
                                           "payments": [{"method": "cash", "amount": amount}]},
                   key=new_key("sale"), expect=201)

    sell(rice, 2, "25.00")  # before the rice shelf is counted: 18 are there, 17 are found (1 missing)
    warehouse.ok("post", f"/api/inventory/counts/{count['id']}/lines/",
                 {"lines": [{"product": rice, "counted": 17}, {"product": oil, "counted": 18}]})
    sell(oil, 3, "11.97")  # after the counting: still taken from the stock
    posted = warehouse.ok("post", f"/api/inventory/counts/{count['id']}/post/", {}, key=new_key("post"))
    assert posted["status"] == "posted"
    assert {line["product"]: (line["moved"], line["difference"]) for line in posted["lines"]} == {
        rice: (-2, -1), oil: (0, 0)}
    again = warehouse.post(f"/api/inventory/counts/{count['id']}/post/", {}, key=new_key("post"))
    assert again.status_code == 409 and again.json()["code"] == "invalid_count_status"

    assert (stock_of(admin, branch, rice), stock_of(admin, branch, oil)) == (17, 15)
    rice_rows = assert_ledger_matches_stock(admin, branch, rice)
    assert [(r["kind"], r["quantity"]) for r in rice_rows] == [("count", -1), ("sale", -2), ("receipt", 10),
                                                               ("receipt", 10)]
    assert_ledger_matches_stock(admin, branch, oil)
    by_reference = admin.ok("get", "/api/inventory/movements/", reference=adjustment["number"])["results"]
    assert [(r["product"], r["kind"], r["quantity"]) for r in by_reference] == [(oil, "adjustment", -2)]


def test_stock_import_by_branch_code_through_the_gateway(stack):
    """The stock import asks the real servicio_sucursales for each code: known, unknown, inactive, out of scope."""
    import requests

    admin = api(stack, role="admin")
    north, south, closed = (create_branch(admin) for _ in range(3))
    gone = requests.delete(f"{admin.base}/api/branches/{closed['id']}/", headers=admin._headers(None), timeout=30)
    assert gone.status_code == 204, gone.text
    rice = admin.ok("get", f"/api/inventory/products/{create_product(admin, '12.50', 0, north['id'])}/")
    manager = api(stack, role="manager", branches=[north["id"]], user_id=604)

    def upload(caller, rows, *, dry_run=False, key=None):
        text = "branch_code,sku,quantity,unit_cost\n" + "".join(",".join(row) + "\n" for row in rows)
        url = f"{caller.base}/api/inventory/stock/import/" + ("?dry_run=true" if dry_run else "")
        return requests.post(url, files={"file": ("stock.csv", text.encode(), "text/csv")},
                             headers=caller._headers(key), timeout=60)

    refused = upload(admin, [[north["code"], rice["sku"], "5", "8.00"], ["NOPE-99", rice["sku"], "1", ""],
                             [closed["code"], rice["sku"], "1", ""]], key=new_key("import"))
    assert refused.status_code == 400, refused.text
    assert [(e["row"], e["column"]) for e in refused.json()["errors"]] == [(3, "branch_code"), (4, "branch_code")]
    out_of_scope = upload(manager, [[north["code"], rice["sku"], "5", ""], [south["code"], rice["sku"], "5", ""]],
                          dry_run=True)
    assert [(e["row"], e["column"]) for e in out_of_scope.json()["errors"]] == [(3, "branch_code")]
    dry = upload(admin, [[north["code"].lower(), rice["sku"], "5", "8.00"], [south["code"], rice["sku"], "3", ""]],
                 dry_run=True)
    assert dry.status_code == 200 and [r["quantity"] for r in dry.json()["receipts"]] == [5, 3]
    assert stock_of(admin, north["id"], rice["id"]) == 0
    done = upload(admin, [[north["code"], rice["sku"], "5", "8.00"], [south["code"], rice["sku"], "3", ""]],
                  key=new_key("import"))
    assert done.status_code == 201, done.text
    numbers = [r["number"] for r in done.json()["receipts"]]
    assert (stock_of(admin, north["id"], rice["id"]), stock_of(admin, south["id"], rice["id"])) == (5, 3)
    assert [r["reference"] for r in assert_ledger_matches_stock(admin, north["id"], rice["id"])] == [numbers[0]]
    assert admin.ok("get", f"/api/inventory/products/{rice['id']}/")["cost"] == "8.00"
