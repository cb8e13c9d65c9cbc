"""Purchase orders received against the real inventory: partial receipts add up, every unit enters once under
the order's reference, a receipt while inventory is stopped is received exactly once after it returns, and bad
input leaves stock untouched."""
import pytest

from sales_support import (api, assert_ledger_matches_stock, create_branch, create_product, ledger, new_key,
                           start_program, stock_of, stop_program, wait_for)
from test_purchasing import new_supplier

SUPPLIER_PRODUCTS = "/api/purchasing/suppliers/{}/products/"


@pytest.fixture(scope="module")
def shop(stack):
    admin = api(stack, role="admin")
    branch = create_branch(admin)["id"]
    purchaser = api(stack, role="purchaser", branches=[branch], user_id=741)
    supplier = new_supplier(purchaser)
    products = [create_product(admin, "9.00", 0, branch) for _ in range(2)]
    for product, cost in zip(products, ("4.00", "2.50")):
        purchaser.ok("post", SUPPLIER_PRODUCTS.format(supplier["id"]), {"product": product, "unit_cost": cost},
                     expect=201)
    return {"admin": admin, "branch": branch, "purchaser": purchaser, "supplier": supplier, "products": products,
            "warehouse": api(stack, role="warehouse", branches=[branch], user_id=742)}


def confirmed_order(shop, quantities=(10, 6)) -> dict:
    body = {"supplier": shop["supplier"]["id"], "branch": shop["branch"],
            "lines": [{"product": p, "quantity": q} for p, q in zip(shop["products"], quantities)]}
    order = shop["purchaser"].ok("post", "/api/purchasing/orders/", body, expect=201)
    return shop["purchaser"].ok("post", f"/api/purchasing/orders/{order['id']}/confirm/", {})


def order_rows(admin, branch, product, number) -> list[dict]:
    return [r for r in ledger(admin, branch, product) if r["reference"].startswith(f"{number}/")]


def test_partial_receipts_add_up_and_every_unit_enters_once_with_the_reference(shop):
    admin, branch, warehouse = shop["admin"], shop["branch"], shop["warehouse"]
    first_product, second_product = shop["products"]
    before = {p: stock_of(admin, branch, p) for p in shop["products"]}
    order = confirmed_order(shop)
    url = f"/api/purchasing/orders/{order['id']}/receive/"
    key = new_key("rc")
    one = {"delivery_note": "GR-001", "lines": [{"product": first_product, "quantity": 4, "unit_cost": "4.20"}]}
    answer = warehouse.post(url, one, key=key)
    assert answer.status_code == 201, answer.text
    received = answer.json()
    assert (received["status"], received["receipt"]["status"]) == ("partially_received", "completed")
    assert received["receipt"]["reference"] == f"{order['number']}/GR-001"
    assert [x["received"] for x in received["lines"]] == [4, 0]
    again = warehouse.post(url, one, key=key)  # a retry of the same delivery moves nothing more
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["receipt"]["id"] == received["receipt"]["id"]
    two = {"delivery_note": "GR-002", "lines": [{"product": first_product, "quantity": 6},
                                                {"product": second_product, "quantity": 2}]}
    assert warehouse.ok("post", url, two, key=new_key("rc"), expect=201)["status"] == "partially_received"
    over = warehouse.post(url, {"delivery_note": "GR-003", "lines": [{"product": first_product, "quantity": 1}]},
                          key=new_key("rc"))
    assert over.status_code == 400 and over.json()["code"] == "over_receipt", over.text
    last = warehouse.ok("post", url, {"delivery_note": "GR-003", "lines": [{"product": second_product,
                                                                             "quantity": 4}]},
                        key=new_key("rc"), expect=201)
    assert last["status"] == "received" and [x["received"] for x in last["lines"]] == [10, 6]
    assert stock_of(admin, branch, first_product) == before[first_product] + 10
    assert stock_of(admin, branch, second_product) == before[second_product] + 6
    assert sorted((r["quantity"], r["reference"], r["user"]) for r in order_rows(admin, branch, first_product,
                                                                                order["number"])) == [
        (4, f"{order['number']}/GR-001", 742), (6, f"{order['number']}/GR-002", 742)]
    assert sorted(r["quantity"] for r in order_rows(admin, branch, second_product, order["number"])) == [2, 4]
    assert_ledger_matches_stock(admin, branch, first_product)
    receipts = shop["purchaser"].ok("get", f"/api/purchasing/orders/{order['id']}/receipts/")["results"]
    assert [(r["delivery_note"], r["status"]) for r in receipts] == [
        ("GR-001", "completed"), ("GR-002", "completed"), ("GR-003", "completed")]
    # inventory holds each as one receipt document under the order's reference, costs as received
    documents = {d["id"]: d for d in admin.ok("get", "/api/inventory/receipts/", branch=branch)["results"]}
    first_document = documents[receipts[0]["stock_document"]]
    assert (first_document["number"], first_document["supplier_ref"]) == (f"{order['number']}/GR-001", "GR-001")
    assert first_document["lines"] == [{"product": first_product, "quantity": 4, "unit_cost": "4.20"}]
    assert documents[receipts[1]["stock_document"]]["lines"][0]["unit_cost"] == "4.00"  # the order's cost


def test_a_receipt_while_inventory_is_stopped_is_received_exactly_once_after_it_returns(shop, stack):
    admin, branch, warehouse = shop["admin"], shop["branch"], shop["warehouse"]
    product = shop["products"][0]
    order = confirmed_order(shop, quantities=(5, 1))
    before = stock_of(admin, branch, product)
    url = f"/api/purchasing/orders/{order['id']}/receive/"
    body = {"delivery_note": "GR-DOWN", "lines": [{"product": product, "quantity": 5}]}
    key = new_key("down")
    stop_program(stack, "app-inventario")
    try:
        pending = warehouse.post(url, body, key=key)
        assert pending.status_code == 202, pending.text
        assert pending.headers["Retry-After"] == "2" and pending.json()["code"] == "receipt_pending"
        assert pending.json()["receipt"]["status"] == "pending"
        assert warehouse.post(url, body, key=key).status_code == 202  # still pending, still one receipt
    finally:
        start_program(stack, "app-inventario")
    # the reconciler settles it; the client's retry answers the final outcome
    assert wait_for(lambda: warehouse.post(url, body, key=key).status_code == 201, timeout=90)
    final = warehouse.post(url, body, key=key).json()
    assert final["receipt"]["status"] == "completed" and final["lines"][0]["received"] == 5
    assert final["status"] == "partially_received"
    assert stock_of(admin, branch, product) == before + 5
    assert [r["quantity"] for r in order_rows(admin, branch, product, order["number"])] == [5]
    assert_ledger_matches_stock(admin, branch, product)


def test_bad_receipts_and_orders_are_4xx_and_leave_stock_untouched(shop, stack):
    admin, branch, purchaser, warehouse = shop["admin"], shop["branch"], shop["purchaser"], shop["warehouse"]
    product = shop["products"][1]
    before = stock_of(admin, branch, product)
    other_branch = create_branch(admin)["id"]
    stranger = create_product(admin, "1.00", 0, branch)
    orders = "/api/purchasing/orders/"
    body = {"supplier": shop["supplier"]["id"], "branch": branch, "lines": [{"product": product, "quantity": 2}]}
    refused = [
        (purchaser.post(orders, {**body, "lines": [{"product": stranger, "quantity": 1}]}), 400,
         "product_not_supplied"),
        (purchaser.post(orders, {**body, "branch": other_branch}), 403, "branch_forbidden"),
        (admin.post(orders, {**body, "branch": 2**40}), 400, "unknown_branch"),
    ]
    draft = purchaser.ok("post", orders, body, expect=201)
    receive = f"{orders}{draft['id']}/receive/"
    lines = {"delivery_note": "GR-X", "lines": [{"product": product, "quantity": 1}]}
    refused.append((warehouse.post(receive, lines, key=new_key("bad")), 409, "order_status_conflict"))
    purchaser.ok("post", f"{orders}{draft['id']}/cancel/", {})
    refused.append((warehouse.post(receive, lines, key=new_key("bad")), 409, "order_status_conflict"))
    order = confirmed_order(shop, quantities=(1, 2))
    receive = f"{orders}{order['id']}/receive/"
    refused += [
        (warehouse.post(receive, {**lines, "lines": [{"product": product, "quantity": 3}]}, key=new_key("bad")), 400,
         "over_receipt"),
        (warehouse.post(receive, {**lines, "lines": [{"product": stranger, "quantity": 1}]}, key=new_key("bad")),
         400, "product_not_on_order"),
        (api(stack, role="warehouse", branches=[other_branch]).post(receive, lines, key=new_key("bad")), 404,
         "not_found"),
        (api(stack, role="cashier", branches=[branch]).post(receive, lines, key=new_key("bad")), 403,
         "permission_denied"),
    ]
    for answer, status, code in refused:
        assert (answer.status_code, answer.json()["code"]) == (status, code), answer.text
    assert purchaser.ok("get", f"{orders}{order['id']}/receipts/")["results"] == []
    assert stock_of(admin, branch, product) == before
    assert [r for r in ledger(admin, branch, product) if r["reference"].startswith("PO-")
            and r["reference"].split("/")[0] in (draft["number"], order["number"])] == []
