"""The sale saga against the real inventory service: exactly-once stock moves, all-or-nothing, recovery.

Inventory is really stopped (its gunicorn under the stack's supervisor) and
its primary is held with FLUSH TABLES WITH READ LOCK to make a stock move hang
after ventas sent it: the only way to reach "outcome unknown" with real
processes, no mocks.
"""
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from sales_support import (Api, api, assert_ledger_matches_stock, create_branch, create_product, ledger, new_key,
                           primary_cursor, start_program, stock_of, stop_program, token, wait_for)


@pytest.fixture(scope="module")
def shop(stack):
    admin = api(stack, role="admin")
    branch = create_branch(admin)["id"]
    return {"admin": admin, "branch": branch,
            "cashier": api(stack, role="cashier", branches=[branch], user_id=501)}


def sale_rows(admin, branch, product, sale_id):
    return [r for r in ledger(admin, branch, product) if r["reference"] == f"sale:{sale_id}"]


def test_same_request_five_times_at_once_moves_stock_once(shop):
    admin, branch, cashier = shop["admin"], shop["branch"], shop["cashier"]
    apple = create_product(admin, "1.50", 50, branch)
    pear = create_product(admin, "2.25", 50, branch)
    body = {"branch": branch, "lines": [{"product": apple, "quantity": 3}, {"product": pear, "quantity": 2}],
            "payments": [{"method": "cash", "amount": "20.00"}]}
    key = new_key("five")
    with ThreadPoolExecutor(max_workers=5) as pool:
        answers = list(pool.map(lambda _: cashier.post("/api/sales/", body, key=key), range(5)))
    statuses = sorted(a.status_code for a in answers)
    assert set(statuses) <= {201, 409}, [a.text for a in answers]
    assert all(a.json()["code"] == "idempotency_in_progress" for a in answers if a.status_code == 409)
    assert 201 in statuses
    sale_ids = {a.json()["id"] for a in answers if a.status_code == 201}
    assert len(sale_ids) == 1
    (sale_id,) = sale_ids
    replay = cashier.post("/api/sales/", body, key=key)
    assert replay.status_code == 201 and replay.json()["id"] == sale_id
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json()["total"] == "9.00"  # 4.50 + 4.50, the shelf prices include the tax
    assert replay.json()["change"] == "11.00"
    same_key_other_body = cashier.post("/api/sales/", {**body, "payments": [{"method": "cash", "amount": "30.00"}]},
                                       key=key)
    assert same_key_other_body.status_code == 422
    assert [s["id"] for s in admin.ok("get", "/api/sales/", branch=branch, page_size=200)["results"]
            if s["id"] == sale_id] == [sale_id]
    assert stock_of(admin, branch, apple) == 47 and stock_of(admin, branch, pear) == 48
    assert [r["quantity"] for r in sale_rows(admin, branch, apple, sale_id)] == [-3]
    assert [r["quantity"] for r in sale_rows(admin, branch, pear, sale_id)] == [-2]
    assert_ledger_matches_stock(admin, branch, apple)


def test_insufficient_stock_on_one_line_rejects_the_whole_sale(shop):
    admin, branch, cashier = shop["admin"], shop["branch"], shop["cashier"]
    plenty = create_product(admin, "3.00", 10, branch)
    scarce = create_product(admin, "4.00", 1, branch)
    body = {"branch": branch, "lines": [{"product": plenty, "quantity": 2}, {"product": scarce, "quantity": 3}],
            "payments": [{"method": "card", "amount": "18.00"}]}
    key = new_key("short")
    answer = cashier.post("/api/sales/", body, key=key)
    assert answer.status_code == 409, answer.text
    refusal = answer.json()
    assert refusal["code"] == "insufficient_stock"
    assert [{k: x[k] for k in ("product", "requested", "available")} for x in refusal["lines"]] == [
        {"product": scarce, "requested": 3, "available": 1}]
    assert cashier.post("/api/sales/", body, key=key).json() == refusal  # the same answer again
    assert admin.ok("get", f"/api/sales/{refusal['sale']}/")["status"] == "rejected"
    assert stock_of(admin, branch, plenty) == 10 and stock_of(admin, branch, scarce) == 1
    assert sale_rows(admin, branch, plenty, refusal["sale"]) == []
    assert sale_rows(admin, branch, scarce, refusal["sale"]) == []


def test_payments_are_checked_against_inventory_prices(shop):
    admin, branch, cashier = shop["admin"], shop["branch"], shop["cashier"]
    item = create_product(admin, "10.00", 5, branch)
    lines = [{"product": item, "quantity": 1}]  # total 10.00 (tax included)
    short = cashier.post("/api/sales/", {"branch": branch, "lines": lines,
                                         "payments": [{"method": "cash", "amount": "9.99"}]}, key=new_key())
    assert short.status_code == 400 and short.json()["code"] == "payment_insufficient"
    over = cashier.post("/api/sales/", {"branch": branch, "lines": lines,
                                        "payments": [{"method": "card", "amount": "10.01"}]}, key=new_key())
    assert over.status_code == 400 and over.json()["code"] == "non_cash_overpayment"
    unknown = cashier.post("/api/sales/", {"branch": branch, "lines": [{"product": 10**9, "quantity": 1}],
                                           "payments": [{"method": "cash", "amount": "1.00"}]}, key=new_key())
    assert unknown.status_code == 400 and unknown.json()["code"] == "unknown_product"
    assert stock_of(admin, branch, item) == 5


def _inventory_threads(cur, user: str) -> list[int]:
    cur.execute("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = %s", [user])
    return [row[0] for row in cur.fetchall()]


def _sale_attempts(stack, sale_id: int) -> int:
    conn, cur = primary_cursor(stack, "ventas")
    try:
        cur.execute("SELECT attempts FROM sales_sale WHERE id = %s", [sale_id])
        return cur.fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize("move_happened", [False, True], ids=["move-lost", "move-done-unheard"])
def test_inventory_stopped_mid_saga_sale_stays_pending_then_reconciler_completes_it(stack, shop, move_happened):
    admin, branch, cashier = shop["admin"], shop["branch"], shop["cashier"]
    item = create_product(admin, "5.00", 20, branch)
    body = {"branch": branch, "lines": [{"product": item, "quantity": 4}],
            "payments": [{"method": "cash", "amount": "30.00"}]}
    key = new_key("mid-saga")
    # stopping nginx keeps the hung move alive in gunicorn; stopping gunicorn kills it
    program = "nginx-inventario" if move_happened else "app-inventario"
    inv_conn, inv = primary_cursor(stack, "inventario")
    stopped = False
    try:
        # writes on inventory's primary now hang: prices are read, the stock move is sent and never answered
        inv.execute("FLUSH TABLES WITH READ LOCK")
        answer = cashier.post("/api/sales/", body, key=key)
        assert answer.status_code == 202, answer.text
        pending = answer.json()
        assert (pending["status"], pending["code"], pending["number"]) == ("pending", "sale_pending", None)
        if not move_happened:
            for thread in _inventory_threads(inv, stack.pair_spec("inventario").app.user):
                inv.execute(f"KILL {int(thread)}")  # the hung move dies uncommitted
        stopped = True
        stop_program(stack, program)
        inv.execute("UNLOCK TABLES")
        if move_happened:
            # the hung move commits, but nobody is listening: ventas cannot know
            direct = Api(f"http://127.0.0.1:{stack.app_port('inventario')}", admin.bearer, stack)
            assert wait_for(lambda: stock_of(direct, branch, item) == 16, timeout=30)
        # the reconciler keeps trying while inventory is unreachable; the sale stays pending
        assert wait_for(lambda: _sale_attempts(stack, pending["id"]) >= 2, timeout=60)
        assert admin.ok("get", f"/api/sales/{pending['id']}/")["status"] == "pending"
        assert cashier.post("/api/sales/", body, key=key).status_code in (202, 409)
        start_program(stack, program)
        stopped = False
    finally:
        if stopped:
            start_program(stack, program)
        inv.execute("UNLOCK TABLES")  # a no-op unless the test failed while holding it
        inv_conn.close()
    done = wait_for(lambda: admin.ok("get", f"/api/sales/{pending['id']}/")["status"] == "completed", timeout=90)
    assert done
    sale = admin.ok("get", f"/api/sales/{pending['id']}/")
    assert sale["number"] and sale["total"] == "20.00" and sale["change"] == "10.00"
    assert stock_of(admin, branch, item) == 16  # moved exactly once
    assert [r["quantity"] for r in sale_rows(admin, branch, item, pending["id"])] == [-4]
    assert_ledger_matches_stock(admin, branch, item)
    final = cashier.post("/api/sales/", body, key=key)
    assert final.status_code == 201 and final.json()["id"] == pending["id"]


def test_a_sale_left_pending_completes_after_the_cashiers_token_expired(stack, shop):
    admin, branch = shop["admin"], shop["branch"]
    item = create_product(admin, "2.00", 10, branch)
    lifetime, leeway = 20, 5  # leeway: sis_common.conf.simple_jwt
    bearer = token(stack, role="cashier", branches=[branch], user_id=502, lifetime=lifetime)
    expires = time.time() + lifetime
    cashier = Api(stack.url(), bearer, stack)
    body = {"branch": branch, "lines": [{"product": item, "quantity": 3}],
            "payments": [{"method": "cash", "amount": "10.00"}]}
    inv_conn, inv = primary_cursor(stack, "inventario")
    stopped = False
    try:
        inv.execute("FLUSH TABLES WITH READ LOCK")  # the stock move hangs, ventas answers 202
        answer = cashier.post("/api/sales/", body, key=new_key("expiring"))
        assert answer.status_code == 202, answer.text
        for thread in _inventory_threads(inv, stack.pair_spec("inventario").app.user):
            inv.execute(f"KILL {int(thread)}")  # the hung move dies uncommitted
        stopped = True
        stop_program(stack, "app-inventario")
        inv.execute("UNLOCK TABLES")
        # the cashier's token is dead everywhere else by the time inventory is back
        time.sleep(max(0.0, expires + leeway + 1 - time.time()))
        assert cashier.get("/api/sales/", branch=branch).status_code == 401
        start_program(stack, "app-inventario")
        stopped = False
    finally:
        if stopped:
            start_program(stack, "app-inventario")
        inv.execute("UNLOCK TABLES")
        inv_conn.close()
    sale_id = answer.json()["id"]
    assert wait_for(lambda: admin.ok("get", f"/api/sales/{sale_id}/")["status"] == "completed", timeout=90)
    assert stock_of(admin, branch, item) == 7
    # the ledger names the cashier of the token ventas kept, moved once
    assert [(r["quantity"], r["user"]) for r in sale_rows(admin, branch, item, sale_id)] == [(-3, 502)]
    conn, cur = primary_cursor(stack, "ventas")
    try:
        cur.execute("SELECT acting_token FROM sales_sale WHERE id = %s", [sale_id])
        assert cur.fetchone()[0] == ""  # settled: the token is not kept
    finally:
        conn.close()
