"""The audit trail across services: every kind of write that matters, with user and request ID, through the gateway."""
import uuid

import pytest

from ops_support import Caller, audit_rows, cli
from sales_support import create_product, api, new_key, replicas_caught_up


@pytest.fixture(scope="module")
def people(stack):
    admin = Caller(stack, role="admin", user_id=1)
    branch = admin.ok("POST", "/api/branches/", {"code": f"AU{uuid.uuid4().hex[:6].upper()}",
                                                 "name": "Auditada"}, expect=201)
    branch_rid = admin.last_request_id
    replicas_caught_up(stack, ("sucursales",))
    # a real auditor: servicio_auth looks up the token's user
    name = f"auditor{uuid.uuid4().hex[:8]}"
    auditor = admin.ok("POST", "/api/auth/users/", {"username": name, "password": "Revisa-todo-2026!",
                                                    "email": f"{name}@example.com", "role": "auditor"}, expect=201)
    replicas_caught_up(stack, ("auth",))
    return {"admin": admin, "branch": branch["id"], "branch_rid": branch_rid,
            "auditor": Caller(stack, role="auditor", user_id=auditor["id"]),
            "cashier": Caller(stack, role="cashier", branches=[branch["id"]], user_id=701)}


def only_row(auditor, api_name, request_id, **expected):
    rows = audit_rows(auditor, api_name, request_id=request_id)
    assert len(rows) == 1, (api_name, request_id, rows)
    row = rows[0]
    for field, value in expected.items():
        assert row[field] == value, (field, row)
    assert row["request_id"] == request_id and row["source"] == "api" and row["gtid"]
    return row


def test_users_roles_branches_prices_and_stock_moves_are_audited(stack, people):
    admin, auditor, branch = people["admin"], people["auditor"], people["branch"]
    only_row(auditor, "branches", people["branch_rid"], user_id=1, role="admin", action="create",
             resource="branches", object_id=str(branch))

    username = f"caja{uuid.uuid4().hex[:8]}"
    user = admin.ok("POST", "/api/auth/users/", {"username": username, "password": "S3guro-del-todo!",
                                                 "email": f"{username}@example.com", "role": "cashier",
                                                 "branches": [branch]}, expect=201)
    row = only_row(auditor, "auth", admin.last_request_id, user_id=1, role="admin", action="create",
                   resource="auth/users", object_id=str(user["id"]))
    assert row["changes"]["password"] == "[redacted]" and row["summary"]["role"] == "cashier"
    admin.ok("PATCH", f"/api/auth/users/{user['id']}/", {"role": "manager"})
    row = only_row(auditor, "auth", admin.last_request_id, action="update", resource="auth/users/{id}")
    assert row["changes"] == {"role": "manager"} and row["summary"]["role"] == "manager"

    product = admin.ok("POST", "/api/inventory/products/", {"sku": f"AU-{uuid.uuid4().hex[:8]}", "name": "Té",
                                                            "price": "3.00"}, expect=201)
    only_row(auditor, "inventory", admin.last_request_id, action="create", resource="inventory/products")
    admin.ok("PATCH", f"/api/inventory/products/{product['id']}/", {"price": "3.50"})
    row = only_row(auditor, "inventory", admin.last_request_id, action="update",
                   resource="inventory/products/{id}", object_id=str(product["id"]))
    assert row["changes"] == {"price": "3.50"} and row["summary"]["price"] == "3.50"
    admin.ok("POST", "/api/inventory/movements/", {"branch": branch, "product": product["id"], "kind": "receipt",
                                                   "quantity": 40}, key=new_key("audit"), expect=201)
    row = only_row(auditor, "inventory", admin.last_request_id, action="create", resource="inventory/movements")
    assert row["summary"]["kind"] == "receipt" and row["summary"]["quantity"] == 40


def test_cash_sessions_sales_and_returns_are_audited_replays_are_not(stack, people):
    auditor, cashier, branch = people["auditor"], people["cashier"], people["branch"]
    product = create_product(api(stack, role="admin"), "2.00", 30, branch)
    session = cashier.ok("POST", "/api/sales/cash-sessions/", {"branch": branch, "opening_float": "50.00"},
                         key=new_key("audit-open"), expect=201)
    only_row(auditor, "sales", cashier.last_request_id, user_id=701, role="cashier", action="create",
             resource="sales/cash-sessions", object_id=str(session["id"]))

    body = {"branch": branch, "lines": [{"product": product, "quantity": 2}],
            "payments": [{"method": "cash", "amount": "10.00"}]}
    key = new_key("audit-sale")
    sale = cashier.ok("POST", "/api/sales/", body, key=key, expect=201)
    sale_rid = cashier.last_request_id
    row = only_row(auditor, "sales", sale_rid, user_id=701, action="create", resource="sales",
                   object_id=str(sale["id"]))
    assert row["summary"]["status"] == "completed" and row["summary"]["number"] == sale["number"]
    replay = cashier.call("POST", "/api/sales/", body, key=key)
    assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"
    assert audit_rows(auditor, "sales", request_id=cashier.last_request_id, expect=0, timeout=1) == []

    cashier.ok("POST", f"/api/sales/{sale['id']}/returns/", {"lines": [{"product": product, "quantity": 1}],
                                                             "reason": "dañado"}, key=new_key("audit-ret"),
               expect=201)
    only_row(auditor, "sales", cashier.last_request_id, action="create", resource="sales/{id}/returns")
    cashier.ok("POST", f"/api/sales/cash-sessions/{session['id']}/close/", {"counted_cash": "57.08"},
               key=new_key("audit-close"))
    only_row(auditor, "sales", cashier.last_request_id, action="create",
             resource="sales/cash-sessions/{id}/close", object_id=str(session["id"]))
    # a cashier may not read the trail; an admin may
    assert cashier.call("GET", "/api/sales/audit/").status_code == 403
    assert people["admin"].call("GET", "/api/sales/audit/", request_id=sale_rid).json()["results"][0]["id"] == row["id"]


def test_a_switchover_appears_in_the_services_audit_trail(stack, people):
    first_primary = str(stack.local_nodes("sucursales")[0].node)
    done = cli(stack, "failover", "sucursales", timeout=120)
    try:
        assert done.returncode == 0, done.stdout + done.stderr
        rows = audit_rows(people["auditor"], "branches", source="watchdog", action="switchover_completed",
                          timeout=20)
        assert rows, "the switchover was not imported into the audit trail"
        row = rows[0]
        assert row["service"] == "sucursales" and row["role"] == "operator" and row["resource"] == "database/pair"
        assert row["object_id"] and row["object_id"] != first_primary  # the new primary
    finally:
        # back to the layout the other system tests expect (first node primary)
        back = cli(stack, "failover", "sucursales", timeout=120)
        assert back.returncode == 0, back.stdout + back.stderr
    assert len(audit_rows(people["auditor"], "branches", source="watchdog", action="switchover_completed",
                          expect=2, timeout=20)) == 2
