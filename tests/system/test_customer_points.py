"""Customers at the till against the real servicio_clientes: invoices, points earned, reversed and spent exactly once.

clientes is made unreachable for real: its primary held with FLUSH TABLES WITH READ LOCK
(a points hold sent and never answered) and its gunicorn stopped under the stack's
supervisor, as tests/system/test_sales_saga.py does to inventory.
"""
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from sales_support import (Api, api, create_branch, create_product, new_key, primary_cursor, start_program,
                           stop_program, wait_for)
from sis_common.tax_ids import ruc_check_digit


def _ruc() -> str:
    first_ten = f"20{uuid.uuid4().int % 10**8:08d}"
    return first_ten + str(ruc_check_digit(first_ten))


@pytest.fixture(scope="module")
def shop(stack):
    admin = api(stack, role="admin")
    branch = create_branch(admin)["id"]
    return {"admin": admin, "branch": branch, "stack": stack,
            "cashier": api(stack, role="cashier", branches=[branch], user_id=701),
            "other_till": api(stack, role="cashier", branches=[branch], user_id=702)}


def customer(admin: Api, doc_type: str = "dni", **extra) -> dict:
    number = _ruc() if doc_type == "ruc" else f"{uuid.uuid4().int % 10**8:08d}"
    return admin.ok("post", "/api/customers/", {"doc_type": doc_type, "doc_number": number, "name": "Cliente",
                                                **extra}, expect=201)


def points(admin: Api, customer_id: int) -> dict:
    return admin.ok("get", f"/api/customers/{customer_id}/points/", page_size=200)


def sale(cashier: Api, branch: int, product: int, quantity: int, payments: list, **extra):
    return cashier.post("/api/sales/", {"branch": branch, "lines": [{"product": product, "quantity": quantity}],
                                        "payments": payments, **extra}, key=new_key("cust"))


def earned(admin: Api, customer_id: int, want: int) -> bool:
    return wait_for(lambda: points(admin, customer_id)["points"] == want, timeout=60)


def test_an_invoice_to_a_company_by_its_ruc_and_its_receipt(shop):
    admin, branch, cashier = shop["admin"], shop["branch"], shop["cashier"]
    item = create_product(admin, "59.00", 10, branch)
    company = customer(admin, "ruc", name="Textiles Andinos S.A.C.", address="Av. Argentina 1200, Lima")
    person = customer(admin, "dni", name="Rosa Mamani")
    refused = sale(cashier, branch, item, 1, [{"method": "cash", "amount": "59.00"}], customer=person["id"],
                   document_type="invoice")
    assert refused.status_code == 400 and refused.json()["code"] == "invoice_needs_tax_id"
    unknown = sale(cashier, branch, item, 1, [{"method": "cash", "amount": "59.00"}], customer=987654321)
    assert unknown.status_code == 400 and unknown.json()["code"] == "unknown_customer"
    answer = sale(cashier, branch, item, 2, [{"method": "card", "amount": "118.00"}], customer=company["id"],
                  document_type="invoice")
    assert answer.status_code == 201, answer.text
    invoice = answer.json()
    assert (invoice["document_type"], invoice["customer"]) == ("invoice", company["id"])
    assert invoice["document_number"].startswith("F")  # the branch's invoice series (sales.numbering)
    receipt = admin.ok("get", f"/api/sales/{invoice['id']}/receipt/")
    assert receipt["customer"] == {"id": company["id"], "doc_type": "ruc", "doc_number": company["doc_number"],
                                   "name": "Textiles Andinos S.A.C.", "address": "Av. Argentina 1200, Lima"}
    assert earned(admin, company["id"], 11)  # 118.00 at one point per 10.00
    history = admin.ok("get", f"/api/customers/{company['id']}/history/")
    assert [s["id"] for s in history["sales"]] == [invoice["id"]]
    assert (history["count"], history["total"], history["points"]) == (1, "118.00", 11)


def test_points_are_earned_once_and_a_return_takes_back_its_share(shop):
    admin, branch, cashier = shop["admin"], shop["branch"], shop["cashier"]
    item = create_product(admin, "25.00", 10, branch)
    buyer = customer(admin)
    done = sale(cashier, branch, item, 4, [{"method": "cash", "amount": "100.00"}], customer=buyer["id"])
    assert done.status_code == 201, done.text
    assert earned(admin, buyer["id"], 10)
    returned = cashier.post(f"/api/sales/{done.json()['id']}/returns/", {"lines": [{"product": item, "quantity": 1}]},
                            key=new_key("ret"))
    assert returned.status_code == 201, returned.text
    assert earned(admin, buyer["id"], 8)  # 25.00 of 100.00 back: floor(2.5) points
    ledger = points(admin, buyer["id"])["results"]
    assert [(e["kind"], e["quantity"], e["reference"]) for e in reversed(ledger)] == [
        ("earn", 10, f"sale:{done.json()['id']}"),
        ("reverse", -2, f"sale:{done.json()['id']}:return:{returned.json()['id']}")]


def test_two_tills_spending_the_same_points_at_once_one_wins_nothing_twice(shop):
    admin, branch = shop["admin"], shop["branch"]
    item = create_product(admin, "10.00", 50, branch)
    buyer = customer(admin)
    assert sale(shop["cashier"], branch, item, 10, [{"method": "cash", "amount": "100.00"}],
                customer=buyer["id"]).status_code == 201
    assert earned(admin, buyer["id"], 10)
    start = threading.Barrier(2)

    def till(cashier):
        start.wait()
        return sale(cashier, branch, item, 1, [{"method": "points", "amount": "0.80"},
                                               {"method": "cash", "amount": "9.20"}], customer=buyer["id"])

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(till, [shop["cashier"], shop["other_till"]]))
    assert sorted(a.status_code for a in answers) == [201, 409], [a.text for a in answers]
    (lost,) = [a.json() for a in answers if a.status_code == 409]
    assert (lost["code"], lost["available"], lost["requested"], lost["status"]) == ("insufficient_points", 2, 8,
                                                                                    "rejected")
    (won,) = [a.json() for a in answers if a.status_code == 201]
    # 2 left, then the winning sale earns on the 9.20 it was paid in cash: 0 points
    assert earned(admin, buyer["id"], 2)
    spends = [e for e in points(admin, buyer["id"])["results"] if e["kind"] == "spend"]
    assert [(e["quantity"], e["reference"]) for e in spends] == [(-8, f"sale:{won['id']}")]


def _clientes_threads(cur, user: str) -> list[int]:
    cur.execute("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = %s", [user])
    return [row[0] for row in cur.fetchall()]


def test_clientes_stopped_mid_sale_the_sale_stays_pending_then_spends_its_points_once(shop):
    admin, branch, cashier, stack = shop["admin"], shop["branch"], shop["cashier"], shop["stack"]
    item = create_product(admin, "20.00", 11, branch)  # ten to earn the points, one to spend them on
    buyer = customer(admin)
    assert sale(cashier, branch, item, 10, [{"method": "card", "amount": "200.00"}],
                customer=buyer["id"]).status_code == 201
    assert earned(admin, buyer["id"], 20)
    body = {"branch": branch, "lines": [{"product": item, "quantity": 1}], "customer": buyer["id"],
            "payments": [{"method": "points", "amount": "1.50"}, {"method": "cash", "amount": "18.50"}]}
    key = new_key("points-down")
    conn, cur = primary_cursor(stack, "clientes")
    stopped = False
    try:
        # clientes' writes hang: the customer is read, the hold is sent and never answered
        cur.execute("FLUSH TABLES WITH READ LOCK")
        answer = cashier.post("/api/sales/", body, key=key)
        assert answer.status_code == 202, answer.text
        pending = answer.json()
        for thread in _clientes_threads(cur, stack.pair_spec("clientes").app.user):
            cur.execute(f"KILL {int(thread)}")  # the hung hold dies uncommitted
        stopped = True
        stop_program(stack, "app-clientes")
        cur.execute("UNLOCK TABLES")
        vconn, vcur = primary_cursor(stack, "ventas")
        try:
            def attempts() -> int:
                vcur.execute("SELECT attempts FROM sales_sale WHERE id = %s", [pending["id"]])
                return vcur.fetchone()[0]
            assert wait_for(lambda: attempts() >= 2, timeout=60)  # the reconciler tries while clientes is down
        finally:
            vconn.close()
        assert admin.ok("get", f"/api/sales/{pending['id']}/")["status"] == "pending"
        start_program(stack, "app-clientes")
        stopped = False
    finally:
        if stopped:
            start_program(stack, "app-clientes")
        cur.execute("UNLOCK TABLES")
        conn.close()
    done = wait_for(lambda: admin.ok("get", f"/api/sales/{pending['id']}/")["status"] == "completed", timeout=90)
    assert done, _saga_state(stack, pending["id"])
    assert earned(admin, buyer["id"], 20 - 15 + 1)  # 15 spent once, 1 earned on the 18.50 paid in cash
    ledger = points(admin, buyer["id"])["results"]
    assert [(e["kind"], e["quantity"]) for e in ledger if e["reference"] == f"sale:{pending['id']}"] == [
        ("earn", 1), ("spend", -15)]
    final = cashier.post("/api/sales/", body, key=key)
    assert final.status_code == 201 and final.json()["id"] == pending["id"]
    cconn, ccur = primary_cursor(stack, "clientes")
    try:
        ccur.execute("SELECT status FROM loyalty_reservation WHERE reference = %s", [f"sale:{pending['id']}"])
        assert ccur.fetchall() == (("confirmed",),)
    finally:
        cconn.close()




def _saga_state(stack, sale_id: int) -> tuple:
    """What ventas and clientes hold of a sale's points, for a failure's message."""
    vconn, vcur = primary_cursor(stack, "ventas")
    cconn, ccur = primary_cursor(stack, "clientes")
    try:
        vcur.execute("SELECT status, attempts, last_error, points_held, rejection FROM sales_sale WHERE id = %s",
                     [sale_id])
        ccur.execute("SELECT `key`, status, points FROM loyalty_reservation WHERE reference = %s", [f"sale:{sale_id}"])
        return vcur.fetchall(), ccur.fetchall()
    finally:
        vconn.close()
        cconn.close()


def test_clientes_stopped_a_sale_to_a_customer_it_cannot_check_is_refused_and_nothing_stored(shop):
    admin, branch, cashier, stack = shop["admin"], shop["branch"], shop["cashier"], shop["stack"]
    item = create_product(admin, "5.00", 5, branch)
    buyer = customer(admin)
    before = admin.ok("get", "/api/sales/", branch=branch, page_size=200)["results"]
    stop_program(stack, "app-clientes")
    try:
        answer = sale(cashier, branch, item, 1, [{"method": "cash", "amount": "5.00"}], customer=buyer["id"])
        assert answer.status_code == 503, answer.text
        assert (answer.json()["code"], answer.json()["service"]) == ("service_unavailable", "clientes")
    finally:
        start_program(stack, "app-clientes")
    assert admin.ok("get", "/api/sales/", branch=branch, page_size=200)["results"] == before
