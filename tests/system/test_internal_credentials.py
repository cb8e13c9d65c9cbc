"""Internal endpoints on a running stack: each service's own credential, only where the table allows it, and
the acting user and branch from the user's own token."""
import requests

from sales_support import api, create_branch, create_product, ledger, new_key, stock_of, token

MOVES = "/internal/inventory/stock-moves/"


def credential(stack, caller: str, token: str | None = None) -> dict:
    return {"X-Internal-Caller": caller,
            "X-Internal-Token": token if token is not None else stack.secrets.value(f"internal_{caller}")}


def test_inventory_moves_stock_for_ventas_only(stack):
    admin = api(stack, role="admin")
    branch = create_branch(admin)["id"]
    product = create_product(admin, "1.00", 5, branch)
    body = {"kind": "sale", "branch": branch, "reference": "probe", "user": None,
            "lines": [{"product": product, "quantity": 1}]}
    inventory = stack.url("inventario")
    cashier = {"Authorization": f"Bearer {token(stack, role='cashier', branches=[branch], user_id=611)}"}

    def post(headers, **change):
        return requests.post(inventory + MOVES, json={**body, **change}, timeout=10,
                             headers={**cashier, **headers, "Idempotency-Key": new_key("internal")})

    # the gateway's and auth's genuine secrets: the gateway may read inventory's /health, not move stock
    assert post(credential(stack, "gateway")).status_code == 403
    assert post(credential(stack, "auth")).status_code == 401
    assert post(credential(stack, "ventas", "guess")).status_code == 401
    assert post(credential(stack, "ventas", stack.secrets.value("internal_gateway"))).status_code == 401
    assert post({}).status_code == 401
    assert stock_of(admin, branch, product) == 5
    moved = post(credential(stack, "ventas"))
    assert moved.status_code == 201, moved.text
    assert stock_of(admin, branch, product) == 4


def test_the_acting_user_and_branch_come_from_the_users_token(stack):
    admin = api(stack, role="admin")
    branch, elsewhere = create_branch(admin)["id"], create_branch(admin)["id"]
    here = create_product(admin, "1.00", 5, branch)
    there = create_product(admin, "1.00", 5, elsewhere)
    cashier = {"Authorization": f"Bearer {token(stack, role='cashier', branches=[branch], user_id=612)}",
               **credential(stack, "ventas")}

    def post(body, headers=cashier):
        return requests.post(stack.url("inventario") + MOVES, timeout=10, headers={
            **headers, "Idempotency-Key": new_key("acting")}, json={"kind": "sale", "reference": "acting", **body})

    # ventas' genuine credential, a cashier of one branch, a body naming another branch or user
    other_branch = post({"branch": elsewhere, "lines": [{"product": there, "quantity": 1}]})
    assert (other_branch.status_code, other_branch.json()["code"]) == (403, "branch_forbidden")
    other_user = post({"branch": branch, "user": 1, "lines": [{"product": here, "quantity": 1}]})
    assert (other_user.status_code, other_user.json()["code"]) == (403, "acting_user_mismatch")
    no_user = post({"branch": branch, "lines": [{"product": here, "quantity": 1}]},
                   headers=credential(stack, "ventas"))
    assert no_user.status_code == 401
    assert stock_of(admin, branch, here) == 5 and stock_of(admin, elsewhere, there) == 5
    moved = post({"branch": branch, "lines": [{"product": here, "quantity": 1}]})
    assert moved.status_code == 201, moved.text
    assert [r["user"] for r in ledger(admin, branch, here) if r["kind"] == "sale"] == [612]


def test_only_the_gateway_gets_a_services_node_details(stack):
    for caller, detailed in (("gateway", True), ("ventas", False)):
        # as if relayed from elsewhere: on loopback itself every caller is an operator
        headers = {**credential(stack, caller), "X-Forwarded-For": "198.51.100.9"}
        body = requests.get(stack.url("sucursales") + "/health", headers=headers, timeout=10).json()
        assert ("db" in body) is detailed, caller


def test_approvals_and_company_settings_answer_their_callers_only(stack):
    approvals = stack.url("auth") + "/internal/approvals/"
    body = {"username": "nobody-here", "pin": "1234", "branch": 1}

    def approve(caller: str) -> int:
        return requests.post(approvals, json=body, headers=credential(stack, caller), timeout=10).status_code

    # auth holds the digests of ventas (approvals) and the gateway (/health) only
    assert approve("ventas") == 403  # answered: one refusal for every reason
    assert approve("gateway") == 403
    assert approve("inventario") == 401
    assert requests.post(approvals, json=body, timeout=10).status_code == 401
    company = stack.url("sucursales") + "/internal/company/"
    for caller, status in (("ventas", 200), ("inventario", 200), ("auth", 403), ("gateway", 403)):
        assert requests.get(company, headers=credential(stack, caller), timeout=10).status_code == status, caller
    assert requests.get(company, timeout=10).status_code == 401
